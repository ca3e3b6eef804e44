import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/feed/rate.js";
import { VirtualClock } from "../support/virtual-clock.js";

/** The most starts within any window of `ms` (half-open, as "in any second"). */
function maxInWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** `workers` concurrent loops taking `n` permits in all; returns the clock's time at each start. */
async function starts(limiter: RateLimiter, clock: VirtualClock, n: number, workers: number): Promise<number[]> {
  const times: number[] = [];
  let left = n;
  const worker = async () => {
    while (left > 0) {
      left--;
      await limiter.acquire();
      times.push(clock.now());
      // A request takes some time; some workers come back sooner than others.
      await clock.sleep(37 * ((times.length % 3) + 1));
    }
  };
  await clock.run(Promise.all(Array.from({ length: workers }, worker)));
  return times;
}

describe("rate limiter (on a virtual clock)", () => {
  it("never lets more than the rate start in any second, with many workers waiting", async () => {
    for (const rate of [1, 5, 20]) {
      const clock = new VirtualClock();
      const limiter = new RateLimiter({ maxPerSecond: rate, clock, marginMs: 0 });
      const times = await starts(limiter, clock, 200, 24);
      expect(times).toHaveLength(200);
      expect(maxInWindow(times, 1000)).toBe(rate);
      // Spaced, not in bursts: no two starts closer than 1 s ÷ rate.
      const sorted = [...times].sort((a, b) => a - b);
      const gaps = sorted.slice(1).map((t, i) => t - sorted[i]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / rate - 1e-9);
      // And it does not hold back more than it must: 200 starts take about 200 ÷ rate seconds.
      expect(Math.max(...times)).toBeLessThanOrEqual((200 / rate) * 1000 + 1000);
    }
  });

  it("keeps a margin on top of the second when asked", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ maxPerSecond: 5, clock, marginMs: 25 });
    const times = await starts(limiter, clock, 50, 10);
    expect(maxInWindow(times, 1025)).toBe(5);
  });

  it("holds a fractional rate: 2.5/s allows two in any second, 0.5/s one every two seconds", async () => {
    const clock = new VirtualClock();
    const twoAndHalf = new RateLimiter({ maxPerSecond: 2.5, clock, marginMs: 0 });
    expect(maxInWindow(await starts(twoAndHalf, clock, 30, 4), 1000)).toBe(2);
    const clock2 = new VirtualClock();
    const half = new RateLimiter({ maxPerSecond: 0.5, clock: clock2, marginMs: 0 });
    const times = await starts(half, clock2, 6, 3);
    expect(maxInWindow(times, 2000)).toBe(1);
    expect(times.at(-1)).toBe(10_000);
  });

  it("stops waiting when told to", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ maxPerSecond: 1, clock });
    expect(await limiter.acquire()).toBe(true);
    const stop = new AbortController();
    const waiting = limiter.acquire(stop.signal);
    stop.abort();
    expect(await waiting).toBe(false);
    expect(() => new RateLimiter({ maxPerSecond: 0 })).toThrow(RangeError);
  });
});
