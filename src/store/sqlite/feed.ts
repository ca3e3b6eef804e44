/**
 * The feed's state, announcement keys and review drafts in the bot's SQLite database (tables of
 * migration v10; see contract/feed.ts).
 */
import type Database from "better-sqlite3";
import type { ComuneCode } from "../../data/model.js";
import type { Audience } from "../contract/bulletins.js";
import type { Announcement, Draft, DraftStatus, FeedStore } from "../contract/feed.js";
import type { Synchronous } from "./synchronous.js";

interface DraftRow {
  id: number;
  bulletin_id: string;
  text: string;
  comuni: string;
  audience: Audience;
  created_at: number;
  status: DraftStatus;
  decided_by: number | null;
  decided_at: number | null;
}

const toDraft = (r: DraftRow): Draft => ({
  id: r.id,
  bulletinId: r.bulletin_id,
  text: r.text,
  comuni: JSON.parse(r.comuni) as ComuneCode[],
  audience: r.audience,
  createdAt: r.created_at,
  status: r.status,
  ...(r.decided_by !== null ? { decidedBy: r.decided_by } : {}),
  ...(r.decided_at !== null ? { decidedAt: r.decided_at } : {}),
});

/**
 * The feed's tables, on the database of a SqliteStore (the migrations there created them). Synchronous;
 * the store's `feed` is its async form, with the store's transaction.
 */
export class SqliteFeedStore implements Omit<Synchronous<FeedStore>, "transaction"> {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      state: db.prepare<[string, string], { key: string; value: string }>(
        "SELECT key, value FROM feed_state WHERE key >= ? AND key < ? ORDER BY key",
      ),
      put: db.prepare(
        "INSERT INTO feed_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
      del: db.prepare("DELETE FROM feed_state WHERE key = ?"),
      keys: db.prepare<[string, string], { key: string }>(
        "SELECT key FROM feed_announcements WHERE key >= ? AND key < ?",
      ),
      last: db.prepare<[string, string], { at: number | null }>(
        "SELECT max(at) AS at FROM feed_announcements WHERE comune = ? AND kind IN (SELECT value FROM json_each(?))",
      ),
      record: db.prepare(
        "INSERT OR IGNORE INTO feed_announcements (key, comune, kind, at, bulletin, draft) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      addDraft: db.prepare(
        "INSERT INTO feed_drafts (bulletin_id, text, comuni, audience, created_at) VALUES (?, ?, ?, ?, ?)",
      ),
      draft: db.prepare<[number], DraftRow>("SELECT * FROM feed_drafts WHERE id = ?"),
      decide: db.prepare(
        "UPDATE feed_drafts SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
      ),
      pending: db.prepare<[], DraftRow>("SELECT * FROM feed_drafts WHERE status = 'pending' ORDER BY id"),
      followed: db.prepare<[], { comune: ComuneCode }>(
        "SELECT DISTINCT comune FROM subscriptions WHERE kind = 'comune'",
      ),
    };
  }

  stateEntries(prefix: string): { key: string; value: string }[] {
    return this.q.state.all(prefix, `${prefix}\uffff`);
  }

  saveState(entries: Iterable<{ key: string; value: string }>, deleted: Iterable<string> = []): void {
    this.db.transaction(() => {
      for (const e of entries) this.q.put.run(e.key, e.value);
      for (const k of deleted) this.q.del.run(k);
    })();
  }

  announcedKeys(prefix: string): Set<string> {
    return new Set(this.q.keys.all(prefix, `${prefix}\uffff`).map((r) => r.key));
  }

  lastAnnouncedAt(comune: string, kinds: readonly string[]): number | undefined {
    return this.q.last.get(comune, JSON.stringify(kinds))?.at ?? undefined;
  }

  recordAnnouncements(rows: readonly Announcement[]): number {
    return this.db.transaction(() => {
      let fresh = 0;
      for (const r of rows)
        fresh += this.q.record.run(r.key, r.comune, r.kind, r.at, r.bulletin ?? null, r.draft ?? null).changes;
      return fresh;
    })();
  }

  addDraft(d: Omit<Draft, "id" | "status" | "decidedBy" | "decidedAt">): number {
    return Number(
      this.q.addDraft.run(d.bulletinId, d.text, JSON.stringify(d.comuni), d.audience, d.createdAt).lastInsertRowid,
    );
  }

  draft(id: number): Draft | undefined {
    const r = this.q.draft.get(id);
    return r && toDraft(r);
  }

  decideDraft(id: number, status: Exclude<DraftStatus, "pending">, by: number, at: number): boolean {
    return this.q.decide.run(status, by, at, id).changes > 0;
  }

  pendingDrafts(): Draft[] {
    return this.q.pending.all().map(toDraft);
  }

  followedComuni(): Set<ComuneCode> {
    return new Set(this.q.followed.all().map((r) => r.comune));
  }
}
