/**
 * The newsroom's corrections and withdrawals in PostgreSQL: `amendments` (each one's counters and report)
 * and `amendment_jobs` (the edits and deletions of delivered copies, read from `copies`), claimed by one
 * instance at a time as deliveries are (see claims.ts). Amending a bulletin writes the bulletin
 * (PgBulletins) and the outbox (PgOutbox) in the same transaction. The semantics are the SQLite
 * engine's (sqlite/amendments.ts).
 */
import type { Lang } from "../../i18n/index.js";
import type {
  AmendmentJob,
  AmendmentKind,
  AmendmentOutcome,
  AmendmentReport,
  AmendmentRepository,
  AmendmentStarted,
  Correction,
  CorrectionReach,
} from "../contract/amendments.js";
import type { PgBulletins } from "./bulletins.js";
import { claim, claimable, named, RELEASE, settling } from "./claims.js";
import { type Int8, type PgDatabase, toNumber } from "./connection.js";
import { type PgOutbox, unreported } from "./outbox.js";
import { concernsChat, newlyConcerned, REACH, type Reach, reachParams } from "./reach.js";

/** A BIGINT column as the driver hands it over (a string); INTEGER ones come as numbers. */

interface AmendmentRow {
  id: number;
  kind: AmendmentKind;
  seq: number;
  bulletin_id: string;
  bulletin_text: string;
  requested_by: Int8 | null;
  lang: Lang;
  started_at: Int8;
  finished_at: Int8 | null;
  total: number;
  done: number;
  gone: number;
  failed: number;
  superseded: number;
}

interface JobRow {
  amendment: number;
  kind: AmendmentKind;
  seq: number;
  chat_id: Int8;
  message_id: number;
  lang: Lang;
  attempts: number;
}

const toAmendment = (r: AmendmentRow): AmendmentReport => ({
  id: r.id,
  kind: r.kind,
  seq: r.seq,
  bulletinId: r.bulletin_id,
  bulletinText: r.bulletin_text,
  requestedBy: toNumber(r.requested_by) ?? null,
  lang: r.lang,
  startedAt: toNumber(r.started_at),
  finishedAt: toNumber(r.finished_at) ?? null,
  total: r.total,
  done: r.done,
  gone: r.gone,
  failed: r.failed,
  superseded: r.superseded,
});

/** The columns of an amendment's report (the amendment `p`, its bulletin `b`). */
const AMENDMENT_REPORT = `p.id, p.kind, p.seq, b.id AS bulletin_id, b.text AS bulletin_text, p.requested_by, p.lang,
  p.started_at, p.finished_at, p.total, p.done, p.gone, p.failed, p.superseded`;

const toJob = (r: JobRow): AmendmentJob => ({
  amendment: r.amendment,
  kind: r.kind,
  seq: r.seq,
  chatId: toNumber(r.chat_id),
  messageId: r.message_id,
  lang: r.lang,
  attempts: r.attempts,
});

const KEY = ["amendment", "chat_id"] as const;

/**
 * Due edits and deletions claimable by this instance, after the cursor (or from the start), in
 * amendment order, claimed (see claims.ts and PgOutbox's dueDeliveries).
 */
const dueJobs = (after: boolean) =>
  named(
    `WITH due AS (
       SELECT j.amendment, j.chat_id FROM amendment_jobs j
       WHERE ${after ? "(j.amendment, j.chat_id) > ($afterAmendment::bigint, $afterChat::bigint) AND " : ""}j.due_at <= $now
         AND ${claimable("j")}
       ORDER BY j.amendment, j.chat_id LIMIT $limit
       FOR UPDATE OF j SKIP LOCKED),
     ${claim({
       table: "amendment_jobs",
       key: KEY,
       returning: "t.amendment, t.seq, t.chat_id, t.message_id, t.lang, t.attempts",
       send: false,
     })}
     SELECT c.amendment, a.kind, c.seq, c.chat_id, c.message_id, c.lang, c.attempts
     FROM claimed c JOIN amendments a ON a.id = c.amendment
     ORDER BY c.amendment, c.chat_id`,
    after ? ["afterAmendment", "afterChat", "now", "me", "limit", "until"] : ["now", "me", "limit", "until"],
  );

const SQL = {
  unreported: unreported("amendments", "id", AMENDMENT_REPORT),
  jobsFirst: dueJobs(false),
  jobsAfter: dueJobs(true),
  // The job as the edit or deletion finds it: still pending, due, nobody else's: claimed for it.
  jobDue: named(
    `WITH due AS (
       SELECT amendment, chat_id FROM amendment_jobs
       WHERE amendment = $amendment AND chat_id = $chat AND due_at <= $now AND ${claimable("amendment_jobs")}
       FOR UPDATE SKIP LOCKED),
     ${claim({ table: "amendment_jobs", key: KEY, returning: "t.amendment", send: true })}
     SELECT 1 AS n FROM claimed`,
    ["amendment", "chat", "now", "me", "until"],
  ),
  // A correction's reach (see correctionReach), with the parameters of reachParams.
  reach: `SELECT
      (SELECT count(*)::int FROM copies c WHERE c.seq = ${REACH.seq}) AS copies,
      (SELECT count(*)::int FROM copies c WHERE c.seq = ${REACH.seq}
         AND NOT ${concernsChat("c.chat_id", REACH.new, REACH.audience)}) AS stale,
      (SELECT count(*)::int FROM deliveries d WHERE d.seq = ${REACH.seq}
         AND ${concernsChat("d.chat_id", REACH.new, REACH.audience)}) AS queued,
      (SELECT count(*)::int FROM deliveries d WHERE d.seq = ${REACH.seq}
         AND NOT ${concernsChat("d.chat_id", REACH.new, REACH.audience)}) AS dropped,
      (SELECT count(*)::int FROM (${newlyConcerned(REACH)}) n) AS added`,
};

/** The outcome's counter on `amendments` (the column name is one of these, never a caller's string). */
const COUNTER: Record<AmendmentOutcome, string> = { done: "done", gone: "gone", failed: "failed" };

export class PgAmendments implements AmendmentRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly bulletins: PgBulletins,
    private readonly outbox: PgOutbox,
    private readonly clock: () => number,
  ) {}

  amendBulletin(
    seq: number,
    change: { kind: "correct"; content: Correction; correctedAt: string } | { kind: "withdraw" },
    by: { requestedBy: number | null; lang: Lang },
  ): Promise<AmendmentStarted | undefined> {
    return settling(this.db, async () => {
      // Locked until the end: two editors amending the same bulletin at once take turns.
      const b = await this.bulletins.row(seq, true);
      if (!b || b.hidden) return undefined;
      const now = this.clock();
      let queued: number;
      let added = 0;
      let dropped = 0;
      if (change.kind === "correct") {
        const c = change.content;
        await this.bulletins.revise(seq, c, change.correctedAt);
        // Its comuni decide again who gets it: queued copies for chats it no longer concerns are not
        // sent, the chats it now concerns get it as a new delivery (delivered copies are all edited).
        const r: Reach = { seq, new: c.comuni, old: b.comuni, audience: b.audience };
        ({ dropped, added } = await this.outbox.reroute(r, now));
        // Deliveries still queued render the new version when their turn comes.
        queued = (await this.outbox.queued(seq)) - added;
      } else {
        queued = await this.bulletins.withdrawBulletin(seq);
      }
      const row = await this.db.one<{ id: number }>(
        `INSERT INTO amendments (seq, kind, requested_by, lang, started_at, total, remaining)
         VALUES ($1, $2, $3, $4, $5, 0, 0) RETURNING id`,
        [seq, change.kind, by.requestedBy, by.lang, now],
      );
      const amendment = row!.id;
      // Edits or deletions still queued from an earlier amendment: this one redoes them. The jobs
      // first, then their amendments: the order in which a job's outcome takes the same locks.
      await this.db.query(
        `WITH gone AS (DELETE FROM amendment_jobs WHERE seq = $1 AND amendment < $2 RETURNING amendment)
         UPDATE amendments a SET superseded = a.superseded + g.n, remaining = a.remaining - g.n,
           finished_at = CASE WHEN a.remaining = g.n THEN $3::bigint END
         FROM (SELECT amendment, count(*)::int AS n FROM gone GROUP BY amendment) g
         WHERE a.id = g.amendment`,
        [seq, amendment, now],
      );
      const copies = await this.db.count(
        `INSERT INTO amendment_jobs (amendment, chat_id, seq, message_id, lang)
         SELECT $1, chat_id, seq, message_id, lang FROM copies WHERE seq = $2`,
        [amendment, seq],
      );
      await this.db.query(
        `UPDATE amendments SET total = $1::int, remaining = $1::int,
           finished_at = CASE WHEN $1::int = 0 THEN $2::bigint END,
           reported = ($1::int = 0)
         WHERE id = $3`,
        [copies, now, amendment],
      );
      return { amendment, copies, queued, added, dropped };
    });
  }

  async copyCount(seq: number): Promise<{ delivered: number; queued: number }> {
    const r = await this.db.one<{ n: number }>("SELECT count(*)::int AS n FROM copies WHERE seq = $1", [seq]);
    return { delivered: r!.n, queued: await this.outbox.queued(seq) };
  }

  async correctionReach(seq: number, comuni: readonly string[]): Promise<CorrectionReach | undefined> {
    const b = await this.bulletins.row(seq);
    if (!b) return undefined;
    const r: Reach = { seq, new: comuni, old: b.comuni, audience: b.audience };
    return this.db.one<CorrectionReach>(SQL.reach, reachParams(r));
  }

  async dueAmendmentJobs(
    after: { amendment: number; chatId: number } | null,
    now: number,
    limit: number,
  ): Promise<AmendmentJob[]> {
    const earliest = toNumber(
      (await this.db.one<{ t: Int8 | null }>("SELECT min(due_at) AS t FROM amendment_jobs"))?.t,
    );
    if (earliest === null || earliest === undefined || earliest > now) return [];
    const until = now + this.outbox.leaseMs;
    const me = this.outbox.instance;
    const rows = await this.db.query<JobRow>(
      after ? SQL.jobsAfter : SQL.jobsFirst,
      after ? [after.amendment, after.chatId, now, me, limit, until] : [now, me, limit, until],
    );
    return rows.map(toJob);
  }

  async isAmendmentJobDue(j: Pick<AmendmentJob, "amendment" | "chatId">, now: number): Promise<boolean> {
    const rows = await this.db.query(SQL.jobDue, [
      j.amendment,
      j.chatId,
      now,
      this.outbox.instance,
      now + this.outbox.leaseMs,
    ]);
    return rows.length > 0;
  }

  completeAmendmentJob(
    j: Pick<AmendmentJob, "amendment" | "chatId">,
    outcome: AmendmentOutcome,
    version?: number,
  ): Promise<void> {
    return settling(this.db, async () => {
      const row = await this.db.one<{ seq: number; kind: AmendmentKind }>(
        `DELETE FROM amendment_jobs WHERE amendment = $1 AND chat_id = $2
         RETURNING seq, (SELECT kind FROM amendments WHERE id = amendment) AS kind`,
        [j.amendment, j.chatId],
      );
      if (!row) return; // superseded meanwhile
      if (outcome === "done" && row.kind === "correct") {
        await this.db.query("UPDATE copies SET version = greatest(version, $1) WHERE seq = $2 AND chat_id = $3", [
          version ?? 0,
          row.seq,
          j.chatId,
        ]);
      } else if (outcome !== "failed") {
        // Deleted, or no longer there: nothing left to correct or delete later. A refused one stays.
        await this.db.query("DELETE FROM copies WHERE seq = $1 AND chat_id = $2", [row.seq, j.chatId]);
      }
      const counter = COUNTER[outcome];
      await this.db.query(
        `UPDATE amendments SET ${counter} = ${counter} + 1, remaining = remaining - 1,
           finished_at = CASE WHEN remaining = 1 THEN $1::bigint END
         WHERE id = $2`,
        [this.clock(), j.amendment],
      );
    });
  }

  async postponeAmendmentJob(
    j: Pick<AmendmentJob, "amendment" | "chatId">,
    dueAt: number,
    error: string,
  ): Promise<void> {
    // The claim is released: any instance may take the job when it is due.
    await this.db.query(
      `UPDATE amendment_jobs SET attempts = attempts + 1, due_at = $1, last_error = $2, ${RELEASE}
       WHERE amendment = $3 AND chat_id = $4`,
      [dueAt, error.slice(0, 500), j.amendment, j.chatId],
    );
  }

  /** Finished amendments not reported yet, claimed for this instance's report (see PgOutbox.unreportedFinishedPushes). */
  async unreportedFinishedAmendments(): Promise<AmendmentReport[]> {
    const now = this.clock();
    const rows = await this.db.query<AmendmentRow>(SQL.unreported, [
      this.outbox.instance,
      now,
      now + this.outbox.leaseMs,
    ]);
    return rows.map(toAmendment);
  }

  async markAmendmentReported(id: number): Promise<void> {
    await this.db.query("UPDATE amendments SET reported = true WHERE id = $1", [id]);
  }

  async forgetCopiesBefore(ms: number): Promise<number> {
    return this.db.count("DELETE FROM copies WHERE seq IN (SELECT seq FROM bulletins WHERE published_ms < $1)", [ms]);
  }
}
