/**
 * What an anomaly is, as the rest of the bot names it: its codes, severities and figures. Types only, shared
 * by the gate that finds anomalies (anomalies/) and the interface that words them (i18n).
 */
import type { StatedOutcome } from "./model.js";

/** `hold`: automatic bulletins for the comune wait; `note`: logged only. */
export type AnomalySeverity = "hold" | "note";

/** A turnout reading, as anomalies name it: its survey time and whether it is the reading at the close. */
export interface ReadingRef {
  at: string;
  final: boolean;
}

/** The kinds of ballots that are neither valid votes nor missing. */
export type BallotKind = "blank" | "invalid" | "contested";

/** The figures each anomaly carries, by code. Counts are integers, percentages in points (50.64). */
export interface AnomalyFigures {
  // Backwards, against the last good figures.
  /** hold — sections counted fell. */
  "sections-fell": { before: number; now: number; total: number };
  /** note — the total of sections changed (a section added or removed mid-count). */
  "sections-total-changed": { before: number; now: number };
  /** hold — a candidate's votes fell. */
  "votes-fell": { candidate: string; before: number; now: number };
  /** hold — a list's votes fell (`list` is its name, or "n. 11" by ballot position, or "#3" by order). */
  "list-votes-fell": { candidate: string; list: string; before: number; now: number };
  /** hold — the voters of the round fell. */
  "voters-fell": { before: number; now: number };
  /** note — blank, invalid or contested ballots fell (contested ballots are settled later: plausible). */
  "ballots-fell": { kind: BallotKind; before: number; now: number };
  /**
   * hold — a turnout reading fell for the same hour: its voters, its sections reported, or its percent
   * with no more sections reported (with more sections a percent may fall: it is of those sections).
   */
  "reading-fell": { reading: ReadingRef; field: "voters" | "percent" | "sections"; before: number; now: number };
  /** note — a turnout reading published before is no longer there. */
  "reading-missing": { reading: ReadingRef };
  /** hold — a candidate not in the last good figures. */
  "candidate-appeared": { candidate: string; votes?: number };
  /** hold — a candidate of the last good figures is gone (`votes`: their last good votes). */
  "candidate-disappeared": { candidate: string; votes?: number };
  /** hold — the outcome the source states changed or was withdrawn. */
  "outcome-changed": { before?: StatedOutcome; now?: StatedOutcome };
  // The round against itself.
  /**
   * voters − blank − invalid − contested ≠ the candidates' votes, where every figure is known and the
   * voters are published (the feed leaves them at 0 while counting). `difference` = candidates −
   * expected. hold when the candidates have more votes than that, or on the complete count; a note
   * when they have fewer with sections still to count (which sections the voters cover is unknown).
   */
  "sum-mismatch": {
    voters: number;
    blank: number;
    invalid: number;
    contested: number;
    expected: number;
    candidates: number;
    difference: number;
  };
  /**
   * hold — more ballots counted (candidates' votes + blank + invalid + contested, as far as known)
   * than the voters (where not already in a sum mismatch), the voters at the close (a final reading
   * every section reported), or the electors: the tightest figure exceeded.
   */
  "ballots-over": { ballots: number; limit: number; against: "voters" | "closing-voters" | "electors" };
  /**
   * A candidate's lists have more votes than the candidate. hold at or below 15,000 inhabitants (one
   * vote: a list vote is a vote for its candidate); a note above (the split vote makes it possible)
   * or where the comune's size is not given. Not checked in a runoff (lists carry the first round).
   */
  "lists-exceed-candidate": { candidate: string; lists: number; votes: number };
  /** hold — all lists together have more votes than all candidates (a list vote always counts for a candidate). */
  "lists-exceed-total": { lists: number; candidates: number };
  /** hold — the candidates' (or the lists') shares sum farther from 100 than the tolerance. */
  "shares-sum": { of: "candidates" | "lists"; sum: number; tolerance: number };
  /** hold — a candidate's published share is farther than the tolerance from votes ÷ valid votes. */
  "share-mismatch": { candidate: string; percent: number; computed: number; tolerance: number };
  /** hold — more voters than electors, in the round or in a turnout reading. */
  "voters-over-electors": { reading?: ReadingRef; voters: number; electors: number };
  /** hold — turnout above 100%, in the round or in a turnout reading. */
  "turnout-over-100": { reading?: ReadingRef; percent: number };
  /** hold — more sections counted (or reported, for a reading) than the total. */
  "sections-over-total": { reading?: ReadingRef; counted: number; total: number };
  /** note — a later reading (both reported by every section) below an earlier one: turnout is cumulative. */
  "readings-decrease": {
    earlier: ReadingRef;
    later: ReadingRef;
    field: "voters" | "percent";
    before: number;
    now: number;
  };
}

export type AnomalyCode = keyof AnomalyFigures;

/** One anomaly of a comune's figures. */
export type Anomaly = {
  [C in AnomalyCode]: {
    code: C;
    severity: AnomalySeverity;
    /**
     * Stable identity within the comune's round: the code and what it concerns, never the figures
     * ("votes-fell:Francesco Rucco", "reading-fell:19:00:voters", "sum-mismatch"). The gate tells the
     * newsroom once per key, and a release covers keys.
     */
    key: string;
    figures: AnomalyFigures[C];
    /** For the newsroom, without the comune's name (the caller prefixes it): "Voti di X scesi da … a …". */
    it: string;
    en: string;
  };
}[AnomalyCode];
