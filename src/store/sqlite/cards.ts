/**
 * The live cards in the bot's SQLite database (table `live_cards`, created by migration v11 in
 * migrations.ts), reading the followers from its `subscriptions`.
 */
import type Database from "better-sqlite3";
import type { ComuneCode } from "../../data/model.js";
import type { Lang } from "../../i18n/index.js";
import type { CardState, LiveCardStore } from "../contract/cards.js";
import type { Synchronous } from "./synchronous.js";

/** The SQLite live cards, on the bot's own database (already migrated by SqliteStore). */
export class SqliteLiveCardStore implements Synchronous<LiveCardStore> {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      followers: db.prepare<{ comune: ComuneCode; after: number; limit: number }, { chat_id: number }>(
        `SELECT s.chat_id FROM subscriptions s
         WHERE s.kind = 'comune' AND s.comune = $comune AND s.chat_id > $after
           AND NOT EXISTS (SELECT 1 FROM live_cards l WHERE l.chat_id = s.chat_id AND l.comune = s.comune AND l.off = 1)
         ORDER BY s.chat_id LIMIT $limit`,
      ),
      card: db.prepare<
        [number, ComuneCode],
        { lang: Lang; message_id: number | null; sent_at: number | null; shown: string | null; off: number | null }
      >(
        `SELECT s.lang, l.message_id, l.sent_at, l.shown, l.off FROM subscriptions s
         LEFT JOIN live_cards l ON l.chat_id = s.chat_id AND l.comune = s.comune
         WHERE s.chat_id = ? AND s.kind = 'comune' AND s.comune = ?`,
      ),
      sent: db.prepare(
        `INSERT INTO live_cards (chat_id, comune, message_id, sent_at, shown) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (chat_id, comune) DO UPDATE SET message_id = excluded.message_id, sent_at = excluded.sent_at, shown = excluded.shown`,
      ),
      shown: db.prepare("UPDATE live_cards SET shown = ? WHERE chat_id = ? AND comune = ?"),
      lost: db.prepare(
        "UPDATE live_cards SET message_id = NULL, sent_at = NULL, shown = NULL WHERE chat_id = ? AND comune = ?",
      ),
      setOff: db.prepare(
        `INSERT INTO live_cards (chat_id, comune, off) VALUES (?, ?, ?)
         ON CONFLICT (chat_id, comune) DO UPDATE SET off = excluded.off`,
      ),
      isOff: db.prepare<[number, ComuneCode], { off: number }>(
        "SELECT off FROM live_cards WHERE chat_id = ? AND comune = ?",
      ),
      forget: db.prepare("DELETE FROM live_cards WHERE chat_id = ?"),
      comuni: db.prepare<[], { comune: ComuneCode }>(
        "SELECT DISTINCT comune FROM live_cards WHERE message_id IS NOT NULL AND off = 0 ORDER BY comune",
      ),
    };
  }

  followers(comune: ComuneCode, after: number, limit: number): number[] {
    return this.q.followers.all({ comune, after, limit }).map((r) => r.chat_id);
  }

  card(chatId: number, comune: ComuneCode): CardState | undefined {
    const r = this.q.card.get(chatId, comune);
    if (!r) return undefined;
    return {
      lang: r.lang,
      ...(r.message_id !== null ? { messageId: r.message_id } : {}),
      ...(r.sent_at !== null ? { sentAt: r.sent_at } : {}),
      ...(r.shown !== null ? { shown: r.shown } : {}),
      off: r.off === 1,
    };
  }

  cardSent(chatId: number, comune: ComuneCode, messageId: number, sentAt: number, shown: string): void {
    this.q.sent.run(chatId, comune, messageId, sentAt, shown);
  }

  cardShown(chatId: number, comune: ComuneCode, shown: string): void {
    this.q.shown.run(shown, chatId, comune);
  }

  cardLost(chatId: number, comune: ComuneCode): void {
    this.q.lost.run(chatId, comune);
  }

  setOff(chatId: number, comune: ComuneCode, off: boolean): void {
    this.q.setOff.run(chatId, comune, off ? 1 : 0);
  }

  isOff(chatId: number, comune: ComuneCode): boolean {
    return this.q.isOff.get(chatId, comune)?.off === 1;
  }

  forgetChat(chatId: number): void {
    this.q.forget.run(chatId);
  }

  comuniWithCards(): ComuneCode[] {
    return this.q.comuni.all().map((r) => r.comune);
  }
}
