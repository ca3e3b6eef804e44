/**
 * The Ministry's feed, live inside the bot: the poller that follows it, the anomaly gate that checks
 * every new snapshot of a comune before anything is announced, and the store that keeps both across a
 * restart.
 *
 * Every change the poller reports schedules the comune for a check (on the next turn of the event loop,
 * so one answer's events are handled together): the gate observes the new figures, then the hooks (the
 * automatic bulletins) decide what to say, then whoever listens (the results the views read, the live
 * cards) hears that the comune changed. A sweep every few seconds goes over every comune as well: it
 * catches answers that changed figures without an event (a vote falling with the same sections counted),
 * lets a progress bulletin held back by its 15 minutes go out, and saves the state that changed.
 */
import { AnomalyGate, DEFAULT_STALE_MINUTES, type GateStatus, type GateVerdict } from "../data/anomalies/index.js";
import type { ComuneIdentity, ComuneResults, RoundResult, TurnoutPoint } from "../data/model.js";
import type { LiveStatus } from "../data/places.js";
import type { LiveResults } from "../data/results-source.js";
import type { TurnoutTotals } from "../data/turnout-totals.js";
import type { Logger } from "../logger.js";
import type { FeedStore } from "../store/feed-store.js";
import { EligendoClient } from "./client.js";
import type { FeedSettings } from "./config.js";
import type { FeedComune } from "./discovery.js";
import type { ElectionRules } from "./outcome.js";
import type { FeedWarning } from "./parse.js";
import {
  type ComuneSnapshot,
  FeedPoller,
  type FeedState,
  type PollerOptions,
  type Round,
  type RoundSnapshot,
} from "./poller/index.js";

/** What the bot shows about a comune's live figures, beyond the figures themselves. */
export type LiveState = LiveStatus;

/** A comune whose automatic bulletins the gate holds (or held, until the newsroom released them). */
export interface HeldComune {
  /** The gate's key, "1t:050901160": what a release names. */
  key: string;
  round: Round;
  comune: FeedComune;
  status: GateStatus;
}

/** What the automatic bulletins (and whoever else) do with each checked comune. */
export interface LiveHooks {
  /** A comune's round, after the gate has observed its latest figures. */
  round?(
    s: ComuneSnapshot,
    round: Round,
    r: RoundSnapshot & { result: RoundResult },
    gate: GateStatus | undefined,
  ): void | Promise<void>;
  /** The election's turnout may have moved on (more comuni reported a reading). */
  turnout?(round: Round): void | Promise<void>;
  /** The gate found anomalies not told yet (`verdict.fresh`), or the figures are consistent again (`cleared`). */
  anomaly?(s: ComuneSnapshot, round: Round, key: string, verdict: GateVerdict): void;
}

export interface LiveFeedOptions {
  settings: FeedSettings;
  /** The comuni index (data/comuni.json through the pack): the feed's comuni are joined to it. */
  index: Iterable<ComuneIdentity>;
  rules: ElectionRules;
  store: FeedStore;
  logger: Logger;
  /** The bot's clock (ISO times in the gate, the store, the bulletins). */
  now(): Date;
  /** Higher first; see PollerOptions.priority. */
  priority?: PollerOptions["priority"];
  /** See PollerOptions.beforeCycle. */
  beforeCycle?: PollerOptions["beforeCycle"];
  /** Default: the Ministry's API at settings.apiRoot. */
  client?: EligendoClient;
  /** The poller's own clock and backoff (tests), and how often a complete count not settled is asked again. */
  poller?: Partial<Pick<PollerOptions, "clock" | "backoff" | "concurrency" | "recheckMs">>;
  /** Default 20 (src/data/anomalies/stale.ts). */
  staleMinutes?: number;
  /** How often every comune is checked and the state saved; default the poll interval, at most 5 s. */
  sweepEveryMs?: number;
}

/**
 * A saved row as it is compared with the next save: a gate entry without `seenAt` (every answer moves
 * it; the row is rewritten only when more than that changed), anything else as written.
 */
const comparable = (rest: string, value: string): string =>
  rest.startsWith("gate:") ? JSON.stringify({ ...JSON.parse(value), seenAt: undefined }) : value;

const gateKey = (round: Round, code: string) => `${round === "first" ? "1t" : "2t"}:${code}`;

/** The feed, its gate, and their state in the store; see the module comment. What the views read of it: LiveResults. */
export class LiveFeed implements LiveResults {
  readonly poller: FeedPoller;
  /** Replaced only when a following instance takes the leader's saved gate (see follow). */
  gate: AnomalyGate;
  readonly settings: FeedSettings;
  readonly staleMinutes: number;
  private readonly o: LiveFeedOptions;
  private readonly log: Logger;
  private readonly hooks: LiveHooks[] = [];
  private readonly listeners = new Set<(code: string) => void>();
  /** The figures last observed by the gate, per gate key: a new answer is a new object. */
  private readonly observed = new Map<string, { result: RoundResult; turnout: TurnoutPoint[] }>();
  private readonly pending = new Set<string>();
  private readonly pendingTurnout = new Set<Round>();
  private flushing?: Promise<void>;
  private scheduled = false;
  private sweepTimer?: NodeJS.Timeout;
  /** Rows as last written, to write only what changed. */
  private readonly saved = new Map<string, string>();
  private readonly dirtyGate = new Set<string>();
  private changes = 0;
  private savedChanges = -1;
  /** Bumped on every change the views could show: the results source rebuilds on it. */
  version = 0;
  /** Each comune's own version, bumped when its figures or its standing change (see versionOf). */
  private readonly versions = new Map<string, number>();

  /** A live feed with the state saved before a restart: open reads it from the store. */
  private constructor(o: LiveFeedOptions, saved: readonly { key: string; value: string }[]) {
    this.o = o;
    this.settings = o.settings;
    this.log = o.logger;
    this.staleMinutes = o.staleMinutes ?? DEFAULT_STALE_MINUTES;
    const restored = this.restore(saved);
    this.gate = restored.gate;
    this.poller = new FeedPoller({
      settings: o.settings,
      client: o.client ?? new EligendoClient({ apiRoot: o.settings.apiRoot }),
      index: o.index,
      rules: o.rules,
      priority: o.priority,
      ...(o.beforeCycle ? { beforeCycle: o.beforeCycle } : {}),
      // Figures the gate holds (or the newsroom released) are never settled: the Ministry may correct them.
      doubted: (code, round) => (this.gate.status(gateKey(round, code))?.holding.length ?? 0) > 0,
      logger: o.logger,
      ...(restored.state ? { state: restored.state } : {}),
      ...o.poller,
    });
    this.poller.on((e) => {
      this.changes++;
      this.version++;
      if (e.type === "turnout-progress") this.pendingTurnout.add(e.round);
      if ("comune" in e) {
        this.bump(e.comune.code);
        this.schedule(e.comune.code);
      }
      if (e.type === "discovered")
        for (const s of this.poller.snapshot()) {
          this.bump(s.comune.code);
          this.schedule(s.comune.code);
        }
    });
  }

  /** A live feed resuming from the state the store saved (the poller's last good figures, the gate). */
  static async open(o: LiveFeedOptions): Promise<LiveFeed> {
    let saved: { key: string; value: string }[] = [];
    try {
      saved = await o.store.stateEntries(`${o.settings.date}:`);
    } catch (err) {
      o.logger.error({ err }, "feed: saved state unreadable, starting again from the Ministry");
    }
    return new LiveFeed(o, saved);
  }

  /**
   * A comune's version: it changes whenever its figures (a new answer the gate observed, an event) or
   * what the gate says of them change, so that whoever derives something from a comune can keep it
   * until then.
   */
  versionOf(code: string): number {
    return this.versions.get(code) ?? 0;
  }

  private bump(code: string): void {
    this.versions.set(code, (this.versions.get(code) ?? 0) + 1);
  }

  /** Adds hooks (the automatic bulletins); they run in the order added. */
  use(hooks: LiveHooks): void {
    this.hooks.push(hooks);
  }

  /**
   * Calls `listener` with a comune's 9-digit code whenever its figures, or what the gate says of them,
   * changed. Returns the function that stops listening.
   */
  onChange(listener: (code: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Several instances on one database: another one polls the feed (it holds the leader lease) and saves
   * its figures and its gate; this one takes them, so that every instance answers with the same numbers.
   * Nothing is announced here (the leader announces). Returns how many comuni changed.
   */
  async follow(): Promise<number> {
    const saved = await this.o.store.stateEntries(this.prefix());
    const p = this.prefix();
    const changed = new Set<string>();
    let gateChanged = false;
    for (const { key, value } of saved) {
      const rest = key.slice(p.length);
      if (this.saved.get(key) === comparable(rest, value)) continue;
      if (rest.startsWith("comune:")) changed.add(rest.slice(7));
      else if (rest.startsWith("gate:")) {
        gateChanged = true;
        changed.add(rest.slice(rest.lastIndexOf(":") + 1));
      } else changed.add("");
    }
    if (!changed.size) return 0;
    const restored = this.restore(saved, false);
    if (restored.state) this.poller.adopt(restored.state);
    if (gateChanged) this.gate = restored.gate;
    this.version++;
    for (const code of changed) {
      if (!code) continue;
      this.bump(code);
      for (const l of this.listeners) this.safely(() => l(code));
    }
    return [...changed].filter(Boolean).length;
  }

  /** Starts polling and the sweep. */
  start(): void {
    this.poller.start();
    if (!this.sweepTimer) {
      const every = this.o.sweepEveryMs ?? Math.min(this.settings.pollMs, 5_000);
      this.sweepTimer = setInterval(() => void this.sweep(), every);
      this.sweepTimer.unref();
    }
    // A restored night: what was pending before the restart is decided now (nothing is said twice).
    void this.sweep();
  }

  /**
   * Stops polling, handles what is pending, and saves the state. With `handOver` (another instance
   * takes the feed over), what is pending is left to it and nothing is saved over what it writes.
   */
  async stop(o: { handOver?: boolean } = {}): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    await this.poller.stop();
    if (o.handOver) {
      while (this.flushing) await this.flushing;
      this.pending.clear();
      this.pendingTurnout.clear();
      return;
    }
    await this.flush();
    await this.save();
  }

  /** Checks every comune scheduled so far, and the turnout. Resolves once done (tests await it). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.pending.size && !this.pendingTurnout.size) return;
    this.flushing = (async () => {
      const codes = [...this.pending];
      const rounds = [...this.pendingTurnout];
      this.pending.clear();
      this.pendingTurnout.clear();
      for (const code of codes) await this.evaluate(code, true);
      for (const round of rounds) await this.runHooks((h) => h.turnout?.(round));
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  /** Every comune checked, the turnout too, and the state saved if it changed. Never throws. */
  async sweep(): Promise<void> {
    try {
      for (const s of this.poller.snapshot()) this.pending.add(s.comune.code);
      this.pendingTurnout.add("first");
      if (this.settings.runoffDate) this.pendingTurnout.add("runoff");
      await this.flush();
      await this.save();
    } catch (err) {
      this.log.error({ err }, "feed: periodic check failed");
    }
  }

  /** The feed's comuni, in the poller's order. */
  comuni(): FeedComune[] {
    return this.poller.snapshot().map((s) => s.comune);
  }

  /** A comune's own turnout readings by its 9-digit code (also before its count starts); undefined if the feed lacks it. */
  readings(code: string): { first: TurnoutPoint[]; runoff?: TurnoutPoint[] } | undefined {
    const s = this.poller.comune(code);
    return s && { first: s.first.turnout, ...(s.runoff ? { runoff: s.runoff.turnout } : {}) };
  }

  /** Turnout totals of a round from the feed's counts; undefined until the feed has found its comuni. */
  turnout(round: Round): TurnoutTotals | undefined {
    return this.poller.snapshot().length ? this.poller.turnoutTotals(round) : undefined;
  }

  /** A comune's live standing, by its 9-digit code; undefined when the feed does not have it. */
  state(code: string): LiveState | undefined {
    const s = this.poller.comune(code);
    if (!s) return undefined;
    const round: Round = s.runoff?.result ? "runoff" : "first";
    const r = round === "runoff" ? s.runoff! : s.first;
    const g = this.gate.status(gateKey(round, code));
    const held = g?.held ?? false;
    return {
      round,
      held,
      released: g?.released ?? false,
      ...(held && g?.since ? { heldSince: g.since } : {}),
      ...(held ? { checking: [...new Set(g!.holding.map((a) => a.code))] } : {}),
      ...(g?.changedAt ? { changedAt: g.changedAt } : {}),
      countingOpen: !!r.result && !r.complete,
      staleMinutes: this.staleMinutes,
    };
  }

  /**
   * A comune's figures as citizens may see them, in the shape of the data pack's results (see
   * FeedPoller.toComuneResults): a round the gate holds shows its last good figures, never the held ones,
   * and is left out when it has none (held since its first answer). Undefined before the first figures.
   */
  results(code: string, opts: { capoluogo?: boolean } = {}): ComuneResults | undefined {
    const all = this.poller.toComuneResults(code, opts);
    const s = this.poller.comune(code);
    if (!all || !s) return all;
    const shown = (round: Round, current: RoundResult | undefined): RoundResult | undefined => {
      const key = gateKey(round, code);
      return current && this.gate.status(key)?.held ? this.gate.good(key) : current;
    };
    // The first round's figures come from the runoff's answers once the runoff counts: those are not gated.
    const firstRound = s.first.result ? shown("first", s.first.result) : all.firstRound;
    const runoff = shown("runoff", all.runoff);
    if (!firstRound) return undefined;
    return firstRound === all.firstRound && runoff === all.runoff ? all : { ...all, firstRound, runoff };
  }

  /** The comuni with hold anomalies now (held, or released by the newsroom), the longest-standing first. */
  held(): HeldComune[] {
    return this.gate.flagged().flatMap((status) => {
      const [tag, code] = status.comune.split(":") as [string, string];
      const s = this.poller.comune(code);
      if (!s) return [];
      return [{ key: status.comune, round: tag === "2t" ? "runoff" : "first", comune: s.comune, status }];
    });
  }

  /** Comuni whose current figures do not add up (voters − blank − invalid − contested ≠ the candidates' votes). */
  sumMismatches(): Extract<FeedWarning, { kind: "sum-mismatch" }>[] {
    const out: Extract<FeedWarning, { kind: "sum-mismatch" }>[] = [];
    for (const s of this.poller.snapshot())
      for (const r of [s.first, s.runoff])
        for (const w of r?.warnings ?? []) if (w.kind === "sum-mismatch") out.push(w);
    return out;
  }

  /**
   * The newsroom lets a held comune's bulletins go (by gate key "1t:050901160", or by the comune's code
   * for its current round). False when it was not held.
   */
  release(key: string, by?: string): boolean {
    const gk = key.includes(":") ? key : gateKey(this.state(key)?.round ?? "first", key);
    if (!this.gate.release(gk, this.o.now(), by)) return false;
    this.dirtyGate.add(gk);
    this.changes++;
    this.version++;
    const code = gk.slice(3);
    this.bump(code);
    this.log.info({ comune: gk, by }, "feed: the newsroom releases the comune's bulletins");
    // Its bulletins go now (checked in turn with the others: see flush), and cards drop "dati in verifica".
    this.pending.add(code);
    void this.flush().catch((err: unknown) => this.log.error({ err }, "feed: check failed"));
    return true;
  }

  private schedule(code: string): void {
    this.pending.add(code);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush().catch((err: unknown) => this.log.error({ err }, "feed: check failed"));
    });
  }

  private async runHooks(fn: (h: LiveHooks) => void | Promise<void>): Promise<void> {
    for (const h of this.hooks) {
      try {
        await fn(h);
      } catch (err) {
        this.log.error({ err }, "feed: error handling an update");
      }
    }
  }

  /** The gate observes a comune's new figures, then the hooks run; listeners hear of it when `notify`. */
  private async evaluate(code: string, notify: boolean): Promise<void> {
    const s = this.poller.comune(code);
    if (!s) return;
    let changed = false;
    for (const round of ["first", "runoff"] as const) {
      const r = round === "first" ? s.first : s.runoff;
      if (!r?.result) continue;
      const key = gateKey(round, code);
      const last = this.observed.get(key);
      let status = this.gate.status(key);
      if (!last || last.result !== r.result || last.turnout !== r.result.turnout || !status) {
        const before = status;
        const verdict = this.gate.observe(key, r.result, this.o.now(), {
          stage: round,
          populationBand: s.comune.populationBand,
        });
        this.observed.set(key, { result: r.result, turnout: r.result.turnout });
        this.dirtyGate.add(key);
        if (last && (last.result !== r.result || last.turnout !== r.result.turnout)) {
          // New figures without an event (the same sections, a vote less): the views must see them.
          this.bump(code);
          this.version++;
        }
        status = this.gate.status(key);
        if (verdict.freshNotes.length)
          this.log.info(
            { comune: key, name: s.comune.name, notes: verdict.freshNotes.map((a) => a.it) },
            "feed: notes on a comune's figures",
          );
        if (verdict.fresh.length) {
          this.log.warn(
            { comune: key, name: s.comune.name, anomalies: verdict.fresh.map((a) => a.it) },
            "feed: anomalous figures, the comune's automatic bulletins held",
          );
        }
        if (verdict.fresh.length || verdict.cleared) await this.runHooks((h) => h.anomaly?.(s, round, key, verdict));
        if (
          before?.held !== status?.held ||
          before?.released !== status?.released ||
          before?.changedAt !== status?.changedAt
        ) {
          changed = true;
          this.bump(code);
          this.version++;
        }
      }
      const withResult = r as RoundSnapshot & { result: RoundResult };
      await this.runHooks((h) => h.round?.(s, round, withResult, status));
    }
    if (notify || changed) for (const l of this.listeners) this.safely(() => l(code));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err }, "feed: a listener threw");
    }
  }

  // ---------------------------------------------------------------------------
  // The store
  // ---------------------------------------------------------------------------

  private prefix(): string {
    return `${this.o.settings.date}:`;
  }

  /** The state saved before a restart: the poller's last good figures and the gate. */
  private restore(
    saved: readonly { key: string; value: string }[],
    log = true,
  ): { state?: FeedState; gate: AnomalyGate } {
    const p = this.prefix();
    let state: FeedState | undefined;
    const gateEntries: Record<string, unknown> = {};
    try {
      let header: Omit<FeedState, "comuni"> | undefined;
      const comuni: ComuneSnapshot[] = [];
      for (const { key, value } of saved) {
        const rest = key.slice(p.length);
        this.saved.set(key, comparable(rest, value));
        if (rest === "poller") header = JSON.parse(value) as Omit<FeedState, "comuni">;
        else if (rest.startsWith("comune:")) comuni.push(JSON.parse(value) as ComuneSnapshot);
        else if (rest.startsWith("gate:")) gateEntries[rest.slice(5)] = JSON.parse(value);
      }
      if (header) state = { ...header, comuni };
    } catch (err) {
      this.log.error({ err }, "feed: saved state unreadable, starting again from the Ministry");
      state = undefined;
    }
    let gate = new AnomalyGate();
    if (Object.keys(gateEntries).length) {
      try {
        gate = AnomalyGate.fromJSON({ version: 1, comuni: gateEntries });
      } catch (err) {
        this.log.error({ err }, "feed: the anomaly gate's saved state is unreadable, starting afresh");
      }
    }
    if (state && log)
      this.log.info(
        { comuni: state.comuni.length, gate: Object.keys(gateEntries).length },
        "feed: last good figures restored from the store",
      );
    return { ...(state ? { state } : {}), gate };
  }

  /** Writes what changed since the last save: the poller's figures, comune by comune, and the gate. */
  private async save(): Promise<void> {
    if (this.changes === this.savedChanges && !this.dirtyGate.size) return;
    const p = this.prefix();
    const rows: { key: string; value: string }[] = [];
    const put = (key: string, value: string, same = value) => {
      if (this.saved.get(key) === same) return;
      rows.push({ key, value });
      compared.set(key, same);
    };
    const compared = new Map<string, string>();
    try {
      const changes = this.changes;
      const { comuni, ...header } = this.poller.exportState();
      put(`${p}poller`, JSON.stringify(header));
      for (const c of comuni) put(`${p}comune:${c.comune.code}`, JSON.stringify(c));
      for (const key of this.dirtyGate) {
        const entry = this.gate.entry(key);
        // Every answer is observed (and `seenAt` moves): the entry is rewritten only when more than that changed.
        if (entry) put(`${p}gate:${key}`, JSON.stringify(entry), JSON.stringify({ ...entry, seenAt: undefined }));
      }
      await this.o.store.saveState(rows);
      for (const [key, same] of compared) this.saved.set(key, same);
      this.dirtyGate.clear();
      this.savedChanges = changes;
    } catch (err) {
      this.log.error({ err }, "feed: saving the state failed, retrying next cycle");
    }
  }
}
