/**
 * What every benchmark section shares: the command line, the sizes it implies, the targets, and where the
 * figures go (the results written as JSON, the summary table, stdout for tables, stderr for progress).
 */

import type { PushRow } from "./push.js";
import { num, pct } from "./table.js";

export const SECTIONS = [
  "push",
  "overhead",
  "commands",
  "scale",
  "charts",
  "rush",
  "feed",
  "feedpush",
  "livecards",
  "desk",
  "cluster",
] as const;
export type Section = (typeof SECTIONS)[number];

export function parseArgs(argv: string[]) {
  let subscribers: number | undefined;
  let big = false;
  let quick = false;
  let only: Section[] = [...SECTIONS];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--big") big = true;
    else if (a === "--quick") quick = true;
    else if (a.startsWith("--subscribers")) {
      subscribers = Number(value().replace(/[_,]/g, ""));
      if (!Number.isInteger(subscribers) || subscribers < 1) throw new Error("--subscribers needs a positive integer");
    } else if (a.startsWith("--only")) {
      const list = value()
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const s of list)
        if (!SECTIONS.includes(s as Section))
          throw new Error(`--only: unknown section "${s}" (${SECTIONS.join(", ")})`);
      only = list as Section[];
    } else if (a === "--help" || a === "-h") {
      process.stdout.write(
        "npm run bench -- [--subscribers N] [--big] [--quick] [--only push,overhead,commands,scale,charts,rush,feed,feedpush,livecards,desk,cluster]\n",
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return { subscribers, big, quick, only };
}

export function benchSizes(args: BenchArgs) {
  const N = args.subscribers ?? (args.quick ? 1000 : 10_000);
  return {
    subscribers: N,
    pushFree: { limit: 30, subscribers: args.quick ? 60 : 900 },
    pushPaid: { limit: 1000, subscribers: args.big ? 100_000 : N },
    pushStress: { limit: 30, rate: 1000, subscribers: args.quick ? 40 : 300 },
    peerBudgetS: args.quick ? 3 : 60,
    warmUpCalls: args.quick ? 300 : 2000,
    fakeWarmUpCalls: args.quick ? 300 : 3000,
    overhead: args.quick ? Math.min(N, 300) : N,
    commands: { updates: args.quick ? 300 : 5000, warmup: args.quick ? 100 : 500 },
    lookup: args.quick
      ? { exact: 300, typos: 60, prefixes: 60, unknown: 20 }
      : { exact: 5000, typos: 1000, prefixes: 1000, unknown: 300 },
    rush: args.quick
      ? { citizens: 60, subscribers: 300, afterPushSends: 30, spreadMs: 1000, budgetS: 120 }
      : { citizens: 2000, subscribers: 10_000, afterPushSends: 300, spreadMs: 1000, budgetS: 1500 },
    store: { subscribers: args.quick ? 20_000 : 1_000_000, budgetS: args.quick ? 5 : 115 },
    charts: { renders: args.quick ? 5 : 40, lookups: args.quick ? 1000 : 20_000 },
    idle: { subscribers: args.quick ? 20_000 : 1_000_000, idleS: args.quick ? 2 : 5 },
    // The feed at its highest allowed rate (ELIGENDO_MAX_RPS ≤ 20): the default 5/s takes 4× as long.
    feed: { comuni: args.quick ? 100 : 1000, maxRps: 20 },
    desk: { comuni: args.quick ? 500 : 8000, editors: args.quick ? 5 : 20, seconds: args.quick ? 4 : 15 },
    // From a change in the feed to the first follower's push, polling as in production (every 60 s).
    feedPush: args.quick
      ? { comuni: 100, followed: 20, seconds: 15, pollMs: 5000, maxRps: 20, everyMs: 500 }
      : { comuni: 1000, followed: 100, seconds: 180, pollMs: 60_000, maxRps: 20, everyMs: 1000 },
    // 20,000 followers need 11 min of edits at 30/s: a change a minute cannot reach them all within it.
    livecards: args.quick
      ? { followers: 150, changes: 3, intervalMs: 3000, drainMs: 30_000, rates: [30, 1000], chartSends: 10 }
      : { followers: 20_000, changes: 6, intervalMs: 60_000, drainMs: 15 * 60_000, rates: [30, 1000], chartSends: 50 },
    // Bot processes on one PostgreSQL database: a push at 30/s and a paid one, one instance vs two; kill -9 mid-push.
    cluster: args.quick
      ? {
          free: 150,
          paid: 1000,
          failover: { kills: 1, subscribers: 150 },
          stores: 1000,
          rush: { subscribers: 120, citizens: 90, afterPushSends: 20, spreadMs: 1000 },
        }
      : {
          free: 1200,
          paid: 20_000,
          failover: { kills: 10, subscribers: 300 },
          stores: 20_000,
          rush: { subscribers: 1200, citizens: 1500, afterPushSends: 60, spreadMs: 1000 },
        },
  };
}

export type BenchArgs = ReturnType<typeof parseArgs>;
export type BenchSizes = ReturnType<typeof benchSizes>;

export const TARGET_PACE = 0.95;
export const TARGET_429 = 0.01;
export const TARGET_SENDS = 5000;
export const TARGET_UPDATES = 5000;
export const TARGET_P99_MS = 5;
export const BOUNDED_GROWTH_MB = 100;

export function paceReason(r: PushRow): string {
  const why: string[] = [];
  if (r.tooManyRequests > 0) why.push(`${r.tooManyRequests} × 429, each pausing all sends for retry_after (≥ 1 s)`);
  if (r.cpuS / r.elapsedS > 0.8) why.push(`CPU-bound (${num(r.cpuS, 1)} s CPU in ${num(r.elapsedS, 1)} s)`);
  if (r.elapsedS < 5) why.push(`a ${num(r.elapsedS, 1)} s push is mostly start-up`);
  if (r.forbidden)
    why.push(
      `${r.forbidden} of ${r.sendCalls} requests went to blocked chats (403) and the pacer counts them against the limit`,
    );
  if (r.tooManyRequests === 0) {
    const requestRate = r.sendCalls / r.elapsedS;
    why.push(
      `requests went at ${num(requestRate)}/s (${pct(requestRate / r.limit)} of the limit): each send counts from its answer, so round trips and start-up cost the rest`,
    );
  }
  return `run ${r.run} at ${pct(r.paceOfLimit)}: ${why.join("; ") || "pacing overhead"}`;
}

export interface SummaryRow {
  target: string;
  measured: string;
  met: "yes" | "no" | "n/a";
  reason?: string;
}

/** What a section is given. */
export interface BenchContext {
  args: BenchArgs;
  sizes: BenchSizes;
  /** Every figure, by section, written as JSON at the end. */
  results: Record<string, unknown>;
  summary: SummaryRow[];
  /** A line of the report (stdout). */
  out(line: string): void;
  /** A line of progress (stderr). */
  log(line: string): void;
}
