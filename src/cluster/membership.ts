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
 *
 * The split follows demand. Replies cannot move between instances (each answers the updates it
 * received), pushes can (any instance claims them from the shared outbox). So each instance publishes
 * with its heartbeat how many replies wait in its budget, and takes a share in proportion to 1 + that,
 * above a floor (FLOOR of the limit, split equally, so that an idle instance still answers at once).
 * An uneven rush (a load balancer sending most updates to one instance) then gets nearly the whole
 * limit where it is, as on a single instance, rather than 1/n of it.
 *
 * The shares must never add up to more than the limit, though each instance reads the others'
 * demand at its own moment. So an instance takes the lowest of the shares it computed at its last
 * HISTORY heartbeats: a share goes down at once (when another instance's demand rises, or a new one
 * joins), and up only once it has held for two more heartbeats, by when every other instance has seen
 * the change and lowered its own. A newcomer starts at its floor for the same reason. When instances
 * only left (their heartbeats three periods old), the others take their shares at once: nobody else
 * is sending with them. The price of reading the others a heartbeat late: while every instance drains
 * its replies, each counts the others a little busier than they are, and the shares add up to a little
 * less than the limit (most near the end of a rush, when few replies are left).
 */
import { hostname } from "node:os";
import type { Logger } from "../logger.js";
import type { Coordination, InstanceInfo } from "../store/contract/coordination.js";

/** The part of the limit kept as a floor, split equally between the instances. */
export const FLOOR = 0.1;
/** How many heartbeats of demand each instance remembers (see the module's comment). */
const HISTORY = 3;

/**
 * This instance's share of the limit, from its demand and the others' (replies waiting; see the
 * module's comment for which of the remembered values each is).
 */
export function shareOf(own: number, others: readonly number[]): number {
  const n = 1 + others.length;
  if (n === 1) return 1;
  const floor = FLOOR / n;
  const weight = (w: number) => 1 + Math.max(0, w);
  const total = weight(own) + others.reduce((sum, w) => sum + weight(w), 0);
  return floor + (1 - n * floor) * (weight(own) / total);
}

export interface MembershipOptions {
  coordination: Coordination;
  id: string;
  everyMs?: number;
  logger: Logger;
  /** The number of instances alive changed (at least 1: this one). */
  onCount?(n: number): void;
  /** Replies waiting for a send slot in this instance's budget now (its demand). */
  waiting?(): number;
  /** This instance's share of the bot's limit changed (0 < share ≤ 1). */
  onShare?(share: number): void;
}

export class Membership {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private known: InstanceInfo[] = [];
  /** The shares this instance computed at its last HISTORY heartbeats, newest last. */
  private targets: number[] = [];
  /** The instances alive at the last heartbeat. */
  private alive = new Set<string>();
  private lastShare = 1;
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

  /** This instance's share of the limit, as last set. */
  get share(): number {
    return this.lastShare;
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

  /** Sets this instance's share from what every instance published (see the module's comment). */
  private reshare(): void {
    const alive = new Set(this.known.map((i) => i.id));
    const others = this.known.filter((i) => i.id !== this.o.id);
    const own = this.known.find((i) => i.id === this.o.id)?.waiting ?? 0;
    const target = shareOf(
      own,
      others.map((i) => i.waiting),
    );
    const first = this.alive.size === 0;
    const joined = !first && [...alive].some((id) => !this.alive.has(id));
    const left = !first && [...this.alive].some((id) => !alive.has(id));
    this.alive = alive;
    // Alone: the whole limit at once. A newcomer: its floor for two more heartbeats. Instances that
    // only left: their shares are free at once.
    if (others.length === 0 || (left && !joined)) this.targets = [];
    else if (first) this.targets = [FLOOR / alive.size, FLOOR / alive.size];
    this.targets.push(target);
    if (this.targets.length > HISTORY) this.targets.shift();
    const share = Math.min(...this.targets);
    if (Math.abs(share - this.lastShare) < 1e-9) return;
    this.lastShare = share;
    this.o.onShare?.(share);
  }

  private async beat(): Promise<void> {
    try {
      await this.o.coordination.heartbeat({
        id: this.o.id,
        host: hostname(),
        pid: process.pid,
        startedAt: this.startedAt,
        waiting: this.o.waiting?.() ?? 0,
      });
      const before = this.count;
      this.known = await this.o.coordination.instances(3 * this.everyMs);
      if (this.count !== before) {
        this.o.logger.info({ instances: this.count }, "instances alive changed");
        this.o.onCount?.(this.count);
      }
      this.reshare();
    } catch (err) {
      this.o.logger.warn({ err }, "heartbeat failed: the count of instances stays as last known");
    }
  }
}
