/** The SQLite store's upgrade of a database written before the newsroom's corrections. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../../src/data/model.js";
import { MIGRATIONS, SqliteStore } from "../../../src/store/sqlite.js";
import { NATIONAL, type NewDraft } from "../../../src/store/store.js";
import { comuniIndex } from "../../support/comuni-index.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const clock = Date.parse("2017-06-11T21:00:00Z");
const by = { requestedBy: 42, lang: "it" as const };

/** A bulletin waiting for its editor's confirmation. */
const draft = (over: Partial<NewDraft> = {}): NewDraft => ({
  kind: "publish",
  userId: 42,
  chatId: 42,
  lang: "it",
  text: "Seggi chiusi",
  comuni: [kc("Genova")],
  createdAt: clock,
  expiresAt: clock + 30 * 60_000,
  ...over,
});

/** A database file brought to schema version `v` by the migrations of that time, then `fill`ed. */
async function databaseAt(v: number, fill: (db: Database.Database) => void): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-store-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, "state.sqlite");
  const db = new Database(file);
  for (const m of MIGRATIONS.slice(0, v)) db.exec(m as string);
  db.pragma(`user_version = ${v}`);
  fill(db);
  db.close();
  return file;
}

describe("upgrading a database written before the newsroom's corrections", () => {
  it("from version 7: keeps the bulletins, the outbox and the subscriptions (given their kinds), and starts recording message ids", async () => {
    const file = await databaseAt(7, (db) => {
      db.prepare(
        "INSERT INTO bulletins (election, id, published_at, published_ms, text, comuni, origin) VALUES ('comunali-2017', 'redazione-1', '2017-06-11T21:00:00Z', 1497214800000, 'Vecchio', '[]', 'newsroom')",
      ).run();
      db.prepare("INSERT INTO subscriptions (chat_id, comune, lang, created_at) VALUES (5, '', 'it', 0)").run();
      db.prepare("INSERT INTO subscriptions (chat_id, comune, lang, created_at) VALUES (6, 'Genova', 'en', 0)").run();
      db.prepare("INSERT INTO deliveries (seq, chat_id, lang) VALUES (1, 5, 'it')").run();
      db.prepare("INSERT INTO pushes (seq, lang, started_at, total, remaining) VALUES (1, 'it', 0, 1, 1)").run();
    });

    const store = new SqliteStore(file, () => clock, undefined, comuniIndex);
    cleanups.push(async () => await store.close());
    expect(store.db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(store.db.pragma("foreign_key_check")).toEqual([]);
    expect(await store.bulletin(1)).toMatchObject({ text: "Vecchio", version: 0, hidden: false });
    expect((await store.bulletin(1))!.html).toBeUndefined();
    expect([await store.subscriptionsOf(5), await store.subscriptionsOf(6)]).toEqual([[null], [kc("010025")]]);
    expect([await store.recipientCount([kc("010025")]), await store.recipientCount([kc("034027")])]).toEqual([2, 1]);
    expect(await store.pendingCount()).toBe(1);
    await store.complete({ seq: 1, chatId: 5 }, "delivered", { messageId: 9, version: 0, lang: "it" });
    expect(await store.copyCount(1)).toEqual({ delivered: 1, queued: 0 });
    expect(await store.amendBulletin(1, { kind: "withdraw" }, by)).toMatchObject({ copies: 1, queued: 0 });
  });

  it("from version 8: keeps the subscription kinds and quiet hours, and takes drafts", async () => {
    const file = await databaseAt(8, (db) => {
      db.prepare(
        "INSERT INTO subscriptions (chat_id, kind, comune, lang, created_at) VALUES (5, 'national', '', 'it', 0), (6, 'comune', 'Genova', 'it', 0)",
      ).run();
      db.prepare("INSERT INTO quiet_hours (chat_id, from_minute, to_minute) VALUES (5, 1380, 420)").run();
    });
    const store = new SqliteStore(file, () => clock, undefined, comuniIndex);
    cleanups.push(async () => await store.close());
    expect(store.db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect([await store.subscriptionsOf(5), await store.subscriptionsOf(6)]).toEqual([[NATIONAL], [kc("010025")]]);
    expect(await store.quietHoursOf(5)).toEqual({ from: 1380, to: 420 });
    expect([await store.recipientCount([kc("010025")]), await store.recipientCount([])]).toEqual([1, 2]);
    const d = await store.createDraft(draft());
    expect(await store.draft(d.id)).toMatchObject({ state: "open" });
  });
});
