/** What every view needs (the pack, the interface language, the clock) and the small pieces they share. */

import type { Provenance, Sections } from "../data/model.js";
import type { DataPack } from "../data/pack.js";
import type { LiveView } from "../data/results-source.js";
import type { Html } from "../format/html.js";
import { dateFormatter, dayKey, formatInteger, formatStamp } from "../format/italian.js";
import type { Messages } from "../i18n/index.js";

export interface ViewContext {
  pack: DataPack;
  t: Messages;
  now: Date;
  /** The Ministry's live feed, when it runs: turnout from counts, a comune's readings before its count. */
  live?: LiveView;
}

/**
 * A bulletin (or a draft) with its comuni, kept by code, named as readers tell them apart: "Castro
 * (BG)" where another comune has the same name, the plain name otherwise.
 */
export function withComuneNames<T extends { comuni: readonly string[] }>(
  b: T,
  pack: Pick<DataPack, "byKey">,
): T & { comuni: string[] } {
  return { ...b, comuni: b.comuni.map((code) => pack.byKey(code)?.label ?? code) };
}

/** A ten-cell bar for a percentage: ▓▓▓▓░░░░░░. */
export function bar(percent: number, cells = 10): string {
  const full = Math.max(0, Math.min(cells, Math.round((percent / 100) * cells)));
  return "▓".repeat(full) + "░".repeat(cells - full);
}

/**
 * "domenica 25 giugno" for the interface language ("Sunday 25 June"); with the year "domenica 11
 * giugno 2017", "Sunday 11 June 2017". The weekday is written apart: British English would put a
 * comma after it once the year is there ("Sunday, 11 June 2017").
 */
export function dayName(isoDay: string, t: Messages, withYear = false): string {
  const date = new Date(`${isoDay}T12:00:00Z`);
  const weekday = dateFormatter(t.locale, { timeZone: "UTC", weekday: "long" }).format(date);
  const day = dateFormatter(t.locale, {
    timeZone: "UTC",
    day: "numeric",
    month: "long",
    ...(withYear ? { year: "numeric" } : {}),
  }).format(date);
  return `${weekday} ${day}`;
}

/** Whether the view's clock has reached this day in the election's time zone (a round's day counts). */
export function reached(isoDay: string, v: ViewContext): boolean {
  return dayKey(v.now, v.pack.election.timezone) >= isoDay;
}

/** Sources longer than this are shortened on a card: the first publishers, then "e altre N". */
const SOURCE_MAX = 60;

/** Splits "a, b (c, d), e" at the commas outside brackets. */
function listParts(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (ch === "," && depth === 0) {
      parts.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(s.slice(start).trim());
  return parts.filter(Boolean);
}

/** A source short enough for one line: "corriereal.info, ilpiccolo.net e altre 4". */
export function shortSource(source: string, t: Messages): string {
  if (source.length <= SOURCE_MAX) return source;
  const parts = listParts(source);
  const kept: string[] = [];
  for (const p of parts) {
    if (kept.length && [...kept, p].join(", ").length > SOURCE_MAX - 14) break;
    kept.push(p);
  }
  const rest = parts.length - kept.length;
  return rest ? `${kept.join(", ")} ${t.results.andOthers(rest)}` : kept.join(", ");
}

/**
 * Where figures come from and how final they are, in one short line:
 * "Fonte: Ministero dell'Interno · dati parziali: 40 sezioni su 90 · aggiornati alle 23:30".
 */
export function provenanceLine(p: Provenance, v: ViewContext, sections?: Sections): Html {
  const r = v.t.results;
  let status = r.final;
  if (p.status === "partial")
    status = sections
      ? r.partialSections(formatInteger(sections.counted, v.t.lang), formatInteger(sections.total, v.t.lang))
      : r.partial;
  if (p.at) status += ` · ${r.updatedAt(formatStamp(new Date(p.at), v.now, v.pack.election.timezone))}`;
  return r.source(shortSource(p.source, v.t), status);
}
