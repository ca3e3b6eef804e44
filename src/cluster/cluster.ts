/**
 * One instance among several on a shared database (PostgreSQL): its heartbeat and count of the
 * instances alive (the send budget's share), the `leader` lease (what must happen once for the whole
 * bot: the Ministry's feed, the live cards' laps, the data pack's watcher, reports) and, in long-polling
 * mode, the `updates` lease (one instance polls Telegram; another takes over within the lease's length
 * when it dies). See docs/deploy.md, "Several instances".
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "../logger.js";
import type { Coordination, InstanceInfo, Lease } from "../store/contract/coordination.js";
import { LeaseKeeper } from "./lease.js";
import { Membership } from "./membership.js";

/** What an instance does while it holds a lease. */
export interface Duty {
  /** Start the duty (the lease was gained). A failure gives the lease up again. */
  gained(): void | Promise<void>;
  /** Stop it (the lease was lost, or this instance stops). */
  lost(): void | Promise<void>;
}

export interface ClusterOptions {
  coordination: Coordination;
  logger: Logger;
  /** This instance's id; host, process and a random part by default. */
  id?: string;
  /** How long a lease lasts unless renewed, ms: the longest a dead holder's duty stays undone. */
  leaseTtlMs?: number;
  heartbeatMs?: number;
  leader: Duty;
  /** Long polling only: who takes Telegram's updates. */
  updates?: Duty;
  /** The number of instances alive changed. */
  onCount?(n: number): void;
  /** Replies waiting in this instance's send budget now (its demand; see Membership). */
  waiting?(): number;
  /** This instance's share of the bot's send limit changed (see Membership). */
  onShare?(share: number): void;
}

export interface ClusterStatus {
  id: string;
  leader: boolean;
  instances: InstanceInfo[];
  leases: Lease[];
}

export const DEFAULT_LEASE_TTL_MS = 6_000;

export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

export class Cluster {
  readonly id: string;
  readonly membership: Membership;
  private readonly leader: LeaseKeeper;
  private readonly updates: LeaseKeeper | undefined;

  constructor(private readonly o: ClusterOptions) {
    this.id = o.id ?? newInstanceId();
    const ttlMs = o.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.membership = new Membership({
      coordination: o.coordination,
      id: this.id,
      logger: o.logger,
      ...(o.heartbeatMs !== undefined ? { everyMs: o.heartbeatMs } : {}),
      ...(o.onCount ? { onCount: o.onCount } : {}),
      ...(o.waiting ? { waiting: o.waiting } : {}),
      ...(o.onShare ? { onShare: o.onShare } : {}),
    });
    const keeper = (name: string, duty: Duty) =>
      new LeaseKeeper({
        coordination: o.coordination,
        name,
        holder: this.id,
        ttlMs,
        logger: o.logger,
        onGained: () => duty.gained(),
        onLost: () => duty.lost(),
      });
    this.leader = keeper("leader", o.leader);
    this.updates = o.updates && keeper("updates", o.updates);
  }

  /** Whether this instance holds the leader lease now. */
  get isLeader(): boolean {
    return this.leader.held;
  }

  /** Whether this instance polls Telegram now (long polling). */
  get takesUpdates(): boolean {
    return this.updates?.held ?? false;
  }

  /** Joins: one heartbeat (so the others count it), then the leases are contended. */
  async start(): Promise<void> {
    await this.membership.start();
    this.o.onCount?.(this.membership.count);
    this.o.onShare?.(this.membership.share);
    this.leader.start();
    this.updates?.start();
  }

  /** Leaves: the leases are given up (their duties stopped first), then the heartbeat ends. */
  async stop(): Promise<void> {
    await Promise.all([this.leader.stop(), this.updates?.stop()]);
    await this.membership.stop();
  }

  /** The instances alive and the leases, as the database has them (for /stato and the desk). */
  async status(): Promise<ClusterStatus> {
    const [instances, leases] = await Promise.all([
      this.o.coordination.instances(3 * this.membership.everyMs),
      this.o.coordination.leases(),
    ]);
    return { id: this.id, leader: this.isLeader, instances, leases };
  }
}
