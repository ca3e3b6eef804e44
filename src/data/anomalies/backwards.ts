/** Figures going backwards: a comune's new figures against its last good ones (counts, candidates, the stated outcome). */
import { formatPercent } from "../../format/italian.js";
import type { Anomaly, AnomalyFigures, ReadingRef } from "../anomaly-types.js";
import type { RoundResult } from "../model.js";
import type { Baseline } from "./checks.js";
import {
  BALLOTS_EN,
  BALLOTS_IT,
  capital,
  delta,
  int,
  listLabel,
  make,
  optional,
  outcomeText,
  readingEn,
  readingIt,
  readingKey,
  sameOutcome,
} from "./wording.js";

export function backwards(prev: Baseline, cur: RoundResult): Anomaly[] {
  const out: Anomaly[] = [];
  if (prev.sections && cur.sections) {
    const [b, n] = [prev.sections, cur.sections];
    if (n.counted < b.counted) {
      out.push(
        make("sections-fell", "hold", "sections-fell", { before: b.counted, now: n.counted, total: n.total }, (f) => [
          `Sezioni scrutinate scese da ${int(f.before)} a ${int(f.now)} su ${int(f.total)}.`,
          `Sections counted fell from ${int(f.before)} to ${int(f.now)} of ${int(f.total)}.`,
        ]),
      );
    }
    if (n.total !== b.total) {
      out.push(
        make("sections-total-changed", "note", "sections-total-changed", { before: b.total, now: n.total }, (f) => [
          `Sezioni totali cambiate da ${int(f.before)} a ${int(f.now)}.`,
          `Total sections changed from ${int(f.before)} to ${int(f.now)}.`,
        ]),
      );
    }
  }
  if (prev.voters !== undefined && cur.voters !== undefined && cur.voters < prev.voters) {
    out.push(
      make("voters-fell", "hold", "voters-fell", { before: prev.voters, now: cur.voters }, (f) => [
        `Votanti scesi da ${int(f.before)} a ${int(f.now)} (${delta(f.now - f.before)}).`,
        `Voters fell from ${int(f.before)} to ${int(f.now)} (${delta(f.now - f.before)}).`,
      ]),
    );
  }
  for (const kind of ["blank", "invalid", "contested"] as const) {
    const [b, n] = [prev[kind], cur[kind]];
    if (b !== undefined && n !== undefined && n < b) {
      out.push(
        make("ballots-fell", "note", `ballots-fell:${kind}`, { kind, before: b, now: n }, (f) => [
          `${BALLOTS_IT[kind]} scese da ${int(f.before)} a ${int(f.now)}.`,
          `${BALLOTS_EN[kind]} fell from ${int(f.before)} to ${int(f.now)}.`,
        ]),
      );
    }
  }

  const before = new Map(prev.candidates.map((c) => [c.name, c]));
  const names = new Set(cur.candidates.map((c) => c.name));
  for (const c of cur.candidates) {
    const p = before.get(c.name);
    if (!p) {
      out.push(
        make(
          "candidate-appeared",
          "hold",
          `candidate-appeared:${c.name}`,
          optional({ candidate: c.name }, c.votes),
          (f) => [
            `Nuovo candidato a scrutinio in corso: ${f.candidate}.`,
            `A new candidate appeared mid-count: ${f.candidate}.`,
          ],
        ),
      );
      continue;
    }
    if (p.votes !== undefined && c.votes !== undefined && c.votes < p.votes) {
      out.push(
        make(
          "votes-fell",
          "hold",
          `votes-fell:${c.name}`,
          { candidate: c.name, before: p.votes, now: c.votes },
          (f) => [
            `Voti di ${f.candidate} scesi da ${int(f.before)} a ${int(f.now)} (${delta(f.now - f.before)}).`,
            `${f.candidate}'s votes fell from ${int(f.before)} to ${int(f.now)} (${delta(f.now - f.before)}).`,
          ],
        ),
      );
    }
    const prevLists = new Map(p.lists.map((l, i) => [listLabel(l, i), l]));
    c.lists.forEach((l, i) => {
      const label = listLabel(l, i);
      const pl = prevLists.get(label);
      if (pl?.votes !== undefined && l.votes !== undefined && l.votes < pl.votes) {
        const figures = { candidate: c.name, list: label, before: pl.votes, now: l.votes };
        const [it, en] = l.name !== undefined ? [`«${label}»`, `"${label}"`] : [label, label];
        out.push(
          make("list-votes-fell", "hold", `list-votes-fell:${c.name}:${label}`, figures, (f) => [
            `Voti della lista ${it} (${f.candidate}) scesi da ${int(f.before)} a ${int(f.now)}.`,
            `Votes of the list ${en} (${f.candidate}) fell from ${int(f.before)} to ${int(f.now)}.`,
          ]),
        );
      }
    });
  }
  for (const p of prev.candidates) {
    if (names.has(p.name)) continue;
    out.push(
      make(
        "candidate-disappeared",
        "hold",
        `candidate-disappeared:${p.name}`,
        optional({ candidate: p.name }, p.votes),
        (f) => [
          `Candidato scomparso a scrutinio in corso: ${f.candidate}${f.votes !== undefined ? ` (aveva ${int(f.votes)} voti)` : ""}.`,
          `A candidate disappeared mid-count: ${f.candidate}${f.votes !== undefined ? ` (had ${int(f.votes)} votes)` : ""}.`,
        ],
      ),
    );
  }

  if (prev.outcome && !sameOutcome(prev.outcome, cur.outcome)) {
    const figures: AnomalyFigures["outcome-changed"] = { before: prev.outcome };
    if (cur.outcome) figures.now = cur.outcome;
    out.push(
      make("outcome-changed", "hold", "outcome-changed", figures, (f) => [
        `Esito cambiato: era «${outcomeText(f.before, "it")}», ora «${outcomeText(f.now, "it")}».`,
        `Outcome changed: was "${outcomeText(f.before, "en")}", now "${outcomeText(f.now, "en")}".`,
      ]),
    );
  }

  const now = new Map(cur.turnout.map((p) => [readingKey(p), p]));
  for (const b of prev.turnout) {
    const reading: ReadingRef = { at: b.at, final: b.final };
    const n = now.get(readingKey(b));
    if (!n) {
      out.push(
        make("reading-missing", "note", `reading-missing:${readingKey(b)}`, { reading }, (f) => [
          `${capital(readingIt(f.reading))}: la rilevazione non c'è più.`,
          `${capital(readingEn(f.reading))}: the reading is gone.`,
        ]),
      );
      continue;
    }
    const fell = (field: AnomalyFigures["reading-fell"]["field"], before: number, nowValue: number) =>
      make(
        "reading-fell",
        "hold",
        `reading-fell:${readingKey(b)}:${field}`,
        { reading, field, before, now: nowValue },
        (f) => {
          const show = f.field === "percent" ? formatPercent : int;
          const it = { voters: "votanti scesi", sections: "sezioni pervenute scese", percent: "percentuale scesa" }[
            f.field
          ];
          const en = { voters: "voters fell", sections: "sections reported fell", percent: "percentage fell" }[f.field];
          const same = f.field === "percent" ? " senza nuove sezioni" : "";
          const sameEn = f.field === "percent" ? " with no more sections reported" : "";
          return [
            `${capital(readingIt(f.reading))}: ${it} da ${show(f.before)} a ${show(f.now)}${same}.`,
            `${capital(readingEn(f.reading))}: ${en} from ${show(f.before)} to ${show(f.now)}${sameEn}.`,
          ];
        },
      );
    if (b.voters !== undefined && n.voters !== undefined && n.voters < b.voters)
      out.push(fell("voters", b.voters, n.voters));
    if (b.sections && n.sections && n.sections.counted < b.sections.counted) {
      out.push(fell("sections", b.sections.counted, n.sections.counted));
    }
    // A percent is of the sections that reported it: only with no more of them is a fall wrong.
    const noMoreSections = b.sections && n.sections && n.sections.counted <= b.sections.counted;
    if (noMoreSections && b.percent !== undefined && n.percent !== undefined && n.percent < b.percent) {
      out.push(fell("percent", b.percent, n.percent));
    }
  }
  return out;
}
