/** Opening the bot's SQLite database: WAL, a busy timeout, foreign keys, and the schema brought up to date. */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { MigrationContext } from "./comune-codes.js";
import { migrate } from "./migrations.js";

/** How long a statement waits for another connection's lock before it fails. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Switches the database to WAL. Two processes opening a new database switch it at the same moment, and
 * SQLite answers one of them "busy" at once rather than wait (each holds the read lock the other needs
 * gone): that one tries again shortly, and finds the switch made.
 */
function toWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== "SQLITE_BUSY" || Date.now() >= deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * Opens (creating it, and its directory, if need be) the database at `file` (":memory:" for one in
 * memory) and migrates it to the current schema.
 */
export function openDatabase(file: string, migration: MigrationContext = {}): Database.Database {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  // First, so that what follows waits for another process holding the lock instead of failing at once.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  toWal(db);
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  migrate(db, migration);
  return db;
}
