/** The newsroom's corrections and withdrawals of delivered copies: the outbox's second kind of row. */
import type { Lang } from "../../i18n/index.js";
import type { NewBulletin } from "./bulletins.js";

/** A newsroom correction: the new text (and its HTML) and comuni; the time of publication stays. */
export type Correction = Pick<NewBulletin, "text" | "comuni" | "html">;

/** What the newsroom does to the copies already delivered: edit them (a correction) or delete them (a withdrawal). */
export type AmendmentKind = "correct" | "withdraw";

/** One delivered copy to edit or delete: a row of the outbox's second kind. */
export interface AmendmentJob {
  amendment: number;
  kind: AmendmentKind;
  seq: number;
  chatId: number;
  messageId: number;
  lang: Lang;
  attempts: number;
}

/**
 * How an edit or a deletion ended: done (edited, or deleted), gone (the chat or the message is no
 * longer there: blocked, left, deleted by the reader), failed (Telegram refused: too old, no rights,
 * or given up after repeated failures).
 */
export type AmendmentOutcome = "done" | "gone" | "failed";

export interface AmendmentReport {
  id: number;
  kind: AmendmentKind;
  seq: number;
  bulletinId: string;
  bulletinText: string;
  requestedBy: number | null;
  lang: Lang;
  startedAt: number;
  finishedAt: number | null;
  total: number;
  done: number;
  gone: number;
  failed: number;
  /** Left to a later correction or withdrawal of the same bulletin, which handles those copies. */
  superseded: number;
}

/**
 * What a correction or a withdrawal set going: delivered copies to edit or delete, deliveries still
 * queued (sent corrected, or not at all); for a correction that changes the comuni, the chats it
 * newly concerns (`added`, new deliveries) and queued ones for chats it no longer concerns (`dropped`).
 */
export interface AmendmentStarted {
  amendment: number;
  copies: number;
  queued: number;
  added: number;
  dropped: number;
}

/**
 * What a correction to these comuni would do now: edit every delivered copy (`stale` of them in chats
 * it would no longer concern), send the queued ones corrected (`queued`) except those for chats it would
 * no longer concern (`dropped`), and send it to the chats it would newly concern (`added`).
 */
export interface CorrectionReach {
  copies: number;
  stale: number;
  queued: number;
  dropped: number;
  added: number;
}

export interface AmendmentRepository {
  /**
   * Corrects a bulletin (new text, version up) or withdraws it (hidden, queued deliveries settled as
   * skipped), and queues an edit or a deletion of every copy delivered so far, atomically. Pending
   * edits or deletions of earlier amendments of the bulletin are superseded by this one. A correction's
   * comuni decide again who gets it (see CorrectionReach): queued deliveries to chats it no longer
   * concerns are settled as removed; the chats it newly concerns are queued, and its push reopened.
   * Undefined when the bulletin is unknown or already withdrawn.
   */
  amendBulletin(
    seq: number,
    change: { kind: "correct"; content: Correction; correctedAt: string } | { kind: "withdraw" },
    by: { requestedBy: number | null; lang: Lang },
  ): Promise<AmendmentStarted | undefined>;
  /** Copies of a bulletin delivered so far (with their message ids), and its deliveries still queued. */
  copyCount(seq: number): Promise<{ delivered: number; queued: number }>;
  /** What correcting the bulletin to these comuni would do now; undefined for an unknown bulletin. */
  correctionReach(seq: number, comuni: readonly string[]): Promise<CorrectionReach | undefined>;
  /** Due edits and deletions, after the cursor, in amendment order. */
  dueAmendmentJobs(
    after: { amendment: number; chatId: number } | null,
    now: number,
    limit: number,
  ): Promise<AmendmentJob[]>;
  isAmendmentJobDue(j: Pick<AmendmentJob, "amendment" | "chatId">, now: number): Promise<boolean>;
  /** Records how a job ended; `version` is the bulletin version an edit showed. */
  completeAmendmentJob(
    j: Pick<AmendmentJob, "amendment" | "chatId">,
    outcome: AmendmentOutcome,
    version?: number,
  ): Promise<void>;
  postponeAmendmentJob(j: Pick<AmendmentJob, "amendment" | "chatId">, dueAt: number, error: string): Promise<void>;
  unreportedFinishedAmendments(): Promise<AmendmentReport[]>;
  markAmendmentReported(id: number): Promise<void>;
  /** Forgets the message ids of bulletins published before this instant (too old to correct). */
  forgetCopiesBefore(ms: number): Promise<number>;
}
