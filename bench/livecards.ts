/**
 * Section 8, live cards: a comune with many followers whose count moves every minute, against the
 * fake Bot API (in its own process) enforcing Telegram's limits for the whole bot (30 msg/s, 1/s per
 * chat, 20/min per group; 1000/s for paid broadcasts). Two ways of keeping followers up to date,
 * each in a fresh process, one after the other against the same fake, at 30/s and with paid
 * broadcast (1000/s):
 *
 * - cards: one message per follower, edited in place (src/cards/; the budget's lowest lane);
 * - messages: a new message to every follower at each change (a push through the outbox engine).
 *
 * Both start from followers who already have one message (the card, or the first bulletin). The fake
 * notes what each chat shows ("412 sezioni su 653") as it accepts each message; the delay of a
 * change for a follower runs from the moment the bot took the change in to the moment that
 * follower's chat showed it, or a newer count.
 *
 * Also: `/grafico Genova` end to end, cold (drawn and uploaded) and cached (Telegram's file_id).
 *
 *   npm run bench -- --only livecards [--quick]
 */
import { copyFile, readFile, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { liveCardButtons } from "../src/bot/keyboards.js";
import type { LiveCardsStats } from "../src/cards/live/index.js";
import { renderLiveCard } from "../src/cards/render.js";
import { asComuneCode } from "../src/data/model.js";
import type { SendStats } from "../src/delivery/budget/index.js";
import type { EngineStats } from "../src/delivery/engine/index.js";
import { createRuntime } from "../src/runtime.js";
import { UpdateFactory } from "../src/terminal/updates.js";
import { FakeTelegram, htmlToPlain } from "../test/support/fake-bot-api/index.js";
import type { CardChange, CardTally } from "./cards-tally.js";
import { RemoteFake } from "./fake-remote.js";
import { num, table } from "./table.js";
import { DATA_DIR, makeAudience, RssSampler, runTask, silentLogger, sleep, summarize, tempDir } from "./util.js";

/** The first round's night: the cards show the first round, counting. */
const NIGHT = new Date("2017-06-11T23:00:00+02:00");
const COMUNE = "Genova";
/** Genova as subscriptions and cards keep it: its ISTAT code. */
const CODE = asComuneCode("010025");
const SECTIONS = 653;
const PACK_FILES = ["election.json", "comuni.json", "turnout.json", "results.json", "bulletins.json"];

export type CardsContender = "cards" | "messages";

export interface CardsContenderParams {
  apiRoot: string;
  token: string;
  contender: CardsContender;
  followers: number[];
  /** Each follower's existing message (chat → message id): the card the benchmark starts from. */
  cardIds: [number, number][];
  /** SEND_RATE; above 30 with paid broadcast. */
  rate: number;
  changes: number;
  intervalMs: number;
  /** After the last change, wait at most this long for every follower to see it. */
  drainMs: number;
}

export interface CardsContenderResult {
  changes: CardChange[];
  /** Every follower was up to date before the deadline. */
  finished: boolean;
  /** From the first change to the end (everyone up to date, or the deadline). */
  elapsedMs: number;
  /** Messages still queued at the end (the messages contender's outbox). */
  backlog: number;
  rss: { startMB: number; peakMB: number; endMB: number; samples: number };
  cards: LiveCardsStats;
  engine: EngineStats;
  budget?: SendStats;
}

/** Writes Genova's first round with `counted` sections of 653 into the pack's copy. */
async function writeCount(dir: string, counted: number, stamp: number): Promise<void> {
  const file = path.join(dir, "results.json");
  const results = JSON.parse(await readFile(file, "utf8"));
  const c = results.comuni.find((x: { name: string }) => x.name === COMUNE);
  c.firstRound.sections = { counted, total: SECTIONS };
  c.firstRound.provenance.status = "partial";
  c.firstRound.provenance.at = new Date(NIGHT.getTime() + stamp * 60_000).toISOString();
  delete c.firstRound.outcome;
  delete c.runoff;
  await writeFile(file, JSON.stringify(results));
  // The watcher compares size and modification time: each version gets its own.
  const t = new Date(NIGHT.getTime() + stamp * 1000);
  await utimes(file, t, t);
}

/** Runs in the contender's own process: the bot, its followers, the changes, until everyone saw the last. */
export async function cardsContender(p: CardsContenderParams): Promise<CardsContenderResult> {
  const tmp = await tempDir("elezioni-cards-");
  try {
    for (const f of PACK_FILES) await copyFile(path.join(DATA_DIR, f), path.join(tmp.dir, f));
    await writeCount(tmp.dir, 0, 0);
    const paid = p.rate > 30;
    const runtime = await createRuntime({
      token: p.token,
      apiRoot: p.apiRoot,
      dataDir: tmp.dir,
      databasePath: path.join(tmp.dir, "state.sqlite"),
      adminIds: new Set(),
      sendRate: p.rate,
      paidBroadcast: paid,
      logger: silentLogger(),
      timeoutSeconds: 30,
      now: () => NIGHT,
    });
    const { store } = runtime;
    const cardStore = runtime.app.cards.store;
    const sentAt = NIGHT.getTime();
    // The cards show the count as it is now: a restart (start) finds nothing to edit.
    const shown = renderLiveCard(runtime.data.current(), CODE, "it", NIGHT, liveCardButtons)!.fingerprint;
    await store.transaction(async () => {
      for (const id of p.followers) await store.subscribe(id, CODE, "it");
      // Cards: each follower's card is the message it already has. Messages: no live card at all.
      if (p.contender === "cards")
        for (const [id, msg] of p.cardIds) await cardStore.cardSent(id, CODE, msg, sentAt, shown);
      else for (const id of p.followers) await cardStore.setOff(id, CODE, true);
    });
    runtime.start();
    const rss = new RssSampler();
    const changes: CardChange[] = [];
    const t0 = performance.now();
    const step = Math.floor((SECTIONS - 1) / (p.changes + 1));
    for (let k = 1; k <= p.changes; k++) {
      const due = t0 + (k - 1) * p.intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const counted = k * step;
      await writeCount(tmp.dir, counted, k);
      await runtime.poll(); // cards: the comune changed, its followers' cards move
      if (p.contender === "messages") {
        const card = renderLiveCard(runtime.data.current(), CODE, "it", NIGHT, liveCardButtons)!;
        await runtime.publisher.publish({
          text: htmlToPlain(card.html).slice(0, 3000),
          comuni: [CODE],
          requestedBy: null as unknown as number,
          lang: "it",
        });
      }
      changes.push({ at: Date.now(), version: counted });
    }
    const deadline = performance.now() + p.drainMs;
    const done = async () =>
      p.contender === "cards"
        ? runtime.liveCards.idle
        : (await runtime.store.pendingCount()) === 0 && runtime.engine.inFlight === 0;
    while (!(await done()) && performance.now() < deadline) await sleep(200);
    const finished = await done();
    const elapsedMs = performance.now() - t0;
    const backlog = await runtime.store.pendingCount();
    const mem = rss.stop();
    const result: CardsContenderResult = {
      changes,
      finished,
      elapsedMs,
      backlog,
      rss: mem,
      cards: { ...runtime.liveCards.stats },
      engine: { ...runtime.engine.stats },
      ...(runtime.budget ? { budget: runtime.budget.stats() } : {}),
    };
    await runtime.stop();
    return result;
  } finally {
    await tmp.remove();
  }
}

// ---------------------------------------------------------------------------
// /grafico end to end
// ---------------------------------------------------------------------------

export interface ChartSendResult {
  /** The first /grafico in a fresh process: renderer thread started, drawn, uploaded. */
  firstMs: number;
  /** Another comune's chart, not cached: drawn and uploaded. */
  coldMs: number;
  /** The same chart again: sent by file_id. */
  cachedP50Ms: number;
  cachedP99Ms: number;
  pngKB: number;
  width: number;
  height: number;
  sends: number;
}

/** /grafico against the fake in this process (no limits): what a citizen waits for a chart. */
export async function chartSendTask(p: { sends: number }): Promise<ChartSendResult> {
  const fake = await FakeTelegram.start({ recordCalls: false });
  const tmp = await tempDir("elezioni-charts-");
  try {
    const runtime = await createRuntime({
      token: fake.token,
      apiRoot: fake.apiRoot,
      dataDir: DATA_DIR,
      databasePath: path.join(tmp.dir, "state.sqlite"),
      adminIds: new Set(),
      sendRate: 1000,
      paidBroadcast: false,
      logger: silentLogger(),
      botInfo: fake.botInfo,
      rateLimit: false,
      // No send budget: what is timed is the chart's own cost, not the wait for a slot under 30/s.
      sendBudget: false,
      engine: { privateGapMs: 0, groupGapMs: 0 },
      now: () => NIGHT,
    });
    const updates = new UpdateFactory();
    const ask = async (text: string, user: number) => {
      const s = performance.now();
      await runtime.bot.handleUpdate(updates.message(text, { userId: user }));
      return performance.now() - s;
    };
    const firstMs = await ask("/grafico Genova", 1);
    const coldMs = await ask("/grafico Parma", 2);
    const cached: number[] = [];
    for (let i = 0; i < p.sends; i++) cached.push(await ask("/grafico Genova", 100 + i));
    const upload = fake.photos[0]!;
    const s = summarize(cached);
    const again = fake.photos.slice(2);
    if (again.some((x) => x.uploaded)) throw new Error("a cached chart was uploaded again");
    await runtime.stop();
    return {
      firstMs,
      coldMs,
      cachedP50Ms: s.p50,
      cachedP99Ms: s.p99,
      pngKB: (upload.bytes ?? 0) / 1024,
      width: upload.width,
      height: upload.height,
      sends: p.sends,
    };
  } finally {
    await fake.close();
    await tmp.remove();
  }
}

// ---------------------------------------------------------------------------
// Orchestration (parent process)
// ---------------------------------------------------------------------------

export interface LiveCardsConfig {
  followers: number;
  changes: number;
  intervalMs: number;
  drainMs: number;
  rates: number[];
  chartSends: number;
}

export interface LiveCardsRow {
  rate: number;
  contender: CardsContender;
  result: CardsContenderResult;
  tally: CardTally;
  tooManyRequests: number;
  sendCalls: number;
  editCalls: number;
}

export interface LiveCardsBench {
  rows: LiveCardsRow[];
  chart: ChartSendResult;
}

export async function runLiveCards(cfg: LiveCardsConfig, log: (s: string) => void): Promise<LiveCardsBench> {
  const audience = makeAudience(cfg.followers);
  const fake = await RemoteFake.start({
    globalPerSecond: 30,
    paidGlobalPerSecond: 1000,
    perChatPerSecond: 1,
    perGroupPerMinute: 20,
    recordSent: false,
    recordCalls: false,
  });
  const rows: LiveCardsRow[] = [];
  try {
    for (const rate of cfg.rates) {
      for (const contender of ["cards", "messages"] as const) {
        await fake.reset();
        await fake.block(audience.blocked);
        const cardIds = await fake.pretendSent(audience.ids);
        await fake.watchCards();
        log(
          `  livecards: ${contender} at ${rate}/s, ${num(cfg.followers)} followers, ${cfg.changes} changes every ${num(cfg.intervalMs / 1000)} s...`,
        );
        const result = await runTask<CardsContenderResult>("livecards.contender", {
          apiRoot: fake.apiRoot,
          token: fake.token,
          contender,
          followers: audience.ids,
          cardIds: [...cardIds],
          rate,
          changes: cfg.changes,
          intervalMs: cfg.intervalMs,
          drainMs: cfg.drainMs,
        } satisfies CardsContenderParams);
        const tally = await fake.cardTally({ ids: audience.ids, blocked: audience.blocked, changes: result.changes });
        const snap = await fake.snapshot();
        rows.push({
          rate,
          contender,
          result,
          tally,
          tooManyRequests: snap.tooManyRequests,
          sendCalls: snap.sendCalls,
          editCalls: snap.editCalls,
        });
      }
    }
  } finally {
    await fake.close();
  }
  log("  livecards: /grafico cold and cached...");
  const chart = await runTask<ChartSendResult>("livecards.charts", { sends: cfg.chartSends });
  return { rows, chart };
}

/** The report's tables for this section. */
export function liveCardsTables(b: LiveCardsBench, cfg: LiveCardsConfig): string {
  const name = (r: LiveCardsRow) =>
    `${r.contender === "cards" ? "live card (edits)" : "new message each time"} at ${r.rate === 30 ? "30/s" : `${num(r.rate)}/s paid`}`;
  const minutes = (s: number) => (Number.isFinite(s) ? `${num(s / 60, 1)} min` : "—");
  const main = table(
    `9. A comune with ${num(cfg.followers)} followers, its count moving every ${num(cfg.intervalMs / 1000)} s (${cfg.changes} changes): live cards against a new message each time (fake: 30 msg/s for the whole bot, 1/s per chat, 20/min per group; paid broadcast 1000/s)`,
    [
      "contender",
      "messages/min",
      "429s",
      "new messages per follower",
      "follower delay p50 / p99",
      "last follower p50 / p99 / max",
      "changes seen by all",
      "showing the last count at the end",
      "left queued",
      "peak RSS MB",
    ],
    b.rows.map((r) => [
      name(r),
      num(r.tally.perMinute),
      num(r.tooManyRequests),
      num(r.tally.newMessagesPerFollower, 2),
      `${minutes(r.tally.followerP50S)} / ${minutes(r.tally.followerP99S)}`,
      `${minutes(r.tally.lastP50S)} / ${minutes(r.tally.lastP99S)} / ${minutes(r.tally.lastMaxS)}`,
      `${r.tally.changesSeenByAll} of ${r.result.changes.length}`,
      `${num(r.tally.showingLatest)} of ${num(r.tally.followers)}`,
      r.contender === "messages" ? num(r.result.backlog) : r.result.finished ? "0" : "laps unfinished",
      num(r.result.rss.peakMB, 0),
    ]),
    [
      `Followers: ${num(cfg.followers)} chats, about 10% groups and 2% that blocked the bot (not counted as followers). Each starts with one message: its card, or the first bulletin.`,
      `After the last change each contender had ${num(cfg.drainMs / 60_000, 0)} min to bring everyone up to date; "left queued" is what a contender still had to send then.`,
      "follower delay: over every (follower, change), from the bot taking the change in to the follower's chat showing it or a newer count (a count skipped by coalescing counts as shown by the newer one). last follower: per change, until every follower showed it.",
      "Edits carry no allow_paid_broadcast (Telegram has none for edits): with paid broadcast the budget still keeps them under 30 in any second, so the cards' figures do not change with the paid rate. Live cards never send the paid way.",
    ],
  );
  const c = b.chart;
  const charts = table(
    "9b. /grafico Genova end to end (fake Bot API in process, no limits, no send budget)",
    ["case", "time", "note"],
    [
      [
        "first chart in a fresh process",
        `${num(c.firstMs)} ms`,
        `renderer thread started, drawn, uploaded (PNG ${num(c.pngKB)} KB, ${c.width}×${c.height})`,
      ],
      ["another comune, not cached", `${num(c.coldMs)} ms`, "drawn and uploaded"],
      [
        `cached (${c.sends} sends)`,
        `${num(c.cachedP50Ms, 1)} / ${num(c.cachedP99Ms, 1)} ms p50 / p99`,
        "by Telegram's file_id: nothing drawn, nothing uploaded",
      ],
    ],
    ["Rendering alone (cold, warm, event-loop stall) is table 5."],
  );
  return `${main}\n${charts}`;
}
