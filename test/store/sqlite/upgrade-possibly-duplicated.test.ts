/**
 * Migration v13: pushes count the deliveries that may have gone out twice (a PostgreSQL instance taking
 * over another's send). An old database (schema 12) with a push under way upgrades, its push counting
 * none: one process sends from SQLite, and nothing is ever taken over.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { MIGRATIONS, SqliteStore } from "../../../src/store/sqlite.js";

const VERSION = 13;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

it("an old database's pushes count no possibly duplicated deliveries, and its push goes on", async () => {
  expect(MIGRATIONS.length).toBeGreaterThanOrEqual(VERSION);
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-dup-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, "state.sqlite");
  const old = new Database(file);
  for (const m of MIGRATIONS.slice(0, VERSION - 1)) typeof m === "string" ? old.exec(m) : m(old, {});
  old.pragma(`user_version = ${VERSION - 1}`);
  old
    .prepare(
      "INSERT INTO bulletins (election, id, published_at, published_ms, text, comuni, origin) VALUES ('comunali-2026', 'chiusura', '2026-05-24T21:00:00Z', 1779656400000, 'Seggi chiusi', '[]', 'newsroom')",
    )
    .run();
  old.prepare("INSERT INTO deliveries (seq, chat_id, lang) VALUES (1, 5, 'it'), (1, 6, 'it')").run();
  old
    .prepare(
      "INSERT INTO pushes (seq, requested_by, lang, started_at, total, remaining, delivered) VALUES (1, 42, 'it', 0, 3, 2, 1)",
    )
    .run();
  old.close();

  const store = new SqliteStore(file, () => 1_000);
  cleanups.push(async () => await store.close());
  expect(store.db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
  expect(await store.lastPush()).toMatchObject({ seq: 1, total: 3, delivered: 1, possiblyDuplicated: 0 });
  await store.complete({ seq: 1, chatId: 5 }, "delivered");
  await store.complete({ seq: 1, chatId: 6 }, "failed");
  const [report] = await store.unreportedFinishedPushes();
  expect(report).toMatchObject({ seq: 1, delivered: 2, failed: 1, possiblyDuplicated: 0, finishedAt: 1_000 });
});
