import { performance } from "node:perf_hooks";
import { chartsTable, runCharts } from "../charts.js";
import type { BenchContext } from "../context.js";
import { num } from "../table.js";

export async function chartsSection(ctx: BenchContext): Promise<void> {
  const { sizes, results, out, log } = ctx;
  const s0 = performance.now();
  log("charts...");
  const charts = await runCharts(sizes.charts);
  results.charts = { ...charts, seconds: (performance.now() - s0) / 1000 };
  out(chartsTable(charts, "5. Charts: rendering time and PNG size (fresh process)"));
  log(`charts done in ${num((performance.now() - s0) / 1000, 0)} s`);
}
