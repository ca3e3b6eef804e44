/**
 * The checks: a comune's new figures against its last good ones and against themselves ({@link checkRound}),
 * with the tolerances of the few checks that need one. Each family of checks has its own module: figures
 * going backwards (backwards.ts), the round's own sums (sums.ts), the turnout readings (readings.ts).
 */
import type { Anomaly } from "../anomaly-types.js";
import type { Stage } from "../certainty.js";
import type { ComuneResults, RoundResult, Sections, StatedOutcome } from "../model.js";
import { backwards } from "./backwards.js";
import { readings } from "./readings.js";
import { ownSums } from "./sums.js";

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
