/** The outbox: one row per bulletin and recipient chat until it is sent; pushes and their reports. */
import type { Lang } from "../../i18n/index.js";

/** The message Telegram made for a delivery, and the version of the bulletin it shows. */
export interface SentCopy {
  messageId: number;
  version: number;
  /** The language it was rendered in: an edit renders it again in the same. */
  lang: Lang;
}

export interface Delivery {
  seq: number;
  chatId: number;
  lang: Lang;
  attempts: number;
}

export interface PushReport {
  seq: number;
  bulletinId: string;
  /** The bulletin's text, for the report's title. */
  bulletinText: string;
  requestedBy: number | null;
  lang: Lang;
  startedAt: number;
  finishedAt: number | null;
  total: number;
  delivered: number;
  removed: number;
  /** Not sent because the bot may not write in the chat for now (the subscription stays). */
  skipped: number;
  failed: number;
  /**
   * Deliveries taken over by an instance after the one sending them stopped answering (its claim
   * expired while the message was in flight): they may have reached their chat twice. Counted among
   * the outcomes above, not beside them; 0 wherever one process sends (SQLite).
   */
  possiblyDuplicated: number;
}

/** How a delivery ended: sent, skipped (no rights to write there now), or given up on. */
export type Terminal = "delivered" | "skipped" | "failed";

/** A delivery's end, as `complete` takes it: for recording several in one transaction (completeMany). */
export interface Outcome {
  d: Pick<Delivery, "seq" | "chatId">;
  outcome: Terminal;
  sent?: SentCopy;
}

/**
 * Settled outcomes counted per push and outcome, in publication order: how completeMany moves each
 * push's counters once (in seq order, the order in which every transaction locks pushes).
 */
export function countsByPush(settled: Iterable<Pick<Outcome, "d" | "outcome">>): {
  seq: number;
  outcome: Terminal;
  n: number;
}[] {
  const groups = new Map<string, { seq: number; outcome: Terminal; n: number }>();
  for (const { d, outcome } of settled) {
    const key = `${d.seq}:${outcome}`;
    const group = groups.get(key);
    if (group) group.n++;
    else groups.set(key, { seq: d.seq, outcome, n: 1 });
  }
  return [...groups.values()].sort((a, b) => a.seq - b.seq);
}

export interface OutboxRepository {
  /** Pending deliveries due by `now` whose chat has nothing older pending, after the cursor, in publication order. */
  dueDeliveries(after: { seq: number; chatId: number } | null, now: number, limit: number): Promise<Delivery[]>;
  /** Whether this delivery is still queued and due by `now` (a batch read earlier may be stale). */
  isDue(d: Pick<Delivery, "seq" | "chatId">, now: number): Promise<boolean>;
  /**
   * Which of these deliveries are still queued and due by `now`, in one query: isDue for several
   * sends about to start (on a shared database, each one returned is claimed again for its send).
   */
  stillDue(ds: readonly Pick<Delivery, "seq" | "chatId">[], now: number): Promise<Pick<Delivery, "seq" | "chatId">[]>;
  /** Earliest time a postponed delivery (or edit, or deletion) becomes due, if any. */
  nextDueAt(): Promise<number | undefined>;
  /** Queued deliveries, and queued edits and deletions of delivered copies. */
  pendingCount(): Promise<number>;
  /**
   * Records how a delivery ended; a delivered one with the message Telegram made (kept for corrections:
   * an amendment of the bulletin already under way takes that copy too, in the same transaction).
   */
  complete(d: Pick<Delivery, "seq" | "chatId">, outcome: Terminal, sent?: SentCopy): Promise<void>;
  /**
   * Records how several deliveries ended, in one transaction: the same as `complete` for each, with
   * each push's counters moved once. All or nothing: if it throws, none is recorded.
   */
  completeMany(outcomes: readonly Outcome[]): Promise<void>;
  postpone(d: Pick<Delivery, "seq" | "chatId">, dueAt: number, error: string): Promise<void>;

  // push reports
  unreportedFinishedPushes(): Promise<PushReport[]>;
  markReported(seq: number): Promise<void>;
  lastPush(): Promise<PushReport | undefined>;
}
