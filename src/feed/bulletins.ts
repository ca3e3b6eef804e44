/**
 * The feed's automatic bulletins: what to announce, to whom, when, and only once.
 *
 * State-based rather than event-based: each time a comune is checked (src/feed/live.ts) its figures
 * are compared with what has been announced, by stable keys kept in the store
 * (`2026-05-24:1t:050901160:complete`). So an announcement missed during a crash is made at the next
 * check, and one already made is never made again, across restarts too.
 *
 * - To everyone: the election's turnout at each reading, once most comuni have reported it.
 * - To a comune's followers only: the first sections counted, then the count's progress (at most one
 *   bulletin per comune every 15 minutes), a call the sections left can no longer change ("certo:
 *   ballottaggio tra X e Y (a 412 sezioni su 655)", src/data/certainty.ts), the count complete with the
 *   outcome (the mayor elected or the runoff pair). Calls and outcomes go at once.
 * - Nothing for a comune whose figures the anomaly gate holds; the newsroom is told each anomaly once.
 * - ELIGENDO_BULLETINS: `auto` publishes, `review` drafts for the newsroom to publish or drop, `off`
 *   says nothing (the newsroom is still told of anomalies).
 */

import type { GateStatus, GateVerdict } from "../data/anomalies/index.js";
import { assessCount, type CertainCall } from "../data/certainty.js";
import type { ComuneCode, RoundResult } from "../data/model.js";
import type { Rules, Turnout } from "../data/schema.js";
import type { SeatDifference } from "../data/seats.js";
import type { AreaTurnoutPoint } from "../data/turnout-totals.js";
import type { Logger } from "../logger.js";
import type { Announcement, Draft, FeedStore } from "../store/feed-store.js";
import type { Audience } from "../store/store.js";
import type { FeedSettings } from "./config.js";
import { type FeedComune, feedComuneCode } from "./discovery.js";
import type { LiveFeed } from "./live.js";
import type { FeedOutcome } from "./outcome.js";
import type { ComuneSnapshot, Round, RoundSnapshot } from "./poller/index.js";
import {
  callText,
  completeText,
  outcomeText,
  progressText,
  SIMULATION_PREFIX,
  startedText,
  type TurnoutComparison,
  turnoutText,
} from "./texts.js";

/** A progress bulletin per comune at most this often (calls and outcomes are never held back). */
export const PROGRESS_EVERY_MS = 15 * 60_000;

/** What the newsroom is told in private; implemented by the bot (texts, buttons), never throws. */
export interface Newsroom {
  /** A draft to publish or drop (review mode). */
  draft(d: Draft): Promise<void>;
  /** Anomalies not told yet hold a comune's bulletins; or (`cleared`) its figures are consistent again. */
  anomaly(a: { key: string; comune: FeedComune; round: Round; verdict: GateVerdict }): Promise<void>;
  /** The Ministry's council seats differ from the law's (src/feed/seat-check.ts): told once per difference. */
  seats(a: { comune: FeedComune; differences: readonly SeatDifference[] }): Promise<void>;
}

export interface FeedBulletinsOptions {
  settings: Pick<FeedSettings, "date" | "runoffDate" | "bulletins">;
  store: FeedStore;
  publish(input: {
    id: string;
    text: string;
    comuni: ComuneCode[];
    audience: Audience;
  }): Promise<{ recipients: number }>;
  newsroom: Newsroom;
  /**
   * How a bulletin names a comune: with its province where another comune has the same name
   * ("Castro (LE)"); default the feed comune's name.
   */
  label?(c: FeedComune): string;
  /** The pack's rules (certain calls) and turnout.json (the previous election's stated figure). */
  pack(): { rules: Rules; turnout: Turnout; firstRoundDate: string; runoffDate: string };
  logger: Logger;
  now(): Date;
  /** Default 15 minutes. */
  progressEveryMs?: number;
  /** A simulated night: every bulletin says so. */
  simulated?: boolean;
}

type Decided = Extract<FeedOutcome, { kind: "elected" | "runoff" | "void" }>;
const isDecided = (o: FeedOutcome | undefined): o is Decided =>
  o?.kind === "elected" || o?.kind === "runoff" || o?.kind === "void";

function outcomeId(o: Decided): string {
  if (o.kind === "elected") return `elected:${o.candidate}`;
  if (o.kind === "runoff") return `runoff:${[...o.candidates].sort().join("|")}`;
  return "void";
}

const dayFormat = new Intl.DateTimeFormat("it-IT", {
  timeZone: "UTC",
  weekday: "long",
  day: "numeric",
  month: "long",
});

/** The keys of an announcement were recorded already (by another instance): it is not made again. */
class AlreadyAnnounced extends Error {
  override name = "AlreadyAnnounced";
}

/** A bulletin to make: its text, whom it concerns, and the announcement keys it settles. */
interface Pending {
  text: string;
  /** The Ministry's code, for the announcements ('' for the election as a whole). */
  comune: string;
  comuni: ComuneCode[];
  audience: Audience;
  keys: { key: string; kind: string }[];
}

export class FeedBulletins {
  private readonly o: FeedBulletinsOptions;
  private readonly announced: Set<string>;
  private readonly progressEvery: number;
  /** Per comune and round: when its last progress bulletin went, and at how many sections. */
  private readonly lastProgress = new Map<string, { at: number; counted: number }>();

  /** @param announced the announcement keys of this election already made (see open) */
  constructor(o: FeedBulletinsOptions, announced: Set<string>) {
    this.o = o;
    this.progressEvery = o.progressEveryMs ?? PROGRESS_EVERY_MS;
    this.announced = announced;
  }

  /** The feed's bulletins, knowing what the store says was announced already. */
  static async open(o: FeedBulletinsOptions): Promise<FeedBulletins> {
    return new FeedBulletins(o, await o.store.announcedKeys(`${o.settings.date}:`));
  }

  /** Hooks this into the live feed. */
  attach(live: LiveFeed): void {
    live.use({
      round: (s, round, r, gate) => this.onRound(s, round, r, gate),
      turnout: (round) => this.onTurnout(round, live),
      anomaly: (s, round, key, verdict) => {
        void this.o.newsroom.anomaly({ key, comune: s.comune, round, verdict });
      },
    });
  }

  /** Whether an announcement key was made (tests, /stato). */
  has(key: string): boolean {
    return this.announced.has(key);
  }

  /** A comune's round, checked: announce what is due, unless its figures are held. */
  async onRound(
    s: ComuneSnapshot,
    round: Round,
    r: RoundSnapshot & { result: RoundResult },
    gate: GateStatus | undefined,
  ): Promise<void> {
    if (this.o.settings.bulletins === "off") return;
    if (gate?.held) return;
    const c = s.comune;
    const st = round === "first" ? "1t" : "2t";
    const base = `${this.o.settings.date}:${st}:${c.code}`;
    const result = r.result;
    const out: Pending[] = [];
    // Named as readers tell it from its homonyms ("Castro (LE)"), sent by its code.
    const name = this.o.label?.(c) ?? c.name;
    const make = (text: string, keys: { key: string; kind: string }[]): Pending => ({
      text,
      comune: c.code,
      comuni: [feedComuneCode(c)],
      audience: "followers",
      keys,
    });

    if (r.complete) {
      const completeKey = `${base}:complete`;
      const decided = isDecided(r.outcome) ? r.outcome : undefined;
      const outcomeKey = decided && `${base}:outcome:${outcomeId(decided)}`;
      if (!this.announced.has(completeKey)) {
        const keys = [{ key: completeKey, kind: `${st}:complete` }];
        if (outcomeKey) keys.push({ key: outcomeKey, kind: `${st}:outcome` });
        out.push(make(completeText(name, round, result, r.outcome, this.runoffDay(round)), keys));
      } else if (decided && outcomeKey && !this.announced.has(outcomeKey)) {
        out.push(
          make(outcomeText(name, round, decided, result, this.runoffDay(round)), [
            { key: outcomeKey, kind: `${st}:outcome` },
          ]),
        );
      }
    } else {
      const counted = result.sections?.counted ?? 0;
      if (counted > 0) {
        const startedKey = `${base}:started`;
        const last = await this.lastProgressOf(base, c.code, st);
        const now = this.o.now().getTime();
        if (!this.announced.has(startedKey)) {
          out.push(make(startedText(name, round, result), [{ key: startedKey, kind: `${st}:progress` }]));
        } else if (counted > last.counted && now - last.at >= this.progressEvery) {
          const key = `${base}:progress:${counted}`;
          if (!this.announced.has(key))
            out.push(make(progressText(name, round, result), [{ key, kind: `${st}:progress` }]));
        }
      }
      const call = this.certainCall(s, round, result);
      if (call) {
        const key = `${base}:call:${call.key}`;
        if (!this.announced.has(key)) out.push(make(callText(name, round, call), [{ key, kind: `${st}:call` }]));
      }
    }
    for (const p of out) {
      await this.emit(p);
      if (p.keys.some((k) => k.kind.endsWith(":progress")))
        this.lastProgress.set(base, { at: this.o.now().getTime(), counted: result.sections?.counted ?? 0 });
    }
  }

  /** The election's turnout: each reading once more than half the comuni voting have reported it. */
  async onTurnout(round: Round, live: LiveFeed): Promise<void> {
    if (this.o.settings.bulletins === "off") return;
    const totals = live.poller.turnoutTotals(round);
    const st = round === "first" ? "1t" : "2t";
    for (const p of totals.election.points) {
      if (p.percent === undefined || p.comuni.reported * 2 <= p.comuni.total) continue;
      const key = `${this.o.settings.date}:${st}:turnout:${p.final ? "F" : p.at}`;
      if (this.announced.has(key)) continue;
      const text = turnoutText(round, p, this.statedPrevious(round, p), compare(live, round, p));
      await this.emit({ text, comune: "", comuni: [], audience: "everyone", keys: [{ key, kind: `${st}:turnout` }] });
    }
  }

  /** The strongest call certain now, while the count is open. */
  private certainCall(s: ComuneSnapshot, round: Round, result: RoundResult): CertainCall | undefined {
    const { rules } = this.o.pack();
    const a = assessCount(result, { region: s.comune.regionName, populationBand: s.comune.populationBand }, rules, {
      stage: round,
    });
    return !a.complete && a.call.status === "certain" ? a.call : undefined;
  }

  private async lastProgressOf(base: string, code: string, st: string): Promise<{ at: number; counted: number }> {
    let last = this.lastProgress.get(base);
    if (!last) {
      // After a restart: the time from the store; the sections are in the announcement's key.
      const at = await this.o.store.lastAnnouncedAt(code, [`${st}:progress`]);
      last = this.lastProgress.get(base) ?? { at: at ?? Number.NEGATIVE_INFINITY, counted: 0 };
      this.lastProgress.set(base, last);
    }
    return last;
  }

  /** The previous election's figure for a reading, as the Ministry stated it (the pack's turnout.json). */
  private statedPrevious(round: Round, p: AreaTurnoutPoint): number | undefined {
    const pack = this.o.pack();
    if (pack.firstRoundDate !== this.o.settings.date) return undefined;
    const readings = round === "first" ? pack.turnout.readings : (pack.turnout.runoff?.readings ?? []);
    const same = readings.filter((x) => (p.final ? x.final : x.at === p.at && !x.final));
    return same.find((x) => x.previousPercent !== undefined)?.previousPercent;
  }

  /** "domenica 7 giugno": the feed's runoff day, or the pack's when the pack is this election's. */
  private runoffDay(round: Round): string | undefined {
    const pack = this.o.pack();
    const d =
      this.o.settings.runoffDate ?? (pack.firstRoundDate === this.o.settings.date ? pack.runoffDate : undefined);
    if (round !== "first" || !d) return undefined;
    return dayFormat.format(new Date(`${d}T12:00:00Z`));
  }

  /** Publishes (auto) or drafts (review) a bulletin, and records its keys in the same transaction. */
  private async emit(p: Pending): Promise<void> {
    const text = (this.o.simulated ? SIMULATION_PREFIX : "") + p.text;
    const at = this.o.now().getTime();
    const id = p.keys[0]!.key;
    const rows = (extra: Partial<Announcement>): Announcement[] =>
      p.keys.map((k) => ({ key: k.key, kind: k.kind, comune: p.comune, at, ...extra }));
    try {
      // The keys are recorded first, in the same transaction: if another instance (the feed's previous
      // leader) recorded them already, nothing is published or drafted again.
      if (this.o.settings.bulletins === "review") {
        const draft = await this.o.store.transaction(async () => {
          const draftId = await this.o.store.addDraft({
            bulletinId: id,
            text,
            comuni: p.comuni,
            audience: p.audience,
            createdAt: at,
          });
          if ((await this.o.store.recordAnnouncements(rows({ draft: draftId }))) === 0) throw new AlreadyAnnounced();
          return (await this.o.store.draft(draftId))!;
        });
        for (const k of p.keys) this.announced.add(k.key);
        void this.o.newsroom.draft(draft);
        return;
      }
      const r = await this.o.store.transaction(async () => {
        if ((await this.o.store.recordAnnouncements(rows({ bulletin: id }))) === 0) throw new AlreadyAnnounced();
        return this.o.publish({ id, text, comuni: p.comuni, audience: p.audience });
      });
      for (const k of p.keys) this.announced.add(k.key);
      this.o.logger.info({ bulletin: id, recipients: r.recipients }, "feed: automatic bulletin");
    } catch (err) {
      if (err instanceof AlreadyAnnounced) {
        for (const k of p.keys) this.announced.add(k.key);
        this.o.logger.info({ bulletin: id }, "feed: bulletin already announced by another instance, not again");
        return;
      }
      this.o.logger.error({ err, bulletin: id }, "feed: automatic bulletin not stored, retrying");
    }
  }

  /**
   * The feed's leadership moves to this instance (several instances on one database): the announcements
   * made meanwhile by the previous leader are taken in, so that none is made again.
   */
  async reloadAnnounced(): Promise<void> {
    const keys = await this.o.store.announcedKeys(`${this.o.settings.date}:`);
    for (const k of keys) this.announced.add(k);
  }

  /** A draft the newsroom publishes (once: a second press, or another editor's, finds it settled). */
  async publishDraft(
    id: number,
    by: number,
  ): Promise<{ status: "published" | "settled" | "unknown"; recipients: number }> {
    const d = await this.o.store.draft(id);
    if (!d) return { status: "unknown", recipients: 0 };
    return this.o.store.transaction(async () => {
      if (!(await this.o.store.decideDraft(id, "published", by, this.o.now().getTime())))
        return { status: "settled" as const, recipients: 0 };
      const r = await this.o.publish({ id: d.bulletinId, text: d.text, comuni: d.comuni, audience: d.audience });
      return { status: "published" as const, recipients: r.recipients };
    });
  }

  /** Drafts waiting for the newsroom. */
  async pendingDrafts(): Promise<number> {
    return (await this.o.store.pendingDrafts()).length;
  }

  /** The drafts waiting for the newsroom themselves, oldest first. */
  waitingDrafts(): Promise<Draft[]> {
    return this.o.store.pendingDrafts();
  }

  /** A draft the newsroom drops (once). */
  async dropDraft(id: number, by: number): Promise<"dropped" | "settled" | "unknown"> {
    if (!(await this.o.store.draft(id))) return "unknown";
    return (await this.o.store.decideDraft(id, "dropped", by, this.o.now().getTime())) ? "dropped" : "settled";
  }
}

/** How the comuni that reported a reading in full compare with their own previous figure. */
function compare(live: LiveFeed, round: Round, p: AreaTurnoutPoint): TurnoutComparison | undefined {
  const c: TurnoutComparison = { lower: 0, higher: 0, same: 0 };
  for (const s of live.poller.snapshot()) {
    const r = round === "first" ? s.first : s.runoff;
    const q = r?.turnout.find((x) => (p.final ? x.final : x.at === p.at && !x.final));
    if (q?.percent === undefined || q.previousPercent === undefined) continue;
    if (q.sections && q.sections.counted < q.sections.total) continue;
    if (q.percent < q.previousPercent) c.lower++;
    else if (q.percent > q.previousPercent) c.higher++;
    else c.same++;
  }
  return c.lower + c.higher + c.same ? c : undefined;
}
