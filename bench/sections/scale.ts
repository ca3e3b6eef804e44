import { performance } from "node:perf_hooks";
import type { BenchContext } from "../context.js";
import { BOUNDED_GROWTH_MB } from "../context.js";
import type { IdleResult, LookupRow, StoreResult } from "../scale.js";
import { num, pct, table } from "../table.js";
import { runTask } from "../util.js";

export async function scaleSection(ctx: BenchContext): Promise<void> {
  const { sizes, results, summary, out, log } = ctx;
  const s0 = performance.now();
  log("scale: lookup...");
  const lookup = await runTask<{
    comuni: number;
    buildMs: number;
    rows: LookupRow[];
    examples: Record<string, string[]>;
  }>("scale.lookup", sizes.lookup);
  out(
    table(
      `4a. City lookup over the ${num(lookup.comuni)} comuni of the shipped index (pack loaded and indexed in ${num(lookup.buildMs, 0)} ms)`,
      ["query kind", "lookups", "p50 µs", "p99 µs", "max µs", "found / ambiguous / not found", "right comune"],
      lookup.rows.map((r) => [
        r.kind,
        num(r.lookups),
        num(r.p50Us, 1),
        num(r.p99Us, 1),
        num(r.maxUs, 0),
        `${r.outcomes.found} / ${r.outcomes.ambiguous} / ${r.outcomes.notFound}`,
        r.correct !== undefined ? pct(r.correct / r.lookups) : "—",
      ]),
      [
        `e.g. ${lookup.examples.sampleNames!.slice(0, 8).join(", ")}; typos: ${lookup.examples["typo (1-2 edits)"]!.join("; ")}`,
      ],
    ),
  );
  log(`scale: store with ${num(sizes.store.subscribers)} subscribers...`);
  const st = await runTask<StoreResult>("scale.store", {
    subscribers: sizes.store.subscribers,
    budgetMs: sizes.store.budgetS * 1000,
  });
  log(`scale: outbox during an outage, ${num(sizes.idle.subscribers)} subscribers × 2 pushes...`);
  const idle = await runTask<IdleResult>("scale.idle", sizes.idle);
  results.scale = { lookup, store: st, idle, seconds: (performance.now() - s0) / 1000 };
  const d = st.delivery;
  out(
    table(
      `4b. A push to ${num(st.subscribers)} subscribers (SQLite in a temp dir, in-process send)`,
      ["step", "figure"],
      [
        [
          "subscriptions added (subscribeMany, 50,000 chats a transaction)",
          `${num(st.subscriptionRows)} rows for ${num(st.subscribers)} chats in ${num(st.insertS, 1)} s`,
        ],
        [
          "addBulletin: enqueue (one INSERT…SELECT)",
          `${num(st.enqueue.recipients)} deliveries in ${num(st.enqueue.ms, 0)} ms`,
        ],
        [
          "RSS before / after enqueue",
          `${num(st.enqueue.rssBeforeMB, 0)} / ${num(st.enqueue.rssAfterMB, 0)} MB${st.enqueue.kernelPeakMB !== undefined ? ` (kernel peak during: ${num(st.enqueue.kernelPeakMB, 0)} MB)` : ""}`,
        ],
        [
          "full-outbox queries: dueDeliveries first / after cursor",
          `${num(st.queries.dueFirstMs, 2)} / ${num(st.queries.dueAfterMs, 2)} ms`,
        ],
        [
          "full-outbox queries: pendingCount / nextDueAt",
          `${num(st.queries.pendingCountMs, 2)} / ${num(st.queries.nextDueAtMs, 2)} ms`,
        ],
        [
          "delivered by the engine",
          `${num(d.delivered)} of ${num(st.enqueue.recipients)} in ${num(d.elapsedS, 1)} s${d.completedAll ? " (all)" : ` (stopped at the ${d.budgetS} s budget)`}`,
        ],
        ["deliveries/s, CPU per delivery", `${num(d.perSec)} /s, ${num(d.cpuUsPerMsg, 1)} µs`],
        [
          "RSS while delivering: start / at 25% / max / end",
          `${num(d.rssStartMB, 0)} / ${num(d.rssAtQuarterMB, 0)} / ${num(d.rssMaxMB, 0)} / ${num(d.rssEndMB, 0)} MB`,
        ],
      ],
    ),
  );
  const ph = d.phases;
  const delivering = d.elapsedS * 1000;
  const phaseRow = (name: string, ms: number, per: number, of?: number) => [
    name,
    num(ms / 1000, 2),
    num((ms * 1000) / Math.max(1, per), 2),
    of === undefined ? "—" : pct(ms / of),
  ];
  out(
    table(
      `4b'. Where the time of that push went, by phase (wall time inside each phase's calls; ${num(d.delivered)} deliveries)`,
      ["phase", "total s", "µs per delivery", "of the delivery's time"],
      [
        phaseRow("queueing (the push's INSERT … SELECT)", ph.queueing, d.delivered),
        phaseRow(
          "claiming (dueDeliveries, stillDue for the next sends, nextDueAt)",
          ph.claiming,
          d.delivered,
          delivering,
        ),
        phaseRow(
          "rendering (bulletinVersion, the bulletin read; rendered once a second per language)",
          ph.rendering,
          d.delivered,
          delivering,
        ),
        phaseRow("HTTP (here an in-process no-op: see section 2 for real HTTP)", ph.http, d.delivered, delivering),
        phaseRow(
          "acknowledging (completeMany: outcomes leave the outbox in batches)",
          ph.acknowledging,
          d.delivered,
          delivering,
        ),
        phaseRow("other store calls (counters, reports)", ph.other, d.delivered, delivering),
        phaseRow(
          "the engine's own work, promises, timers (the rest)",
          Math.max(0, delivering - ph.claiming - ph.rendering - ph.http - ph.acknowledging - ph.other),
          d.delivered,
          delivering,
        ),
      ],
      [
        `RSS over the delivery: ${d.rssOverTime.map((r) => `${r.donePct}% ${num(r.rssMB, 0)} MB (${num(r.atS, 0)} s)`).join(", ")}.`,
      ],
    ),
  );
  out(
    table(
      `4c. Telegram down: ${num(idle.pending)} deliveries pending, ${num(idle.postponed)} of them postponed (same database for both query shapes)`,
      ["step", "figure"],
      [
        [
          "enqueue into an empty outbox / behind the postponed push (plain insert before / now)",
          `${num(idle.enqueueMs.first, 0)} / ${num(idle.enqueueMs.plainBehindPostponed, 0)} / ${num(idle.enqueueMs.behindPostponed, 0)} ms`,
        ],
        [
          "old idle query (scan in publication order), median",
          `${num(idle.oldDueFirstMs, 1)} ms (${idle.oldRuns} runs; plan: ${idle.oldPlan})`,
        ],
        [
          "old idle query when the second push was queued the old way (due at once, behind postponed rows)",
          `${num(idle.oldDueFirstBehindMs, 1)} ms (1 run)`,
        ],
        [
          "new idle tick (earliest due time from the index, then nothing), median",
          `${num(idle.newIdleTickMs, 3)} ms (${idle.newRuns} runs)`,
        ],
        [
          `idle for ${idle.engineIdle.seconds} s, event-loop delay p99 / max: old query once a second`,
          `${num(idle.oldLoopIdle.loopDelayP99Ms, 1)} / ${num(idle.oldLoopIdle.loopDelayMaxMs, 1)} ms`,
        ],
        [
          `idle for ${idle.engineIdle.seconds} s, event-loop delay p99 / max: the engine now`,
          `${num(idle.engineIdle.loopDelayP99Ms, 1)} / ${num(idle.engineIdle.loopDelayMaxMs, 1)} ms`,
        ],
      ],
    ),
  );
  const growth = d.rssMaxMB - d.rssStartMB;
  const at1M = st.subscribers >= 1_000_000;
  const bounded = growth < BOUNDED_GROWTH_MB;
  summary.push({
    target: "bounded memory at 1,000,000 subscribers",
    measured: `RSS +${num(growth, 0)} MB while delivering ${num(d.delivered)} (${num(d.rssStartMB, 0)}→max ${num(d.rssMaxMB, 0)} MB)${at1M ? "" : ` at ${num(st.subscribers)}`}`,
    met: !at1M ? "n/a" : bounded ? "yes" : "no",
    reason: !at1M
      ? "quick run: not measured at 1,000,000"
      : bounded
        ? undefined
        : `RSS grew ${num(growth, 0)} MB (limit ${BOUNDED_GROWTH_MB} MB)`,
  });
  log(`scale done in ${num((performance.now() - s0) / 1000, 0)} s`);
}
