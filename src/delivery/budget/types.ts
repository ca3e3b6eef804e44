/** What the send budget offers and is given: the classes of messages, a request and its verdict, the options, the counters. */
import type { Logger } from "../../logger.js";

/** Queued classes, highest priority first. Pushes are the third class: they never queue here. */
export type SendClass = "reply" | "newsroom";

/** A chat id as the Bot API takes it (a number, or "@channel"). */
export type ChatKey = number | string;

/** The clock and timers the budget runs on (tests inject a manual one). */
export interface BudgetClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SendBudgetOptions {
  /** The account's limit: messages per second for everything the bot sends. */
  perSecond: number;
  /**
   * Telegram's free limit (30/s). With paid broadcast `perSecond` is above it, but replies and the
   * newsroom's messages do not carry allow_paid_broadcast: they go only while the last second
   * holds fewer than this many sends.
   */
  freePerSecond?: number;
  /** Gap between two messages to one private chat (default 1000 ms). */
  privateGapMs?: number;
  /** Gap between two messages to one group or channel (default 3000 ms: 20 a minute). */
  groupGapMs?: number;
  /** A reply that has waited longer than this is dropped (default 60 s). */
  replyMaxWaitMs?: number;
  /** At most this many replies wait; past it the oldest is dropped (default: what 2 × replyMaxWaitMs at the free rate can send). */
  replyQueueMax?: number;
  logger?: Logger;
  clock?: BudgetClock;
}

/** Counters for /stato, the logs and the benchmarks. */
export interface SendStats {
  /** Replies answered by Telegram (whatever the answer). */
  replies: number;
  /** The newsroom's messages answered by Telegram. */
  newsroom: number;
  /** Replies dropped because they waited longer than replyMaxWaitMs. */
  droppedWaited: number;
  /** Replies dropped because the queue was past replyQueueMax. */
  droppedOverflow: number;
  /** 429s from any request (pushes included). */
  rateLimited: number;
  /** Requests sent again after a 5xx. */
  retried: number;
  /** Replies waiting now, and the most that ever waited. */
  queued: number;
  peakQueued: number;
  /** The bound on a reply's wait, seconds. */
  replyMaxWaitS: number;
}

/** What the budget does after a request's answer. */
export type Verdict =
  | { kind: "done" }
  | { kind: "rate-limited"; retryAfterMs: number }
  | { kind: "retry"; afterMs: number };

export interface SendRequest<T> {
  /** The chat the message goes to; undefined = no chat (an inline message): no gap, no order. */
  chat: ChatKey | undefined;
  cls: SendClass;
  /** Makes the request (again, after a 429 or a retry verdict). */
  send(): Promise<T>;
  /** What the answer means; `attempts` counts this one. */
  verdict(result: T, attempts: number): Verdict;
  signal?: AbortSignal;
}

/** A reply the budget gave up on: it waited too long, or the queue overflowed. */
export class ReplyDropped extends Error {
  override name = "ReplyDropped";
  constructor(
    readonly reason: "waited" | "overflow",
    readonly waitedMs: number,
  ) {
    super(reason === "waited" ? `reply dropped after waiting ${waitedMs} ms` : "reply dropped: the queue is full");
  }
}

/** Telegram's limit for messages that are not paid broadcasts. */
export const FREE_PER_SECOND = 30;
