/**
 * The live cards in PostgreSQL (table `live_cards`), reading the followers from `subscriptions`; the
 * same queries as the SQLite store's (sqlite/cards.ts).
 */
import type { ComuneCode } from "../../data/model.js";
import type { Lang } from "../../i18n/index.js";
import type { CardState, LiveCardStore } from "../contract/cards.js";
import { type PgDatabase, toNumber } from "./connection.js";

export class PgLiveCardStore implements LiveCardStore {
  constructor(private readonly db: PgDatabase) {}

  async followers(comune: ComuneCode, after: number, limit: number): Promise<number[]> {
    const rows = await this.db.query<{ chat_id: string }>(
      `SELECT s.chat_id FROM subscriptions s
       WHERE s.kind = 'comune' AND s.comune = $1 AND s.chat_id > $2
         AND NOT EXISTS (SELECT 1 FROM live_cards l WHERE l.chat_id = s.chat_id AND l.comune = s.comune AND l.off)
       ORDER BY s.chat_id LIMIT $3`,
      // The callers walk from -Infinity; no chat id is beyond the safe integers. No limit: all of them.
      [
        comune,
        Math.min(Math.max(after, Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER),
        Number.isFinite(limit) ? limit : null,
      ],
    );
    return rows.map((r) => toNumber(r.chat_id));
  }

  async card(chatId: number, comune: ComuneCode): Promise<CardState | undefined> {
    const r = await this.db.one<{
      lang: Lang;
      message_id: number | null;
      sent_at: string | null;
      shown: string | null;
      off: boolean | null;
    }>(
      `SELECT s.lang, l.message_id, l.sent_at, l.shown, l.off FROM subscriptions s
       LEFT JOIN live_cards l ON l.chat_id = s.chat_id AND l.comune = s.comune
       WHERE s.chat_id = $1 AND s.kind = 'comune' AND s.comune = $2`,
      [chatId, comune],
    );
    if (!r) return undefined;
    return {
      lang: r.lang,
      ...(r.message_id !== null ? { messageId: r.message_id } : {}),
      ...(r.sent_at !== null ? { sentAt: toNumber(r.sent_at) } : {}),
      ...(r.shown !== null ? { shown: r.shown } : {}),
      off: r.off === true,
    };
  }

  async cardSent(chatId: number, comune: ComuneCode, messageId: number, sentAt: number, shown: string): Promise<void> {
    await this.db.query(
      `INSERT INTO live_cards (chat_id, comune, message_id, sent_at, shown) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (chat_id, comune) DO UPDATE SET message_id = excluded.message_id, sent_at = excluded.sent_at, shown = excluded.shown`,
      [chatId, comune, messageId, sentAt, shown],
    );
  }

  async cardShown(chatId: number, comune: ComuneCode, shown: string): Promise<void> {
    await this.db.query("UPDATE live_cards SET shown = $1 WHERE chat_id = $2 AND comune = $3", [shown, chatId, comune]);
  }

  async cardLost(chatId: number, comune: ComuneCode): Promise<void> {
    await this.db.query(
      "UPDATE live_cards SET message_id = NULL, sent_at = NULL, shown = NULL WHERE chat_id = $1 AND comune = $2",
      [chatId, comune],
    );
  }

  async setOff(chatId: number, comune: ComuneCode, off: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO live_cards (chat_id, comune, off) VALUES ($1, $2, $3)
       ON CONFLICT (chat_id, comune) DO UPDATE SET off = excluded.off`,
      [chatId, comune, off],
    );
  }

  async isOff(chatId: number, comune: ComuneCode): Promise<boolean> {
    const r = await this.db.one<{ off: boolean }>("SELECT off FROM live_cards WHERE chat_id = $1 AND comune = $2", [
      chatId,
      comune,
    ]);
    return r?.off === true;
  }

  async forgetChat(chatId: number): Promise<void> {
    await this.db.query("DELETE FROM live_cards WHERE chat_id = $1", [chatId]);
  }

  async comuniWithCards(): Promise<ComuneCode[]> {
    const rows = await this.db.query<{ comune: ComuneCode }>(
      "SELECT DISTINCT comune FROM live_cards WHERE message_id IS NOT NULL AND NOT off ORDER BY comune",
    );
    return rows.map((r) => r.comune);
  }
}
