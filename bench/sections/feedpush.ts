import { performance } from "node:perf_hooks";
import type { BenchContext } from "../context.js";
import { type FeedPushResult, runFeedPushBench } from "../feed-push.js";
import { num, table } from "../table.js";

export async function feedpushSection(ctx: BenchContext): Promise<void> {
  const { sizes, results, summary, out, log } = ctx;
  const s0 = performance.now();
  log("feedpush...");
  const f: FeedPushResult = await runFeedPushBench(sizes.feedPush, log);
  results.feedPush = { ...f, seconds: (performance.now() - s0) / 1000 };
  const ms = (x: number) => `${num(x / 1000, 2)} s`;
  out(
    table(
      `8. From a change in the feed to the first follower's push (${num(f.comuni)} comuni, ${num(f.followed)} followed, polled every ${f.pollMs / 1000} s at ≤ ${f.maxRps}/s)`,
      ["figure", "p50", "p99", "max"],
      [
        [
          "end to end: change → push accepted by Telegram",
          ms(f.endToEndMs.p50),
          ms(f.endToEndMs.p99),
          ms(f.endToEndMs.max),
        ],
        [
          "the bot's part: answer received → push accepted",
          `${num(f.botMs.p50, 1)} ms`,
          `${num(f.botMs.p99, 1)} ms`,
          `${num(f.botMs.max, 1)} ms`,
        ],
      ],
      [
        `${num(f.samples)} changes measured of ${num(f.changes)} (${num(f.missing)} not pushed by the end); one polling cycle took ${num(f.cycleS, 1)} s; peak RSS ${num(f.peakRssMB, 0)} MB.`,
        "End to end is mostly the wait for the next poll of that comune: followed comuni are asked first in each cycle, which starts every ELIGENDO_POLL_SECONDS (or when the last one ends).",
        "Bot and fakes share this process; progress bulletins are not throttled here, so that each change is a sample.",
      ],
    ),
  );
  summary.push({
    target: "feed → follower: the bot adds little to the poll's wait",
    measured: `end to end p50 ${ms(f.endToEndMs.p50)}, p99 ${ms(f.endToEndMs.p99)}; the bot's part p50 ${num(f.botMs.p50, 1)} ms, p99 ${num(f.botMs.p99, 1)} ms`,
    met: f.missing === 0 && f.botMs.p99 < 1000 ? "yes" : "no",
    reason: f.missing ? `${f.missing} changes not pushed by the end of the run` : undefined,
  });
  log(`feedpush done in ${num((performance.now() - s0) / 1000, 0)} s`);
}
