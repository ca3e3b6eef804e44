/**
 * The poller itself: one cycle after another (planned by plan.ts, asked by fetch.ts, applied by apply.ts
 * to the state of state.ts), and what it offers the rest of the bot — the change events, each comune's
 * snapshot, the turnout totals, its status and its saved state.
 */
import { setMaxListeners } from "node:events";
import type { Logger } from "pino";
import type { ComuneIdentity, ComuneResults, Round } from "../../data/model.js";
import type { TurnoutTotals } from "../../data/turnout-totals.js";
import { Backoff } from "../client.js";
import { type FeedComune, indexByCode } from "../discovery.js";
import { type Clock, RateLimiter, realClock } from "../rate.js";
import { Answers } from "./apply.js";
import { Notices } from "./events.js";
import { Fetcher, type TaskHandlers } from "./fetch.js";
import { pathOf, plan, Rechecks } from "./plan.js";
import { PollerState } from "./state.js";
import {
  type ComuneSnapshot,
  type CycleReport,
  type FeedListener,
  type FeedState,
  type FeedStatus,
  type PollerOptions,
  RECHECK_MS,
} from "./types.js";

export class FeedPoller {
  private readonly settings: PollerOptions["settings"];
  private readonly log?: Logger;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly concurrency: number;
  private readonly priorityOf: (c: FeedComune) => number;
  private readonly beforeCycle: (() => Promise<void>) | undefined;

  private readonly state: PollerState;
  private readonly notices: Notices;
  private readonly rechecks: Rechecks;
  private readonly fetcher: Fetcher;
  private readonly answers: Answers;
  private readonly handlers: TaskHandlers;

  private cycles = 0;
  private lastCycle?: CycleReport;
  private stopController?: AbortController;
  private loop?: Promise<void>;

  constructor(opts: PollerOptions) {
    this.settings = opts.settings;
    this.log = opts.logger;
    this.clock = opts.clock ?? realClock;
    this.backoff = opts.backoff ?? new Backoff();
    this.concurrency = Math.max(1, Math.min(20, opts.concurrency ?? Math.ceil(opts.settings.maxRps)));
    this.priorityOf = opts.priority ?? (() => 0);
    this.beforeCycle = opts.beforeCycle;
    const index: Map<string, ComuneIdentity> = indexByCode(opts.index);
    this.state = new PollerState(opts.settings);
    this.notices = new Notices(this.log);
    this.rechecks = new Rechecks({
      clock: this.clock,
      recheckMs: Math.max(0, opts.recheckMs ?? RECHECK_MS),
      doubted: opts.doubted ?? (() => false),
      log: this.log,
    });
    this.fetcher = new Fetcher({
      client: opts.client,
      clock: this.clock,
      backoff: this.backoff,
      limiter: new RateLimiter({ maxPerSecond: opts.settings.maxRps, clock: this.clock }),
      concurrency: this.concurrency,
      notices: this.notices,
      log: this.log,
    });
    this.answers = new Answers({
      state: this.state,
      index,
      rules: opts.rules,
      notices: this.notices,
      rechecks: this.rechecks,
      log: this.log,
    });
    this.handlers = {
      pathOf: (task) => pathOf(this.state, task),
      asking: (task) => {
        if (task.kind === "results") this.rechecks.asked(task.round, task.code);
      },
      answer: (task, body, path, url) => this.answers.apply(task, body, path, url),
    };
    if (opts.state) this.state.restore(opts.state, this.log);
  }

  /** Listens to the change events; returns the function that stops listening. */
  on(listener: FeedListener): () => void {
    return this.notices.on(listener);
  }

  /** Starts polling: a cycle every `pollMs` (at once after a cycle that took longer). Idempotent. */
  start(): void {
    if (this.loop) return;
    const stop = new AbortController();
    // Every request in flight and every paced wait listens to this one signal: up to twice the concurrency.
    setMaxListeners(4 * this.concurrency + 8, stop.signal);
    this.stopController = stop;
    this.loop = (async () => {
      while (!stop.signal.aborted) {
        const started = this.clock.now();
        await this.runCycle(stop.signal);
        const wait = started + this.settings.pollMs - this.clock.now();
        if (wait > 0) await this.clock.sleep(wait, stop.signal);
      }
    })();
  }

  /** Stops polling: requests in flight are cut short. Resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopController?.abort();
    await this.loop;
    this.loop = undefined;
    this.stopController = undefined;
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  /**
   * One cycle: discovery (until found), then turnout and results by priority. Never throws.
   * Used by `start`, and directly by tests and benchmarks.
   */
  async runCycle(signal?: AbortSignal): Promise<CycleReport> {
    const startedAt = this.clock.now();
    const report: CycleReport = { requests: 0, outcomes: {}, startedAt, durationMs: 0 };
    try {
      const rounds: Round[] = this.settings.runoffDate ? ["first", "runoff"] : ["first"];
      const discovery = rounds.filter((r) => !this.state.discovered.has(r));
      if (discovery.length)
        await this.fetcher.run(
          discovery.map((round) => ({ kind: "enti", round, priority: 0 })),
          report,
          this.handlers,
          signal,
        );
      if (this.beforeCycle) {
        try {
          await this.beforeCycle();
        } catch (err) {
          this.log?.warn({ err }, "feed: reading what the priority needs failed; the last reading serves");
        }
      }
      const tasks = plan(this.state, rounds, {
        priorityOf: this.priorityOf,
        due: (round, code, r) => this.rechecks.due(round, code, r),
        log: this.log,
      });
      await this.fetcher.run(tasks, report, this.handlers, signal);
    } catch (err) {
      this.log?.error({ err }, "feed: cycle stopped by an unexpected error");
    }
    report.durationMs = this.clock.now() - startedAt;
    this.cycles++;
    this.lastCycle = report;
    this.log?.debug(
      { requests: report.requests, ms: Math.round(report.durationMs), outcomes: report.outcomes },
      "feed: cycle",
    );
    return report;
  }

  /**
   * Every comune's current state. These are the poller's live objects, kept current in place: read them,
   * do not change them (take `exportState()` for a copy).
   */
  snapshot(): ComuneSnapshot[] {
    return [...this.state.comuni.values()];
  }

  /** One comune's state, by its 9-digit code (a live object, as in `snapshot`). */
  comune(code: string): ComuneSnapshot | undefined {
    return this.state.comuni.get(code);
  }

  /** Turnout totals of a round: the election, each region, each province, from counts. */
  turnoutTotals(round: Round = "first"): TurnoutTotals {
    return this.state.turnoutTotals(round);
  }

  status(): FeedStatus {
    let unknown = 0;
    let counting = 0;
    let complete = 0;
    let final = 0;
    for (const s of this.state.comuni.values()) {
      if (!s.comune.identity) unknown++;
      const r = s.runoff?.result ? s.runoff : s.first;
      if (r.final) final++;
      if (r.complete) complete++;
      else if (r.result) counting++;
    }
    return {
      running: this.running,
      cycles: this.cycles,
      lastCycle: this.lastCycle,
      requests: this.fetcher.requests,
      outcomes: { ...this.fetcher.outcomes },
      backoff: {
        failures: this.backoff.failures,
        pausedForMs: Math.max(0, this.fetcher.pausedUntil - this.clock.now()),
      },
      comuni: { total: this.state.comuni.size, unknown, counting, complete, final },
      warnings: this.notices.warnings(),
    };
  }

  /** Takes a state another instance saved (it polls; this one follows), over this one's, announcing nothing. */
  adopt(state: FeedState): void {
    this.state.restore(state, this.log);
  }

  /** The state as JSON-friendly data, to be given back as `state` after a restart. */
  exportState(): FeedState {
    return this.state.exportState();
  }

  /**
   * The comune in the shape of the data pack's results, for the views; undefined before its first count.
   * `capoluogo` comes from the caller (the feed does not say). An unknown population band stays unknown
   * (see OutcomeContext). A comune the index lacks has no province sigla: `province` is "".
   */
  toComuneResults(code: string, opts: { capoluogo?: boolean } = {}): ComuneResults | undefined {
    return this.state.toComuneResults(code, opts);
  }
}
