/**
 * The instances of the bot alive on the shared database: each one records a heartbeat every
 * `everyMs` and counts the instances seen within three heartbeats. The send budget is split by that
 * count, so that the instances together stay under the bot's one limit:
 *
 * - an instance that joins waits `warmUpMs` (two heartbeats) before it sends pushes: by then every
 *   other instance counts it and has lowered its own share;
 * - an instance that dies stops sending at once; the others raise their share once its heartbeats are
 *   three periods old, never earlier.
 * - while the database cannot be reached, the count stays as it was last known.
 */
import { hostname } from "node:os";
import type { Logger } from "../logger.js";
import type { Coordination, InstanceInfo } from "../store/contract/coordination.js";

export interface MembershipOptions {
  coordination: Coordination;
  id: string;
  everyMs?: number;
  logger: Logger;
  /** The number of instances alive changed (at least 1: this one). */
  onCount?(n: number): void;
}

export class Membership {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private known: InstanceInfo[] = [];
  private tick: Promise<void> = Promise.resolve();
  private readonly startedAt = Date.now();
  readonly everyMs: number;

  constructor(private readonly o: MembershipOptions) {
    this.everyMs = o.everyMs ?? 2_000;
  }

  /** Two heartbeats: how long a new instance waits before sending pushes. */
  get warmUpMs(): number {
    return 2 * this.everyMs;
  }

  /** The instances alive as last seen (this one included once it has beaten). */
  get instances(): readonly InstanceInfo[] {
    return this.known;
  }

  get count(): number {
    return Math.max(1, this.known.length);
  }

  /** Beats once now (so that the others count this instance), then every `everyMs`. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.beat();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.tick;
    await this.o.coordination
      .leave(this.o.id)
      .catch((err: unknown) => this.o.logger.warn({ err }, "could not say this instance left; it expires"));
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.tick = this.beat().finally(() => this.schedule());
    }, this.everyMs);
    this.timer.unref?.();
  }

  private async beat(): Promise<void> {
    try {
      await this.o.coordination.heartbeat({
        id: this.o.id,
        host: hostname(),
        pid: process.pid,
        startedAt: this.startedAt,
      });
      const before = this.count;
      this.known = await this.o.coordination.instances(3 * this.everyMs);
      if (this.count !== before) {
        this.o.logger.info({ instances: this.count }, "instances alive changed");
        this.o.onCount?.(this.count);
      }
    } catch (err) {
      this.o.logger.warn({ err }, "heartbeat failed: the count of instances stays as last known");
    }
  }
}
