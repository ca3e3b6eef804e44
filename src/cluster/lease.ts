/**
 * Holding a named lease (see store/contract/coordination.ts): tries to take it every `renewEveryMs`,
 * renews it while held, and says when it is gained and lost.
 *
 * A holder that cannot reach the database cannot renew: it gives the lease up on its own side once the
 * time it last renewed plus the lease's length, less one renewal period, has passed — before any other
 * instance may take it — so that two instances never act as holders at once.
 */
import type { Logger } from "../logger.js";
import type { Coordination } from "../store/contract/coordination.js";

export interface LeaseKeeperOptions {
  coordination: Coordination;
  name: string;
  /** This instance's id. */
  holder: string;
  /** How long a taken or renewed lease lasts, ms. */
  ttlMs: number;
  /** How often to take or renew it, ms; a third of ttlMs by default. */
  renewEveryMs?: number;
  /** Called once when the lease is gained; the keeper waits for it before renewing again. */
  onGained(): void | Promise<void>;
  /** Called once when it is lost (or given up on stop). */
  onLost(): void | Promise<void>;
  logger: Logger;
  /** The process's monotonic clock, ms. */
  now?(): number;
}

export class LeaseKeeper {
  private holding = false;
  private renewedAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private unreachable = false;
  private tick: Promise<void> = Promise.resolve();
  private readonly every: number;
  private readonly now: () => number;

  constructor(private readonly o: LeaseKeeperOptions) {
    this.every = o.renewEveryMs ?? Math.max(1, Math.floor(o.ttlMs / 3));
    this.now = o.now ?? (() => performance.now());
  }

  /** Whether this instance holds the lease now. */
  get held(): boolean {
    return this.holding;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops renewing; if held, calls onLost and releases the lease so another instance takes it at once. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.tick;
    if (!this.holding) return;
    await this.lose("stopped");
    await this.o.coordination
      .release(this.o.name, this.o.holder)
      .catch((err: unknown) => this.o.logger.warn({ err, lease: this.o.name }, "lease not released; it expires"));
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.tick = this.round().finally(() => this.schedule(this.every));
    }, ms);
    this.timer.unref?.();
  }

  private async round(): Promise<void> {
    const asked = this.now();
    let got: boolean;
    try {
      got = await this.o.coordination.acquire(this.o.name, this.o.holder, this.o.ttlMs);
      if (this.unreachable) this.o.logger.info({ lease: this.o.name }, "lease: database reachable again");
      this.unreachable = false;
    } catch (err) {
      if (!this.unreachable) this.o.logger.warn({ err, lease: this.o.name }, "lease: cannot reach the database");
      this.unreachable = true;
      // Held until renewedAt + ttl on the database's side: give it up one period before that.
      if (this.holding && this.now() >= this.renewedAt + this.o.ttlMs - this.every)
        await this.lose("not renewed in time");
      return;
    }
    if (!this.running) {
      // Stopped while asking: stop() releases it if it was held; a lease just taken is released here.
      if (got && !this.holding) await this.o.coordination.release(this.o.name, this.o.holder).catch(() => undefined);
      return;
    }
    if (got) {
      // The lease counts from when it was asked for: the database granted it no earlier.
      this.renewedAt = asked;
      if (!this.holding) {
        this.holding = true;
        this.o.logger.info({ lease: this.o.name, holder: this.o.holder }, "lease gained");
        try {
          await this.o.onGained();
        } catch (err) {
          this.o.logger.error({ err, lease: this.o.name }, "lease: starting its duties failed; giving it up");
          await this.lose("start failed");
          await this.o.coordination.release(this.o.name, this.o.holder).catch(() => undefined);
        }
      }
    } else if (this.holding) {
      await this.lose("taken by another instance");
    }
  }

  private async lose(why: string): Promise<void> {
    this.holding = false;
    this.o.logger.warn({ lease: this.o.name, holder: this.o.holder, why }, "lease lost");
    try {
      await this.o.onLost();
    } catch (err) {
      this.o.logger.error({ err, lease: this.o.name }, "lease: stopping its duties failed");
    }
  }
}
