/**
 * The electoral rules of Italian municipal elections, as code.
 *
 * - Comuni at or below the population threshold (15,000) elect the mayor at one round: the most voted wins.
 * - Above it, a candidate with more than the majority share (50%) wins at the first round;
 *   otherwise the two most voted go to a runoff.
 * - Some regions set their own first-round share for comuni above the threshold
 *   (Sicily: 40%, reached inclusive — Palermo 2017).
 * An outcome stated by the source is kept; the rules supply the reason and are checked against it.
 */
import type { Candidate, Comune, Rules } from "./schema.js";

export type OutcomeReason =
  | "majority" // over the majority share at the first round
  | "regional-threshold" // reached the region's own first-round share
  | "single-round" // small comune: one round, most voted wins
  | "no-majority" // nobody reached the share: runoff between the top two
  | "stated" // as the source states, the rules alone would not say so
  | "incomplete" // the data does not allow a decision yet
  | "tie"; // equal shares where it matters

export type DerivedOutcome =
  | { kind: "elected"; candidate: string; reason: OutcomeReason; threshold?: number }
  | { kind: "runoff"; candidates: [string, string]; reason: OutcomeReason; threshold?: number }
  | { kind: "undecided"; reason: OutcomeReason };

type Ranked = Candidate & { percent: number };

/** Candidates sorted by share (highest first); those without a share go last, in source order. */
export function rankCandidates(candidates: readonly Candidate[]): Candidate[] {
  return candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (b.c.percent ?? -1) - (a.c.percent ?? -1) || a.i - b.i)
    .map((x) => x.c);
}

/** The first-round share that elects in this comune, or undefined for a single-round comune. */
export function firstRoundThreshold(
  comune: Pick<Comune, "region" | "populationBand">,
  rules: Rules,
): { percent: number; inclusive: boolean; regional: boolean } | undefined {
  if (comune.populationBand === "fino-15000") return undefined;
  const regional = rules.regionalFirstRoundPercent[comune.region];
  if (regional !== undefined) return { percent: regional, inclusive: true, regional: true };
  return { percent: rules.majorityPercent, inclusive: false, regional: false };
}

/** What the rules say about a comune's first round, from its shares alone. */
export function deriveOutcome(
  comune: Pick<Comune, "region" | "populationBand" | "candidates">,
  rules: Rules,
): DerivedOutcome {
  const ranked = rankCandidates(comune.candidates);
  const [first, second, third] = ranked;
  if (!first || first.percent === undefined) return { kind: "undecided", reason: "incomplete" };
  const top = first as Ranked;

  const threshold = firstRoundThreshold(comune, rules);
  if (!threshold) {
    if (second?.percent !== undefined && second.percent === top.percent) return { kind: "undecided", reason: "tie" };
    return { kind: "elected", candidate: top.name, reason: "single-round" };
  }
  const reached = threshold.inclusive ? top.percent >= threshold.percent : top.percent > threshold.percent;
  if (reached) {
    // Only an inclusive regional share below 50% lets two candidates reach it with equal shares.
    if (second?.percent !== undefined && second.percent === top.percent) return { kind: "undecided", reason: "tie" };
    return {
      kind: "elected",
      candidate: top.name,
      reason: threshold.regional ? "regional-threshold" : "majority",
      threshold: threshold.percent,
    };
  }
  if (!second || second.percent === undefined) return { kind: "undecided", reason: "incomplete" };
  if (third?.percent !== undefined && third.percent === second.percent) return { kind: "undecided", reason: "tie" };
  return { kind: "runoff", candidates: [top.name, second.name], reason: "no-majority", threshold: threshold.percent };
}

/** The outcome to show: the stated one where the source gives it (with the rules' reason when they agree). */
export function outcomeOf(comune: Comune, rules: Rules): DerivedOutcome {
  const derived = deriveOutcome(comune, rules);
  const stated = comune.outcome;
  if (!stated) return derived;
  if (stated.kind === "elected") {
    const agrees = derived.kind === "elected" && derived.candidate === stated.candidate;
    return agrees ? derived : { kind: "elected", candidate: stated.candidate, reason: "stated" };
  }
  const agrees = derived.kind === "runoff" && new Set([...derived.candidates, ...stated.candidates]).size === 2;
  return agrees
    ? { ...derived, candidates: stated.candidates }
    : { kind: "runoff", candidates: stated.candidates, reason: "stated" };
}
