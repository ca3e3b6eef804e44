import { performance } from "node:perf_hooks";
import type { BenchContext } from "../context.js";
import { paceReason, TARGET_429, TARGET_PACE } from "../context.js";
import { type PushRow, runPushRun } from "../push.js";
import { type Cell, num, pct, table, times } from "../table.js";

export async function pushSection(ctx: BenchContext): Promise<void> {
  const { sizes, results, summary, out, log } = ctx;
  const s0 = performance.now();
  log("push pace...");
  const rows: PushRow[] = [];
  const runOpts = {
    peerBudgetMs: sizes.peerBudgetS * 1000,
    warmUpCalls: sizes.warmUpCalls,
    fakeWarmUpCalls: sizes.fakeWarmUpCalls,
  };
  rows.push(
    ...(await runPushRun(
      {
        label: "A",
        limit: sizes.pushFree.limit,
        paid: false,
        subscribers: sizes.pushFree.subscribers,
        contenders: ["ours", "naive", "throttler"],
      },
      runOpts,
      log,
    )),
  );
  rows.push(
    ...(await runPushRun(
      { label: "B", limit: sizes.pushPaid.limit, paid: true, subscribers: sizes.pushPaid.subscribers },
      runOpts,
      log,
    )),
  );
  log("  S: ours under 429 pressure...");
  const stress = await runPushRun(
    {
      label: "S",
      limit: sizes.pushStress.limit,
      paid: false,
      subscribers: sizes.pushStress.subscribers,
      ourRate: sizes.pushStress.rate,
      contenders: ["ours"],
    },
    runOpts,
    log,
  );
  results.push = { rows, stress, seconds: (performance.now() - s0) / 1000 };
  const names: Record<string, string> = {
    ours: "ours (pool path)",
    "ours-grammy": "ours, grammY path (SEND_PATH=grammy)",
    naive: "naive loop + auto-retry",
    throttler: "transformer-throttler (defaults)",
  };
  const body: Cell[][] = rows.map((r) => {
    const ours = rows.find((x) => x.run === r.run && x.contender === "ours")!;
    return [
      `${r.run} ${num(r.limit)}/s`,
      names[r.contender]!,
      `${num(r.attempted)}/${num(r.subscribers)}${r.stoppedEarly ? "*" : ""}`,
      num(r.elapsedS, 1),
      num(r.ok),
      num(r.pace, 1),
      pct(r.paceOfLimit),
      `${num(r.tooManyRequests)} (${pct(r.share429, 2)})`,
      num(r.lost),
      num(r.duplicated),
      num(r.peakRssMB, 0),
      num(r.cpuS, 2),
      r.contender === "ours" ? "—" : times(ours.pace / r.pace),
    ];
  });
  out(
    table(
      "1. Push pace against the fake Bot API with Telegram-like limits",
      [
        "run",
        "contender",
        "chats tried",
        "time s",
        "delivered",
        "msg/s",
        "of limit",
        "429s (of sends)",
        "lost",
        "dup",
        "peak RSS MB",
        "CPU s",
        "ours ÷ peer",
      ],
      body,
      [
        "Fake: sliding-window limits 30 msg/s global (free), 1000 msg/s with allow_paid_broadcast, 1 msg/s per chat, 20 msg/min per group;",
        "~10% of chats are groups (negative ids), ~2% blocked the bot (403, never counted as lost). Each contender runs in a fresh process, the fake in another.",
        "Run B: every contender sets allow_paid_broadcast; ours runs with paidBroadcast true and sendRate 1000, on both send paths (the pool, the default, and grammY's client, the old one).",
        "msg/s = successful sends ÷ time from the first send to the last outcome. lost = reachable chats (among those tried) with no message; dup = chats with more than one.",
        "The throttler's defaults assume the free 30 msg/s limit and it does not retry: a 429 is a lost message. * = stopped after the peers' time budget.",
        `Each contender's process first makes ${num(sizes.warmUpCalls)} calls to a throwaway fake (JIT warm-up); the shared fake gets ${num(sizes.fakeWarmUpCalls)} calls when it starts.`,
      ],
    ),
  );
  for (const run of ["A", "B"]) {
    const o = rows.find((r) => r.run === run && r.contender === "ours")!;
    if (o.engine) out(`  ours, run ${run}: engine stats ${JSON.stringify(o.engine)}`);
  }
  out("");
  out(
    table(
      "1b. Ours under 429 pressure: sendRate set above the account's limit (e.g. paid broadcast not enabled)",
      [
        "run",
        "sendRate",
        "limit",
        "chats",
        "time s",
        "delivered",
        "msg/s",
        "429s",
        "engine pauses",
        "lost",
        "dup",
        "extra copies",
      ],
      stress.map((r) => [
        r.run,
        num(r.rate),
        num(r.limit),
        num(r.subscribers),
        num(r.elapsedS, 1),
        num(r.ok),
        num(r.pace, 1),
        num(r.tooManyRequests),
        num(r.engine?.rateLimited ?? 0),
        num(r.lost),
        num(r.duplicated),
        num(r.extraCopies),
      ]),
      ["Not a pace target: it checks that a storm of 429s loses and duplicates nothing."],
    ),
  );
  const ours = rows.filter((r) => r.contender === "ours");
  const paid = ours.find((r) => r.run === "B")!;
  const paidOld = rows.find((r) => r.run === "B" && r.contender === "ours-grammy");
  summary.push({
    target: "paid push ≥ 97% of the limit, 0 × 429",
    measured: `pool path ${pct(paid.paceOfLimit)}, ${paid.tooManyRequests} × 429${paidOld ? `; grammY path ${pct(paidOld.paceOfLimit)}, ${paidOld.tooManyRequests} × 429` : ""}`,
    met: paid.paceOfLimit >= 0.97 && paid.tooManyRequests === 0 ? "yes" : "no",
    reason: paid.paceOfLimit >= 0.97 && paid.tooManyRequests === 0 ? undefined : paceReason(paid),
  });
  const correctness = [...rows.filter((r) => r.contender.startsWith("ours")), ...stress];
  const worstPace = ours.reduce((a, b) => (b.paceOfLimit < a.paceOfLimit ? b : a));
  summary.push({
    target: "push pace ≥ 95% of the limit",
    measured: ours.map((r) => `${r.run}: ${pct(r.paceOfLimit)} (${num(r.pace, 1)}/${r.limit})`).join(", "),
    met: worstPace.paceOfLimit >= TARGET_PACE ? "yes" : "no",
    reason: worstPace.paceOfLimit >= TARGET_PACE ? undefined : paceReason(worstPace),
  });
  const worst429 = ours.reduce((a, b) => (b.share429 > a.share429 ? b : a));
  summary.push({
    target: "429s < 1% of sends",
    measured: ours.map((r) => `${r.run}: ${r.tooManyRequests} (${pct(r.share429, 2)})`).join(", "),
    met: worst429.share429 < TARGET_429 ? "yes" : "no",
    reason:
      worst429.share429 < TARGET_429
        ? undefined
        : `run ${worst429.run}: pacing exactly at the limit leaves no margin for timing jitter`,
  });
  const lost = correctness.reduce((s, r) => s + r.lost, 0);
  summary.push({
    target: "lost = 0",
    measured: correctness.map((r) => `${r.run}: ${r.lost}`).join(", "),
    met: lost === 0 ? "yes" : "no",
    reason: lost ? "reachable chats without the message" : undefined,
  });
  const dup = correctness.reduce((s, r) => s + r.duplicated, 0);
  summary.push({
    target: "duplicated = 0",
    measured: correctness.map((r) => `${r.run}: ${r.duplicated}`).join(", "),
    met: dup === 0 ? "yes" : "no",
    reason: dup ? "chats that got the message more than once" : undefined,
  });
  log(`push pace done in ${num((performance.now() - s0) / 1000, 0)} s`);
}
