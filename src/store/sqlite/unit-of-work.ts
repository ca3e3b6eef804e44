/**
 * The ambient unit of work on SQLite's one connection (see contract/transaction.ts). `transaction(fn)`
 * opens `BEGIN IMMEDIATE` and marks the code `fn` runs (and everything it awaits) with AsyncLocalStorage;
 * calls from that code run at once, inside the transaction (a repository's own `db.transaction()` nests
 * as a SAVEPOINT). Calls from elsewhere (other async tasks) meanwhile wait at a gate until it commits or
 * rolls back, so they are never included in it nor undone with it. With no transaction open, a call runs
 * synchronously: the embedded engine's fast path.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type Database from "better-sqlite3";
import type { UnitOfWork } from "../contract/transaction.js";

export class SqliteUnitOfWork implements UnitOfWork {
  private readonly ambient = new AsyncLocalStorage<object>();
  /** The open transaction's mark, and the promise that settles when it ends. */
  private open: { mark: object; ended: Promise<void> } | undefined;

  constructor(private readonly db: Database.Database) {}

  /** Whether the calling code runs inside the open transaction. */
  private inside(): boolean {
    return this.open !== undefined && this.ambient.getStore() === this.open.mark;
  }

  /**
   * Runs a synchronous repository call: at once when no transaction is open or the caller is inside it,
   * else when the transaction has ended.
   */
  run<T>(fn: () => T): T | Promise<T> {
    if (this.open === undefined || this.inside()) return fn();
    return this.afterOthers(fn);
  }

  private async afterOthers<T>(fn: () => T): Promise<T> {
    while (this.open !== undefined && !this.inside()) await this.open.ended;
    return fn();
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside()) return fn();
    while (this.open !== undefined) await this.open.ended;
    let end!: () => void;
    const mark = {};
    this.open = { mark, ended: new Promise<void>((resolve) => (end = resolve)) };
    try {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await this.ambient.run(mark, fn);
        this.db.exec("COMMIT");
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw e;
      }
    } finally {
      this.open = undefined;
      end();
    }
  }

  /** Resolves when no transaction is open (closing the connection waits for it). */
  async idle(): Promise<void> {
    while (this.open !== undefined && !this.inside()) await this.open.ended;
  }
}
