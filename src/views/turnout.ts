/** /affluenza: the national turnout readings of the first round and, once its day has come, of the runoff, with their source. */
import type { TurnoutReading } from "../data/schema.js";
import { type Html, escapeHtml as h, html, joinHtml } from "../format/html.js";
import { formatPercent, formatPointsDelta, formatTime } from "../format/italian.js";
import { bar, dayName, provenanceLine, reached, type ViewContext } from "./common.js";

/**
 * For each survey time, the reading to show, with the earlier ones kept as notes: the final one if there
 * is one, else the latest published (readings without a publication time count as the latest).
 */
export function turnoutTimeline(
  readings: readonly TurnoutReading[],
): { at: string; latest: TurnoutReading; earlier: TurnoutReading[] }[] {
  const byTime = new Map<string, TurnoutReading[]>();
  for (const r of readings) byTime.set(r.at, [...(byTime.get(r.at) ?? []), r]);
  const published = (r: TurnoutReading) => (r.publishedAt ? Date.parse(r.publishedAt) : Infinity);
  return [...byTime.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([at, list]) => {
      const sorted = [...list].sort((a, b) => Number(a.final) - Number(b.final) || published(a) - published(b));
      return { at, latest: sorted[sorted.length - 1]!, earlier: sorted.slice(0, -1) };
    });
}

/** The lines of one round's readings, and the source of its latest figure. */
function readingLines(readings: readonly TurnoutReading[], v: ViewContext): Html[] {
  const tz = v.pack.election.timezone;
  const lines: Html[] = [];
  const pct = (r: TurnoutReading) => `${r.approximate ? `${v.t.approx} ` : ""}${formatPercent(r.percent, v.t.lang)}`;
  const timeline = turnoutTimeline(readings);
  // Coverage is the pack's own sentence: in English its English wording, or nothing.
  const coverageOf = (r: TurnoutReading) => (v.t.lang === "it" ? r.coverage : r.coverageEn);
  // A coverage shared by every reading is said once, above them.
  const coverages = new Set(timeline.map((x) => coverageOf(x.latest)));
  const shared = coverages.size === 1 ? [...coverages][0] : undefined;
  if (shared) lines.push(html`<i>${h(shared)}</i>`);
  for (const { at, latest, earlier } of timeline) {
    lines.push(
      html`<code>${h(`${at} ${bar(latest.percent)}`)}</code> <b>${h(pct(latest))}</b>${latest.final ? h(` — ${v.t.turnoutFinal}`) : ""}`,
    );
    const notes: Html[] = [];
    const coverage = coverageOf(latest);
    if (coverage && !shared) notes.push(h(coverage));
    if (latest.previousPercent !== undefined) {
      notes.push(
        h(
          v.t.turnoutPrevious(
            formatPercent(latest.previousPercent, v.t.lang),
            formatPointsDelta(latest.percent - latest.previousPercent, v.t.lang),
          ),
        ),
      );
    }
    if (latest.firstRoundPercent !== undefined)
      notes.push(h(v.t.results.turnoutFirstRoundSame(formatPercent(latest.firstRoundPercent, v.t.lang))));
    for (const e of earlier) {
      const when = e.publishedAt ? formatTime(new Date(e.publishedAt), tz) : at;
      notes.push(h(v.t.turnoutEarlier(pct(e), coverageOf(e) ?? "?", when)));
    }
    if (notes.length) lines.push(html`      <i>${joinHtml(notes, "; ")}</i>`);
  }
  const last = timeline.at(-1)?.latest.provenance;
  if (last) lines.push(provenanceLine(last, v));
  return lines;
}

export function turnoutView(v: ViewContext): Html {
  const { election, turnout } = v.pack;
  const lines = [
    v.t.turnoutTitle(election.name),
    h(v.t.turnoutPolls(dayName(election.firstRoundDate, v.t, true), election.pollsOpen, election.pollsClose)),
    html``,
  ];
  if (!turnout.readings.length) lines.push(v.t.results.noTurnout);
  else lines.push(...readingLines(turnout.readings, v));
  const runoff = turnout.runoff?.readings ?? [];
  if (runoff.length && reached(election.runoffDate, v)) {
    lines.push(html``, v.t.results.turnoutRunoffTitle(dayName(election.runoffDate, v.t, true)));
    lines.push(...readingLines(runoff, v));
  }
  return joinHtml(lines, "\n");
}
