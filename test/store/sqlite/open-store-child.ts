/**
 * A process that opens the bot's database when told to (test/store/concurrent-open.test.ts): it prints
 * "ready", then for each line read (a database file) opens a SqliteStore on it, subscribes its own pid,
 * closes it and prints "ok", or "error <message>" when opening failed.
 */
import { createInterface } from "node:readline";
import { SqliteStore } from "../../../src/store/sqlite.js";

process.stdout.write("ready\n");
for await (const file of createInterface({ input: process.stdin })) {
  try {
    const store = new SqliteStore(file);
    await store.subscribe(process.pid, null, "it");
    await store.close();
    process.stdout.write("ok\n");
  } catch (e) {
    process.stdout.write(`error ${(e as Error).message.replace(/\s+/g, " ")}\n`);
  }
}
