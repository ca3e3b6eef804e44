/**
 * The anomaly gate: automatic bulletins for a comune wait while its figures look wrong.
 *
 * The Ministry's feed is the best source there is, and it still errs: it has published turnout above
 * 100%, and a figure can go backwards when a section is corrected or a cache serves an older answer.
 * A bot that relays every change would announce those errors to thousands of followers. Here:
 *
 * - {@link checkRound} compares a comune's new figures with its last good ones (figures going
 *   backwards, candidates appearing or vanishing, a stated outcome changing) and with themselves (sums
 *   that do not add up, more voters than electors, turnout above 100%, more sections than exist). Each
 *   anomaly has a code, the figures involved, a sentence for the newsroom in Italian and English, and a
 *   severity: `hold` (automatic bulletins for the comune wait) or `note` (logged only).
 * - {@link AnomalyGate} follows each comune through the night: it holds, tells the newsroom once per
 *   anomaly, clears when the figures are consistent again, and lets the newsroom release a hold. It
 *   keeps the last good figures in full apart from the held ones ({@link AnomalyGate.good}): while a
 *   comune is held, that is what citizens are shown. Its state is plain JSON, so it survives a restart.
 * - {@link staleSince} says since when a comune's figures have not moved while counting is open
 *   ("dati fermi dalle 01:10").
 *
 * Pure functions over the results model (src/data/model.ts); no clock is read here: every time is given.
 */
import { formatInteger, formatPercent } from "../format/italian.js";
import { z } from "../validation.js";
import type { Anomaly, AnomalyCode, AnomalyFigures, AnomalySeverity, BallotKind, ReadingRef } from "./anomaly-types.js";
import type { Stage } from "./certainty.js";
import type { ComuneResults, RoundResult, Sections, StatedOutcome } from "./model.js";

// ————————————————————————————————————————————————————————————————————————— thresholds

/**
 * The tolerances of the checks that need one. Counts (votes, voters, sections) are exact: any
 * difference in them is an anomaly, however small (a recount that lowers a figure is still held and
 * told; the newsroom decides). Only published percentages are rounded, so only they get a tolerance.
 */
export interface AnomalyThresholds {
  /**
   * How far (percentage points) the candidates' shares, or the lists' shares, may sum from 100.
   * Default 0.5: the feed publishes shares to two decimals, so n shares are off by at most n × 0.005
   * points (0.1 with 20 candidates); 0.5 still admits a source rounding to one decimal with up to
   * ten candidates, and catches a missing candidate or a share counted twice.
   */
  shareSumPoints: number;
  /**
   * How far (percentage points) a candidate's published share may be from its votes ÷ the valid
   * votes. Default 0.5, for the same reasons: rounding moves a share by 0.005 at most.
   */
  sharePoints: number;
}

/** The tolerances used unless the caller gives others. */
export const DEFAULT_THRESHOLDS: Readonly<AnomalyThresholds> = Object.freeze({ shareSumPoints: 0.5, sharePoints: 0.5 });

/**
 * Minutes without any change, while counting is open, after which a comune's card says
 * "dati fermi dalle …". 20: the feed is polled every minute or so, and a comune that is counting
 * moves every few minutes as its sections are entered, so 20 quiet polls are worth saying; a
 * comune with two or three sections may legitimately rest that long between them, and the card then
 * says something true (nothing has changed since that time), not that something is wrong.
 */
export const DEFAULT_STALE_MINUTES = 20;

// ————————————————————————————————————————————————————————————————————————— anomalies

export type {
  Anomaly,
  AnomalyCode,
  AnomalyFigures,
  AnomalySeverity,
  BallotKind,
  ReadingRef,
} from "./anomaly-types.js";

/**
 * The figures {@link checkRound} compares against: a subset of a round. A {@link RoundResult} is one;
 * the gate keeps {@link baselineOf} it (a few kilobytes less per comune).
 */
export interface Baseline {
  sections?: Sections;
  voters?: number;
  blank?: number;
  invalid?: number;
  contested?: number;
  candidates: { name: string; votes?: number; lists: { name?: string; position?: number; votes?: number }[] }[];
  turnout: { at: string; final: boolean; voters?: number; percent?: number; sections?: Sections }[];
  outcome?: StatedOutcome;
}

/** What checkRound needs to know about the comune and the round, beyond the figures. */
export interface CheckOptions {
  /** Default "first". A runoff's lists carry the first round's votes: the list checks are skipped. */
  stage?: Stage;
  /** Whether the comune is at or below 15,000 inhabitants (no split vote). Unknown: list excesses are notes. */
  populationBand?: ComuneResults["populationBand"];
  /** Tolerances; see {@link AnomalyThresholds}. */
  thresholds?: Partial<AnomalyThresholds>;
}

/** The figures of a round that checkRound compares, trimmed to plain JSON (names, counts, readings). */
export function baselineOf(round: Baseline): Baseline {
  const b: Baseline = {
    candidates: round.candidates.map((c) => ({
      name: c.name,
      ...(c.votes !== undefined ? { votes: c.votes } : {}),
      lists: c.lists.map((l) => ({
        ...(l.name !== undefined ? { name: l.name } : {}),
        ...(l.position !== undefined ? { position: l.position } : {}),
        ...(l.votes !== undefined ? { votes: l.votes } : {}),
      })),
    })),
    turnout: round.turnout.map((p) => ({
      at: p.at,
      final: p.final,
      ...(p.voters !== undefined ? { voters: p.voters } : {}),
      ...(p.percent !== undefined ? { percent: p.percent } : {}),
      ...(p.sections ? { sections: { counted: p.sections.counted, total: p.sections.total } } : {}),
    })),
  };
  if (round.sections) b.sections = { counted: round.sections.counted, total: round.sections.total };
  for (const k of ["voters", "blank", "invalid", "contested"] as const) {
    const v = round[k];
    if (v !== undefined) b[k] = v;
  }
  if (round.outcome) b.outcome = structuredClone(round.outcome);
  return b;
}

/**
 * The anomalies of a comune's round: `current` against `previous` (its last good figures, if any) and
 * against itself. An empty list means consistent figures. Pure; the order is stable (round-level
 * figures, then candidates in the source's order, then readings).
 *
 * Checks that need a figure the source does not give are skipped: a gap is never an anomaly.
 */
export function checkRound(
  previous: Baseline | undefined,
  current: RoundResult,
  options: CheckOptions = {},
): Anomaly[] {
  const t: AnomalyThresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const stage = options.stage ?? "first";
  const out: Anomaly[] = [];
  if (previous) out.push(...backwards(previous, current));
  out.push(...ownSums(current, stage, options.populationBand, t));
  out.push(...readings(current));
  return out;
}

// ————————————————————————————————————————————————————————————————————————— backwards

function backwards(prev: Baseline, cur: RoundResult): Anomaly[] {
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

// ————————————————————————————————————————————————————————————————————————— the round's own sums

function ownSums(
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

// ————————————————————————————————————————————————————————————————————————— turnout readings

function readings(r: RoundResult): Anomaly[] {
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

function sectionsOver(reading: ReadingRef | undefined, s: Sections): Anomaly {
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

function votersOver(reading: ReadingRef | undefined, voters: number, electors: number): Anomaly {
  const figures = withReading(reading, { voters, electors });
  return make("voters-over-electors", "hold", `voters-over-electors${refKey(reading)}`, figures, (f) => [
    `${f.reading ? `${capital(readingIt(f.reading))}: votanti` : "Votanti"} (${int(f.voters)}) oltre gli elettori (${int(f.electors)}).`,
    `${f.reading ? `${capital(readingEn(f.reading))}: voters` : "Voters"} (${int(f.voters)}) exceed the electors (${int(f.electors)}).`,
  ]);
}

function turnoutOver(reading: ReadingRef | undefined, percent: number): Anomaly {
  const figures = withReading(reading, { percent });
  return make("turnout-over-100", "hold", `turnout-over-100${refKey(reading)}`, figures, (f) => [
    `${f.reading ? capital(readingIt(f.reading)) : "Affluenza"} al ${formatPercent(f.percent)}, oltre il 100%.`,
    `${f.reading ? capital(readingEn(f.reading)) : "Turnout"} at ${formatPercent(f.percent)}, above 100%.`,
  ]);
}

// ————————————————————————————————————————————————————————————————————————— helpers

function make<C extends AnomalyCode>(
  code: C,
  severity: AnomalySeverity,
  key: string,
  figures: AnomalyFigures[C],
  say: (f: AnomalyFigures[C]) => [string, string],
): Anomaly {
  const [it, en] = say(figures);
  return { code, severity, key, figures, it, en } as Anomaly;
}

const int = formatInteger;
const delta = (d: number) => (d < 0 ? `−${int(-d)}` : `+${int(d)}`);
const round2 = (x: number) => Math.round(x * 100) / 100;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const BALLOTS_IT: Record<BallotKind, string> = {
  blank: "Schede bianche",
  invalid: "Schede nulle",
  contested: "Schede contestate",
};
const BALLOTS_EN: Record<BallotKind, string> = {
  blank: "Blank ballots",
  invalid: "Invalid ballots",
  contested: "Contested ballots",
};

function optional<T extends object>(base: T, votes: number | undefined): T & { votes?: number } {
  return votes === undefined ? base : { ...base, votes };
}

function withReading<T extends object>(reading: ReadingRef | undefined, figures: T): T & { reading?: ReadingRef } {
  return reading ? { reading, ...figures } : figures;
}

/** A reading's identity: its survey time, and whether it is the final one (a two-day vote's close). */
function readingKey(p: { at: string; final: boolean }): string {
  return p.final ? `${p.at}:final` : p.at;
}

function refKey(reading: ReadingRef | undefined): string {
  return reading ? `:${readingKey(reading)}` : "";
}

function readingIt(r: ReadingRef): string {
  return r.final ? `l'affluenza finale (${r.at})` : `l'affluenza delle ${r.at}`;
}

function readingEn(r: ReadingRef): string {
  return r.final ? `the final turnout (${r.at})` : `the ${r.at} turnout`;
}

/** A list's identity within its candidate: its name, else its ballot position, else its order. */
function listLabel(l: { name?: string; position?: number }, index: number): string {
  return l.name ?? (l.position !== undefined ? `n. ${l.position}` : `#${index + 1}`);
}

function sameOutcome(a: StatedOutcome, b: StatedOutcome | undefined): boolean {
  return b !== undefined && outcomeId(a) === outcomeId(b);
}

function outcomeId(o: StatedOutcome): string {
  if (o.kind === "elected") return `elected:${o.candidate}`;
  if (o.kind === "runoff") return `runoff:${[...o.candidates].sort().join("|")}`;
  return "void";
}

function outcomeText(o: StatedOutcome | undefined, lang: "it" | "en"): string {
  if (!o) return lang === "it" ? "nessun esito" : "no outcome";
  if (o.kind === "elected") return lang === "it" ? `eletto ${o.candidate}` : `${o.candidate} elected`;
  if (o.kind === "runoff") {
    const [a, b] = o.candidates;
    return lang === "it" ? `ballottaggio tra ${a} e ${b}` : `runoff between ${a} and ${b}`;
  }
  return lang === "it" ? "nessun eletto" : "nobody elected";
}

// ————————————————————————————————————————————————————————————————————————— the gate

/** The newsroom's release of a hold: bulletins go despite the anomalies it covers (by key). */
export interface Release {
  at: string;
  /** Who released it, as the caller names them (an editor's id or name), for /stato. */
  by?: string;
  /** The keys of the hold anomalies present when released. */
  keys: string[];
}

/** What the gate keeps of one comune (one round): plain JSON. */
export interface GateEntry {
  /** The last good figures (no hold, or released), trimmed: what the next snapshot is checked against. */
  baseline?: Baseline;
  baselineAt?: string;
  /**
   * The last good figures in full, as observed (a shallow copy): what is shown while the comune is held.
   * Kept in memory always; written out ({@link AnomalyGate.entry}, {@link AnomalyGate.toJSON}) only while
   * held, since otherwise they are the current figures, which their owner keeps. Absent while a comune
   * held since its first snapshot has never had good figures.
   */
  good?: RoundResult;
  /** A hash of the last figures seen, and since when the figures have been these. */
  fingerprint?: string;
  changedAt?: string;
  /** When the last snapshot was observed. */
  seenAt?: string;
  /** The anomalies of the last snapshot. */
  anomalies: Anomaly[];
  /** When the current run of hold anomalies began (held or released); absent while consistent. */
  since?: string;
  /** Keys of hold anomalies already told to the newsroom in the current run. */
  told: string[];
  /** Keys of the notes in the last snapshot (a note is logged when it appears). */
  noted: string[];
  /** The newsroom's release, until an anomaly it does not cover appears. */
  release?: Release;
}

/** The gate's whole state, as {@link AnomalyGate.toJSON} writes it and {@link AnomalyGate.fromJSON} reads it. */
export interface GateState {
  version: 1;
  comuni: Record<string, GateEntry>;
}

/** What the gate says about a comune after a snapshot. */
export interface GateVerdict {
  comune: string;
  /** The snapshot's time, ISO. */
  at: string;
  /** Automatic bulletins for this comune wait (cards still answer, marked "dati in verifica"). */
  held: boolean;
  /** Hold anomalies are present, but the newsroom released them: bulletins go. */
  released: boolean;
  /** When the current run of hold anomalies began (held or released), ISO; absent when consistent. */
  since?: string;
  /** Every anomaly of this snapshot, hold and note, in checkRound's order. */
  anomalies: Anomaly[];
  /** The hold anomalies present: why bulletins wait (or what the release covers). */
  holding: Anomaly[];
  /**
   * Hold anomalies to tell the newsroom now: each is told once per run of hold anomalies (a run ends
   * when the figures are consistent again), and not while a release covers it. A snapshot that
   * starts a hold, or ends a release with a different anomaly, has at least one.
   */
  fresh: Anomaly[];
  /** Notes that were not in the previous snapshot: to log. */
  freshNotes: Anomaly[];
  /** The previous snapshot had hold anomalies and this one has none: tell the newsroom it cleared. */
  cleared: boolean;
  /** Since when the figures have been these (ISO): for {@link staleSince}. */
  changedAt: string;
}

/** A comune's standing between snapshots, for /stato and the cards. */
export interface GateStatus {
  comune: string;
  held: boolean;
  released: boolean;
  since?: string;
  anomalies: Anomaly[];
  holding: Anomaly[];
  /** Since when the figures have been these, ISO. */
  changedAt?: string;
  /** When the last snapshot was observed, ISO. */
  seenAt?: string;
  release?: Release;
}

/**
 * The anomaly gate: one entry per comune (per round: use a key such as `1t:0901160`, `2t:0901160`).
 *
 * Feed it every new snapshot of a comune's round with {@link observe}. While the snapshot has hold
 * anomalies (against the last good figures, or in itself), automatic bulletins for the comune wait;
 * the newsroom is told each anomaly once; when a snapshot is consistent again the hold clears and
 * those figures become the new good ones. {@link release} lets bulletins go despite the anomalies
 * present: the figures then count as good (backwards checks start from them), and the release lasts
 * until an anomaly with a key it does not cover appears — a recurrence of a covered key stays
 * released, which is what makes a feed that flaps between two versions quiet once released.
 *
 * Not thread-safe and not a clock: snapshots are observed in order, with the time the caller gives.
 */
export class AnomalyGate {
  private readonly comuni: Map<string, GateEntry>;

  constructor(state?: GateState) {
    this.comuni = new Map(Object.entries(state?.comuni ?? {}).map(([k, v]) => [k, structuredClone(v)]));
  }

  /** Observe a comune's new snapshot at `at`: check it, update the comune's standing, say what to do. */
  observe(comune: string, current: RoundResult, at: string | Date, options: CheckOptions = {}): GateVerdict {
    const when = iso(at);
    const prev = this.comuni.get(comune) ?? { anomalies: [], told: [], noted: [] };
    const anomalies = checkRound(prev.baseline, current, options);
    const holding = anomalies.filter((a) => a.severity === "hold");
    const notes = anomalies.filter((a) => a.severity === "note");

    let release = prev.release;
    const covered = release !== undefined && holding.every((a) => release?.keys.includes(a.key));
    if (release && holding.length && !covered) release = undefined; // a different anomaly: the release ends
    const released = holding.length > 0 && covered;
    const held = holding.length > 0 && !released;

    const toldBefore = holding.length ? prev.told : [];
    const fresh = held ? holding.filter((a) => !toldBefore.includes(a.key)) : [];
    const told = [...toldBefore, ...fresh.map((a) => a.key)];
    const freshNotes = notes.filter((a) => !prev.noted.includes(a.key));

    const trimmed = baselineOf(current);
    const fingerprint = hash(JSON.stringify(trimmed));
    const changedAt = fingerprint !== prev.fingerprint || !prev.changedAt ? when : prev.changedAt;

    const next: GateEntry = {
      // A shallow copy: the owner of `current` may replace its fields (the turnout readings) later.
      ...(held
        ? pick(prev, "baseline", "baselineAt", "good")
        : { baseline: trimmed, baselineAt: when, good: { ...current } }),
      fingerprint,
      changedAt,
      seenAt: when,
      anomalies,
      ...(holding.length ? { since: prev.since ?? when } : {}),
      told,
      noted: notes.map((a) => a.key),
      ...(release ? { release } : {}),
    };
    this.comuni.set(comune, next);

    const cleared = prev.anomalies.some((a) => a.severity === "hold") && holding.length === 0;
    return {
      comune,
      at: when,
      held,
      released,
      ...(next.since ? { since: next.since } : {}),
      anomalies,
      holding,
      fresh,
      freshNotes,
      cleared,
      changedAt,
    };
  }

  /**
   * The newsroom releases a held comune: bulletins go despite the hold anomalies present, until one it
   * does not cover appears. False (and nothing changes) when the comune is not held.
   */
  release(comune: string, at: string | Date, by?: string): boolean {
    const entry = this.comuni.get(comune);
    const status = entry && standing(comune, entry);
    if (!entry || !status?.held) return false;
    entry.release = { at: iso(at), ...(by !== undefined ? { by } : {}), keys: status.holding.map((a) => a.key) };
    return true;
  }

  /**
   * The figures to show of a comune: its last good ones (consistent, or released by the newsroom). While
   * it is held, those from before the hold, never the held ones; undefined when it has been held since
   * its first snapshot (or was never observed). Not to be changed by the caller.
   */
  good(comune: string): RoundResult | undefined {
    return this.comuni.get(comune)?.good;
  }

  /** A comune's standing after its last snapshot; undefined if never observed. */
  status(comune: string): GateStatus | undefined {
    const entry = this.comuni.get(comune);
    return entry && standing(comune, entry);
  }

  /** The comuni with hold anomalies now (held or released), the longest-standing first: for /stato. */
  flagged(): GateStatus[] {
    return [...this.comuni.entries()]
      .map(([k, e]) => standing(k, e))
      .filter((s) => s.holding.length > 0)
      .sort((a, b) => time(a.since) - time(b.since) || a.comune.localeCompare(b.comune));
  }

  /** One comune's entry, as plain JSON (to store comuni one by one); undefined if never observed. */
  entry(comune: string): GateEntry | undefined {
    const e = this.comuni.get(comune);
    return e && written(comune, e);
  }

  /** The whole state as plain JSON: `new AnomalyGate(AnomalyGate.fromJSON(...))` resumes it. */
  toJSON(): GateState {
    return {
      version: 1,
      comuni: Object.fromEntries([...this.comuni.entries()].map(([k, v]) => [k, written(k, v)])),
    };
  }

  /**
   * A gate from a state read back (a parsed JSON value). Throws, saying what is wrong, when it is not
   * a state this version wrote: the caller then starts an empty gate (the next snapshots rebuild it).
   */
  static fromJSON(json: unknown): AnomalyGate {
    const parsed = GateStateSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new Error(
        `stato del controllo anomalie non valido: ${first?.path.join(".") || "(radice)"}: ${first?.message}`,
      );
    }
    return new AnomalyGate(parsed.data as GateState);
  }
}

/** An entry as written out: a copy, with the good figures only while held (see GateEntry.good). */
function written(comune: string, e: GateEntry): GateEntry {
  const { good, ...rest } = e;
  const copy = structuredClone(rest) as GateEntry;
  if (good && standing(comune, e).held) copy.good = structuredClone(good);
  return copy;
}

function standing(comune: string, e: GateEntry): GateStatus {
  const holding = e.anomalies.filter((a) => a.severity === "hold");
  const released =
    holding.length > 0 && e.release !== undefined && holding.every((a) => e.release?.keys.includes(a.key));
  return {
    comune,
    held: holding.length > 0 && !released,
    released,
    ...(e.since ? { since: e.since } : {}),
    anomalies: e.anomalies,
    holding,
    ...(e.changedAt ? { changedAt: e.changedAt } : {}),
    ...(e.seenAt ? { seenAt: e.seenAt } : {}),
    ...(e.release ? { release: e.release } : {}),
  };
}

function pick<T extends object, K extends keyof T>(o: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

const time = (at: string | undefined) => (at ? Date.parse(at) : 0);

function iso(at: string | Date): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) throw new RangeError(`istante non valido: ${String(at)}`);
  return at instanceof Date ? d.toISOString() : at;
}

/** FNV-1a, 32 bits, hex: enough to tell that a comune's figures changed. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

const SectionsJson = z.object({ counted: z.number(), total: z.number() });
const BaselineSchema = z.object({
  sections: SectionsJson.optional(),
  voters: z.number().optional(),
  blank: z.number().optional(),
  invalid: z.number().optional(),
  contested: z.number().optional(),
  candidates: z.array(
    z.object({
      name: z.string(),
      votes: z.number().optional(),
      lists: z.array(
        z.object({ name: z.string().optional(), position: z.number().optional(), votes: z.number().optional() }),
      ),
    }),
  ),
  turnout: z.array(
    z.object({
      at: z.string(),
      final: z.boolean(),
      voters: z.number().optional(),
      percent: z.number().optional(),
      sections: SectionsJson.optional(),
    }),
  ),
  outcome: z.unknown().optional(),
});
const AnomalyJson = z.object({
  code: z.string(),
  severity: z.enum(["hold", "note"]),
  key: z.string(),
  figures: z.record(z.string(), z.unknown()),
  it: z.string(),
  en: z.string(),
});
const GateStateSchema = z.object({
  version: z.literal(1),
  comuni: z.record(
    z.string(),
    z.object({
      baseline: BaselineSchema.optional(),
      baselineAt: z.string().optional(),
      // Checked loosely: the figures were whole when written; a shape this version cannot read is refused.
      good: z
        .looseObject({
          date: z.string(),
          candidates: z.array(z.looseObject({ name: z.string() })),
          turnout: z.array(z.looseObject({ at: z.string() })),
          provenance: z.looseObject({ source: z.string(), status: z.enum(["partial", "final"]) }),
        })
        .optional(),
      fingerprint: z.string().optional(),
      changedAt: z.string().optional(),
      seenAt: z.string().optional(),
      anomalies: z.array(AnomalyJson),
      since: z.string().optional(),
      told: z.array(z.string()),
      noted: z.array(z.string()),
      release: z.object({ at: z.string(), by: z.string().optional(), keys: z.array(z.string()) }).optional(),
    }),
  ),
});

// ————————————————————————————————————————————————————————————————————————— staleness

/**
 * Since when a comune's figures have not changed, if that is worth saying: while counting is open
 * and for at least `thresholdMinutes` (default {@link DEFAULT_STALE_MINUTES}); otherwise undefined.
 * The card says "dati fermi dalle 01:10" from the instant returned (formatTime, Europe/Rome).
 *
 * `lastChangeAt` is when the figures last changed (the gate's `changedAt`); before any figure has
 * arrived, pass the close of the polls, so that a count that never starts is also said. Exactly
 * `thresholdMinutes` is stale; a `lastChangeAt` in the future (clocks apart) is not.
 */
export function staleSince(
  lastChangeAt: string | Date | undefined,
  now: string | Date,
  countingOpen: boolean,
  thresholdMinutes: number = DEFAULT_STALE_MINUTES,
): Date | undefined {
  if (!(thresholdMinutes > 0) || !Number.isFinite(thresholdMinutes)) {
    throw new RangeError(`soglia di dati fermi non valida: ${thresholdMinutes} minuti`);
  }
  if (!countingOpen || lastChangeAt === undefined) return undefined;
  const since = new Date(lastChangeAt);
  const at = new Date(now);
  if (Number.isNaN(since.getTime()) || Number.isNaN(at.getTime())) return undefined;
  return at.getTime() - since.getTime() >= thresholdMinutes * 60_000 ? since : undefined;
}
