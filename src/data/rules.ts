/**
 * The electoral rules of Italian municipal elections, as code; what differs by region is data
 * (election.json `rules.regions`), so that the next election's rules are a change of the pack.
 *
 * First round:
 * - Comuni at or below the population threshold (15,000) elect the mayor at one round: the most voted wins.
 * - Above it, a candidate with more than the majority share (50%) wins at the first round;
 *   otherwise the two most voted go to a runoff.
 * - A region may set its own share (Sicily: 40%, reached inclusive — Palermo 2017), threshold or law
 *   (Friuli-Venezia Giulia elects under its regional law, with the same absolute majority in 2017 — Gorizia).
 * Runoff:
 * - The most voted wins. A runoff left with one candidate elects only where the region says so, with the
 *   turnout and the share of the electors it asks (Sicily: 50% and 25%; Trapani 2017 missed them: no mayor).
 *
 * An outcome stated by the source is kept; the rules supply the reason and are checked against it.
 */
import type {
  CandidateResult,
  ComuneResults,
  OutcomeReason,
  PopulationBand,
  RoundResult,
  StatedOutcome,
} from "./model.js";
import type { RegionalRule, Rules } from "./schema.js";

export type { OutcomeReason }; // equal figures where it matters

interface Because {
  reason: OutcomeReason;
  /** The first-round share that applied. */
  threshold?: number;
  /** The region whose own rule applied. */
  region?: string;
}

export type DerivedOutcome =
  | ({ kind: "elected"; candidate: string } & Because)
  | ({ kind: "runoff"; candidates: [string, string] } & Because)
  | ({ kind: "void"; note?: string } & Because)
  | { kind: "undecided"; reason: OutcomeReason };

/** What a candidate needs for the rules: a share, votes, or both. */
type Ranked = Pick<CandidateResult, "name" | "percent" | "votes">;

/** The rule that applies in a region: the national one, with what the region changes. */
export interface AppliedRule {
  runoffPopulationThreshold: number;
  firstRoundPercent: number;
  firstRoundInclusive: boolean;
  /** Set when the region has its own law. */
  region?: string;
  regional?: RegionalRule;
}

export function ruleFor(region: string, rules: Rules): AppliedRule {
  const regional = rules.regions[region];
  if (!regional)
    return {
      runoffPopulationThreshold: rules.runoffPopulationThreshold,
      firstRoundPercent: rules.majorityPercent,
      firstRoundInclusive: false,
    };
  return {
    runoffPopulationThreshold: regional.runoffPopulationThreshold ?? rules.runoffPopulationThreshold,
    firstRoundPercent: regional.firstRoundPercent ?? rules.majorityPercent,
    firstRoundInclusive: regional.firstRoundInclusive,
    region,
    regional,
  };
}

/**
 * How to compare candidates: by votes when every one of them has votes (a share may be missing, as
 * for Asti's recount), otherwise by share.
 */
function figureOf(candidates: readonly Ranked[]): (c: Ranked) => number | undefined {
  const byVotes = candidates.length > 0 && candidates.every((c) => c.votes !== undefined);
  return byVotes ? (c) => c.votes : (c) => c.percent;
}

/** Candidates most voted first; those without a figure go last, in source order. */
export function rankCandidates<C extends Ranked>(candidates: readonly C[]): C[] {
  const figure = figureOf(candidates);
  return candidates
    .map((c, i) => ({ c, i, f: figure(c) ?? -1 }))
    .sort((a, b) => b.f - a.f || a.i - b.i)
    .map((x) => x.c);
}

/** The first-round share that elects in this comune, or undefined for a single-round comune. */
export function firstRoundThreshold(
  comune: { region: string; populationBand?: PopulationBand },
  rules: Rules,
): { percent: number; inclusive: boolean; regional: boolean } | undefined {
  if (comune.populationBand === "fino-15000") return undefined;
  const r = ruleFor(comune.region, rules);
  return { percent: r.firstRoundPercent, inclusive: r.firstRoundInclusive, regional: r.region !== undefined };
}

/** What the rules say about a comune's first round, from its figures alone. */
export function deriveOutcome(
  comune: { region: string; populationBand?: PopulationBand; candidates: readonly Ranked[] },
  rules: Rules,
): DerivedOutcome {
  const figure = figureOf(comune.candidates);
  const ranked = rankCandidates(comune.candidates);
  const [first, second, third] = ranked;
  if (!first || figure(first) === undefined) return { kind: "undecided", reason: "incomplete" };
  const tied = (a: Ranked | undefined, b: Ranked | undefined) =>
    a !== undefined && b !== undefined && figure(a) !== undefined && figure(a) === figure(b);

  const rule = ruleFor(comune.region, rules);
  const region = rule.region ? { region: rule.region } : {};
  if (comune.populationBand === "fino-15000") {
    if (tied(first, second)) return { kind: "undecided", reason: "tie" };
    return { kind: "elected", candidate: first.name, reason: "single-round", ...region };
  }
  if (first.percent === undefined) return { kind: "undecided", reason: "incomplete" };
  const threshold = rule.firstRoundPercent;
  const reached = rule.firstRoundInclusive ? first.percent >= threshold : first.percent > threshold;
  if (reached) {
    // Above the share, a small comune would elect the same candidate: the size need not be known.
    // Only an inclusive share below 50% lets two candidates reach it with equal figures.
    if (tied(first, second)) return { kind: "undecided", reason: "tie" };
    const reason = rule.firstRoundInclusive && threshold < rules.majorityPercent ? "regional-threshold" : "majority";
    return { kind: "elected", candidate: first.name, reason, threshold, ...region };
  }
  if (comune.populationBand === undefined) return { kind: "undecided", reason: "population-unknown" };
  if (!second || figure(second) === undefined) return { kind: "undecided", reason: "incomplete" };
  if (tied(second, third)) return { kind: "undecided", reason: "tie" };
  return { kind: "runoff", candidates: [first.name, second.name], reason: "no-majority", threshold, ...region };
}

/** What the rules say about a runoff, from its figures (and, with one candidate, the turnout). */
export function deriveRunoff(
  comune: { region: string },
  round: Pick<RoundResult, "candidates" | "turnoutPercent" | "voters" | "electors">,
  rules: Rules,
): DerivedOutcome {
  const rule = ruleFor(comune.region, rules);
  const region = rule.region ? { region: rule.region } : {};
  const [only, other] = round.candidates;
  if (!only) return { kind: "undecided", reason: "incomplete" };
  if (!other) {
    const quorum = rule.regional?.singleCandidateRunoff;
    if (!quorum) return { kind: "undecided", reason: "incomplete" };
    const turnout =
      round.turnoutPercent ??
      (round.voters !== undefined && round.electors ? (round.voters / round.electors) * 100 : undefined);
    if (turnout === undefined) return { kind: "undecided", reason: "incomplete" };
    if (turnout < quorum.minTurnoutPercent) return { kind: "void", reason: "single-candidate-quorum", ...region };
    if (quorum.minElectorsPercent !== undefined) {
      if (only.votes === undefined || !round.electors) return { kind: "undecided", reason: "incomplete" };
      if ((only.votes / round.electors) * 100 < quorum.minElectorsPercent)
        return { kind: "void", reason: "single-candidate-quorum", ...region };
    }
    return { kind: "elected", candidate: only.name, reason: "single-candidate", ...region };
  }
  const figure = figureOf(round.candidates);
  const [first, second] = rankCandidates(round.candidates);
  if (first === undefined || second === undefined || figure(first) === undefined || figure(second) === undefined)
    return { kind: "undecided", reason: "incomplete" };
  if (figure(first) === figure(second)) return { kind: "undecided", reason: "tie" };
  return { kind: "elected", candidate: first.name, reason: "runoff-most-votes", ...region };
}

/** The outcome to show: the stated one where the source gives it (with the rules' reason when they agree). */
export function resolveOutcome(stated: StatedOutcome | undefined, derived: DerivedOutcome): DerivedOutcome {
  if (!stated) return derived;
  switch (stated.kind) {
    case "elected":
      return derived.kind === "elected" && derived.candidate === stated.candidate
        ? derived
        : { kind: "elected", candidate: stated.candidate, reason: "stated" };
    case "runoff":
      return derived.kind === "runoff" && new Set([...derived.candidates, ...stated.candidates]).size === 2
        ? { ...derived, candidates: stated.candidates }
        : { kind: "runoff", candidates: stated.candidates, reason: "stated" };
    case "void":
      return derived.kind === "void"
        ? { ...derived, note: stated.note }
        : { kind: "void", note: stated.note, reason: "stated" };
  }
}

/** The first round's outcome of a comune. */
export function firstRoundOutcome(c: ComuneResults, rules: Rules): DerivedOutcome {
  return resolveOutcome(c.firstRound.outcome, deriveOutcome({ ...c, candidates: c.firstRound.candidates }, rules));
}

/** The runoff's outcome, where the comune's runoff is in the data. */
export function runoffOutcome(c: ComuneResults, rules: Rules): DerivedOutcome | undefined {
  if (!c.runoff) return undefined;
  return resolveOutcome(c.runoff.outcome, deriveRunoff(c, c.runoff, rules));
}

/** Where a stated outcome and the rules disagree, for a warning to the people who edit the data. */
export function disagreements(
  c: ComuneResults,
  rules: Rules,
): { round: "firstRound" | "runoff"; derived: DerivedOutcome }[] {
  const out: { round: "firstRound" | "runoff"; derived: DerivedOutcome }[] = [];
  if (c.firstRound.outcome && firstRoundOutcome(c, rules).reason === "stated")
    out.push({ round: "firstRound", derived: deriveOutcome({ ...c, candidates: c.firstRound.candidates }, rules) });
  if (c.runoff?.outcome && runoffOutcome(c, rules)?.reason === "stated")
    out.push({ round: "runoff", derived: deriveRunoff(c, c.runoff, rules) });
  return out;
}
