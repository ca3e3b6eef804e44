import { performance } from "node:perf_hooks";
import {
  type ClusterRushRow,
  type FailoverResult,
  type PaceRow,
  runClusterRush,
  runFailover,
  runPace,
  runStores,
  type StoreRow,
  summarize,
} from "../cluster.js";
import type { BenchContext } from "../context.js";
import { type Cell, num, pct, table } from "../table.js";

export async function clusterSection(ctx: BenchContext): Promise<void> {
  const { sizes, results, summary, out, log } = ctx;
  const s0 = performance.now();
  const c = sizes.cluster;
  log("cluster: push pace, one instance vs two...");
  const pace: PaceRow[] = [];
  for (const run of [
    { rate: 30, paid: false, subscribers: c.free },
    { rate: 1000, paid: true, subscribers: c.paid },
  ])
    for (const instances of [1, 2]) pace.push(await runPace({ ...run, instances }, log));
  results.cluster = { pace };
  const body: Cell[][] = pace.map((r) => [
    `${num(r.rate)}/s${r.paid ? " paid" : ""}`,
    r.instances,
    num(r.subscribers),
    num(r.elapsedS, 1),
    num(r.pace, 1),
    pct(r.pace / r.rate),
    num(r.peakPerSecond),
    num(r.tooManyRequests),
    r.cpuS.map((s) => num(s, 1)).join(" + "),
    num(r.duplicates),
    num(r.lost),
  ]);
  out(
    table(
      "11. Several instances on one PostgreSQL database: one push, one instance vs two (webhook mode)",
      ["limit", "instances", "chats", "time s", "msg/s", "of limit", "peak/s", "429s", "CPU s each", "dup", "lost"],
      body,
      [
        "Real bot processes (node --import tsx src/main.ts) on a fresh database each run; the fake Bot API (10 ms latency) enforces the limit as a sliding window.",
        "msg/s = chats served ÷ time from the first send to the last; peak/s = most sends in any sliding second; CPU s = user + system of each process during the push.",
      ],
    ),
  );
  log("cluster: failover after kill -9...");
  const f: FailoverResult = await runFailover(c.failover, log);
  const fs = summarize(f.finishedMs);
  (results.cluster as Record<string, unknown>).failover = f;
  log("cluster: SQLite vs PostgreSQL...");
  const stores: StoreRow[] = await runStores({ subscribers: c.stores }, log);
  (results.cluster as Record<string, unknown>).stores = stores;
  const sec = (ms: number) => `${num(ms / 1000, 1)} s`;
  out(
    table(
      `11b. Failover: two instances push ${num(f.subscribers)} chats at 30/s, one killed with kill -9 at 40% (${f.kills} kill${f.kills === 1 ? "" : "s"}, a new database each)`,
      ["figure", "p50", "p99", "max"],
      [["kill -9 → last chat served", sec(fs.p50), sec(fs.p99), sec(fs.max)]],
      [
        `duplicates per kill: ${f.duplicates.join(", ")} (only sends in flight at the kill may go twice); lost ${f.lost}; 429s ${f.tooManyRequests}; peak ${f.peakPerSecond}/s.`,
        "A dead instance's claimed rows go to the other once their claim (10 s) expires, and its share of the limit once its heartbeat is 6 s old.",
      ],
    ),
  );
  out(
    table(
      `11c. The same paid push (1000/s) from one instance, SQLite vs PostgreSQL (fake with no latency nor limits)`,
      ["store", "chats", "time s", "msg/s", "CPU s", "dup", "lost"],
      stores.map((r) => [
        r.store,
        num(r.subscribers),
        num(r.elapsedS, 1),
        num(r.pace, 0),
        num(r.cpuS, 1),
        r.duplicates,
        r.lost,
      ]),
      [
        "The push is stored before the instance starts; timed from its first send to its last. CPU s includes start-up.",
      ],
    ),
  );
  log("cluster: a rush during a push, SEND_BUDGET equal vs shared (by demand) vs single...");
  const { rows: rush, idle } = await runClusterRush(c.rush, log);
  (results.cluster as Record<string, unknown>).rush = { rows: rush, idle };
  const routing: Record<ClusterRushRow["routing"], string> = {
    one: "one instance",
    even: "two, the rush split evenly",
    uneven: "two, the whole rush on one (not the leader)",
  };
  out(
    table(
      `11d. ${num(c.rush.citizens)} citizens POST /citta Genova within ${num(c.rush.spreadMs / 1000)} s to the webhook, during a push to ${num(c.rush.subscribers)} chats at 30/s: SEND_BUDGET=equal (each instance 1/n of the limit, the earlier split) vs shared (by the replies waiting at each, the default) vs single (the leader sends all, the others hand it their replies)`,
      [
        "mode",
        "routing",
        "answered",
        "reply p50 s",
        "reply p99 s",
        "reply max s",
        "push msg/s",
        "push s",
        "peak/s",
        "429s",
        "CPU s each",
        "dup",
        "push lost",
      ],
      rush.map((r) => [
        r.instances === 1 ? "either" : r.mode,
        routing[r.routing],
        `${num(r.answered)}/${num(r.citizens)}`,
        num(r.p50S, 1),
        num(r.p99S, 1),
        num(r.maxS, 1),
        num(r.pushPace, 1),
        num(r.pushS, 1),
        num(r.peakPerSecond),
        num(r.tooManyRequests),
        r.cpuS.map((x) => num(x, 1)).join(" + "),
        num(r.duplicatedReplies),
        num(r.pushLost),
      ]),
      [
        "Reply latency: from the update POSTed to the instance's webhook to the fake accepting the answer (sendMessage). The rush starts once the push has sent " +
          `${num(c.rush.afterPushSends)} messages; each row its own push, timed from its first send to its last (replies go first, so the push waits out the rush).`,
        "peak/s = most sendMessage calls (push and replies) in any sliding second; the fake enforces 30/s for the whole bot. With one instance both modes are the same (it sends everything).",
        `One reply at a time, no push (the hop alone), p50 of ${idle[0]?.n ?? 0} each: ${idle.map((i) => `${i.mode}: to the leader ${num(i.leaderP50Ms)} ms, to the other ${num(i.otherP50Ms)} ms`).join("; ")}.`,
      ],
    ),
  );
  const lost = pace.reduce((s, r) => s + r.lost, 0) + f.lost + stores.reduce((s, r) => s + r.lost, 0);
  const over = pace.filter((r) => r.peakPerSecond > r.rate || r.tooManyRequests > 0);
  summary.push({
    target: "several instances: together within the bot's limit, 0 × 429",
    measured: pace
      .map(
        (r) =>
          `${r.instances}×${r.rate}/s: peak ${r.peakPerSecond}/s, ${r.tooManyRequests} × 429, ${pct(r.pace / r.rate)}`,
      )
      .join("; "),
    met: over.length ? "no" : "yes",
    reason: over.length ? "a sliding second above the limit, or 429s" : undefined,
  });
  summary.push({
    target: "kill -9 of one of two instances: the push finishes within 15 s",
    measured: `p50 ${sec(fs.p50)}, p99 ${sec(fs.p99)} over ${f.kills} kill(s)`,
    met: fs.max <= 15_000 ? "yes" : "no",
    reason: fs.max <= 15_000 ? undefined : `slowest ${sec(fs.max)}`,
  });
  const overRush = rush.filter((r) => r.peakPerSecond > 30 || r.tooManyRequests > 0);
  summary.push({
    target: "rush on several instances: within the one limit, 0 × 429, every citizen answered",
    measured: rush
      .map(
        (r) =>
          `${r.instances === 1 ? "one" : `${r.mode} ${r.routing}`}: ${r.answered}/${r.citizens}, p99 ${num(r.p99S, 1)} s, peak ${r.peakPerSecond}/s, ${r.tooManyRequests} × 429`,
      )
      .join("; "),
    met: overRush.length || rush.some((r) => r.answered < r.citizens) ? "no" : "yes",
  });
  log(`cluster done in ${num((performance.now() - s0) / 1000, 0)} s`);
  if (lost > 0) throw new Error(`${lost} chats never got the push`);
}
