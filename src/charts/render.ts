/**
 * SVG → PNG in the bot's own process, with resvg (a Rust SVG renderer; `@resvg/resvg-js` ships it
 * prebuilt for each platform as an npm optional package, so nothing is downloaded or compiled at
 * install time, and there is no browser or system library to install).
 *
 * Rendering runs in one worker thread: drawing and PNG-encoding a 1080×2000 chart takes 100–200 ms
 * of CPU, and on the main thread every other user's command would wait behind it (resvg's own
 * renderAsync still encodes the PNG on the calling thread). One thread also caps charts at one core,
 * leaving the other to the bot; requests queue in order and the cache draws each version once.
 *
 * Fonts: only the Noto Sans files shipped in `@expo-google-fonts/noto-sans` are loaded, never the
 * system's. A fresh server may have no fonts at all — resvg then draws no text, silently — and a
 * machine with fonts would draw other glyphs than the ones metrics.ts measured. Missing font files
 * are an error at the first render, never a picture without words.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { type RenderedImage, Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";
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
 * The worker's code, plain CommonJS evaluated in the thread: it needs no TypeScript loader, so it
 * runs the same under tsx, vitest and the compiled build. resvg is required by its resolved path.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require("node:worker_threads");
const { Resvg } = require(workerData.resvg);
parentPort.on("message", ({ id, svg }) => {
  try {
    const image = new Resvg(svg, workerData.options).render();
    const png = image.asPng();
    parentPort.postMessage({ id, png, width: image.width, height: image.height });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface Job {
  resolve: (png: ChartPng) => void;
  reject: (err: Error) => void;
}

type WorkerAnswer = { id: number; png: Uint8Array; width: number; height: number } | { id: number; error: string };

let worker: Worker | undefined;
const jobs = new Map<number, Job>();
let nextId = 1;

function failAll(err: Error): void {
  for (const job of jobs.values()) job.reject(err);
  jobs.clear();
}

function rendererThread(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_CODE, {
    eval: true,
    workerData: { resvg: require.resolve("@resvg/resvg-js"), options: renderOptions() },
    name: "chart-renderer",
  });
  w.on("message", (m: WorkerAnswer) => {
    const job = jobs.get(m.id);
    if (!job) return;
    jobs.delete(m.id);
    if (jobs.size === 0) w.unref();
    if ("error" in m) job.reject(new Error(`chart render failed: ${m.error}`));
    else
      job.resolve({
        png: Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength),
        width: m.width,
        height: m.height,
      });
  });
  // A crashed thread fails what it held; the next render starts a new one.
  const stop = (err: Error) => {
    if (worker === w) worker = undefined;
    failAll(err);
  };
  w.on("error", (err) => stop(new Error(`chart renderer failed: ${err.message}`)));
  w.on("exit", (code) => stop(new Error(`chart renderer stopped (exit code ${code})`)));
  // Idle, the thread does not keep the process alive.
  w.unref();
  worker = w;
  return w;
}

/**
 * Renders an SVG (from svg.ts) to PNG in the renderer thread; the event loop stays free meanwhile.
 * Rejects on an SVG resvg cannot parse, or if the thread dies (the next call starts a new one).
 */
export function renderPng(svg: string): Promise<ChartPng> {
  const w = rendererThread();
  const id = nextId++;
  return new Promise<ChartPng>((resolve, reject) => {
    jobs.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, svg });
  });
}

/** Renders waiting in the thread's queue, the one being drawn included. */
export function pendingRenders(): number {
  return jobs.size;
}

/** Stops the renderer thread (at shutdown); renders still queued are rejected. A later render starts it again. */
export async function closeRenderer(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (!w) return;
  failAll(new Error("chart renderer closed"));
  await w.terminate();
}

/** The same on the calling thread, blocking it: for scripts and tests. */
export function renderPngSync(svg: string): ChartPng {
  return toChartPng(new Resvg(svg, renderOptions()).render());
}
