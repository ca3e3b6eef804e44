/**
 * Section 2, engine overhead: the same push with the fake's limits off and pacing out of the way,
 * to see how many sends per second the delivery path sustains and what each costs in CPU.
 */

import path from "node:path";
import { performance } from "node:perf_hooks";
import { Api } from "grammy";
import { BotApiPool, type SendPath } from "../src/delivery/bot-api/index.js";
import { DeliveryEngine } from "../src/delivery/engine/index.js";
import { Pacer } from "../src/delivery/pacer.js";
import { html } from "../src/format/html.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { FakeTelegram } from "../test/support/fake-bot-api/index.js";
import { RemoteFake } from "./fake-remote.js";
import { type ContenderParams, type ContenderResult, type RunOptions, warmClient, warmUp } from "./push.js";
import { subscribeEveryone } from "./seed.js";
import { CpuMeter, makeAudience, profileWindow, RssSampler, runTask, silentLogger, tempDir } from "./util.js";

const UNLIMITED_RATE = 1_000_000;
const HTML = html`🕒 <b>19:05</b>\nAffluenza alle 19: 42,35%`;

/** The engine's two HTTP paths, the old one first: every overhead figure is printed for both. */
export const SEND_PATHS: readonly SendPath[] = ["grammy", "pool"];

/**
 * The headline's variants, oldest first: grammY's client with one transaction per outcome (the old
 * path), the pool with one transaction per outcome (the previous step), the pool with outcomes in
 * batches (the default).
 */
export const HEADLINE: readonly { sendPath: SendPath; batch: boolean; label: string }[] = [
  { sendPath: "grammy", batch: false, label: "grammY path, one commit per message" },
  { sendPath: "pool", batch: false, label: "pool path, one commit per message" },
  { sendPath: "pool", batch: true, label: "pool path, outcomes in batches" },
];

export interface OverheadRow {
  variant: string;
  /** The bot's process alone, an HTTP client alone, bot and fake in one process, or no HTTP at all. */
  kind: "bot" | "client" | "inproc" | "bare";
  sendPath?: SendPath;
  /** Outcomes recorded in batches (false: one transaction per message). */
  batch?: boolean;
  subscribers: number;
  elapsedS: number;
  sent: number;
  sendsPerSec: number;
  /** CPU of the bot's process per message. */
  botCpuUsPerMsg: number;
  /** CPU of the fake's process per message (when it runs apart). */
  fakeCpuUsPerMsg?: number;
  peakRssMB: number;
  lost: number;
  duplicated: number;
}

/** The engine and store alone: the send is an already-resolved promise (no HTTP, no grammY). */
export async function engineOnly(p: { subscribers: number; batch?: boolean }): Promise<ContenderResult> {
  const tmp = await tempDir("elezioni-bench-");
  const store = new SqliteStore(path.join(tmp.dir, "state.sqlite"));
  try {
    const { ids } = makeAudience(p.subscribers, 0.1, 0);
    await subscribeEveryone(store, ids);
    const engine = new DeliveryEngine({
      store,
      logger: silentLogger(),
      pacer: new Pacer({ perSecond: UNLIMITED_RATE, privateGapMs: 0, groupGapMs: 0 }),
      render: () => HTML,
      send: () => Promise.resolve(true),
      acknowledge: { batch: p.batch ?? true },
    });
    engine.start();
    const rss = new RssSampler();
    const cpu = new CpuMeter();
    const t0 = performance.now();
    await store.addBulletin(
      {
        election: "bench",
        id: "bench",
        publishedAt: new Date().toISOString(),
        text: HTML,
        comuni: [],
        origin: "newsroom",
      },
      { requestedBy: null, lang: "it" },
    );
    engine.wake();
    await engine.drained(5);
    const elapsedMs = performance.now() - t0;
    const cpuMicros = cpu.micros();
    const mem = rss.stop();
    await engine.stop();
    return {
      elapsedMs,
      attempted: ids.length,
      ok: engine.stats.sent,
      forbidden: 0,
      rateLimitedErrors: 0,
      otherErrors: engine.stats.failed,
      stoppedEarly: false,
      cpuMicros,
      rss: mem,
      engine: { ...engine.stats },
    };
  } finally {
    await store.close();
    await tmp.remove();
  }
}

/** An HTTP client alone (grammY's, or the engine's pool), as many sends in flight as the engine keeps: the ceiling for any engine. */
export async function clientOnly(p: {
  apiRoot: string;
  token: string;
  ids: number[];
  concurrency: number;
  warmUpCalls?: number;
  client?: SendPath;
}): Promise<ContenderResult> {
  await warmClient(p.warmUpCalls);
  const grammy = new Api(p.token, { apiRoot: p.apiRoot, timeoutSeconds: 30 });
  const pool = p.client === "pool" ? new BotApiPool({ token: p.token, apiRoot: p.apiRoot }) : undefined;
  const send = pool
    ? (id: number) => pool.sendMessage(id, HTML, {})
    : (id: number) => grammy.sendMessage(id, HTML, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
  if (pool) await warmPool(p.warmUpCalls);
  const stopProfile = await profileWindow(`client-${p.client ?? "grammy"}`);
  let next = 0;
  let ok = 0;
  let failed = 0;
  const rss = new RssSampler();
  const cpu = new CpuMeter();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: p.concurrency }, async () => {
      while (next < p.ids.length) {
        const id = p.ids[next++]!;
        try {
          await send(id);
          ok++;
        } catch {
          failed++;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - t0;
  const cpuMicros = cpu.micros();
  await stopProfile();
  await pool?.close();
  return {
    elapsedMs,
    attempted: p.ids.length,
    ok,
    forbidden: 0,
    rateLimitedErrors: 0,
    otherErrors: failed,
    stoppedEarly: false,
    cpuMicros,
    rss: rss.stop(),
  };
}

/** The pool's code warmed up (JIT) as warmClient warms grammY's, against a throwaway in-process fake. */
export async function warmPool(calls = 2000): Promise<void> {
  const fake = await FakeTelegram.start({ recordSent: false });
  const pool = new BotApiPool({ token: fake.token, apiRoot: fake.apiRoot, connections: 8 });
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < calls) await pool.sendMessage(900_000_000 + next++, HTML, {}).catch(() => undefined);
      }),
    );
  } finally {
    await pool.close();
    await fake.close();
  }
}

export async function runOverhead(
  subscribers: number,
  o: Pick<RunOptions, "warmUpCalls" | "fakeWarmUpCalls">,
  log: (s: string) => void,
): Promise<OverheadRow[]> {
  const audience = makeAudience(subscribers, 0.1, 0);
  const engine = { privateGapMs: 0, groupGapMs: 0 };
  const rows: OverheadRow[] = [];
  const label = (p: SendPath) => (p === "pool" ? "pool path" : "grammY path");

  // Headline: the fake in its own process, so the CPU figure is the bot's alone. Both paths, one after the other.
  const fake = await RemoteFake.start({ recordSent: false });
  try {
    await warmUp(fake.apiRoot, fake.token, o.fakeWarmUpCalls);
    for (const { sendPath, batch, label: what } of HEADLINE) {
      log(`  overhead: fake in a separate process, ${what}, ${subscribers} chats...`);
      await fake.reset();
      const before = await fake.snapshot();
      const r = await runTask<ContenderResult>("push.ours", {
        apiRoot: fake.apiRoot,
        token: fake.token,
        ids: audience.ids,
        blocked: [],
        rate: UNLIMITED_RATE,
        paid: false,
        engine: { ...engine, acknowledge: { batch } },
        warmUpCalls: o.warmUpCalls,
        sendPath,
      } satisfies ContenderParams);
      const after = await fake.snapshot();
      const t = await fake.tally({ ids: audience.ids, blocked: [] });
      rows.push({
        variant: `bot process alone, ${what}`,
        kind: "bot",
        sendPath,
        batch,
        subscribers,
        elapsedS: r.elapsedMs / 1000,
        sent: t.delivered,
        sendsPerSec: t.delivered / (r.elapsedMs / 1000),
        botCpuUsPerMsg: r.cpuMicros / Math.max(1, t.delivered),
        fakeCpuUsPerMsg: (after.cpuMicros - before.cpuMicros) / Math.max(1, t.delivered),
        peakRssMB: r.rss.peakMB,
        lost: t.lost,
        duplicated: t.duplicated,
      });
    }

    for (const sendPath of SEND_PATHS) {
      log(
        `  overhead: ${sendPath === "pool" ? "the pool's" : "grammY's"} client alone (no engine, no store), ${subscribers} chats...`,
      );
      await fake.reset();
      const c0 = await fake.snapshot();
      const c = await runTask<ContenderResult>("overhead.clientOnly", {
        apiRoot: fake.apiRoot,
        token: fake.token,
        ids: audience.ids,
        concurrency: 512,
        warmUpCalls: o.warmUpCalls,
        client: sendPath,
      });
      const c1 = await fake.snapshot();
      rows.push({
        variant: `reference: ${sendPath === "pool" ? "the pool's client" : "grammY's client"} alone, 512 in flight`,
        kind: "client",
        sendPath,
        subscribers,
        elapsedS: c.elapsedMs / 1000,
        sent: c.ok,
        sendsPerSec: c.ok / (c.elapsedMs / 1000),
        botCpuUsPerMsg: c.cpuMicros / Math.max(1, c.ok),
        fakeCpuUsPerMsg: (c1.cpuMicros - c0.cpuMicros) / Math.max(1, c.ok),
        peakRssMB: c.rss.peakMB,
        lost: subscribers - c.ok,
        duplicated: 0,
      });
    }
  } finally {
    await fake.close();
  }

  for (const sendPath of SEND_PATHS) {
    log(`  overhead: fake in the same process, ${label(sendPath)}, ${subscribers} chats...`);
    const inproc = await runTask<ContenderResult>("push.ours", {
      inProcessFake: { recordSent: false },
      ids: audience.ids,
      blocked: [],
      rate: UNLIMITED_RATE,
      paid: false,
      engine,
      warmUpCalls: o.warmUpCalls,
      sendPath,
    } satisfies ContenderParams);
    rows.push({
      variant: `bot + fake in one process, ${label(sendPath)}`,
      kind: "inproc",
      sendPath,
      subscribers,
      elapsedS: inproc.elapsedMs / 1000,
      sent: inproc.fake!.tally.delivered,
      sendsPerSec: inproc.fake!.tally.delivered / (inproc.elapsedMs / 1000),
      botCpuUsPerMsg: inproc.cpuMicros / Math.max(1, inproc.fake!.tally.delivered),
      peakRssMB: inproc.rss.peakMB,
      lost: inproc.fake!.tally.lost,
      duplicated: inproc.fake!.tally.duplicated,
    });
  }

  for (const batch of [false, true]) {
    const what = batch ? "outcomes in batches" : "one commit per message";
    log(`  overhead: engine + store only (no HTTP), ${what}, ${subscribers} chats...`);
    const bare = await runTask<ContenderResult>("overhead.engineOnly", { subscribers, batch });
    rows.push({
      variant: `engine + store only (send is a no-op), ${what}`,
      kind: "bare",
      batch,
      subscribers,
      elapsedS: bare.elapsedMs / 1000,
      sent: bare.ok,
      sendsPerSec: bare.ok / (bare.elapsedMs / 1000),
      botCpuUsPerMsg: bare.cpuMicros / Math.max(1, bare.ok),
      peakRssMB: bare.rss.peakMB,
      lost: subscribers - bare.ok,
      duplicated: 0,
    });
  }
  return rows;
}
