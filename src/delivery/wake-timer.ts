/** One timer set for the earliest time anything is due: the send budget and the live cards wake on it. */

/** The clock and timers it runs on (the send budget's clock satisfies it; tests inject a manual one). */
export interface TimerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export class WakeTimer {
  private handle: unknown;
  private at = Infinity;

  /**
   * @param clock timers (a manual one in tests)
   * @param fire called once the time comes
   * @param minDelayMs the shortest wait a timer is set for
   */
  constructor(
    private readonly clock: TimerClock,
    private readonly fire: () => void,
    private readonly minDelayMs = 0,
  ) {}

  /** Wakes at `at` (clock time) unless already set to wake by then. */
  arm(at: number): void {
    if (this.handle !== undefined && this.at <= at) return;
    this.disarm();
    this.at = at;
    this.handle = this.clock.setTimeout(
      () => {
        this.handle = undefined;
        this.at = Infinity;
        this.fire();
      },
      Math.max(this.minDelayMs, Math.ceil(at - this.clock.now())),
    );
  }

  disarm(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.at = Infinity;
  }
}
