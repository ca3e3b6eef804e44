/**
 * Migration v12: comuni kept by code instead of name. An old database (schema 11) whose subscriptions,
 * live cards, bulletins and drafts name comuni, one of them a name two comuni share (Castro: BG and LE).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../../src/data/model.js";
import { SqliteLiveCardStore } from "../../../src/store/sqlite/cards.js";
import { SqliteFeedStore } from "../../../src/store/sqlite/feed.js";
import { MIGRATIONS, SqliteStore } from "../../../src/store/sqlite.js";
import { comuniNamed } from "../../support/comuni-index.js";

const GENOVA = kc("010025");
const CASTRO_BG = kc("016065");
const CASTRO_LE = kc("075096");

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A database file at schema version `v`, as the migrations of that time left it, then `fill`ed. */
async function databaseAt(v: number, fill: (db: Database.Database) => void): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-codes-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, "state.sqlite");
  const db = new Database(file);
  for (const m of MIGRATIONS.slice(0, v)) typeof m === "string" ? db.exec(m) : m(db, {});
  db.pragma(`user_version = ${v}`);
  fill(db);
  db.close();
  return file;
}

/** What schema 11 wrote on an election night: everything by name. */
function night(db: Database.Database): void {
  const sub = db.prepare(
    "INSERT INTO subscriptions (chat_id, kind, comune, lang, created_at) VALUES (?, ?, ?, 'it', ?)",
  );
  sub.run(1, "comune", "Genova", 100);
  sub.run(1, "comune", "Castro", 101);
  sub.run(2, "comune", "Castro", 102);
  sub.run(3, "all", "", 103);
  sub.run(4, "comune", "Atlantide", 104);
  const card = db.prepare(
    "INSERT INTO live_cards (chat_id, comune, message_id, sent_at, shown, off) VALUES (?, ?, ?, ?, ?, ?)",
  );
  card.run(1, "Castro", 77, 5_000, "abc", 0);
  card.run(2, "Castro", null, null, null, 1);
  card.run(1, "Genova", 78, 5_000, "def", 0);
  const bulletin = db.prepare(
    "INSERT INTO bulletins (election, id, published_at, published_ms, text, comuni, origin) VALUES ('comunali-2017', ?, '2017-06-11T21:00:00Z', 1497214800000, 't', ?, 'newsroom')",
  );
  bulletin.run("a", JSON.stringify(["Genova", "Castro"]));
  bulletin.run("b", "[]");
  bulletin.run("c", JSON.stringify(["Atlantide"]));
  db.prepare(
    "INSERT INTO drafts (kind, user_id, chat_id, lang, text, comuni, created_at, expires_at) VALUES ('publish', 42, 42, 'it', '#Castro', ?, 0, 1)",
  ).run(JSON.stringify(["Castro"]));
  // A feed draft: its announcement names the comune by the Ministry's code (Castro, Lecce).
  db.prepare(
    "INSERT INTO feed_drafts (bulletin_id, text, comuni, audience, created_at) VALUES ('k', 'Castro: scrutinio', ?, 'followers', 0)",
  ).run(JSON.stringify(["Castro"]));
  db.prepare(
    "INSERT INTO feed_announcements (key, comune, kind, at, draft) VALUES ('2017-06-11:1t:160410181:started', '160410181', '1t:progress', 0, 1)",
  ).run();
}

interface Line {
  level: "warn" | "info";
  obj: Record<string, unknown>;
  msg: string;
}

function capture(lines: Line[]) {
  return {
    warn: (obj: Record<string, unknown>, msg: string) => lines.push({ level: "warn", obj, msg }),
    info: (obj: Record<string, unknown>, msg: string) => lines.push({ level: "info", obj, msg }),
  } as unknown as import("../../../src/logger.js").Logger;
}

async function upgraded(lines: Line[] = []): Promise<SqliteStore> {
  const file = await databaseAt(11, night);
  const store = new SqliteStore(file, () => 0, undefined, { comuni: comuniNamed, logger: capture(lines) });
  cleanups.push(async () => await store.close());
  return store;
}

describe("migration v12: comuni by code", () => {
  it("maps every subscription to its comune's code; a name two comuni share follows both, and says so in a warn line", async () => {
    const lines: Line[] = [];
    const store = await upgraded(lines);
    expect(store.db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(await store.subscriptionsOf(1)).toEqual([GENOVA, CASTRO_BG, CASTRO_LE]);
    expect(await store.subscriptionsOf(2)).toEqual([CASTRO_BG, CASTRO_LE]);
    expect(await store.subscriptionsOf(3)).toEqual([null]);
    // Known to no index: left as written (it matches no code), with its own warn line.
    expect(await store.subscriptionsOf(4)).toEqual(["Atlantide"]);
    expect(await store.subscriberStats()).toEqual({ subscriptions: 7, chats: 4 });
    // The subscription keeps its language and when it was made.
    const row = store.db
      .prepare("SELECT lang, created_at FROM subscriptions WHERE chat_id = 2 AND comune = ?")
      .get(CASTRO_LE);
    expect(row).toEqual({ lang: "it", created_at: 102 });

    const warns = lines.filter((l) => l.level === "warn");
    expect(warns).toHaveLength(2);
    expect(warns.find((w) => w.obj.name === "Castro")).toMatchObject({
      obj: { name: "Castro", comuni: ["Castro (BG) 016065", "Castro (LE) 075096"], subscriptions: 2, cards: 2 },
      msg: expect.stringContaining("several comuni share"),
    });
    expect(warns.find((w) => w.obj.name === "Atlantide")).toMatchObject({
      obj: { subscriptions: 1, cards: 0 },
      msg: expect.stringContaining("does not know"),
    });
    expect(lines.filter((l) => l.level === "info")).toHaveLength(1);
  });

  it("a bulletin about either Castro now reaches the old Castro followers, and only them", async () => {
    const store = await upgraded();
    expect(await store.recipientCount([CASTRO_BG])).toBe(3); // chats 1 and 2, and 3 (everything)
    expect(await store.recipientCount([CASTRO_LE])).toBe(3);
    expect(await store.recipientCount([GENOVA])).toBe(2);
  });

  it("the live card's message stays with the comune it showed (the first the name found); the other starts without one", async () => {
    const store = await upgraded();
    const cards = new SqliteLiveCardStore(store.db);
    expect(cards.card(1, CASTRO_BG)).toMatchObject({ messageId: 77, sentAt: 5_000, shown: "abc", off: false });
    expect(cards.card(1, CASTRO_LE)).toEqual({ lang: "it", off: false });
    expect(cards.card(1, GENOVA)).toMatchObject({ messageId: 78 });
    // Switched off ("solo esiti") for the name: off for both.
    expect([cards.isOff(2, CASTRO_BG), cards.isOff(2, CASTRO_LE)]).toEqual([true, true]);
    expect(cards.followers(CASTRO_LE, -Infinity, 10)).toEqual([1]);
    expect(cards.comuniWithCards()).toEqual([GENOVA, CASTRO_BG]);
  });

  it("bulletins and the newsroom's drafts name codes; a feed draft takes its own comune from its announcement", async () => {
    const store = await upgraded();
    const [a, b, c] = await store.bulletinsOf("comunali-2017");
    expect(a!.comuni).toEqual([GENOVA, CASTRO_BG, CASTRO_LE]);
    expect(b!.comuni).toEqual([]);
    // A name no index knows stays (the bulletin stays a comune's, never becoming national).
    expect(c!.comuni).toEqual(["Atlantide"]);
    expect((await store.latestBulletinsAbout(CASTRO_LE, 5)).map((x) => x.id)).toEqual(["a"]);
    expect((await store.draft(1))!.comuni).toEqual([CASTRO_BG, CASTRO_LE]);
    expect(new SqliteFeedStore(store.db).draft(1)!.comuni).toEqual([CASTRO_LE]);
  });

  it("refuses to upgrade a database that names comuni without the index to map them, and leaves it as it was", async () => {
    const file = await databaseAt(11, night);
    expect(() => new SqliteStore(file)).toThrow(/comuni index/);
    const db = new Database(file);
    cleanups.push(() => db.close());
    expect(db.pragma("user_version", { simple: true })).toBe(11);
    expect(db.prepare("SELECT count(*) AS n FROM subscriptions WHERE comune = 'Castro'").get()).toEqual({ n: 2 });
  });

  it("a database without names needs no index", async () => {
    const file = await databaseAt(11, (db) => {
      db.prepare(
        "INSERT INTO subscriptions (chat_id, kind, comune, lang, created_at) VALUES (1, 'all', '', 'it', 0)",
      ).run();
    });
    const store = new SqliteStore(file);
    cleanups.push(async () => await store.close());
    expect(store.db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(await store.subscriptionsOf(1)).toEqual([null]);
  });
});
