/**
 * Applying the Ministry's answers: each one validated (one that does not validate is logged with what is
 * wrong, and the last good figures stay), parsed and merged into the poller's state; what changed is
 * emitted as typed events for the bulletins.
 */
import type { Logger } from "pino";
import type { ComuneIdentity, Round } from "../../data/model.js";
import type { z } from "../../validation.js";
import { discover } from "../discovery.js";
import { type ElectionRules, type FeedOutcome, feedOutcome } from "../outcome.js";
import { FeedParseError, parseResults, parseTurnout } from "../parse.js";
import { describeIssues, EntiResponseSchema, ScrutiniResponseSchema, VotantiResponseSchema } from "../schema.js";
import type { Notices } from "./events.js";
import type { Rechecks, Task } from "./plan.js";
import { mergeTurnout, type PollerState, readingKey, roundOf, settled } from "./state.js";

const decided = (o: FeedOutcome | undefined): o is Extract<FeedOutcome, { kind: "elected" | "runoff" }> =>
  o?.kind === "elected" || o?.kind === "runoff";
const sameOutcome = (a: FeedOutcome | undefined, b: FeedOutcome | undefined) => JSON.stringify(a) === JSON.stringify(b);

export class Answers {
  constructor(
    private readonly o: {
      state: PollerState;
      /** The comuni index by 9-digit code. */
      index: Map<string, ComuneIdentity>;
      rules: ElectionRules;
      notices: Notices;
      rechecks: Rechecks;
      log?: Logger;
    },
  ) {}

  /** A task's answer (data), applied. */
  apply(task: Task, body: unknown, path: string, url: string): void {
    if (task.kind === "enti") this.onEnti(task.round, body, path);
    else if (task.kind === "turnout") this.onTurnout(task.round, task.province, body, path);
    else this.onResults(task.round, task.code, body, path, url);
  }

  private validate<S extends z.ZodType>(schema: S, body: unknown, path: string): z.output<S> | undefined {
    const r = schema.safeParse(body);
    if (r.success) {
      // Good again: the next trouble on this path is news.
      this.o.notices.good(path);
      return r.data;
    }
    this.o.notices.trouble(
      path,
      { kind: "invalid-response", path, issues: describeIssues(r.error) },
      "feed: invalid answer, the last good figures stay",
    );
    return undefined;
  }

  private onEnti(round: Round, body: unknown, path: string): void {
    const { state, notices, log } = this.o;
    const enti = this.validate(EntiResponseSchema, body, path);
    if (!enti) return;
    const found = discover(enti, this.o.index, this.o.rules);
    if (!found.comuni.length) {
      notices.logOnce(path, "empty", "warn", { path }, "feed: no comune in the Ministry's list, retrying next cycle");
      return;
    }
    for (const c of found.comuni) state.add(c, round);
    state.discovered.add(round);
    if (found.unknown.length) {
      log?.warn(
        { round, count: found.unknown.length, examples: found.unknown.slice(0, 5).map((u) => `${u.code} ${u.name}`) },
        "feed: Ministry comuni missing from the comuni index, served under the Ministry's name",
      );
      for (const u of found.unknown) notices.remember(u);
    }
    log?.info({ round, comuni: found.comuni.length, unknown: found.unknown.length }, "feed: comuni voting found");
    notices.emit({ type: "discovered", round, comuni: found.comuni.length, unknown: found.unknown.length });
  }

  private onTurnout(round: Round, province: string, body: unknown, path: string): void {
    const { state, notices } = this.o;
    const resp = this.validate(VotantiResponseSchema, body, path);
    if (!resp) return;
    const region = state.provinces.get(province)?.region;
    if (!region) return;
    const parsed = parseTurnout(resp, region);
    state.provinceTurnout.set(`${round}|${province}`, parsed.province.points);
    let changed = false;
    for (const t of parsed.comuni) {
      const s = state.comuni.get(t.code);
      const r = s && roundOf(s, round);
      if (!s || !r) continue;
      for (const point of t.points) {
        const key = readingKey(point);
        const i = r.turnout.findIndex((p) => readingKey(p) === key);
        const before = i >= 0 ? r.turnout[i] : undefined;
        if (before && JSON.stringify(before) === JSON.stringify(point)) continue;
        if (i >= 0) r.turnout[i] = point;
        else r.turnout.push(point);
        changed = true;
        mergeTurnout(r);
        notices.emit({ type: "turnout-reading", round, comune: s.comune, point, first: !before });
      }
    }
    if (changed) this.announceCoverage(round);
  }

  /** After a province's readings: a reading that more comuni now have is announced with the new total. */
  private announceCoverage(round: Round): void {
    const { state, notices } = this.o;
    for (const total of state.turnoutTotals(round).election.points) {
      const key = `${round}|${readingKey(total)}`;
      if (total.comuni.reported <= (state.coverage.get(key) ?? 0)) continue;
      state.coverage.set(key, total.comuni.reported);
      notices.emit({ type: "turnout-progress", round, at: total.at, final: total.final, total });
    }
  }

  private onResults(round: Round, code: string, body: unknown, path: string, url: string): void {
    const { state, notices, log } = this.o;
    const s = state.comuni.get(code);
    const r = s && roundOf(s, round);
    if (!s || !r) return;
    const resp = this.validate(ScrutiniResponseSchema, body, path);
    if (!resp) return;
    let parsed: ReturnType<typeof parseResults>;
    try {
      parsed = parseResults(resp, {
        code,
        name: s.comune.name,
        url,
        date: state.dateOf(round),
        firstRoundDate: state.dateOf("first"),
      });
    } catch (err) {
      if (!(err instanceof FeedParseError)) throw err;
      notices.trouble(
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
      notices.trouble(
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
      this.o.rules,
    );
    r.result = parsed.result;
    if (parsed.firstRound) r.firstRoundFromRunoff = parsed.firstRound;
    r.complete = parsed.complete;
    r.closed = parsed.closed;
    r.outcome = outcome;
    mergeTurnout(r);
    const same = was !== undefined && parsed.complete && JSON.stringify(r.result) === was;

    const newWarnings = parsed.warnings.filter((w) => !r.warnings.some((o) => JSON.stringify(o) === JSON.stringify(w)));
    r.warnings = parsed.warnings;
    r.final = settled(r);
    if (!same) this.o.rechecks.changed(round, code);
    for (const w of newWarnings) {
      notices.remember(w);
      log?.warn(
        { warning: w },
        "feed: sums do not add up (voters − blank − invalid − contested ≠ the candidates' votes)",
      );
      notices.emit({ type: "warning", warning: w });
    }

    const result = r.result;
    const sections = result.sections;
    const counted = sections?.counted ?? 0;
    const wasCounted = before.sections?.counted ?? 0;
    if (!before.had || (wasCounted === 0 && counted > 0)) {
      notices.emit({ type: "count-started", round, comune: s.comune, sections, result, outcome });
    } else if (counted !== wasCounted) {
      notices.emit({
        type: "count-progress",
        round,
        comune: s.comune,
        sections,
        previous: before.sections,
        result,
        outcome,
      });
    }
    if (r.complete && !before.complete)
      notices.emit({ type: "count-complete", round, comune: s.comune, result, outcome });
    if (decided(outcome) && !sameOutcome(outcome, before.outcome)) {
      notices.emit({ type: "outcome", round, comune: s.comune, outcome, previous: before.outcome, result });
    }
  }
}
