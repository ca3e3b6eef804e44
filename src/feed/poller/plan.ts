/**
 * Planning a cycle: which answers to ask for, most wanted first — the places voting (until found), the
 * turnout of every province whose readings are not final, the results of every comune still counting,
 * and a complete count again, at a slower pace, until it is settled (Rechecks).
 */
import type { Logger } from "pino";
import type { Round } from "../../data/model.js";
import { paths } from "../codes.js";
import type { FeedComune } from "../discovery.js";
import type { Clock } from "../rate.js";
import { type PollerState, roundOf, turnoutFinal } from "./state.js";
import { RECHECK_MAX_MS, type RoundSnapshot } from "./types.js";

export type Task =
  | { kind: "enti"; round: Round; priority: number }
  | { kind: "turnout"; round: Round; province: string; priority: number }
  | { kind: "results"; round: Round; code: string; priority: number };

/** When each round's complete count was last asked and its answer last changed: whether it is due again. */
export class Rechecks {
  /** Each round's results, by "round|code": when last asked and when its answer last changed (poller's clock). */
  private readonly recheck = new Map<string, { at: number; changedAt: number }>();

  constructor(
    private readonly o: {
      clock: Clock;
      recheckMs: number;
      doubted: (code: string, round: Round) => boolean;
      log?: Logger;
    },
  ) {}

  /**
   * Whether a round's results are to be asked in this cycle: every cycle while counting; once complete,
   * every `recheckMs` until settled (an undoubted answer still for a while: a quarter of that while, at
   * most RECHECK_MAX_MS); never after.
   */
  due(round: Round, code: string, r: RoundSnapshot): boolean {
    if (!r.complete) return true;
    // Sums that do not add up are the poller's own doubt; the caller may have others (the anomaly gate).
    let doubted = r.warnings.length > 0;
    try {
      doubted ||= this.o.doubted(code, round);
    } catch (err) {
      this.o.log?.warn({ err }, "feed: doubt hook threw; the count is asked again");
      doubted = true;
    }
    if (r.final && !doubted) return false;
    const last = this.recheck.get(`${round}|${code}`);
    if (!last) return true;
    const now = this.o.clock.now();
    const wait = doubted
      ? this.o.recheckMs
      : Math.max(this.o.recheckMs, Math.min(RECHECK_MAX_MS, (now - last.changedAt) / 4));
    return now - last.at >= wait;
  }

  /** A round's results are being asked for now. */
  asked(round: Round, code: string): void {
    const key = `${round}|${code}`;
    const now = this.o.clock.now();
    this.recheck.set(key, { changedAt: now, ...this.recheck.get(key), at: now });
  }

  /** A round's answer changed (a complete count asked again that stays the same is asked less and less often). */
  changed(round: Round, code: string): void {
    const pace = this.recheck.get(`${round}|${code}`);
    if (pace) pace.changedAt = this.o.clock.now();
  }
}

/**
 * The cycle's tasks after discovery, highest priority first; at equal priority the turnout (a hundred
 * requests) before the results, the first round before the runoff, then in code order.
 */
export function plan(
  state: PollerState,
  rounds: Round[],
  o: { priorityOf: (c: FeedComune) => number; due: Rechecks["due"]; log?: Logger },
): Task[] {
  const tasks: Task[] = [];
  const priorities = new Map<string, number>();
  for (const [code, s] of state.comuni) {
    let p = 0;
    try {
      p = Number(o.priorityOf(s.comune)) || 0;
    } catch (err) {
      o.log?.warn({ err }, "feed: the priority function threw");
    }
    priorities.set(code, p);
  }
  for (const round of rounds) {
    if (!state.discovered.has(round)) continue;
    for (const [province, { codes }] of state.provinces) {
      const inRound = [...codes].map((c) => state.comuni.get(c)!).filter((s) => roundOf(s, round));
      if (!inRound.length || inRound.every((s) => turnoutFinal(roundOf(s, round)!))) continue;
      const priority = Math.max(...inRound.map((s) => priorities.get(s.comune.code) ?? 0));
      tasks.push({ kind: "turnout", round, province, priority });
    }
    for (const [code, s] of state.comuni) {
      const r = roundOf(s, round);
      if (!r || !o.due(round, code, r)) continue;
      tasks.push({ kind: "results", round, code, priority: priorities.get(code) ?? 0 });
    }
  }
  const kindOrder = { enti: 0, turnout: 1, results: 2 };
  return tasks.sort(
    (a, b) =>
      b.priority - a.priority ||
      kindOrder[a.kind] - kindOrder[b.kind] ||
      (a.round === b.round ? 0 : a.round === "first" ? -1 : 1) ||
      taskKey(a).localeCompare(taskKey(b)),
  );
}

function taskKey(t: Task): string {
  return t.kind === "turnout" ? t.province : t.kind === "results" ? t.code : "";
}

/** The Ministry's path a task asks for. */
export function pathOf(state: PollerState, t: Task): string {
  const date = state.dateOf(t.round);
  if (t.kind === "enti") return paths.enti(date);
  if (t.kind === "turnout") return paths.turnout(date, t.province);
  const c = state.comuni.get(t.code)!.comune;
  return paths.results(date, c.province, c.comune);
}
