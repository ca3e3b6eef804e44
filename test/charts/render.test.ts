import pngjs from "pngjs";
import { describe, expect, it } from "vitest";
import { textWidth } from "../../src/charts/metrics.js";
import { CHART_FONT_FILES, closeRenderer, pendingRenders, renderPng, renderPngSync } from "../../src/charts/render.js";
import { BAR_HEIGHT, CHART_WIDTH, sharesChartSvg, turnoutChartSvg } from "../../src/charts/svg.js";
import { ANDRIA_2025_TURNOUT, PARMA_2017, VICENZA_2018 } from "./fixtures.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which must come first. */
function ihdr(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(png.toString("latin1", 12, 16)).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

interface Pixels {
  width: number;
  height: number;
  /** Share of pixels that are not the white background. */
  inked: number;
  /** Pixels close to an RGB colour. */
  count(rgb: string, tolerance?: number): number;
  /** Columns holding any dark pixel (text), first and last. */
  darkColumns(): [number, number] | undefined;
}

/** Decodes the PNG with pngjs (an independent decoder) and summarises its pixels. */
function decode(png: Buffer): Pixels {
  const img = pngjs.PNG.sync.read(png);
  const { width, height, data } = img;
  const n = width * height;
  let inked = 0;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (data[o]! < 245 || data[o + 1]! < 245 || data[o + 2]! < 245) inked++;
  }
  return {
    width,
    height,
    inked: inked / n,
    count(rgb, tolerance = 12) {
      const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(rgb.slice(i, i + 2), 16));
      let c = 0;
      for (let i = 0; i < n; i++) {
        const o = i * 4;
        if (
          Math.abs(data[o]! - r!) <= tolerance &&
          Math.abs(data[o + 1]! - g!) <= tolerance &&
          Math.abs(data[o + 2]! - b!) <= tolerance
        )
          c++;
      }
      return c;
    },
    darkColumns() {
      let first = -1;
      let last = -1;
      for (let x = 0; x < width; x++)
        for (let y = 0; y < height; y++) {
          const o = (y * width + x) * 4;
          if (data[o]! < 128 && data[o + 1]! < 128 && data[o + 2]! < 128) {
            if (first < 0) first = x;
            last = x;
            break;
          }
        }
      return first < 0 ? undefined : [first, last];
    },
  };
}

const svgHeight = (svg: string) => Number(/height="(\d+)"/.exec(svg)![1]);

describe("renderPng", () => {
  it("renders the shares chart: a PNG of the SVG's size with bars and text drawn", async () => {
    const svg = sharesChartSvg({ comune: "Parma", kind: "first", round: PARMA_2017 });
    const { png, width, height } = await renderPng(svg);
    expect(ihdr(png)).toEqual({ width: CHART_WIDTH, height: svgHeight(svg) });
    expect({ width, height }).toEqual(ihdr(png));
    const px = decode(png);
    expect(px.width).toBe(CHART_WIDTH);
    // Not blank: tracks, bars and type cover a fair share of the picture, but it is not a solid fill.
    expect(px.inked).toBeGreaterThan(0.1);
    expect(px.inked).toBeLessThan(0.6);
    // The ten bars in the bar colour: together 100% of a 968 px track, BAR_HEIGHT tall (minus rounded corners).
    const barPixels = px.count("#1d4ed8", 4);
    const expected = (968 * BAR_HEIGHT * PARMA_2017.candidates.reduce((s, c) => s + c.percent!, 0)) / 100;
    expect(barPixels).toBeGreaterThan(expected * 0.9);
    expect(barPixels).toBeLessThan(expected * 1.1);
    // Dark text: the names, shares and title.
    expect(px.count("#111827", 16)).toBeGreaterThan(5000);
  });

  it("renders the turnout curve", async () => {
    const svg = turnoutChartSvg({ area: "Andria", points: ANDRIA_2025_TURNOUT, previousLabel: "2020" });
    const { png } = await renderPng(svg);
    expect(ihdr(png)).toEqual({ width: CHART_WIDTH, height: svgHeight(svg) });
    const px = decode(png);
    expect(px.inked).toBeGreaterThan(0.05);
    // The current curve's line and dots.
    expect(px.count("#1d4ed8", 4)).toBeGreaterThan(3000);
  });

  it("draws text with the shipped font, as wide as the layout measured it", () => {
    const word = "Vicenza";
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="160"><rect width="1080" height="160" fill="#fff"/><text x="20" y="120" font-family="Noto Sans" font-size="100" font-weight="700" fill="#000">${word}</text></svg>`;
    const px = decode(renderPngSync(svg).png);
    const cols = px.darkColumns();
    expect(cols).toBeDefined();
    const ink = cols![1] - cols![0] + 1;
    // Ink is the advance width less the side bearings of the first and last letters (a few px each).
    const advance = textWidth(word, 100, true);
    expect(ink).toBeLessThanOrEqual(advance);
    expect(ink).toBeGreaterThan(advance - 20);
    expect(CHART_FONT_FILES.every((f) => f.endsWith(".ttf"))).toBe(true);
  });

  it("renders the same picture on the thread pool and on the calling thread", async () => {
    const svg = sharesChartSvg({ comune: "Vicenza", kind: "first", round: VICENZA_2018, lang: "en" });
    const a = await renderPng(svg);
    const b = renderPngSync(svg);
    expect(a.png.equals(b.png)).toBe(true);
  });

  it("rejects an SVG it cannot parse instead of sending an empty picture, and goes on rendering", async () => {
    await expect(renderPng("<svg")).rejects.toThrow(/chart render failed/);
    expect(() => renderPngSync("not svg")).toThrow();
    const ok = await renderPng(turnoutChartSvg({ area: "Andria", points: ANDRIA_2025_TURNOUT }));
    expect(ihdr(ok.png).width).toBe(CHART_WIDTH);
  });

  it("answers concurrent renders each with its own picture", async () => {
    const svgs = [3, 4, 5, 6].map((n) =>
      sharesChartSvg({ comune: "Parma", kind: "first", round: PARMA_2017, maxBars: n }),
    );
    const pending = svgs.map((svg) => renderPng(svg));
    expect(pendingRenders()).toBe(4);
    const pngs = await Promise.all(pending);
    expect(pngs.map((p) => ihdr(p.png).height)).toEqual(svgs.map(svgHeight));
    expect(pendingRenders()).toBe(0);
  });

  it("fails the renders in flight when closed, and starts again on the next one", async () => {
    const inFlight = renderPng(sharesChartSvg({ comune: "Parma", kind: "first", round: PARMA_2017 }));
    const failed = expect(inFlight).rejects.toThrow(/closed/);
    await closeRenderer();
    await failed;
    const again = await renderPng(turnoutChartSvg({ area: "Andria", points: ANDRIA_2025_TURNOUT }));
    expect(ihdr(again.png).width).toBe(CHART_WIDTH);
    await closeRenderer();
  });
});
