/**
 * What every view of a round's figures says before them, decided in one place: whether the round
 * elected nobody (a void runoff, said first with its reason), and whether it had a sole candidate,
 * whose percentage is no share of a contest: the votes are shown instead, with the turnout (and the
 * share of the electors) against the quorum that decided it. The city card, /ballottaggi, inline
 * results and the shares chart read a round through here, so that none of them shows Trapani 2017's
 * void runoff as "Pietro Savona 91,51%".
 */
import { formatInteger, formatPercent } from "../format/italian.js";
import type { Lang } from "../i18n/index.js";
import type { ResultsMessages } from "../i18n/results.js";
import type { Stage } from "./certainty.js";
import type { CandidateResult, ComuneResults, RoundResult } from "./model.js";
import { type DerivedOutcome, ruleFor } from "./rules.js";
import type { Rules } from "./schema.js";
import { settledFirstRound, settledRunoff } from "./settled.js";

/** A figure and the minimum the region's law asks of it, where it asks one. */
export interface AgainstQuorum {
  percent: number;
  min?: number;
  /** Whether the figure reached the minimum (set with `min`). */
  met?: boolean;
}

/** A round with one candidate: the votes, and what the quorum was measured on. */
export interface SoleCandidate {
  candidate: CandidateResult;
  /** The round's turnout, against the minimum a single-candidate runoff needs. */
  turnout?: AgainstQuorum;
  /** The candidate's votes as a share of the electors, against the minimum, where the electors are known. */
  electors?: AgainstQuorum;
}

export interface RoundStanding {
  /** The round's outcome as far as it is settled (settled.ts). */
  outcome: DerivedOutcome;
  /** Nobody was elected by this round: said before any figure. */
  void: boolean;
  /** Void because the sole candidate missed the region's quorum. */
  quorumMissed: boolean;
  /** Set when the round had one candidate: no share is shown for them. */
  sole?: SoleCandidate;
}

function against(percent: number, min: number | undefined): AgainstQuorum {
  return min === undefined ? { percent } : { percent, min, met: percent >= min };
}

/** The round's turnout: the stated figure, else voters over electors. */
function turnoutOf(round: RoundResult): number | undefined {
  if (round.turnoutPercent !== undefined) return round.turnoutPercent;
  return round.voters !== undefined && round.electors ? (round.voters / round.electors) * 100 : undefined;
}

/** What to say of a comune's round before its figures; undefined when the comune has no such round. */
export function roundStanding(c: ComuneResults, stage: Stage, rules: Rules): RoundStanding | undefined {
  const round = stage === "first" ? c.firstRound : c.runoff;
  const outcome = stage === "first" ? settledFirstRound(c, rules) : settledRunoff(c, rules);
  if (!round || !outcome) return undefined;
  const standing: RoundStanding = {
    outcome,
    void: outcome.kind === "void",
    quorumMissed: outcome.kind === "void" && outcome.reason === "single-candidate-quorum",
  };
  const [only, other] = round.candidates;
  if (!only || other) return standing;
  // The region's quorum applies to a runoff left with one candidate (rules.ts); elsewhere none is known.
  const quorum = stage === "runoff" ? ruleFor(c.region, rules).regional?.singleCandidateRunoff : undefined;
  const turnout = turnoutOf(round);
  const sole: SoleCandidate = { candidate: only };
  if (turnout !== undefined) sole.turnout = against(turnout, quorum?.minTurnoutPercent);
  if (only.votes !== undefined && round.electors)
    sole.electors = against((only.votes / round.electors) * 100, quorum?.minElectorsPercent);
  return { ...standing, sole };
}

/** A standing in words (plain text), for one interface language. */
export interface StandingWords {
  /** "Nessun sindaco eletto: quorum non raggiunto"; undefined unless the round is void. */
  head?: string;
  /** Why nobody was elected, where the rules say: "quorum non raggiunto". */
  reason?: string;
  /** A sole candidate: "Pietro Savona, unico candidato: 14.536 voti". */
  candidate?: string;
  /** The same after the name: "unico candidato: 14.536 voti". */
  figures?: string;
  /** Without the votes: "unico candidato". */
  only?: string;
  /** A sole candidate's quorum: "affluenza 26,75%, sotto il minimo del 50%", and the electors' share where known. */
  quorum: string[];
}

/**
 * The standing's words. `numbers` is the language the figures are written in: the interface's in the
 * chat, Italian in the charts (as every figure a chart prints).
 */
export function standingWords(s: RoundStanding, r: ResultsMessages, numbers: Lang): StandingWords {
  const pct = (p: number) => formatPercent(Math.round(p * 100) / 100, numbers);
  const reason = s.quorumMissed ? r.quorumMissed : undefined;
  const words: StandingWords = { quorum: [] };
  if (s.void) words.head = reason ? `${r.noMayor}: ${reason}` : r.noMayor;
  if (reason) words.reason = reason;
  const sole = s.sole;
  if (sole) {
    const votes = sole.candidate.votes;
    words.figures = r.soleFigures(votes !== undefined ? formatInteger(votes, numbers) : undefined);
    words.candidate = `${sole.candidate.name}, ${words.figures}`;
    words.only = r.soleFigures(undefined);
    const t = sole.turnout;
    if (t) words.quorum.push(r.quorumTurnout(pct(t.percent), t.min !== undefined ? pct(t.min) : undefined, !!t.met));
    const e = sole.electors;
    if (e) words.quorum.push(r.quorumElectors(pct(e.percent), e.min !== undefined ? pct(e.min) : undefined, !!e.met));
  }
  return words;
}
