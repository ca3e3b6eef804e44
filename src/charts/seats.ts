/**
 * The council's seats as a picture (`/grafico seggi Genova`): one cell per seat, the mayor first, the mayor's
 * groups then the others, a mark where the majority lies (more than half of the council, the mayor counted);
 * under it each group with its seats, and the bonus in one line. From the same allocation as /seggi
 * (src/data/seats.ts); a projection while counting says so in the picture. Its own words (it, en) live here.
 */
import type { CouncilSeats } from "../data/seats.js";
import { stripControl } from "../format/html.js";
import { formatInteger } from "../format/italian.js";
import type { Lang } from "../i18n/index.js";
import { textWidth } from "./metrics.js";
import { CHART_FONT_FAMILY, CHART_WIDTH, escapeXml, fitText } from "./svg.js";

type Council = Extract<CouncilSeats, { kind: "allocation" }>;

export interface SeatsChartInput {
  comune: string;
  council: Council;
  lang?: Lang;
}

interface SeatsChartLabels {
  title: (comune: string) => string;
  size: (seats: string) => string;
  majority: (n: string) => string;
  projection: (counted: string, total: string) => string;
  mayor: string;
  seats: (n: string, seated: boolean) => string;
  bonus: Record<Council["bonus"], string>;
  official: string;
}

const LABELS: Record<Lang, SeatsChartLabels> = {
  it: {
    title: (c) => `Consiglio comunale di ${c}`,
    size: (s) => `${s} seggi oltre al sindaco`,
    majority: (n) => `maggioranza: ${n}`,
    projection: (c, t) => `Proiezione con i voti di ${c} sezioni su ${t}`,
    mayor: "sindaco",
    seats: (n, seated) => `${n} ${n === "1" ? "seggio" : "seggi"}${seated ? " (candidato compreso)" : ""}`,
    bonus: {
      applied: "Premio di maggioranza alle liste del sindaco",
      already: "Le liste del sindaco hanno già la maggioranza",
      "below-minimum": "Nessun premio: le liste del sindaco sotto il 40%",
      "other-majority": "Nessun premio: altre liste oltre il 50%",
      "lame-duck": "Anatra zoppa: il sindaco senza maggioranza",
      small: "Due terzi dei seggi alla lista del sindaco",
    },
    official: "Calcolo del bot secondo la legge",
  },
  en: {
    title: (c) => `City council of ${c}`,
    size: (s) => `${s} seats besides the mayor`,
    majority: (n) => `majority: ${n}`,
    projection: (c, t) => `Projection on the votes of ${c} sections of ${t}`,
    mayor: "mayor",
    seats: (n, seated) => `${n} ${n === "1" ? "seat" : "seats"}${seated ? " (candidate included)" : ""}`,
    bonus: {
      applied: "Majority bonus to the mayor's lists",
      already: "The mayor's lists already hold a majority",
      "below-minimum": "No bonus: the mayor's lists below 40%",
      "other-majority": "No bonus: other lists above 50%",
      "lame-duck": "Lame duck: the mayor without a majority",
      small: "Two thirds of the seats to the mayor's list",
    },
    official: "The bot's computation under the law",
  },
};

const MARGIN = 56;
const INNER = CHART_WIDTH - 2 * MARGIN;
/** The mayor's groups in greens, the others in blues and greys: contrast on white at least 4.5:1. */
const MAYOR_COLOURS = ["#047857", "#065f46", "#0f766e"];
const OTHER_COLOURS = ["#1d4ed8", "#7c3aed", "#b45309", "#be123c", "#4b5563", "#0e7490", "#a16207", "#6d28d9"];
const TEXT = "#111827";
const MUTED = "#4b5563";
const MARK = "#b91c1c";

const r = (n: number) => String(Math.round(n * 10) / 10);
const clean = (s: string) => stripControl(s).replace(/\s+/g, " ").trim();
const rect = (x: number, y: number, w: number, h: number, fill: string) =>
  `<rect x="${r(x)}" y="${r(y)}" width="${r(Math.max(0, w))}" height="${r(h)}" rx="3" fill="${fill}"/>`;
const text = (
  x: number,
  y: number,
  s: string,
  size: number,
  o: { bold?: boolean; fill?: string; end?: boolean } = {},
) =>
  `<text x="${r(x)}" y="${r(y)}" font-size="${size}"${o.bold ? ` font-weight="700"` : ""} fill="${o.fill ?? TEXT}"${o.end ? ` text-anchor="end"` : ""}>${escapeXml(s)}</text>`;

/** Seats needed for a majority of the council with the mayor: more than half of seats + 1. */
export function majorityOfCouncil(seats: number): number {
  return Math.floor((seats + 1) / 2) + 1;
}

/** The council's seats chart (SVG). */
export function seatsChartSvg(input: SeatsChartInput): string {
  const lang = input.lang ?? "it";
  const l = LABELS[lang];
  const n = (x: number) => formatInteger(x, lang);
  const c = input.council;
  const ordered = [...c.groups].sort((a, b) => Number(b.mayor) - Number(a.mayor) || b.seats - a.seats);
  let mayorIndex = 0;
  let otherIndex = 0;
  const colours = ordered.map((g) =>
    g.mayor ? MAYOR_COLOURS[mayorIndex++ % MAYOR_COLOURS.length]! : OTHER_COLOURS[otherIndex++ % OTHER_COLOURS.length]!,
  );
  const out: string[] = [];
  let y = 72;
  out.push(text(MARGIN, y, fitText(l.title(clean(input.comune)), INNER, 44, true), 44, { bold: true }));
  y += 46;
  const majority = majorityOfCouncil(c.seats);
  out.push(text(MARGIN, y, `${l.size(n(c.seats))} · ${l.majority(n(majority))}`, 28, { fill: MUTED }));
  if (c.projection) {
    y += 40;
    out.push(
      text(MARGIN, y, l.projection(n(c.projection.counted), n(c.projection.total)), 28, { bold: true, fill: MARK }),
    );
  }

  // The cells: the mayor, then each group's seats in the order above.
  const cells: string[] = [colours[0]!];
  ordered.forEach((g, i) => {
    for (let k = 0; k < g.seats; k++) cells.push(colours[i]!);
  });
  const total = cells.length;
  const gap = 4;
  const cell = (INNER - gap * (total - 1)) / total;
  y += 48;
  const top = y;
  const height = 64;
  cells.forEach((fill, i) => {
    out.push(rect(MARGIN + i * (cell + gap), top, cell, height, fill));
  });
  // The majority's mark, after the cell that makes it.
  const markX = MARGIN + majority * (cell + gap) - gap / 2;
  out.push(
    `<line x1="${r(markX)}" y1="${r(top - 14)}" x2="${r(markX)}" y2="${r(top + height + 14)}" stroke="${MARK}" stroke-width="4" data-majority="${majority}"/>`,
  );
  const markLabel = l.majority(n(majority));
  const labelX = Math.min(
    Math.max(markX, MARGIN + textWidth(markLabel, 24) / 2),
    MARGIN + INNER - textWidth(markLabel, 24) / 2,
  );
  out.push(
    `<text x="${r(labelX)}" y="${r(top + height + 44)}" font-size="24" fill="${MARK}" text-anchor="middle">${escapeXml(markLabel)}</text>`,
  );
  y = top + height + 96;

  // The groups with their seats.
  ordered.forEach((g, i) => {
    if (g.seats === 0 && !g.mayor) return;
    out.push(rect(MARGIN, y - 24, 28, 28, colours[i]!));
    const seats = l.seats(n(g.seats), g.candidateSeated);
    const name = `${clean(g.candidate)}${g.mayor ? ` (${l.mayor})` : ""}`;
    out.push(text(MARGIN + INNER, y, seats, 30, { bold: true, end: true }));
    out.push(text(MARGIN + 44, y, fitText(name, INNER - 64 - textWidth(seats, 30, true), 30), 30));
    y += 46;
  });
  y += 10;
  out.push(text(MARGIN, y, fitText(l.bonus[c.bonus], INNER, 28), 28, { fill: MUTED }));
  y += 44;
  out.push(text(MARGIN, y, fitText(l.official, INNER, 24), 24, { fill: MUTED }));
  const h = Math.ceil(y + 36);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${h}" viewBox="0 0 ${CHART_WIDTH} ${h}" font-family="${CHART_FONT_FAMILY}">`,
    `<rect x="0" y="0" width="${CHART_WIDTH}" height="${h}" fill="#ffffff"/>`,
    ...out,
    "</svg>",
  ].join("\n");
}
