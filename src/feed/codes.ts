/**
 * The Ministry's codes and paths. A comune is `RRPPPCCCC` (region 2, Ministry province 3, comune 4 digits);
 * the Ministry's province codes are not ISTAT's, so nothing here is joined by number with ISTAT tables.
 * Every code in a path is zero-padded: an unpadded one gets "Errore di sintassi".
 */

/** Comunali in the Ministry's election types (07 regionali, 01 europee, 09 referendum). */
export const COMUNALI = "08";

/** A comune's code split into the parts the paths use. */
export interface EligendoCode {
  /** The 9-digit code RRPPPCCCC. */
  code: string;
  region: string;
  province: string;
  comune: string;
}

/**
 * Normalizes a code as the feed or a table may write it: 9 digits, 10 digits (an area digit first, as in
 * the Ministry's code table), or a number that lost its leading zeros. Undefined when it cannot be one.
 */
export function normalizeCode(raw: string | number): string | undefined {
  const s = typeof raw === "number" ? (Number.isSafeInteger(raw) && raw >= 0 ? String(raw) : "") : raw.trim();
  if (!/^\d{1,10}$/.test(s)) return undefined;
  if (s.length === 10) return s.slice(1);
  return s.padStart(9, "0");
}

/** Splits a 9-digit code. */
export function splitCode(code: string): EligendoCode {
  if (!/^\d{9}$/.test(code)) throw new RangeError(`not a 9-digit Ministry code: ${code}`);
  return { code, region: code.slice(0, 2), province: code.slice(2, 5), comune: code.slice(5) };
}

/** Zero-pads a code part to its width (region 2, province 3, comune 4). */
export function pad(n: string | number, width: 2 | 3 | 4): string {
  const s = String(n);
  if (!/^\d+$/.test(s) || s.length > width) throw new RangeError(`cannot pad ${s} to ${width} digits`);
  return s.padStart(width, "0");
}

/** "2026-05-24" → "20260524", the `DE` segment. */
export function dateSegment(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new RangeError(`not an ISO date: ${isoDate}`);
  return isoDate.replaceAll("-", "");
}

/** Paths below the API root, as the Ministry's results site itself calls them. */
export const paths = {
  /** The places voting: regions, provinces and comuni. */
  enti: (date: string) => `/getentiG/DE/${dateSegment(date)}/TE/${COMUNALI}`,
  /** Turnout of a province and all its comuni. */
  turnout: (date: string, province: string | number) =>
    `/votanti/DE/${dateSegment(date)}/TE/${COMUNALI}/PR/${pad(province, 3)}`,
  /** Results of one comune (no region segment). */
  results: (date: string, province: string | number, comune: string | number) =>
    `/scrutiniG/DE/${dateSegment(date)}/TE/${COMUNALI}/PR/${pad(province, 3)}/CM/${pad(comune, 4)}`,
};
