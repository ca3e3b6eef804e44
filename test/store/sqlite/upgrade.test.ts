/** The SQLite store on its own: migrating old databases (bulletins, instants, subscriptions) and the outbox's index. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../../src/data/model.js";
import { MIGRATIONS, SqliteStore } from "../../../src/store/sqlite.js";
import { NATIONAL, type NewBulletin } from "../../../src/store/store.js";
import { comuniIndex } from "../../support/comuni-index.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function tempDb(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-store-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, "state.sqlite");
}

function memoryStore(now = () => Date.parse("2022-06-12T10:00:00Z"), fewPostponed?: number): SqliteStore {
  const store = new SqliteStore(":memory:", now, fewPostponed);
  cleanups.push(async () => await store.close());
  return store;
}

const bulletin = (over: Partial<NewBulletin> = {}): NewBulletin => ({
  election: "comunali-2017",
  id: "affluenza-12",
  publishedAt: "2017-06-11T12:55:00+02:00",
  text: "Affluenza alle ore 12: 19,36%.",
  comuni: [],
  origin: "pack",
  ...over,
});

/** A database as the first schema version left it, with what a 2017 night wrote into it. */
function legacyDatabase(file: string, fill: (db: Database.Database) => void): void {
  const db = new Database(file);
  db.exec(MIGRATIONS[0] as string);
  db.pragma("user_version = 1");
  fill(db);
  db.close();
}

describe("bulletin identity", () => {
  it("an old database keeps its bulletins under the election it served, and accepts the id again under a new one", async () => {
    const file = await tempDb();
    legacyDatabase(file, (db) => {
      db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)").run(
        "pack-history:comunali-2017",
        "2017-06-11T05:00:00Z",
      );
      db.prepare(
        "INSERT INTO bulletins (id, published_at, text, comuni, origin) VALUES ('affluenza-12', '2017-06-11T12:55:00+02:00', 'Affluenza', '[]', 'pack')",
      ).run();
      db.prepare(
        "INSERT INTO bulletins (id, published_at, text, comuni, origin) VALUES ('redazione-x', '2017-06-11T11:00:00.000Z', 'Redazione', '[\"Genova\"]', 'newsroom')",
      ).run();
      db.prepare("INSERT INTO subscriptions VALUES (7, '', 'it', 0)").run();
      db.prepare("INSERT INTO deliveries (seq, chat_id, lang) VALUES (2, 7, 'it')").run();
      db.prepare(
        "INSERT INTO pushes (seq, requested_by, lang, started_at, total, remaining) VALUES (2, 42, 'it', 0, 1, 1)",
      ).run();
    });
    const store = new SqliteStore(file, Date.now, undefined, comuniIndex);
    cleanups.push(async () => await store.close());
    expect((await store.bulletinsOf("comunali-2017")).map((b) => b.id)).toEqual(["affluenza-12", "redazione-x"]);
    expect(store.db.pragma("foreign_key_check")).toEqual([]);
    expect(await store.pendingCount()).toBe(1);
    expect(await store.dueDeliveries(null, Date.now(), 10)).toMatchObject([{ seq: 2, chatId: 7 }]);
    const { seq } = await store.addBulletin(bulletin({ election: "comunali-2022" }));
    expect(seq).toBe(3);
    expect(await store.bulletin(3)).toMatchObject({ election: "comunali-2022", id: "affluenza-12" });
  });

  it("an old database that served several elections: every bulletin goes to the latest one, the others start afresh", async () => {
    // The old schema could not tell which election a bulletin belonged to. Giving them all to the
    // election started last, and forgetting the others' history marks, never pushes an old bulletin:
    // an election started again imports its pack as history.
    const file = await tempDb();
    legacyDatabase(file, (db) => {
      const meta = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
      meta.run("pack-history:comunali-2017", "2017-06-11T05:00:00Z");
      meta.run("pack-history:comunali-2022", "2022-06-12T05:00:00Z");
      db.prepare(
        "INSERT INTO bulletins (id, published_at, text, comuni, origin) VALUES ('affluenza-12', '2017-06-11T12:55:00+02:00', 'Affluenza', '[]', 'pack')",
      ).run();
    });
    const store = new SqliteStore(file, Date.now, undefined, comuniIndex);
    cleanups.push(async () => await store.close());
    expect((await store.bulletinsOf("comunali-2022")).map((b) => b.id)).toEqual(["affluenza-12"]);
    expect(await store.getMeta("pack-history:comunali-2022")).toBe("2022-06-12T05:00:00Z");
    expect(await store.getMeta("pack-history:comunali-2017")).toBeUndefined();
  });
});

describe("/ultime's order", () => {
  it("an old database's bulletins are ordered by instant after the upgrade", async () => {
    const file = await tempDb();
    legacyDatabase(file, (db) => {
      db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)").run(
        "pack-history:comunali-2017",
        "2017-06-11T05:00:00Z",
      );
      const add = db.prepare(
        "INSERT INTO bulletins (id, published_at, text, comuni, origin) VALUES (?, ?, 'x', '[]', ?)",
      );
      add.run("pack-1145", "2017-06-11T11:45:00+02:00", "pack");
      add.run("redazione-1200", "2017-06-11T10:00:00.123Z", "newsroom");
      add.run("pack-0030", "2017-06-12T00:30:00+02:00", "pack");
    });
    const store = new SqliteStore(file, Date.now, undefined, comuniIndex);
    cleanups.push(async () => await store.close());
    expect((await store.latestBulletins(5)).map((b) => b.id)).toEqual(["pack-0030", "redazione-1200", "pack-1145"]);
    expect((await store.latestBulletins(5))[1]!.publishedAt).toBe("2017-06-11T10:00:00.123Z");
  });
});

describe("kinds of subscription", () => {
  it("an old database's subscriptions become 'everything' and 'one comune'", async () => {
    const file = await tempDb();
    legacyDatabase(file, (db) => {
      const add = db.prepare("INSERT INTO subscriptions (chat_id, comune, lang, created_at) VALUES (?, ?, 'it', 0)");
      add.run(1, "");
      add.run(1, "Genova");
      add.run(2, "Parma");
    });
    const store = new SqliteStore(file, Date.now, undefined, comuniIndex);
    cleanups.push(async () => await store.close());
    expect(await store.subscriptionsOf(1)).toEqual([null, kc("010025")]);
    expect(await store.subscriptionsOf(2)).toEqual([kc("034027")]);
    expect(await store.subscriberStats()).toEqual({ subscriptions: 3, chats: 2 });
    expect(await store.subscribe(2, NATIONAL, "en")).toBe(true);
  });
});

describe("the outbox's index", () => {
  const NOW = Date.parse("2022-06-12T10:00:00Z");

  it("the earliest due time is read from an index, not by scanning the outbox", async () => {
    const store = memoryStore(() => NOW);
    const plan = store.db
      .prepare<[], { detail: string }>("EXPLAIN QUERY PLAN SELECT min(due_at) FROM deliveries")
      .all()
      .map((r) => r.detail)
      .join("; ");
    expect(plan).toMatch(/USING COVERING INDEX/);
  });
});
