/**
 * The desk's update stream: what it costs per connected editor. A night of N comuni (all counting) from
 * the fake Ministry feed, polled live, their counts moving; the desk on loopback with k editors connected
 * to its event stream, for k = 1 and k = K. The cost per editor is the difference between the two, divided
 * by K − 1: the stream builds each tick's events once and writes them to every connection. The editors'
 * connections read the stream in this process too, so their reading is in that cost.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { createDesk } from "../src/desk/index.js";
import { feedComuneCode } from "../src/feed/discovery.js";
import { createRuntime } from "../src/runtime.js";
import { close, listen } from "../src/server.js";
import { FakeTelegram } from "../test/support/fake-bot-api/index.js";
import { buildElection, FakeEligendo, syntheticPlaces } from "../test/support/fake-eligendo/index.js";
import { DATA_DIR, rng, silentLogger } from "./util.js";

const DATE = "2026-05-24";
const EDITOR = 42;

export interface DeskBenchParams {
  comuni: number;
  /** Editors connected in the second run. */
  editors: number;
  /** Seconds measured for each run. */
  seconds: number;
}

export interface DeskBenchResult extends DeskBenchParams {
  /** The whole table as a new connection gets it: bytes, and the server's time to build it. */
  snapshotBytes: number;
  snapshotMs: number;
  /** Per tick (once a second): the shared work's CPU, and the bytes each connection gets. */
  tickCpuMs: { p50: number; max: number };
  bytesPerEditorPerS: number;
  /** Process CPU per second with one editor, with `editors`, and the difference per added editor. */
  cpuMsPerS: { one: number; many: number; perEditor: number };
  /** Comuni whose row changed per second while measuring. */
  rowsChangedPerS: number;
}

export async function runDeskBench(p: DeskBenchParams, log: (s: string) => void = () => {}): Promise<DeskBenchResult> {
  const election = buildElection({ date: DATE, places: syntheticPlaces(p.comuni), seed: 5 });
  for (const c of election.comuni) {
    delete c.runoff;
    c.sections = Math.max(c.sections, 60);
    c.first = { readings: 4, counted: 1, closed: false };
  }
  const feed = await FakeEligendo.start(election, { recordHeaders: false });
  const telegram = await FakeTelegram.start({ recordSent: false });
  const runtime = await createRuntime({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    dataDir: DATA_DIR,
    databasePath: ":memory:",
    adminIds: new Set([EDITOR]),
    sendRate: 30,
    paidBroadcast: false,
    logger: silentLogger(),
    botInfo: telegram.botInfo,
    rateLimit: false,
    feed: { date: DATE, apiRoot: feed.apiRoot, pollMs: 1000, maxRps: 1000, bulletins: "off" },
  });
  const server = createServer();
  const aborts: AbortController[] = [];
  try {
    const live = runtime.feed!;
    await live.live.poller.runCycle();
    await live.live.poller.runCycle();
    await live.live.sweep();
    // A few followers per comune, for the "followed" column.
    const pick = rng(3);
    for (const [i, s] of live.live.poller.snapshot().entries())
      if (pick() < 0.3) runtime.store.subscribe(200_000 + i, feedComuneCode(s.comune), "it");
    await listen(server, 0);
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const desk = createDesk({
      app: runtime.app,
      botToken: telegram.token,
      delivery: { engine: runtime.engine, liveCards: runtime.liveCards, sendRate: 30 },
      logger: silentLogger(),
      publicUrl: origin,
    });
    server.on("request", (req, res) => {
      if (!desk.handle(req, res)) res.writeHead(404).end();
    });
    const signIn = async () => {
      const t = new URL(desk.link(EDITOR)!).searchParams.get("t")!;
      const r = await fetch(`${origin}/desk/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
        body: new URLSearchParams({ t }),
      });
      return r.headers.get("set-cookie")!.split(";")[0]!;
    };
    const connect = async () => {
      const cookie = await signIn();
      const ac = new AbortController();
      aborts.push(ac);
      const r = await fetch(`${origin}/desk/events`, { headers: { cookie }, signal: ac.signal });
      const reader = r.body!.getReader();
      let bytes = 0;
      void (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            bytes += value.length;
          }
        } catch {
          // aborted
        }
      })();
      return { bytes: () => bytes };
    };

    // Counts move: every second a tenth of the comuni count a section more, polled live.
    let moving = true;
    const moves = (async () => {
      const codes = election.comuni.map((c) => c.code);
      while (moving) {
        for (const code of codes) {
          const c = feed.comune(code);
          if (pick() < 0.1 && c.first.counted < c.sections) c.first = { ...c.first, counted: c.first.counted + 1 };
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    runtime.start();

    const measure = async (k: number) => {
      const clients = [];
      for (let i = 0; i < k; i++) clients.push(await connect());
      await new Promise((r) => setTimeout(r, 3000));
      const ticks: number[] = [];
      const rows: number[] = [];
      const b0 = clients.map((c) => c.bytes());
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const stats = desk.stream.stats;
      let lastTick = stats.ticks;
      while (performance.now() - t0 < p.seconds * 1000) {
        await new Promise((r) => setTimeout(r, 100));
        if (stats.ticks !== lastTick) {
          lastTick = stats.ticks;
          ticks.push(stats.lastTickMs);
          rows.push(stats.lastRows);
          if (process.env.DEBUG_DESK) log(JSON.stringify(stats.split));
        }
      }
      const s = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const bytes = clients.map((c, i) => c.bytes() - b0[i]!);
      for (const ac of aborts.splice(0)) ac.abort();
      await new Promise((r) => setTimeout(r, 1500));
      return {
        cpuMsPerS: (cpu.user + cpu.system) / 1000 / s,
        bytesPerEditorPerS: bytes.reduce((a, b) => a + b, 0) / k / s,
        ticks,
        rowsPerTick: rows.reduce((a, b) => a + b, 0) / Math.max(1, rows.length),
      };
    };
    // The whole table, as a new editor's page gets it.
    const cookie = await signIn();
    const s0 = performance.now();
    const whole = await (await fetch(`${origin}/desk/api/state`, { headers: { cookie } })).text();
    const snapshotMs = performance.now() - s0;
    log(`  desk: ${p.comuni} comuni, 1 editor then ${p.editors}, ${p.seconds} s each...`);
    const one = await measure(1);
    const many = await measure(p.editors);
    moving = false;
    await moves;
    const sorted = [...one.ticks, ...many.ticks].sort((a, b) => a - b);
    return {
      ...p,
      snapshotBytes: Buffer.byteLength(whole),
      snapshotMs,
      tickCpuMs: { p50: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0 },
      bytesPerEditorPerS: many.bytesPerEditorPerS,
      cpuMsPerS: {
        one: one.cpuMsPerS,
        many: many.cpuMsPerS,
        perEditor: (many.cpuMsPerS - one.cpuMsPerS) / Math.max(1, p.editors - 1),
      },
      rowsChangedPerS: (one.rowsPerTick + many.rowsPerTick) / 2,
    };
  } finally {
    for (const ac of aborts) ac.abort();
    server.closeAllConnections();
    await close(server).catch(() => undefined);
    await runtime.stop();
    await feed.close();
    await telegram.close();
  }
}
