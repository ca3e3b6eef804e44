/**
 * The newsroom's drafts in PostgreSQL: the `drafts` table; the same semantics as the SQLite store's
 * (sqlite/drafts.ts). Settling a draft locks its row first, so that two instances (or two presses)
 * settling it at once take turns: the second finds it closed.
 */
import type { ComuneCode } from "../../data/model.js";
import { trusted } from "../../format/html.js";
import type { Lang } from "../../i18n/index.js";
import type { Draft, DraftKind, DraftRepository, DraftSettlement, NewDraft } from "../contract/drafts.js";
import { type PgDatabase, toNumber } from "./connection.js";

interface DraftRow {
  id: number;
  kind: DraftKind;
  user_id: string;
  chat_id: string;
  message_id: number | null;
  lang: Lang;
  text: string;
  html: string | null;
  comuni: ComuneCode[];
  target: number | null;
  created_at: string;
  expires_at: string;
  state: Draft["state"];
  result: number | null;
}

const toDraft = (r: DraftRow): Draft => ({
  id: r.id,
  kind: r.kind,
  userId: toNumber(r.user_id),
  chatId: toNumber(r.chat_id),
  lang: r.lang,
  text: r.text,
  comuni: r.comuni,
  createdAt: toNumber(r.created_at),
  expiresAt: toNumber(r.expires_at),
  state: r.state,
  ...(r.message_id !== null ? { messageId: r.message_id } : {}),
  // Stored as the editor's formatting was checked when the draft was made.
  ...(r.html !== null ? { html: trusted(r.html) } : {}),
  ...(r.target !== null ? { target: r.target } : {}),
  ...(r.result !== null ? { result: r.result } : {}),
});

/** Drafts older than this are forgotten (long past their expiry). */
const DRAFT_KEEP_MS = 24 * 3600_000;

export class PgDrafts implements DraftRepository {
  constructor(private readonly db: PgDatabase) {}

  createDraft(d: NewDraft): Promise<Draft> {
    return this.db.transaction(async () => {
      await this.db.query("DELETE FROM drafts WHERE created_at < $1", [d.createdAt - DRAFT_KEEP_MS]);
      const row = await this.db.one<DraftRow>(
        `INSERT INTO drafts (kind, user_id, chat_id, lang, text, html, comuni, target, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [
          d.kind,
          d.userId,
          d.chatId,
          d.lang,
          d.text,
          d.html ?? null,
          d.comuni,
          d.target ?? null,
          d.createdAt,
          d.expiresAt,
        ],
      );
      return toDraft(row!);
    });
  }

  async draft(id: number): Promise<Draft | undefined> {
    const r = await this.db.one<DraftRow>("SELECT * FROM drafts WHERE id = $1", [id]);
    return r && toDraft(r);
  }

  async setDraftMessage(id: number, messageId: number): Promise<void> {
    await this.db.query("UPDATE drafts SET message_id = $1 WHERE id = $2", [messageId, id]);
  }

  async setDraftComuni(id: number, comuni: readonly ComuneCode[]): Promise<void> {
    await this.db.query("UPDATE drafts SET comuni = $1 WHERE id = $2 AND state = 'open'", [comuni, id]);
  }

  settleDraft(
    id: number,
    now: number,
    to: "done" | "cancelled",
    act?: (d: Draft) => Promise<number | undefined>,
  ): Promise<DraftSettlement> {
    return this.db.transaction(async (): Promise<DraftSettlement> => {
      const r = await this.db.one<DraftRow>("SELECT * FROM drafts WHERE id = $1 FOR UPDATE", [id]);
      if (r?.state !== "open") return { ok: false, draft: r && toDraft(r) };
      const close = (state: Draft["state"], result: number | null) =>
        this.db.query("UPDATE drafts SET state = $1, result = $2 WHERE id = $3", [state, result, id]);
      if (toNumber(r.expires_at) <= now) {
        await close("expired", null);
        return { ok: false, draft: { ...toDraft(r), state: "expired" } };
      }
      const draft = toDraft(r);
      // What confirming makes (a bulletin, an amendment) joins this transaction: kept only with the draft closed.
      const result = to === "done" ? await act?.(draft) : undefined;
      await close(to, result ?? null);
      return { ok: true, draft: { ...draft, state: to, ...(result !== undefined ? { result } : {}) }, result };
    });
  }
}
