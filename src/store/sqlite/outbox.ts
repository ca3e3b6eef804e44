/**
 * The outbox in SQLite: `deliveries` (one row per bulletin and chat until it is sent), `pushes` (each
 * bulletin's counters and report), and the delivered ledger: `delivered` (the groups a push reached,
 * while it runs) and `copies` (the message of every delivery, for corrections). Its counts and due
 * times cover the outbox's second kind of row too, `amendment_jobs` (see SqliteAmendments).
 *
 * Besides the contract, the other SQLite repositories call its methods below the contract, inside
 * their own transactions: a bulletin's push (enqueue), a withdrawal (dropQueued), a correction's new
 * comuni (reroute), a chat unsubscribed, gone or migrated (dropUnwanted, dropChat, moveChat).
 */
import type Database from "better-sqlite3";
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
import { concerned, newlyConcerned, type ReachParams } from "./reach.js";
import type { Synchronous } from "./synchronous.js";

interface PushRow {
  seq: number;
  bulletin_id: string;
  bulletin_text: string;
  requested_by: number | null;
  lang: Lang;
  started_at: number;
  finished_at: number | null;
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
  requestedBy: r.requested_by,
  lang: r.lang,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  total: r.total,
  delivered: r.delivered,
  removed: r.removed,
  skipped: r.skipped,
  failed: r.failed,
  // Always 0 here: one process sends from a SQLite database, so no other ever takes over a delivery it
  // was sending (the count is PostgreSQL's claims', see postgres/claims.ts).
  possiblyDuplicated: r.possibly_duplicated,
});

/**
 * Up to this many postponed deliveries, a new push fixes up its rows for their chats afterwards
 * (about 7 µs a row); above, it looks every recipient up while inserting (about 1 µs a recipient).
 */
export const FEW_POSTPONED = 20_000;

export class SqliteOutbox implements Synchronous<OutboxRepository> {
  private readonly q;

  /**
   * @param clock the time recorded for pushes
   * @param fewPostponed see FEW_POSTPONED
   */
  constructor(
    private readonly db: Database.Database,
    private readonly clock: () => number,
    private readonly fewPostponed = FEW_POSTPONED,
  ) {
    const counter = (column: Terminal | "removed") =>
      db.prepare<{ n: number; now: number; seq: number }, { remaining: number }>(
        `UPDATE pushes SET ${column} = ${column} + $n, remaining = remaining - $n, finished_at = CASE WHEN remaining = $n THEN $now END WHERE seq = $seq RETURNING remaining`,
      );
    this.q = {
      dropBulletinDeliveries: db.prepare("DELETE FROM deliveries WHERE seq = ?"),
      // Queued copies for chats a correction no longer concerns: not sent (counted as removed).
      dropUnconcerned: db.prepare<ReachParams>(
        `DELETE FROM deliveries WHERE seq = $seq AND chat_id NOT IN (${concerned("$new")})`,
      ),
      enqueueNewlyConcerned: db.prepare<ReachParams>(
        `INSERT INTO deliveries (seq, chat_id, lang) SELECT $seq, chat_id, lang FROM (${newlyConcerned})`,
      ),
      // A delivery added to an older bulletin: the chat's later ones wait for it (see postpone).
      behindAdded: db.prepare<{ seq: number }>(
        `UPDATE deliveries
         SET due_at = (SELECT a.due_at FROM deliveries a WHERE a.seq = $seq AND a.chat_id = deliveries.chat_id)
         WHERE seq > $seq
           AND chat_id IN (SELECT chat_id FROM deliveries WHERE seq = $seq AND due_at > 0)
           AND due_at < (SELECT a.due_at FROM deliveries a WHERE a.seq = $seq AND a.chat_id = deliveries.chat_id)`,
      ),
      // The push goes on with the deliveries a correction added: counted, and reported again at its end.
      reopenPush: db.prepare<{ n: number; seq: number }>(
        "UPDATE pushes SET total = total + $n, remaining = remaining + $n, finished_at = NULL, reported = 0 WHERE seq = $seq",
      ),
      recordDelivered: db.prepare("INSERT OR IGNORE INTO delivered (seq, chat_id) VALUES (?, ?)"),
      wasDelivered: db.prepare<[number, number], { n: number }>(
        "SELECT 1 AS n FROM delivered WHERE seq = ? AND chat_id = ?",
      ),
      forgetDelivered: db.prepare("DELETE FROM delivered WHERE seq = ?"),
      enqueueAll: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang)
         SELECT ?, chat_id, max(lang) FROM subscriptions GROUP BY chat_id`,
      ),
      // A national bulletin (no comuni) goes to every subscribed chat (enqueueAll); a comune's to the
      // chats following everything or that comune, not to those following national bulletins only.
      enqueueFor: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang)
         SELECT ?, chat_id, max(lang) FROM subscriptions
         WHERE kind = 'all' OR (kind = 'comune' AND comune IN (SELECT value FROM json_each(?))) GROUP BY chat_id`,
      ),
      // A chat's new delivery is due no earlier than its postponed ones (see postpone). Two ways, by cost:
      // for a few postponed rows, fix up the new rows of just those chats; during an outage, when most
      // chats have one, look each recipient up while inserting (cheaper than a million updates). The
      // time is rounded up to the second: new rows then land on few points of the due-time index
      // instead of a million random ones (5x cheaper at a million), and a bulletin waiting for an
      // earlier one to the same chat loses nothing by it (a chat gets at most one a second anyway).
      enqueueAllBehind: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang, due_at)
         SELECT ?, chat_id, max(lang), coalesce((SELECT (max(due_at) + 999) / 1000 * 1000 FROM deliveries e WHERE e.chat_id = s.chat_id), 0)
         FROM subscriptions s GROUP BY chat_id`,
      ),
      // A comune's automatic bulletin: only the chats following that comune, not those following everything.
      enqueueFollowers: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang)
         SELECT ?, chat_id, max(lang) FROM subscriptions
         WHERE comune IN (SELECT value FROM json_each(?)) GROUP BY chat_id`,
      ),
      enqueueFollowersBehind: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang, due_at)
         SELECT ?, chat_id, max(lang), coalesce((SELECT (max(due_at) + 999) / 1000 * 1000 FROM deliveries e WHERE e.chat_id = s.chat_id), 0)
         FROM subscriptions s
         WHERE comune IN (SELECT value FROM json_each(?)) GROUP BY chat_id`,
      ),
      enqueueForBehind: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang, due_at)
         SELECT ?, chat_id, max(lang), coalesce((SELECT (max(due_at) + 999) / 1000 * 1000 FROM deliveries e WHERE e.chat_id = s.chat_id), 0)
         FROM subscriptions s
         WHERE kind = 'all' OR (kind = 'comune' AND comune IN (SELECT value FROM json_each(?))) GROUP BY chat_id`,
      ),
      queueBehind: db.prepare(
        `UPDATE deliveries
         SET due_at = (
           SELECT (max(e.due_at) + 999) / 1000 * 1000 FROM deliveries e WHERE e.chat_id = deliveries.chat_id AND e.seq < deliveries.seq
         )
         WHERE seq = $seq
           AND chat_id IN (SELECT chat_id FROM deliveries INDEXED BY deliveries_due_at WHERE due_at > 0 AND seq < $seq)`,
      ),
      postponedCount: db.prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM deliveries INDEXED BY deliveries_due_at WHERE due_at > 0",
      ),
      earliestDue: db.prepare<[], { t: number | null }>("SELECT min(due_at) AS t FROM deliveries"),
      insertPush: db.prepare(
        "INSERT INTO pushes (seq, requested_by, lang, started_at, total, remaining, finished_at, reported) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      // NOT INDEXED: walk the outbox in publication order (the primary key). The due-time index would
      // make the planner sort every due row to return the first 256.
      dueFirst: db.prepare<[number, number], { seq: number; chat_id: number; lang: Lang; attempts: number }>(
        `SELECT seq, chat_id, lang, attempts FROM deliveries d NOT INDEXED
         WHERE due_at <= ? AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.chat_id = d.chat_id AND e.seq < d.seq)
         ORDER BY seq, chat_id LIMIT ?`,
      ),
      dueAfter: db.prepare<
        [number, number, number, number],
        { seq: number; chat_id: number; lang: Lang; attempts: number }
      >(
        `SELECT seq, chat_id, lang, attempts FROM deliveries d NOT INDEXED
         WHERE (seq, chat_id) > (?, ?) AND due_at <= ?
           AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.chat_id = d.chat_id AND e.seq < d.seq)
         ORDER BY seq, chat_id LIMIT ?`,
      ),
      isDue: db.prepare<[number, number, number], { n: number }>(
        "SELECT 1 AS n FROM deliveries WHERE seq = ? AND chat_id = ? AND due_at <= ?",
      ),
      nextDue: db.prepare<[], { t: number | null }>("SELECT min(due_at) AS t FROM deliveries WHERE due_at > 0"),
      pending: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM deliveries"),
      deleteDelivery: db.prepare("DELETE FROM deliveries WHERE seq = ? AND chat_id = ?"),
      postponeBehind: db.prepare("UPDATE deliveries SET due_at = ? WHERE chat_id = ? AND seq > ? AND due_at < ?"),
      postpone: db.prepare(
        "UPDATE deliveries SET attempts = attempts + 1, due_at = ?, last_error = ? WHERE seq = ? AND chat_id = ?",
      ),
      amended: db.prepare<[number], { n: number }>("SELECT 1 AS n FROM amendments WHERE seq = ? LIMIT 1"),
      // A push's counter moved by $n settled deliveries: finished once nothing of it remains.
      count: {
        delivered: counter("delivered"),
        failed: counter("failed"),
        removed: counter("removed"),
        skipped: counter("skipped"),
      },
      chatDeliveries: db.prepare<[number], { seq: number }>("SELECT seq FROM deliveries WHERE chat_id = ?"),
      unwantedDeliveries: db.prepare<{ chat: number }, { seq: number }>(
        `SELECT d.seq FROM deliveries d JOIN bulletins b USING (seq)
         WHERE d.chat_id = $chat AND NOT EXISTS (
           SELECT 1 FROM subscriptions s WHERE s.chat_id = $chat
             AND (s.kind = 'all' OR json_array_length(b.comuni) = 0
               OR (s.kind = 'comune' AND s.comune IN (SELECT value FROM json_each(b.comuni)))))`,
      ),
      moveDelivery: db.prepare("UPDATE OR IGNORE deliveries SET chat_id = ? WHERE seq = ? AND chat_id = ?"),
      unreported: db.prepare<[], PushRow>(
        "SELECT p.*, b.id AS bulletin_id, b.text AS bulletin_text FROM pushes p JOIN bulletins b USING (seq) WHERE finished_at IS NOT NULL AND reported = 0 ORDER BY seq",
      ),
      markReported: db.prepare("UPDATE pushes SET reported = 1 WHERE seq = ?"),
      lastPush: db.prepare<[], PushRow>(
        "SELECT p.*, b.id AS bulletin_id, b.text AS bulletin_text FROM pushes p JOIN bulletins b USING (seq) ORDER BY seq DESC LIMIT 1",
      ),
      // copies: the message of every delivery, for corrections and withdrawals
      recordCopy: db.prepare(
        "INSERT OR REPLACE INTO copies (seq, chat_id, message_id, lang, version) VALUES (?, ?, ?, ?, ?)",
      ),
      // A copy sent while its bulletin was being corrected or withdrawn (rendered before, recorded
      // after): the latest amendment of the bulletin takes it too.
      lateJob: db.prepare<
        { seq: number; chat: number; message: number; lang: Lang; version: number },
        { amendment: number }
      >(
        `INSERT OR IGNORE INTO amendment_jobs (amendment, chat_id, seq, message_id, lang)
         SELECT a.id, $chat, $seq, $message, $lang FROM amendments a
         WHERE a.id = (SELECT max(id) FROM amendments WHERE seq = $seq)
           AND (a.kind = 'withdraw' OR (SELECT version FROM bulletins WHERE seq = $seq) > $version)
         RETURNING amendment`,
      ),
      reopenAmendment: db.prepare(
        "UPDATE amendments SET total = total + 1, remaining = remaining + 1, finished_at = NULL WHERE id = ?",
      ),
      queuedCount: db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM deliveries WHERE seq = ?"),
      nextJobDue: db.prepare<[], { t: number | null }>("SELECT min(due_at) AS t FROM amendment_jobs WHERE due_at > 0"),
      pendingJobs: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM amendment_jobs"),
    };
  }

  /** Queues a bulletin just stored for every matching subscriber, and starts its push; returns the recipients. */
  enqueue(seq: number, b: NewBulletin, push: PushOptions): number {
    const postponed = this.q.postponedCount.get()!.n;
    const lookUp = postponed > this.fewPostponed;
    const recipients =
      b.audience === "followers"
        ? (lookUp ? this.q.enqueueFollowersBehind : this.q.enqueueFollowers).run(seq, JSON.stringify(b.comuni)).changes
        : b.comuni.length
          ? (lookUp ? this.q.enqueueForBehind : this.q.enqueueFor).run(seq, JSON.stringify(b.comuni)).changes
          : (lookUp ? this.q.enqueueAllBehind : this.q.enqueueAll).run(seq).changes;
    if (postponed > 0 && !lookUp) this.q.queueBehind.run({ seq });
    const now = this.clock();
    // A push to nobody is finished at once and has nothing to report.
    this.q.insertPush.run(
      seq,
      push.requestedBy,
      push.lang,
      now,
      recipients,
      recipients,
      recipients === 0 ? now : null,
      recipients === 0 ? 1 : 0,
    );
    return recipients;
  }

  /** A withdrawn bulletin's queued deliveries are settled as skipped; returns how many. */
  dropQueued(seq: number): number {
    // One statement for the whole push, however large; a send in flight finds its row gone.
    const n = this.q.dropBulletinDeliveries.run(seq).changes;
    if (n > 0) this.settled(seq, this.q.count.skipped.get({ n, now: this.clock(), seq }));
    return n;
  }

  /**
   * A correction's comuni decide again who gets it: queued copies for chats it no longer concerns are
   * not sent (removed), the chats it now concerns get it as a new delivery and its push goes on.
   */
  reroute(p: ReachParams, now: number): { dropped: number; added: number } {
    const { seq } = p;
    const dropped = this.q.dropUnconcerned.run(p).changes;
    if (dropped > 0) this.settled(seq, this.q.count.removed.get({ n: dropped, now, seq }));
    const added = this.q.enqueueNewlyConcerned.run(p).changes;
    if (added > 0) {
      this.q.reopenPush.run({ n: added, seq });
      this.q.queueBehind.run({ seq });
      this.q.behindAdded.run({ seq });
    }
    return { dropped, added };
  }

  /** A bulletin's deliveries still queued. */
  queued(seq: number): number {
    return this.q.queuedCount.get(seq)!.n;
  }

  /** The chat's queued bulletins that no remaining subscription asks for are not sent (removed). */
  dropUnwanted(chatId: number): void {
    for (const { seq } of this.q.unwantedDeliveries.all({ chat: chatId })) this.finish(seq, chatId, "removed");
  }

  /** The chat is gone: its queued deliveries are settled as removed. */
  dropChat(chatId: number): void {
    for (const { seq } of this.q.chatDeliveries.all(chatId)) this.finish(seq, chatId, "removed");
  }

  /** A group became a supergroup: its queued deliveries follow it, except those it already has. */
  moveChat(from: number, to: number): void {
    for (const { seq } of this.q.chatDeliveries.all(from)) {
      // Where the new chat already had the same bulletin, or has it queued, the old entry is a duplicate.
      const duplicate =
        this.q.wasDelivered.get(seq, to) !== undefined || this.q.moveDelivery.run(to, seq, from).changes === 0;
      if (duplicate) this.finish(seq, from, "removed");
    }
  }

  dueDeliveries(after: { seq: number; chatId: number } | null, now: number, limit: number): Delivery[] {
    // The engine asks at least once a second. When nothing is due (everything postponed during an
    // outage) the index answers that at once; the scan below would read the whole outbox to find nothing.
    const earliest = this.q.earliestDue.get()?.t;
    if (earliest === null || earliest === undefined || earliest > now) return [];
    const rows = after ? this.q.dueAfter.all(after.seq, after.chatId, now, limit) : this.q.dueFirst.all(now, limit);
    return rows.map((r) => ({ seq: r.seq, chatId: r.chat_id, lang: r.lang, attempts: r.attempts }));
  }

  isDue(d: Pick<Delivery, "seq" | "chatId">, now: number): boolean {
    return this.q.isDue.get(d.seq, d.chatId, now) !== undefined;
  }

  stillDue(ds: readonly Pick<Delivery, "seq" | "chatId">[], now: number): Pick<Delivery, "seq" | "chatId">[] {
    // One connection in this process: a query per row costs a few microseconds, no round trip.
    return ds.filter((d) => this.isDue(d, now));
  }

  nextDueAt(): number | undefined {
    const a = this.q.nextDue.get()?.t ?? undefined;
    const b = this.q.nextJobDue.get()?.t ?? undefined;
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
  }

  pendingCount(): number {
    return this.q.pending.get()!.n + this.q.pendingJobs.get()!.n;
  }

  private finish(seq: number, chatId: number, outcome: Terminal | "removed", sent?: SentCopy): void {
    // The message exists whatever became of the row meanwhile (a withdrawal while it was in flight):
    // its id is kept, and an amendment already under way takes it too.
    if (sent) this.recordCopy(seq, chatId, sent);
    if (this.q.deleteDelivery.run(seq, chatId).changes === 0) return;
    // Only a group can turn out to be a supergroup's former self (see migrateChat); private chats are not recorded.
    if (outcome === "delivered" && chatId < 0) this.q.recordDelivered.run(seq, chatId);
    this.settled(seq, this.q.count[outcome].get({ n: 1, now: this.clock(), seq }));
  }

  /** After a push's counters moved: once nothing of it is queued, its delivered record is not needed. */
  private settled(seq: number, push: { remaining: number } | undefined): void {
    if (push?.remaining === 0) this.q.forgetDelivered.run(seq);
  }

  complete(d: Pick<Delivery, "seq" | "chatId">, outcome: Terminal, sent?: SentCopy): void {
    this.db.transaction(() => this.finish(d.seq, d.chatId, outcome, sent))();
  }

  /**
   * finish for each outcome in one transaction (one commit instead of one per message), with each
   * push's counter moved once per outcome, and the late-copy check (recordCopy) only for bulletins
   * that have an amendment at all.
   */
  completeMany(outcomes: readonly Outcome[]): void {
    this.db.transaction(() => {
      const settled: Outcome[] = [];
      const amended = new Map<number, boolean>();
      for (const o of outcomes) {
        const { d, outcome, sent } = o;
        if (sent) {
          let a = amended.get(d.seq);
          if (a === undefined) {
            a = this.q.amended.get(d.seq) !== undefined;
            amended.set(d.seq, a);
          }
          if (a) this.recordCopy(d.seq, d.chatId, sent);
          else this.q.recordCopy.run(d.seq, d.chatId, sent.messageId, sent.lang, sent.version);
        }
        if (this.q.deleteDelivery.run(d.seq, d.chatId).changes === 0) continue;
        if (outcome === "delivered" && d.chatId < 0) this.q.recordDelivered.run(d.seq, d.chatId);
        settled.push(o);
      }
      const now = this.clock();
      for (const { seq, outcome, n } of countsByPush(settled)) {
        this.settled(seq, this.q.count[outcome].get({ n, now, seq }));
      }
    })();
  }

  private recordCopy(seq: number, chatId: number, sent: SentCopy): void {
    this.q.recordCopy.run(seq, chatId, sent.messageId, sent.lang, sent.version);
    const late = this.q.lateJob.get({
      seq,
      chat: chatId,
      message: sent.messageId,
      lang: sent.lang,
      version: sent.version,
    });
    if (late) this.q.reopenAmendment.run(late.amendment);
  }

  postpone(d: Pick<Delivery, "seq" | "chatId">, dueAt: number, error: string): void {
    // The chat's later bulletins wait for this one: making them due no earlier keeps "nothing is due"
    // answerable from the due-time index alone (a row due but stuck behind a postponed one is not).
    this.db.transaction(() => {
      this.q.postpone.run(dueAt, error.slice(0, 500), d.seq, d.chatId);
      this.q.postponeBehind.run(dueAt, d.chatId, d.seq, dueAt);
    })();
  }

  unreportedFinishedPushes(): PushReport[] {
    return this.q.unreported.all().map(toPush);
  }

  markReported(seq: number): void {
    this.q.markReported.run(seq);
  }

  lastPush(): PushReport | undefined {
    const r = this.q.lastPush.get();
    return r && toPush(r);
  }
}
