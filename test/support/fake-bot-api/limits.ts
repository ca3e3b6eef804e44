/**
 * Telegram's flood limits on messages (sendMessage, sendPhoto, editMessageText), as the fake enforces
 * them when asked to: a global rate per second (a higher one for paid broadcasts, which edits cannot
 * be), a rate per chat per second and per group per minute (Telegram's are about 30/s, 1/s and
 * 20/min). Windows slide; over a limit the send is answered 429 with retry_after.
 */
import { tooMany } from "./protocol.js";

/** Fixed-size ring of timestamps; gives the k-th most recent one in O(1). */
class TimeRing {
  private readonly buf: Float64Array;
  private head = 0;
  private size = 0;
  constructor(readonly capacity: number) {
    this.buf = new Float64Array(capacity);
  }
  push(t: number): void {
    this.buf[this.head] = t;
    this.head = (this.head + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }
  recent(k: number): number | undefined {
    if (k < 1 || k > this.size) return undefined;
    let idx = this.head - k;
    if (idx < 0) idx += this.capacity;
    return this.buf[idx];
  }
}

/** Sliding-window limiter per key; idle keys are pruned once per window. */
class KeyedLimiter {
  private readonly rings = new Map<number, TimeRing>();
  private lastSweep = Number.NEGATIVE_INFINITY;
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}
  /** Milliseconds to wait before another event for key is allowed (0 = allowed). */
  waitMs(key: number, now: number): number {
    if (now - this.lastSweep >= this.windowMs) this.sweep(now);
    const t = this.rings.get(key)?.recent(this.limit);
    if (t === undefined) return 0;
    const wait = t + this.windowMs - now;
    return Math.max(wait, 0);
  }
  record(key: number, now: number): void {
    let r = this.rings.get(key);
    if (r === undefined) {
      r = new TimeRing(this.limit);
      this.rings.set(key, r);
    }
    r.push(now);
  }
  get trackedKeys(): number {
    return this.rings.size;
  }
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [k, r] of this.rings) {
      const last = r.recent(1);
      if (last === undefined || now - last >= this.windowMs) this.rings.delete(k);
    }
  }
}

export interface FloodLimitOptions {
  /** More than this many sendMessage calls in any sliding 1 s window -> 429. */
  globalPerSecond?: number;
  /** Instead of globalPerSecond for allow_paid_broadcast sends (default 1000 when globalPerSecond is set). */
  paidGlobalPerSecond?: number;
  /** Per chat_id, in a sliding 1 s window. */
  perChatPerSecond?: number;
  /** Per group (negative chat_id), in a sliding 60 s window. */
  perGroupPerMinute?: number;
}

/** The limits of one fake; no option set = no limit. */
export class FloodLimits {
  private globalRing: TimeRing | undefined;
  private perChat: KeyedLimiter | undefined;
  private perGroup: KeyedLimiter | undefined;
  private readonly globalLimit: number | undefined;
  private readonly paidLimit: number | undefined;

  constructor(private readonly opts: FloodLimitOptions) {
    const positive = (v: number | undefined): number | undefined =>
      v === undefined ? undefined : Math.max(1, Math.floor(v));
    this.globalLimit = positive(opts.globalPerSecond);
    this.paidLimit = positive(opts.paidGlobalPerSecond ?? (opts.globalPerSecond !== undefined ? 1000 : undefined));
    this.reset();
  }

  /** Number of keys the per-chat and per-group limiters currently track (for memory checks). */
  get trackedKeys(): number {
    return (this.perChat?.trackedKeys ?? 0) + (this.perGroup?.trackedKeys ?? 0);
  }

  /** Forgets every window. */
  reset(): void {
    const cap = Math.max(this.globalLimit ?? 0, this.paidLimit ?? 0);
    this.globalRing = cap > 0 ? new TimeRing(cap) : undefined;
    const perChat = this.opts.perChatPerSecond;
    this.perChat = perChat !== undefined ? new KeyedLimiter(Math.max(1, Math.floor(perChat)), 1000) : undefined;
    const perGroup = this.opts.perGroupPerMinute;
    this.perGroup = perGroup !== undefined ? new KeyedLimiter(Math.max(1, Math.floor(perGroup)), 60_000) : undefined;
  }

  /** Throws 429 if sending to chatId at `now` (ms) would exceed a limit; otherwise counts it. */
  admit(chatId: number, paid: boolean, now: number): void {
    let wait = 0;
    const limit = paid ? this.paidLimit : this.globalLimit;
    if (this.globalRing && limit !== undefined) {
      const t = this.globalRing.recent(limit);
      if (t !== undefined && now - t < 1000) wait = Math.max(wait, t + 1000 - now);
    }
    if (this.perChat) wait = Math.max(wait, this.perChat.waitMs(chatId, now));
    if (this.perGroup && chatId < 0) wait = Math.max(wait, this.perGroup.waitMs(chatId, now));
    if (wait > 0) throw tooMany(Math.max(1, Math.ceil(wait / 1000)));
    this.globalRing?.push(now);
    this.perChat?.record(chatId, now);
    if (this.perGroup && chatId < 0) this.perGroup.record(chatId, now);
  }
}
