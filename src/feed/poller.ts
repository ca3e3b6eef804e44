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
 */
import { setMaxListeners } from "node:events";
import type { Logger } from "pino";
import type { ComuneIdentity, ComuneResults, Round, RoundResult, Sections, TurnoutPoint } from "../data/model.js";
import { type AreaTurnoutPoint, type TurnoutTotals, turnoutTotals } from "../data/turnout-totals.js";
import type { z } from "../validation.js";
import { Backoff, backsOff, type EligendoClient, type FetchOutcome, type FetchOutcomeKind } from "./client.js";
import { paths } from "./codes.js";
import type { FeedSettings } from "./config.js";
import { discover, type FeedComune, indexByCode } from "./discovery.js";
import { placeName } from "./names.js";
import { type ElectionRules, type FeedOutcome, feedOutcome } from "./outcome.js";
import { FeedParseError, type FeedWarning, parseResults, parseTurnout } from "./parse.js";
import { type Clock, RateLimiter, realClock } from "./rate.js";
import { describeIssues, EntiResponseSchema, ScrutiniResponseSchema, VotantiResponseSchema } from "./schema.js";

export type { Round } from "../data/model.js";

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

type Task =
  | { kind: "enti"; round: Round; priority: number }
  | { kind: "turnout"; round: Round; province: string; priority: number }
  | { kind: "results"; round: Round; code: string; priority: number };

const emptyRound = (date: string): RoundSnapshot => ({
  date,
  turnout: [],
  complete: false,
  closed: false,
  final: false,
  warnings: [],
});

/** A reading: its hour, or "the final one" (there is one, whatever its time says). */
const readingKey = (p: Pick<TurnoutPoint, "at" | "final">) => (p.final ? "F" : `R${p.at}`);
const decided = (o: FeedOutcome | undefined): o is Extract<FeedOutcome, { kind: "elected" | "runoff" }> =>
  o?.kind === "elected" || o?.kind === "runoff";
const sameOutcome = (a: FeedOutcome | undefined, b: FeedOutcome | undefined) => JSON.stringify(a) === JSON.stringify(b);
/**
 * Whether the Ministry has settled a round: every section counted, the outcome stated by the Ministry
 * itself (the count closed, or the mayor named), and figures that add up. An outcome derived by the bot
 * (a runoff due, the leader of a comune whose size is unknown) never settles it.
 */
const settled = (r: RoundSnapshot) =>
  r.complete && (r.closed || r.result?.outcome?.kind === "elected") && r.warnings.length === 0;

export class FeedPoller {
  private readonly settings: PollerOptions["settings"];
  private readonly client: EligendoClient;
  private readonly index: Map<string, ComuneIdentity>;
  private readonly rules: ElectionRules;
  private readonly priorityOf: (c: FeedComune) => number;
  private readonly log?: Logger;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly limiter: RateLimiter;
  private readonly concurrency: number;
  private readonly recheckMs: number;
  private readonly doubted: (code: string, round: Round) => boolean;
  /** Each round's results, by "round|code": when last asked and when its answer last changed (poller's clock). */
  private readonly recheck = new Map<string, { at: number; changedAt: number }>();

  private readonly comuni = new Map<string, ComuneSnapshot>();
  private readonly discovered = new Set<Round>();
  /** Province code → its region and its comuni's codes. */
  private readonly provinces = new Map<string, { region: string; codes: Set<string> }>();
  private readonly provinceTurnout = new Map<string, TurnoutPoint[]>();
  private readonly coverage = new Map<string, number>();
  private readonly listeners = new Set<FeedListener>();
  private readonly recentWarnings: FeedWarning[] = [];
  /** Last message logged per path: the same trouble on the same path is logged once. */
  private readonly logged = new Map<string, string>();

  private pausedUntil = 0;
  private cycles = 0;
  private lastCycle?: CycleReport;
  private requests = 0;
  private readonly outcomes: Partial<Record<FetchOutcomeKind, number>> = {};
  private stopController?: AbortController;
  private loop?: Promise<void>;

  constructor(opts: PollerOptions) {
    this.settings = opts.settings;
    this.client = opts.client;
    this.index = indexByCode(opts.index);
    this.rules = opts.rules;
    this.priorityOf = opts.priority ?? (() => 0);
    this.log = opts.logger;
    this.clock = opts.clock ?? realClock;
    this.backoff = opts.backoff ?? new Backoff();
    this.limiter = new RateLimiter({ maxPerSecond: opts.settings.maxRps, clock: this.clock });
    this.concurrency = Math.max(1, Math.min(20, opts.concurrency ?? Math.ceil(opts.settings.maxRps)));
    this.recheckMs = Math.max(0, opts.recheckMs ?? RECHECK_MS);
    this.doubted = opts.doubted ?? (() => false);
    if (opts.state) this.restore(opts.state);
  }

  // -------------------------------------------------------------------------
  // Public interface
  // -------------------------------------------------------------------------

  /** Listens to the change events; returns the function that stops listening. */
  on(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
      const discovery = rounds.filter((r) => !this.discovered.has(r));
      if (discovery.length)
        await this.runTasks(
          discovery.map((round) => ({ kind: "enti", round, priority: 0 })),
          report,
          signal,
        );
      await this.runTasks(this.plan(rounds), report, signal);
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
    return [...this.comuni.values()];
  }

  /** One comune's state, by its 9-digit code (a live object, as in `snapshot`). */
  comune(code: string): ComuneSnapshot | undefined {
    return this.comuni.get(code);
  }

  /** Turnout totals of a round: the election, each region, each province, from counts. */
  turnoutTotals(round: Round = "first"): TurnoutTotals {
    const inputs = [];
    for (const s of this.comuni.values()) {
      const r = round === "first" ? s.first : s.runoff;
      if (!r) continue;
      inputs.push({
        regionKey: s.comune.region,
        regionName: s.comune.regionName,
        provinceKey: s.comune.province,
        provinceName: s.comune.provinceName,
        provinceSigla: s.comune.provinceSigla,
        points: r.turnout,
      });
    }
    const stated = new Map<string, TurnoutPoint[]>();
    for (const [key, points] of this.provinceTurnout) {
      const [r, province] = key.split("|");
      if (r === round) stated.set(province!, points);
    }
    return turnoutTotals(inputs, stated);
  }

  status(): FeedStatus {
    let unknown = 0;
    let counting = 0;
    let complete = 0;
    let final = 0;
    for (const s of this.comuni.values()) {
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
      requests: this.requests,
      outcomes: { ...this.outcomes },
      backoff: { failures: this.backoff.failures, pausedForMs: Math.max(0, this.pausedUntil - this.clock.now()) },
      comuni: { total: this.comuni.size, unknown, counting, complete, final },
      warnings: [...this.recentWarnings],
    };
  }

  /** The state as JSON-friendly data, to be given back as `state` after a restart. */
  exportState(): FeedState {
    return structuredClone({
      version: 1 as const,
      date: this.settings.date,
      runoffDate: this.settings.runoffDate,
      discovered: [...this.discovered],
      comuni: [...this.comuni.values()],
      provinceTurnout: [...this.provinceTurnout].map(([k, points]) => {
        const [round, province] = k.split("|") as [Round, string];
        return { round, province, points };
      }),
      coverage: [...this.coverage].map(([k, reported]) => {
        const [round, key] = k.split("|") as [Round, string];
        return { round, key, reported };
      }),
    });
  }

  /**
   * The comune in the shape of the data pack's results, for the views; undefined before its first count.
   * `capoluogo` comes from the caller (the feed does not say). An unknown population band stays unknown
   * (see OutcomeContext). A comune the index lacks has no province sigla: `province` is "".
   */
  toComuneResults(code: string, opts: { capoluogo?: boolean } = {}): ComuneResults | undefined {
    const s = this.comuni.get(code);
    if (!s) return undefined;
    const firstRound = s.first.result ?? s.runoff?.firstRoundFromRunoff;
    if (!firstRound) return undefined;
    // The feed's own spelling, where it differs from the index's, is one more way to find the comune.
    const feedSpelling = placeName(s.comune.feedName);
    return {
      name: s.comune.name,
      istat: s.comune.identity?.istat,
      province: s.comune.provinceSigla ?? "",
      region: s.comune.regionName,
      capoluogo: opts.capoluogo ?? false,
      ...(s.comune.populationBand ? { populationBand: s.comune.populationBand } : {}),
      aliases: feedSpelling !== s.comune.name ? [feedSpelling] : [],
      firstRound,
      runoff: s.runoff?.result,
    };
  }

  // -------------------------------------------------------------------------
  // Planning and running
  // -------------------------------------------------------------------------

  private plan(rounds: Round[]): Task[] {
    const tasks: Task[] = [];
    const priorities = new Map<string, number>();
    for (const [code, s] of this.comuni) {
      let p = 0;
      try {
        p = Number(this.priorityOf(s.comune)) || 0;
      } catch (err) {
        this.log?.warn({ err }, "feed: the priority function threw");
      }
      priorities.set(code, p);
    }
    for (const round of rounds) {
      if (!this.discovered.has(round)) continue;
      for (const [province, { codes }] of this.provinces) {
        const inRound = [...codes].map((c) => this.comuni.get(c)!).filter((s) => this.roundOf(s, round));
        if (!inRound.length || inRound.every((s) => this.turnoutFinal(this.roundOf(s, round)!))) continue;
        const priority = Math.max(...inRound.map((s) => priorities.get(s.comune.code) ?? 0));
        tasks.push({ kind: "turnout", round, province, priority });
      }
      for (const [code, s] of this.comuni) {
        const r = this.roundOf(s, round);
        if (!r || !this.due(round, code, r)) continue;
        tasks.push({ kind: "results", round, code, priority: priorities.get(code) ?? 0 });
      }
    }
    // Highest priority first; at equal priority the turnout (a hundred requests) before the results, the
    // first round before the runoff, then in code order.
    const kindOrder = { enti: 0, turnout: 1, results: 2 };
    return tasks.sort(
      (a, b) =>
        b.priority - a.priority ||
        kindOrder[a.kind] - kindOrder[b.kind] ||
        (a.round === b.round ? 0 : a.round === "first" ? -1 : 1) ||
        this.taskKey(a).localeCompare(this.taskKey(b)),
    );
  }

  /**
   * Whether a round's results are to be asked in this cycle: every cycle while counting; once complete,
   * every `recheckMs` until settled (an undoubted answer still for a while: a quarter of that while, at
   * most RECHECK_MAX_MS); never after.
   */
  private due(round: Round, code: string, r: RoundSnapshot): boolean {
    if (!r.complete) return true;
    // Sums that do not add up are the poller's own doubt; the caller may have others (the anomaly gate).
    let doubted = r.warnings.length > 0;
    try {
      doubted ||= this.doubted(code, round);
    } catch (err) {
      this.log?.warn({ err }, "feed: doubt hook threw; the count is asked again");
      doubted = true;
    }
    if (r.final && !doubted) return false;
    const last = this.recheck.get(`${round}|${code}`);
    if (!last) return true;
    const now = this.clock.now();
    const wait = doubted
      ? this.recheckMs
      : Math.max(this.recheckMs, Math.min(RECHECK_MAX_MS, (now - last.changedAt) / 4));
    return now - last.at >= wait;
  }

  private taskKey(t: Task): string {
    return t.kind === "turnout" ? t.province : t.kind === "results" ? t.code : "";
  }

  private roundOf(s: ComuneSnapshot, round: Round): RoundSnapshot | undefined {
    return round === "first" ? s.first : s.runoff;
  }

  private turnoutFinal(r: RoundSnapshot): boolean {
    const last = r.turnout.find((p) => p.final);
    return !!last && (!last.sections || last.sections.counted === last.sections.total);
  }

  private dateOf(round: Round): string {
    return round === "first" ? this.settings.date : this.settings.runoffDate!;
  }

  private pathOf(t: Task): string {
    const date = this.dateOf(t.round);
    if (t.kind === "enti") return paths.enti(date);
    if (t.kind === "turnout") return paths.turnout(date, t.province);
    const c = this.comuni.get(t.code)!.comune;
    return paths.results(date, c.province, c.comune);
  }

  private async runTasks(tasks: Task[], report: CycleReport, signal?: AbortSignal): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < tasks.length && !signal?.aborted) {
        const task = tasks[next++]!;
        try {
          await this.runTask(task, report, signal);
        } catch (err) {
          // A bug here must not stop the other comuni, nor the bot.
          this.log?.error({ err, path: this.safePath(task) }, "feed: unexpected error handling an answer");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, tasks.length) }, worker));
  }

  private safePath(t: Task): string | undefined {
    try {
      return this.pathOf(t);
    } catch {
      return undefined;
    }
  }

  /** Waits out a backoff pause and the rate cap; false when stopped meanwhile. */
  private async gate(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      const pause = this.pausedUntil - this.clock.now();
      if (pause > 0) await this.clock.sleep(pause, signal);
      if (signal?.aborted) return false;
      if (!(await this.limiter.acquire(signal))) return false;
      // Another request may have been refused while this one waited for its turn.
      if (this.pausedUntil <= this.clock.now()) return true;
    }
  }

  private async runTask(task: Task, report: CycleReport, signal?: AbortSignal): Promise<void> {
    const path = this.pathOf(task);
    if (!(await this.gate(signal))) return;
    if (task.kind === "results") {
      const key = `${task.round}|${task.code}`;
      const now = this.clock.now();
      this.recheck.set(key, { changedAt: now, ...this.recheck.get(key), at: now });
    }
    const outcome = await this.client.get(path, signal);
    if (outcome.kind === "aborted") return;
    report.requests++;
    report.outcomes[outcome.kind] = (report.outcomes[outcome.kind] ?? 0) + 1;
    this.requests++;
    this.outcomes[outcome.kind] = (this.outcomes[outcome.kind] ?? 0) + 1;

    if (backsOff(outcome)) {
      const wait = this.backoff.failure();
      this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + wait);
      this.log?.warn(
        { path, kind: outcome.kind, failures: this.backoff.failures, waitMs: wait, ...detail(outcome) },
        "feed: the Ministry refuses or does not answer, pausing before the next request",
      );
      return;
    }
    if (outcome.kind === "data" || outcome.kind === "not-yet") this.backoff.success();

    switch (outcome.kind) {
      case "not-yet":
        return;
      case "data":
        if (task.kind === "enti") return this.onEnti(task.round, outcome.body, path);
        if (task.kind === "turnout") return this.onTurnout(task.round, task.province, outcome.body, path);
        return this.onResults(task.round, task.code, outcome.body, path, outcome.url);
      case "syntax-error":
        return this.trouble(
          path,
          { kind: "syntax-error", path },
          "feed: syntax error from the Ministry (wrong path)",
          "error",
        );
      case "too-large":
        return this.trouble(
          path,
          { kind: "too-large", path, bytes: outcome.bytes },
          "feed: answer over the size limit, ignored",
        );
      case "malformed":
        return this.trouble(
          path,
          { kind: "malformed", path, reason: outcome.reason },
          "feed: unreadable answer, ignored",
        );
      case "api-error":
      case "http-error":
        this.logOnce(
          path,
          JSON.stringify(detail(outcome)),
          "warn",
          { path, ...detail(outcome) },
          "feed: unexpected answer from the Ministry",
        );
        return;
    }
  }

  // -------------------------------------------------------------------------
  // Answers
  // -------------------------------------------------------------------------

  private validate<S extends z.ZodType>(schema: S, body: unknown, path: string): z.output<S> | undefined {
    const r = schema.safeParse(body);
    if (r.success) {
      // Good again: the next trouble on this path is news.
      this.logged.delete(path);
      return r.data;
    }
    this.trouble(
      path,
      { kind: "invalid-response", path, issues: describeIssues(r.error) },
      "feed: invalid answer, the last good figures stay",
    );
    return undefined;
  }

  private onEnti(round: Round, body: unknown, path: string): void {
    const enti = this.validate(EntiResponseSchema, body, path);
    if (!enti) return;
    const found = discover(enti, this.index);
    if (!found.comuni.length) {
      this.logOnce(path, "empty", "warn", { path }, "feed: no comune in the Ministry's list, retrying next cycle");
      return;
    }
    for (const c of found.comuni) {
      let s = this.comuni.get(c.code);
      if (!s) {
        s = { comune: c, first: emptyRound(this.settings.date) };
        this.comuni.set(c.code, s);
      }
      if (round === "runoff") {
        s.comune.runoff = true;
        s.runoff ??= emptyRound(this.dateOf("runoff"));
      }
      let p = this.provinces.get(c.province);
      if (!p) {
        p = { region: c.region, codes: new Set() };
        this.provinces.set(c.province, p);
      }
      p.codes.add(c.code);
    }
    this.discovered.add(round);
    if (found.unknown.length) {
      this.log?.warn(
        { round, count: found.unknown.length, examples: found.unknown.slice(0, 5).map((u) => `${u.code} ${u.name}`) },
        "feed: Ministry comuni missing from the comuni index, served under the Ministry's name",
      );
      for (const u of found.unknown) this.remember(u);
    }
    this.log?.info({ round, comuni: found.comuni.length, unknown: found.unknown.length }, "feed: comuni voting found");
    this.emit({ type: "discovered", round, comuni: found.comuni.length, unknown: found.unknown.length });
  }

  private onTurnout(round: Round, province: string, body: unknown, path: string): void {
    const resp = this.validate(VotantiResponseSchema, body, path);
    if (!resp) return;
    const region = this.provinces.get(province)?.region;
    if (!region) return;
    const parsed = parseTurnout(resp, region);
    this.provinceTurnout.set(`${round}|${province}`, parsed.province.points);
    let changed = false;
    for (const t of parsed.comuni) {
      const s = this.comuni.get(t.code);
      const r = s && this.roundOf(s, round);
      if (!s || !r) continue;
      for (const point of t.points) {
        const key = readingKey(point);
        const i = r.turnout.findIndex((p) => readingKey(p) === key);
        const before = i >= 0 ? r.turnout[i] : undefined;
        if (before && JSON.stringify(before) === JSON.stringify(point)) continue;
        if (i >= 0) r.turnout[i] = point;
        else r.turnout.push(point);
        changed = true;
        this.mergeTurnout(r);
        this.emit({ type: "turnout-reading", round, comune: s.comune, point, first: !before });
      }
    }
    if (changed) this.announceCoverage(round);
  }

  /** After a province's readings: a reading that more comuni now have is announced with the new total. */
  private announceCoverage(round: Round): void {
    for (const total of this.turnoutTotals(round).election.points) {
      const key = `${round}|${readingKey(total)}`;
      if (total.comuni.reported <= (this.coverage.get(key) ?? 0)) continue;
      this.coverage.set(key, total.comuni.reported);
      this.emit({ type: "turnout-progress", round, at: total.at, final: total.final, total });
    }
  }

  private onResults(round: Round, code: string, body: unknown, path: string, url: string): void {
    const s = this.comuni.get(code);
    const r = s && this.roundOf(s, round);
    if (!s || !r) return;
    const resp = this.validate(ScrutiniResponseSchema, body, path);
    if (!resp) return;
    let parsed: ReturnType<typeof parseResults>;
    try {
      parsed = parseResults(resp, {
        code,
        name: s.comune.name,
        url,
        date: this.dateOf(round),
        firstRoundDate: this.settings.date,
      });
    } catch (err) {
      if (!(err instanceof FeedParseError)) throw err;
      this.trouble(
        path,
        { kind: "invalid-response", path, issues: [err.message] },
        "feed: invalid answer, the last good figures stay",
      );
      return;
    }
    if (parsed.round !== round) {
      const issues = [
        `int.f_elet: risposta del ${parsed.round === "runoff" ? "ballottaggio" : "primo turno"} alla data del ${round === "runoff" ? "ballottaggio" : "primo turno"}`,
      ];
      this.trouble(
        path,
        { kind: "invalid-response", path, issues },
        "feed: invalid answer, the last good figures stay",
      );
      return;
    }

    const before = { sections: r.result?.sections, complete: r.complete, outcome: r.outcome, had: !!r.result };
    // A complete count asked again: an answer that stays the same is asked less and less often.
    const was = before.complete ? JSON.stringify(r.result) : undefined;
    const outcome = feedOutcome(
      parsed.result,
      { round, complete: parsed.complete, region: s.comune.regionName, populationBand: s.comune.populationBand },
      this.rules,
    );
    r.result = parsed.result;
    if (parsed.firstRound) r.firstRoundFromRunoff = parsed.firstRound;
    r.complete = parsed.complete;
    r.closed = parsed.closed;
    r.outcome = outcome;
    this.mergeTurnout(r);
    const same = was !== undefined && parsed.complete && JSON.stringify(r.result) === was;

    const newWarnings = parsed.warnings.filter((w) => !r.warnings.some((o) => JSON.stringify(o) === JSON.stringify(w)));
    r.warnings = parsed.warnings;
    r.final = settled(r);
    const pace = this.recheck.get(`${round}|${code}`);
    if (pace && !same) pace.changedAt = this.clock.now();
    for (const w of newWarnings) {
      this.remember(w);
      this.log?.warn(
        { warning: w },
        "feed: sums do not add up (voters − blank − invalid − contested ≠ the candidates' votes)",
      );
      this.emit({ type: "warning", warning: w });
    }

    const result = r.result;
    const sections = result.sections;
    const counted = sections?.counted ?? 0;
    const wasCounted = before.sections?.counted ?? 0;
    if (!before.had || (wasCounted === 0 && counted > 0)) {
      this.emit({ type: "count-started", round, comune: s.comune, sections, result, outcome });
    } else if (counted !== wasCounted) {
      this.emit({
        type: "count-progress",
        round,
        comune: s.comune,
        sections,
        previous: before.sections,
        result,
        outcome,
      });
    }
    if (r.complete && !before.complete) this.emit({ type: "count-complete", round, comune: s.comune, result, outcome });
    if (decided(outcome) && !sameOutcome(outcome, before.outcome)) {
      this.emit({ type: "outcome", round, comune: s.comune, outcome, previous: before.outcome, result });
    }
  }

  /** The round's turnout readings and the previous election's final figure, into its result. */
  private mergeTurnout(r: RoundSnapshot): void {
    if (!r.result) return;
    r.result.turnout = [...r.turnout];
    const previous = r.turnout.find((p) => p.final)?.previousPercent;
    if (previous !== undefined) r.result.previousTurnoutPercent = previous;
  }

  // -------------------------------------------------------------------------
  // Events, warnings, logs
  // -------------------------------------------------------------------------

  private emit(event: FeedEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log?.error({ err, event: event.type }, "feed: an event listener threw");
      }
    }
  }

  private remember(w: FeedWarning): void {
    this.recentWarnings.push(w);
    if (this.recentWarnings.length > 100) this.recentWarnings.shift();
  }

  /** A warning about an answer: logged once per path while it stays the same, kept for /stato, emitted. */
  private trouble(path: string, w: FeedWarning, msg: string, level: "warn" | "error" = "warn"): void {
    if (this.logOnce(path, JSON.stringify(w), level, { warning: w }, msg)) {
      this.remember(w);
      this.emit({ type: "warning", warning: w });
    }
  }

  private logOnce(path: string, what: string, level: "warn" | "error", obj: object, msg: string): boolean {
    if (this.logged.get(path) === what) return false;
    this.logged.set(path, what);
    this.log?.[level](obj, msg);
    return true;
  }

  private restore(state: FeedState): void {
    if (state.version !== 1 || state.date !== this.settings.date) {
      this.log?.warn({ saved: state.date, now: this.settings.date }, "feed: saved state of another election, ignored");
      return;
    }
    const saved = structuredClone(state);
    // A runoff saved for another date (or none now) is not this runoff.
    const sameRunoff = this.settings.runoffDate !== undefined && this.settings.runoffDate === saved.runoffDate;
    for (const round of saved.discovered) if (round === "first" || sameRunoff) this.discovered.add(round);
    for (const s of saved.comuni) {
      // Settled by today's rule, whatever the saved flag says (an older version took derived outcomes as final).
      s.first.final = settled(s.first);
      if (s.runoff) s.runoff.final = settled(s.runoff);
      if (!sameRunoff) {
        delete s.runoff;
        s.comune.runoff = false;
      }
      this.comuni.set(s.comune.code, s);
      let p = this.provinces.get(s.comune.province);
      if (!p) {
        p = { region: s.comune.region, codes: new Set() };
        this.provinces.set(s.comune.province, p);
      }
      p.codes.add(s.comune.code);
    }
    for (const t of saved.provinceTurnout) this.provinceTurnout.set(`${t.round}|${t.province}`, t.points);
    for (const c of saved.coverage) this.coverage.set(`${c.round}|${c.key}`, c.reported);
  }
}

function detail(o: FetchOutcome): Record<string, unknown> {
  switch (o.kind) {
    case "blocked":
    case "server-error":
    case "http-error":
      return { status: o.status };
    case "timeout":
      return { timeoutMs: o.timeoutMs };
    case "network-error":
      return { message: o.message };
    case "api-error":
      return { id: o.id, desc: o.desc };
    default:
      return {};
  }
}
