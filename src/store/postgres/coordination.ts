/**
 * Leases and heartbeats on PostgreSQL (see contract/coordination.ts). Every time is the server's
 * (`clock_timestamp()`), so instances whose clocks disagree still agree on who holds a lease. Taking a
 * lease is one statement: the row is inserted, or updated only if it has expired or is the holder's
 * own, and the statement says whether the holder has it afterwards.
 */
import type { Coordination, InstanceInfo, Lease } from "../contract/coordination.js";
import type { PgDatabase } from "./connection.js";

/** The server's clock in epoch milliseconds. */
const NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

export const COORDINATION_SCHEMA = `
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE TABLE instances (
  id TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  seen_at BIGINT NOT NULL
);
`;

export class PgCoordination implements Coordination {
  constructor(private readonly db: PgDatabase) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows = await this.db.query<{ holder: string }>(
      `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, ${NOW_MS} + $3)
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= ${NOW_MS}
       RETURNING holder`,
      [name, holder, Math.round(ttlMs)],
    );
    return rows.length === 1 && rows[0]!.holder === holder;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db.query("DELETE FROM leases WHERE name = $1 AND holder = $2", [name, holder]);
  }

  async leases(): Promise<Lease[]> {
    const rows = await this.db.query<{ name: string; holder: string; expires_at: string }>(
      "SELECT name, holder, expires_at FROM leases ORDER BY name",
    );
    return rows.map((r) => ({ name: r.name, holder: r.holder, expiresAt: Number(r.expires_at) }));
  }

  async heartbeat(i: Omit<InstanceInfo, "seenAt">): Promise<void> {
    await this.db.query(
      `INSERT INTO instances (id, host, pid, started_at, waiting, seen_at) VALUES ($1, $2, $3, $4, $5, ${NOW_MS})
       ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at, waiting = EXCLUDED.waiting`,
      [i.id, i.host, i.pid, i.startedAt, Math.max(0, Math.round(i.waiting))],
    );
  }

  async instances(withinMs: number): Promise<InstanceInfo[]> {
    const rows = await this.db.query<{
      id: string;
      host: string;
      pid: number;
      started_at: string;
      waiting: number;
      seen_at: string;
    }>(
      `SELECT id, host, pid, started_at, waiting, seen_at FROM instances WHERE seen_at >= ${NOW_MS} - $1
       ORDER BY started_at, id`,
      [Math.round(withinMs)],
    );
    return rows.map((r) => ({
      id: r.id,
      host: r.host,
      pid: r.pid,
      startedAt: Number(r.started_at),
      waiting: r.waiting,
      seenAt: Number(r.seen_at),
    }));
  }

  async leave(id: string): Promise<void> {
    await this.db.query("DELETE FROM instances WHERE id = $1", [id]);
  }
}
