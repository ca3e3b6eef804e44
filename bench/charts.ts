/**
 * Chart benchmark: how long a chart takes to draw, cold (the first in a fresh process: native
 * module, fonts, JIT) and warm, how long the event loop is blocked while it is drawn, what a cache
 * hit costs, and how big the PNG is — for a ten-candidate shares chart and the turnout curve.
 *
 * Measured in a fresh child process (this file forks itself), so "cold" is really cold.
 *   npm run bench -- --only charts        (part of the full report)
 *   npx tsx bench/charts.ts [--quick]     (this section alone)
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { RoundResult } from "../src/data/model.js";
import { ANDRIA_2025_TURNOUT, PARMA_2017 } from "../test/charts/fixtures.js";
import { num, table } from "./table.js";
import { forkTs, summarize } from "./util.js";

export interface ChartsParams {
  /** Warm renders per chart. */
  renders: number;
  /** Cache lookups timed. */
  lookups: number;
}

export interface ChartRow {
  chart: string;
  width: number;
  height: number;
  pngKB: number;
  svgKB: number;
  /** The first render in the process, SVG built and PNG encoded. */
  coldMs: number;
  svgMs: number;
  /** Warm renders in the renderer thread (renderPng), as the caller waits for them. */
  renderP50Ms: number;
  renderP99Ms: number;
  /** Warm renders on the calling thread (renderPngSync). */
  syncP50Ms: number;
  /** Event-loop delay while rendering (p99 and max), in the thread and on the calling thread. */
  loopStallAsyncMs: number;
  loopStallAsyncMaxMs: number;
  loopStallSyncMs: number;
  loopStallSyncMaxMs: number;
}

export interface ChartsResult {
  moduleLoadMs: number;
  /** Event-loop delay of an idle second (p99, max): the machine's own noise floor. */
  idleLoop: { p99Ms: number; maxMs: number };
  rows: ChartRow[];
  cache: { hitUs: number; keyUs: number; lookups: number };
  renders: number;
}

/** A Parma-like count in progress: the ten real candidates, a third of the sections counted. */
const PARMA_COUNTING: RoundResult = {
  ...PARMA_2017,
  sections: { counted: 68, total: 208 },
  outcome: undefined,
  provenance: { source: "Ministero dell'Interno", urls: [], at: "2017-06-11T23:40:00+02:00", status: "partial" },
};

async function measure(params: ChartsParams): Promise<ChartsResult> {
  const t0 = performance.now();
  const charts = await import("../src/charts/index.js");
  const moduleLoadMs = performance.now() - t0;

  const cases: [string, () => string][] = [
    [
      "shares, 10 candidates",
      () => charts.sharesChartSvg({ comune: "Parma", kind: "first", round: PARMA_COUNTING, lang: "it" }),
    ],
    [
      "turnout curve, 4 readings",
      () =>
        charts.turnoutChartSvg({
          area: "Andria",
          points: ANDRIA_2025_TURNOUT,
          currentLabel: "2025",
          previousLabel: "2020",
          provenance: { source: "Ministero dell'Interno", at: "2025-11-24T15:27:51+01:00" },
        }),
    ],
  ];

  const idle = monitorEventLoopDelay({ resolution: 1 });
  idle.enable();
  await new Promise((r) => setTimeout(r, params.renders > 10 ? 1000 : 300));
  idle.disable();
  const idleLoop = { p99Ms: idle.percentile(99) / 1e6, maxMs: idle.max / 1e6 };

  const rows: ChartRow[] = [];
  for (const [chart, build] of cases) {
    const c0 = performance.now();
    const first = await charts.renderPng(build());
    const coldMs = performance.now() - c0;

    const svgTimes: number[] = [];
    const asyncTimes: number[] = [];
    const syncTimes: number[] = [];
    let svg = "";
    for (let i = 0; i < params.renders; i++) {
      const s0 = performance.now();
      svg = build();
      svgTimes.push(performance.now() - s0);
    }
    const stall = monitorEventLoopDelay({ resolution: 1 });
    stall.enable();
    for (let i = 0; i < params.renders; i++) {
      const r0 = performance.now();
      await charts.renderPng(svg);
      asyncTimes.push(performance.now() - r0);
    }
    stall.disable();
    const stallSync = monitorEventLoopDelay({ resolution: 1 });
    stallSync.enable();
    for (let i = 0; i < params.renders; i++) {
      const r0 = performance.now();
      charts.renderPngSync(svg);
      syncTimes.push(performance.now() - r0);
      // Let the monitor's timer run between renders, so each stall is seen on its own.
      await new Promise((r) => setTimeout(r, 2));
    }
    stallSync.disable();
    const render = summarize(asyncTimes);
    rows.push({
      chart,
      width: first.width,
      height: first.height,
      pngKB: first.png.length / 1024,
      svgKB: Buffer.byteLength(svg) / 1024,
      coldMs,
      svgMs: summarize(svgTimes).p50,
      renderP50Ms: render.p50,
      renderP99Ms: render.p99,
      syncP50Ms: summarize(syncTimes).p50,
      loopStallAsyncMs: stall.percentile(99) / 1e6,
      loopStallAsyncMaxMs: stall.max / 1e6,
      loopStallSyncMs: stallSync.percentile(99) / 1e6,
      loopStallSyncMaxMs: stallSync.max / 1e6,
    });
  }

  // Cached: what a request costs once the chart is drawn — the key (data version) and the lookup.
  const cache = new charts.ChartCache();
  const key = charts.chartKey("shares", "Parma", "first", charts.dataVersion(PARMA_COUNTING), "it");
  await charts.chartFor(cache, key, cases[0]![1]);
  cache.rememberFileId(key, "AgACAgQAAxkDAAIBbench");
  const k0 = performance.now();
  for (let i = 0; i < params.lookups; i++)
    charts.chartKey("shares", "Parma", "first", charts.dataVersion(PARMA_COUNTING), "it");
  const keyUs = ((performance.now() - k0) * 1000) / params.lookups;
  const h0 = performance.now();
  for (let i = 0; i < params.lookups; i++) await charts.chartFor(cache, key, cases[0]![1]);
  const hitUs = ((performance.now() - h0) * 1000) / params.lookups;

  return { moduleLoadMs, idleLoop, rows, cache: { hitUs, keyUs, lookups: params.lookups }, renders: params.renders };
}

/** Runs the measurement in a fresh process. */
export function runCharts(params: ChartsParams): Promise<ChartsResult> {
  return new Promise((resolve, reject) => {
    const child = forkTs("charts.ts", ["--child"]);
    let settled = false;
    child.once("message", (m: { ok: boolean; result?: ChartsResult; error?: string }) => {
      settled = true;
      if (m.ok) resolve(m.result!);
      else reject(new Error(`charts: ${m.error}`));
      child.disconnect();
    });
    child.once("exit", (code) => {
      if (!settled) reject(new Error(`charts: child exited with code ${code}`));
    });
    child.send(params);
  });
}

/** The report's table. */
export function chartsTable(r: ChartsResult, title = "Charts: rendering time and PNG size"): string {
  return table(
    title,
    [
      "chart",
      "size px",
      "PNG KB",
      "SVG KB",
      "cold ms",
      "SVG build ms",
      "render p50 ms",
      "render p99 ms",
      "sync p50 ms",
      "loop delay thread p99/max ms",
      "loop delay sync p99/max ms",
    ],
    r.rows.map((row) => [
      row.chart,
      `${row.width}×${row.height}`,
      num(row.pngKB, 1),
      num(row.svgKB, 1),
      num(row.coldMs, 1),
      num(row.svgMs, 2),
      num(row.renderP50Ms, 1),
      num(row.renderP99Ms, 1),
      num(row.syncP50Ms, 1),
      `${num(row.loopStallAsyncMs, 1)} / ${num(row.loopStallAsyncMaxMs, 1)}`,
      `${num(row.loopStallSyncMs, 1)} / ${num(row.loopStallSyncMaxMs, 1)}`,
    ]),
    [
      `Loading the charts module (resvg's native addon) took ${num(r.moduleLoadMs, 1)} ms. cold = the first chart of its kind in a fresh process (the first also starts the renderer thread).`,
      `render = SVG → PNG with renderPng (in the renderer's worker thread), ${num(r.renders)} times after the cold one; sync = renderPngSync on the calling thread.`,
      `loop delay = how late a 1 ms timer fires while charts are drawn: what other users' commands wait behind a chart. Idle, with nothing drawn, the same machine shows ${num(r.idleLoop.p99Ms, 1)} / ${num(r.idleLoop.maxMs, 1)} ms (p99 / max).`,
      `Cached: a hit (chartFor → file_id) costs ${num(r.cache.hitUs, 2)} µs; the key with dataVersion of the round costs ${num(r.cache.keyUs, 2)} µs (${num(r.cache.lookups)} lookups).`,
    ],
  );
}

// Child: measure and send the figures back. Alone: measure in a child and print the table.
if (process.argv.includes("--child")) {
  process.once("message", async (params: ChartsParams) => {
    try {
      const result = await measure(params);
      process.send?.({ ok: true, result }, () => process.exit(0));
    } catch (err) {
      process.send?.({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () =>
        process.exit(1),
      );
    }
  });
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes("--quick");
  runCharts({ renders: quick ? 5 : 40, lookups: quick ? 1000 : 20_000 }).then(
    (r) => process.stdout.write(chartsTable(r)),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
      process.exit(1);
    },
  );
}
