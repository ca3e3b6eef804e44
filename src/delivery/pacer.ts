/**
 * Pacing under Telegram's broadcast limits: a global token bucket (messages per second),
 * a pause for every 429's retry_after, and a minimum gap per chat (about 1/s for a private chat,
 * 20/min for a group).
 */
export interface PacerOptions {
  perSecond: number;
  privateGapMs?: number;
  groupGapMs?: number;
  now?: () => number;
}

export class Pacer {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private readonly chatReady = new Map<number, number>();
  private readonly now: () => number;
  readonly privateGapMs: number;
  readonly groupGapMs: number;

  constructor(private readonly opts: PacerOptions) {
    this.now = opts.now ?? Date.now;
    // Start with one token, not a full bucket: no burst above the configured rate.
    this.tokens = 1;
    this.last = this.now();
    this.privateGapMs = opts.privateGapMs ?? 1000;
    this.groupGapMs = opts.groupGapMs ?? 3000;
  }

  get perSecond(): number {
    return this.opts.perSecond;
  }

  private refill(t: number): void {
    const burst = Math.max(1, this.opts.perSecond / 10); // at most 100 ms worth of sends at once
    this.tokens = Math.min(burst, this.tokens + ((t - this.last) / 1000) * this.opts.perSecond);
    this.last = t;
  }

  /** Milliseconds to wait before the next send may go; 0 when it may go now (and the token is taken). */
  take(): number {
    const t = this.now();
    if (t < this.pausedUntil) return this.pausedUntil - t;
    this.refill(t);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.opts.perSecond) * 1000);
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
