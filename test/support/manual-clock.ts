/**
 * A clock the test moves by hand, with timers on it: what the send budget runs on in tests, so
 * they assert the order and spacing of sends in simulated time, never wall-clock time.
 */
import type { BudgetClock } from "../../src/delivery/budget/index.js";

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/** Lets promise callbacks (a send's answer) run before the clock moves on. */
export const settle = () => new Promise<void>((r) => setImmediate(r));

export class ManualClock implements BudgetClock {
  private t: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start = 1_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }

  /** Timers still set. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      let next: Timer | undefined;
      for (const x of this.timers) if (x.at <= end && (!next || x.at < next.at)) next = x;
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.at);
      next.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}
