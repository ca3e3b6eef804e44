import { performance } from "node:perf_hooks";
import type { BenchContext } from "../context.js";
import { BOUNDED_GROWTH_MB, TARGET_429 } from "../context.js";
import { type RushRow, runRush } from "../rush.js";
import { num, pct, table } from "../table.js";

export async function rushSection(ctx: BenchContext): Promise<void> {
  const { sizes, results, summary, out, log } = ctx;
  const s0 = performance.now();
  log("rush during a push...");
  const rz = sizes.rush;
  const rows: RushRow[] = await runRush(
    {
      citizens: rz.citizens,
      subscribers: rz.subscribers,
      afterPushSends: rz.afterPushSends,
      spreadMs: rz.spreadMs,
      budgetMs: rz.budgetS * 1000,
    },
    log,
  );
  results.rush = { rows, seconds: (performance.now() - s0) / 1000 };
  const names: Record<string, string> = {
    ours: "ours: one send budget (SEND_RATE 30)",
    today: "before: replies unpaced + auto-retry, pushes paced apart at 25/s",
    "ours-paid": "ours: the push paid at 1000/s (PAID_BROADCAST, SEND_RATE 1000)",
    "ours-paid-grammy": "the same on the grammY path (SEND_PATH=grammy)",
  };
  /** What the replies alone need at Telegram's free limit (replies are never paid broadcasts). */
  const limitAloneS = rz.citizens / 30;
  out(
    table(
      `6. ${num(rz.citizens)} citizens write /citta Genova within a second, during a push to ${num(rz.subscribers)} subscribers (fake: 30 msg/s for the whole bot, 1000/s for paid broadcasts, 1/s per chat)`,
      [
        "contender",
        "answered",
        "apology",
        "no answer",
        "reply p50 s",
        "reply p99 s",
        "reply max s",
        "p99 ÷ limit alone",
        "dropped (counted)",
        "429s (of sends)",
        "push done s",
        "push lost",
        "dup (replies / push)",
        "peak RSS MB",
      ],
      rows.map((r) => [
        names[r.contender]!,
        `${num(r.answered)}/${num(r.citizens)}`,
        num(r.apologised),
        num(r.unanswered),
        num(r.latencyP50S, 1),
        num(r.latencyP99S, 1),
        num(r.latencyMaxS, 1),
        `${num(r.latencyP99S / limitAloneS, 2)}×`,
        r.contender !== "today" ? `${num(r.droppedWaited)} waited, ${num(r.droppedOverflow)} overflow` : "—",
        `${num(r.tooManyRequests)} (${pct(r.share429, 2)})`,
        r.finished ? num(r.pushS, 1) : `not done in ${num(rz.budgetS)} s`,
        num(r.pushLost),
        `${num(r.duplicatedReplies)} / ${num(r.pushDuplicated)}`,
        num(r.peakRssMB, 0),
      ]),
      [
        "Updates by long polling (grammY runner, 500 handled at once, each chat in order), as npm start does; the fake queues the citizens' messages itself once the push is under way.",
        `Half the citizens are subscribers. ${num(rz.citizens)} replies alone need ${num(limitAloneS, 1)} s at 30/s (p99 ÷ limit alone compares with that); with the push paid too, since replies are never paid broadcasts. Latency: from the citizen's message queued at the fake to the answer accepted by it.`,
        "answered = got the card for Genova; apology = got the bot's error message instead; no answer = got no card (apology or nothing). dropped = replies the send budget gave up on after REPLY_MAX_WAIT (60 s) or past its queue bound, logged and counted in /stato.",
        "push lost = subscribers who did not block the bot and got no bulletin. Each contender runs in a fresh process against the same fake (own process).",
      ],
    ),
  );
  const ours = rows.find((r) => r.contender === "ours")!;
  const paid = rows.find((r) => r.contender === "ours-paid")!;
  const paidRatio = paid.latencyP99S / limitAloneS;
  const paidMet = paid.answered === paid.citizens && paidRatio <= 1.2 && paid.tooManyRequests === 0;
  summary.push({
    target: "rush during a paid 1000/s push: all answered, p99 ≤ 1.2 × the limit alone",
    measured: `${num(paid.answered)}/${num(paid.citizens)} answered, p99 ${num(paid.latencyP99S, 1)} s = ${num(paidRatio, 2)} × ${num(limitAloneS, 1)} s, ${num(paid.tooManyRequests)} × 429, push lost ${num(paid.pushLost)}, dup ${num(paid.duplicatedReplies)}/${num(paid.pushDuplicated)}`,
    met: paidMet ? "yes" : "no",
  });
  summary.push({
    target: "rush: every citizen answered",
    measured: rows.map((r) => `${r.contender}: ${num(r.answered)}/${num(r.citizens)}`).join(", "),
    met: ours.answered === ours.citizens ? "yes" : "no",
    reason:
      ours.answered === ours.citizens
        ? undefined
        : `${num(ours.unanswered)} unanswered (${num(ours.droppedWaited)} dropped after waiting, ${num(ours.droppedOverflow)} for overflow)`,
  });
  summary.push({
    target: "rush: 429s < 1% of sends",
    measured: rows.map((r) => `${r.contender}: ${num(r.tooManyRequests)} (${pct(r.share429, 2)})`).join(", "),
    met: ours.share429 < TARGET_429 ? "yes" : "no",
  });
  const rushLost = ours.pushLost;
  const rushDup = ours.duplicatedReplies + ours.pushDuplicated;
  summary.push({
    target: "rush: nothing lost or duplicated",
    measured: rows
      .map(
        (r) => `${r.contender}: push lost ${num(r.pushLost)}, dup ${num(r.duplicatedReplies)}/${num(r.pushDuplicated)}`,
      )
      .join(", "),
    met: rushLost === 0 && rushDup === 0 ? "yes" : "no",
  });
  summary.push({
    target: "rush: memory bounded",
    measured: rows
      .map((r) => `${r.contender}: peak RSS ${num(r.peakRssMB, 0)} MB (+${num(r.rssGrowthMB, 0)} MB during the run)`)
      .join(", "),
    met: ours.rssGrowthMB < BOUNDED_GROWTH_MB ? "yes" : "no",
  });
  log(`rush done in ${num((performance.now() - s0) / 1000, 0)} s`);
}
