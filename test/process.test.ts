/** The real process, killed mid-push: SIGTERM parks the rest and exits cleanly; kill -9 loses nothing. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../src/store/sqlite.js";
import { FakeTelegram } from "./support/fake-bot-api/index.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const ADMIN = 42;
const SUBSCRIBERS = Array.from({ length: 300 }, (_, i) => 70_000 + i);

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function setup() {
  const fake = await FakeTelegram.start({ token: TOKEN, latencyMs: 10 });
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-proc-"));
  const db = path.join(dir, "state.sqlite");
  const store = new SqliteStore(db);
  for (const id of SUBSCRIBERS) await store.subscribe(id, null, "it");
  await store.close();
  cleanups.push(
    () => rm(dir, { recursive: true, force: true }),
    () => fake.close(),
  );
  const start = (
    env: Record<string, string> = {},
  ): { child: ChildProcess; exited: Promise<number | null>; output: () => string } => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        PATH: process.env.PATH!,
        BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: fake.apiRoot,
        DATABASE_PATH: db,
        ADMIN_IDS: String(ADMIN),
        BROADCAST_RATE: "150",
        LOG_LEVEL: "warn",
        LOG_PRETTY: "false",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    });
    return { child, exited, output: () => output };
  };
  const delivered = () => SUBSCRIBERS.map((id) => fake.deliveredPerChat.get(id) ?? 0);
  return { fake, db, start, delivered };
}

// Real processes started with tsx: on a loaded 2-core machine (the whole suite in parallel) a start can take
// seconds, so these get a longer guard than the suite's 20 s. Nothing here measures time.
describe("the bot process", { timeout: 60_000 }, () => {
  it("kill -9 mid-push: after a restart everyone has the bulletin; duplicates only from sends in flight", async () => {
    const { fake, start, delivered } = await setup();
    const first = start();
    fake.pushMessage("/pubblica! Risultati definitivi #Genova", { userId: ADMIN });
    await fake.waitUntil(() => delivered().filter((c) => c > 0).length >= 60, 30_000);
    first.child.kill("SIGKILL");
    await first.exited;
    const before = delivered().filter((c) => c > 0).length;
    expect(before).toBeLessThan(SUBSCRIBERS.length);

    start();
    await fake.waitUntil(() => delivered().every((c) => c >= 1), 30_000);
    const duplicates = delivered().reduce((s, c) => s + c - 1, 0);
    // At 150 msg/s the engine keeps at most 75 sends in flight.
    expect(duplicates).toBeLessThanOrEqual(75);
    // The push finished in the second process, which sends the newsroom its report.
    await fake.waitUntil(() => fake.sentTo(ADMIN).some((m) => m.plain.includes("Resoconto")), 10_000);
    expect(fake.sentTo(ADMIN).find((m) => m.plain.includes("Resoconto"))!.plain).toMatch(/consegnati: 300/);
  });

  it("SIGTERM mid-push: exits 0 within seconds; the restart finishes the push, each chat exactly once", async () => {
    const { fake, start, delivered } = await setup();
    const first = start();
    fake.pushMessage("/pubblica! Affluenza alle 19: 42,35%", { userId: ADMIN });
    await fake.waitUntil(() => delivered().filter((c) => c > 0).length >= 60, 30_000);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(delivered().filter((c) => c > 0).length).toBeLessThan(SUBSCRIBERS.length);

    start();
    await fake.waitUntil(() => delivered().every((c) => c >= 1), 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(delivered().every((c) => c === 1)).toBe(true);
  });

  it("another instance polling (getUpdates 409): a clean shutdown with exit code 1, the outbox kept", async () => {
    const { fake, db, start, delivered } = await setup();
    const queue = new SqliteStore(db);
    await queue.addBulletin(
      {
        id: "queued-1",
        publishedAt: "2017-06-11T20:00:00+02:00",
        text: "In coda",
        comuni: [],
        origin: "newsroom",
        election: "comunali-2017",
      },
      { requestedBy: null, lang: "it" },
    );
    await queue.close();
    fake.failNext(
      1,
      409,
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      "getUpdates",
    );
    // Slow pushing, so the shutdown finds the outbox still full.
    const bot = start({ BROADCAST_RATE: "20" });
    const outcome = await Promise.race([bot.exited, new Promise((r) => setTimeout(() => r("still running"), 12_000))]);
    expect(outcome).toBe(1);
    expect(bot.output()).toContain("another instance");
    const after = new SqliteStore(db);
    const pending = await after.pendingCount();
    await after.close();
    expect(pending).toBeGreaterThan(0);
    expect(delivered().filter((c) => c > 0).length + pending).toBeGreaterThanOrEqual(SUBSCRIBERS.length);
  });
});
