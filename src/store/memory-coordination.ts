/**
 * Coordination for one process (the SQLite engine): leases and heartbeats in memory, on the process's
 * clock. With one instance the semantics are the same as on a shared database, only never contended.
 */
import type { Coordination, InstanceInfo, Lease } from "./contract/coordination.js";

export class LocalCoordination implements Coordination {
  private readonly held = new Map<string, Lease>();
  private readonly alive = new Map<string, InstanceInfo>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const t = this.now();
    const l = this.held.get(name);
    if (l && l.holder !== holder && l.expiresAt > t) return false;
    this.held.set(name, { name, holder, expiresAt: t + ttlMs });
    return true;
  }

  async release(name: string, holder: string): Promise<void> {
    if (this.held.get(name)?.holder === holder) this.held.delete(name);
  }

  async leases(): Promise<Lease[]> {
    return [...this.held.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async heartbeat(i: Omit<InstanceInfo, "seenAt">): Promise<void> {
    this.alive.set(i.id, { ...i, seenAt: this.now() });
  }

  async instances(withinMs: number): Promise<InstanceInfo[]> {
    const since = this.now() - withinMs;
    return [...this.alive.values()].filter((i) => i.seenAt >= since).sort((a, b) => a.startedAt - b.startedAt);
  }

  async leave(id: string): Promise<void> {
    this.alive.delete(id);
  }
}
