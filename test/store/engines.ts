/**
 * The store's engines, for the contract tests (test/store/contract/): each one opens an empty store and
 * says how to look at what the contract does not show (the queued rows themselves). Today SQLite only;
 * another engine is added here and runs the same tests.
 */
import type { Lang } from "../../src/i18n/index.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { Storage } from "../../src/store/store.js";

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
  queuedFor(chatId: number): string[];
  /** The chats a bulletin is queued for, ascending. */
  recipients(seq: number): number[];
  /** The chats, with their language, a bulletin is queued for, ascending. */
  queuedChats(seq: number): { chat_id: number; lang: string }[];
  /** The bulletin id of every queued delivery. */
  queuedIds(): string[];
  /** A chat's queued deliveries with their due time, in publication order. */
  dueTimes(chatId: number): { seq: number; due_at: number }[];
  /** How many groups the running pushes recorded as delivered (see migrateChat). */
  deliveredRecord(): { n: number };
}

export interface Engine {
  name: string;
  /** A new, empty store; closed when the test ends. */
  open(o?: OpenOptions): Storage;
  inspect(store: Storage): Inspect;
}

const opened: Storage[] = [];

/** Closes the stores the tests opened (call in afterEach). */
export async function closeStores(): Promise<void> {
  while (opened.length) await opened.pop()!.close();
}

const sqlite: Engine = {
  name: "sqlite",
  open(o = {}) {
    const store = new SqliteStore(":memory:", o.clock, o.fewPostponed);
    opened.push(store);
    return store;
  },
  inspect(store) {
    const { db } = store as SqliteStore;
    return {
      queuedFor: (chatId) =>
        db
          .prepare<[number], { id: string }>(
            "SELECT b.id FROM deliveries d JOIN bulletins b USING (seq) WHERE d.chat_id = ? ORDER BY d.seq",
          )
          .all(chatId)
          .map((r) => r.id),
      recipients: (seq) =>
        db
          .prepare<[number], { chat_id: number }>("SELECT chat_id FROM deliveries WHERE seq = ? ORDER BY chat_id")
          .all(seq)
          .map((r) => r.chat_id),
      queuedChats: (seq) =>
        db
          .prepare<[number], { chat_id: number; lang: Lang }>(
            "SELECT chat_id, lang FROM deliveries WHERE seq = ? ORDER BY chat_id",
          )
          .all(seq),
      queuedIds: () =>
        db.prepare("SELECT b.id FROM deliveries d JOIN bulletins b USING (seq)").pluck().all() as string[],
      dueTimes: (chatId) =>
        db
          .prepare<[number], { seq: number; due_at: number }>(
            "SELECT seq, due_at FROM deliveries WHERE chat_id = ? ORDER BY seq",
          )
          .all(chatId),
      deliveredRecord: () => db.prepare<[], { n: number }>("SELECT count(*) AS n FROM delivered").get()!,
    };
  },
};

export const engines: readonly Engine[] = [sqlite];
