/**
 * The poller: follows the Ministry's feed through a night and keeps the last good figures of every comune.
 *
 * Each cycle asks, in priority order, for the places voting (until found), the turnout of every province
 * whose readings are not final, and the results of every comune still counting. A complete count is asked
 * again at a slower pace (RECHECK_MS) until it is settled — the Ministry itself has stated the outcome
 * (`eletto`) or closed the count (`fine_rip`), with figures that add up, and the caller has no doubt left
 * about them (the anomaly gate) — and never after. An outcome the bot derived never settles a count: the
 * Ministry may still name the mayor, or correct its figures. Requests go through a sliding-window cap
 * (never more than ELIGENDO_MAX_RPS in any second) and, after a refusal, a 5xx or a timeout, a shared
 * exponential backoff.
 * Every answer is validated; one that does not validate, is not JSON or is over 5 MB is logged with what is
 * wrong and the last good figures stay. What changes is emitted as typed events for the bulletins; the
 * current state is a snapshot per comune for the views. Nothing the feed sends can throw out of here.
 *
 * The poller (poller.ts) runs cycles: planned (plan.ts: which answers, in which order, when a complete
 * count is asked again), asked (fetch.ts: the workers, the rate cap, the backoff), applied (apply.ts:
 * validated, parsed, merged, events emitted) to its state (state.ts: the snapshots, saved and restored);
 * events.ts tells listeners and logs; types.ts holds what it offers and is given.
 */
export { FeedPoller } from "./poller.js";
export type {
  ComuneSnapshot,
  CycleReport,
  FeedEvent,
  FeedListener,
  FeedState,
  FeedStatus,
  PollerOptions,
  Round,
  RoundSnapshot,
} from "./types.js";
export { RECHECK_MAX_MS, RECHECK_MS } from "./types.js";
