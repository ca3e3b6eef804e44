/**
 * Pacing of the requests to the Ministry: a sliding-window cap, so that the number of requests started in
 * any one second never goes above ELIGENDO_MAX_RPS (the Ministry blocks at about 40 a second), on a clock
 * that tests replace.
 */
import { performance } from "node:perf_hooks";

/** Milliseconds from an arbitrary origin, and a sleep that a stop can cut short. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || ms <= 0) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
};

export interface RateLimiterOptions {
  /** Requests per second, at most; may be fractional (0.5 = one every two seconds). */
  maxPerSecond: number;
  clock?: Clock;
  /**
   * Added to the window: requests leave a little after the limiter lets them go, and a pause of the event
   * loop (a garbage collection) can bunch their arrivals; the margin keeps the cap true at the Ministry's
   * end too. Default 100 ms (the full rate then runs at about 10/11 of ELIGENDO_MAX_RPS).
   */
  marginMs?: number;
}

/**
 * At most `capacity` starts within any `window` (≥ 1 s), and starts spaced by at least 1 s ÷ rate.
 *
 * The window is the guarantee; the spacing keeps requests from leaving in bursts, which would reach the
 * Ministry bunched (a burst's tail arrives late, next to the following burst's head) and look faster
 * than they are. A fractional rate keeps capacity × 1 s ÷ rate as the window, so that no second ever sees
 * more than the rate: 2.5/s allows 2 in any second.
 */
export class RateLimiter {
  readonly capacity: number;
  readonly windowMs: number;
  readonly gapMs: number;
  private readonly clock: Clock;
  /** Start times of the last `capacity` requests, oldest first. */
  private readonly starts: number[] = [];

  constructor(opts: RateLimiterOptions) {
    if (!(opts.maxPerSecond > 0)) throw new RangeError("maxPerSecond must be positive");
    this.capacity = Math.max(1, Math.floor(opts.maxPerSecond));
    this.windowMs = Math.max(1000, (1000 * this.capacity) / opts.maxPerSecond) + (opts.marginMs ?? 100);
    this.gapMs = 1000 / opts.maxPerSecond;
    this.clock = opts.clock ?? realClock;
  }

  /** Resolves when a request may start (and counts it as started); false when `signal` stopped the wait. */
  async acquire(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal?.aborted) return false;
      const now = this.clock.now();
      while (this.starts.length && now - this.starts[0]! >= this.windowMs) this.starts.shift();
      const last = this.starts.at(-1);
      const spacedAt = last === undefined ? now : last + this.gapMs;
      const windowAt = this.starts.length < this.capacity ? now : this.starts[0]! + this.windowMs;
      const at = Math.max(spacedAt, windowAt);
      if (at <= now) {
        this.starts.push(now);
        return true;
      }
      await this.clock.sleep(at - now, signal);
    }
  }
}
