/**
 * Several instances of the bot on one PostgreSQL database, as real processes against the fake Bot API:
 * one killed with SIGKILL mid-push (webhook mode), the poller killed (long polling). Nothing here
 * measures the machine's speed: the bounds are the protocol's (lease lengths, the rate limit).
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { ComuneIdentity } from "../../src/data/model.js";
import { codeOf } from "../../src/data/places.js";
import { PostgresStore } from "../../src/store/postgres.js";
import { NATIONAL } from "../../src/store/store.js";
import {
  type BotProcess,
  Cleanups,
  commandUpdate,
  freshDatabase,
  healthy,
  healthz,
  peakPerSecond,
  postUpdate,
  startBot,
  until,
} from "../support/bot-processes.js";
import { FakeTelegram } from "../support/fake-bot-api/index.js";
import { buildElection, FakeEligendo } from "../support/fake-eligendo/index.js";
import { shapeCandidates } from "../support/feed-night.js";
import { freePort } from "../support/free-port.js";
import { postgresUrl } from "../support/postgres.js";
import { startTcpProxy } from "../support/tcp-proxy.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SECRET = "cluster-test-secret-0123456789";
const ADMIN = 42;
const SUBSCRIBERS = Array.from({ length: 300 }, (_, i) => 70_000 + i);

const cleanups = new Cleanups();
/** The current test's fake Bot API. */
let tg: () => FakeTelegram = () => {
  throw new Error("no fake Bot API yet");
};
const outputs: (() => string)[] = [];
afterEach(async () => {
  outputs.length = 0;
  await cleanups.run();
}, 60_000);

async function setup(o: { globalPerSecond?: number; subscribers?: boolean } = {}) {
  const { subscribers = true, ...limits } = o;
  const fake = await FakeTelegram.start({ token: TOKEN, latencyMs: 10, ...limits });
  cleanups.push(() => fake.close());
  // A database of its own on the run's server (the processes connect with a plain URL).
  const url = await freshDatabase(cleanups, postgresUrl(), "cluster_");
  const store = await PostgresStore.open(url);
  if (subscribers)
    await store.subscribeMany(SUBSCRIBERS.map((chatId) => ({ chatId, what: NATIONAL, lang: "it" as const })));
  cleanups.push(() => store.close());
  /** The database through a proxy the test can cut (a restarting server, as the bot sees it). */
  const proxied = async () => {
    const u = new URL(url);
    const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    cleanups.push(() => proxy.close());
    u.host = `127.0.0.1:${proxy.port}`;
    return { proxy, url: u.toString() };
  };
  const start = async (env: Record<string, string>): Promise<BotProcess> => {
    const instance = startBot(cleanups, {
      port: await freePort("127.0.0.1"),
      env: {
        BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: fake.apiRoot,
        DATABASE_URL: url,
        ADMIN_IDS: String(ADMIN),
        SEND_RATE: "30",
        LOG_LEVEL: "info",
        LOG_PRETTY: "false",
        ...env,
      },
    });
    outputs.push(instance.output);
    return instance;
  };
  /** How many copies of the bulletin each subscriber got. */
  const copies = (text: string) => {
    const per = new Map<number, number>();
    for (const m of fake.sent)
      if (m.method === "sendMessage" && m.plain.includes(text)) per.set(m.chat_id, (per.get(m.chat_id) ?? 0) + 1);
    return SUBSCRIBERS.map((id) => per.get(id) ?? 0);
  };
  /** The most messages sent in any sliding second. */
  const peak = () => peakPerSecond(fake.sent.filter((m) => m.method === "sendMessage").map((m) => m.at));
  tg = () => fake;
  return { fake, url, store, start, copies, peakPerSecond: peak, proxied };
}

describe("several instances on PostgreSQL", { timeout: 120_000 }, () => {
  afterEach((ctx) => {
    if (ctx.task.result?.state === "fail") for (const o of outputs) console.error(o().slice(-3000));
  });
  it("webhook, 300 subscribers: kill -9 one instance at 40% of a push; the other finishes within 15 s, at most 30 msg/s", async () => {
    const { fake, store, start, copies, peakPerSecond } = await setup({ globalPerSecond: 30 });
    const webhook = { WEBHOOK_URL: "https://bot.example.org/hook", WEBHOOK_SECRET: SECRET };
    const a = await start(webhook);
    const b = await start(webhook);
    await until(async () => (await healthy(a.port)) && (await healthy(b.port)), 60_000, "both instances up");
    // Both count each other before the push: each sends at half the limit.
    const health = await healthz(a.port, { anyStatus: true });
    await until(
      async () => (await healthz(b.port, { anyStatus: true }))?.instance?.instances === 2,
      10_000,
      "b counts two instances",
    );
    expect(health?.instance).toBeDefined();

    const TEXT = "Genova: scrutinio completato";
    await store.addBulletin(
      {
        election: "comunali-2017",
        id: "cluster-push-1",
        publishedAt: "2017-06-12T01:00:00+02:00",
        text: TEXT,
        comuni: [],
        origin: "newsroom",
      },
      { requestedBy: ADMIN, lang: "it" },
    );
    await until(() => copies(TEXT).filter((c) => c > 0).length >= 120, 60_000, "40% delivered");
    a.child.kill("SIGKILL");
    const killedAt = Date.now();
    await a.exited;

    await until(() => copies(TEXT).every((c) => c >= 1), 30_000, "every subscriber has the bulletin");
    const finishedIn = Date.now() - killedAt;
    expect(finishedIn).toBeLessThanOrEqual(15_000);
    const duplicates = copies(TEXT).reduce((s, c) => s + Math.max(0, c - 1), 0);
    // Only sends in flight when the process died may go twice: at most the engine's concurrency (8 at 15/s).
    expect(duplicates).toBeLessThanOrEqual(8);
    expect(peakPerSecond()).toBeLessThanOrEqual(30);
    expect(fake.stats.tooManyRequests).toBe(0);
    // The push's report reaches the editor once, from whichever instance finished it.
    await until(() => fake.sentTo(ADMIN).some((m) => m.plain.includes("Resoconto")), 15_000, "the report");
    await new Promise((r) => setTimeout(r, 1_000));
    const reports = fake.sentTo(ADMIN).filter((m) => m.plain.includes("Resoconto"));
    expect(reports).toHaveLength(1);
    // Every message that went out twice was in flight when a died, and was counted as such when taken over.
    const { possiblyDuplicated } = (await store.lastPush())!;
    expect(possiblyDuplicated).toBeGreaterThanOrEqual(duplicates);
    expect(possiblyDuplicated).toBeLessThanOrEqual(8);
    expect(reports[0]!.plain.includes("forse arrivati due volte")).toBe(possiblyDuplicated > 0);
    console.info(
      `failover: push finished ${finishedIn} ms after kill -9; ${duplicates} duplicates, ${possiblyDuplicated} possibly; peak ${peakPerSecond()}/s`,
    );
    void b;
  });

  it("SEND_BUDGET=single (experimental): only the leader sends; replies to the other arrive once, and after the leader's kill -9 too", async () => {
    const { fake, store, start, copies, peakPerSecond } = await setup({ globalPerSecond: 30 });
    const env = { WEBHOOK_URL: "https://bot.example.org/hook", WEBHOOK_SECRET: SECRET, SEND_BUDGET: "single" };
    const instances = [await start(env), await start(env)];
    const state = async (port: number) => (await healthz(port, { anyStatus: true }))?.instance;
    await until(
      async () => {
        const s = await Promise.all(instances.map((i) => state(i.port)));
        return s.every((x) => x?.instances === 2) && s.filter((x) => x?.leader).length === 1;
      },
      60_000,
      "two instances, one leading",
    );
    const leader = (await state(instances[0]!.port))?.leader ? instances[0]! : instances[1]!;
    const other = leader === instances[0] ? instances[1]! : instances[0]!;
    let updateId = 1;
    const citta = (port: number, chatId: number, comune: string) =>
      postUpdate(port, commandUpdate({ updateId: updateId++, chatId, text: `/citta ${comune}`, firstName: "C" }), {
        secret: SECRET,
        path: "/hook",
      });
    const TEXT = "Genova: seggi scrutinati";
    await store.addBulletin(
      {
        election: "comunali-2017",
        id: "cluster-single-1",
        publishedAt: "2017-06-12T01:00:00+02:00",
        text: TEXT,
        comuni: [],
        origin: "newsroom",
      },
      { requestedBy: null, lang: "it" },
    );
    await until(() => copies(TEXT).filter((c) => c > 0).length >= 30, 60_000, "the push under way");
    // Replies during the push, to both instances: the other's go through the leader.
    const chats = Array.from({ length: 20 }, (_, i) => 90_000 + i);
    await Promise.all(chats.map((c, i) => citta((i % 2 ? other : leader).port, c, "Genova")));
    await until(
      () => chats.every((c) => fake.sentTo(c).some((m) => m.plain.includes("Genova"))),
      30_000,
      "every reply",
    );
    await until(() => copies(TEXT).every((c) => c >= 1), 60_000, "every subscriber has the bulletin");
    expect(chats.map((c) => fake.sentTo(c).length)).toEqual(chats.map(() => 1));
    // The other's ten went through the leader: ten handed-over calls (their rows are gone once answered).
    const handed = await store.db.one<{ n: string }>("SELECT last_value AS n FROM relayed_calls_id_seq");
    expect(Number(handed?.n)).toBeGreaterThanOrEqual(10);
    await expect.poll(async () => (await store.db.query("SELECT id FROM relayed_calls")).length).toBe(0);
    expect(copies(TEXT).every((c) => c === 1)).toBe(true);
    expect(peakPerSecond()).toBeLessThanOrEqual(30);
    expect(fake.stats.tooManyRequests).toBe(0);

    // The leader dies: a reply handed over meanwhile waits for the next leader, and arrives once.
    leader.child.kill("SIGKILL");
    await leader.exited;
    await citta(other.port, 91_000, "Parma");
    await until(() => fake.sentTo(91_000).some((m) => m.plain.includes("Parma")), 30_000, "the reply after the kill");
    expect(fake.sentTo(91_000)).toHaveLength(1);
    expect((await state(other.port))?.leader).toBe(true);
  });

  it("long polling: one instance polls, the other stands by; kill -9 the poller and the other answers /citta within 10 s", async () => {
    const { fake, start } = await setup();
    const a = await start({});
    await until(() => a.output().includes("holds the updates lease"), 60_000, "a polls");
    const b = await start({});
    await until(() => b.output().includes("long polling on standby"), 60_000, "b stands by");
    fake.pushMessage("/citta Genova", { chatId: 501, userId: 501 });
    await until(() => fake.sentTo(501).some((m) => m.plain.includes("Genova")), 20_000, "a answers");
    expect(b.output()).not.toContain("holds the updates lease");

    a.child.kill("SIGKILL");
    const killedAt = Date.now();
    await a.exited;
    fake.pushMessage("/citta Parma", { chatId: 502, userId: 502 });
    await until(() => fake.sentTo(502).some((m) => m.plain.includes("Parma")), 30_000, "b answers");
    const answeredIn = Date.now() - killedAt;
    await until(() => b.output().includes("holds the updates lease"), 1_000, "b polls");
    // The lease lasts 6 s and is tried every 2 s: the poller's successor starts within 8 s, plus a request.
    expect(answeredIn).toBeLessThanOrEqual(10_000);
    console.info(`failover: /citta answered ${answeredIn} ms after the poller's kill -9`);
  });

  it("the database restarted mid-push: /healthz says so (503), nothing is lost, the push resumes", async () => {
    const { store, start, copies, proxied } = await setup();
    const { proxy, url } = await proxied();
    const a = await start({
      DATABASE_URL: url,
      WEBHOOK_URL: "https://bot.example.org/hook",
      WEBHOOK_SECRET: SECRET,
    });
    await until(() => healthy(a.port), 60_000, "up");
    const TEXT = "Parma: affluenza finale";
    await store.addBulletin(
      {
        election: "comunali-2017",
        id: "cluster-push-2",
        publishedAt: "2017-06-11T23:00:00+02:00",
        text: TEXT,
        comuni: [],
        origin: "newsroom",
      },
      { requestedBy: null, lang: "it" },
    );
    await until(() => copies(TEXT).filter((c) => c > 0).length >= 90, 60_000, "30% delivered");
    proxy.cut();
    await until(async () => !(await healthy(a.port)), 10_000, "/healthz 503");
    const during = copies(TEXT).filter((c) => c > 0).length;
    await new Promise((r) => setTimeout(r, 4_000));
    expect(a.child.exitCode).toBeNull(); // still running
    // Without the database no new delivery is claimed: at most the ones already claimed went out.
    expect(copies(TEXT).filter((c) => c > 0).length - during).toBeLessThanOrEqual(75);
    proxy.restore();
    await until(() => healthy(a.port), 30_000, "/healthz 200 again");
    await until(() => copies(TEXT).every((c) => c >= 1), 60_000, "every subscriber has the bulletin");
    const duplicates = copies(TEXT).reduce((s, c) => s + Math.max(0, c - 1), 0);
    expect(duplicates).toBeLessThanOrEqual(16);
    expect(a.output()).not.toMatch(/"level":60/); // no fatal
    expect(a.output()).toContain("delivery: the store does not answer; retrying");
    console.info(`database cut for 4 s mid-push: ${duplicates} duplicates, every subscriber served`);
  });

  it("the feed's leader killed mid-night: the other instance resumes from the shared state and announces nothing twice", async () => {
    const DATE = "2017-06-11";
    const VICENZA = "050901160";
    const index = (JSON.parse(readFileSync("data/comuni.json", "utf8")) as { comuni: ComuneIdentity[] }).comuni;
    const vicenza = index.find((c) => c.eligendo === VICENZA)!;
    const election = buildElection({
      date: DATE,
      places: [{ code: VICENZA, name: vicenza.name.toUpperCase() }],
      seed: 5,
      provinceNames: { "05090": "VICENZA" },
      regionNames: { "05": "VENETO" },
    });
    const ministry = await FakeEligendo.start(election);
    cleanups.push(() => ministry.close());
    const v = ministry.comune(VICENZA);
    Object.assign(v, { electors: 87225, sections: 112 });
    shapeCandidates(v, "M", [6, 3, 1]);
    for (const c of election.comuni) delete c.runoff;

    const { store, start } = await setup({ subscribers: false });
    const FOLLOWERS = Array.from({ length: 40 }, (_, i) => 90_000 + i);
    await store.subscribeMany(FOLLOWERS.map((chatId) => ({ chatId, what: codeOf(vicenza), lang: "it" as const })));
    const env = {
      WEBHOOK_URL: "https://bot.example.org/hook",
      WEBHOOK_SECRET: SECRET,
      ELIGENDO_DATE: DATE,
      ELIGENDO_API_ROOT: ministry.apiRoot,
      ELIGENDO_POLL_SECONDS: "1",
    };
    const a = await start(env);
    const b = await start(env);
    await until(async () => (await healthy(a.port)) && (await healthy(b.port)), 60_000, "both up");
    const leaderOf = async () => {
      for (const i of [a, b]) {
        if (i.child.exitCode !== null || i.child.signalCode !== null) continue; // killed
        if ((await healthz(i.port, { anyStatus: true }))?.instance?.leader) return i;
      }
      return undefined;
    };
    await until(async () => (await leaderOf()) !== undefined, 20_000, "a leader");

    v.first = { readings: 4, counted: 60, closed: false };
    const got = (text: string) =>
      FOLLOWERS.map(
        (id) =>
          tg()
            .sentTo(id)
            .filter((m) => m.plain.includes(text)).length,
      );
    await until(
      () => got("Vicenza: è iniziato lo scrutinio").every((n) => n >= 1),
      60_000,
      "the count's start, to every follower",
    );

    const leader = (await leaderOf())!;
    const other = leader === a ? b : a;
    leader.child.kill("SIGKILL");
    await leader.exited;
    v.first = { readings: 4, counted: 112, closed: true };
    await until(
      () => got("Vicenza: scrutinio completato").every((n) => n >= 1),
      60_000,
      "the complete count, to every follower",
    );
    expect((await leaderOf()) === other).toBe(true);
    await new Promise((r) => setTimeout(r, 3_000)); // a few more of the new leader's cycles
    expect(got("Vicenza: è iniziato lo scrutinio").every((n) => n === 1)).toBe(true);
    expect(got("Vicenza: scrutinio completato").every((n) => n === 1)).toBe(true);
  });
});
