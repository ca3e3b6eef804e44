/**
 * Calls only when certain: while a comune is counting, what can no longer change.
 *
 * From the sections still to count we take an upper bound of the ballots still to come — the voters at
 * the close (the final turnout reading, when it covers every section) or else the electors, minus the
 * ballots already counted — and ask, under the election's rules (src/data/rules.ts), which outcomes hold
 * under every possible way those ballots could fall: all to one candidate, all to another, all blank, or
 * not cast at all. The remaining sections are never assumed to vote like the counted ones, so a call is
 * never made before it is true; and because each condition is exact (the worst case is reachable), a
 * call is made as soon as it is true for the figures we have.
 *
 * Pure functions over the results model (src/data/model.ts): the feed's bulletins and the live cards
 * call `assessCount` at every change and announce a certain call once, by its `key`.
 */
import type { ComuneResults, RoundResult, Sections } from "./model.js";
import { firstRoundThreshold, shareTest } from "./rules.js";
import type { Rules } from "./schema.js";

/** Which round is being counted: the first round (rules.ts) or a runoff (two candidates, most votes wins). */
export type Stage = "first" | "runoff";

/** The exact share test lives with the rules, so that the count's calls and the complete count use one. */
export { shareTest };

/** Why a candidate is certainly elected. */
export type ElectedReason =
  | "majority" // certain to end above the majority share (50%, exclusive) at the first round
  | "regional-threshold" // certain to reach the region's own share (inclusive), ahead of everyone
  | "single-round" // comune at or below the population threshold: certain to have the most votes
  | "runoff-round"; // the runoff: certain to have the most votes

/** A call that holds under every distribution of the ballots still to count. */
export type CertainCall =
  | {
      status: "certain";
      kind: "elected";
      /** The mayor. */
      candidates: [string];
      reason: ElectedReason;
      /** The first-round share that elects (percent), for "majority" and "regional-threshold". */
      threshold?: number;
      /** Sections counted when this assessment was made (the bulletin's "a 412 sezioni su 655"). */
      atSections: Sections | undefined;
      /** Stable identity of the call, to announce it once: see {@link callKey}. */
      key: string;
    }
  | {
      status: "certain";
      /** Nobody can reach the first-round share: there will be a runoff (who goes may still be open). */
      kind: "runoff";
      candidates: [];
      threshold: number;
      atSections: Sections | undefined;
      key: string;
    }
  | {
      status: "certain";
      /** The two who go to the runoff, each certain to finish in the top two with nobody level with them. */
      kind: "runoff-pair";
      /** In the order of the votes counted so far; that order itself may still change. */
      candidates: [string, string];
      threshold: number;
      atSections: Sections | undefined;
      key: string;
    };

/** The default state: nothing certain yet, or nothing stronger than what is shown. */
export interface LeadingCall {
  status: "leading";
  kind: "leading";
  /** The most voted so far ("in testa"); several when level, none before the first vote is counted. */
  candidates: string[];
  atSections: Sections | undefined;
}

export type Call = CertainCall | LeadingCall;

/** How many ballots can still come, and from which figure that bound is taken. */
export interface RemainingBound {
  /** Upper bound of the ballots still to count (valid or not); undefined when nothing bounds them. */
  ballots: number | undefined;
  /**
   * `complete`: every section counted (the bound is 0); `turnout`: the voters at the close; `electors`:
   * the electors (no usable final turnout reading, or one the figures contradict); `none`: neither is
   * known or both are below the ballots already counted, so nothing can be called before the end.
   */
  basis: "complete" | "turnout" | "electors" | "none";
  /**
   * False when the figures contradict each other: voters at the close above the electors, or ballots
   * counted above the voters or the electors. The bound then falls back to the largest figure that still
   * holds (or to none): fewer calls, never a wrong one. The anomaly gate can read this.
   */
  consistent: boolean;
}

/** A comune's count, assessed. */
export interface CountAssessment {
  /** What to show: the strongest certain call ("elected", then "runoff-pair", then "runoff"), else "leading". */
  call: Call;
  /** Every call certain now, strongest first (a runoff pair comes with its "runoff"). */
  certain: CertainCall[];
  /** The most voted so far, as in the leading call (useful next to a certain "runoff" whose pair is open). */
  leaders: string[];
  /** Every section counted (or, without section figures, the source marks the round final). */
  complete: boolean;
  remaining: RemainingBound;
  /** Sections counted of the total at this assessment. */
  atSections: Sections | undefined;
}

export interface AssessOptions {
  /** Default "first". In a runoff the most votes wins; ties and a lone candidate are never called. */
  stage?: Stage;
}

/**
 * The stable identity of a certain call within one comune's election: the bulletin layer stores it
 * (prefixed with the comune's code) so that each call is announced once, across restarts too. Candidate
 * names are sorted, so the key does not change when the two of a runoff pair swap places.
 * Examples: `1t:elected:Francesco Rucco`, `1t:runoff`, `1t:runoff-pair:Giacomo Possamai|Otello Dalla Rosa`.
 */
export function callKey(stage: Stage, kind: CertainCall["kind"], candidates: readonly string[]): string {
  const names = [...candidates].sort();
  return [stage === "first" ? "1t" : "2t", kind, ...(names.length ? [names.join("|")] : [])].join(":");
}

/**
 * Assess a round's count: which calls are certain, whatever the ballots still to count say.
 *
 * Shares are of valid votes (the sum of the candidates' votes); blank, invalid and contested ballots
 * count toward the ballots already counted but not toward any share. A round whose candidates lack
 * vote counts (a pack typed with percentages only) gets no certain call: the views' rules apply there.
 * A comune whose population band is unknown gets only the calls that hold in either band: a candidate
 * certain to reach the share (who is also certain to be the most voted), never a runoff.
 * When the count is complete the calls are what `deriveOutcome` (rules.ts) says of the votes;
 * a sole candidate is called only then, because whether a sole candidate is elected may hang on a
 * turnout quorum that the rules as code do not model.
 */
export function assessCount(
  result: RoundResult,
  comune: Pick<ComuneResults, "region" | "populationBand">,
  rules: Rules,
  options: AssessOptions = {},
): CountAssessment {
  const stage = options.stage ?? "first";
  const atSections = result.sections;
  const complete = atSections ? atSections.counted >= atSections.total : result.provenance.status === "final";

  const votes = result.candidates.map((c) => c.votes);
  const known = votes.every((v): v is number => v !== undefined);
  // Most voted first; level candidates keep the source's order (as rules.ts ranks them).
  const ranked = known
    ? result.candidates
        .map((c, i) => ({ name: c.name, votes: c.votes as number, i }))
        .sort((a, b) => b.votes - a.votes || a.i - b.i)
    : [];
  const top = ranked[0]?.votes ?? 0;
  const leaders = top > 0 ? ranked.filter((c) => c.votes === top).map((c) => c.name) : [];

  const valid = ranked.reduce((s, c) => s + c.votes, 0);
  // A missing blank/invalid/contested figure counts as 0: fewer ballots counted, a larger bound.
  const counted = valid + (result.blank ?? 0) + (result.invalid ?? 0) + (result.contested ?? 0);
  const remaining = remainingBound(result, counted, complete);

  const certain: CertainCall[] = [];
  const R = remaining.ballots;
  const n = ranked.length;
  // A sole candidate is called only on the complete count, and never in a runoff (see above).
  const soleGuard = n === 1 && (!complete || stage === "runoff");
  if (known && R !== undefined && n > 0 && !soleGuard) {
    const [a, b, c] = ranked as [Ranked, Ranked | undefined, Ranked | undefined];
    // Certain to have strictly more votes than anyone else: even all of R to the runner-up falls short.
    const aheadOfAll = a.votes >= 1 && (b === undefined || a.votes > b.votes + R);
    const threshold = stage === "first" ? firstRoundThreshold(comune, rules) : undefined;

    if (!threshold) {
      if (aheadOfAll) {
        const reason: ElectedReason = stage === "first" ? "single-round" : "runoff-round";
        certain.push(elected(stage, a.name, reason, undefined, atSections));
      }
    } else {
      const share = shareTest(threshold.percent, threshold.inclusive);
      // Worst case for the leader: every remaining ballot valid and cast for someone else, so the
      // leader's share is a.votes / (valid + R). (With a sole candidate, R is 0 here: count complete.)
      if (aheadOfAll && share(a.votes, valid + R)) {
        const reason = threshold.regional ? "regional-threshold" : "majority";
        certain.push(elected(stage, a.name, reason, threshold.percent, atSections));
      }
      // Best case for anyone: every remaining ballot valid and theirs, share (v + R) / (valid + R); the
      // most voted has the best best case. At least one valid vote already counted, or the final could
      // have none (no shares at all, undecided). Only where the comune is known to be above the
      // population threshold: at or below it the most voted is elected, with no share at all.
      const bandKnown = comune.populationBand !== undefined;
      const nobodyCanReach = bandKnown && n >= 2 && valid >= 1 && !share(a.votes + R, valid + R);
      if (nobodyCanReach) {
        const pairSettled = b !== undefined && (c === undefined || c.votes + R < b.votes);
        if (pairSettled) {
          const pair: [string, string] = [a.name, b.name];
          certain.push({
            status: "certain",
            kind: "runoff-pair",
            candidates: pair,
            threshold: threshold.percent,
            atSections,
            key: callKey(stage, "runoff-pair", pair),
          });
        }
        certain.push({
          status: "certain",
          kind: "runoff",
          candidates: [],
          threshold: threshold.percent,
          atSections,
          key: callKey(stage, "runoff", []),
        });
      }
    }
  }

  const call: Call = certain[0] ?? { status: "leading", kind: "leading", candidates: leaders, atSections };
  return { call, certain, leaders, complete, remaining, atSections };
}

type Ranked = { name: string; votes: number; i: number };

function elected(
  stage: Stage,
  name: string,
  reason: ElectedReason,
  threshold: number | undefined,
  atSections: Sections | undefined,
): CertainCall {
  return {
    status: "certain",
    kind: "elected",
    candidates: [name],
    reason,
    ...(threshold !== undefined ? { threshold } : {}),
    atSections,
    key: callKey(stage, "elected", [name]),
  };
}

/**
 * The upper bound of the ballots still to count.
 *
 * The voters at the close are used only from a reading marked final that covers every section (a final
 * reading reported by 60 sections of 90 counts only their voters). When the figures contradict each
 * other the bound falls back to the largest figure that still holds, so that a wrong figure can only
 * delay a call.
 */
export function remainingBound(result: RoundResult, countedBallots: number, complete: boolean): RemainingBound {
  const closing = [...result.turnout].reverse().find((p) => p.final);
  const voters =
    closing?.voters !== undefined && (!closing.sections || closing.sections.counted >= closing.sections.total)
      ? closing.voters
      : undefined;
  const electors = result.electors;
  const consistent =
    (voters === undefined || ((electors === undefined || voters <= electors) && countedBallots <= voters)) &&
    (electors === undefined || countedBallots <= electors);
  if (complete) return { ballots: 0, basis: "complete", consistent };
  if (voters !== undefined && consistent) return { ballots: voters - countedBallots, basis: "turnout", consistent };
  // No usable turnout figure, or a contradiction: the largest figure not below what is already counted.
  const candidates: { total: number; basis: "turnout" | "electors" }[] = [];
  if (voters !== undefined && voters >= countedBallots) candidates.push({ total: voters, basis: "turnout" });
  if (electors !== undefined && electors >= countedBallots) candidates.push({ total: electors, basis: "electors" });
  const largest = candidates.sort((x, y) => y.total - x.total)[0];
  return largest
    ? { ballots: largest.total - countedBallots, basis: largest.basis, consistent }
    : { ballots: undefined, basis: "none", consistent };
}
