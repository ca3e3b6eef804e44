/**
 * Subscriptions and quiet hours in PostgreSQL: the `subscriptions` and `quiet_hours` tables; the same
 * semantics as the SQLite store's (sqlite/subscriptions.ts). Dropping a subscription, or a chat, settles
 * the outbox's rows no remaining subscription asks for, and a migrated group's queued deliveries follow
 * it, in the same transaction: those statements (removeQueued) write the outbox's tables as its own
 * `complete` does with a row it removes (deleted, counted as removed in its push, the push's delivered
 * record forgotten once nothing of it is queued). Like the outbox's settlements, these transactions are
 * run again when the server aborts one to break a deadlock (see claims.ts).
 */
import { asComuneCode, type ComuneCode } from "../../data/model.js";
import type { Lang } from "../../i18n/index.js";
import {
  NATIONAL,
  type QuietHours,
  type Subscription,
  type SubscriptionRepository,
} from "../contract/subscriptions.js";
import { RELEASE, settling } from "./claims.js";
import type { PgDatabase } from "./connection.js";

/** A subscription as stored: its kind and, for one comune, the comune's code ('' otherwise). */
type SubscriptionKey = { kind: "all" | "comune" | "national"; comune: string };

function subscriptionKey(what: Subscription): SubscriptionKey {
  if (what === null) return { kind: "all", comune: "" };
  if (what === NATIONAL) return { kind: "national", comune: "" };
  return { kind: "comune", comune: what };
}

function subscriptionOf(k: SubscriptionKey): Subscription {
  return k.kind === "all" ? null : k.kind === "national" ? NATIONAL : asComuneCode(k.comune);
}

/** Rows per statement when subscribing many. */
const BATCH = 5000;

/** The chat's queued bulletins no subscription of it asks for any more (`d` the delivery, `b` its bulletin). */
const UNWANTED = `NOT EXISTS (
  SELECT 1 FROM subscriptions s WHERE s.chat_id = d.chat_id
    AND (s.kind = 'all' OR cardinality(b.comuni) = 0 OR (s.kind = 'comune' AND s.comune = ANY (b.comuni))))`;

export class PgSubscriptions implements SubscriptionRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly clock: () => number,
  ) {}

  subscribe(chatId: number, what: Subscription, lang: Lang): Promise<boolean> {
    return this.db.transaction(async () => {
      const key = subscriptionKey(what);
      const added = await this.db.count(
        `INSERT INTO subscriptions (chat_id, kind, comune, lang, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [chatId, key.kind, key.comune, lang, this.clock()],
      );
      await this.db.query("UPDATE subscriptions SET lang = $1 WHERE chat_id = $2", [lang, chatId]);
      return added > 0;
    });
  }

  subscribeMany(entries: Iterable<{ chatId: number; what: Subscription; lang: Lang }>): Promise<number> {
    return this.db.transaction(async () => {
      const now = this.clock();
      let added = 0;
      let batch: { chatId: number; key: SubscriptionKey; lang: Lang }[] = [];
      const flush = async () => {
        if (!batch.length) return;
        // Within a statement as across them, the first row of a subscription is the one added.
        added += await this.db.count(
          `INSERT INTO subscriptions (chat_id, kind, comune, lang, created_at)
           SELECT chat_id, kind, comune, lang, $5 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])
             AS e (chat_id, kind, comune, lang)
           ON CONFLICT DO NOTHING`,
          [
            batch.map((e) => e.chatId),
            batch.map((e) => e.key.kind),
            batch.map((e) => e.key.comune),
            batch.map((e) => e.lang),
            now,
          ],
        );
        // Every subscription of a chat takes the last language given for it.
        const langs = new Map<number, Lang>();
        for (const e of batch) langs.set(e.chatId, e.lang);
        await this.db.query(
          `UPDATE subscriptions s SET lang = l.lang FROM unnest($1::bigint[], $2::text[]) AS l (chat_id, lang)
           WHERE s.chat_id = l.chat_id AND s.lang <> l.lang`,
          [[...langs.keys()], [...langs.values()]],
        );
        batch = [];
      };
      for (const { chatId, what, lang } of entries) {
        batch.push({ chatId, key: subscriptionKey(what), lang });
        if (batch.length === BATCH) await flush();
      }
      await flush();
      return added;
    });
  }

  unsubscribe(chatId: number, what: Subscription | "*"): Promise<number> {
    return settling(this.db, async () => {
      let removed: number;
      if (what === "*") removed = await this.db.count("DELETE FROM subscriptions WHERE chat_id = $1", [chatId]);
      else {
        const key = subscriptionKey(what);
        removed = await this.db.count("DELETE FROM subscriptions WHERE chat_id = $1 AND kind = $2 AND comune = $3", [
          chatId,
          key.kind,
          key.comune,
        ]);
      }
      // Queued bulletins that no remaining subscription asks for are not sent (counted as removed).
      if (removed > 0) await this.removeQueued(chatId, UNWANTED);
      return removed;
    });
  }

  async subscriptionsOf(chatId: number): Promise<Subscription[]> {
    const rows = await this.db.query<SubscriptionKey>(
      "SELECT kind, comune FROM subscriptions WHERE chat_id = $1 ORDER BY kind = 'comune', kind, comune",
      [chatId],
    );
    return rows.map(subscriptionOf);
  }

  async quietHoursOf(chatId: number): Promise<QuietHours | undefined> {
    const r = await this.db.one<{ from_minute: number; to_minute: number }>(
      "SELECT from_minute, to_minute FROM quiet_hours WHERE chat_id = $1",
      [chatId],
    );
    return r && { from: r.from_minute, to: r.to_minute };
  }

  async setQuietHours(chatId: number, quiet: QuietHours | undefined): Promise<void> {
    if (quiet)
      await this.db.query(
        `INSERT INTO quiet_hours (chat_id, from_minute, to_minute) VALUES ($1, $2, $3)
         ON CONFLICT (chat_id) DO UPDATE SET from_minute = excluded.from_minute, to_minute = excluded.to_minute`,
        [chatId, quiet.from, quiet.to],
      );
    else await this.db.query("DELETE FROM quiet_hours WHERE chat_id = $1", [chatId]);
  }

  async subscriberStats(): Promise<{ subscriptions: number; chats: number }> {
    const r = await this.db.one<{ subscriptions: number; chats: number }>(
      "SELECT count(*)::int AS subscriptions, count(DISTINCT chat_id)::int AS chats FROM subscriptions",
    );
    return r!;
  }

  async followerCounts(): Promise<Map<ComuneCode, number>> {
    const rows = await this.db.query<{ comune: string; n: number }>(
      "SELECT comune, count(DISTINCT chat_id)::int AS n FROM subscriptions WHERE kind = 'comune' GROUP BY comune",
    );
    return new Map(rows.map((r) => [r.comune as ComuneCode, r.n]));
  }

  async recipientCount(comuni: readonly ComuneCode[]): Promise<number> {
    if (!comuni.length) return (await this.subscriberStats()).chats;
    // The chats a push would reach: those following everything or one of these comuni (not those
    // following national bulletins only).
    const r = await this.db.one<{ n: number }>(
      `SELECT count(DISTINCT chat_id)::int AS n FROM subscriptions
       WHERE kind = 'all' OR (kind = 'comune' AND comune = ANY ($1::text[]))`,
      [comuni],
    );
    return r!.n;
  }

  removeChat(chatId: number): Promise<number> {
    return settling(this.db, async () => {
      await this.removeQueued(chatId);
      await this.db.query("DELETE FROM quiet_hours WHERE chat_id = $1", [chatId]);
      return this.db.count("DELETE FROM subscriptions WHERE chat_id = $1", [chatId]);
    });
  }

  migrateChat(from: number, to: number): Promise<void> {
    return settling(this.db, async () => {
      await this.db.query(
        `INSERT INTO subscriptions (chat_id, kind, comune, lang, created_at)
         SELECT $1, kind, comune, lang, created_at FROM subscriptions WHERE chat_id = $2
         ON CONFLICT DO NOTHING`,
        [to, from],
      );
      await this.db.query("DELETE FROM subscriptions WHERE chat_id = $1", [from]);
      await this.db.query(
        `INSERT INTO quiet_hours (chat_id, from_minute, to_minute)
         SELECT $1, from_minute, to_minute FROM quiet_hours WHERE chat_id = $2
         ON CONFLICT DO NOTHING`,
        [to, from],
      );
      await this.db.query("DELETE FROM quiet_hours WHERE chat_id = $1", [from]);
      // Queued deliveries follow the supergroup, except where it already had the bulletin (delivered
      // to it, or queued for it): those are duplicates, settled as removed. A moved row is released:
      // a send in flight went to the old chat, and any instance may send it to the new one at once.
      await this.db.query(
        `UPDATE deliveries d SET chat_id = $1, ${RELEASE}
         WHERE d.chat_id = $2
           AND NOT EXISTS (SELECT 1 FROM delivered x WHERE x.seq = d.seq AND x.chat_id = $1)
           AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.seq = d.seq AND e.chat_id = $1)`,
        [to, from],
      );
      await this.removeQueued(from);
    });
  }

  /**
   * Settles as removed the chat's queued deliveries (those `filter` selects, SQL over `d` the delivery
   * and `b` its bulletin): deleted, counted in their pushes, and a push with nothing left queued
   * forgets its delivered record; as the outbox settles one row, for all of them in three statements.
   */
  private async removeQueued(chatId: number, filter = "true"): Promise<void> {
    const gone = await this.db.query<{ seq: number }>(
      `DELETE FROM deliveries d USING bulletins b WHERE d.seq = b.seq AND d.chat_id = $1 AND ${filter} RETURNING d.seq`,
      [chatId],
    );
    if (!gone.length) return;
    // One row per bulletin for a chat. The pushes are locked in seq order: two chats settled at once
    // (each holding its own rows) never wait for each other in a cycle.
    await this.db.query(
      `WITH locked AS MATERIALIZED (SELECT seq FROM pushes WHERE seq = ANY ($1::int[]) ORDER BY seq FOR UPDATE),
       counted AS (
         UPDATE pushes p SET removed = p.removed + 1, remaining = p.remaining - 1,
           finished_at = CASE WHEN p.remaining = 1 THEN $2::bigint END
         FROM locked l WHERE p.seq = l.seq
         RETURNING p.seq, p.remaining
       )
       DELETE FROM delivered WHERE seq IN (SELECT seq FROM counted WHERE remaining = 0)`,
      [gone.map((r) => r.seq), this.clock()],
    );
  }
}
