/**
 * Section 5, a rush during a push: a TV presenter names the bot while the newsroom's bulletin goes
 * out. Thousands of citizens write /citta Genova within one second while a push to every
 * subscriber is under way, against the fake Bot API (in its own process) enforcing 30 messages a
 * second for the whole bot and one a second per chat.
 *
 * Two contenders, each in a fresh process, the same fake: ours (the one send budget) and today's
 * behaviour before it (replies unpaced with bounded @grammyjs/auto-retry, pushes on their own pacer
 * at the old default of 25/s). Both take updates by long polling with grammY's runner, as `npm start`
 * does. The fake starts the rush itself once the push has delivered a given number of messages and
 * measures each reply's latency from the moment the citizen's message was queued.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { autoRetry } from "@grammyjs/auto-retry";
import { run } from "@grammyjs/runner";
import type { Update } from "grammy/types";
import type { SendPath } from "../src/delivery/bot-api/index.js";
import type { SendStats } from "../src/delivery/budget/index.js";
import type { EngineStats } from "../src/delivery/engine/index.js";
import { createRuntime } from "../src/runtime.js";
import type { FakeTelegramOptions } from "../test/support/fake-bot-api/index.js";
import { RemoteFake } from "./fake-remote.js";
import { PUSH_TEXT } from "./push.js";
import { subscribeEveryone } from "./seed.js";
import { DATA_DIR, makeAudience, RssSampler, runTask, silentLogger, sleep, tempDir } from "./util.js";

/** What every citizen asks, and a word every right answer contains. */
export const RUSH_TEXT = "/citta Genova";
export const ANSWER_MARKER = "Marco Bucci";
/** The start of the bot's apology when a handler failed (src/i18n/it.ts genericError). */
export const APOLOGY_MARKER = "Scusa, qualcosa è andato storto";

export interface RushContenderParams {
  apiRoot: string;
  token: string;
  contender: RushContenderKey;
  subscribers: number[];
  citizens: number;
  rate: number;
  /** Pushes as paid broadcasts (allow_paid_broadcast, sendRate 1000). */
  paid?: boolean;
  /** The engine's path to the Bot API (SEND_PATH); default the runtime's. */
  sendPath?: SendPath;
  /** Give up waiting after this long (a contender that never finishes is reported as such). */
  budgetMs: number;
}

export interface RushContenderResult {
  pushMs: number;
  /** Updates the bot finished handling. */
  handled: number;
  finished: boolean;
  rss: { startMB: number; peakMB: number; endMB: number; samples: number };
  engine: EngineStats;
  budget?: SendStats;
  /** Time from the push's start to the last update handled. */
  elapsedMs: number;
}

/** Runs in the contender's own process: the bot by long polling, a push, and waits for both to settle. */
export async function rushContender(p: RushContenderParams): Promise<RushContenderResult> {
  const tmp = await tempDir("elezioni-rush-");
  try {
    const runtime = await createRuntime({
      token: p.token,
      apiRoot: p.apiRoot,
      dataDir: DATA_DIR,
      databasePath: path.join(tmp.dir, "state.sqlite"),
      adminIds: new Set(),
      sendRate: p.rate,
      paidBroadcast: p.paid ?? false,
      logger: silentLogger(),
      timeoutSeconds: 30,
      sequential: true,
      sendBudget: p.contender !== "today",
      ...(p.sendPath ? { sendPath: p.sendPath } : {}),
      // The old path as it was: grammY's client and one transaction per outcome.
      ...(p.sendPath === "grammy" ? { engine: { acknowledge: { batch: false } } } : {}),
    });
    const { bot } = runtime;
    if (p.contender === "today") {
      // What src/main.ts installed before the send budget.
      const retry = autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 10, rethrowHttpErrors: true });
      bot.api.config.use((prev, method, payload, signal) =>
        method === "getUpdates" ? prev(method, payload, signal) : retry(prev, method, payload, signal),
      );
    }
    let handled = 0;
    const handle = bot.handleUpdate.bind(bot);
    bot.handleUpdate = async (update: Update, webhookReplyEnvelope?: Parameters<typeof handle>[1]) => {
      try {
        return await handle(update, webhookReplyEnvelope);
      } finally {
        handled++;
      }
    };
    await subscribeEveryone(runtime.store, p.subscribers);
    await bot.init();
    await bot.api.deleteWebhook();
    runtime.start();
    const rss = new RssSampler();
    const runner = run(bot, { runner: { fetch: { allowed_updates: ["message", "callback_query"] }, silent: true } });
    const t0 = performance.now();
    let pushMs = Number.NaN;
    await runtime.publisher.publish({
      text: PUSH_TEXT,
      comuni: [],
      requestedBy: null as unknown as number,
      lang: "it",
    });
    const pushDone = runtime.engine.drained(20).then(() => {
      pushMs = performance.now() - t0;
    });
    const deadline = t0 + p.budgetMs;
    while ((handled < p.citizens || Number.isNaN(pushMs)) && performance.now() < deadline) await sleep(50);
    const finished = handled >= p.citizens && !Number.isNaN(pushMs);
    const elapsedMs = performance.now() - t0;
    const mem = rss.stop();
    if (runner.isRunning()) await runner.stop();
    await runtime.stop();
    if (finished) await pushDone;
    return {
      pushMs,
      handled,
      finished,
      rss: mem,
      engine: { ...runtime.engine.stats },
      budget: runtime.budget?.stats(),
      elapsedMs,
    };
  } finally {
    await tmp.remove();
  }
}

// ---------------------------------------------------------------------------
// Orchestration (parent process)
// ---------------------------------------------------------------------------

export interface RushConfig {
  citizens: number;
  subscribers: number;
  /** The rush starts once this many push messages were delivered. */
  afterPushSends: number;
  /** Citizens' messages arrive spread over this long. */
  spreadMs: number;
  budgetMs: number;
  /** Only these contenders (default: all). */
  contenders?: RushContenderKey[];
}

export interface RushRow {
  contender: RushContenderKey;
  paid: boolean;
  rate: number;
  citizens: number;
  subscribers: number;
  answered: number;
  apologised: number;
  unanswered: number;
  duplicatedReplies: number;
  latencyP50S: number;
  latencyP99S: number;
  latencyMaxS: number;
  droppedWaited: number;
  droppedOverflow: number;
  tooManyRequests: number;
  sendCalls: number;
  share429: number;
  pushS: number;
  pushDelivered: number;
  pushLost: number;
  pushDuplicated: number;
  peakRssMB: number;
  /** RSS growth from the push's start to the peak. */
  rssGrowthMB: number;
  finished: boolean;
}

export const RUSH_CONTENDERS = [
  { key: "ours", name: "ours: one send budget", rate: 30, paid: false },
  { key: "today", name: "before: replies unpaced + auto-retry, pushes paced apart", rate: 25, paid: false },
  // The push as paid broadcast at 1000/s: replies are not paid broadcasts, so they still go at the free 30/s.
  { key: "ours-paid", name: "ours: one send budget, the push paid at 1000/s", rate: 1000, paid: true },
  {
    key: "ours-paid-grammy",
    name: "ours: the push paid at 1000/s, grammY path (SEND_PATH=grammy)",
    rate: 1000,
    paid: true,
    sendPath: "grammy",
  },
] as const;
export type RushContenderKey = (typeof RUSH_CONTENDERS)[number]["key"];

export async function runRush(cfg: RushConfig, log: (s: string) => void): Promise<RushRow[]> {
  const audience = makeAudience(cfg.subscribers);
  const blocked = new Set(audience.blocked);
  // Half the rush are subscribers (private chats that did not block the bot), half are new.
  const privateSubscribers = audience.ids.filter((id) => id > 0 && !blocked.has(id));
  const citizens = Array.from({ length: cfg.citizens }, (_, i) =>
    i % 2 === 0 && i / 2 < privateSubscribers.length ? privateSubscribers[i / 2]! : 50_000_000 + i,
  );
  const fakeOpts: FakeTelegramOptions = {
    globalPerSecond: 30,
    paidGlobalPerSecond: 1000,
    perChatPerSecond: 1,
    perGroupPerMinute: 20,
    recordSent: true,
    recordCalls: false,
  };
  const fake = await RemoteFake.start(fakeOpts);
  const rows: RushRow[] = [];
  try {
    for (const c of RUSH_CONTENDERS.filter((x) => !cfg.contenders || cfg.contenders.includes(x.key))) {
      await fake.reset();
      await fake.block(audience.blocked);
      await fake.armRush({
        afterSends: cfg.afterPushSends,
        citizens,
        text: RUSH_TEXT,
        spreadMs: cfg.spreadMs,
      });
      log(`  rush: ${c.name}: ${cfg.citizens} citizens during a push to ${cfg.subscribers} subscribers...`);
      const r = await runTask<RushContenderResult>("rush.contender", {
        apiRoot: fake.apiRoot,
        token: fake.token,
        contender: c.key,
        subscribers: audience.ids,
        citizens: cfg.citizens,
        rate: c.rate,
        paid: c.paid,
        ...("sendPath" in c ? { sendPath: c.sendPath } : {}),
        budgetMs: cfg.budgetMs,
      } satisfies RushContenderParams);
      const t = await fake.rushTally({
        citizens,
        subscribers: audience.ids,
        blocked: audience.blocked,
        pushMarker: PUSH_TEXT,
        answerMarker: ANSWER_MARKER,
        apologyMarker: APOLOGY_MARKER,
      });
      const snap = await fake.snapshot();
      rows.push({
        contender: c.key,
        paid: c.paid,
        rate: c.rate,
        citizens: cfg.citizens,
        subscribers: cfg.subscribers,
        answered: t.answered,
        apologised: t.apologised,
        unanswered: cfg.citizens - t.answered,
        duplicatedReplies: t.duplicatedReplies,
        latencyP50S: t.latencyP50Ms / 1000,
        latencyP99S: t.latencyP99Ms / 1000,
        latencyMaxS: t.latencyMaxMs / 1000,
        droppedWaited: r.budget?.droppedWaited ?? 0,
        droppedOverflow: r.budget?.droppedOverflow ?? 0,
        tooManyRequests: snap.tooManyRequests,
        sendCalls: snap.sendCalls,
        share429: snap.sendCalls ? snap.tooManyRequests / snap.sendCalls : 0,
        pushS: r.pushMs / 1000,
        pushDelivered: t.pushDelivered,
        pushLost: t.pushLost,
        pushDuplicated: t.pushDuplicated,
        peakRssMB: r.rss.peakMB,
        rssGrowthMB: r.rss.peakMB - r.rss.startMB,
        finished: r.finished,
      });
    }
  } finally {
    await fake.close();
  }
  return rows;
}
