/**
 * Charts for Telegram: what the `/grafico` command and the card's button use. Build the SVG
 * (svg.ts), render it to PNG (render.ts), keep it per data version and re-send by file_id (cache.ts).
 *
 *   const key = chartKey("shares", comune.name, "first", dataVersion(round), lang);
 *   const chart = await chartFor(cache, key, () => sharesChartSvg({ comune: comune.name, kind: "first", round, lang }));
 *   const msg = await ctx.replyWithPhoto("fileId" in chart ? chart.fileId : new InputFile(chart.png, "grafico.png"));
 *   if ("png" in chart) cache.rememberFileId(key, msg.photo.at(-1)!.file_id);
 */
import type { CachedChart, ChartCache } from "./cache.js";
import { renderPng } from "./render.js";

export { type CachedChart, ChartCache, type ChartCacheOptions, chartKey, dataVersion } from "./cache.js";
export { CHART_LABELS, type ChartLabels } from "./labels.js";
export { CHART_FONT_FILES, type ChartPng, closeRenderer, pendingRenders, renderPng, renderPngSync } from "./render.js";
export {
  CHART_FONT_FAMILY,
  CHART_WIDTH,
  type ChartOptions,
  MAX_BARS,
  type ShareRow,
  type SharesChartInput,
  shareRows,
  sharesChartSvg,
  type TurnoutChartInput,
  turnoutChartSvg,
  turnoutSeries,
} from "./svg.js";

/**
 * The chart under `key`: Telegram's file_id or the PNG from the cache, or `svg()` rendered now
 * (off the event loop) and cached. Concurrent calls for one key render once. Rejects if the SVG
 * cannot be rendered; nothing is cached then.
 */
export function chartFor(cache: ChartCache, key: string, svg: () => string): Promise<CachedChart> {
  return cache.getOrRender(key, async () => (await renderPng(svg())).png);
}
