/**
 * Benchmark of the Ministry's feed: one polling cycle over N comuni (1,000 by default) against the fake
 * feed on loopback, in the middle of a simulated night (every reading in, most counts partial).
 *
 * The fake runs in this process and records when each request arrives; the poller runs in a fresh child
 * process, so that its CPU and memory are measured alone. Figures: requests per second (mean, and the most
 * in any 1 s window, against the cap), the cycle's time, CPU per response, peak RSS.
 *
 *   npx tsx bench/feed.ts [--comuni N] [--rps R]      (also: npm run bench -- --only feed)
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { EligendoClient } from "../src/feed/client.js";
import { FeedPoller } from "../src/feed/poller/index.js";
import {
  buildElection,
  FakeEligendo,
  firstRoundNightAt,
  syntheticPlaces,
} from "../test/support/fake-eligendo/index.js";
import { CpuMeter, kernelPeakRssMB, RssSampler, resetPeakRss, runTask, silentLogger } from "./util.js";

const DATE = "2026-05-24";
/** Where the simulated night stands: every turnout reading in, most comuni counting. */
const NIGHT_AT = 0.7;

export interface FeedBenchParams {
  comuni: number;
  maxRps: number;
}

/** The child's side: one cycle, measured. */
export interface FeedCycleFigures {
  requests: number;
  outcomes: Record<string, number>;
  cycleS: number;
  cpuUsPerResponse: number;
  cpuS: number;
  /** RSS when the cycle started (the process with its modules loaded and warmed up). */
  startRssMB: number;
  peakRssMB: number;
  kernelPeakRssMB?: number;
  comuniWithFigures: number;
  comuniFound: number;
  events: Record<string, number>;
  /** When each request left (fetch called), in ms since the epoch. */
  departures: number[];
}

export interface FeedBenchResult extends Omit<FeedCycleFigures, "departures">, FeedBenchParams {
  /** Requests per second at the fake: the gaps between arrivals, over the time they span. */
  meanRps: number;
  /** The most requests that arrived at the fake within any 1 s window. */
  maxInAnySecond: number;
  /** The most requests that left the poller within any 1 s window. */
  maxLeftInAnySecond: number;
  fakeRateLimited: number;
  /** Reference: Node's fetch alone, same fake, same pace (reading the body and JSON.parse only). */
  reference: { requests: number; cpuUsPerResponse: number };
}

/**
 * Runs in a child process: what Node's fetch alone costs per request at the same pace against the same
 * fake (the floor under the poller's own figure).
 */
export async function feedReferenceTask(p: {
  apiRoot: string;
  paths: string[];
  maxRps: number;
}): Promise<{ requests: number; cpuUsPerResponse: number }> {
  const headers = { Origin: "https://elezioni.interno.gov.it", Referer: "https://elezioni.interno.gov.it/" };
  const gap = 1000 / p.maxRps;
  const paced = async (path: string) => {
    const t = performance.now();
    JSON.parse(await (await fetch(p.apiRoot + path, { headers })).text());
    const wait = gap - (performance.now() - t);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };
  // The same pace throughout, warm-up included: the fake refuses above 40 requests a second.
  for (const path of p.paths.slice(0, 20)) await paced(path);
  const cpu = new CpuMeter();
  for (const path of p.paths) await paced(path);
  return { requests: p.paths.length, cpuUsPerResponse: cpu.micros() / p.paths.length };
}

const RULES = { runoffPopulationThreshold: 15_000, majorityPercent: 50, regions: {} };

/**
 * A throwaway cycle against a small fake of its own, so that loading modules and compiling the hot paths
 * (HTTP client, schemas, parsing) is not counted as the measured cycle's CPU.
 */
async function warmUp(): Promise<void> {
  const election = buildElection({ date: DATE, places: syntheticPlaces(60), seed: 1 });
  firstRoundNightAt(election, NIGHT_AT);
  const fake = await FakeEligendo.start(election, { recordHeaders: false });
  const poller = new FeedPoller({
    settings: { date: DATE, pollMs: 60_000, maxRps: 1000 },
    client: new EligendoClient({ apiRoot: fake.apiRoot }),
    index: [],
    rules: RULES,
    logger: silentLogger(),
  });
  await poller.runCycle();
  await poller.runCycle();
  await fake.close();
}

/** Runs in a child process (bench/worker.ts): discovery and one full cycle against the fake at `apiRoot`. */
export async function feedCycleTask(p: FeedBenchParams & { apiRoot: string }): Promise<FeedCycleFigures> {
  await warmUp();
  resetPeakRss();
  const rss = new RssSampler(50);
  const departures: number[] = [];
  const timedFetch: typeof fetch = (input, init) => {
    departures.push(performance.timeOrigin + performance.now());
    return fetch(input, init);
  };
  const poller = new FeedPoller({
    settings: { date: DATE, pollMs: 60_000, maxRps: p.maxRps },
    client: new EligendoClient({ apiRoot: p.apiRoot, fetch: timedFetch }),
    index: [],
    rules: RULES,
    logger: silentLogger(),
  });
  const events: Record<string, number> = {};
  poller.on((e) => {
    events[e.type] = (events[e.type] ?? 0) + 1;
  });
  const cpu = new CpuMeter();
  const t0 = performance.now();
  const report = await poller.runCycle();
  const cycleS = (performance.now() - t0) / 1000;
  const cpuUs = cpu.micros();
  const mem = rss.stop();
  const snapshot = poller.snapshot();
  return {
    requests: report.requests,
    outcomes: report.outcomes as Record<string, number>,
    cycleS,
    cpuS: cpuUs / 1e6,
    cpuUsPerResponse: cpuUs / Math.max(1, report.requests),
    startRssMB: mem.startMB,
    peakRssMB: mem.peakMB,
    kernelPeakRssMB: kernelPeakRssMB(),
    comuniFound: snapshot.length,
    comuniWithFigures: snapshot.filter((s) => s.first.result).length,
    events,
    departures,
  };
}

/** The most of `times` (ms) within any window of `ms`. */
function maxInWindow(times: number[], ms = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Starts the fake here, runs the cycle in a child, and puts the two sides' figures together. */
export async function runFeedBench(
  params: FeedBenchParams,
  log: (s: string) => void = () => {},
): Promise<FeedBenchResult> {
  const election = buildElection({ date: DATE, places: syntheticPlaces(params.comuni), seed: 2026 });
  firstRoundNightAt(election, NIGHT_AT);
  // The real API blocks at about 40 requests a second: so does the fake, to show the cap keeps well clear.
  const fake = await FakeEligendo.start(election, { recordHeaders: false, blockAboveRps: 40 });
  try {
    log(`  feed: one cycle over ${params.comuni} comuni at ≤ ${params.maxRps} requests/s...`);
    const child = await runTask<FeedCycleFigures>("feed.cycle", { ...params, apiRoot: fake.apiRoot });
    const times = fake.requests.map((r) => r.at);
    const spanS = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : NaN;
    const maxInAnySecond = fake.maxInWindow(1000);
    const fakeRateLimited = fake.rateLimited;
    log("  feed: reference (Node's fetch alone, same pace)...");
    const paths = election.comuni
      .slice(0, 200)
      .map((c) => `/scrutiniG/DE/${DATE.replaceAll("-", "")}/TE/08/PR/${c.code.slice(2, 5)}/CM/${c.code.slice(5)}`);
    const reference = await runTask<FeedBenchResult["reference"]>("feed.reference", {
      apiRoot: fake.apiRoot,
      paths,
      maxRps: params.maxRps,
    });
    const { departures, ...figures } = child;
    return {
      ...params,
      ...figures,
      meanRps: (times.length - 1) / spanS,
      maxInAnySecond,
      maxLeftInAnySecond: maxInWindow(departures),
      fakeRateLimited,
      reference,
    };
  } finally {
    await fake.close();
  }
}

// Run directly: npx tsx bench/feed.ts [--comuni N] [--rps R]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const result = await runFeedBench({ comuni: arg("--comuni", 1000), maxRps: arg("--rps", 20) }, (s) =>
    process.stderr.write(`${s}\n`),
  );
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
