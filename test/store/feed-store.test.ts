/** The feed's tables: the migration that adds them, bulletins for a comune's followers only, state, announcements, drafts. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../src/data/model.js";
import { SqliteFeedStore } from "../../src/store/feed-store.js";
import { MIGRATIONS, SqliteStore } from "../../src/store/sqlite.js";
import type { NewBulletin } from "../../src/store/store.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function memoryStore(): SqliteStore {
  const store = new SqliteStore(":memory:", () => Date.parse("2026-05-24T21:00:00Z"));
  cleanups.push(() => store.close());
  return store;
}

const bulletin = (over: Partial<NewBulletin> = {}): NewBulletin => ({
  election: "comunali-2026",
  id: "x",
  publishedAt: "2026-05-24T23:10:00+02:00",
  text: "Vicenza: iniziato lo scrutinio.",
  comuni: [kc("Vicenza")],
  origin: "feed",
  ...over,
});

describe("migration to the feed's tables", () => {
  it("keeps every bulletin, column and index of a database written before, and accepts the feed's origin", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "elezioni-feed-store-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, "state.sqlite");
    // A database at the version before the feed's migration, with a push under way.
    const before = MIGRATIONS.findIndex((m) => typeof m !== "string");
    const db = new Database(file);
    for (const m of MIGRATIONS.slice(0, before)) db.exec(m as string);
    db.pragma(`user_version = ${before}`);
    db.exec(`INSERT INTO bulletins (election, id, published_at, published_ms, text, comuni, origin, hidden)
             VALUES ('comunali-2017', 'affluenza-12', '2017-06-11T12:55:00+02:00', 1497178500000, 'Affluenza alle 12', '[]', 'pack', 1);
             INSERT INTO subscriptions (chat_id, kind, comune, lang, created_at) VALUES (5, 'all', '', 'it', 0);
             INSERT INTO deliveries (seq, chat_id, lang) VALUES (1, 5, 'it');`);
    const indexes = (d: Database.Database) =>
      (
        d
          .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bulletins' AND sql IS NOT NULL")
          .all() as { name: string }[]
      )
        .map((r) => r.name)
        .sort();
    const indexesBefore = indexes(db);
    db.close();

    const store = new SqliteStore(file);
    cleanups.push(() => store.close());
    expect(store.bulletin(1)).toMatchObject({ id: "affluenza-12", origin: "pack", hidden: true });
    expect(store.pendingCount()).toBe(1);
    expect(indexes(store.db)).toEqual(indexesBefore);
    expect(store.db.pragma("foreign_key_check")).toEqual([]);
    const { seq } = store.addBulletin(bulletin({ id: "feed-1" }));
    expect(store.bulletin(seq)).toMatchObject({ origin: "feed" });
    expect(() => store.addBulletin(bulletin({ id: "feed-2", origin: "bogus" as "feed" }))).toThrow(/CHECK/);
    // The sequence goes on from where it was: the next bulletin does not reuse a seq.
    expect(seq).toBe(2);
  });
});

describe("a comune's bulletins for its followers only", () => {
  it("reach the chats following the comune, not those following everything; /ultime leaves them out", () => {
    const store = memoryStore();
    store.subscribe(1, kc("Vicenza"), "it");
    store.subscribe(2, null, "it");
    store.subscribe(3, kc("Padova"), "it");
    store.setMeta("election", "comunali-2026");
    const followers = store.addBulletin(bulletin({ id: "a", audience: "followers" }), {
      requestedBy: null,
      lang: "it",
    });
    expect(followers.recipients).toBe(1);
    expect(store.dueDeliveries(null, Date.now(), 10).map((d) => d.chatId)).toEqual([1]);
    // The same bulletin for everyone reaches the chats following everything too.
    const everyone = store.addBulletin(bulletin({ id: "b" }), { requestedBy: null, lang: "it" });
    expect(everyone.recipients).toBe(2);
    expect(store.latestBulletins(10).map((b) => b.id)).toEqual(["b"]);
    expect(store.bulletin(followers.seq)).toMatchObject({ audience: "followers" });
  });
});

describe("SqliteFeedStore", () => {
  it("keeps state entries by prefix, writing and deleting in one go", () => {
    const feed = new SqliteFeedStore(memoryStore().db);
    feed.saveState([
      { key: "2026-05-24:poller", value: "{}" },
      { key: "2026-05-24:comune:050901160", value: '{"a":1}' },
      { key: "2021-10-03:poller", value: "{}" },
    ]);
    expect(feed.stateEntries("2026-05-24:").map((e) => e.key)).toEqual([
      "2026-05-24:comune:050901160",
      "2026-05-24:poller",
    ]);
    feed.saveState([{ key: "2026-05-24:poller", value: '{"v":2}' }], ["2026-05-24:comune:050901160"]);
    expect(feed.stateEntries("2026-05-24:")).toEqual([{ key: "2026-05-24:poller", value: '{"v":2}' }]);
  });

  it("records each announcement once, and says when a comune last had one of a kind", () => {
    const feed = new SqliteFeedStore(memoryStore().db);
    feed.recordAnnouncements([
      { key: "2026-05-24:1t:050901160:started", comune: "050901160", kind: "1t:progress", at: 1000 },
      { key: "2026-05-24:1t:050901160:progress:40", comune: "050901160", kind: "1t:progress", at: 2000 },
      { key: "2026-05-24:1t:turnout:12:00", comune: "", kind: "1t:turnout", at: 500 },
    ]);
    feed.recordAnnouncements([
      { key: "2026-05-24:1t:050901160:started", comune: "050901160", kind: "1t:progress", at: 9999 },
    ]);
    expect(feed.announcedKeys("2026-05-24:").size).toBe(3);
    expect(feed.announcedKeys("2021-").size).toBe(0);
    expect(feed.lastAnnouncedAt("050901160", ["1t:progress"])).toBe(2000);
    expect(feed.lastAnnouncedAt("050901160", ["1t:call"])).toBeUndefined();
  });

  it("settles a draft once: a second press finds it decided", () => {
    const feed = new SqliteFeedStore(memoryStore().db);
    const id = feed.addDraft({
      bulletinId: "k",
      text: "t",
      comuni: [kc("Vicenza")],
      audience: "followers",
      createdAt: 1,
    });
    expect(feed.pendingDrafts().map((d) => d.id)).toEqual([id]);
    expect(feed.decideDraft(id, "published", 42, 2)).toBe(true);
    expect(feed.decideDraft(id, "dropped", 43, 3)).toBe(false);
    expect(feed.draft(id)).toMatchObject({ status: "published", decidedBy: 42, comuni: [kc("Vicenza")] });
    expect(feed.pendingDrafts()).toEqual([]);
  });

  it("knows which comuni are followed", () => {
    const store = memoryStore();
    store.subscribe(1, kc("Vicenza"), "it");
    store.subscribe(2, null, "it");
    expect([...new SqliteFeedStore(store.db).followedComuni()]).toEqual([kc("Vicenza")]);
  });
});
