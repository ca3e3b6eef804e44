/**
 * A minimal TrueType reader for the tests: advance widths per character, read from the font's own
 * tables (head, hhea, hmtx, cmap format 4). It checks that the width table the chart layout uses
 * (src/charts/metrics.ts) matches the font that is actually shipped and rendered.
 */
import { readFileSync } from "node:fs";

/** Advance widths in thousandths of an em for each code point asked, from a TTF file. */
export function advanceWidths(file: string, codePoints: readonly number[]): number[] {
  const buf = readFileSync(file);
  const tables = new Map<string, number>();
  const numTables = buf.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    tables.set(buf.toString("latin1", rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  const table = (tag: string) => {
    const off = tables.get(tag);
    if (off === undefined) throw new Error(`${file}: no ${tag} table`);
    return off;
  };
  const unitsPerEm = buf.readUInt16BE(table("head") + 18);
  const numberOfHMetrics = buf.readUInt16BE(table("hhea") + 34);
  const hmtx = table("hmtx");
  const advanceOf = (glyph: number) => buf.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));

  // cmap: the Unicode BMP subtable in format 4 (platform 3 encoding 1, or platform 0).
  const cmap = table("cmap");
  let sub: number | undefined;
  for (let i = 0; i < buf.readUInt16BE(cmap + 2); i++) {
    const rec = cmap + 4 + i * 8;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const off = cmap + buf.readUInt32BE(rec + 4);
    if (buf.readUInt16BE(off) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) sub = off;
  }
  if (sub === undefined) throw new Error(`${file}: no format-4 cmap`);
  const segX2 = buf.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const ranges = deltas + segX2;
  const glyphOf = (cp: number): number => {
    for (let s = 0; s < segX2; s += 2) {
      if (cp > buf.readUInt16BE(ends + s)) continue;
      const start = buf.readUInt16BE(starts + s);
      if (cp < start) return 0;
      const delta = buf.readInt16BE(deltas + s);
      const rangeOffset = buf.readUInt16BE(ranges + s);
      if (rangeOffset === 0) return (cp + delta) & 0xffff;
      const g = buf.readUInt16BE(ranges + s + rangeOffset + 2 * (cp - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  return codePoints.map((cp) => {
    const glyph = glyphOf(cp);
    return glyph === 0 ? -1 : Math.round((advanceOf(glyph) * 1000) / unitsPerEm);
  });
}
