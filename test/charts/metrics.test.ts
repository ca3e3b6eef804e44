import { describe, expect, it } from "vitest";
import {
  BOLD_EXTRA,
  BOLD_LATIN,
  LATIN_FIRST,
  REGULAR_EXTRA,
  REGULAR_LATIN,
  textWidth,
} from "../../src/charts/metrics.js";
import { CHART_FONT_FILES } from "../../src/charts/render.js";
import { advanceWidths } from "./ttf.js";

const [regularFile, boldFile] = CHART_FONT_FILES as [string, string];

describe("font metrics", () => {
  it("match the shipped Noto Sans files, glyph by glyph", () => {
    const latin = REGULAR_LATIN.map((_, i) => LATIN_FIRST + i);
    expect(advanceWidths(regularFile, latin)).toEqual(REGULAR_LATIN);
    expect(advanceWidths(boldFile, latin)).toEqual(BOLD_LATIN);
    const extra = Object.keys(REGULAR_EXTRA).map(Number);
    expect(advanceWidths(regularFile, extra)).toEqual(extra.map((c) => REGULAR_EXTRA[c]));
    expect(advanceWidths(boldFile, extra)).toEqual(extra.map((c) => BOLD_EXTRA[c]));
  });

  it("cover the letters of Italian, German, Slovene and French place names", () => {
    for (const ch of "àèéìòùÀÈÉÌÒÙäöüßÄÖÜčšžČŠŽçâêîôûëïÿœ'’·") {
      const i = ch.codePointAt(0)! - LATIN_FIRST;
      const w = REGULAR_LATIN[i] ?? REGULAR_EXTRA[ch.codePointAt(0)!];
      expect(w, ch).toBeGreaterThan(0);
    }
  });

  it("measure bold wider than regular and scale with the size", () => {
    expect(textWidth("Genova", 40, true)).toBeGreaterThan(textWidth("Genova", 40));
    expect(textWidth("Genova", 80)).toBeCloseTo(2 * textWidth("Genova", 40), 10);
    // Characters the font lacks count as wide, never as nothing.
    expect(textWidth("北京", 40)).toBe(80);
  });
});
