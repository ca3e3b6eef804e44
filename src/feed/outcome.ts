/**
 * A round's outcome from the feed's figures, under the election's rules (src/data/rules.ts): still counting
 * ("in testa"), elected at the first round, runoff between the two first, or the runoff's winner.
 *
 * rules.ts reasons on the data pack's comune; this is the small adapter from a RoundResult to it. What the
 * Ministry states (`eletto: "S"`) wins over what the rules derive, as for the data pack.
 */

import type { ComuneResults, RoundResult, Sections } from "../data/model.js";
import { type DerivedOutcome, deriveOutcome, type OutcomeReason } from "../data/rules.js";

/** The election's rules, as rules.ts takes them. */
export type ElectionRules = Parameters<typeof deriveOutcome>[1];

export type PopulationBand = ComuneResults["populationBand"];

export type FeedOutcomeReason = OutcomeReason | "runoff-winner";

export type FeedOutcome =
  /** Sections still being counted: `leader` is the candidate in front (absent before the first votes or on a tie). */
  | { kind: "counting"; leader?: string; sections?: Sections }
  | { kind: "elected"; candidate: string; reason: FeedOutcomeReason; threshold?: number }
  | { kind: "runoff"; candidates: [string, string]; reason: FeedOutcomeReason; threshold?: number }
  /** No mayor from this round (a runoff with one candidate that missed its quorum). */
  | { kind: "void"; note?: string; reason: FeedOutcomeReason }
  /** `tied`: for "runoff-tie", the candidates level for the runoff's last place. */
  | { kind: "undecided"; reason: FeedOutcomeReason; tied?: string[] };

export interface OutcomeContext {
  round: "first" | "runoff";
  /** Every section counted. */
  complete: boolean;
  region: string;
  /**
   * From `tipo_comune`, or where the Ministry omits it from the index's legal population (discovery.ts).
   * Unknown, the rules give an outcome only where both bands agree (a candidate over
   * the share is elected either way); below the share the outcome waits for the Ministry's word (the
   * mayor marked elected), since a small comune elects the leader where a large one goes to a runoff.
   */
  populationBand?: PopulationBand;
}

function leaderOf(round: RoundResult): string | undefined {
  const withVotes = round.candidates.filter((c) => (c.votes ?? 0) > 0);
  if (!withVotes.length) return undefined;
  const [a, b] = [...withVotes].sort((x, y) => (y.votes ?? 0) - (x.votes ?? 0));
  return b && b.votes === a!.votes ? undefined : a!.name;
}

/** The outcome to show for a round, from the Ministry's statement or from the rules once the count is complete. */
export function feedOutcome(round: RoundResult, ctx: OutcomeContext, rules: ElectionRules): FeedOutcome {
  const stated = round.outcome;
  if (!ctx.complete && stated?.kind !== "elected") {
    return { kind: "counting", leader: leaderOf(round), sections: round.sections };
  }
  const derived = derive(round, ctx, rules);
  if (stated?.kind === "elected") {
    const agrees = derived.kind === "elected" && derived.candidate === stated.candidate;
    return agrees ? derived : { kind: "elected", candidate: stated.candidate, reason: "stated" };
  }
  if (stated?.kind === "runoff") {
    const agrees = derived.kind === "runoff" && new Set([...derived.candidates, ...stated.candidates]).size === 2;
    return agrees
      ? { ...derived, candidates: stated.candidates }
      : { kind: "runoff", candidates: stated.candidates, reason: "stated" };
  }
  return derived;
}

function derive(round: RoundResult, ctx: OutcomeContext, rules: ElectionRules): FeedOutcome {
  if (ctx.round === "runoff") {
    // A runoff elects the most voted of the two: the rules' single-round case.
    const d = deriveOutcome({ region: ctx.region, populationBand: "fino-15000", candidates: round.candidates }, rules);
    return d.kind === "elected" ? { ...d, reason: "runoff-winner" } : d;
  }
  const d: DerivedOutcome = deriveOutcome(
    {
      region: ctx.region,
      ...(ctx.populationBand ? { populationBand: ctx.populationBand } : {}),
      candidates: round.candidates,
    },
    rules,
  );
  return d;
}
