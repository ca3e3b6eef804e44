/**
 * What several instances of the bot on one database agree through it: named leases (one holder at a
 * time, until the lease expires unless renewed) and the instances alive (each one's heartbeat).
 *
 * - The lease `updates` is held by the one instance that long-polls Telegram (a second one would get 409).
 * - The lease `leader` is held by the one instance that does what must happen once for the whole bot:
 *   polling the Ministry's feed, the live cards' laps, the data pack's watcher, push reports.
 * - Every instance sends from the shared outbox; the send budget is split between the instances alive.
 *
 * SQLite serves one process: its implementation keeps the leases in memory and always grants them.
 */
export interface Lease {
  name: string;
  holder: string;
  /** Epoch ms, on the database's clock. */
  expiresAt: number;
}

export interface InstanceInfo {
  id: string;
  /** Host name and process id, for the newsroom's view. */
  host: string;
  pid: number;
  startedAt: number;
  /** Replies waiting for a send slot in its budget at its last heartbeat (its demand, see Membership). */
  waiting: number;
  /** Last heartbeat, epoch ms, on the database's clock. */
  seenAt: number;
}

export interface Coordination {
  /**
   * Takes the lease for `ttlMs` if it is free or expired, or renews it if `holder` has it; true when
   * `holder` holds it afterwards. Time is the database's own (instances' clocks may differ).
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up now if `holder` has it (a clean stop: another instance takes over at once). */
  release(name: string, holder: string): Promise<void>;
  /** Every lease, held or expired. */
  leases(): Promise<Lease[]>;
  /** Records that the instance is alive now. */
  heartbeat(instance: Omit<InstanceInfo, "seenAt">): Promise<void>;
  /** The instances seen within the last `withinMs`, oldest first. */
  instances(withinMs: number): Promise<InstanceInfo[]>;
  /** Forgets an instance (a clean stop). */
  leave(id: string): Promise<void>;
}
