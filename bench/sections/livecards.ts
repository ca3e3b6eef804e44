import { performance } from "node:perf_hooks";
import type { BenchContext } from "../context.js";
import { liveCardsTables, runLiveCards } from "../livecards.js";
import { num } from "../table.js";

export async function livecardsSection(ctx: BenchContext): Promise<void> {
  const { sizes, results, summary, out, log } = ctx;
  const s0 = performance.now();
  log("live cards...");
  const b = await runLiveCards(sizes.livecards, log);
  results.livecards = { ...b, seconds: (performance.now() - s0) / 1000 };
  out(liveCardsTables(b, sizes.livecards));
  const cards = b.rows.filter((r) => r.contender === "cards");
  summary.push({
    target: "live cards: no 429s, every follower ends on the last count",
    measured: cards
      .map(
        (r) =>
          `${r.rate}/s: ${num(r.tooManyRequests)} × 429, ${num(r.tally.showingLatest)} of ${num(r.tally.followers)} on the last count`,
      )
      .join("; "),
    met: cards.every((r) => r.tooManyRequests === 0 && r.tally.showingLatest === r.tally.followers) ? "yes" : "no",
  });
  log(`live cards done in ${num((performance.now() - s0) / 1000, 0)} s`);
}
