/**
 * The store's engines, for the contract tests (test/store/contract/): each one opens an empty store and
 * says how to look at what the contract does not show (the queued rows themselves): SQLite in memory,
 * and PostgreSQL in a schema of its own on the run's server (see support/postgres.ts), dropped after.
 */
import type { Lang } from "../../src/i18n/index.js";
import { toNumber } from "../../src/store/postgres/connection.js";
import { PostgresStore } from "../../src/store/postgres.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { Storage } from "../../src/store/store.js";
import { freshSchema } from "../support/postgres.js";

export interface OpenOptions {
  /** The store's clock (pushes, subscriptions, amendments). */
  clock?: () => number;
  /**
   * Up to how many postponed deliveries a new push fixes its rows up afterwards (SQLite; 0 takes the
   * other way, as during an outage). An engine without the distinction ignores it.
   */
  fewPostponed?: number;
}

/** What the tests read of the outbox that the contract does not expose. */
export interface Inspect {
  /** Every queued delivery of a chat (not only its first): its bulletin's id, in publication order. */
  queuedFor(chatId: number): Promise<string[]>;
  /** The chats a bulletin is queued for, ascending. */
  recipients(seq: number): Promise<number[]>;
  /** The chats, with their language, a bulletin is queued for, ascending. */
  queuedChats(seq: number): Promise<{ chat_id: number; lang: string }[]>;
  /** The bulletin id of every queued delivery, in publication order. */
  queuedIds(): Promise<string[]>;
  /** A chat's queued deliveries with their due time, in publication order. */
  dueTimes(chatId: number): Promise<{ seq: number; due_at: number }[]>;
  /** How many groups the running pushes recorded as delivered (see migrateChat). */
  deliveredRecord(): Promise<{ n: number }>;
}

export interface Engine {
  name: string;
  /**
   * Whether a call from elsewhere waits while a transaction is open (one connection: SQLite), rather
   * than running at once and reading what was committed before it (a pool: PostgreSQL).
   */
  waitsForTransactions: boolean;
  /**
   * A new, empty store; closed when the test ends. An engine that opens asynchronously (PostgreSQL:
   * a schema created and migrated) hands a store whose calls wait until it is open.
   */
  open(o?: OpenOptions): Storage;
  inspect(store: Storage): Inspect;
}

const opened: { close(): Promise<void> }[] = [];

/** Closes the stores the tests opened (call in afterEach). */
export async function closeStores(): Promise<void> {
  while (opened.length) await opened.pop()!.close();
}

const sqlite: Engine = {
  name: "sqlite",
  waitsForTransactions: true,
  open(o = {}) {
    const store = new SqliteStore(":memory:", o.clock, o.fewPostponed);
    opened.push(store);
    return store;
  },
  inspect(store) {
    const { db } = store as SqliteStore;
    return {
      queuedFor: async (chatId) =>
        db
          .prepare<[number], { id: string }>(
            "SELECT b.id FROM deliveries d JOIN bulletins b USING (seq) WHERE d.chat_id = ? ORDER BY d.seq",
          )
          .all(chatId)
          .map((r) => r.id),
      recipients: async (seq) =>
        db
          .prepare<[number], { chat_id: number }>("SELECT chat_id FROM deliveries WHERE seq = ? ORDER BY chat_id")
          .all(seq)
          .map((r) => r.chat_id),
      queuedChats: async (seq) =>
        db
          .prepare<[number], { chat_id: number; lang: Lang }>(
            "SELECT chat_id, lang FROM deliveries WHERE seq = ? ORDER BY chat_id",
          )
          .all(seq),
      queuedIds: async () =>
        db
          .prepare("SELECT b.id FROM deliveries d JOIN bulletins b USING (seq) ORDER BY d.seq, d.chat_id")
          .pluck()
          .all() as string[],
      dueTimes: async (chatId) =>
        db
          .prepare<[number], { seq: number; due_at: number }>(
            "SELECT seq, due_at FROM deliveries WHERE chat_id = ? ORDER BY seq",
          )
          .all(chatId),
      deliveredRecord: async () => db.prepare<[], { n: number }>("SELECT count(*) AS n FROM delivered").get()!,
    };
  },
};

/** The PostgreSQL stores being opened, by the store the tests hold. */
const opening = new WeakMap<Storage, Promise<PostgresStore>>();

/**
 * A Storage that forwards every call, once `ready` resolves, to the store it resolves to (its feed's
 * and live cards' calls too). Inside a transaction the calls join it, as the ambient context follows
 * the awaits.
 */
function whenOpen(ready: Promise<PostgresStore>): Storage {
  const forward = (target: () => Promise<object>): object =>
    new Proxy(
      {},
      {
        get: (_, prop) => {
          // Not a thenable: awaiting the store itself gives the store.
          if (prop === "then") return undefined;
          if (prop === "feed" || prop === "cards")
            return forward(async () => (await target())[prop as keyof object] as object);
          return async (...args: unknown[]) => {
            const t = (await target()) as Record<PropertyKey, (...a: unknown[]) => unknown>;
            return t[prop]!(...args);
          };
        },
      },
    );
  return forward(() => ready) as Storage;
}

const postgres: Engine = {
  name: "postgres",
  waitsForTransactions: false,
  open(o = {}) {
    const ready = (async () => {
      const schema = await freshSchema();
      const store = await PostgresStore.open(schema.url, { schema: schema.schema, clock: o.clock, max: 4 });
      opened.push({
        close: async () => {
          await store.close();
          await schema.drop();
        },
      });
      return store;
    })();
    const store = whenOpen(ready);
    opening.set(store, ready);
    return store;
  },
  inspect(store) {
    const query = async <R>(sql: string, params: unknown[] = []) => {
      const s = opening.get(store) ?? Promise.resolve(store as PostgresStore);
      return (await s).db.query<R>(sql, params);
    };
    return {
      queuedFor: async (chatId) =>
        (
          await query<{ id: string }>(
            "SELECT b.id FROM deliveries d JOIN bulletins b USING (seq) WHERE d.chat_id = $1 ORDER BY d.seq",
            [chatId],
          )
        ).map((r) => r.id),
      recipients: async (seq) =>
        (await query<{ chat_id: string }>("SELECT chat_id FROM deliveries WHERE seq = $1 ORDER BY chat_id", [seq])).map(
          (r) => toNumber(r.chat_id),
        ),
      queuedChats: async (seq) =>
        (
          await query<{ chat_id: string; lang: Lang }>(
            "SELECT chat_id, lang FROM deliveries WHERE seq = $1 ORDER BY chat_id",
            [seq],
          )
        ).map((r) => ({ chat_id: toNumber(r.chat_id), lang: r.lang })),
      queuedIds: async () =>
        (
          await query<{ id: string }>(
            "SELECT b.id FROM deliveries d JOIN bulletins b USING (seq) ORDER BY d.seq, d.chat_id",
          )
        ).map((r) => r.id),
      dueTimes: async (chatId) =>
        (
          await query<{ seq: number; due_at: string }>(
            "SELECT seq, due_at FROM deliveries WHERE chat_id = $1 ORDER BY seq",
            [chatId],
          )
        ).map((r) => ({ seq: r.seq, due_at: toNumber(r.due_at) })),
      deliveredRecord: async () => (await query<{ n: number }>("SELECT count(*)::int AS n FROM delivered"))[0]!,
    };
  },
};

export const engines: readonly Engine[] = [sqlite, postgres];
