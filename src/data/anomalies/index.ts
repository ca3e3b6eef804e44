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
 *
 * The checks (checks.ts, with backwards.ts, sums.ts, readings.ts and their wording, wording.ts), the gate
 * (gate.ts), its JSON state (state.ts) and the stale clock (stale.ts); the anomalies' own types are in
 * src/data/anomaly-types.ts.
 */
export type {
  Anomaly,
  AnomalyCode,
  AnomalyFigures,
  AnomalySeverity,
  BallotKind,
  ReadingRef,
} from "../anomaly-types.js";
export {
  type AnomalyThresholds,
  type Baseline,
  baselineOf,
  type CheckOptions,
  checkRound,
  DEFAULT_THRESHOLDS,
} from "./checks.js";
export { AnomalyGate, type GateStatus, type GateVerdict } from "./gate.js";
export { DEFAULT_STALE_MINUTES, staleSince } from "./stale.js";
export type { GateEntry, GateState, Release } from "./state.js";
