/**
 * What the desk shows, read from what the bot knows: the night at a glance, one row per comune, a
 * comune's page (its figures, its anomalies and their history, its live card as Telegram shows it), and
 * delivery. Rows are kept per comune object: the merged results keep a comune's object until its figures
 * or its gate change, so a row is computed again only then. Every store read is here (and awaited).
 */
import { hostname } from "node:os";
import type { App } from "../app.js";
import { liveCardButtons } from "../bot/keyboards.js";
import { renderLiveCard } from "../cards/render.js";
import { staleSince } from "../data/anomalies/index.js";
import type { ComuneCode, RoundResult } from "../data/model.js";
import { codeOf, hasResults, type KnownComune, type ResultComune } from "../data/places.js";
import { counting, settledFirstRound, settledRunoff } from "../data/settled.js";

/** One comune of the table. */
export interface DeskRow {
  /** The comune's code (ISTAT, else the Ministry's). */
  key: string;
  name: string;
  province: string;
  region: string;
  /** The round shown: the runoff once it has figures. */
  round: "first" | "runoff";
  counted?: number;
  total?: number;
  leader?: string;
  /** The leader's share of the valid votes, percent. */
  share?: number;
  /** What is called: elected, runoff, void; leading while counting without a certain call; none before figures. */
  call: "elected" | "runoff" | "void" | "leading" | "none";
  /** The call in words, Italian: "eletto Rossi", "ballottaggio Rossi–Bianchi", "in testa Rossi". */
  callText: string;
  counting: boolean;
  complete: boolean;
  /** The anomaly gate holds its figures, or held them until the newsroom released them. */
  gate: "held" | "released" | "";
  /** The gate's key of the held round ("1t:050901160"): what a release names. */
  gateKey?: string;
  stale: boolean;
  followers: number;
}

/** The night at a glance. */
export interface Overview {
  election: string;
  /** The election's time zone: the page shows times on its clock. */
  timeZone: string;
  simulated: boolean;
  /** Turnout readings: the latest of the election, with how many comuni it covers. */
  turnout: { at: string; final: boolean; percent?: number; reported?: number; total?: number }[];
  comuni: { voting: number; withFigures: number; counting: number; complete: number; held: number; stale: number };
  calls: number;
  runoffs: number;
  /** Feed drafts waiting for the newsroom (review mode). */
  drafts: number;
  feed: "auto" | "review" | "off" | "none";
  subscribers: { subscriptions: number; chats: number };
  journal: { at: number; by: number; via: string; what: string; subject: string }[];
}

/** One instance of the bot and the leases it holds. */
export interface Instance {
  id: string;
  self: boolean;
  since: number;
  leases: string[];
}

const percentOf = (votes: number | undefined, round: RoundResult): number | undefined => {
  if (votes === undefined) return undefined;
  const valid = round.candidates.reduce((s, c) => s + (c.votes ?? 0), 0);
  return valid > 0 ? Math.round((votes / valid) * 10_000) / 100 : undefined;
};

/** The row of a comune with results, without what changes with time (stale) or elsewhere (followers). */
function baseRow(app: App, c: ResultComune): Omit<DeskRow, "stale" | "followers"> {
  const rules = app.data.current().election.rules;
  const runoff = c.results.runoff;
  const stage = runoff ? "runoff" : "first";
  const round = runoff ?? c.results.firstRound;
  const open = counting(round);
  // By share where both have one (a pack may give a candidate's share without the votes), else by votes.
  const sorted = [...round.candidates].sort((a, b) =>
    a.percent !== undefined && b.percent !== undefined ? b.percent - a.percent : (b.votes ?? 0) - (a.votes ?? 0),
  );
  const top = sorted[0];
  const outcome = stage === "runoff" ? settledRunoff(c.results, rules) : settledFirstRound(c.results, rules);
  let call: DeskRow["call"] = "none";
  let callText = "";
  if (outcome?.kind === "elected") {
    call = "elected";
    callText = `${open ? "certo: " : ""}eletto ${outcome.candidate}`;
  } else if (outcome?.kind === "runoff") {
    call = "runoff";
    callText = `${open ? "certo: " : ""}ballottaggio ${outcome.candidates.join(" – ")}`;
  } else if (outcome?.kind === "void") {
    call = "void";
    callText = "nessun sindaco eletto";
  } else if (top && (top.votes ?? top.percent ?? 0) > 0) {
    call = "leading";
    callText = `in testa ${top.name}`;
  }
  const live = c.live;
  const gateKey = c.eligendo ? `${stage === "runoff" ? "2t" : "1t"}:${c.eligendo}` : undefined;
  return {
    key: codeOf(c),
    name: c.label,
    province: c.province,
    region: c.region,
    round: stage,
    ...(round.sections ? { counted: round.sections.counted, total: round.sections.total } : {}),
    ...(top ? { leader: top.name } : {}),
    ...(top ? { share: top.percent ?? percentOf(top.votes, round) } : {}),
    call,
    callText,
    counting: open,
    complete: !open,
    gate: live?.held ? "held" : live?.released ? "released" : "",
    ...(gateKey && (live?.held || live?.released) ? { gateKey } : {}),
  };
}

/** A comune voting, before any figure. */
function emptyRow(c: KnownComune): Omit<DeskRow, "stale" | "followers"> {
  return {
    key: codeOf(c),
    name: c.label,
    province: c.province,
    region: c.region,
    round: "first",
    call: "none",
    callText: "",
    counting: false,
    complete: false,
    gate: c.live?.held ? "held" : "",
    ...(c.live?.held && c.eligendo ? { gateKey: `1t:${c.eligendo}` } : {}),
  };
}

/** An entry of a comune's gate history, as the desk saw it. */
export interface GateEvent {
  at: number;
  state: "held" | "released" | "cleared";
  anomalies: string[];
}

/** See the module comment. */
export class DeskBoard {
  private readonly rows = new WeakMap<KnownComune, Omit<DeskRow, "stale" | "followers">>();
  private followers = new Map<ComuneCode, number>();
  private followersAt = -Infinity;
  private readonly history = new Map<string, GateEvent[]>();
  private readonly gateSeen = new Map<string, string>();
  private readonly started = Date.now();

  constructor(private readonly app: App) {}

  /** The comuni the table lists: those voting, and those with results. */
  private comuni(): KnownComune[] {
    return this.app.data.current().known.filter((c) => c.voting || c.results);
  }

  /** Re-reads the followers per comune (at most every 5 s unless `force`). */
  async refreshFollowers(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.followersAt < 5_000) return;
    this.followersAt = now;
    this.followers = await this.app.store.followerCounts();
  }

  /** A comune's row now. */
  row(c: KnownComune): DeskRow {
    let base = this.rows.get(c);
    if (!base) {
      base = hasResults(c) ? baseRow(this.app, c) : emptyRow(c);
      this.rows.set(c, base);
    }
    const live = c.live;
    const stale = !!live && !!staleSince(live.changedAt, this.app.now(), live.countingOpen, live.staleMinutes);
    return { ...base, stale, followers: this.followers.get(codeOf(c)) ?? 0 };
  }

  /** Every row. */
  allRows(): DeskRow[] {
    return this.comuni().map((c) => this.row(c));
  }

  /** The rows of these comuni (by key), those that still exist. */
  rowsOf(keys: Iterable<string>): DeskRow[] {
    const pack = this.app.data.current();
    const out: DeskRow[] = [];
    for (const k of keys) {
      const c = pack.byKey(k);
      if (c && (c.voting || c.results)) out.push(this.row(c));
    }
    return out;
  }

  /** Notes a comune's gate state, for its history (called for each comune that changed). */
  noteGate(key: string): void {
    const c = this.app.data.current().byKey(key);
    const desk = this.app.feed;
    if (!c?.eligendo || !desk) return;
    for (const tag of ["1t", "2t"]) {
      const gk = `${tag}:${c.eligendo}`;
      const s = desk.live.gate.status(gk);
      const state = s?.held ? "held" : s?.released ? "released" : "cleared";
      const anomalies = (s?.holding ?? []).map((a) => a.it);
      const sig = `${state}|${anomalies.join("|")}`;
      const before = this.gateSeen.get(gk);
      if (before === sig || (before === undefined && state === "cleared")) continue;
      this.gateSeen.set(gk, sig);
      const list = this.history.get(gk) ?? [];
      list.push({ at: this.app.now().getTime(), state, anomalies });
      this.history.set(gk, list.slice(-50));
    }
  }

  /** The night at a glance, from the rows. */
  async overview(rows: readonly DeskRow[]): Promise<Overview> {
    let withFigures = 0;
    let counting = 0;
    let complete = 0;
    let held = 0;
    let stale = 0;
    let calls = 0;
    let runoffs = 0;
    for (const r of rows) {
      if (r.counted !== undefined || r.call !== "none") withFigures++;
      if (r.counting) counting++;
      if (r.complete) complete++;
      if (r.gate === "held") held++;
      if (r.stale) stale++;
      if (r.call === "elected") calls++;
      else if (r.call === "runoff") runoffs++;
    }
    const pack = this.app.data.current();
    const live = this.app.data.live;
    const turnout: Overview["turnout"] = [];
    const totals = live?.turnout("first");
    if (totals)
      for (const p of totals.election.points)
        turnout.push({
          at: p.at,
          final: p.final,
          ...(p.percent !== undefined ? { percent: p.percent } : {}),
          reported: p.comuni.reported,
          total: p.comuni.total,
        });
    else for (const r of pack.turnout.readings) turnout.push({ at: r.at, final: false, percent: r.percent });
    const desk = this.app.feed;
    return {
      election: pack.election.name,
      timeZone: pack.election.timezone,
      simulated: live?.simulated ?? false,
      turnout,
      comuni: { voting: rows.length, withFigures, counting, complete, held, stale },
      calls,
      runoffs,
      drafts: desk && desk.mode === "review" ? await desk.bulletins.pendingDrafts() : 0,
      feed: desk ? desk.mode : "none",
      subscribers: await this.app.store.subscriberStats(),
      journal: this.app.journal.latest(10),
    };
  }

  /** A comune's page: its row, its live card as Telegram shows it, its anomalies and their history. */
  comune(key: string) {
    const c = this.app.data.current().byKey(key);
    if (!c) return undefined;
    const row = this.row(c);
    const card = renderLiveCard(this.app.data.current(), codeOf(c), "it", this.app.now(), liveCardButtons);
    const desk = this.app.feed;
    const gate = ["1t", "2t"].flatMap((tag) => {
      if (!c.eligendo || !desk) return [];
      const gk = `${tag}:${c.eligendo}`;
      const s = desk.live.gate.status(gk);
      if (!s) return [];
      return [
        {
          key: gk,
          round: tag === "2t" ? "ballottaggio" : "primo turno",
          held: s.held,
          released: s.released,
          ...(s.since ? { since: s.since } : {}),
          anomalies: s.anomalies.map((a) => ({ text: a.it, holds: s.holding.includes(a) })),
          history: this.history.get(gk) ?? [],
        },
      ];
    });
    return {
      row,
      card: card ? { html: card.html, buttons: card.keyboard?.inline_keyboard.flat().map((b) => b.text) ?? [] } : null,
      gate,
    };
  }

  /**
   * The instances of the bot and who holds which lease: with PostgreSQL, as the database has them (see
   * src/cluster/); with SQLite there is one instance, this one, doing everything.
   */
  async instances(): Promise<Instance[]> {
    const status = await this.app.cluster?.status().catch(() => undefined);
    if (status) {
      const now = Date.now();
      return status.instances.map((i) => ({
        id: i.id,
        self: i.id === status.id,
        since: i.startedAt,
        leases: status.leases.filter((l) => l.holder === i.id && l.expiresAt > now).map((l) => l.name),
      }));
    }
    return [
      {
        id: `${hostname()}:${process.pid}`,
        self: true,
        since: this.started,
        leases: ["delivery", ...(this.app.feed ? ["feed"] : []), "live-cards"],
      },
    ];
  }
}
