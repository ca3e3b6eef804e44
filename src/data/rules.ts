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
 * A share is decided on the votes whenever every candidate has them (valid votes are the candidates'
 * votes), exactly, with the same test the calls made while counting use (certainty.ts): a share
 * published to two decimals (50,00 for 10.001 of 20.001) decides only where the votes are missing.
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

export type { OutcomeReason };

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
  | {
      kind: "undecided";
      reason: OutcomeReason;
      /** For "runoff-tie": the candidates level for the runoff's last place (or places), most voted first. */
      tied?: string[];
    };

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

/**
 * An exact test "votes / total reaches the share" (above it, or at least it when inclusive), in integer
 * arithmetic: `percent` is taken as the decimal it was written as (40, 50, 33.3), so 5,000 of 10,000 is
 * exactly 50% and not one rounding error either side. The one test of a share, for the count's calls
 * (certainty.ts) and for the complete count (here).
 */
export function shareTest(percent: number, inclusive: boolean): (votes: number, total: number) => boolean {
  let scale = 1n;
  let num = BigInt(Math.round(percent));
  for (let k = 0, f = 1; k <= 9; k++, f *= 10) {
    const scaled = percent * f;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-7) {
      num = BigInt(Math.round(scaled));
      scale = BigInt(f);
      break;
    }
  }
  const hundred = 100n * scale;
  return (votes, total) => {
    if (total <= 0) return false;
    const lhs = BigInt(votes) * hundred;
    const rhs = num * BigInt(total);
    return inclusive ? lhs >= rhs : lhs > rhs;
  };
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

  // Votes decide wherever every candidate has them: valid votes are theirs, and none means no count yet.
  const byVotes = comune.candidates.every((c) => c.votes !== undefined);
  const valid = byVotes ? comune.candidates.reduce((s, c) => s + (c.votes ?? 0), 0) : undefined;
  if (valid === 0) return { kind: "undecided", reason: "incomplete" };

  const rule = ruleFor(comune.region, rules);
  const region = rule.region ? { region: rule.region } : {};
  if (comune.populationBand === "fino-15000") {
    if (tied(first, second)) return { kind: "undecided", reason: "tie" };
    return { kind: "elected", candidate: first.name, reason: "single-round", ...region };
  }
  const threshold = rule.firstRoundPercent;
  let reached: boolean;
  if (valid !== undefined) reached = shareTest(threshold, rule.firstRoundInclusive)(first.votes ?? 0, valid);
  else if (first.percent === undefined) return { kind: "undecided", reason: "incomplete" };
  else reached = rule.firstRoundInclusive ? first.percent >= threshold : first.percent > threshold;
  if (reached) {
    // Above the share, a small comune would elect the same candidate: the size need not be known.
    // Only an inclusive share below 50% lets two candidates reach it with equal figures.
    if (tied(first, second)) return { kind: "undecided", reason: "tie" };
    const reason = rule.firstRoundInclusive && threshold < rules.majorityPercent ? "regional-threshold" : "majority";
    return { kind: "elected", candidate: first.name, reason, threshold, ...region };
  }
  if (comune.populationBand === undefined) return { kind: "undecided", reason: "population-unknown" };
  if (!second || figure(second) === undefined) return { kind: "undecided", reason: "incomplete" };
  if (tied(second, third)) {
    // Who takes the runoff's last place is for the law (the linked lists' votes, then age): not for the data.
    const level = ranked.filter((c) => figure(c) === figure(second)).map((c) => c.name);
    return { kind: "undecided", reason: "runoff-tie", tied: level };
  }
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
