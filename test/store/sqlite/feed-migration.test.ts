/** The SQLite migration that adds the feed's tables. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../../src/data/model.js";
import { MIGRATIONS, SqliteStore } from "../../../src/store/sqlite.js";
import type { NewBulletin } from "../../../src/store/store.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

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
    cleanups.push(async () => await store.close());
    expect(await store.bulletin(1)).toMatchObject({ id: "affluenza-12", origin: "pack", hidden: true });
    expect(await store.pendingCount()).toBe(1);
    expect(indexes(store.db)).toEqual(indexesBefore);
    expect(store.db.pragma("foreign_key_check")).toEqual([]);
    const { seq } = await store.addBulletin(bulletin({ id: "feed-1" }));
    expect(await store.bulletin(seq)).toMatchObject({ origin: "feed" });
    await expect(store.addBulletin(bulletin({ id: "feed-2", origin: "bogus" as "feed" }))).rejects.toThrow(/CHECK/);
    // The sequence goes on from where it was: the next bulletin does not reuse a seq.
    expect(seq).toBe(2);
  });
});
