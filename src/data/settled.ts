/**
 * A round's outcome as far as it is settled. On a complete count (or a round whose source marks it
 * final) the rules decide (rules.ts). While sections are still being counted only what the sections
 * left can no longer change counts (certainty.ts): a candidate certainly elected, or a runoff pair
 * certainly set; anything else is "in testa", never an outcome. Cards, /ballottaggi and /info read
 * outcomes through here, so that a partial count is never shown as a result.
 */
import { assessCount, type CountAssessment, type Stage } from "./certainty.js";
import type { ComuneResults, RoundResult } from "./model.js";
import { type DerivedOutcome, firstRoundOutcome, runoffOutcome } from "./rules.js";
import type { Rules } from "./schema.js";

/** Whether the round is still being counted: sections left, or (without sections) figures marked partial. */
export function counting(round: RoundResult): boolean {
  return round.sections ? round.sections.counted < round.sections.total : round.provenance.status === "partial";
}

/** The round's count, assessed (calls that are certain, who leads). */
export function assessRound(c: ComuneResults, stage: Stage, rules: Rules): CountAssessment | undefined {
  const round = stage === "first" ? c.firstRound : c.runoff;
  return round && assessCount(round, c, rules, { stage });
}

/** The outcome to treat as known: the rules' on a complete count, only a certain call while counting. */
function settled(
  c: ComuneResults,
  stage: Stage,
  rules: Rules,
  decided: () => DerivedOutcome | undefined,
): DerivedOutcome | undefined {
  const round = stage === "first" ? c.firstRound : c.runoff;
  if (!round) return undefined;
  if (!counting(round)) return decided();
  const call = assessCount(round, c, rules, { stage }).call;
  if (call.status === "certain" && call.kind === "elected")
    return {
      kind: "elected",
      candidate: call.candidates[0],
      reason:
        call.reason === "runoff-round"
          ? "runoff-most-votes"
          : call.reason === "regional-threshold"
            ? "regional-threshold"
            : call.reason === "single-round"
              ? "single-round"
              : "majority",
      ...(call.threshold !== undefined ? { threshold: call.threshold } : {}),
    };
  if (call.status === "certain" && call.kind === "runoff-pair")
    return { kind: "runoff", candidates: call.candidates, reason: "no-majority", threshold: call.threshold };
  return { kind: "undecided", reason: "incomplete" };
}

/** The first round's outcome as far as it is settled. */
export function settledFirstRound(c: ComuneResults, rules: Rules): DerivedOutcome {
  return settled(c, "first", rules, () => firstRoundOutcome(c, rules))!;
}

/** The runoff's outcome as far as it is settled; undefined without a runoff in the data. */
export function settledRunoff(c: ComuneResults, rules: Rules): DerivedOutcome | undefined {
  return settled(c, "runoff", rules, () => runoffOutcome(c, rules));
}
