/** The round's own sums: figures that do not add up among themselves (votes, ballots, shares, voters and electors). */
import { formatPercent } from "../../format/italian.js";
import type { Anomaly, AnomalyFigures, AnomalySeverity } from "../anomaly-types.js";
import type { Stage } from "../certainty.js";
import type { ComuneResults, RoundResult } from "../model.js";
import type { AnomalyThresholds } from "./checks.js";
import { sectionsOver, turnoutOver, votersOver } from "./readings.js";
import { int, make, round2 } from "./wording.js";

export function ownSums(
  r: RoundResult,
  stage: Stage,
  band: ComuneResults["populationBand"] | undefined,
  t: AnomalyThresholds,
): Anomaly[] {
  const out: Anomaly[] = [];
  const complete = r.sections ? r.sections.counted >= r.sections.total : r.provenance.status === "final";

  if (r.sections && r.sections.counted > r.sections.total) {
    out.push(sectionsOver(undefined, r.sections));
  }
  if (r.voters !== undefined && r.electors !== undefined && r.voters > r.electors) {
    out.push(votersOver(undefined, r.voters, r.electors));
  }
  if (r.turnoutPercent !== undefined && r.turnoutPercent > 100) {
    out.push(turnoutOver(undefined, r.turnoutPercent));
  }

  const votes = r.candidates.map((c) => c.votes);
  const allVotes = votes.every((v): v is number => v !== undefined);
  const valid = allVotes ? (votes as number[]).reduce((s, v) => s + v, 0) : undefined;
  // The feed leaves voters (and blank, invalid) at 0 until it publishes them: 0 is "not yet".
  const voters = r.voters !== undefined && r.voters > 0 ? r.voters : undefined;
  const { blank, invalid, contested } = r;
  const extrasKnown = blank !== undefined && invalid !== undefined && contested !== undefined;

  let sumChecked = false;
  if (valid !== undefined && voters !== undefined && extrasKnown) {
    sumChecked = true;
    const expected = voters - blank - invalid - contested;
    const difference = valid - expected;
    if (difference !== 0) {
      const severity: AnomalySeverity = difference > 0 || complete ? "hold" : "note";
      const figures = { voters, blank, invalid, contested, expected, candidates: valid, difference };
      out.push(
        make("sum-mismatch", severity, "sum-mismatch", figures, (f) => {
          const more = f.difference > 0;
          const by = int(Math.abs(f.difference));
          return [
            `I conti non tornano: votanti ${int(f.voters)} − bianche ${int(f.blank)} − nulle ${int(f.invalid)} − contestate ${int(f.contested)} = ${int(f.expected)}, ma i candidati hanno ${int(f.candidates)} voti (${by} ${more ? "in più" : "in meno"}).`,
            `The sums do not add up: voters ${int(f.voters)} − blank ${int(f.blank)} − invalid ${int(f.invalid)} − contested ${int(f.contested)} = ${int(f.expected)}, but the candidates have ${int(f.candidates)} votes (${by} ${more ? "more" : "fewer"}).`,
          ];
        }),
      );
    }
  }

  // Ballots counted so far, as far as known, against every figure that bounds them.
  const known = r.candidates.reduce((s, c) => s + (c.votes ?? 0), 0) + (blank ?? 0) + (invalid ?? 0) + (contested ?? 0);
  const closing = closingVoters(r);
  const limits: { against: AnomalyFigures["ballots-over"]["against"]; limit: number }[] = [];
  if (voters !== undefined && !sumChecked) limits.push({ against: "voters", limit: voters });
  if (closing !== undefined) limits.push({ against: "closing-voters", limit: closing });
  if (r.electors !== undefined) limits.push({ against: "electors", limit: r.electors });
  const exceeded = limits.filter((l) => known > l.limit).sort((a, b) => a.limit - b.limit)[0];
  if (exceeded) {
    out.push(
      make("ballots-over", "hold", `ballots-over:${exceeded.against}`, { ballots: known, ...exceeded }, (f) => {
        const it = { voters: "i votanti", "closing-voters": "i votanti alla chiusura", electors: "gli elettori" }[
          f.against
        ];
        const en = { voters: "the voters", "closing-voters": "the voters at the close", electors: "the electors" }[
          f.against
        ];
        return [
          `Schede scrutinate (${int(f.ballots)}) oltre ${it} (${int(f.limit)}).`,
          `Ballots counted (${int(f.ballots)}) exceed ${en} (${int(f.limit)}).`,
        ];
      }),
    );
  }

  if (stage === "first") {
    let listsTotal = 0;
    let listsAllKnown = true;
    for (const c of r.candidates) {
      const listVotes = c.lists.map((l) => l.votes);
      if (!c.lists.length || listVotes.some((v) => v === undefined)) {
        if (c.lists.length) listsAllKnown = false;
        continue;
      }
      const sum = (listVotes as number[]).reduce((s, v) => s + v, 0);
      listsTotal += sum;
      if (c.votes !== undefined && sum > c.votes) {
        const severity: AnomalySeverity = band === "fino-15000" ? "hold" : "note";
        out.push(
          make(
            "lists-exceed-candidate",
            severity,
            `lists-exceed-candidate:${c.name}`,
            { candidate: c.name, lists: sum, votes: c.votes },
            (f) => [
              `Le liste di ${f.candidate} hanno ${int(f.lists)} voti, più dei ${int(f.votes)} del candidato${severity === "note" ? " (possibile con il voto disgiunto)" : ""}.`,
              `${f.candidate}'s lists have ${int(f.lists)} votes, more than the candidate's ${int(f.votes)}${severity === "note" ? " (possible with a split vote)" : ""}.`,
            ],
          ),
        );
      }
    }
    const anyLists = r.candidates.some((c) => c.lists.length > 0);
    if (anyLists && listsAllKnown && valid !== undefined && listsTotal > valid) {
      out.push(
        make("lists-exceed-total", "hold", "lists-exceed-total", { lists: listsTotal, candidates: valid }, (f) => [
          `Le liste hanno ${int(f.lists)} voti, più dei ${int(f.candidates)} di tutti i candidati.`,
          `The lists have ${int(f.lists)} votes, more than all the candidates' ${int(f.candidates)}.`,
        ]),
      );
    }
    const lists = r.candidates.flatMap((c) => c.lists);
    const listsCounted = lists.some((l) => (l.votes ?? 0) > 0 || (l.percent ?? 0) > 0);
    if (lists.length && listsCounted) {
      const s = sharesSum(lists, "lists", t);
      if (s) out.push(s);
    }
  }

  // Shares: only once something is counted (before the first vote every share is 0).
  const counted = valid !== undefined ? valid > 0 : r.candidates.some((c) => (c.percent ?? 0) > 0);
  if (counted) {
    const s = sharesSum(r.candidates, "candidates", t);
    if (s) out.push(s);
    if (valid !== undefined && valid > 0) {
      for (const c of r.candidates) {
        if (c.percent === undefined || c.votes === undefined) continue;
        const computed = (c.votes / valid) * 100;
        if (Math.abs(c.percent - computed) > t.sharePoints + 1e-9) {
          const figures = {
            candidate: c.name,
            percent: c.percent,
            computed: round2(computed),
            tolerance: t.sharePoints,
          };
          out.push(
            make("share-mismatch", "hold", `share-mismatch:${c.name}`, figures, (f) => [
              `Percentuale di ${f.candidate} pubblicata al ${formatPercent(f.percent)}, ma i voti danno il ${formatPercent(f.computed)}.`,
              `${f.candidate}'s share is published as ${formatPercent(f.percent)}, but the votes give ${formatPercent(f.computed)}.`,
            ]),
          );
        }
      }
    }
  }
  return out;
}

function sharesSum(
  rows: { percent?: number }[],
  of: "candidates" | "lists",
  t: AnomalyThresholds,
): Anomaly | undefined {
  if (rows.some((r) => r.percent === undefined)) return undefined;
  const sum = round2(rows.reduce((s, r) => s + (r.percent ?? 0), 0));
  if (Math.abs(sum - 100) <= t.shareSumPoints + 1e-9) return undefined;
  return make("shares-sum", "hold", `shares-sum:${of}`, { of, sum, tolerance: t.shareSumPoints }, (f) => [
    `Le percentuali ${f.of === "candidates" ? "dei candidati" : "delle liste"} sommano a ${formatPercent(f.sum)}.`,
    `The ${f.of === "candidates" ? "candidates'" : "lists'"} shares sum to ${formatPercent(f.sum)}.`,
  ]);
}

/** The voters at the close: a reading marked final that every section reported (as certainty.ts reads it). */
function closingVoters(r: RoundResult): number | undefined {
  const closing = [...r.turnout].reverse().find((p) => p.final);
  if (closing?.voters === undefined) return undefined;
  if (closing.sections && closing.sections.counted < closing.sections.total) return undefined;
  return closing.voters;
}
