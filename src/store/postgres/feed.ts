/**
 * The feed's state, announcement keys and review drafts in PostgreSQL (see contract/feed.ts); the same
 * semantics as the SQLite store's (sqlite/feed.ts). Many rows at once (the state of every comune, a
 * night's announcements) go in one statement per batch rather than one round trip each.
 */
import type { ComuneCode } from "../../data/model.js";
import type { Audience } from "../contract/bulletins.js";
import type { Announcement, Draft, DraftStatus, FeedStore } from "../contract/feed.js";
import { type PgDatabase, toNumber } from "./connection.js";

interface DraftRow {
  id: number;
  bulletin_id: string;
  text: string;
  comuni: ComuneCode[];
  audience: Audience;
  created_at: string;
  status: DraftStatus;
  decided_by: string | null;
  decided_at: string | null;
}

const toDraft = (r: DraftRow): Draft => ({
  id: r.id,
  bulletinId: r.bulletin_id,
  text: r.text,
  comuni: r.comuni,
  audience: r.audience,
  createdAt: toNumber(r.created_at),
  status: r.status,
  ...(r.decided_by !== null ? { decidedBy: toNumber(r.decided_by) } : {}),
  ...(r.decided_at !== null ? { decidedAt: toNumber(r.decided_at) } : {}),
});

/** Rows per statement when writing many. */
const BATCH = 5000;

function* batches<T>(items: Iterable<T>, size = BATCH): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** The upper bound of the keys starting with `prefix` (the tables' keys sort bytewise: COLLATE "C"). */
const prefixEnd = (prefix: string) => `${prefix}\uffff`;

/** The feed's tables, on the database of a PostgreSQL store (its migrations created them). */
export class PgFeedStore implements FeedStore {
  constructor(private readonly db: PgDatabase) {}

  stateEntries(prefix: string): Promise<{ key: string; value: string }[]> {
    return this.db.query<{ key: string; value: string }>(
      "SELECT key, value FROM feed_state WHERE key >= $1 AND key < $2 ORDER BY key",
      [prefix, prefixEnd(prefix)],
    );
  }

  saveState(entries: Iterable<{ key: string; value: string }>, deleted: Iterable<string> = []): Promise<void> {
    return this.db.transaction(async () => {
      // The last value given for a key wins, as writing them one by one would.
      const values = new Map<string, string>();
      for (const e of entries) values.set(e.key, e.value);
      for (const batch of batches(values)) {
        await this.db.query(
          `INSERT INTO feed_state (key, value) SELECT * FROM unnest($1::text[], $2::text[])
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          [batch.map(([k]) => k), batch.map(([, v]) => v)],
        );
      }
      for (const batch of batches(deleted))
        await this.db.query("DELETE FROM feed_state WHERE key = ANY($1::text[])", [batch]);
    });
  }

  async announcedKeys(prefix: string): Promise<Set<string>> {
    const rows = await this.db.query<{ key: string }>(
      "SELECT key FROM feed_announcements WHERE key >= $1 AND key < $2",
      [prefix, prefixEnd(prefix)],
    );
    return new Set(rows.map((r) => r.key));
  }

  async lastAnnouncedAt(comune: string, kinds: readonly string[]): Promise<number | undefined> {
    const r = await this.db.one<{ at: string | null }>(
      "SELECT max(at) AS at FROM feed_announcements WHERE comune = $1 AND kind = ANY($2::text[])",
      [comune, kinds],
    );
    return toNumber(r?.at) ?? undefined;
  }

  recordAnnouncements(rows: readonly Announcement[]): Promise<number> {
    return this.db.transaction(async () => {
      let fresh = 0;
      // Within one statement, as across them, the first row of a key is the one kept.
      for (const batch of batches(rows)) {
        fresh += await this.db.count(
          `INSERT INTO feed_announcements (key, comune, kind, at, bulletin, draft)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::integer[])
           ON CONFLICT (key) DO NOTHING`,
          [
            batch.map((r) => r.key),
            batch.map((r) => r.comune),
            batch.map((r) => r.kind),
            batch.map((r) => r.at),
            batch.map((r) => r.bulletin ?? null),
            batch.map((r) => r.draft ?? null),
          ],
        );
      }
      return fresh;
    });
  }

  async addDraft(d: Omit<Draft, "id" | "status" | "decidedBy" | "decidedAt">): Promise<number> {
    const r = await this.db.one<{ id: number }>(
      "INSERT INTO feed_drafts (bulletin_id, text, comuni, audience, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      [d.bulletinId, d.text, d.comuni, d.audience, d.createdAt],
    );
    return r!.id;
  }

  async draft(id: number): Promise<Draft | undefined> {
    const r = await this.db.one<DraftRow>("SELECT * FROM feed_drafts WHERE id = $1", [id]);
    return r && toDraft(r);
  }

  async decideDraft(id: number, status: Exclude<DraftStatus, "pending">, by: number, at: number): Promise<boolean> {
    const n = await this.db.count(
      "UPDATE feed_drafts SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND status = 'pending'",
      [status, by, at, id],
    );
    return n > 0;
  }

  async pendingDrafts(): Promise<Draft[]> {
    const rows = await this.db.query<DraftRow>("SELECT * FROM feed_drafts WHERE status = 'pending' ORDER BY id");
    return rows.map(toDraft);
  }

  async followedComuni(): Promise<Set<ComuneCode>> {
    const rows = await this.db.query<{ comune: ComuneCode }>(
      "SELECT DISTINCT comune FROM subscriptions WHERE kind = 'comune'",
    );
    return new Set(rows.map((r) => r.comune));
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }
}
