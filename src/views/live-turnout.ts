/**
 * /affluenza from the Ministry's live feed: the whole election's progress with its regions, one region
 * or province, one comune (also before its count starts). Totals are the feed's counts summed (voters ÷
 * electors of the comuni that reported a reading, src/data/turnout-totals.ts), with how many comuni they cover;
 * the previous election's figure only where the Ministry states one (a province's, or the pack's
 * turnout.json for the whole election), never averaged.
 */

import { nameKey } from "../data/lookup.js";
import type { Provenance, TurnoutPoint } from "../data/model.js";
import type { Area, KnownComune } from "../data/places.js";
import type { TurnoutReading } from "../data/schema.js";
import type { AreaTurnout, AreaTurnoutPoint } from "../data/turnout-totals.js";
import { type Html, escapeHtml as h, html, joinHtml } from "../format/html.js";
import { formatInteger, formatPercent, formatPointsDelta } from "../format/italian.js";
import { cityTitle } from "./city.js";
import { bar, dayName, provenanceLine, reached, type ViewContext } from "./common.js";

/** "12:00", or the closing reading's name. */
function label(p: Pick<TurnoutPoint, "at" | "final">, v: ViewContext): string {
  return p.final ? v.t.feed.closing : p.at;
}

function previousLine(percent: number | undefined, previous: number | undefined, v: ViewContext): Html | undefined {
  if (previous === undefined) return undefined;
  const delta = percent !== undefined ? formatPointsDelta(percent - previous, v.t.lang) : "—";
  return html`      <i>${h(v.t.turnoutPrevious(formatPercent(previous, v.t.lang), delta))}</i>`;
}

/** A reading's percentage in bold, or "—" in italics when the source gives none. */
function percentOf(p: TurnoutPoint, v: ViewContext): Html {
  return p.percent !== undefined
    ? html`<b>${h(formatPercent(p.percent, v.t.lang))}</b>`
    : html`<i>${h(v.t.noPercent)}</i>`;
}

/** "<code>12:00 ▓▓░░░░░░░░</code>" */
function readingHead(p: TurnoutPoint, v: ViewContext): Html {
  return html`<code>${h(`${label(p, v).padEnd(5)} ${bar(p.percent ?? 0)}`)}</code>`;
}

/** "812 comuni su 849" */
function comuniOf(p: AreaTurnoutPoint, v: ViewContext): string {
  const { reported, total } = p.comuni;
  return v.t.feed.comuniOf(formatInteger(reported, v.t.lang), formatInteger(total, v.t.lang), reported);
}

/** One reading of an area: bar, percentage, how many comuni are in; the previous figure under it. */
function areaReading(p: AreaTurnoutPoint, previous: number | undefined, v: ViewContext): Html[] {
  const final = p.final && p.comuni.reported === p.comuni.total ? ` — ${v.t.turnoutFinal}` : "";
  const lines = [html`${readingHead(p, v)} ${percentOf(p, v)}${h(`${final} · ${comuniOf(p, v)}`)}`];
  const prev = previousLine(p.percent, previous, v);
  if (prev) lines.push(prev);
  return lines;
}

/** Where the totals come from and how final they are: final once every comune reported the closing reading. */
function areaProvenance(area: AreaTurnout, v: ViewContext): Html {
  const last = area.points.at(-1);
  const done = last?.final && last.comuni.reported === last.comuni.total;
  const at = area.points
    .map((p) => p.takenAt)
    .filter((x): x is string => !!x)
    .sort()
    .at(-1);
  const p: Provenance = {
    source: v.live?.source ?? "Ministero dell'Interno",
    urls: [],
    status: done ? "final" : "partial",
    ...(at ? { at } : {}),
  };
  return provenanceLine(p, v);
}

/** The previous election's figure the pack states for the whole election at this reading. */
function statedPrevious(readings: readonly TurnoutReading[], p: AreaTurnoutPoint): number | undefined {
  return readings.find((x) => (p.final ? x.final : x.at === p.at && !x.final) && x.previousPercent !== undefined)
    ?.previousPercent;
}

/**
 * /affluenza with no name, from the feed: the election's readings with the comuni they cover, then each
 * region's latest reading; the runoff's once its day has come. Undefined until the feed has readings.
 */
export function liveTurnoutView(v: ViewContext): Html | undefined {
  const live = v.live;
  const totals = live?.turnout("first");
  if (!live || !totals?.election.points.length) return undefined;
  const { election, turnout } = v.pack;
  const samePack = election.firstRoundDate === live.date;
  const total = totals.election.points[0]?.comuni.total ?? 0;
  const lines: Html[] = [
    v.t.turnoutTitle(election.name),
    h(v.t.turnoutPolls(dayName(live.date, v.t, true), election.pollsOpen, election.pollsClose)),
    html``,
    v.t.feed.followed(formatInteger(total, v.t.lang)),
    v.t.feed.fromCounts,
  ];
  for (const p of totals.election.points)
    lines.push(...areaReading(p, samePack ? statedPrevious(turnout.readings, p) : undefined, v));
  const regions = totals.regions.flatMap((r) => {
    const p = r.points.at(-1);
    if (!p || p.percent === undefined) return [];
    const when = p.final ? v.t.feed.atClose : v.t.feed.atTime(p.at);
    return [v.t.feed.areaLine(r.name, formatPercent(p.percent, v.t.lang), when, comuniOf(p, v))];
  });
  if (regions.length) lines.push(html``, v.t.feed.regionsTitle, ...regions);
  lines.push(areaProvenance(totals.election, v));

  const runoff = live.runoffDate && reached(live.runoffDate, v) ? live.turnout("runoff") : undefined;
  if (live.runoffDate && runoff?.election.points.length) {
    lines.push(html``, v.t.results.turnoutRunoffTitle(dayName(live.runoffDate, v.t, true)));
    for (const p of runoff.election.points)
      lines.push(...areaReading(p, samePack ? statedPrevious(turnout.runoff?.readings ?? [], p) : undefined, v));
    lines.push(areaProvenance(runoff.election, v));
  }
  return joinHtml(lines, "\n");
}

/** /affluenza for a region or a province, from the feed; undefined when the feed has no comune voting there. */
export function liveAreaTurnoutView(area: Area, v: ViewContext): Html | undefined {
  const live = v.live;
  if (!live) return undefined;
  const rounds: ["first" | "runoff", string][] = [["first", live.date]];
  if (live.runoffDate && reached(live.runoffDate, v)) rounds.push(["runoff", live.runoffDate]);
  const lines: Html[] = [v.t.feed.areaTitle(v.t.results.area(area.kind, area.name))];
  let found = false;
  for (const [round, date] of rounds) {
    const totals = live.turnout(round);
    const list = area.kind === "region" ? totals?.regions : totals?.provinces;
    const a = list?.find((x) => nameKey(x.name) === nameKey(area.name));
    if (!a) continue;
    found = true;
    lines.push(
      html``,
      round === "runoff"
        ? v.t.results.turnoutRunoffTitle(dayName(date, v.t, true))
        : h(v.t.firstRoundOf(dayName(date, v.t, true))),
    );
    if (!a.points.length) lines.push(v.t.feed.noReadings(area.name));
    for (const p of a.points) lines.push(...areaReading(p, p.previousPercent, v));
    if (a.points.length) lines.push(v.t.feed.fromCounts, areaProvenance(a, v));
  }
  return found ? joinHtml(lines, "\n") : undefined;
}

/** One comune's readings as the feed publishes them (also before its count), each round once its day has come. */
export function liveComuneTurnoutView(c: KnownComune, v: ViewContext): Html | undefined {
  const live = v.live;
  const readings = live?.readings(c);
  if (!live || !readings) return undefined;
  const lines: Html[] = [cityTitle(c, v)];
  const block = (points: readonly TurnoutPoint[], heading: Html) => {
    lines.push(html``, heading);
    if (!points.length) {
      lines.push(v.t.feed.noReadings(c.name));
      return;
    }
    for (const p of points) {
      const sections =
        p.sections && p.sections.counted < p.sections.total
          ? ` · ${v.t.results.partialSections(formatInteger(p.sections.counted, v.t.lang), formatInteger(p.sections.total, v.t.lang))}`
          : "";
      lines.push(html`${readingHead(p, v)} ${percentOf(p, v)}${h(sections)}`);
      const prev = previousLine(p.percent, p.previousPercent, v);
      if (prev) lines.push(prev);
    }
    const last = points.at(-1)!;
    const done = last.final && (!last.sections || last.sections.counted === last.sections.total);
    const at = points
      .map((p) => p.takenAt)
      .filter((x): x is string => !!x)
      .sort()
      .at(-1);
    lines.push(
      provenanceLine({ source: live.source, urls: [], status: done ? "final" : "partial", ...(at ? { at } : {}) }, v),
    );
  };
  block(readings.first, h(v.t.firstRoundOf(dayName(live.date, v.t, true))));
  if (readings.runoff && live.runoffDate && reached(live.runoffDate, v))
    block(readings.runoff, html`<b>${h(v.t.results.runoffOf(dayName(live.runoffDate, v.t, true)))}</b>`);
  return joinHtml(lines, "\n");
}
