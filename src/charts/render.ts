/**
 * SVG → PNG in the bot's own process, with resvg (a Rust SVG renderer; `@resvg/resvg-js` ships it
 * prebuilt for each platform as an npm optional package, so nothing is downloaded or compiled at
 * install time, and there is no browser or system library to install).
 *
 * Fonts: only the Noto Sans files shipped in `@expo-google-fonts/noto-sans` are loaded, never the
 * system's. A fresh server may have no fonts at all — resvg then draws no text, silently — and a
 * machine with fonts would draw other glyphs than the ones metrics.ts measured. Missing font files
 * are an error at the first render, never a picture without words.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { type RenderedImage, Resvg, type ResvgRenderOptions, renderAsync } from "@resvg/resvg-js";
import { CHART_FONT_FAMILY } from "./svg.js";

const require = createRequire(import.meta.url);

/** The TTF files the charts are drawn with: Noto Sans Regular and Bold (SIL Open Font License 1.1). */
export const CHART_FONT_FILES: readonly string[] = [
  "@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf",
  "@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf",
].map((spec) => require.resolve(spec));

let options: ResvgRenderOptions | undefined;

/** resvg's options, built once; throws if a font file is missing. */
function renderOptions(): ResvgRenderOptions {
  if (options) return options;
  const missing = CHART_FONT_FILES.filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`chart fonts missing: ${missing.join(", ")} (run npm ci)`);
  options = {
    font: {
      loadSystemFonts: false,
      fontFiles: [...CHART_FONT_FILES],
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
    fitTo: { mode: "original" },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: "off",
  };
  return options;
}

/** A rendered chart: the PNG file and its size in pixels. */
export interface ChartPng {
  png: Buffer;
  width: number;
  height: number;
}

function toChartPng(image: RenderedImage): ChartPng {
  return { png: image.asPng(), width: image.width, height: image.height };
}

/**
 * Renders an SVG (from svg.ts) to PNG on libuv's thread pool, so the event loop keeps answering
 * while a chart is drawn. Rejects on an SVG resvg cannot parse. `signal` aborts a render not yet started.
 */
export async function renderPng(svg: string, signal?: AbortSignal): Promise<ChartPng> {
  const opts = renderOptions();
  const image = await renderAsync(svg, opts, signal ?? null);
  // renderAsync does the rasterising off-thread; PNG encoding happens here (a few ms).
  return toChartPng(image);
}

/** The same, on the calling thread: for scripts and tests where blocking does not matter. */
export function renderPngSync(svg: string): ChartPng {
  return toChartPng(new Resvg(svg, renderOptions()).render());
}
