/**
 * Experimental (SEND_BUDGET=single): counted Bot API calls handed from one instance to the one that
 * sends for the whole bot, through the table `relayed_calls` and LISTEN/NOTIFY on a connection of
 * each instance's own.
 *
 * - The caller inserts the call and notifies `relay_call` in one statement, then waits for a
 *   notification on `relay_done` carrying the call's id (and its outcome, when it fits in one).
 * - The sender, on each `relay_call` (and once a second, in case a notification was missed), takes
 *   every call waiting (`FOR UPDATE SKIP LOCKED`), performs each, writes the outcome to its row and
 *   notifies `relay_done`. A call older than `maxAgeMs` when taken is not performed: its caller has
 *   given up on it (it is answered as dropped).
 * - The caller deletes the row once it has the outcome; once a second it also reads the outcomes of
 *   its calls still waiting (a missed notification costs a second, not the call). On its timeout it
 *   deletes the row: a call not yet taken then never goes.
 *
 * Channels are per schema: notifications are database-wide.
 */
import type pg from "pg";
import type { Logger } from "../../logger.js";
import { type CallRelay, type RelayedCall, type RelayOutcome, RelayTimeout } from "../contract/relay.js";
import { type PgDatabase, toNumber } from "./connection.js";

const NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

export const RELAY_SCHEMA = `
CREATE TABLE relayed_calls (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cls TEXT NOT NULL CHECK (cls IN ('reply', 'newsroom')),
  method TEXT NOT NULL,
  payload JSONB NOT NULL,
  caller TEXT NOT NULL,
  created_at BIGINT NOT NULL DEFAULT ${NOW_MS},
  taken_by TEXT,
  outcome JSONB
);
CREATE INDEX relayed_calls_waiting ON relayed_calls (id) WHERE taken_by IS NULL;
`;

/** A notification's payload must stay under 8000 bytes: larger outcomes are read from the row. */
const INLINE_MAX = 7000;
/** How often each side looks at the table whatever the notifications said, ms. */
const SWEEP_MS = 1000;
/** At most this many calls taken at once. */
const TAKE_BATCH = 500;

interface Pending {
  resolve(o: RelayOutcome): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
  at: number;
}

export interface PgRelayOptions {
  /** This instance's id (the caller's, on each row). */
  instance: string;
  logger: Pick<Logger, "info" | "warn" | "error">;
  /** A call waiting longer than this when the sender takes it is not performed (default 60 s). */
  maxAgeMs?: number;
}

const channel = (name: string, schema: string | undefined) => (schema ? `${name}_${schema}` : name).slice(0, 63);

export class PgRelay implements CallRelay {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly pending = new Map<number, Pending>();
  private perform: ((call: RelayedCall) => Promise<RelayOutcome>) | undefined;
  private taking = false;
  private takeAgain = false;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeps = 0;
  private closed = false;
  private readonly callChannel: string;
  private readonly doneChannel: string;
  private readonly maxAgeMs: number;

  constructor(
    private readonly db: PgDatabase,
    private readonly o: PgRelayOptions,
  ) {
    this.callChannel = channel("relay_call", db.schema);
    this.doneChannel = channel("relay_done", db.schema);
    this.maxAgeMs = o.maxAgeMs ?? 60_000;
  }

  async forward(call: Omit<RelayedCall, "id">, timeoutMs: number): Promise<RelayOutcome> {
    if (this.closed) throw new Error("relay closed: the bot is stopping");
    await this.listening();
    const row = await this.db.one<{ id: string }>(
      `WITH c AS (INSERT INTO relayed_calls (cls, method, payload, caller) VALUES ($1, $2, $3, $4) RETURNING id)
       SELECT id, pg_notify($5, id::text) FROM c`,
      [call.cls, call.method, JSON.stringify(call.payload), this.o.instance, this.callChannel],
    );
    const id = toNumber(row!.id);
    const at = Date.now();
    return new Promise<RelayOutcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.db
          .count("DELETE FROM relayed_calls WHERE id = $1 AND taken_by IS NULL", [id])
          .then(
            (n) => reject(new RelayTimeout(n === 0, Date.now() - at)),
            () => reject(new RelayTimeout(true, Date.now() - at)),
          )
          .finally(() => void this.db.query("DELETE FROM relayed_calls WHERE id = $1", [id]).catch(() => undefined));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, at });
    });
  }

  async serve(perform: (call: RelayedCall) => Promise<RelayOutcome>): Promise<void> {
    this.perform = perform;
    const c = await this.listening();
    await c.query(`LISTEN "${this.callChannel}"`);
    this.take();
  }

  async unserve(): Promise<void> {
    this.perform = undefined;
    await this.client?.query(`UNLISTEN "${this.callChannel}"`).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.perform = undefined;
    clearInterval(this.sweeper);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error("relay closed: the bot is stopping"));
      this.pending.delete(id);
    }
    const c = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }

  /** The LISTEN connection, opened (and listening on `relay_done`) once. */
  private listening(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    let failed: pg.Client | undefined;
    const c = await this.db.dedicatedClient((err) => {
      this.o.logger.warn({ err }, "relay: the LISTEN connection failed; opening another");
      // Reopened (and listening again) at the next sweep.
      if (this.client && this.client === failed) this.client = undefined;
      void failed?.end().catch(() => undefined);
    });
    failed = c;
    c.on("end", () => {
      if (this.client === c) this.client = undefined;
    });
    c.on("notification", (m) => this.notified(m));
    await c.query(`LISTEN "${this.doneChannel}"`);
    if (this.perform) await c.query(`LISTEN "${this.callChannel}"`);
    if (this.closed) {
      await c.end().catch(() => undefined);
      throw new Error("relay closed: the bot is stopping");
    }
    this.client = c;
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
      this.sweeper.unref();
    }
    return c;
  }

  private notified(m: pg.Notification): void {
    if (m.channel === this.callChannel) {
      this.take();
      return;
    }
    if (m.channel !== this.doneChannel || !m.payload) return;
    let n: { id: number; o?: RelayOutcome };
    try {
      n = JSON.parse(m.payload) as { id: number; o?: RelayOutcome };
    } catch {
      return;
    }
    if (!this.pending.has(n.id)) return; // another instance's call
    if (n.o) this.settle(n.id, n.o);
    else void this.readOutcomes([n.id]);
  }

  private settle(id: number, outcome: RelayOutcome): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(outcome);
    void this.db.query("DELETE FROM relayed_calls WHERE id = $1", [id]).catch(() => undefined);
  }

  private async readOutcomes(ids: number[]): Promise<void> {
    try {
      const rows = await this.db.query<{ id: string; outcome: RelayOutcome }>(
        "SELECT id, outcome FROM relayed_calls WHERE id = ANY($1) AND outcome IS NOT NULL",
        [ids],
      );
      for (const r of rows) this.settle(toNumber(r.id), r.outcome);
    } catch (err) {
      this.o.logger.warn({ err }, "relay: could not read the outcome of handed-over calls");
    }
  }

  /** Once a second: the connection reopened if lost, calls missed taken, outcomes missed read, old rows gone. */
  private sweep(): void {
    if (this.closed) return;
    if (!this.client) {
      void this.listening().catch((err: unknown) => this.o.logger.warn({ err }, "relay: cannot reach the database"));
      return;
    }
    if (this.perform) this.take();
    const old = [...this.pending].filter(([, p]) => Date.now() - p.at >= SWEEP_MS).map(([id]) => id);
    if (old.length) void this.readOutcomes(old);
    if (this.perform && ++this.sweeps % 60 === 0)
      void this.db
        .query(`DELETE FROM relayed_calls WHERE created_at < ${NOW_MS} - $1`, [10 * this.maxAgeMs])
        .catch(() => undefined);
  }

  /** Takes every call waiting and performs each (one taking at a time; a notification meanwhile takes again after). */
  private take(): void {
    if (!this.perform) return;
    if (this.taking) {
      this.takeAgain = true;
      return;
    }
    this.taking = true;
    this.takeAgain = false;
    this.db
      .query<{ id: string; cls: RelayedCall["cls"]; method: string; payload: unknown; age: string }>(
        `UPDATE relayed_calls SET taken_by = $1
         WHERE id IN (SELECT id FROM relayed_calls WHERE taken_by IS NULL ORDER BY id LIMIT ${TAKE_BATCH} FOR UPDATE SKIP LOCKED)
         RETURNING id, cls, method, payload, ${NOW_MS} - created_at AS age`,
        [this.o.instance],
      )
      .then((rows) => {
        rows.sort((a, b) => toNumber(a.id) - toNumber(b.id));
        for (const r of rows) {
          const id = toNumber(r.id);
          const perform = this.perform;
          const age = toNumber(r.age);
          const done =
            !perform || age > this.maxAgeMs
              ? Promise.resolve<RelayOutcome>({ kind: "dropped", reason: "waited", waitedMs: age })
              : perform({ id, cls: r.cls, method: r.method, payload: r.payload }).catch(
                  (err: unknown): RelayOutcome => ({ kind: "failed", message: String(err) }),
                );
          void done.then((outcome) => this.answer(id, outcome));
        }
        if (rows.length === TAKE_BATCH) this.takeAgain = true;
      })
      .catch((err: unknown) => this.o.logger.warn({ err }, "relay: could not take the calls handed over"))
      .finally(() => {
        this.taking = false;
        if (this.takeAgain) this.take();
      });
  }

  private async answer(id: number, outcome: RelayOutcome): Promise<void> {
    const full = JSON.stringify({ id, o: outcome });
    const note = Buffer.byteLength(full) <= INLINE_MAX ? full : JSON.stringify({ id });
    try {
      await this.db.query(
        `WITH u AS (UPDATE relayed_calls SET outcome = $2 WHERE id = $1 RETURNING id) SELECT pg_notify($3, $4)`,
        [id, JSON.stringify(outcome), this.doneChannel, note],
      );
    } catch (err) {
      this.o.logger.warn({ err, id }, "relay: could not give a handed-over call its outcome");
    }
  }
}
