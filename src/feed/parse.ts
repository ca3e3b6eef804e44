/**
 * The Ministry's answers → the results model (src/data/model.ts): a province's turnout → each comune's
 * readings; a comune's count → its RoundResult (and, from a runoff answer, the first round's figures too).
 *
 * Figures are taken as the Ministry gives them; nothing is estimated. The one check made here is the
 * ballot sum (voters − blank − invalid − contested = the candidates' votes): a mismatch is a typed warning,
 * the figures are still served as published.
 */
import type { CandidateResult, ListResult, Provenance, RoundResult, Sections, TurnoutPoint } from "../data/model.js";
import { pad } from "./codes.js";
import { personName } from "./names.js";
import type { Cand, Lista, Reading, ScrutiniResponse, TurnoutEnte, VotantiResponse } from "./schema.js";
import { clockOf } from "./time.js";

/** Who publishes the feed, as a reader would name it. */
export const SOURCE = "Ministero dell'Interno";

/** Something in the feed worth telling the newsroom, typed so that logs and /stato can branch on it. */
export type FeedWarning =
  /** voters − blank − invalid − contested differs from the sum of the candidates' votes. */
  | {
      kind: "sum-mismatch";
      code: string;
      name: string;
      round: "first" | "runoff";
      /** voters − blank − invalid − contested */
      expected: number;
      /** the candidates' votes, summed */
      actual: number;
    }
  /** An answer that did not validate: the last good figures stay. */
  | { kind: "invalid-response"; path: string; issues: string[] }
  /** An answer larger than the cap: not read, the last good figures stay. */
  | { kind: "too-large"; path: string; bytes: number }
  /** Not JSON, or cut short. */
  | { kind: "malformed"; path: string; reason: string }
  /** "Errore di sintassi": a path the Ministry does not understand (a bug on our side). */
  | { kind: "syntax-error"; path: string }
  /** A comune of the feed that the comuni index lacks: served under the feed's name. */
  | { kind: "unknown-comune"; code: string; name: string };

/** The usual time of each reading, used only when the feed leaves a reading's timestamp out. */
const READING_CLOCK: Record<number, string> = { 1: "12:00", 2: "19:00", 3: "23:00" };
/** The reading at the close. */
export const FINAL_READING = 4;

// ---------------------------------------------------------------------------
// Turnout
// ---------------------------------------------------------------------------

/** One comune's turnout, as the province's answer reports it. */
export interface ComuneTurnout {
  /** The 9-digit code RRPPPCCCC. */
  code: string;
  /** The name as the feed writes it ("SAN FERDINANDO DI PUGLIA"). */
  feedName: string;
  electors?: number;
  /** The readings published so far, in order (12:00, 19:00, 23:00, final). */
  points: TurnoutPoint[];
}

export interface ProvinceTurnout {
  /** The Ministry's own figures for the province (its voting comuni). */
  province: { feedName: string; electors?: number; points: TurnoutPoint[] };
  comuni: ComuneTurnout[];
  /** When the answer was last updated. */
  updatedAt?: string;
}

/** A reading → a turnout point; undefined while the reading has not been published (no section reported). */
export function turnoutPoint(r: Reading, electors: number | undefined): TurnoutPoint | undefined {
  if (r.perc === undefined && r.vot_t === undefined) return undefined;
  if (r.enti_p === 0) return undefined;
  const at = r.dt_com ? clockOf(r.dt_com) : READING_CLOCK[r.com];
  if (!at) return undefined;
  const sections: Sections | undefined =
    r.enti_t !== undefined && r.enti_t > 0 && r.enti_p !== undefined
      ? { counted: r.enti_p, total: r.enti_t }
      : undefined;
  return {
    at,
    percent: r.perc,
    voters: r.vot_t,
    electors,
    previousPercent: r.perc_r,
    sections,
    final: r.com === FINAL_READING,
    takenAt: r.dt_com,
  };
}

function points(ente: TurnoutEnte): TurnoutPoint[] {
  return [...ente.com_vot]
    .sort((a, b) => a.com - b.com)
    .map((r) => turnoutPoint(r, ente.ele_t))
    .filter((p): p is TurnoutPoint => p !== undefined);
}

/**
 * A province's turnout answer → the province's and each comune's readings.
 * `region` is the 2-digit region of the province asked for: the answer itself names comuni by their
 * 4-digit code within the province.
 */
export function parseTurnout(resp: VotantiResponse, region: string): ProvinceTurnout {
  const province = pad(resp.enti.ente_p.cod, 3);
  return {
    province: {
      feedName: resp.enti.ente_p.desc,
      electors: resp.enti.ente_p.ele_t,
      points: points(resp.enti.ente_p),
    },
    comuni: resp.enti.enti_f.map((e) => ({
      code: `${pad(region, 2)}${province}${pad(e.cod, 4)}`,
      feedName: e.desc,
      electors: e.ele_t,
      points: points(e),
    })),
    updatedAt: resp.int.dt_agg,
  };
}

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

export interface ResultsContext {
  /** The comune's 9-digit code and its name (for warnings). */
  code: string;
  name: string;
  /** The URL asked, for the provenance. */
  url: string;
  /** The date asked for, used when the answer does not carry its own. */
  date: string;
  /** The first round's date: dates the first-round figures a runoff answer repeats. */
  firstRoundDate?: string;
}

export interface ParsedResults {
  round: "first" | "runoff";
  /**
   * The round answered: the first round, or the runoff (its two candidates). In a runoff the lists carry
   * the seats allocated after it; their votes are the first round's, as the Ministry shows them.
   */
  result: RoundResult;
  /** Runoff answers: the first round's candidates, votes, shares and lists, as the answer repeats them. */
  firstRound?: RoundResult;
  /** Every section counted. */
  complete: boolean;
  /** Seats allocated (`fine_rip`): the Ministry has closed the count. */
  closed: boolean;
  warnings: FeedWarning[];
}

/** Thrown when an answer validates but cannot make a round (no candidates): treated as an invalid answer. */
export class FeedParseError extends Error {
  override name = "FeedParseError";
}

/** A readable label for a list the feed knows only by its logo. */
export function listLabel(list: ListResult): string {
  if (list.name) return list.name;
  return list.position !== undefined ? `Lista n. ${list.position}` : "Lista senza nome";
}

function listResult(l: Lista): ListResult {
  return {
    name: l.descr_lista,
    // The model's positions are positive; a 0 would be a placeholder, not a position on the ballot.
    position: l.pos !== undefined && l.pos > 0 ? l.pos : undefined,
    votes: l.voti,
    percent: l.perc,
    seats: l.seggi,
    ...(l.lis_in ? { joinedForRunoff: true } : {}),
  };
}

const byVotes = <T extends { votes?: number }>(a: T, b: T) => (b.votes ?? -1) - (a.votes ?? -1);

function sortedLists(liste: Lista[]): ListResult[] {
  return liste.map(listResult).sort(byVotes);
}

function candidate(c: Cand, votes: number | undefined, percent: number | undefined, lists: ListResult[]) {
  const result: CandidateResult = { name: personName(c.nome, c.cogn), votes, percent, lists };
  return result;
}

function sortCandidates(list: { c: Cand; r: CandidateResult }[]): CandidateResult[] {
  return list
    .sort((a, b) => byVotes(a.r, b.r) || (a.c.pos ?? Number.MAX_SAFE_INTEGER) - (b.c.pos ?? Number.MAX_SAFE_INTEGER))
    .map((x) => x.r);
}

/** voters − blank − invalid − contested against the candidates' votes, where every figure is known. */
function sumCheck(round: RoundResult, which: "first" | "runoff", ctx: ResultsContext): FeedWarning | undefined {
  const { voters, blank, invalid, contested } = round;
  if (voters === undefined || blank === undefined || invalid === undefined || contested === undefined) return;
  if (round.candidates.some((c) => c.votes === undefined)) return;
  const expected = voters - blank - invalid - contested;
  const actual = round.candidates.reduce((s, c) => s + (c.votes ?? 0), 0);
  if (expected === actual) return;
  return { kind: "sum-mismatch", code: ctx.code, name: ctx.name, round: which, expected, actual };
}

/** A comune's results answer → the round it reports (and the first round, from a runoff answer). */
export function parseResults(resp: ScrutiniResponse, ctx: ResultsContext): ParsedResults {
  const i = resp.int;
  const which = i.f_elet.toUpperCase().endsWith("_2T") ? "runoff" : "first";
  const sections: Sections | undefined =
    i.sz_tot !== undefined && i.sz_tot > 0 ? { counted: i.sz_p_sind ?? 0, total: i.sz_tot } : undefined;
  const complete = sections !== undefined && sections.counted === sections.total;
  const closed = i.fine_rip === "S";
  const provenance: Provenance = {
    source: SOURCE,
    urls: [ctx.url],
    at: i.dt_agg,
    status: complete ? "final" : "partial",
  };

  // In a runoff answer, the candidates of the runoff carry a position and votes; the others only `_1t`.
  const inRound = which === "runoff" ? resp.cand.filter((c) => c.pos !== undefined || c.voti !== undefined) : resp.cand;
  if (!inRound.length) throw new FeedParseError("nessun candidato nella risposta");

  const electedCand = inRound.find((c) => c.eletto === "S");
  const anyElected = electedCand !== undefined;
  const candidates = sortCandidates(
    inRound.map((c) => {
      const r = candidate(c, c.voti, c.perc, sortedLists(c.liste));
      // Elected is known once the Ministry names someone; before that it stays unknown, not false.
      if (anyElected) r.elected = c === electedCand;
      // Defeated candidates seated in the council ("C") are marked once the seats are allocated.
      if (closed && c !== electedCand) r.councillor = c.eletto === "C";
      return { c, r };
    }),
  );

  // A runoff's answer carries the seats allocated after it for every group, those who did not run at it too.
  const others = which === "runoff" && closed ? resp.cand.filter((c) => !inRound.includes(c)) : [];
  const otherGroups = others.map((c) => ({
    candidate: personName(c.nome, c.cogn),
    councillor: c.eletto === "C",
    lists: sortedLists(c.liste),
  }));

  const result: RoundResult = {
    date: i.dt_ele ?? ctx.date,
    electors: i.ele_t,
    voters: i.vot_t,
    turnoutPercent: i.perc_vot,
    blank: i.sk_bianche,
    invalid: i.sk_nulle,
    contested: i.sk_contestate,
    sections,
    councilSeats: i.sg_spett || undefined,
    candidates,
    outcome: electedCand ? { kind: "elected", candidate: personName(electedCand.nome, electedCand.cogn) } : undefined,
    turnout: [],
    provenance,
    ...(otherGroups.length ? { otherGroups } : {}),
  };
  const warnings: FeedWarning[] = [];
  const mismatch = sumCheck(result, which, ctx);
  if (mismatch) warnings.push(mismatch);

  return {
    round: which,
    result,
    firstRound: which === "runoff" ? firstRoundOf(resp, ctx) : undefined,
    complete,
    closed,
    warnings,
  };
}

/**
 * The first round as a runoff answer repeats it: every candidate's first-round votes and share, and the
 * lists as they ran at the first round (a list joined to a runoff candidate, `lis_in`, goes back to the
 * candidate whose `lis_out` carries the same letter).
 */
function firstRoundOf(resp: ScrutiniResponse, ctx: ResultsContext): RoundResult | undefined {
  if (!ctx.firstRoundDate) return undefined;
  const withFirst = resp.cand.filter((c) => c.voti_1t !== undefined || c.perc_1t !== undefined);
  if (!withFirst.length) return undefined;
  const owner = new Map<string, Cand>();
  for (const c of resp.cand) if (c.lis_out) owner.set(c.lis_out, c);
  const listsOf = new Map<Cand, Lista[]>(resp.cand.map((c) => [c, []]));
  for (const c of resp.cand)
    for (const l of c.liste) {
      const back = l.lis_in ? owner.get(l.lis_in) : undefined;
      // Seats in a runoff answer are allocated after the runoff: they are not the first round's.
      listsOf.get(back ?? c)!.push({ ...l, lis_in: undefined, seggi: undefined });
    }
  const candidates = sortCandidates(
    withFirst.map((c) => ({ c, r: candidate(c, c.voti_1t, c.perc_1t, sortedLists(listsOf.get(c) ?? [])) })),
  );
  return {
    date: ctx.firstRoundDate,
    candidates,
    turnout: [],
    provenance: { source: SOURCE, urls: [ctx.url], status: "final" },
  };
}
