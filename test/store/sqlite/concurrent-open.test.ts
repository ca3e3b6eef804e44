/**
 * Several processes opening the same new database at the same moment (the bot and `npm run chat`, a
 * restart overlapping the old process): each one finds the schema complete, none fails half-way through
 * creating it. Real processes, each its own SQLite connection, released together on one line of stdin.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface, type Interface } from "node:readline";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../../src/store/sqlite.js";

const PROCESSES = 4;
const ROUNDS = 20;

interface Child {
  process: ChildProcess;
  lines: AsyncIterator<string>;
  pid: number;
}

const children: Child[] = [];
let dir: string;

async function nextLine(c: Child): Promise<string> {
  const r = await c.lines.next();
  if (r.done) throw new Error(`process ${c.pid} ended`);
  return r.value;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "elezioni-open-"));
  for (let i = 0; i < PROCESSES; i++) {
    const p = spawn(process.execPath, ["--import", "tsx", "test/store/sqlite/open-store-child.ts"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const rl: Interface = createInterface({ input: p.stdout! });
    children.push({ process: p, lines: rl[Symbol.asyncIterator](), pid: p.pid! });
  }
  for (const c of children) expect(await nextLine(c)).toBe("ready");
}, 60_000);

afterAll(async () => {
  for (const c of children) c.process.stdin!.end();
  await Promise.all(
    children.map((c) => new Promise((r) => (c.process.exitCode !== null ? r(0) : c.process.on("exit", r)))),
  );
  await rm(dir, { recursive: true, force: true });
});

describe("several processes opening one new database at once", () => {
  it(`${PROCESSES} processes, ${ROUNDS} fresh databases: every one opens it, the schema is created once`, async () => {
    const failures: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const file = path.join(dir, `state-${round}.sqlite`);
      for (const c of children) c.process.stdin!.write(`${file}\n`);
      const answers = await Promise.all(children.map(nextLine));
      for (const a of answers) if (a !== "ok") failures.push(`round ${round}: ${a}`);
      const db = new Database(file, { readonly: true });
      try {
        const version = db.pragma("user_version", { simple: true });
        if (version !== MIGRATIONS.length) failures.push(`round ${round}: left at schema version ${version}`);
        else {
          const subscribed = db.prepare<[], { chat_id: number }>("SELECT chat_id FROM subscriptions").all();
          const opened = children.filter((_, i) => answers[i] === "ok").map((c) => c.pid);
          expect(subscribed.map((s) => s.chat_id).sort()).toEqual(opened.sort());
        }
      } finally {
        db.close();
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
