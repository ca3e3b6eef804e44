import { performance } from "node:perf_hooks";
import type { BenchContext } from "../context.js";
import { type FeedBenchResult, runFeedBench } from "../feed.js";
import { num, table } from "../table.js";

export async function feedSection(ctx: BenchContext): Promise<void> {
  const { sizes, results, summary, out, log } = ctx;
  const s0 = performance.now();
  log("feed...");
  const f: FeedBenchResult = await runFeedBench(sizes.feed, log);
  results.feed = { ...f, seconds: (performance.now() - s0) / 1000 };
  out(
    table(
      `7. One polling cycle of the Ministry's feed over ${num(f.comuni)} comuni (fake feed on loopback, mid-night)`,
      ["figure", "value"],
      [
        ["requests (list + provinces' turnout + comuni's results)", num(f.requests)],
        ["answers with data", num(f.outcomes.data ?? 0)],
        ["cycle time", `${num(f.cycleS, 1)} s`],
        ["requests/s at the feed (mean)", num(f.meanRps, 1)],
        [
          `most requests in any 1 s: leaving the poller / reaching the feed (cap ${f.maxRps})`,
          `${num(f.maxLeftInAnySecond)} / ${num(f.maxInAnySecond)}`,
        ],
        ["refused by the fake's 40/s limit", num(f.fakeRateLimited)],
        ["CPU per response (poller process)", `${num(f.cpuUsPerResponse)} µs`],
        ["  reference: Node's fetch alone, same pace", `${num(f.reference.cpuUsPerResponse)} µs`],
        ["RSS at start / peak", `${num(f.startRssMB, 0)} / ${num(f.kernelPeakRssMB ?? f.peakRssMB, 0)} MB`],
        ["comuni with figures after the cycle", `${num(f.comuniWithFigures)} of ${num(f.comuniFound)}`],
      ],
      [
        "The poller runs in a fresh child process after a warm-up cycle against a small fake of its own; the fake (this process) records arrivals.",
        `At the default ELIGENDO_MAX_RPS=5 the same cycle takes about ${num(((f.requests / 5) * 1.1) / 60, 1)} min; comuni whose count is final drop out of later cycles.`,
        "Leaving: when fetch was called. Reaching: when the fake's handler ran (a pause of either process can bunch arrivals; the limiter keeps a 100 ms margin for that).",
      ],
    ),
  );
  const held = Math.max(f.maxLeftInAnySecond, f.maxInAnySecond) <= f.maxRps;
  summary.push({
    target: `feed: never above ELIGENDO_MAX_RPS (${f.maxRps}) in any second`,
    measured: `most in any 1 s: ${f.maxLeftInAnySecond} leaving, ${f.maxInAnySecond} arriving; mean ${num(f.meanRps, 1)}/s; cycle ${num(f.cycleS, 1)} s for ${num(f.comuni)} comuni`,
    met: held ? "yes" : "no",
    reason: held
      ? undefined
      : f.maxLeftInAnySecond <= f.maxRps
        ? "requests left within the cap but reached the fake bunched (a pause of one of the processes)"
        : "the limiter let too many requests go",
  });
  log(`feed done in ${num((performance.now() - s0) / 1000, 0)} s`);
}
