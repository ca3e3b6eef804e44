/**
 * Benchmarks (a script, not a test): push pace under Telegram-like limits, engine overhead,
 * command throughput, scale, charts, a rush of citizens during a push, the feed, and live cards. Prints
 * tables to stdout and writes every figure to bench/results/bench-<timestamp>.json.
 *
 *   npm run bench -- [--subscribers N] [--big] [--quick] [--only push,overhead,commands,scale,charts,rush,feed,feedpush,livecards,desk]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import {
  type BenchContext,
  BOUNDED_GROWTH_MB,
  benchSizes,
  parseArgs,
  type Section,
  type SummaryRow,
  TARGET_429,
  TARGET_P99_MS,
  TARGET_PACE,
  TARGET_SENDS,
  TARGET_UPDATES,
} from "./context.js";
import { chartsSection } from "./sections/charts.js";
import { clusterSection } from "./sections/cluster.js";
import { commandsSection } from "./sections/commands.js";
import { deskSection } from "./sections/desk.js";
import { feedSection } from "./sections/feed.js";
import { feedpushSection } from "./sections/feedpush.js";
import { livecardsSection } from "./sections/livecards.js";
import { overheadSection } from "./sections/overhead.js";
import { pushSection } from "./sections/push.js";
import { rushSection } from "./sections/rush.js";
import { scaleSection } from "./sections/scale.js";
import { num, table } from "./table.js";
import { BENCH_DIR } from "./util.js";

const args = parseArgs(process.argv.slice(2));
const sizes = benchSizes(args);
const N = sizes.subscribers;
const log = (s: string) => process.stderr.write(`${s}\n`);
const out = (s: string) => process.stdout.write(`${s}\n`);

/** Runs every section asked for; resolves to the sections that failed (each is reported, the others still run). */
async function main(): Promise<Section[]> {
  const startedAt = new Date();
  const t0 = performance.now();
  const results: Record<string, unknown> = {};
  const summary: SummaryRow[] = [];
  const failed: Section[] = [];
  const ctx: BenchContext = { args, sizes, results, summary, out, log };
  const section = async (name: Section, body: () => Promise<void>) => {
    if (!args.only.includes(name)) return;
    try {
      await body();
    } catch (err) {
      failed.push(name);
      const message = err instanceof Error ? err.message : String(err);
      log(`${name} failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
      out(`${name}: FAILED — ${message.split("\n")[0]}`);
      out("");
      summary.push({
        target: `${name}: the section runs`,
        measured: "failed",
        met: "no",
        reason: message.split("\n")[0],
      });
    }
  };

  out(`# elezioni-bot benchmarks — ${startedAt.toISOString()}`);
  out(
    `Node ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model.trim() ?? "?"}), ${os.platform()} ${os.arch()}${args.quick ? " — QUICK smoke run, small sizes" : ""}`,
  );
  out("");
  out("Sizes used:");
  if (args.only.includes("push")) {
    out(
      `  push pace: run A ${num(sizes.pushFree.subscribers)} chats at ${sizes.pushFree.limit} msg/s (a count that takes about ${Math.round(sizes.pushFree.subscribers / sizes.pushFree.limit)} s; ${num(N)} at 30/s would take ${num(N / 30 / 60, 1)} min per contender)`,
    );
    out(
      `             run B ${num(sizes.pushPaid.subscribers)} chats at ${sizes.pushPaid.limit} msg/s (paid broadcast)${args.big ? " [--big]" : ""}; peers stop starting sends after ${sizes.peerBudgetS} s`,
    );
    out(
      `             run S (ours only, under 429 pressure) ${num(sizes.pushStress.subscribers)} chats, sendRate ${sizes.pushStress.rate} against a ${sizes.pushStress.limit} msg/s limit`,
    );
  }
  if (args.only.includes("overhead")) out(`  engine overhead: ${num(sizes.overhead)} chats, fake limits off`);
  if (args.only.includes("commands"))
    out(`  commands: ${num(sizes.commands.updates)} updates per command after ${num(sizes.commands.warmup)} warm-up`);
  if (args.only.includes("rush"))
    out(
      `  rush: ${num(sizes.rush.citizens)} citizens write within ${num(sizes.rush.spreadMs / 1000)} s, once a push to ${num(sizes.rush.subscribers)} subscribers has delivered ${num(sizes.rush.afterPushSends)}`,
    );
  if (args.only.includes("scale")) {
    out(
      `  scale: lookup over every comune of the shipped index; push to ${num(sizes.store.subscribers)} subscribers, delivering for up to ${sizes.store.budgetS} s`,
    );
  }
  if (args.only.includes("charts"))
    out(
      `  charts: ${num(sizes.charts.renders)} renders per chart after the cold one; ${num(sizes.charts.lookups)} cache hits`,
    );
  if (args.only.includes("feed"))
    out(`  feed: one polling cycle over ${num(sizes.feed.comuni)} comuni at ≤ ${sizes.feed.maxRps} requests/s`);
  if (args.only.includes("feedpush"))
    out(
      `  feedpush: ${num(sizes.feedPush.comuni)} comuni, ${num(sizes.feedPush.followed)} followed, a change every ${sizes.feedPush.everyMs} ms for ${sizes.feedPush.seconds} s, polled every ${sizes.feedPush.pollMs / 1000} s`,
    );
  if (args.only.includes("livecards"))
    out(
      `  livecards: ${num(sizes.livecards.followers)} followers, ${sizes.livecards.changes} changes every ${num(sizes.livecards.intervalMs / 1000)} s, at ${sizes.livecards.rates.join(" and ")}/s`,
    );
  if (args.only.includes("cluster"))
    out(
      `  cluster: bot processes on PostgreSQL, one vs two: ${num(sizes.cluster.free)} chats at 30/s, ${num(sizes.cluster.paid)} at 1000/s paid; ${sizes.cluster.failover.kills} kill -9 mid-push; ${num(sizes.cluster.stores)} chats on SQLite vs PostgreSQL; a rush of ${num(sizes.cluster.rush.citizens)} /citta during a push to ${num(sizes.cluster.rush.subscribers)} at 30/s, SEND_BUDGET equal, shared and single`,
    );
  out("");

  await section("push", () => pushSection(ctx));

  await section("overhead", () => overheadSection(ctx));

  await section("commands", () => commandsSection(ctx));

  await section("scale", () => scaleSection(ctx));

  await section("charts", () => chartsSection(ctx));

  await section("rush", () => rushSection(ctx));

  await section("feed", () => feedSection(ctx));

  await section("feedpush", () => feedpushSection(ctx));

  await section("livecards", () => livecardsSection(ctx));
  await section("desk", () => deskSection(ctx));
  await section("cluster", () => clusterSection(ctx));

  // Summary ------------------------------------------------------------------
  out(
    table(
      "Summary",
      ["target", "measured", "met?"],
      summary.map((s) => [s.target, s.measured, s.met === "no" && s.reason ? `no — ${s.reason}` : s.met]),
      [`bounded memory = RSS grows < ${BOUNDED_GROWTH_MB} MB between the start of delivery and its peak.`],
    ),
  );

  const finishedAt = new Date();
  const totalS = (performance.now() - t0) / 1000;
  const dir = path.join(BENCH_DIR, "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  const json = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    totalSeconds: totalS,
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim(),
      platform: os.platform(),
      arch: os.arch(),
      totalMemMB: Math.round(os.totalmem() / 2 ** 20),
    },
    args: { ...args, argv: process.argv.slice(2) },
    sizes,
    targets: {
      paceOfLimit: TARGET_PACE,
      share429: TARGET_429,
      lost: 0,
      duplicated: 0,
      sendsPerSec: TARGET_SENDS,
      updatesPerSec: TARGET_UPDATES,
      p99Ms: TARGET_P99_MS,
      boundedGrowthMB: BOUNDED_GROWTH_MB,
    },
    results,
    summary,
    failed,
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  out(`Total ${num(totalS, 0)} s. Figures written to ${path.relative(process.cwd(), file)}`);
  if (failed.length) out(`FAILED: ${failed.join(", ")}`);
  return failed;
}

// Exit non-zero when any section failed (CI runs the quick benchmarks), and do not wait on what a failed one left open.
main().then(
  (failed) => process.exit(failed.length ? 1 : 0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
