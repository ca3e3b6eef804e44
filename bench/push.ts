/**
 * Section 1, push pace: our runtime against two common ways of broadcasting with grammY, all
 * against the fake Bot API enforcing Telegram-like flood limits (the fake runs in its own process).
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Api, GrammyError } from "grammy";
import type { EngineStats } from "../src/delivery/engine/index.js";
import { createRuntime } from "../src/runtime.js";
import { FakeTelegram, type FakeTelegramOptions } from "../test/support/fake-bot-api/index.js";
import { type FakeSnapshot, RemoteFake } from "./fake-remote.js";
import { subscribeEveryone } from "./seed.js";
import { type Tally, tally } from "./tally.js";
import { CpuMeter, DATA_DIR, makeAudience, profileWindow, RssSampler, runTask, silentLogger, tempDir } from "./util.js";

export const PUSH_TEXT = "Affluenza alle 19: 42,35% (-3,1 punti rispetto a cinque anni fa). Seggi aperti fino alle 23.";
/** What the peers send: about what our runtime renders for the bulletin above. */
const PEER_HTML = `🕒 <b>19:05</b>\n${PUSH_TEXT}`;

export interface ContenderParams {
  apiRoot?: string;
  token?: string;
  /** Start the fake inside this process instead (engine overhead with the fake's CPU included). */
  inProcessFake?: FakeTelegramOptions;
  ids: number[];
  blocked: number[];
  rate: number;
  paid: boolean;
  engine?: {
    privateGapMs?: number;
    groupGapMs?: number;
    concurrency?: number;
    /** Outcomes recorded in batches (default) or one transaction per message (the old path). */
    acknowledge?: { batch?: boolean };
  };
  /** Peers stop starting new sends after this long. */
  budgetMs?: number;
  /** Calls to a throwaway fake before timing (JIT warm-up); default 2000. */
  warmUpCalls?: number;
  /** Ours: the engine's HTTP path (SEND_PATH); default the runtime's. */
  sendPath?: "grammy" | "pool";
}

export interface ContenderResult {
  elapsedMs: number;
  /** Chats a send was started for (less than the audience if the budget ran out). */
  attempted: number;
  ok: number;
  forbidden: number;
  rateLimitedErrors: number;
  otherErrors: number;
  stoppedEarly: boolean;
  cpuMicros: number;
  rss: { startMB: number; peakMB: number; endMB: number; samples: number };
  engine?: EngineStats;
  /** Only with inProcessFake. */
  fake?: { tooManyRequests: number; sendCalls: number; tally: Tally };
}

async function withFake<T>(
  p: ContenderParams,
  run: (apiRoot: string, token: string) => Promise<T>,
): Promise<{ result: T; fake?: FakeTelegram }> {
  if (!p.inProcessFake) return { result: await run(p.apiRoot!, p.token!) };
  const fake = await FakeTelegram.start(p.inProcessFake);
  for (const id of p.blocked) fake.blockChat(id);
  const result = await run(fake.apiRoot, fake.token);
  return { result, fake };
}

/** Ours: createRuntime + Publisher.publish + engine.drained(), database in a temp dir. */
export async function pushOurs(p: ContenderParams): Promise<ContenderResult> {
  await warmClient(p.warmUpCalls);
  // The pool path's code gets the same warm-up as grammY's.
  if (p.sendPath !== "grammy") await (await import("./overhead.js")).warmPool(p.warmUpCalls);
  const tmp = await tempDir("elezioni-bench-");
  try {
    const { result, fake } = await withFake<ContenderResult>(p, async (apiRoot, token) => {
      const runtime = await createRuntime({
        token,
        apiRoot,
        dataDir: DATA_DIR,
        databasePath: path.join(tmp.dir, "state.sqlite"),
        adminIds: new Set(),
        sendRate: p.rate,
        paidBroadcast: p.paid,
        logger: silentLogger(),
        rateLimit: false,
        timeoutSeconds: 30,
        // The old path as it was: grammY's client and one transaction per outcome.
        engine: p.sendPath === "grammy" ? { ...p.engine, acknowledge: { batch: false } } : p.engine,
        ...(p.sendPath ? { sendPath: p.sendPath } : {}),
      });
      await subscribeEveryone(runtime.store, p.ids);
      runtime.start();
      const rss = new RssSampler();
      const stopProfile = await profileWindow(`push-ours-${p.sendPath ?? "default"}`);
      const cpu = new CpuMeter();
      const t0 = performance.now();
      // No requester: the push report to an editor would be one more send against the same limit.
      await runtime.publisher.publish({
        text: PUSH_TEXT,
        comuni: [],
        requestedBy: null as unknown as number,
        lang: "it",
      });
      await runtime.engine.drained(5);
      const elapsedMs = performance.now() - t0;
      const cpuMicros = cpu.micros();
      const mem = rss.stop();
      await stopProfile();
      const stats = { ...runtime.engine.stats };
      await runtime.stop();
      return {
        elapsedMs,
        attempted: p.ids.length,
        ok: stats.sent,
        forbidden: stats.removed,
        rateLimitedErrors: 0,
        otherErrors: stats.failed,
        stoppedEarly: false,
        cpuMicros,
        rss: mem,
        engine: stats,
      };
    });
    if (fake) {
      result.fake = {
        tooManyRequests: fake.stats.tooManyRequests,
        sendCalls: fake.callCounts.get("sendMessage") ?? 0,
        tally: tally(fake.deliveredPerChat, p),
      };
      await fake.close();
    }
    return result;
  } finally {
    await tmp.remove();
  }
}

function classify(err: unknown, r: ContenderResult): void {
  if (err instanceof GrammyError && err.error_code === 403) r.forbidden++;
  else if (err instanceof GrammyError && err.error_code === 429) r.rateLimitedErrors++;
  else r.otherErrors++;
}

function emptyResult(): ContenderResult {
  return {
    elapsedMs: 0,
    attempted: 0,
    ok: 0,
    forbidden: 0,
    rateLimitedErrors: 0,
    otherErrors: 0,
    stoppedEarly: false,
    cpuMicros: 0,
    rss: { startMB: 0, peakMB: 0, endMB: 0, samples: 0 },
  };
}

/** Peer (a): `for (const id of ids) await api.sendMessage(id, text)` with @grammyjs/auto-retry. */
export async function pushNaive(p: ContenderParams): Promise<ContenderResult> {
  await warmClient(p.warmUpCalls);
  const api = new Api(p.token!, { apiRoot: p.apiRoot!, timeoutSeconds: 30 });
  api.config.use(autoRetry());
  const extra = {
    parse_mode: "HTML" as const,
    link_preview_options: { is_disabled: true },
    ...(p.paid ? { allow_paid_broadcast: true } : {}),
  };
  const r = emptyResult();
  const rss = new RssSampler();
  const cpu = new CpuMeter();
  const t0 = performance.now();
  const deadline = t0 + (p.budgetMs ?? Infinity);
  for (const id of p.ids) {
    if (performance.now() > deadline) {
      r.stoppedEarly = true;
      break;
    }
    r.attempted++;
    try {
      await api.sendMessage(id, PEER_HTML, extra);
      r.ok++;
    } catch (err) {
      classify(err, r);
    }
  }
  r.elapsedMs = performance.now() - t0;
  r.cpuMicros = cpu.micros();
  r.rss = rss.stop();
  return r;
}

/** Peer (b): @grammyjs/transformer-throttler with its defaults, Promise.allSettled in chunks. */
export async function pushThrottler(p: ContenderParams & { chunk?: number }): Promise<ContenderResult> {
  await warmClient(p.warmUpCalls);
  const api = new Api(p.token!, { apiRoot: p.apiRoot!, timeoutSeconds: 30 });
  api.config.use(apiThrottler());
  const extra = {
    parse_mode: "HTML" as const,
    link_preview_options: { is_disabled: true },
    ...(p.paid ? { allow_paid_broadcast: true } : {}),
  };
  const chunk = p.chunk ?? 100;
  const r = emptyResult();
  const rss = new RssSampler();
  const cpu = new CpuMeter();
  const t0 = performance.now();
  const deadline = t0 + (p.budgetMs ?? Infinity);
  for (let i = 0; i < p.ids.length; i += chunk) {
    if (performance.now() > deadline) {
      r.stoppedEarly = true;
      break;
    }
    const part = p.ids.slice(i, i + chunk);
    r.attempted += part.length;
    const settled = await Promise.allSettled(part.map((id) => api.sendMessage(id, PEER_HTML, extra)));
    for (const s of settled) {
      if (s.status === "fulfilled") r.ok++;
      else classify(s.reason, r);
    }
  }
  r.elapsedMs = performance.now() - t0;
  r.cpuMicros = cpu.micros();
  r.rss = rss.stop();
  return r;
}

// ---------------------------------------------------------------------------
// Orchestration (parent process)
// ---------------------------------------------------------------------------

export interface PushRunConfig {
  label: string;
  /** The fake's limit for these sends. */
  limit: number;
  paid: boolean;
  subscribers: number;
  /** Our sendRate; default: the limit. */
  ourRate?: number;
  /** Default: all of them. */
  contenders?: string[];
}

export interface PushRow {
  run: string;
  rate: number;
  contender: string;
  limit: number;
  subscribers: number;
  attempted: number;
  stoppedEarly: boolean;
  elapsedS: number;
  ok: number;
  pace: number;
  paceOfLimit: number;
  tooManyRequests: number;
  sendCalls: number;
  share429: number;
  lost: number;
  duplicated: number;
  extraCopies: number;
  forbidden: number;
  rateLimitedErrors: number;
  otherErrors: number;
  peakRssMB: number;
  cpuS: number;
  engine?: EngineStats;
}

/**
 * Warms up grammY's HTTP client in this process (JIT) against a throwaway in-process fake, so the
 * timed run measures steady state. Every contender gets the same warm-up.
 */
export async function warmClient(calls = 2000): Promise<void> {
  const fake = await FakeTelegram.start({ recordSent: false });
  try {
    await warmUp(fake.apiRoot, fake.token, calls);
  } finally {
    await fake.close();
  }
}

/**
 * A fresh fake answers its first thousand calls slowly (cold JIT). Without this, whoever runs first
 * pays for it; every contender runs in a fresh process anyway, so each pays its own warm-up alike.
 */
export async function warmUp(apiRoot: string, token: string, calls = 3000): Promise<void> {
  const api = new Api(token, { apiRoot });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < calls) {
        const i = next++;
        await api
          .sendMessage(900_000_000 + i, `<b>warm-up</b> ${i}`, { parse_mode: "HTML", allow_paid_broadcast: true })
          .catch(() => undefined);
      }
    }),
  );
}

export const CONTENDERS = [
  { key: "ours", task: "push.ours", name: "ours (runtime + engine)" },
  { key: "ours-grammy", task: "push.ours", name: "ours on the grammY path (SEND_PATH=grammy)" },
  { key: "naive", task: "push.naive", name: "naive loop + auto-retry" },
  { key: "throttler", task: "push.throttler", name: "transformer-throttler" },
] as const;

/** Ours, on either send path. */
const isOurs = (key: string) => key.startsWith("ours");

export interface RunOptions {
  /** Peers stop starting new sends after this long. */
  peerBudgetMs: number;
  /** Warm-up calls each contender's process makes first (to a throwaway fake). */
  warmUpCalls: number;
  /** Warm-up calls to a freshly started fake. */
  fakeWarmUpCalls: number;
}

export async function runPushRun(cfg: PushRunConfig, o: RunOptions, log: (s: string) => void): Promise<PushRow[]> {
  const audience = makeAudience(cfg.subscribers);
  const fakeOpts: FakeTelegramOptions = {
    globalPerSecond: 30,
    ...(cfg.paid ? { paidGlobalPerSecond: cfg.limit } : {}),
    perChatPerSecond: 1,
    perGroupPerMinute: 20,
    recordSent: false,
  };
  const fake = await RemoteFake.start(fakeOpts);
  const rows: PushRow[] = [];
  try {
    await warmUp(fake.apiRoot, fake.token, o.fakeWarmUpCalls);
    for (const c of CONTENDERS.filter((x) => !cfg.contenders || cfg.contenders.includes(x.key))) {
      await fake.reset();
      await fake.block(audience.blocked);
      log(`  ${cfg.label}: ${c.name}, ${cfg.subscribers} chats...`);
      const params: ContenderParams = {
        apiRoot: fake.apiRoot,
        token: fake.token,
        ids: audience.ids,
        blocked: audience.blocked,
        rate: isOurs(c.key) ? (cfg.ourRate ?? cfg.limit) : cfg.limit,
        paid: cfg.paid,
        warmUpCalls: o.warmUpCalls,
        ...(isOurs(c.key) ? {} : { budgetMs: o.peerBudgetMs }),
        ...(c.key === "ours-grammy" ? { sendPath: "grammy" as const } : {}),
      };
      const r = await runTask<ContenderResult>(c.task, params);
      const snap: FakeSnapshot = await fake.snapshot();
      const t = await fake.tally({ ids: audience.ids, blocked: audience.blocked, attempted: r.attempted });
      const pace = t.delivered / (r.elapsedMs / 1000);
      rows.push({
        run: cfg.label,
        rate: isOurs(c.key) ? (cfg.ourRate ?? cfg.limit) : cfg.limit,
        contender: c.key,
        limit: cfg.limit,
        subscribers: cfg.subscribers,
        attempted: r.attempted,
        stoppedEarly: r.stoppedEarly,
        elapsedS: r.elapsedMs / 1000,
        ok: t.delivered,
        pace,
        paceOfLimit: pace / cfg.limit,
        tooManyRequests: snap.tooManyRequests,
        sendCalls: snap.sendCalls,
        share429: snap.sendCalls ? snap.tooManyRequests / snap.sendCalls : 0,
        lost: t.lost,
        duplicated: t.duplicated,
        extraCopies: t.extraCopies,
        forbidden: r.forbidden,
        rateLimitedErrors: r.rateLimitedErrors,
        otherErrors: r.otherErrors,
        peakRssMB: r.rss.peakMB,
        cpuS: r.cpuMicros / 1e6,
        engine: r.engine,
      });
    }
  } finally {
    await fake.close();
  }
  return rows;
}
