/** What the poller offers and is given: each comune's snapshot, the change events, the options, its status and saved state. */
import type { Logger } from "pino";
import type { ComuneIdentity, Round, RoundResult, Sections, TurnoutPoint } from "../../data/model.js";
import type { AreaTurnoutPoint } from "../../data/turnout-totals.js";
import type { Backoff, EligendoClient, FetchOutcomeKind } from "../client.js";
import type { FeedSettings } from "../config.js";
import type { FeedComune } from "../discovery.js";
import type { ElectionRules, FeedOutcome } from "../outcome.js";
import type { FeedWarning } from "../parse.js";
import type { Clock } from "../rate.js";

export type { Round };

/** One round of one comune, as last seen. */
export interface RoundSnapshot {
  /** YYYY-MM-DD. */
  date: string;
  /** Turnout readings published so far (12:00, 19:00, 23:00, final). */
  turnout: TurnoutPoint[];
  /** The last good count, with `turnout` and the previous election's turnout merged in. */
  result?: RoundResult;
  /** Runoff answers repeat the first round's candidates and shares: kept here. */
  firstRoundFromRunoff?: RoundResult;
  outcome?: FeedOutcome;
  /** Every section counted. */
  complete: boolean;
  /** Seats allocated (`fine_rip`). */
  closed: boolean;
  /**
   * Settled, not asked again: complete, the outcome stated by the Ministry (closed, or the mayor named),
   * and no sum that does not add up. Until then a complete count is asked again every RECHECK_MS or so.
   */
  final: boolean;
  /** What is wrong with the current figures (e.g. a sum that does not add up). */
  warnings: FeedWarning[];
}

/** A comune's state: who it is, and each round it votes in. */
export interface ComuneSnapshot {
  comune: FeedComune;
  first: RoundSnapshot;
  runoff?: RoundSnapshot;
}

/** What changed, for the bulletins. Every event names its round and its comune (where it has one). */
export type FeedEvent =
  | { type: "discovered"; round: Round; comuni: number; unknown: number }
  /** A comune's reading appeared (`first`) or moved on (more sections reported). */
  | { type: "turnout-reading"; round: Round; comune: FeedComune; point: TurnoutPoint; first: boolean }
  /** More comuni have published a reading: the election's total now, with how many comuni are in. */
  | { type: "turnout-progress"; round: Round; at: string; final: boolean; total: AreaTurnoutPoint }
  /** The first sections of a comune are counted. */
  | {
      type: "count-started";
      round: Round;
      comune: FeedComune;
      sections?: Sections;
      result: RoundResult;
      outcome: FeedOutcome;
    }
  /** More sections counted. */
  | {
      type: "count-progress";
      round: Round;
      comune: FeedComune;
      sections?: Sections;
      previous?: Sections;
      result: RoundResult;
      outcome: FeedOutcome;
    }
  /** Every section counted. */
  | { type: "count-complete"; round: Round; comune: FeedComune; result: RoundResult; outcome: FeedOutcome }
  /** A decided outcome (elected, runoff pair) appeared or changed. */
  | {
      type: "outcome";
      round: Round;
      comune: FeedComune;
      outcome: Extract<FeedOutcome, { kind: "elected" | "runoff" }>;
      previous?: FeedOutcome;
      result: RoundResult;
    }
  | { type: "warning"; warning: FeedWarning };

export type FeedListener = (event: FeedEvent) => void;

export interface PollerOptions {
  settings: Pick<FeedSettings, "date" | "runoffDate" | "pollMs" | "maxRps">;
  client: EligendoClient;
  /** The comuni index (data/comuni.json): the feed's comuni are joined to it by their 9-digit code. */
  index: Iterable<ComuneIdentity>;
  rules: ElectionRules;
  /**
   * Higher first, asked at the start of each cycle: comuni with followers or asked about in the last
   * minutes, then capoluoghi. A province's turnout takes the highest priority of its comuni. Default 0.
   */
  priority?: (comune: FeedComune) => number;
  /** Awaited at the start of each cycle, before `priority` is asked: what it needs read from a store. */
  beforeCycle?: () => Promise<void>;
  logger?: Logger;
  clock?: Clock;
  backoff?: Backoff;
  /** State saved by `exportState` before a restart: restored without announcing anything again. */
  state?: FeedState;
  /** Requests in flight at once; default the rate rounded up (at most 20). */
  concurrency?: number;
  /**
   * How often a complete count not yet settled is asked again, on the poller's clock; default RECHECK_MS
   * (every cycle when the poll interval is longer). While its answer stays the same and nothing doubts it,
   * the wait grows to a quarter of the time since the answer last changed, up to RECHECK_MAX_MS.
   */
  recheckMs?: number;
  /**
   * Whether the caller doubts a round's current figures (the anomaly gate holds them): a doubted round is
   * never taken as settled, and a complete one is asked again every `recheckMs`, until the doubt is gone.
   */
  doubted?: (code: string, round: Round) => boolean;
}

/** A complete count not settled yet (held, or its outcome not stated by the Ministry) is asked again this often. */
export const RECHECK_MS = 5 * 60_000;
/** …and, when its answer has not changed for hours and nothing holds it, this often. */
export const RECHECK_MAX_MS = 60 * 60_000;

/** What a cycle did. */
export interface CycleReport {
  requests: number;
  outcomes: Partial<Record<FetchOutcomeKind, number>>;
  /** On the poller's clock. */
  startedAt: number;
  durationMs: number;
}

export interface FeedStatus {
  running: boolean;
  cycles: number;
  lastCycle?: CycleReport;
  requests: number;
  outcomes: Partial<Record<FetchOutcomeKind, number>>;
  /** Failures in a row (refused, 5xx, timeouts) and how long requests are paused. */
  backoff: { failures: number; pausedForMs: number };
  comuni: { total: number; unknown: number; counting: number; complete: number; final: number };
  /** The latest warnings, newest last (at most 100). */
  warnings: FeedWarning[];
}

/** The poller's state as JSON-friendly data (for the store). */
export interface FeedState {
  version: 1;
  date: string;
  runoffDate?: string;
  discovered: Round[];
  comuni: ComuneSnapshot[];
  /** The Ministry's own province turnout, by round and province code. */
  provinceTurnout: { round: Round; province: string; points: TurnoutPoint[] }[];
  /** Comuni in each reading's total, as last announced. */
  coverage: { round: Round; key: string; reported: number }[];
}
