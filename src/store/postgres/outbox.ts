/**
 * The outbox in PostgreSQL, shared by several bot instances on one database: `deliveries` (one row per
 * bulletin and chat until it is sent), `pushes` (each bulletin's counters and report), `delivered` (the
 * groups a push reached, while it runs) and `copies` (the message of every delivery, for corrections).
 * Its counts and due times cover the outbox's second kind of row too, `amendment_jobs` (PgAmendments).
 * The semantics are the SQLite engine's (sqlite/outbox.ts); what PostgreSQL adds is claims.
 *
 * Claims (see claims.ts): every delivery is sent by exactly one instance. Only a chat's first pending
 * row is ever claimable, so a chat's bulletins go out in order whichever instance sends them.
 *
 * Besides the contract, the other PostgreSQL repositories call its methods below the contract, inside
 * their own transactions: a bulletin's push (enqueue), a withdrawal (dropQueued), a correction's new
 * comuni (reroute). A chat unsubscribed, gone or migrated settles its rows in PgSubscriptions' own
 * statements.
 */
import { randomUUID } from "node:crypto";
import type { Lang } from "../../i18n/index.js";
import type { NewBulletin, PushOptions } from "../contract/bulletins.js";
import {
  countsByPush,
  type Delivery,
  type OutboxRepository,
  type Outcome,
  type PushReport,
  type SentCopy,
  type Terminal,
} from "../contract/outbox.js";
import { type ClaimOptions, claim, claimable, DEFAULT_LEASE_MS, named, RELEASE, settling } from "./claims.js";
import { type Int8, type PgDatabase, toNumber } from "./connection.js";
import { concernsChat, newlyConcerned, REACH, type Reach, reachParams } from "./reach.js";

/** A BIGINT column as the driver hands it over (a string); INTEGER ones come as numbers. */

interface PushRow {
  seq: number;
  bulletin_id: string;
  bulletin_text: string;
  requested_by: Int8 | null;
  lang: Lang;
  started_at: Int8;
  finished_at: Int8 | null;
  total: number;
  delivered: number;
  removed: number;
  skipped: number;
  failed: number;
  possibly_duplicated: number;
}

const toPush = (r: PushRow): PushReport => ({
  seq: r.seq,
  bulletinId: r.bulletin_id,
  bulletinText: r.bulletin_text,
  requestedBy: toNumber(r.requested_by) ?? null,
  lang: r.lang,
  startedAt: toNumber(r.started_at),
  finishedAt: toNumber(r.finished_at) ?? null,
  total: r.total,
  delivered: r.delivered,
  removed: r.removed,
  skipped: r.skipped,
  failed: r.failed,
  possiblyDuplicated: r.possibly_duplicated,
});

/** The columns of a push's report. */
const PUSH_REPORT = `p.seq, b.id AS bulletin_id, b.text AS bulletin_text, p.requested_by, p.lang, p.started_at,
  p.finished_at, p.total, p.delivered, p.removed, p.skipped, p.failed, p.possibly_duplicated`;

/** The outcome's counter on `pushes` (the column name is one of these, never a caller's string). */
const COUNTER: Record<Terminal, string> = { delivered: "delivered", failed: "failed", skipped: "skipped" };

/**
 * A push's counter moved by `n` settled deliveries (placeholders: $1 n, $2 now, $3 seq): finished once
 * nothing of it remains.
 */
const settle = (counter: string) =>
  `UPDATE pushes SET ${counter} = ${counter} + $1::int, remaining = remaining - $1::int,
     finished_at = CASE WHEN remaining = $1::int THEN $2::bigint END
   WHERE seq = $3 RETURNING remaining`;

/**
 * The chats a new bulletin goes to, with their language (placeholder $2: its comuni, text[]): every
 * subscribed chat for a national one; the chats following everything or one of its comuni (not those
 * following national bulletins only); the followers of its comuni for the feed's bulletins for followers.
 */
const RECIPIENTS = {
  all: "SELECT chat_id, max(lang) AS lang FROM subscriptions GROUP BY chat_id",
  comuni: `SELECT chat_id, max(lang) AS lang FROM subscriptions
    WHERE kind = 'all' OR (kind = 'comune' AND comune = ANY ($2::text[])) GROUP BY chat_id`,
  followers: `SELECT chat_id, max(lang) AS lang FROM subscriptions
    WHERE kind = 'comune' AND comune = ANY ($2::text[]) GROUP BY chat_id`,
} as const;

/**
 * Queues a new bulletin ($1) for its recipients in one statement, however many. A chat's new delivery is
 * due no earlier than its postponed ones (see postpone), looked up while inserting from the due-time
 * index (postponed rows only); the time is rounded up to the second, as SQLite does, so that new rows
 * land on few points of that index.
 */
const enqueue = (recipients: string) =>
  `INSERT INTO deliveries (seq, chat_id, lang, due_at)
   SELECT $1::int, r.chat_id, r.lang, coalesce((p.due_at + 999) / 1000 * 1000, 0)
   FROM (${recipients}) r
   LEFT JOIN (SELECT chat_id, max(due_at) AS due_at FROM deliveries WHERE due_at > 0 GROUP BY chat_id) p
     USING (chat_id)`;

const KEY = ["seq", "chat_id"] as const;
const RETURNING = "t.seq, t.chat_id, t.lang, t.attempts";
/** A delivery taken over in flight is counted on its push (see claims.ts). */
const TALLY = { table: "pushes", key: "seq" } as const;

/**
 * Due deliveries claimable by this instance, after the cursor (or from the start), in publication
 * order, claimed: rows no instance holds (unclaimed, this instance's own, or expired), whose chat has
 * nothing older pending anywhere. SKIP LOCKED passes over rows another instance is claiming right now;
 * FOR UPDATE re-reads a row claimed meanwhile, which then no longer qualifies.
 */
const dueDeliveries = (after: boolean) =>
  named(
    `WITH due AS (
       SELECT d.seq, d.chat_id FROM deliveries d
       WHERE ${after ? "(d.seq, d.chat_id) > ($afterSeq::bigint, $afterChat::bigint) AND " : ""}d.due_at <= $now
         AND ${claimable("d")}
         AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.chat_id = d.chat_id AND e.seq < d.seq)
       ORDER BY d.seq, d.chat_id LIMIT $limit
       FOR UPDATE OF d SKIP LOCKED),
     ${claim({ table: "deliveries", key: KEY, returning: RETURNING, send: false, tally: TALLY })}
     SELECT seq, chat_id, lang, attempts FROM claimed ORDER BY seq, chat_id`,
    after ? ["afterSeq", "afterChat", "now", "me", "limit", "until"] : ["now", "me", "limit", "until"],
  );

/**
 * The finished, unreported rows of `table` (pushes or amendments, key `key`) whose report is claimable
 * by `$me` at `$now`, claimed until `$until`, joined to their bulletin for `columns` (table `p`, bulletin `b`).
 */
export const unreported = (table: string, key: string, columns: string) =>
  named(
    `WITH due AS (
       SELECT ${key} FROM ${table} r
       WHERE r.finished_at IS NOT NULL AND NOT r.reported
         AND (r.report_claimed_by IS NULL OR r.report_claimed_by = $me OR r.report_claimed_until <= $now)
       FOR UPDATE SKIP LOCKED),
     claimed AS (
       UPDATE ${table} t SET report_claimed_by = $me, report_claimed_until = $until
       FROM due WHERE t.${key} = due.${key} RETURNING t.*)
     SELECT ${columns} FROM claimed p JOIN bulletins b ON b.seq = p.seq ORDER BY p.${key}`,
    ["me", "now", "until"],
  );

const SQL = {
  unreported: unreported("pushes", "seq", PUSH_REPORT),
  dueFirst: dueDeliveries(false),
  dueAfter: dueDeliveries(true),
  // The row as the send finds it: still pending, due, and nobody else's: claimed again for the send.
  isDue: named(
    `WITH due AS (
       SELECT seq, chat_id FROM deliveries
       WHERE seq = $seq AND chat_id = $chat AND due_at <= $now
         AND ${claimable("deliveries")}
       FOR UPDATE SKIP LOCKED),
     ${claim({ table: "deliveries", key: KEY, returning: "t.seq", send: true, tally: TALLY })}
     SELECT 1 AS n FROM claimed`,
    ["seq", "chat", "now", "me", "until"],
  ),
  // isDue for several rows in one statement (their keys as two arrays); SKIP LOCKED: a row another
  // transaction holds right now is not due for this send (it is asked again later).
  stillDue: named(
    `WITH due AS (
       SELECT d.seq, d.chat_id FROM deliveries d
       JOIN unnest($seqs::int[], $chats::bigint[]) AS k (seq, chat_id) ON d.seq = k.seq AND d.chat_id = k.chat_id
       WHERE d.due_at <= $now AND ${claimable("d")}
       FOR UPDATE OF d SKIP LOCKED),
     ${claim({ table: "deliveries", key: KEY, returning: "t.seq, t.chat_id", send: true, tally: TALLY })}
     SELECT seq, chat_id FROM claimed`,
    ["seqs", "chats", "now", "me", "until"],
  ),
  // The settled rows of a batch, deleted (the rows first: see finish).
  dropSettled: `DELETE FROM deliveries d USING unnest($1::int[], $2::bigint[]) AS k (seq, chat_id)
    WHERE d.seq = k.seq AND d.chat_id = k.chat_id RETURNING d.seq, d.chat_id`,
  recordDelivered: `INSERT INTO delivered (seq, chat_id) SELECT * FROM unnest($1::int[], $2::bigint[])
    ON CONFLICT DO NOTHING`,
  // The batch's copies, then those sent while their bulletin was being corrected or withdrawn, taken
  // by its latest amendment (see recordCopy), with that amendment's counters, in one statement.
  recordCopies: `WITH c AS (
      SELECT * FROM unnest($1::int[], $2::bigint[], $3::int[], $4::text[], $5::int[])
        AS c (seq, chat_id, message_id, lang, version)),
    kept AS (
      INSERT INTO copies (seq, chat_id, message_id, lang, version) SELECT * FROM c
      ON CONFLICT (seq, chat_id) DO UPDATE
        SET message_id = excluded.message_id, lang = excluded.lang, version = excluded.version),
    late AS (
      INSERT INTO amendment_jobs (amendment, chat_id, seq, message_id, lang)
      SELECT a.id, c.chat_id, c.seq, c.message_id, c.lang FROM c
      JOIN amendments a ON a.id = (SELECT max(id) FROM amendments WHERE seq = c.seq)
      WHERE a.kind = 'withdraw' OR (SELECT version FROM bulletins WHERE seq = c.seq) > c.version
      ON CONFLICT DO NOTHING
      RETURNING amendment)
    UPDATE amendments a SET total = total + l.n, remaining = remaining + l.n, finished_at = NULL
    FROM (SELECT amendment, count(*)::int AS n FROM late GROUP BY amendment) l WHERE a.id = l.amendment`,
};

export class PgOutbox implements OutboxRepository {
  /** This instance's id among those sharing the database (see ClaimOptions). */
  readonly instance: string;
  /** How long its claims last, ms. */
  readonly leaseMs: number;

  /**
   * @param clock the time recorded for pushes
   * @param claims this instance's id and its claims' lease
   */
  constructor(
    private readonly db: PgDatabase,
    private readonly clock: () => number,
    claims: ClaimOptions = {},
  ) {
    this.instance = claims.instance ?? randomUUID();
    this.leaseMs = claims.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** Queues a bulletin just stored for every matching subscriber, and starts its push; returns the recipients. */
  async enqueue(seq: number, b: NewBulletin, push: PushOptions): Promise<number> {
    const recipients =
      b.audience === "followers"
        ? await this.db.count(enqueue(RECIPIENTS.followers), [seq, b.comuni])
        : b.comuni.length
          ? await this.db.count(enqueue(RECIPIENTS.comuni), [seq, b.comuni])
          : await this.db.count(enqueue(RECIPIENTS.all), [seq]);
    const now = this.clock();
    // A push to nobody is finished at once and has nothing to report.
    await this.db.query(
      `INSERT INTO pushes (seq, requested_by, lang, started_at, total, remaining, finished_at, reported)
       VALUES ($1, $2, $3, $4, $5, $5, $6, $7)`,
      [seq, push.requestedBy, push.lang, now, recipients, recipients === 0 ? now : null, recipients === 0],
    );
    return recipients;
  }

  /** A withdrawn bulletin's queued deliveries are settled as skipped; returns how many. */
  async dropQueued(seq: number): Promise<number> {
    // One statement for the whole push, however large; a send in flight finds its row gone.
    const n = await this.db.count("DELETE FROM deliveries WHERE seq = $1", [seq]);
    if (n > 0) await this.settled(seq, await this.db.query(settle("skipped"), [n, this.clock(), seq]));
    return n;
  }

  /**
   * A correction's comuni decide again who gets it: queued copies for chats it no longer concerns are
   * not sent (removed), the chats it now concerns get it as a new delivery and its push goes on.
   */
  async reroute(r: Reach, now: number): Promise<{ dropped: number; added: number }> {
    const { seq } = r;
    const dropped = await this.db.count(
      `DELETE FROM deliveries WHERE seq = $1 AND NOT ${concernsChat("deliveries.chat_id", "$2", "$3")}`,
      [seq, r.new, r.audience],
    );
    if (dropped > 0) await this.settled(seq, await this.db.query(settle("removed"), [dropped, now, seq]));
    const added = await this.db.count(
      `INSERT INTO deliveries (seq, chat_id, lang) SELECT ${REACH.seq}, chat_id, lang FROM (${newlyConcerned(REACH)}) n`,
      reachParams(r),
    );
    if (added > 0) {
      await this.db.query(
        `UPDATE pushes SET total = total + $1, remaining = remaining + $1, finished_at = NULL, reported = false,
           report_claimed_by = NULL, report_claimed_until = NULL
         WHERE seq = $2`,
        [added, seq],
      );
      // Its new rows are due no earlier than the chat's older postponed ones…
      await this.db.query(
        `UPDATE deliveries d SET due_at = (
           SELECT (max(e.due_at) + 999) / 1000 * 1000 FROM deliveries e WHERE e.chat_id = d.chat_id AND e.seq < d.seq)
         WHERE d.seq = $1 AND d.chat_id IN (SELECT chat_id FROM deliveries WHERE due_at > 0 AND seq < $1)`,
        [seq],
      );
      // …and the chat's newer ones wait for it (see postpone).
      await this.db.query(
        `UPDATE deliveries d SET due_at = a.due_at FROM deliveries a
         WHERE a.seq = $1 AND a.chat_id = d.chat_id AND a.due_at > 0 AND d.seq > $1 AND d.due_at < a.due_at`,
        [seq],
      );
    }
    return { dropped, added };
  }

  /** A bulletin's deliveries still queued. */
  async queued(seq: number): Promise<number> {
    const r = await this.db.one<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE seq = $1", [seq]);
    return r!.n;
  }

  async dueDeliveries(after: { seq: number; chatId: number } | null, now: number, limit: number): Promise<Delivery[]> {
    // The engine asks at least once a second. When nothing is due (everything postponed during an
    // outage) the due-time index answers that at once; the claim below would read far to find nothing.
    const earliest = toNumber((await this.db.one<{ t: Int8 | null }>("SELECT min(due_at) AS t FROM deliveries"))?.t);
    if (earliest === null || earliest === undefined || earliest > now) return [];
    const until = now + this.leaseMs;
    const rows = await this.db.query<{ seq: number; chat_id: Int8; lang: Lang; attempts: number }>(
      after ? SQL.dueAfter : SQL.dueFirst,
      after ? [after.seq, after.chatId, now, this.instance, limit, until] : [now, this.instance, limit, until],
    );
    return rows.map((r) => ({ seq: r.seq, chatId: toNumber(r.chat_id), lang: r.lang, attempts: r.attempts }));
  }

  async isDue(d: Pick<Delivery, "seq" | "chatId">, now: number): Promise<boolean> {
    const rows = await this.db.query(SQL.isDue, [d.seq, d.chatId, now, this.instance, now + this.leaseMs]);
    return rows.length > 0;
  }

  async stillDue(
    ds: readonly Pick<Delivery, "seq" | "chatId">[],
    now: number,
  ): Promise<Pick<Delivery, "seq" | "chatId">[]> {
    if (!ds.length) return [];
    const rows = await this.db.query<{ seq: number; chat_id: Int8 }>(SQL.stillDue, [
      ds.map((d) => d.seq),
      ds.map((d) => d.chatId),
      now,
      this.instance,
      now + this.leaseMs,
    ]);
    const due = new Set(rows.map((r) => `${r.seq}:${toNumber(r.chat_id)}`));
    return ds.filter((d) => due.has(`${d.seq}:${d.chatId}`));
  }

  async nextDueAt(): Promise<number | undefined> {
    const r = await this.db.one<{ t: Int8 | null }>(
      `SELECT least((SELECT min(due_at) FROM deliveries WHERE due_at > 0),
                    (SELECT min(due_at) FROM amendment_jobs WHERE due_at > 0)) AS t`,
    );
    return toNumber(r?.t) ?? undefined;
  }

  async pendingCount(): Promise<number> {
    const r = await this.db.one<{ n: number }>(
      "SELECT ((SELECT count(*) FROM deliveries) + (SELECT count(*) FROM amendment_jobs))::int AS n",
    );
    return r!.n;
  }

  private async finish(seq: number, chatId: number, outcome: Terminal, sent?: SentCopy): Promise<void> {
    // The row first, then its push, then the copy and its amendment: the order in which a correction
    // (amendBulletin) takes the same locks, so that the two never wait for each other.
    if ((await this.db.count("DELETE FROM deliveries WHERE seq = $1 AND chat_id = $2", [seq, chatId])) > 0) {
      // Only a group can turn out to be a supergroup's former self (see migrateChat); private chats are not recorded.
      if (outcome === "delivered" && chatId < 0) {
        await this.db.query("INSERT INTO delivered (seq, chat_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
          seq,
          chatId,
        ]);
      }
      await this.settled(seq, await this.db.query(settle(COUNTER[outcome]), [1, this.clock(), seq]));
    }
    // The message exists whatever became of the row meanwhile (a withdrawal while it was in flight, a
    // claim taken over): its id is kept, and an amendment already under way takes it too.
    if (sent) await this.recordCopy(seq, chatId, sent);
  }

  /** After a push's counters moved: once nothing of it is queued, its delivered record is not needed. */
  private async settled(seq: number, push: { remaining: number }[]): Promise<void> {
    if (push[0]?.remaining === 0) {
      await this.db.query("DELETE FROM delivered WHERE seq = $1", [seq]);
    }
  }

  complete(d: Pick<Delivery, "seq" | "chatId">, outcome: Terminal, sent?: SentCopy): Promise<void> {
    return settling(this.db, () => this.finish(d.seq, d.chatId, outcome, sent));
  }

  /**
   * finish for a batch, in one transaction of a few statements whatever its size: the rows, then each
   * push's counters (in seq order, as every transaction here locks pushes), then the copies and the
   * amendments that take late ones.
   */
  completeMany(outcomes: readonly Outcome[]): Promise<void> {
    if (!outcomes.length) return Promise.resolve();
    return settling(this.db, async () => {
      const gone = await this.db.query<{ seq: number; chat_id: Int8 }>(SQL.dropSettled, [
        outcomes.map((o) => o.d.seq),
        outcomes.map((o) => o.d.chatId),
      ]);
      const settledNow = new Set(gone.map((r) => `${r.seq}:${toNumber(r.chat_id)}`));
      const settled = outcomes.filter((o) => settledNow.delete(`${o.d.seq}:${o.d.chatId}`));
      // Only a group can turn out to be a supergroup's former self (see migrateChat).
      const delivered = settled.filter((o) => o.outcome === "delivered" && o.d.chatId < 0).map((o) => o.d);
      if (delivered.length) {
        await this.db.query(SQL.recordDelivered, [delivered.map((d) => d.seq), delivered.map((d) => d.chatId)]);
      }
      const now = this.clock();
      for (const { seq, outcome, n } of countsByPush(settled)) {
        await this.settled(seq, await this.db.query(settle(COUNTER[outcome]), [n, now, seq]));
      }
      // One copy per delivery: the last outcome given for it wins, as with successive complete calls.
      const copies = new Map<string, { seq: number; chatId: number; sent: SentCopy }>();
      for (const { d, sent } of outcomes) if (sent) copies.set(`${d.seq}:${d.chatId}`, { ...d, sent });
      if (copies.size) {
        const c = [...copies.values()];
        await this.db.query(SQL.recordCopies, [
          c.map((x) => x.seq),
          c.map((x) => x.chatId),
          c.map((x) => x.sent.messageId),
          c.map((x) => x.sent.lang),
          c.map((x) => x.sent.version),
        ]);
      }
    });
  }

  private async recordCopy(seq: number, chatId: number, sent: SentCopy): Promise<void> {
    await this.db.query(
      `INSERT INTO copies (seq, chat_id, message_id, lang, version) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (seq, chat_id) DO UPDATE
         SET message_id = excluded.message_id, lang = excluded.lang, version = excluded.version`,
      [seq, chatId, sent.messageId, sent.lang, sent.version],
    );
    // A copy sent while its bulletin was being corrected or withdrawn (rendered before, recorded
    // after): the latest amendment of the bulletin takes it too.
    const late = await this.db.one<{ amendment: number }>(
      `INSERT INTO amendment_jobs (amendment, chat_id, seq, message_id, lang)
       SELECT a.id, $2, $1, $3, $4 FROM amendments a
       WHERE a.id = (SELECT max(id) FROM amendments WHERE seq = $1)
         AND (a.kind = 'withdraw' OR (SELECT version FROM bulletins WHERE seq = $1) > $5)
       ON CONFLICT DO NOTHING
       RETURNING amendment`,
      [seq, chatId, sent.messageId, sent.lang, sent.version],
    );
    if (late) {
      await this.db.query(
        "UPDATE amendments SET total = total + 1, remaining = remaining + 1, finished_at = NULL WHERE id = $1",
        [late.amendment],
      );
    }
  }

  postpone(d: Pick<Delivery, "seq" | "chatId">, dueAt: number, error: string): Promise<void> {
    // The chat's later bulletins wait for this one: making them due no earlier keeps "nothing is due"
    // answerable from the due-time index alone (a row due but stuck behind a postponed one is not).
    // The claim is released: any instance may send it when it is due.
    return settling(this.db, async () => {
      await this.db.query(
        `UPDATE deliveries SET attempts = attempts + 1, due_at = $1, last_error = $2,
           ${RELEASE}
         WHERE seq = $3 AND chat_id = $4`,
        [dueAt, error.slice(0, 500), d.seq, d.chatId],
      );
      await this.db.query("UPDATE deliveries SET due_at = $1 WHERE chat_id = $2 AND seq > $3 AND due_at < $1", [
        dueAt,
        d.chatId,
        d.seq,
      ]);
    });
  }

  /**
   * Finished pushes not reported yet, claimed for this instance's report (see claims.ts): another
   * instance does not see them until the claim expires, so the newsroom gets each report once.
   */
  async unreportedFinishedPushes(): Promise<PushReport[]> {
    const now = this.clock();
    const rows = await this.db.query<PushRow>(SQL.unreported, [this.instance, now, now + this.leaseMs]);
    return rows.map(toPush);
  }

  async markReported(seq: number): Promise<void> {
    await this.db.query("UPDATE pushes SET reported = true WHERE seq = $1", [seq]);
  }

  async lastPush(): Promise<PushReport | undefined> {
    const r = await this.db.one<PushRow>(
      `SELECT ${PUSH_REPORT} FROM pushes p JOIN bulletins b USING (seq) ORDER BY seq DESC LIMIT 1`,
    );
    return r && toPush(r);
  }
}
