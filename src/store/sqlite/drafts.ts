/** The newsroom's drafts in SQLite: the `drafts` table. */
import type Database from "better-sqlite3";
import type { ComuneCode } from "../../data/model.js";
import type { Lang } from "../../i18n/index.js";
import type { Draft, DraftKind, DraftRepository, DraftSettlement, NewDraft } from "../contract/drafts.js";
import { storedHtml } from "./bulletins.js";
import type { Synchronous } from "./synchronous.js";

interface DraftRow {
  id: number;
  kind: DraftKind;
  user_id: number;
  chat_id: number;
  message_id: number | null;
  lang: Lang;
  text: string;
  html: string | null;
  comuni: string;
  target: number | null;
  created_at: number;
  expires_at: number;
  state: Draft["state"];
  result: number | null;
}

const toDraft = (r: DraftRow): Draft => ({
  id: r.id,
  kind: r.kind,
  userId: r.user_id,
  chatId: r.chat_id,
  lang: r.lang,
  text: r.text,
  comuni: JSON.parse(r.comuni) as ComuneCode[],
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  state: r.state,
  ...(r.message_id !== null ? { messageId: r.message_id } : {}),
  ...(r.html !== null ? { html: storedHtml(r.html) } : {}),
  ...(r.target !== null ? { target: r.target } : {}),
  ...(r.result !== null ? { result: r.result } : {}),
});

/** Drafts older than this are forgotten (long past their expiry). */
const DRAFT_KEEP_MS = 24 * 3600_000;

/**
 * The drafts' repository; settling a draft is split in two steps (open, close) because what confirming
 * does (`act`) is asynchronous: the facade runs both steps and `act` in one transaction.
 */
export class SqliteDrafts implements Omit<Synchronous<DraftRepository>, "settleDraft"> {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      insertDraft: db.prepare<
        [DraftKind, number, number, Lang, string, string | null, string, number | null, number, number],
        DraftRow
      >(
        `INSERT INTO drafts (kind, user_id, chat_id, lang, text, html, comuni, target, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      ),
      draft: db.prepare<[number], DraftRow>("SELECT * FROM drafts WHERE id = ?"),
      draftMessage: db.prepare("UPDATE drafts SET message_id = ? WHERE id = ?"),
      draftComuni: db.prepare("UPDATE drafts SET comuni = ? WHERE id = ? AND state = 'open'"),
      closeDraft: db.prepare("UPDATE drafts SET state = ?, result = ? WHERE id = ?"),
      forgetDrafts: db.prepare("DELETE FROM drafts WHERE created_at < ?"),
    };
  }

  createDraft(d: NewDraft): Draft {
    return this.db.transaction(() => {
      this.q.forgetDrafts.run(d.createdAt - DRAFT_KEEP_MS);
      const row = this.q.insertDraft.get(
        d.kind,
        d.userId,
        d.chatId,
        d.lang,
        d.text,
        d.html ?? null,
        JSON.stringify(d.comuni),
        d.target ?? null,
        d.createdAt,
        d.expiresAt,
      )!;
      return toDraft(row);
    })();
  }

  draft(id: number): Draft | undefined {
    const r = this.q.draft.get(id);
    return r && toDraft(r);
  }

  setDraftMessage(id: number, messageId: number): void {
    this.q.draftMessage.run(messageId, id);
  }

  setDraftComuni(id: number, comuni: readonly ComuneCode[]): void {
    this.q.draftComuni.run(JSON.stringify(comuni), id);
  }

  /**
   * The first step of settling a draft: the draft if it is open and not past its expiry (then it is
   * marked expired), or why not. Run it in the same transaction as closeDraft.
   */
  openDraft(id: number, now: number): { ok: true; draft: Draft } | { ok: false; draft: Draft | undefined } {
    const r = this.q.draft.get(id);
    if (r?.state !== "open") return { ok: false, draft: r && toDraft(r) };
    if (r.expires_at <= now) {
      this.q.closeDraft.run("expired", null, id);
      return { ok: false, draft: { ...toDraft(r), state: "expired" } };
    }
    return { ok: true, draft: toDraft(r) };
  }

  /** The second step: closes an open draft (see openDraft) as done, with what it made, or cancelled. */
  closeDraft(draft: Draft, to: "done" | "cancelled", result: number | undefined): DraftSettlement {
    this.q.closeDraft.run(to, result ?? null, draft.id);
    return { ok: true, draft: { ...draft, state: to, ...(result !== undefined ? { result } : {}) }, result };
  }
}
