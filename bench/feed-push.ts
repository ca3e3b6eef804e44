/**
 * Benchmark: from a change in the Ministry's feed to the first follower's push.
 *
 * The whole bot runs as in production (runtime, poller, anomaly gate, automatic bulletins, outbox, send
 * budget) against the fake feed and the fake Bot API, both on loopback in this process. The night stands
 * mid-count; some comuni have a follower each. Every `everyMs` one followed comune counts one more
 * section (a change in the feed at t0); the sample is the moment the fake Bot API accepts that comune's
 * bulletin with the new count for its follower (t1). Progress bulletins are not throttled here (every
 * change is announced), so each change is one sample.
 *
 * Two figures: end to end (t1 − t0: mostly the wait for the next poll of the comune, set by
 * ELIGENDO_POLL_SECONDS and the cycle's length), and the bot's own part (t1 − the arrival at the feed of
 * the request that brought the change: parsing, the gate, the bulletin, the outbox, the send).
 *
 *   npx tsx bench/feed-push.ts [--comuni N] [--followed F] [--seconds S] [--poll P] [--rps R]
 *   (also: npm run bench -- --only feedpush)
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { feedComuneCode } from "../src/feed/discovery.js";
import { createRuntime } from "../src/runtime.js";
import { FakeTelegram } from "../test/support/fake-bot-api/index.js";
import { buildElection, FakeEligendo, syntheticPlaces } from "../test/support/fake-eligendo/index.js";
import { DATA_DIR, RssSampler, rng, silentLogger, summarize } from "./util.js";

const DATE = "2026-05-24";

export interface FeedPushParams {
  comuni: number;
  followed: number;
  /** How long changes are made. */
  seconds: number;
  /** ELIGENDO_POLL_SECONDS, in ms. */
  pollMs: number;
  maxRps: number;
  /** A change every this many ms. */
  everyMs: number;
}

export interface FeedPushResult extends FeedPushParams {
  changes: number;
  samples: number;
  /** Changes whose push had not arrived when the run ended. */
  missing: number;
  endToEndMs: { p50: number; p99: number; max: number; mean: number };
  botMs: { p50: number; p99: number; max: number; mean: number };
  cycleS: number;
  peakRssMB: number;
}

const now = () => performance.timeOrigin + performance.now();

export async function runFeedPushBench(
  p: FeedPushParams,
  log: (s: string) => void = () => {},
): Promise<FeedPushResult> {
  const election = buildElection({ date: DATE, places: syntheticPlaces(p.comuni), seed: 7 });
  for (const c of election.comuni) {
    delete c.runoff;
    c.sections = Math.max(c.sections, 60);
    c.first = { readings: 4, counted: 5, closed: false };
  }
  const feed = await FakeEligendo.start(election, { recordHeaders: false });
  const telegram = await FakeTelegram.start({ recordSent: true });
  const runtime = await createRuntime({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    dataDir: DATA_DIR,
    databasePath: ":memory:",
    adminIds: new Set(),
    sendRate: 30,
    paidBroadcast: false,
    logger: silentLogger(),
    botInfo: telegram.botInfo,
    rateLimit: false,
    feed: { date: DATE, apiRoot: feed.apiRoot, pollMs: p.pollMs, maxRps: p.maxRps, bulletins: "auto" },
    // Every change announced: one sample per change.
    feedOptions: { progressEveryMs: 0 },
  });
  const rss = new RssSampler(200);
  try {
    const desk = runtime.feed!;
    // Discovery and the first counts, before anyone follows: nothing to measure there.
    await desk.live.poller.runCycle();
    await desk.live.poller.runCycle();
    await desk.live.sweep();
    const snapshot = desk.live.poller.snapshot();
    const pick = rng(11);
    const followed = [...snapshot].sort(() => pick() - 0.5).slice(0, p.followed);
    for (const [i, s] of followed.entries()) await runtime.store.subscribe(100_000 + i, feedComuneCode(s.comune), "it");
    const chatOf = new Map(followed.map((s, i) => [s.comune.code, 100_000 + i]));
    runtime.start();
    log(
      `  feedpush: ${p.comuni} comuni, ${p.followed} followed, poll every ${p.pollMs / 1000} s at ≤ ${p.maxRps}/s...`,
    );

    type Change = { code: string; counted: number; t0: number };
    const changes: Change[] = [];
    const until = now() + p.seconds * 1000;
    while (now() < until) {
      const s = followed[Math.floor(pick() * followed.length)]!;
      const c = feed.comune(s.comune.code);
      if (c.first.counted < c.sections - 1) {
        c.first = { ...c.first, counted: c.first.counted + 1 };
        changes.push({ code: s.comune.code, counted: c.first.counted, t0: now() });
      }
      await new Promise((r) => setTimeout(r, p.everyMs));
    }
    // Time for the last changes to be polled and sent.
    const drainUntil = now() + Math.max(2 * p.pollMs, 30_000);
    // The first bulletin to the comune's follower that says this count or a later one (two changes
    // between polls are announced together, at the later count).
    const arrived = (ch: Change) =>
      telegram.sentTo(chatOf.get(ch.code)!).find((m) => {
        const n = /(\d+) sezioni su/.exec(m.plain);
        return m.at >= ch.t0 && n !== null && Number(n[1]) >= ch.counted;
      });
    while (now() < drainUntil && changes.some((ch) => !arrived(ch))) await new Promise((r) => setTimeout(r, 200));

    const endToEnd: number[] = [];
    const bot: number[] = [];
    let missing = 0;
    for (const ch of changes) {
      const m = arrived(ch);
      if (!m) {
        missing++;
        if (process.env.DEBUG_FEEDPUSH)
          log(
            `missing ${ch.code} ${ch.counted}: ${telegram
              .sentTo(chatOf.get(ch.code)!)
              .map((x) => x.plain.split("\n")[1])
              .join(" | ")}`,
          );
        continue;
      }
      endToEnd.push(m.at - ch.t0);
      const path = `/PR/${ch.code.slice(2, 5)}/CM/${ch.code.slice(5)}`;
      const req = feed.requests.find(
        (r) => r.path.includes(path) && performance.timeOrigin + r.at >= ch.t0 && performance.timeOrigin + r.at <= m.at,
      );
      if (req) bot.push(m.at - (performance.timeOrigin + req.at));
    }
    const status = desk.status();
    return {
      ...p,
      changes: changes.length,
      samples: endToEnd.length,
      missing,
      endToEndMs: summarize(endToEnd),
      botMs: summarize(bot),
      cycleS: (status.lastCycle?.durationMs ?? 0) / 1000,
      peakRssMB: rss.stop().peakMB,
    };
  } finally {
    await runtime.stop();
    await telegram.close();
    await feed.close();
  }
}

// Run directly: npx tsx bench/feed-push.ts [--comuni N] [--followed F] [--seconds S] [--poll P] [--rps R]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const result = await runFeedPushBench(
    {
      comuni: arg("--comuni", 1000),
      followed: arg("--followed", 100),
      seconds: arg("--seconds", 180),
      pollMs: arg("--poll", 60) * 1000,
      maxRps: arg("--rps", 20),
      everyMs: arg("--every", 1000),
    },
    (s) => process.stderr.write(`${s}\n`),
  );
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
