/**
 * Section 4, scale: (a) city lookup over every Italian comune (the shipped index); (b) a push to 1,000,000
 * subscribers: enqueueing it in one statement, then delivering with memory staying flat; (c) the
 * outbox during a Telegram outage: two such pushes postponed, and what the idle engine pays to
 * find that nothing is due.
 */
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { nameKey } from "../src/data/lookup.js";
import { loadDataPack } from "../src/data/pack.js";
import type { KnownComune } from "../src/data/places.js";
import { DeliveryEngine } from "../src/delivery/engine/index.js";
import { Pacer } from "../src/delivery/pacer.js";
import { html } from "../src/format/html.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { fillSubscribers } from "./seed.js";
import {
  CpuMeter,
  kernelPeakRssMB,
  RssSampler,
  resetPeakRss,
  rng,
  silentLogger,
  sleep,
  summarize,
  tempDir,
  toMB,
} from "./util.js";

// ---------------------------------------------------------------------------
// (a) lookup over the real comuni index
// ---------------------------------------------------------------------------

const LETTERS = "abcdefghilmnoprstuvz";

function typo(name: string, edits: number, r: () => number): string {
  let s = name;
  for (let e = 0; e < edits; e++) {
    const letters = [...s].map((ch, i) => ({ ch, i })).filter((x) => /[a-z]/i.test(x.ch));
    if (letters.length < 2) break;
    const at = letters[1 + Math.floor(r() * (letters.length - 1))]!.i; // keep the first letter
    const op = Math.floor(r() * 4);
    const ch = LETTERS[Math.floor(r() * LETTERS.length)]!;
    if (op === 0) s = s.slice(0, at) + ch + s.slice(at + 1);
    else if (op === 1) s = s.slice(0, at) + s.slice(at + 1);
    else if (op === 2) s = s.slice(0, at) + ch + s.slice(at);
    else if (at + 1 < s.length) s = s.slice(0, at) + s[at + 1] + s[at] + s.slice(at + 2);
  }
  return s;
}

export interface LookupRow {
  kind: string;
  lookups: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
  /** How the lookups ended: found / ambiguous / not-found. */
  outcomes: { found: number; ambiguous: number; notFound: number };
  /** For exact and typo queries: found the comune the query came from. */
  correct?: number;
}

/**
 * Lookups over the shipped pack: every comune of ISTAT's list (data/comuni.json), the 2017 capoluoghi's
 * results. `index.lookup` is the forgiving name match; `search` is what /citta runs (a comune's exact
 * name, a region or province, a candidate's name, then the forgiving match).
 */
export async function lookupTask(p: {
  dataDir?: string;
  exact: number;
  typos: number;
  prefixes: number;
  unknown: number;
}): Promise<{ comuni: number; buildMs: number; rows: LookupRow[]; examples: Record<string, string[]> }> {
  const t0 = performance.now();
  const pack = await loadDataPack(p.dataDir ?? "data");
  const buildMs = performance.now() - t0;
  const known = pack.known;
  const r = rng(7);
  const pick = () => known[Math.floor(r() * known.length)]!;
  const regions = [...new Set(known.map((c) => c.region))];
  const surnames = pack.comuni.flatMap((c) =>
    c.results.firstRound.candidates.map((k) => ({ q: k.name.split(" ").at(-1)!, want: c as KnownComune })),
  );
  type Query = { q: string; want?: KnownComune };
  const cases: { kind: string; run: (q: string) => { found?: KnownComune; kind: string }; queries: Query[] }[] = [];
  const viaIndex = (q: string) => {
    const res = pack.index.lookup(q);
    return { kind: res.kind, ...(res.kind === "found" ? { found: res.item } : {}) };
  };
  const viaSearch = (q: string) => {
    const res = pack.search(q);
    if (res.kind === "comune") return { kind: "found", found: res.comune };
    if (res.kind === "candidate" && res.matches.length === 1) return { kind: "found", found: res.matches[0]!.comune };
    if (res.kind === "area" || res.kind === "candidate") return { kind: "found" };
    return { kind: res.kind };
  };
  const exactQueries = Array.from({ length: p.exact }, (): Query => {
    const c = pick();
    return { q: r() < 0.5 ? c.name.toUpperCase() : c.name, want: c };
  });
  cases.push(
    { kind: "exact name (index)", run: viaIndex, queries: exactQueries },
    { kind: "exact name (/citta search)", run: viaSearch, queries: exactQueries },
    {
      kind: "typo (1-2 edits)",
      run: viaIndex,
      queries: Array.from({ length: p.typos }, () => {
        let c = pick();
        while (nameKey(c.name).length < 7) c = pick();
        let q = c.name;
        while (nameKey(q) === nameKey(c.name)) q = typo(c.name, r() < 0.5 ? 1 : 2, r);
        return { q, want: c };
      }),
    },
    {
      kind: "prefix (3-6 letters)",
      run: viaIndex,
      queries: Array.from({ length: p.prefixes }, () => ({
        q: nameKey(pick().name).slice(0, 3 + Math.floor(r() * 4)),
      })),
    },
    {
      kind: "unknown name",
      run: viaIndex,
      queries: Array.from({ length: p.unknown }, () => ({
        q: Array.from({ length: 9 + Math.floor(r() * 4) }, () => "qwxzjkyhbf"[Math.floor(r() * 10)]).join(""),
      })),
    },
    {
      kind: "region (/citta search)",
      run: viaSearch,
      queries: Array.from({ length: p.prefixes }, () => ({ q: regions[Math.floor(r() * regions.length)]! })),
    },
    {
      kind: "candidate surname (/citta search)",
      run: viaSearch,
      queries: Array.from({ length: p.prefixes }, () => surnames[Math.floor(r() * surnames.length)]!),
    },
  );
  // Warm up the JIT on a mix of everything.
  for (const c of cases) for (const { q } of c.queries.slice(0, 50)) c.run(q);
  const rows: LookupRow[] = [];
  const examples: Record<string, string[]> = {};
  for (const c of cases) {
    const times: number[] = [];
    const outcomes = { found: 0, ambiguous: 0, notFound: 0 };
    let correct = 0;
    for (const { q, want } of c.queries) {
      const s = performance.now();
      const res = c.run(q);
      times.push((performance.now() - s) * 1000);
      if (res.kind === "found") {
        outcomes.found++;
        if (want !== undefined && res.found === want) correct++;
      } else if (res.kind === "ambiguous") outcomes.ambiguous++;
      else outcomes.notFound++;
    }
    examples[c.kind] = c.queries
      .slice(0, 4)
      .map((x) => (x.want && x.want.name !== x.q ? `${x.q} → ${x.want.name}` : x.q));
    const s = summarize(times);
    rows.push({
      kind: c.kind,
      lookups: c.queries.length,
      p50Us: s.p50,
      p99Us: s.p99,
      maxUs: s.max,
      meanUs: s.mean,
      outcomes,
      ...(c.queries[0]?.want !== undefined ? { correct } : {}),
    });
  }
  return {
    comuni: known.length,
    buildMs,
    rows,
    examples: { sampleNames: known.slice(10, 22).map((c) => c.name), ...examples },
  };
}

// ---------------------------------------------------------------------------
// (b) a push to a million subscribers
// ---------------------------------------------------------------------------

export interface StoreResult {
  subscribers: number;
  subscriptionRows: number;
  insertS: number;
  dbSizeMB?: number;
  enqueue: { ms: number; recipients: number; rssBeforeMB: number; rssAfterMB: number; kernelPeakMB?: number };
  queries: { dueFirstMs: number; dueAfterMs: number; pendingCountMs: number; nextDueAtMs: number };
  delivery: {
    delivered: number;
    elapsedS: number;
    perSec: number;
    cpuUsPerMsg: number;
    rssStartMB: number;
    rssMaxMB: number;
    rssEndMB: number;
    /** RSS once a quarter of the deliveries were done, to see the trend. */
    rssAtQuarterMB: number;
    /** RSS every tenth of the deliveries (0%, 10% … 100%). */
    rssOverTime: { donePct: number; atS: number; rssMB: number }[];
    /** Where the delivery's time went, ms in all (wall time inside each phase's calls). */
    phases: PhaseTimes;
    pendingAfter: number;
    completedAll: boolean;
    budgetS: number;
  };
}

/** The phases of a delivery the scale benchmark reports, ms in all. */
export interface PhaseTimes {
  /** Writing the outbox rows (the push's one INSERT … SELECT). */
  queueing: number;
  /** Reading what is due, and checking a row is still due before its send. */
  claiming: number;
  /** Reading the bulletin and rendering it (once per bulletin and language; cached in between). */
  rendering: number;
  /** The send itself: here an in-process no-op (the overhead section measures real HTTP). */
  http: number;
  /** Recording each outcome (the row leaves the outbox, the copy is kept). */
  acknowledging: number;
  /** Every other store call the engine made (counters, reports). */
  other: number;
}

/** Which phase each store method the engine calls belongs to. */
const PHASE_OF: Record<string, keyof PhaseTimes> = {
  dueDeliveries: "claiming",
  isDue: "claiming",
  stillDue: "claiming",
  nextDueAt: "claiming",
  dueAmendmentJobs: "claiming",
  isAmendmentJobDue: "claiming",
  bulletinVersion: "rendering",
  complete: "acknowledging",
  completeMany: "acknowledging",
  completeAmendmentJob: "acknowledging",
};

/** The store with each method call's wall time added to its phase. */
function timed(store: SqliteStore, phases: PhaseTimes): SqliteStore {
  const wrapped = new Map<string | symbol, unknown>();
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      let w = wrapped.get(key);
      if (!w) {
        const phase = PHASE_OF[String(key)] ?? "other";
        w = (...args: unknown[]) => {
          const s = performance.now();
          try {
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          } finally {
            phases[phase] += performance.now() - s;
          }
        };
        wrapped.set(key, w);
      }
      return w;
    },
  });
}

export async function storeTask(p: { subscribers: number; budgetMs: number }): Promise<StoreResult> {
  const tmp = await tempDir("elezioni-bench-");
  const file = path.join(tmp.dir, "state.sqlite");
  const store = new SqliteStore(file);
  try {
    const db = store.db;
    const t0 = performance.now();
    const rows = await fillSubscribers(store, p.subscribers);
    const insertS = (performance.now() - t0) / 1000;
    db.pragma("wal_checkpoint(TRUNCATE)");

    // Enqueueing: one INSERT ... SELECT inside addBulletin.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const canReset = resetPeakRss();
    const e0 = performance.now();
    const { recipients } = await store.addBulletin(
      {
        election: "bench",
        id: "bench-million",
        publishedAt: new Date().toISOString(),
        text: "Affluenza alle 19: 42,35%",
        comuni: [],
        origin: "newsroom",
      },
      { requestedBy: null, lang: "it" },
    );
    const enqueueMs = performance.now() - e0;
    const rssAfter = process.memoryUsage().rss;
    const kernelPeak = canReset ? kernelPeakRssMB() : undefined;

    // What the engine and the admin's /stato ask of a full outbox.
    const time = (f: () => unknown) => {
      const s = performance.now();
      f();
      return performance.now() - s;
    };
    const now = Date.now();
    const queries = {
      dueFirstMs: time(async () => await store.dueDeliveries(null, now, 256)),
      dueAfterMs: time(async () => await store.dueDeliveries({ seq: 1, chatId: 1_500_000 }, now, 256)),
      pendingCountMs: time(async () => await store.pendingCount()),
      nextDueAtMs: time(async () => await store.nextDueAt()),
    };

    // Delivering with an in-process send: memory must stay flat however long the outbox is.
    // The store's calls and the render and send callbacks are timed by phase (see PHASE_OF).
    const phases: PhaseTimes = { queueing: enqueueMs, claiming: 0, rendering: 0, http: 0, acknowledging: 0, other: 0 };
    const timedStore = timed(store, phases);
    let sends = 0;
    const tenth = Math.max(1, Math.floor(recipients / 10));
    const rssOverTime = [{ donePct: 0, atS: 0, rssMB: toMB(process.memoryUsage().rss) }];
    let d0 = performance.now();
    const text = html`🕒 <b>19:05</b>\nAffluenza alle 19: 42,35%`;
    const engine = new DeliveryEngine({
      store: timedStore,
      logger: silentLogger(),
      pacer: new Pacer({ perSecond: 1_000_000_000, privateGapMs: 0, groupGapMs: 0 }),
      render: async (d) => {
        const s = performance.now();
        // What the runtime's render does first: read the bulletin.
        const b = await store.bulletin(d.seq);
        phases.rendering += performance.now() - s;
        return b && text;
      },
      send: () => {
        const s = performance.now();
        const p = Promise.resolve(true);
        phases.http += performance.now() - s;
        // With an in-process send the engine never yields to timers: RSS is sampled from here.
        if (++sends % tenth === 0)
          rssOverTime.push({
            donePct: Math.round((sends / recipients) * 100),
            atS: (performance.now() - d0) / 1000,
            rssMB: toMB(process.memoryUsage().rss),
          });
        return p;
      },
    });
    const rss = new RssSampler();
    const cpu = new CpuMeter();
    d0 = performance.now();
    engine.start();
    let rssAtQuarter = 0;
    const settled = () => engine.stats.sent + engine.stats.removed + engine.stats.failed;
    while (settled() < recipients && performance.now() - d0 < p.budgetMs) {
      await sleep(100);
      if (!rssAtQuarter && settled() >= recipients / 4) rssAtQuarter = process.memoryUsage().rss;
    }
    const elapsed = (performance.now() - d0) / 1000;
    const delivered = engine.stats.sent;
    const cpuMicros = cpu.micros();
    await engine.stop();
    const mem = rss.stop();
    return {
      subscribers: p.subscribers,
      subscriptionRows: rows,
      insertS,
      enqueue: {
        ms: enqueueMs,
        recipients,
        rssBeforeMB: toMB(rssBefore),
        rssAfterMB: toMB(rssAfter),
        ...(kernelPeak !== undefined ? { kernelPeakMB: kernelPeak } : {}),
      },
      queries,
      delivery: {
        delivered,
        elapsedS: elapsed,
        perSec: delivered / elapsed,
        cpuUsPerMsg: cpuMicros / Math.max(1, delivered),
        rssStartMB: mem.startMB,
        rssMaxMB: mem.peakMB,
        rssEndMB: mem.endMB,
        rssAtQuarterMB: rssAtQuarter ? toMB(rssAtQuarter) : mem.endMB,
        rssOverTime,
        phases,
        pendingAfter: await store.pendingCount(),
        completedAll: delivered >= recipients,
        budgetS: p.budgetMs / 1000,
      },
    };
  } finally {
    await store.close();
    await tmp.remove();
  }
}

// ---------------------------------------------------------------------------
// (c) the outbox during an outage
// ---------------------------------------------------------------------------

/** The engine's "what is due?" query as it was before the due-time index: it reads the outbox to find nothing. */
const OLD_DUE_FIRST = `SELECT seq, chat_id, lang, attempts FROM deliveries d
  WHERE due_at <= ? AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.chat_id = d.chat_id AND e.seq < d.seq)
  ORDER BY seq, chat_id LIMIT ?`;

export interface LoopDelay {
  seconds: number;
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
}

/** Runs `during` while sampling the event loop's delay. */
async function loopDelay(seconds: number, during: (until: number) => Promise<void>): Promise<LoopDelay> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await during(performance.now() + seconds * 1000);
  h.disable();
  return { seconds, loopDelayMaxMs: h.max / 1e6, loopDelayP99Ms: h.percentile(99) / 1e6 };
}

export interface IdleResult {
  subscribers: number;
  pending: number;
  postponed: number;
  /**
   * Enqueueing the first push into an empty outbox, the second one behind the postponed first, and
   * the plain insert the second one was before (its rows due at once, so the outbox never looked idle).
   */
  enqueueMs: { first: number; behindPostponed: number; plainBehindPostponed: number };
  /** Median over the runs of each query shape, same database, nothing due. */
  oldDueFirstMs: number;
  oldRuns: number;
  /** The old query when the second push was queued the old way (its rows due at once, behind postponed ones); one run. */
  oldDueFirstBehindMs: number;
  oldPlan: string;
  /** One idle tick of the engine now: dueDeliveries (index check, then nothing) + nextDueAt. */
  newIdleTickMs: number;
  newRuns: number;
  /** Left idle on that outbox: how long the event loop (which also answers commands) was held up. */
  engineIdle: LoopDelay;
  /** The same, for a loop that asks the old query once a second as the engine did. */
  oldLoopIdle: LoopDelay;
}

export async function idleTask(p: { subscribers: number; idleS: number }): Promise<IdleResult> {
  const tmp = await tempDir("elezioni-bench-idle-");
  const store = new SqliteStore(path.join(tmp.dir, "state.sqlite"));
  try {
    await fillSubscribers(store, p.subscribers);
    const news = (id: string) => ({
      election: "bench",
      id,
      publishedAt: new Date().toISOString(),
      text: "Affluenza alle 19: 42,35%",
      comuni: [],
      origin: "newsroom" as const,
    });
    const push = { requestedBy: null, lang: "it" as const };
    let t = performance.now();
    await store.addBulletin(news("first"), push);
    const first = performance.now() - t;
    // Telegram is down: every chat's first attempt failed and was postponed by the engine's backoff.
    // Backoff has a 20% jitter: at the 5-minute cap the retries spread over a minute.
    const retryAt = Date.now() + 240_000;
    store.db
      .prepare("UPDATE deliveries SET attempts = 9, due_at = ? + abs(random() % 60000), last_error = '502 Bad Gateway'")
      .run(retryAt);
    // (One big UPDATE leaves a WAL as large as the table; the engine's postponements, one at a time, do not.)
    store.db.pragma("wal_checkpoint(TRUNCATE)");
    // What enqueueing the next push cost before (a plain insert, rows due at once behind the postponed
    // ones), measured on the same outbox and rolled back.
    store.db.exec("BEGIN");
    const probe = Number(
      store.db
        .prepare(
          "INSERT INTO bulletins (election, id, published_at, published_ms, text, comuni, origin) VALUES ('bench', 'probe', '', 0, '', '[]', 'newsroom')",
        )
        .run().lastInsertRowid,
    );
    t = performance.now();
    store.db
      .prepare(
        "INSERT INTO deliveries (seq, chat_id, lang) SELECT ?, chat_id, max(lang) FROM subscriptions GROUP BY chat_id",
      )
      .run(probe);
    const plainBehind = performance.now() - t;
    // What the old query paid then, each idle second: those rows looked due, each behind a postponed one.
    const t2 = performance.now();
    store.db.prepare(OLD_DUE_FIRST).all(Date.now(), 256);
    const oldDueFirstBehindMs = performance.now() - t2;
    store.db.exec("ROLLBACK");
    // The newsroom publishes again during the outage: its rows wait for the postponed ones.
    t = performance.now();
    await store.addBulletin(news("second"), push);
    const behindPostponed = performance.now() - t;
    store.db.pragma("wal_checkpoint(TRUNCATE)");

    const now = Date.now();
    const pending = await store.pendingCount();
    const postponed = store.db
      .prepare<[number], { n: number }>("SELECT count(*) AS n FROM deliveries WHERE due_at > ?")
      .get(now)!.n;
    const median = (f: () => unknown, runs: number) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const s = performance.now();
        f();
        times.push(performance.now() - s);
      }
      return summarize(times).p50;
    };
    const old = store.db.prepare(OLD_DUE_FIRST);
    const oldRuns = 5;
    const oldDueFirstMs = median(() => old.all(now, 256), oldRuns);
    const oldPlan = store.db
      .prepare<[number, number], { detail: string }>(`EXPLAIN QUERY PLAN ${OLD_DUE_FIRST}`)
      .all(now, 256)
      .map((r) => r.detail)
      .join("; ");
    const newRuns = 200;
    const newIdleTickMs = median(async () => {
      if ((await store.dueDeliveries(null, now, 256)).length) throw new Error("nothing should be due");
      await store.nextDueAt();
    }, newRuns);

    // The engine itself, idle on that outbox: nothing due, it checks about once a second.
    const engine = new DeliveryEngine({
      store,
      logger: silentLogger(),
      pacer: new Pacer({ perSecond: 30 }),
      render: () => html`x`,
      send: () => Promise.reject(new Error("Telegram is down")),
    });
    const engineIdle = await loopDelay(p.idleS, async (until) => {
      engine.start();
      await sleep(until - performance.now());
      await engine.stop();
    });
    // Before: every idle second the engine ran the old query (and the earliest-due one) to find nothing.
    const nextDue = store.db.prepare("SELECT min(due_at) AS t FROM deliveries WHERE due_at > 0");
    const oldLoopIdle = await loopDelay(p.idleS, async (until) => {
      while (performance.now() < until) {
        old.all(Date.now(), 256);
        nextDue.get();
        await sleep(1000);
      }
    });
    if (engine.stats.sent + engine.stats.retried + engine.stats.failed > 0)
      throw new Error("the engine sent during the outage");
    return {
      subscribers: p.subscribers,
      pending,
      postponed,
      enqueueMs: { first, behindPostponed, plainBehindPostponed: plainBehind },
      oldDueFirstMs,
      oldRuns,
      oldDueFirstBehindMs,
      oldPlan,
      newIdleTickMs,
      newRuns,
      engineIdle,
      oldLoopIdle,
    };
  } finally {
    await store.close();
    await tmp.remove();
  }
}
