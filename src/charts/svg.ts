/**
 * Charts as SVG strings, built by pure functions from the results model: a comune's candidates'
 * shares with the count's progress, and the turnout curve against the previous election.
 *
 * Made to be read on a phone: 1080 px wide (a phone shows it at screen width, about a third of
 * that in points), large type, dark text on white, at most ten rows. Every figure printed comes from
 * the model; a figure the source lacks is shown as "—" (or left out), never estimated. Text is
 * measured with the shipped font's widths (metrics.ts) so long names are shortened, not clipped.
 * The SVG names one font family, "Noto Sans", which render.ts loads from the npm package.
 */
import type { CandidateResult, Provenance, RoundResult, TurnoutPoint } from "../data/model.js";
import { type RoundStanding, type StandingWords, standingWords } from "../data/standing.js";
import { stripControl } from "../format/html.js";
import {
  dateFormatter,
  dayKey,
  formatInteger,
  formatPercent,
  formatPointsDelta,
  formatTime,
} from "../format/italian.js";
import { type Lang, messages } from "../i18n/index.js";
import { CHART_LABELS, type ChartLabels } from "./labels.js";
import { textWidth } from "./metrics.js";

/** Width of every chart, in pixels. */
export const CHART_WIDTH = 1080;
/** The font family the SVG asks for; render.ts must load it. */
export const CHART_FONT_FAMILY = "Noto Sans";
/** Bars shown at most; beyond it the smallest are summed in one "altri" row. */
export const MAX_BARS = 10;

/** Height of a candidate's bar, in pixels. */
export const BAR_HEIGHT = 30;

const MARGIN = 56;
const INNER = CHART_WIDTH - 2 * MARGIN;

/** Colours: contrast of text on white is at least 7:1 (secondary) and 4.5:1 (tags). */
const C = {
  background: "#ffffff",
  text: "#111827",
  secondary: "#374151",
  muted: "#4b5563",
  bar: "#1d4ed8",
  others: "#6b7280",
  track: "#e5e7eb",
  grid: "#d1d5db",
  elected: "#047857",
  void: "#b91c1c",
  runoff: "#b45309",
  previous: "#6b7280",
} as const;

/** Options shared by both charts. */
export interface ChartOptions {
  /** Interface language of the labels (figures stay Italian). Default "it". */
  lang?: Lang;
  /** Labels to use instead of the language's own (e.g. a newsroom's wording). */
  labels?: ChartLabels;
  /** Time zone of the times printed. Default "Europe/Rome". */
  timeZone?: string;
}

/** The shares chart of one round in one comune. */
export interface SharesChartInput extends ChartOptions {
  /** The comune's name, the chart's title. */
  comune: string;
  /** Which round `round` is: the subtitle says so, with the date. */
  kind: "first" | "runoff";
  round: RoundResult;
  /** Bars at most (default MAX_BARS, at least 2): the rest are summed in one row. */
  maxBars?: number;
  /**
   * What the round decided, where it must be said before the figures (data/standing.ts): a round
   * that elected nobody is said first; a sole candidate is drawn with the votes and the turnout
   * against the quorum, without a share.
   */
  standing?: RoundStanding;
}

/** The turnout curve of the whole election or of an area (a comune, a province...). */
export interface TurnoutChartInput extends ChartOptions {
  /** What the readings cover: "Genova", "tutti i comuni al voto". */
  area: string;
  /** A line under the title, e.g. the election's name and date. */
  subtitle?: string;
  points: readonly TurnoutPoint[];
  /** Legend of the current curve (default "questa elezione"), e.g. "2017". */
  currentLabel?: string;
  /** Legend of the previous election's curve (default "elezione precedente"), e.g. "2012". */
  previousLabel?: string;
  /** Who published the readings and when: printed at the foot. */
  provenance?: Pick<Provenance, "source" | "at">;
}

// ---------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------

/** Input text made printable: no control or bidi characters, one line. */
function clean(text: string): string {
  return stripControl(text).replace(/\s+/g, " ").trim();
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Shortens `text` with "…" until it fits `max` pixels at `size` (whole characters, never half a pair). */
export function fitText(text: string, max: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= max) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(`${chars.join("").trimEnd()}…`, size, bold) > max) chars.pop();
  return `${chars.join("").trimEnd()}…`;
}

/** The largest of `sizes` at which `text` fits, or the smallest. */
function sizeToFit(text: string, max: number, sizes: readonly number[], bold: boolean): number {
  for (const s of sizes) if (textWidth(text, s, bold) <= max) return s;
  return sizes[sizes.length - 1]!;
}

interface TextOpts {
  size: number;
  bold?: boolean;
  fill?: string;
  anchor?: "start" | "middle" | "end";
}

/** A <text> element; `content` is plain text, escaped here. */
function text(x: number, y: number, content: string, o: TextOpts): string {
  const attrs = [
    `x="${r(x)}"`,
    `y="${r(y)}"`,
    `font-size="${o.size}"`,
    o.bold ? `font-weight="700"` : "",
    `fill="${o.fill ?? C.text}"`,
    o.anchor && o.anchor !== "start" ? `text-anchor="${o.anchor}"` : "",
  ].filter(Boolean);
  return `<text ${attrs.join(" ")}>${escapeXml(content)}</text>`;
}

/** Coordinates rounded to 0.1 px: shorter SVG, same picture. */
function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function rect(x: number, y: number, w: number, h: number, fill: string, radius = 0): string {
  return `<rect x="${r(x)}" y="${r(y)}" width="${r(Math.max(0, w))}" height="${r(h)}"${radius ? ` rx="${radius}"` : ""} fill="${fill}"/>`;
}

function svgDocument(height: number, body: string[]): string {
  const h = Math.ceil(height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${h}" viewBox="0 0 ${CHART_WIDTH} ${h}" font-family="${CHART_FONT_FAMILY}">`,
    rect(0, 0, CHART_WIDTH, h, C.background),
    ...body,
    "</svg>",
  ].join("\n");
}

function labelsOf(o: ChartOptions): ChartLabels {
  return o.labels ?? CHART_LABELS[o.lang ?? "it"];
}

/** "domenica 11 giugno 2017" from "2017-06-11", in the labels' locale. */
function longDate(isoDay: string, l: ChartLabels): string {
  return dateFormatter(l.locale, {
    timeZone: "UTC",
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(new Date(`${isoDay}T12:00:00Z`));
}

/**
 * "Fonte: Ministero dell'Interno · aggiornamento 11/06/2017 23:15": the update time in the chart's
 * time zone, with the date (a picture is forwarded and looked at days later).
 */
export function sourceLine(p: Pick<Provenance, "source" | "at">, l: ChartLabels, timeZone: string): string {
  const parts = [l.source(clean(p.source))];
  if (p.at) {
    const at = new Date(p.at);
    const [y, m, d] = dayKey(at, timeZone).split("-");
    parts.push(l.updated(`${d}/${m}/${y}`, formatTime(at, timeZone)));
  }
  return parts.join(" · ");
}

/** The foot: the source line, shortened to the width if a source's name is very long. */
function footer(y: number, line: string): string {
  return text(MARGIN, y, fitText(line, INNER, 28), { size: 28, fill: C.muted });
}

// ---------------------------------------------------------------------------
// Shares
// ---------------------------------------------------------------------------

/** One bar of the shares chart: a candidate, or the sum of the smallest. */
export interface ShareRow {
  name: string;
  coalition?: string;
  /** Percentage of the valid votes; undefined where the source gives neither it nor every candidate's votes. */
  share?: number;
  votes?: number;
  tag?: "elected" | "runoff";
  others?: true;
}

/**
 * The rows of the shares chart, largest first. A share is the source's percentage; where the source
 * gives only votes, and gives them for every candidate, it is the votes over their sum (how the
 * Ministry computes it: mayoral shares are of the votes for the candidates). Beyond `maxBars` the
 * smallest are summed in one row, with a share or votes only where all of them have it.
 */
export function shareRows(round: RoundResult, maxBars = MAX_BARS): ShareRow[] {
  const limit = Math.max(2, Math.floor(maxBars));
  const allVotes = round.candidates.every((c) => c.votes !== undefined);
  const totalVotes = allVotes ? round.candidates.reduce((s, c) => s + (c.votes ?? 0), 0) : 0;
  const runoffPair = round.outcome?.kind === "runoff" ? round.outcome.candidates : undefined;
  const electedName = round.outcome?.kind === "elected" ? round.outcome.candidate : undefined;
  const tagOf = (c: CandidateResult): ShareRow["tag"] => {
    if (c.elected || c.name === electedName) return "elected";
    if (runoffPair?.includes(c.name)) return "runoff";
    return undefined;
  };
  const rows: ShareRow[] = round.candidates.map((c) => ({
    name: c.name,
    coalition: c.coalition,
    share: c.percent ?? (allVotes && totalVotes > 0 ? ((c.votes ?? 0) / totalVotes) * 100 : undefined),
    votes: c.votes,
    tag: tagOf(c),
  }));
  // Largest first; rows without figures keep the source's order at the end (sort is stable).
  const key = (row: ShareRow) => row.share ?? (row.votes !== undefined ? -1 + row.votes / 1e12 : -2);
  rows.sort((a, b) => key(b) - key(a) || (b.votes ?? -1) - (a.votes ?? -1));
  if (rows.length <= limit) return rows;
  const shown = rows.slice(0, limit - 1);
  const rest = rows.slice(limit - 1);
  const sum = (f: (row: ShareRow) => number | undefined) =>
    rest.every((row) => f(row) !== undefined) ? rest.reduce((s, row) => s + f(row)!, 0) : undefined;
  shown.push({ name: String(rest.length), share: sum((x) => x.share), votes: sum((x) => x.votes), others: true });
  return shown;
}

/** The progress line: "Sezioni scrutinate 412 su 655", "Dati definitivi" or "Dati parziali". */
export function progressLine(round: RoundResult, l: ChartLabels): string {
  if (round.provenance.status === "final") return l.finalResults;
  if (round.sections)
    return l.sectionsCounted(
      formatInteger(round.sections.counted, l.lang),
      formatInteger(round.sections.total, l.lang),
    );
  return l.partialResults;
}

/** The candidates' shares as horizontal bars (0–100%), with the count's progress, source and time. */
export function sharesChartSvg(input: SharesChartInput): string {
  const l = labelsOf(input);
  const tz = input.timeZone ?? "Europe/Rome";
  const { round } = input;
  const out: string[] = [];

  let y = MARGIN;
  const title = clean(input.comune);
  const titleSize = sizeToFit(title, INNER, [64, 56, 48], true);
  y += titleSize;
  out.push(text(MARGIN, y, fitText(title, INNER, titleSize, true), { size: titleSize, bold: true }));
  y += 50;
  const subtitle = `${input.kind === "first" ? l.firstRound : l.runoff} · ${longDate(round.date, l)}`;
  out.push(text(MARGIN, y, fitText(subtitle, INNER, 34), { size: 34, fill: C.secondary }));

  // Progress of the count: words, and a bar where the sections are known.
  y += 66;
  out.push(text(MARGIN, y, progressLine(round, l), { size: 36, bold: true }));
  if (round.sections) {
    const { counted, total } = round.sections;
    const share = counted / total;
    out.push(
      text(CHART_WIDTH - MARGIN, y, formatPercent(Math.round(share * 1000) / 10, l.lang), {
        size: 36,
        bold: true,
        anchor: "end",
      }),
    );
    y += 18;
    out.push(rect(MARGIN, y, INNER, 16, C.track, 8), rect(MARGIN, y, INNER * share, 16, C.secondary, 8));
    y += 16;
  }
  y += 36;
  out.push(
    `<line x1="${MARGIN}" y1="${y}" x2="${CHART_WIDTH - MARGIN}" y2="${y}" stroke="${C.grid}" stroke-width="2"/>`,
  );
  y += 20;

  // The standing's words and figures in the chart's language, as every figure here.
  const lang = input.lang ?? "it";
  const words = input.standing && standingWords(input.standing, messages(lang).results, lang);
  if (words?.head) {
    // Nobody elected: said before any figure of the round.
    y += 48;
    out.push(text(MARGIN, y, fitText(words.head, INNER, 40, true), { size: 40, bold: true, fill: C.void }));
    y += 30;
  }
  if (input.standing?.sole && words?.figures) {
    y = soleCandidate(out, input.standing, words, l, y);
  } else y = shareBars(out, round, input.maxBars, l, y);

  y += 30;
  out.push(
    `<line x1="${MARGIN}" y1="${y}" x2="${CHART_WIDTH - MARGIN}" y2="${y}" stroke="${C.grid}" stroke-width="2"/>`,
  );
  y += 44;
  out.push(footer(y, sourceLine(round.provenance, l, tz)));
  return svgDocument(y + MARGIN - 10, out);
}

/**
 * A round's only candidate: the name and the votes, no share and no bar (a share of one is no share
 * of a contest); then each figure the quorum was measured on, with a gauge marking the minimum.
 * Returns the y below.
 */
function soleCandidate(out: string[], s: RoundStanding, w: StandingWords, l: ChartLabels, top: number): number {
  const sole = s.sole!;
  let y = top + 44;
  const votes = sole.candidate.votes !== undefined ? l.votes(sole.candidate.votes) : "";
  const votesWidth = votes ? textWidth(votes, 44, true) + 32 : 0;
  out.push(
    text(MARGIN, y, fitText(clean(sole.candidate.name), INNER - votesWidth, 40, true), { size: 40, bold: true }),
  );
  if (votes) out.push(text(CHART_WIDTH - MARGIN, y, votes, { size: 44, bold: true, anchor: "end" }));
  y += 46;
  const detail = [w.only, sole.candidate.coalition ? clean(sole.candidate.coalition) : ""].filter(Boolean).join(" · ");
  out.push(text(MARGIN, y, fitText(detail, INNER, 30), { size: 30, fill: C.secondary }));
  const gauges = [sole.turnout, sole.electors].filter((g) => g !== undefined);
  w.quorum.forEach((line, i) => {
    const g = gauges[i];
    y += 64;
    const missed = g?.met === false;
    out.push(
      text(MARGIN, y, fitText(capitalise(line), INNER, 34, true), {
        size: 34,
        bold: true,
        fill: missed ? C.void : C.text,
      }),
    );
    if (!g) return;
    y += 18;
    out.push(
      rect(MARGIN, y, INNER, BAR_HEIGHT, C.track, 4),
      rect(MARGIN, y, Math.max(4, (INNER * Math.min(100, g.percent)) / 100), BAR_HEIGHT, C.secondary, 4),
    );
    if (g.min !== undefined) {
      const x = MARGIN + (INNER * g.min) / 100;
      out.push(
        `<line x1="${r(x)}" y1="${r(y - 8)}" x2="${r(x)}" y2="${r(y + BAR_HEIGHT + 8)}" stroke="${C.text}" stroke-width="4"/>`,
      );
    }
    y += BAR_HEIGHT;
  });
  return y + 28;
}

const capitalise = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** The candidates' bars, largest first; returns the y below. */
function shareBars(
  out: string[],
  round: RoundResult,
  maxBars: number | undefined,
  l: ChartLabels,
  top: number,
): number {
  let y = top;
  const rows = shareRows(round, maxBars);
  if (rows.every((row) => row.share === undefined && row.votes === undefined)) {
    out.push(text(MARGIN, y + 40, l.noFigures, { size: 34, fill: C.secondary }));
    y += 60;
  }
  for (const row of rows) {
    y += 44;
    const pct = row.share !== undefined ? formatPercent(Math.round(row.share * 100) / 100, l.lang) : "—";
    const pctWidth = textWidth(pct, 44, true);
    const name = row.others ? l.others(Number(row.name)) : clean(row.name);
    out.push(
      text(MARGIN, y, fitText(name, INNER - pctWidth - 32, 40, true), {
        size: 40,
        bold: true,
        fill: row.others ? C.secondary : C.text,
      }),
      text(CHART_WIDTH - MARGIN, y, pct, {
        size: 44,
        bold: true,
        anchor: "end",
        fill: row.others ? C.secondary : C.text,
      }),
    );
    y += 12;
    out.push(rect(MARGIN, y, INNER, BAR_HEIGHT, C.track, 4));
    if (row.share !== undefined && row.share > 0)
      out.push(
        rect(
          MARGIN,
          y,
          Math.max(4, (INNER * Math.min(100, row.share)) / 100),
          BAR_HEIGHT,
          row.others ? C.others : C.bar,
          4,
        ),
      );
    y += BAR_HEIGHT + 34;
    const votes = row.votes !== undefined ? l.votes(row.votes) : "";
    const votesWidth = votes ? textWidth(votes, 30) + 24 : 0;
    if (votes) out.push(text(CHART_WIDTH - MARGIN, y, votes, { size: 30, fill: C.secondary, anchor: "end" }));
    out.push(detailLine(row, l, INNER - votesWidth, y));
    y += 28;
  }
  return y;
}

/** Under a bar: the tag (elected, to the runoff) in colour, then the coalition, within `max` pixels. */
function detailLine(row: ShareRow, l: ChartLabels, max: number, y: number): string {
  const size = 30;
  const spans: string[] = [];
  let room = max;
  if (row.tag) {
    const tag = row.tag === "elected" ? l.elected : l.toRunoff;
    spans.push(
      `<tspan font-weight="700" fill="${row.tag === "elected" ? C.elected : C.runoff}">${escapeXml(tag)}</tspan>`,
    );
    room -= textWidth(tag, size, true);
  }
  if (row.coalition) {
    const sep = row.tag ? " · " : "";
    const coalition = fitText(clean(row.coalition), room - textWidth(sep, size), size);
    if (coalition !== "…") spans.push(`<tspan>${escapeXml(sep + coalition)}</tspan>`);
  }
  if (spans.length === 0) return "";
  return `<text x="${MARGIN}" y="${y}" font-size="${size}" fill="${C.secondary}">${spans.join("")}</text>`;
}

// ---------------------------------------------------------------------------
// Turnout
// ---------------------------------------------------------------------------

/**
 * The readings in the order of the day: survey times in order, the reading at the close last
 * (it may come the next day, e.g. Monday 15:00). One reading per time: the last one given.
 */
export function turnoutSeries(points: readonly TurnoutPoint[]): TurnoutPoint[] {
  const byKey = new Map<string, TurnoutPoint>();
  for (const p of points) {
    if (p.percent === undefined && p.previousPercent === undefined) continue;
    const k = `${p.final ? 1 : 0}|${p.at}`;
    byKey.delete(k);
    byKey.set(k, p);
  }
  return [...byKey.values()].sort((a, b) => Number(a.final) - Number(b.final) || a.at.localeCompare(b.at));
}

/** The turnout curve at each survey time against the previous election's, with the difference in points. */
export function turnoutChartSvg(input: TurnoutChartInput): string {
  const l = labelsOf(input);
  const tz = input.timeZone ?? "Europe/Rome";
  const series = turnoutSeries(input.points);
  const out: string[] = [];

  let y = MARGIN;
  const title = l.turnoutTitle(clean(input.area));
  const titleSize = sizeToFit(title, INNER, [64, 56, 48], true);
  y += titleSize;
  out.push(text(MARGIN, y, fitText(title, INNER, titleSize, true), { size: titleSize, bold: true }));
  if (input.subtitle) {
    y += 50;
    out.push(text(MARGIN, y, fitText(clean(input.subtitle), INNER, 34), { size: 34, fill: C.secondary }));
  }

  // Legend: a solid line for this election, a dashed one for the previous.
  y += 70;
  const current = clean(input.currentLabel ?? l.thisElection);
  const previous = clean(input.previousLabel ?? l.previousElection);
  const hasPrevious = series.some((p) => p.previousPercent !== undefined);
  out.push(
    `<line x1="${MARGIN}" y1="${y - 12}" x2="${MARGIN + 60}" y2="${y - 12}" stroke="${C.bar}" stroke-width="8" stroke-linecap="round"/>`,
    text(MARGIN + 76, y, fitText(current, INNER / 2 - 100, 34, true), { size: 34, bold: true }),
  );
  if (hasPrevious) {
    const x = MARGIN + INNER / 2;
    out.push(
      `<line x1="${x}" y1="${y - 12}" x2="${x + 60}" y2="${y - 12}" stroke="${C.previous}" stroke-width="6" stroke-dasharray="14 10"/>`,
      text(x + 76, y, fitText(previous, INNER / 2 - 76, 34), { size: 34, fill: C.secondary }),
    );
  }

  if (series.length === 0) {
    y += 90;
    out.push(text(MARGIN, y, l.noTurnout, { size: 36, fill: C.secondary }));
  } else {
    y += 40;
    y = plotTurnout(out, series, y, l);
  }

  y += 30;
  out.push(
    `<line x1="${MARGIN}" y1="${y}" x2="${CHART_WIDTH - MARGIN}" y2="${y}" stroke="${C.grid}" stroke-width="2"/>`,
  );
  y += 44;
  if (input.provenance) {
    out.push(footer(y, sourceLine(input.provenance, l, tz)));
    y += 10;
  } else y -= 44;
  return svgDocument(y + MARGIN, out);
}

/** Draws the axes, both curves, their values and the differences; returns the y below the plot. */
function plotTurnout(out: string[], series: TurnoutPoint[], top: number, l: ChartLabels): number {
  const values = series.flatMap((p) => [p.percent, p.previousPercent]).filter((v): v is number => v !== undefined);
  // Zero-based axis (the honest one), with room above the highest value for its label.
  const yMax = Math.min(100, Math.max(20, Math.ceil((Math.max(...values) + 8) / 10) * 10));
  const step = yMax > 60 ? 20 : 10;
  const left = MARGIN + 84;
  const right = CHART_WIDTH - MARGIN - 20;
  const plotTop = top + 40;
  const plotHeight = 620;
  const bottom = plotTop + plotHeight;
  const yOf = (v: number) => bottom - (v / yMax) * plotHeight;
  // Readings are spaced evenly: they are survey times, not a time scale (the close may be the next day).
  const slot = (right - left) / series.length;
  const xOf = (i: number) => left + slot * (i + 0.5);

  for (let v = 0; v <= yMax; v += step) {
    out.push(
      `<line x1="${left}" y1="${r(yOf(v))}" x2="${right}" y2="${r(yOf(v))}" stroke="${v === 0 ? C.muted : C.grid}" stroke-width="${v === 0 ? 3 : 2}"/>`,
      text(left - 14, yOf(v) + 10, `${v}%`, { size: 28, fill: C.muted, anchor: "end" }),
    );
  }

  const polyline = (get: (p: TurnoutPoint) => number | undefined, stroke: string, width: number, dash?: string) => {
    // Consecutive known readings are joined; a missing reading breaks the line (nothing is drawn across it).
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1)
        out.push(
          `<polyline points="${run.join(" ")}" fill="none" stroke="${stroke}" stroke-width="${width}" stroke-linejoin="round" stroke-linecap="round"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
        );
      run = [];
    };
    series.forEach((p, i) => {
      const v = get(p);
      if (v === undefined) flush();
      else run.push(`${r(xOf(i))},${r(yOf(v))}`);
    });
    flush();
  };
  polyline((p) => p.previousPercent, C.previous, 6, "14 10");
  polyline((p) => p.percent, C.bar, 8);

  const anyFinal = series.some((p) => p.final);
  const anyDelta = series.some((p) => p.percent !== undefined && p.previousPercent !== undefined);
  const anyCoverage = series.some((p) => p.sections && p.sections.counted < p.sections.total);
  const rowTime = bottom + 44;
  const rowFinal = rowTime + (anyFinal ? 36 : 0);
  const rowDelta = rowFinal + (anyDelta ? 42 : 0);
  const rowCoverage = rowDelta + 36;
  series.forEach((p, i) => {
    const x = xOf(i);
    const cur = p.percent;
    const prev = p.previousPercent;
    // Turnout only rises through the day, so the line comes from the lower left and leaves to the
    // upper right: the higher point's value goes above-left of it, the lower one's below-right.
    const curAbove = prev === undefined || cur === undefined || cur >= prev;
    const label = (v: number, above: boolean, size: number, bold: boolean, fill: string) => {
      const content = formatPercent(v, l.lang);
      const w = textWidth(content, size, bold);
      const vy = yOf(v);
      const lx = above ? Math.max(left + w, x - 14) : Math.min(right - w, x + 14);
      out.push(
        `<text x="${r(lx)}" y="${r(above ? vy - 22 : vy + size + 12)}" font-size="${size}"${bold ? ` font-weight="700"` : ""} fill="${fill}" text-anchor="${above ? "end" : "start"}" stroke="${C.background}" stroke-width="8" stroke-linejoin="round" paint-order="stroke">${escapeXml(content)}</text>`,
      );
    };
    if (prev !== undefined) {
      out.push(
        `<circle cx="${r(x)}" cy="${r(yOf(prev))}" r="9" fill="${C.background}" stroke="${C.previous}" stroke-width="5"/>`,
      );
    }
    if (cur !== undefined) out.push(`<circle cx="${r(x)}" cy="${r(yOf(cur))}" r="12" fill="${C.bar}"/>`);
    if (prev !== undefined) label(prev, !curAbove, 30, false, C.secondary);
    if (cur !== undefined) label(cur, curAbove, 38, true, C.text);
    // Under the axis, in rows aligned across readings: the time, "finale", the difference, the coverage.
    out.push(text(x, rowTime, p.at, { size: 34, bold: true, anchor: "middle" }));
    if (p.final) out.push(text(x, rowFinal, l.finalReading, { size: 28, fill: C.secondary, anchor: "middle" }));
    if (cur !== undefined && prev !== undefined) {
      const delta = fitText(l.pointsDelta(formatPointsDelta(cur - prev, l.lang)), slot - 8, 30, true);
      out.push(text(x, rowDelta, delta, { size: 30, bold: true, anchor: "middle" }));
    }
    if (p.sections && p.sections.counted < p.sections.total) {
      const [figures, word] = l.sectionsReported(
        formatInteger(p.sections.counted, l.lang),
        formatInteger(p.sections.total, l.lang),
      );
      out.push(
        text(x, rowCoverage, fitText(figures, slot - 8, 26), { size: 26, fill: C.muted, anchor: "middle" }),
        text(x, rowCoverage + 30, fitText(word, slot - 8, 26), { size: 26, fill: C.muted, anchor: "middle" }),
      );
    }
  });
  return rowCoverage + (anyCoverage ? 30 : -36) + 10;
}
