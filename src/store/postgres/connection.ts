/**
 * The connection to a PostgreSQL server: a pool, and the ambient transaction the store contract asks for
 * (see contract/transaction.ts).
 *
 * The driver is `pg` (node-postgres): the most widely used and longest-maintained pure-JavaScript driver,
 * with a pool built in, no native build, and LISTEN/NOTIFY.
 *
 * Inside `transaction(fn)`, every query made through this database (from any code `fn` awaits) runs on the
 * transaction's connection, tracked with AsyncLocalStorage; elsewhere a query takes any free connection of
 * the pool. The password of the connection string never reaches an error or a log line: errors the driver
 * raises are rethrown with it (and the whole connection string) cut out, and the pool's own errors are
 * logged as one line each, never thrown (an idle connection the server closed must not end the process).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";
import type { Logger } from "../../logger.js";

/** What a PostgreSQL database is opened with, besides its URL. */
export interface PgDatabaseOptions {
  /** The schema every connection works in (its search_path); the server's default one when absent. */
  schema?: string;
  /** The most connections the pool opens at once. */
  max?: number;
  logger?: Pick<Logger, "warn" | "error">;
  /** How the server lists these connections (pg_stat_activity). */
  applicationName?: string;
}

/** The transaction a query joins: its connection, and the savepoints opened inside it one after another. */
interface Ambient {
  client: pg.PoolClient;
  /** Set when the transaction (or savepoint) has ended: a query arriving later runs outside it. */
  ended: boolean;
  /** The nested transaction running in this one, if any: nested ones take turns (savepoints nest, they do not interleave). */
  child: Promise<unknown>;
  depth: number;
}

/** How long a new connection waits for the server before it gives up. */
const CONNECT_TIMEOUT_MS = 10_000;

/** A schema name this module accepts: plain identifiers only, so that it needs no quoting anywhere. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** `url` with its password replaced by `***` (postgres://user:***@host/db); unparsable URLs are cut to their scheme. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0];
    return scheme ? `${scheme}//***` : "***";
  }
}

/** The strings an error about `url` must not contain: the URL itself and its password, as written and decoded. */
export function secretsOf(url: string): string[] {
  const secrets = [url];
  try {
    const password = new URL(url).password;
    if (password) secrets.push(password, decodeURIComponent(password));
  } catch {
    const m = /^[^:]+:\/\/[^:/@]*:([^@]*)@/.exec(url);
    if (m?.[1]) secrets.push(m[1]);
  }
  // Very short passwords would cut letters out of every message, and protect nothing anyway.
  return [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

/**
 * Cuts `secrets` out of an error (its message, stack and the properties the driver or URL parser may copy
 * the connection string into), its causes included; returns the same error, so that its code and class
 * survive for the caller.
 */
export function scrubError<E>(err: E, url: string, secrets = secretsOf(url)): E {
  const scrub = (s: string) =>
    secrets.reduce((acc, secret) => acc.split(secret).join(secret === url ? redactUrl(url) : "***"), s);
  const seen = new Set<unknown>();
  const walk = (e: unknown): void => {
    if (!e || typeof e !== "object" || seen.has(e)) return;
    seen.add(e);
    const o = e as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(o)) {
      const v = o[key];
      if (typeof v === "string" && secrets.some((s) => v.includes(s))) {
        try {
          o[key] = scrub(v);
        } catch {
          // A read-only property: leave it (none of the driver's are).
        }
      }
    }
    walk(o.cause);
    if (Array.isArray(o.errors)) for (const inner of o.errors) walk(inner);
  };
  if (typeof err === "string") return scrub(err) as E;
  walk(err);
  return err;
}

/** A BIGINT column as the driver returns it: a string (a number where the query cast it). */
export type Int8 = string | number;

/**
 * A count, sum or BIGINT column as a JS number. The driver hands int8 and numeric over as strings (they
 * may exceed 2^53); the store's values never do, and one that did would be a bug: it throws rather than
 * round. `null` and `undefined` stay as they are.
 */
export function toNumber(v: string | number | bigint): number;
export function toNumber(v: string | number | bigint | null | undefined): number | null | undefined;
export function toNumber(v: string | number | bigint | null | undefined): number | null | undefined {
  if (v === null || v === undefined) return v;
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n)))
    throw new RangeError(`the database returned ${String(v)}, not a number this code can hold exactly`);
  return n;
}

/** A pool of connections to one PostgreSQL database (and schema), with an ambient transaction. */
export class PgDatabase {
  readonly pool: pg.Pool;
  /** The URL without its password, for log lines. */
  readonly redactedUrl: string;
  readonly schema: string | undefined;
  private readonly url: string;
  private readonly secrets: string[];
  private readonly applicationName: string | undefined;
  private readonly ambient = new AsyncLocalStorage<Ambient>();
  private closed = false;

  constructor(url: string, options: PgDatabaseOptions = {}) {
    this.url = url;
    this.secrets = secretsOf(url);
    this.redactedUrl = redactUrl(url);
    this.schema = options.schema;
    this.applicationName = options.applicationName;
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema))
      throw new Error(`invalid schema name ${JSON.stringify(options.schema)}: lower-case letters, digits and _ only`);
    try {
      this.pool = new pg.Pool({
        connectionString: url,
        max: options.max ?? 10,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        application_name: options.applicationName,
        // Set at connection start-up, so that no query ever runs in another schema.
        options: options.schema ? `-c search_path=${options.schema}` : undefined,
      });
    } catch (e) {
      throw scrubError(e, url, this.secrets);
    }
    const logger = options.logger;
    // An idle connection the server dropped (a restart, a failover): the pool replaces it. Logged, never thrown.
    this.pool.on("error", (err) => {
      logger?.warn({ err: this.scrub(err), db: this.redactedUrl }, "postgres: an idle connection failed");
    });
    // A connection lost while checked out (a query running, a transaction open): the query in flight
    // rejects with the error and its caller handles it; the client's own 'error' event must not go
    // unheard, or Node ends the process.
    const inUse = new WeakSet<pg.PoolClient>();
    this.pool.on("acquire", (client) => inUse.add(client));
    this.pool.on("release", (_err, client) => inUse.delete(client));
    this.pool.on("connect", (client) => {
      client.on("error", (err) => {
        // An idle one is the pool's (logged above).
        if (inUse.has(client))
          logger?.warn({ err: this.scrub(err), db: this.redactedUrl }, "postgres: a connection in use failed");
      });
    });
  }

  /** The rows `text` returns. Inside `transaction`, on the transaction's connection. */
  async query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]> {
    const result = await this.run<R>(text, params);
    return result.rows;
  }

  /** The first row `text` returns, if any. */
  async one<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R | undefined> {
    const rows = await this.query<R>(text, params);
    return rows[0];
  }

  /** How many rows a write (INSERT, UPDATE, DELETE) touched. */
  async count(text: string, params?: readonly unknown[]): Promise<number> {
    const result = await this.run(text, params);
    return result.rowCount ?? 0;
  }

  /** Runs statements without parameters (several may be separated by `;`), e.g. a migration. */
  async exec(text: string): Promise<void> {
    await this.run(text);
  }

  /** Whether the caller runs inside a transaction of this database. */
  get inTransaction(): boolean {
    const a = this.ambient.getStore();
    return !!a && !a.ended;
  }

  /**
   * Runs `fn` in a transaction: BEGIN, then COMMIT when it resolves or ROLLBACK when it throws (and
   * the error goes on). Inside a transaction it joins it, in a savepoint: if the inner `fn` throws,
   * what it wrote is undone and the outer one may go on (nested ones take turns).
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const outer = this.ambient.getStore();
    if (outer && !outer.ended) return this.nested(outer, fn);
    if (this.closed) throw new Error("the PostgreSQL database is closed");
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.scrub(e);
    }
    const a: Ambient = { client, ended: false, child: Promise.resolve(), depth: 0 };
    let broken: unknown;
    try {
      await client.query("BEGIN");
      const result = await this.ambient.run(a, fn);
      await client.query("COMMIT");
      return result;
    } catch (e) {
      try {
        await client.query("ROLLBACK");
      } catch (rollback) {
        // The connection itself failed: it goes back to the pool destroyed.
        broken = rollback;
      }
      throw this.scrub(e);
    } finally {
      a.ended = true;
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /**
   * A connection of its own, outside the pool (LISTEN needs one that stays open), in the same schema.
   * Its errors (the server gone) go to `onError`, scrubbed of the URL; the caller ends it.
   */
  async dedicatedClient(onError: (err: Error) => void): Promise<pg.Client> {
    let client: pg.Client;
    try {
      client = new pg.Client({
        connectionString: this.url,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        application_name: this.applicationName,
        options: this.schema ? `-c search_path=${this.schema}` : undefined,
      });
    } catch (e) {
      throw this.scrub(e);
    }
    client.on("error", (err) => onError(this.scrub(err)));
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => undefined);
      throw this.scrub(e);
    }
    return client;
  }

  /** Ends every connection. Queries afterwards fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /** A savepoint inside `parent`, once the nested transaction before it (if any) has ended. */
  private async nested<T>(parent: Ambient, fn: () => Promise<T>): Promise<T> {
    const previous = parent.child;
    let done!: () => void;
    parent.child = new Promise<void>((resolve) => {
      done = resolve;
    });
    await previous.catch(() => {});
    const name = `nested_${parent.depth + 1}`;
    const a: Ambient = { client: parent.client, ended: false, child: Promise.resolve(), depth: parent.depth + 1 };
    try {
      await parent.client.query(`SAVEPOINT ${name}`);
      try {
        const result = await this.ambient.run(a, fn);
        await parent.client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (e) {
        await parent.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        await parent.client.query(`RELEASE SAVEPOINT ${name}`);
        throw e;
      }
    } catch (e) {
      throw this.scrub(e);
    } finally {
      a.ended = true;
      done();
    }
  }

  private async run<R>(text: string, params?: readonly unknown[]): Promise<pg.QueryResult<R & pg.QueryResultRow>> {
    // A callback the transaction left behind (a timer it set) runs after it ended: on the pool, like any other.
    const a = this.ambient.getStore();
    try {
      if (a && !a.ended) return await a.client.query<R & pg.QueryResultRow>(text, params as unknown[] | undefined);
      return await this.pool.query<R & pg.QueryResultRow>(text, params as unknown[] | undefined);
    } catch (e) {
      throw this.scrub(e);
    }
  }

  private scrub<E>(e: E): E {
    return scrubError(e, this.url, this.secrets);
  }
}
