/**
 * Section 4, scale: (a) city lookup over every Italian comune (the shipped index); (b) a push to 1,000,000
 * subscribers: enqueueing it in one statement, then delivering with memory staying flat.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { nameKey } from "../src/data/lookup.js";
import { loadDataPack } from "../src/data/pack.js";
import type { KnownComune } from "../src/data/places.js";
import { DeliveryEngine } from "../src/delivery/engine.js";
import { Pacer } from "../src/delivery/pacer.js";
import { SqliteStore } from "../src/store/sqlite.js";
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
    pendingAfter: number;
    completedAll: boolean;
    budgetS: number;
  };
}

export async function storeTask(p: { subscribers: number; budgetMs: number }): Promise<StoreResult> {
  const tmp = await tempDir("elezioni-bench-");
  const file = path.join(tmp.dir, "state.sqlite");
  const store = new SqliteStore(file);
  try {
    const db = store.db;
    const insert = db.prepare("INSERT INTO subscriptions (chat_id, comune, lang, created_at) VALUES (?, ?, ?, 0)");
    const r = rng(99);
    const comuni = ["Genova", "Verona", "Parma", "L'Aquila", "Catanzaro", "Palermo"];
    let rows = 0;
    const t0 = performance.now();
    const BATCH = 50_000;
    for (let start = 0; start < p.subscribers; start += BATCH) {
      db.transaction(() => {
        for (let i = start; i < Math.min(p.subscribers, start + BATCH); i++) {
          const id = r() < 0.1 ? -1_000_000_000_000 - i : 1_000_000 + i;
          const lang = r() < 0.05 ? "en" : "it";
          insert.run(id, "", lang);
          rows++;
          // One chat in ten also follows a comune: enqueueing has to collapse them to one delivery.
          if (i % 10 === 0) {
            insert.run(id, comuni[i % comuni.length]!, lang);
            rows++;
          }
        }
      })();
    }
    const insertS = (performance.now() - t0) / 1000;
    db.pragma("wal_checkpoint(TRUNCATE)");

    // Enqueueing: one INSERT ... SELECT inside addBulletin.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const canReset = resetPeakRss();
    const e0 = performance.now();
    const { recipients } = store.addBulletin(
      {
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
      dueFirstMs: time(() => store.dueDeliveries(null, now, 256)),
      dueAfterMs: time(() => store.dueDeliveries({ seq: 1, chatId: 1_500_000 }, now, 256)),
      pendingCountMs: time(() => store.pendingCount()),
      nextDueAtMs: time(() => store.nextDueAt()),
    };

    // Delivering with an in-process send: memory must stay flat however long the outbox is.
    const engine = new DeliveryEngine({
      store,
      logger: silentLogger(),
      pacer: new Pacer({ perSecond: 1_000_000_000, privateGapMs: 0, groupGapMs: 0 }),
      render: () => "🕒 <b>19:05</b>\nAffluenza alle 19: 42,35%",
      send: () => Promise.resolve(true),
    });
    const rss = new RssSampler();
    const cpu = new CpuMeter();
    const d0 = performance.now();
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
        pendingAfter: store.pendingCount(),
        completedAll: delivered >= recipients,
        budgetS: p.budgetMs / 1000,
      },
    };
  } finally {
    store.close();
    await tmp.remove();
  }
}
