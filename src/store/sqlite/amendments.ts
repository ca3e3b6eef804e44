/**
 * The newsroom's corrections and withdrawals in SQLite: `amendments` (each one's counters and report)
 * and `amendment_jobs` (the edits and deletions of delivered copies, read from `copies`). Amending a
 * bulletin writes the bulletin (SqliteBulletins) and the outbox (SqliteOutbox) in the same transaction.
 */
import type Database from "better-sqlite3";
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
import type { SqliteBulletins } from "./bulletins.js";
import type { SqliteOutbox } from "./outbox.js";
import { concerned, newlyConcerned, type ReachParams } from "./reach.js";
import type { Synchronous } from "./synchronous.js";

interface AmendmentRow {
  id: number;
  kind: AmendmentKind;
  seq: number;
  bulletin_id: string;
  bulletin_text: string;
  requested_by: number | null;
  lang: Lang;
  started_at: number;
  finished_at: number | null;
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
  chat_id: number;
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
  requestedBy: r.requested_by,
  lang: r.lang,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  total: r.total,
  done: r.done,
  gone: r.gone,
  failed: r.failed,
  superseded: r.superseded,
});

const toJob = (r: JobRow): AmendmentJob => ({
  amendment: r.amendment,
  kind: r.kind,
  seq: r.seq,
  chatId: r.chat_id,
  messageId: r.message_id,
  lang: r.lang,
  attempts: r.attempts,
});

export class SqliteAmendments implements Synchronous<AmendmentRepository> {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly bulletins: SqliteBulletins,
    private readonly outbox: SqliteOutbox,
    private readonly clock: () => number,
  ) {
    this.q = {
      // A correction's reach (see correctionReach): $seq, $new and $old comuni (JSON), $audience.
      reachCopies: db.prepare<ReachParams, { copies: number; stale: number }>(
        `SELECT count(*) AS copies, coalesce(sum(chat_id NOT IN (${concerned("$new")})), 0) AS stale
         FROM copies WHERE seq = $seq`,
      ),
      reachQueued: db.prepare<ReachParams, { queued: number; dropped: number }>(
        `SELECT coalesce(sum(chat_id IN (${concerned("$new")})), 0) AS queued,
           coalesce(sum(chat_id NOT IN (${concerned("$new")})), 0) AS dropped
         FROM deliveries WHERE seq = $seq`,
      ),
      reachAdded: db.prepare<ReachParams, { n: number }>(`SELECT count(*) AS n FROM (${newlyConcerned})`),
      copyCount: db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM copies WHERE seq = ?"),
      insertAmendment: db.prepare(
        "INSERT INTO amendments (seq, kind, requested_by, lang, started_at, total, remaining) VALUES (?, ?, ?, ?, ?, 0, 0)",
      ),
      queueJobs: db.prepare(
        `INSERT INTO amendment_jobs (amendment, chat_id, seq, message_id, lang)
         SELECT ?, chat_id, seq, message_id, lang FROM copies WHERE seq = ?`,
      ),
      sizeAmendment: db.prepare(
        "UPDATE amendments SET total = $n, remaining = $n, finished_at = CASE WHEN $n = 0 THEN $now END, reported = CASE WHEN $n = 0 THEN 1 ELSE 0 END WHERE id = $id",
      ),
      earlierJobs: db.prepare<[number, number], { amendment: number; n: number }>(
        "SELECT amendment, count(*) AS n FROM amendment_jobs WHERE seq = ? AND amendment < ? GROUP BY amendment",
      ),
      dropEarlierJobs: db.prepare("DELETE FROM amendment_jobs WHERE seq = ? AND amendment < ?"),
      supersede: db.prepare(
        "UPDATE amendments SET superseded = superseded + $n, remaining = remaining - $n, finished_at = CASE WHEN remaining = $n THEN $now END WHERE id = $id",
      ),
      earliestJob: db.prepare<[], { t: number | null }>("SELECT min(due_at) AS t FROM amendment_jobs"),
      jobsFirst: db.prepare<[number, number], JobRow>(
        `SELECT j.amendment, a.kind, j.seq, j.chat_id, j.message_id, j.lang, j.attempts
         FROM amendment_jobs j JOIN amendments a ON a.id = j.amendment
         WHERE j.due_at <= ? ORDER BY j.amendment, j.chat_id LIMIT ?`,
      ),
      jobsAfter: db.prepare<[number, number, number, number], JobRow>(
        `SELECT j.amendment, a.kind, j.seq, j.chat_id, j.message_id, j.lang, j.attempts
         FROM amendment_jobs j JOIN amendments a ON a.id = j.amendment
         WHERE (j.amendment, j.chat_id) > (?, ?) AND j.due_at <= ? ORDER BY j.amendment, j.chat_id LIMIT ?`,
      ),
      jobDue: db.prepare<[number, number, number], { n: number }>(
        "SELECT 1 AS n FROM amendment_jobs WHERE amendment = ? AND chat_id = ? AND due_at <= ?",
      ),
      takeJob: db.prepare<[number, number], { seq: number; kind: AmendmentKind }>(
        `DELETE FROM amendment_jobs WHERE amendment = ? AND chat_id = ?
         RETURNING seq, (SELECT kind FROM amendments WHERE id = amendment) AS kind`,
      ),
      copyEdited: db.prepare("UPDATE copies SET version = max(version, ?) WHERE seq = ? AND chat_id = ?"),
      forgetCopy: db.prepare("DELETE FROM copies WHERE seq = ? AND chat_id = ?"),
      countJob: {
        done: db.prepare(
          "UPDATE amendments SET done = done + 1, remaining = remaining - 1, finished_at = CASE WHEN remaining = 1 THEN ? END WHERE id = ?",
        ),
        gone: db.prepare(
          "UPDATE amendments SET gone = gone + 1, remaining = remaining - 1, finished_at = CASE WHEN remaining = 1 THEN ? END WHERE id = ?",
        ),
        failed: db.prepare(
          "UPDATE amendments SET failed = failed + 1, remaining = remaining - 1, finished_at = CASE WHEN remaining = 1 THEN ? END WHERE id = ?",
        ),
      },
      postponeJob: db.prepare(
        "UPDATE amendment_jobs SET attempts = attempts + 1, due_at = ?, last_error = ? WHERE amendment = ? AND chat_id = ?",
      ),
      unreportedAmendments: db.prepare<[], AmendmentRow>(
        `SELECT a.*, b.id AS bulletin_id, b.text AS bulletin_text FROM amendments a JOIN bulletins b USING (seq)
         WHERE a.finished_at IS NOT NULL AND a.reported = 0 ORDER BY a.id`,
      ),
      markAmendmentReported: db.prepare("UPDATE amendments SET reported = 1 WHERE id = ?"),
      forgetCopies: db.prepare("DELETE FROM copies WHERE seq IN (SELECT seq FROM bulletins WHERE published_ms < ?)"),
    };
  }

  amendBulletin(
    seq: number,
    change: { kind: "correct"; content: Correction; correctedAt: string } | { kind: "withdraw" },
    by: { requestedBy: number | null; lang: Lang },
  ): AmendmentStarted | undefined {
    return this.db.transaction(() => {
      const b = this.bulletins.row(seq);
      if (!b || b.hidden) return undefined;
      const now = this.clock();
      let queued: number;
      let added = 0;
      let dropped = 0;
      if (change.kind === "correct") {
        const c = change.content;
        this.bulletins.revise(seq, c, change.correctedAt);
        // Its comuni decide again who gets it: queued copies for chats it no longer concerns are not
        // sent, the chats it now concerns get it as a new delivery (delivered copies are all edited).
        const p: ReachParams = { seq, new: JSON.stringify(c.comuni), old: b.comuni, audience: b.audience };
        ({ dropped, added } = this.outbox.reroute(p, now));
        // Deliveries still queued render the new version when their turn comes.
        queued = this.outbox.queued(seq) - added;
      } else {
        queued = this.bulletins.withdrawBulletin(seq);
      }
      const amendment = Number(
        this.q.insertAmendment.run(seq, change.kind, by.requestedBy, by.lang, now).lastInsertRowid,
      );
      // Edits or deletions still queued from an earlier amendment: this one redoes them.
      for (const { amendment: id, n } of this.q.earlierJobs.all(seq, amendment)) {
        this.q.supersede.run({ n, now, id });
      }
      this.q.dropEarlierJobs.run(seq, amendment);
      const copies = this.q.queueJobs.run(amendment, seq).changes;
      this.q.sizeAmendment.run({ n: copies, now, id: amendment });
      return { amendment, copies, queued, added, dropped };
    })();
  }

  copyCount(seq: number): { delivered: number; queued: number } {
    return { delivered: this.q.copyCount.get(seq)!.n, queued: this.outbox.queued(seq) };
  }

  correctionReach(seq: number, comuni: readonly string[]): CorrectionReach | undefined {
    const b = this.bulletins.row(seq);
    if (!b) return undefined;
    const p: ReachParams = { seq, new: JSON.stringify(comuni), old: b.comuni, audience: b.audience };
    return { ...this.q.reachCopies.get(p)!, ...this.q.reachQueued.get(p)!, added: this.q.reachAdded.get(p)!.n };
  }

  dueAmendmentJobs(after: { amendment: number; chatId: number } | null, now: number, limit: number): AmendmentJob[] {
    const earliest = this.q.earliestJob.get()?.t;
    if (earliest === null || earliest === undefined || earliest > now) return [];
    const rows = after
      ? this.q.jobsAfter.all(after.amendment, after.chatId, now, limit)
      : this.q.jobsFirst.all(now, limit);
    return rows.map(toJob);
  }

  isAmendmentJobDue(j: Pick<AmendmentJob, "amendment" | "chatId">, now: number): boolean {
    return this.q.jobDue.get(j.amendment, j.chatId, now) !== undefined;
  }

  completeAmendmentJob(
    j: Pick<AmendmentJob, "amendment" | "chatId">,
    outcome: AmendmentOutcome,
    version?: number,
  ): void {
    this.db.transaction(() => {
      const row = this.q.takeJob.get(j.amendment, j.chatId);
      if (!row) return; // superseded meanwhile
      if (outcome === "done" && row.kind === "correct") this.q.copyEdited.run(version ?? 0, row.seq, j.chatId);
      // Deleted, or no longer there: nothing left to correct or delete later. A refused one stays.
      else if (outcome !== "failed") this.q.forgetCopy.run(row.seq, j.chatId);
      this.q.countJob[outcome].run(this.clock(), j.amendment);
    })();
  }

  postponeAmendmentJob(j: Pick<AmendmentJob, "amendment" | "chatId">, dueAt: number, error: string): void {
    this.q.postponeJob.run(dueAt, error.slice(0, 500), j.amendment, j.chatId);
  }

  unreportedFinishedAmendments(): AmendmentReport[] {
    return this.q.unreportedAmendments.all().map(toAmendment);
  }

  markAmendmentReported(id: number): void {
    this.q.markAmendmentReported.run(id);
  }

  forgetCopiesBefore(ms: number): number {
    return this.q.forgetCopies.run(ms).changes;
  }
}
