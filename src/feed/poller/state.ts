/**
 * What the poller knows: every comune found voting with its rounds as last seen, the provinces they are
 * in, the Ministry's own province turnout and how many comuni each reading's total last had; read as
 * turnout totals and as the data pack's results, saved and restored as JSON.
 */
import type { Logger } from "pino";
import type { ComuneResults, Round, TurnoutPoint } from "../../data/model.js";
import { type TurnoutTotals, turnoutTotals } from "../../data/turnout-totals.js";
import type { FeedComune } from "../discovery.js";
import { placeName } from "../names.js";
import type { ComuneSnapshot, FeedState, PollerOptions, RoundSnapshot } from "./types.js";

export const emptyRound = (date: string): RoundSnapshot => ({
  date,
  turnout: [],
  complete: false,
  closed: false,
  final: false,
  warnings: [],
});

/** A reading: its hour, or "the final one" (there is one, whatever its time says). */
export const readingKey = (p: Pick<TurnoutPoint, "at" | "final">) => (p.final ? "F" : `R${p.at}`);

/**
 * Whether the Ministry has settled a round: every section counted, the outcome stated by the Ministry
 * itself (the count closed, or the mayor named), and figures that add up. An outcome derived by the bot
 * (a runoff due, the leader of a comune whose size is unknown) never settles it.
 */
export const settled = (r: RoundSnapshot) =>
  r.complete && (r.closed || r.result?.outcome?.kind === "elected") && r.warnings.length === 0;

export function roundOf(s: ComuneSnapshot, round: Round): RoundSnapshot | undefined {
  return round === "first" ? s.first : s.runoff;
}

/** Whether a round's final reading is in, from every section. */
export function turnoutFinal(r: RoundSnapshot): boolean {
  const last = r.turnout.find((p) => p.final);
  return !!last && (!last.sections || last.sections.counted === last.sections.total);
}

/** The round's turnout readings and the previous election's final figure, into its result. */
export function mergeTurnout(r: RoundSnapshot): void {
  if (!r.result) return;
  r.result.turnout = [...r.turnout];
  const previous = r.turnout.find((p) => p.final)?.previousPercent;
  if (previous !== undefined) r.result.previousTurnoutPercent = previous;
}

/** The poller's state; see the module comment. */
export class PollerState {
  /** Every comune found voting, by its 9-digit code. */
  readonly comuni = new Map<string, ComuneSnapshot>();
  readonly discovered = new Set<Round>();
  /** Province code → its region and its comuni's codes. */
  readonly provinces = new Map<string, { region: string; codes: Set<string> }>();
  /** The Ministry's own province turnout, by "round|province". */
  readonly provinceTurnout = new Map<string, TurnoutPoint[]>();
  /** Comuni in each reading's total as last announced, by "round|reading". */
  readonly coverage = new Map<string, number>();

  constructor(private readonly settings: PollerOptions["settings"]) {}

  dateOf(round: Round): string {
    return round === "first" ? this.settings.date : this.settings.runoffDate!;
  }

  /** A comune the Ministry lists as voting in a round: added (once), with the round, in its province. */
  add(c: FeedComune, round: Round): void {
    let s = this.comuni.get(c.code);
    if (!s) {
      s = { comune: c, first: emptyRound(this.settings.date) };
      this.comuni.set(c.code, s);
    }
    if (round === "runoff") {
      s.comune.runoff = true;
      s.runoff ??= emptyRound(this.dateOf("runoff"));
    }
    this.inProvince(c);
  }

  private inProvince(c: FeedComune): void {
    let p = this.provinces.get(c.province);
    if (!p) {
      p = { region: c.region, codes: new Set() };
      this.provinces.set(c.province, p);
    }
    p.codes.add(c.code);
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

  /** The state as JSON-friendly data, to be given back to `restore` after a restart. */
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

  /** A state saved before a restart, taken back without announcing anything again (another election's is ignored). */
  restore(state: FeedState, log?: Logger): void {
    if (state.version !== 1 || state.date !== this.settings.date) {
      log?.warn({ saved: state.date, now: this.settings.date }, "feed: saved state of another election, ignored");
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
      this.inProvince(s.comune);
    }
    for (const t of saved.provinceTurnout) this.provinceTurnout.set(`${t.round}|${t.province}`, t.points);
    for (const c of saved.coverage) this.coverage.set(`${c.round}|${c.key}`, c.reported);
  }
}
