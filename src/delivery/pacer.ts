/**
 * Pacing under Telegram's broadcast limits: a global token bucket (messages per second) that never
 * lets more than the limit go in any sliding second, a pause for every 429's retry_after, and a
 * minimum gap per chat (about 1/s for a private chat, 20/min for a group).
 */
import { performance } from "node:perf_hooks";

/** Telegram counts broadcast messages over a sliding second. */
const WINDOW_MS = 1000;
/** Above this rate the sliding second is not tracked: no Telegram limit is that high, and the record stays small. */
const MAX_TRACKED_RATE = 100_000;

/**
 * What the delivery engine needs from whoever paces its sends: the Pacer alone, or its lane of
 * the bot's one send budget (see budget/).
 */
export interface Pacing {
  /** The rate the engine sizes its concurrency by. */
  readonly perSecond: number;
  /** Milliseconds to wait before the next send may go; 0 when it may go now (and the slot is taken). */
  take(): number;
  /** Number of the send that took the last slot (see answered). */
  readonly lastTaken: number;
  /** Send number `n` got its answer now. */
  answered(n: number): void;
  /** A 429: nothing goes out until the pause is over. */
  pause(ms: number): void;
  /** Milliseconds until this chat may receive again (0 = now). */
  chatWait(chatId: number): number;
  /** Records a send to a chat. */
  sentTo(chatId: number): void;
}

export interface PacerOptions {
  perSecond: number;
  privateGapMs?: number;
  groupGapMs?: number;
  now?: () => number;
}

/** The record of the last second's sends, one slot per send the rate allows in a second. */
function ring(perSecond: number): Float64Array | undefined {
  const n = Math.floor(perSecond);
  return n >= 1 && n <= MAX_TRACKED_RATE ? new Float64Array(n).fill(-Infinity) : undefined;
}

export class Pacer implements Pacing {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private readonly chatReady = new Map<number, number>();
  /**
   * When each of the last `perSecond` sends went (or got its answer, if later), in a ring indexed
   * by send number. The bucket alone allows a burst on top of the rate in a sliding second.
   */
  private recent: Float64Array | undefined;
  private rate: number;
  private taken = 0;
  private readonly now: () => number;
  readonly privateGapMs: number;
  readonly groupGapMs: number;

  constructor(opts: PacerOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.rate = opts.perSecond;
    this.recent = ring(opts.perSecond);
    // Start with one token, not a full bucket: no burst above the configured rate.
    this.tokens = 1;
    this.last = this.now();
    this.privateGapMs = opts.privateGapMs ?? 1000;
    this.groupGapMs = opts.groupGapMs ?? 3000;
  }

  get perSecond(): number {
    return this.rate;
  }

  /**
   * Changes the rate from now on (the bot's limit split between the instances alive). The sends of the
   * last second stay counted, so that lowering the rate never lets a burst through.
   */
  setRate(perSecond: number): void {
    if (perSecond === this.rate) return;
    this.refill(this.now());
    const old = this.recent;
    const next = ring(perSecond);
    if (old && next) {
      // Send number s sits at s % length in either ring: keep the latest ones both can hold.
      const keep = Math.min(next.length, old.length, this.taken);
      for (let s = this.taken - keep; s < this.taken; s++) next[s % next.length] = old[s % old.length]!;
    }
    this.recent = next;
    this.rate = perSecond;
    this.tokens = Math.min(this.tokens, this.burst());
  }

  private burst(): number {
    return Math.max(1, this.rate / 10); // at most 100 ms worth of sends at once
  }

  private refill(t: number): void {
    this.tokens = Math.min(this.burst(), this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
  }

  /** Milliseconds to wait before the next send may go; 0 when it may go now (and the token is taken). */
  take(): number {
    const t = this.now();
    if (t < this.pausedUntil) return this.pausedUntil - t;
    // The send `perSecond` sends ago must be a full second old.
    const oldest = this.recent?.[this.taken % this.recent.length];
    if (oldest !== undefined && t - oldest < WINDOW_MS) return Math.max(1, Math.ceil(oldest + WINDOW_MS - t));
    this.refill(t);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      if (this.recent) this.recent[this.taken % this.recent.length] = t;
      this.taken++;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }

  /** Number of the send that took the last token (see answered). */
  get lastTaken(): number {
    return this.taken - 1;
  }

  /**
   * Send number `n` got its answer now. Telegram counted it at some moment before this, so the
   * sliding second counts it from now: a slow request cannot make the next second look emptier
   * than Telegram sees it.
   */
  answered(n: number): void {
    if (!this.recent || n < 0 || n >= this.taken || n < this.taken - this.recent.length) return;
    const i = n % this.recent.length;
    const t = this.now();
    if (t > this.recent[i]!) this.recent[i] = t;
  }

  /**
   * Milliseconds until fewer than `k` sends went in the last second (0 = already so). Paid
   * broadcasts go far above the free limit; a message without allow_paid_broadcast still needs
   * the sliding second to hold fewer than the free limit.
   */
  windowWait(k: number): number {
    if (!this.recent || k < 1 || k > this.recent.length || this.taken < k) return 0;
    const t = this.now();
    const kth = this.recent[(this.taken - k) % this.recent.length]!;
    return t - kth < WINDOW_MS ? Math.max(1, Math.ceil(kth + WINDOW_MS - t)) : 0;
  }

  /** A 429: nothing goes out until the pause is over. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.tokens = Math.min(this.tokens, 0);
  }

  get pausedFor(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }

  /** Milliseconds until this chat may receive again (0 = now). */
  chatWait(chatId: number): number {
    const ready = this.chatReady.get(chatId);
    if (ready === undefined) return 0;
    const wait = ready - this.now();
    if (wait <= 0) {
      this.chatReady.delete(chatId);
      return 0;
    }
    return wait;
  }

  /** Records a send to a chat. */
  sentTo(chatId: number): void {
    this.chatReady.set(chatId, this.now() + (chatId < 0 ? this.groupGapMs : this.privateGapMs));
    if (this.chatReady.size > 50_000) this.prune();
  }

  private prune(): void {
    const t = this.now();
    for (const [chat, ready] of this.chatReady) if (ready <= t) this.chatReady.delete(chat);
  }
}
