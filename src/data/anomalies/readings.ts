/** The turnout readings: sections, voters or turnout above what exists, and a later reading below an earlier one. */
import { formatPercent } from "../../format/italian.js";
import type { Anomaly, ReadingRef } from "../anomaly-types.js";
import type { RoundResult, Sections } from "../model.js";
import { capital, int, make, readingEn, readingIt, readingKey, refKey, withReading } from "./wording.js";

export function readings(r: RoundResult): Anomaly[] {
  const out: Anomaly[] = [];
  for (const p of r.turnout) {
    const reading: ReadingRef = { at: p.at, final: p.final };
    if (p.sections && p.sections.counted > p.sections.total) out.push(sectionsOver(reading, p.sections));
    const electors = p.electors ?? r.electors;
    if (p.voters !== undefined && electors !== undefined && p.voters > electors) {
      out.push(votersOver(reading, p.voters, electors));
    }
    if (p.percent !== undefined && p.percent > 100) out.push(turnoutOver(reading, p.percent));
  }
  // Readings are cumulative: in the source's order (a two-day vote ends on Monday at 15:00, so the
  // clock does not sort them), a later one reported by every section is not below an earlier one.
  const full = (p: RoundResult["turnout"][number]) =>
    p.sections !== undefined && p.sections.counted >= p.sections.total;
  for (let i = 1; i < r.turnout.length; i++) {
    const [a, b] = [r.turnout[i - 1]!, r.turnout[i]!];
    if (!full(a) || !full(b)) continue;
    const field = a.voters !== undefined && b.voters !== undefined ? "voters" : "percent";
    const [before, now] = field === "voters" ? [a.voters, b.voters] : [a.percent, b.percent];
    if (before === undefined || now === undefined || now >= before) continue;
    const figures = {
      earlier: { at: a.at, final: a.final },
      later: { at: b.at, final: b.final },
      field,
      before,
      now,
    } as const;
    out.push(
      make("readings-decrease", "note", `readings-decrease:${readingKey(b)}`, figures, (f) => {
        const show = f.field === "percent" ? formatPercent : int;
        return [
          `${capital(readingIt(f.later))} (${show(f.now)}${f.field === "voters" ? " votanti" : ""}) sotto ${readingIt(f.earlier)} (${show(f.before)}).`,
          `${capital(readingEn(f.later))} (${show(f.now)}${f.field === "voters" ? " voters" : ""}) is below ${readingEn(f.earlier)} (${show(f.before)}).`,
        ];
      }),
    );
  }
  return out;
}

export function sectionsOver(reading: ReadingRef | undefined, s: Sections): Anomaly {
  const figures = withReading(reading, { counted: s.counted, total: s.total });
  return make("sections-over-total", "hold", `sections-over-total${refKey(reading)}`, figures, (f) =>
    f.reading
      ? [
          `${capital(readingIt(f.reading))}: sezioni pervenute ${int(f.counted)} su ${int(f.total)}.`,
          `${capital(readingEn(f.reading))}: ${int(f.counted)} sections reported of ${int(f.total)}.`,
        ]
      : [
          `Sezioni scrutinate ${int(f.counted)} su ${int(f.total)}: oltre il totale.`,
          `Sections counted ${int(f.counted)} of ${int(f.total)}: above the total.`,
        ],
  );
}

export function votersOver(reading: ReadingRef | undefined, voters: number, electors: number): Anomaly {
  const figures = withReading(reading, { voters, electors });
  return make("voters-over-electors", "hold", `voters-over-electors${refKey(reading)}`, figures, (f) => [
    `${f.reading ? `${capital(readingIt(f.reading))}: votanti` : "Votanti"} (${int(f.voters)}) oltre gli elettori (${int(f.electors)}).`,
    `${f.reading ? `${capital(readingEn(f.reading))}: voters` : "Voters"} (${int(f.voters)}) exceed the electors (${int(f.electors)}).`,
  ]);
}

export function turnoutOver(reading: ReadingRef | undefined, percent: number): Anomaly {
  const figures = withReading(reading, { percent });
  return make("turnout-over-100", "hold", `turnout-over-100${refKey(reading)}`, figures, (f) => [
    `${f.reading ? capital(readingIt(f.reading)) : "Affluenza"} al ${formatPercent(f.percent)}, oltre il 100%.`,
    `${f.reading ? capital(readingEn(f.reading)) : "Turnout"} at ${formatPercent(f.percent)}, above 100%.`,
  ]);
}
