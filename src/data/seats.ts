/**
 * Who sits in the council: the seats of each list under the law, from the lists' votes. Pure functions.
 *
 * National law (d.lgs. 267/2000, TUEL), as the Ministry applies it:
 *
 * - Council size (art. 37, c. 1, with the reduction by 20% of art. 2, c. 184, l. 191/2009 as amended by
 *   d.l. 2/2010, l. 42/2010, "con arrotondamento all'unità superiore" of the reduction; and art. 1, c. 135,
 *   l. 56/2014 for comuni up to 10.000): councillors besides the mayor, by the legal population of the last
 *   general census (art. 37, c. 4) — 48 above 1.000.000, 40 above 500.000, 36 above 250.000, 32 above
 *   100.000 (and capoluoghi di provincia below it), 24 above 30.000, 16 above 10.000, 12 above 3.000, 10 up
 *   to 3.000. The Ministry's own figure (the feed's `sg_spett`) wins where it is given.
 * - Comuni above 15.000 (art. 73): lists below 3% of the valid votes are excluded unless their group of lists
 *   passed 3% (c. 7); seats go by D'Hondt to the groups, then within each group to its lists (c. 8, 9); the
 *   mayor's lists get 60% of the seats (rounded up, as the Ministry does: Vicenza 2018, 32 seats → 20) when
 *   they have less — at the first round only if they have at least 40% and no other group passed 50%, at the
 *   runoff unless another group passed 50% at the first round (c. 10: the lame duck); each defeated mayoral
 *   candidate whose group won a seat takes the first of its seats (c. 11). Equal quotients go to the higher
 *   electoral figure, then by lot (c. 8): the bot does not draw lots, it says the seat is to be drawn.
 * - Comuni up to 15.000 (art. 71, c. 8): two thirds of the seats to the winner's list (rounded up only when
 *   the decimal part passes 50 hundredths), the rest by D'Hondt among the other lists; each defeated
 *   candidate whose list won a seat takes its first seat.
 *
 * Percentages are taken on the valid votes of the lists (their electoral figures), as the Ministry prints
 * them. A region with its own law changes what its data says (election.json `rules.councils`: the threshold, the
 * coalition's rescue, the bonus share, the council sizes, the small comuni's share), or is not computed.
 */
import type { CandidateResult, ComuneResults, ListResult, RoundResult, Sections } from "./model.js";
import type { DerivedOutcome } from "./rules.js";
import { firstRoundOutcome, runoffOutcome } from "./rules.js";
import type { RegionalSeatRule, Rules } from "./schema.js";

// ---------------------------------------------------------------------------
// D'Hondt
// ---------------------------------------------------------------------------

/** A D'Hondt allocation: seats per entry, or the entries level on the last quotient and figure (to be drawn). */
export type DHondtResult = { seats: number[]; tie?: undefined } | { seats?: undefined; tie: number[] };

interface Quotient {
  i: number;
  votes: number;
  divisor: number;
}

/** a/b against c/d without rounding: positive when a/b is larger. */
const compareQuotients = (x: Quotient, y: Quotient) => x.votes * y.divisor - y.votes * x.divisor;

/**
 * D'Hondt: the votes divided by 1, 2, 3…, the `seats` highest quotients win; a level quotient goes to the
 * higher figure (votes); level on both at the last seat is a tie, to be drawn by lot.
 */
export function dHondt(votes: readonly number[], seats: number): DHondtResult {
  if (seats <= 0) return { seats: votes.map(() => 0) };
  const quotients: Quotient[] = [];
  votes.forEach((v, i) => {
    if (v > 0) for (let d = 1; d <= seats; d++) quotients.push({ i, votes: v, divisor: d });
  });
  if (!quotients.length) return { tie: votes.map((_, i) => i) };
  quotients.sort((a, b) => -compareQuotients(a, b) || b.votes - a.votes || a.i - b.i);
  const out = votes.map(() => 0);
  if (quotients.length < seats) return { tie: votes.flatMap((v, i) => (v > 0 ? [i] : [])) };
  for (let k = 0; k < seats; k++) out[quotients[k]!.i]!++;
  const last = quotients[seats - 1]!;
  const next = quotients[seats];
  if (next && next.i !== last.i && compareQuotients(last, next) === 0 && last.votes === next.votes) {
    const level = quotients.filter((q) => compareQuotients(q, last) === 0 && q.votes === last.votes).map((q) => q.i);
    return { tie: [...new Set(level)].sort((a, b) => a - b) };
  }
  return { seats: out };
}

// ---------------------------------------------------------------------------
// Council size
// ---------------------------------------------------------------------------

/** A band of a council-size table: up to `upTo` inhabitants (inclusive; the last band has none), `seats`. */
export interface SizeBand {
  upTo?: number;
  seats: number;
}

/** Art. 37 TUEL as reduced (l. 191/2009, art. 2, c. 184; l. 56/2014, art. 1, c. 135): councillors besides the mayor. */
export const NATIONAL_COUNCIL: { bands: SizeBand[]; capoluogo: { below: number; seats: number } } = {
  bands: [
    { upTo: 3_000, seats: 10 },
    { upTo: 10_000, seats: 12 },
    { upTo: 30_000, seats: 16 },
    { upTo: 100_000, seats: 24 },
    { upTo: 250_000, seats: 32 },
    { upTo: 500_000, seats: 36 },
    { upTo: 1_000_000, seats: 40 },
    { seats: 48 },
  ],
  // Art. 37, c. 1, d): capoluoghi di provincia with 100.000 inhabitants or fewer have the council of the band above.
  capoluogo: { below: 100_000, seats: 32 },
};

/** Councillors (besides the mayor) of a comune of `population`, by the national table or a region's own. */
export function councilSizeByLaw(population: number, capoluogo: boolean, regional?: RegionalSeatRule): number {
  if (regional?.councilSize?.length) {
    if (capoluogo && regional.capoluogoCouncil !== undefined) return regional.capoluogoCouncil;
    return bandOf(regional.councilSize, population);
  }
  const seats = bandOf(NATIONAL_COUNCIL.bands, population);
  if (capoluogo && population <= NATIONAL_COUNCIL.capoluogo.below)
    return Math.max(seats, NATIONAL_COUNCIL.capoluogo.seats);
  return seats;
}

function bandOf(bands: readonly SizeBand[], population: number): number {
  for (const b of bands) if (b.upTo === undefined || population <= b.upTo) return b.seats;
  return bands[bands.length - 1]!.seats;
}

// ---------------------------------------------------------------------------
// The allocation
// ---------------------------------------------------------------------------

/** A list as the allocation sees it. */
export interface SeatListInput {
  name?: string;
  position?: number;
  votes: number;
}

/** A group of lists: the lists linked to one mayoral candidate (at the runoff, with those that joined). */
export interface GroupInput {
  candidate: string;
  lists: SeatListInput[];
}

export interface ListSeats extends SeatListInput {
  /** Councillors of the list (the defeated candidate's seat is counted on the group, not here). */
  seats: number;
  /** Admitted to the allocation (past the threshold, or in a group past it). */
  admitted: boolean;
}

export interface GroupSeats {
  candidate: string;
  mayor: boolean;
  /** Valid votes of the group's lists (all of them, admitted or not). */
  votes: number;
  /** The group's seats: its lists' councillors, plus the defeated candidate's own seat. */
  seats: number;
  /** The defeated candidate sits in the council (the group won at least one seat). */
  candidateSeated: boolean;
  lists: ListSeats[];
}

/** Whether the majority bonus applied, and if not, why. */
export type BonusStatus =
  | "applied" // the mayor's lists were raised to the bonus
  | "already" // they had at least the bonus by D'Hondt alone
  | "below-minimum" // first round: the mayor's lists had less than the minimum share (40%)
  | "other-majority" // first round: another group's lists passed 50%
  | "lame-duck" // runoff: another group's lists passed 50% at the first round
  | "small"; // comune up to 15.000: two thirds to the winning list, always

export interface Allocation {
  /** Councillors to elect, besides the mayor. */
  seats: number;
  system: "majoritarian" | "small";
  groups: GroupSeats[];
  bonus: BonusStatus;
  /** The seats the bonus gives (60%, two thirds). */
  bonusSeats: number;
  /** The mayor's lists hold more than half of the council (the mayor's own vote counted). */
  majority: boolean;
}

export type AllocationResult =
  | ({ kind: "allocation" } & Allocation)
  /** Level on the last quotient and on the figure: the law draws lots; the bot says so. */
  | { kind: "tie"; between: string[] }
  /** No list has a vote: nothing to allocate. */
  | { kind: "no-votes" }
  /**
   * The bonus would go to the elected mayor's lists, but every one of them is below the threshold: the
   * law's text does not say who takes those seats, so the bot computes nothing rather than guess.
   */
  | { kind: "mayor-lists-excluded" };

/** The rule values a region may change; the national ones otherwise. */
export interface SeatLaw {
  /** Lists below this share (percent of the lists' valid votes) are excluded… */
  listThresholdPercent: number;
  /** …unless their group passed it (national: yes; Sicily: no rescue). */
  groupRescue: boolean;
  bonusPercent: number;
  /** First round: the mayor's lists need at least this share for the bonus. */
  bonusMinimumPercent: number;
  /** Another group above this share blocks the bonus. */
  blockingPercent: number;
}

export const NATIONAL_LAW: SeatLaw = {
  listThresholdPercent: 3,
  groupRescue: true,
  bonusPercent: 60,
  bonusMinimumPercent: 40,
  blockingPercent: 50,
};

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
/** Exact `part / whole * 100 >= percent` (or `>` when strict), without floating error on integers. */
const share = (part: number, whole: number, percent: number, strict: boolean) =>
  strict ? part * 100 > percent * whole : part * 100 >= percent * whole;

/** Seats of the group's lists by D'Hondt among its admitted lists. */
function withinGroup(lists: readonly SeatListInput[], admitted: readonly boolean[], seats: number): DHondtResult {
  return dHondt(
    lists.map((l, i) => (admitted[i] ? l.votes : 0)),
    seats,
  );
}

/**
 * Comuni above 15.000 (art. 73 TUEL): `groups` are the groups of lists as they stand for the allocation
 * (at the runoff, with the lists that joined a candidate), `mayor` the index of the elected mayor's group;
 * `firstRound` the groups of the first round, for the lame-duck test after a runoff.
 */
export function allocateMajoritarian(input: {
  seats: number;
  groups: readonly GroupInput[];
  mayor: number;
  round: "first" | "runoff";
  /** The first round's groups (the votes of their lists), when the mayor was elected at the runoff. */
  firstRound?: readonly GroupInput[];
  law?: SeatLaw;
}): AllocationResult {
  const law = input.law ?? NATIONAL_LAW;
  const { seats, groups, mayor } = input;
  const groupVotes = groups.map((g) => sum(g.lists.map((l) => l.votes)));
  const total = sum(groupVotes);
  if (total <= 0) return { kind: "no-votes" };

  // Art. 73, c. 7: a list below the threshold is excluded, unless its group passed it.
  const admitted = groups.map((g, gi) => {
    const groupPassed = law.groupRescue && share(groupVotes[gi]!, total, law.listThresholdPercent, true);
    return g.lists.map((l) => l.votes > 0 && (groupPassed || share(l.votes, total, law.listThresholdPercent, false)));
  });
  const figures = groups.map((g, gi) => sum(g.lists.map((l, li) => (admitted[gi]![li] ? l.votes : 0))));

  const plain = dHondt(figures, seats);
  if (plain.tie) return { kind: "tie", between: plain.tie.map((i) => groups[i]!.candidate) };
  let groupSeats = plain.seats;

  const bonusSeats = Math.ceil((seats * law.bonusPercent) / 100);
  let bonus: BonusStatus;
  const others = (votes: readonly number[], of: number) =>
    votes.some((v, i) => i !== of && share(v, sum(votes), law.blockingPercent, true));
  if (groupSeats[mayor]! >= bonusSeats) bonus = "already";
  else if (input.round === "first" && !share(groupVotes[mayor]!, total, law.bonusMinimumPercent, false))
    bonus = "below-minimum";
  else if (input.round === "first" && others(groupVotes, mayor)) bonus = "other-majority";
  else if (input.round === "runoff" && lameDuck(input.firstRound ?? groups, groups[mayor]!.candidate, law))
    bonus = "lame-duck";
  else if (figures[mayor] === 0) return { kind: "mayor-lists-excluded" };
  else {
    // The rest, by D'Hondt among the other groups.
    const rest = dHondt(
      figures.map((f, i) => (i === mayor ? 0 : f)),
      seats - bonusSeats,
    );
    if (rest.tie) return { kind: "tie", between: rest.tie.map((i) => groups[i]!.candidate) };
    bonus = "applied";
    groupSeats = rest.seats.map((s, i) => (i === mayor ? bonusSeats : s));
    // No other group admitted: nobody to take the rest (the mayor's lists take every seat).
    if (sum(groupSeats) < seats) groupSeats[mayor] = seats - sum(groupSeats.filter((_, i) => i !== mayor));
  }

  const out: GroupSeats[] = [];
  for (const [gi, g] of groups.entries()) {
    const isMayor = gi === mayor;
    const total = groupSeats[gi]!;
    // Art. 73, c. 11: the defeated candidate takes the first of the group's seats.
    const seated = !isMayor && total > 0;
    const split = withinGroup(g.lists, admitted[gi]!, total - (seated ? 1 : 0));
    if (split.tie) return { kind: "tie", between: split.tie.map((i) => listLabelOf(g.lists[i]!)) };
    out.push({
      candidate: g.candidate,
      mayor: isMayor,
      votes: groupVotes[gi]!,
      seats: total,
      candidateSeated: seated,
      lists: g.lists.map((l, li) => ({ ...l, seats: split.seats[li]!, admitted: admitted[gi]![li]! })),
    });
  }
  return {
    kind: "allocation",
    seats,
    system: "majoritarian",
    groups: out,
    bonus,
    bonusSeats,
    majority: majorityOf(groupSeats[mayor]!, seats),
  };
}

/** Art. 73, c. 10: after a runoff, another first-round group than the mayor's passed 50% at the first round. */
function lameDuck(firstRound: readonly GroupInput[], mayor: string, law: SeatLaw): boolean {
  const votes = firstRound.map((g) => sum(g.lists.map((l) => l.votes)));
  const total = sum(votes);
  return firstRound.some((g, i) => g.candidate !== mayor && share(votes[i]!, total, law.blockingPercent, true));
}

/** The mayor and the mayor's councillors are more than half of the council (mayor included). */
const majorityOf = (mayorSeats: number, seats: number) => 2 * (mayorSeats + 1) > seats + 1;

/** Art. 71, c. 8: two thirds, rounded up only when the decimal part passes 50 hundredths (x,67 → up; x,33 → down). */
export function twoThirds(seats: number): number {
  return Math.floor((2 * seats) / 3) + ((2 * seats) % 3 === 2 ? 1 : 0);
}

/** A share of `seats` rounded as art. 71 rounds (up only past 50 hundredths), for a region's own bonus. */
export function smallBonusSeats(seats: number, numerator: number, denominator: number): number {
  const whole = Math.floor((seats * numerator) / denominator);
  const rest = (seats * numerator) % denominator;
  return whole + (2 * rest > denominator ? 1 : 0);
}

/**
 * Comuni up to 15.000 (art. 71 TUEL): the winner's group takes `bonusSeats` (two thirds), the rest goes by
 * D'Hondt among the other groups; each defeated candidate whose group won a seat takes its first one.
 */
export function allocateSmall(input: {
  seats: number;
  groups: readonly GroupInput[];
  mayor: number;
  /** Default: two thirds, art. 71. */
  bonusSeats?: number;
}): AllocationResult {
  const { seats, groups, mayor } = input;
  const groupVotes = groups.map((g) => sum(g.lists.map((l) => l.votes)));
  if (sum(groupVotes) <= 0) return { kind: "no-votes" };
  const bonusSeats = input.bonusSeats ?? twoThirds(seats);
  const othersVotes = groupVotes.map((v, i) => (i === mayor ? 0 : v));
  const hasOthers = othersVotes.some((v) => v > 0);
  const rest = hasOthers ? dHondt(othersVotes, seats - bonusSeats) : { seats: groupVotes.map(() => 0) };
  if (rest.tie) return { kind: "tie", between: rest.tie.map((i) => groups[i]!.candidate) };
  const groupSeats = rest.seats.map((s, i) => (i === mayor ? (hasOthers ? bonusSeats : seats) : s));
  const admittedAll = (g: GroupInput) => g.lists.map((l) => l.votes > 0);
  const out: GroupSeats[] = [];
  for (const [gi, g] of groups.entries()) {
    const isMayor = gi === mayor;
    const total = groupSeats[gi]!;
    const seated = !isMayor && total > 0;
    const split = withinGroup(g.lists, admittedAll(g), total - (seated ? 1 : 0));
    if (split.tie) return { kind: "tie", between: split.tie.map((i) => listLabelOf(g.lists[i]!)) };
    out.push({
      candidate: g.candidate,
      mayor: isMayor,
      votes: groupVotes[gi]!,
      seats: total,
      candidateSeated: seated,
      lists: g.lists.map((l, li) => ({ ...l, seats: split.seats[li]!, admitted: true })),
    });
  }
  return {
    kind: "allocation",
    seats,
    system: "small",
    groups: out,
    bonus: "small",
    bonusSeats,
    majority: majorityOf(groupSeats[mayor]!, seats),
  };
}

const listLabelOf = (l: { name?: string; position?: number }) =>
  l.name ?? (l.position !== undefined ? `Lista n. ${l.position}` : "Lista senza nome");

// ---------------------------------------------------------------------------
// From the results model
// ---------------------------------------------------------------------------

/** Where the council's size comes from. */
export type CouncilSource = "source" | "law";

/** What the bot can say of a comune's council, from its results. */
export type CouncilSeats =
  | ({
      kind: "allocation";
      /** Whose count: the first round's lists (their votes decide at both rounds). */
      round: "first" | "runoff";
      mayor: string;
      sizeFrom: CouncilSource;
      /** Set while the count goes on: the figures are a projection on these sections. */
      projection?: Sections;
      /** The region whose own law applied. */
      region?: string;
      /** The Ministry's own allocation, where it has published one, and whether it is the same. */
      official?: { groups: OfficialGroup[]; matches: boolean };
    } & Allocation)
  /** The runoff is still to decide the mayor: the allocation for each of the two, the bonus not yet shown. */
  | { kind: "runoff-pending"; candidates: [string, string]; sizeFrom: CouncilSource; seats: number }
  | {
      kind: "unavailable";
      reason:
        | "no-list-votes" // the data has no list votes: never estimated
        | "size-unknown" // neither the source nor the population gives the council's size
        | "population-unknown" // whether the comune is above 15.000 (which law applies) is not in the data
        | "mayor-undecided" // the count does not say yet who the mayor is
        | "region-not-computed" // a region whose law the bot does not compute
        | "single-list" // one list only: every candidate of it is elected
        | "void" // no mayor elected
        | "mayor-lists-excluded"; // the bonus's lists are all below the threshold: the law does not say
      region?: string;
      note?: string;
    }
  | { kind: "tie"; between: string[] };

/** The Ministry's seats for a group: its lists' seats and whether its defeated candidate was seated. */
export interface OfficialGroup {
  candidate: string;
  lists: { name?: string; position?: number; seats: number }[];
  candidateSeated?: boolean;
}

/** What the allocation needs beyond the results: the legal population, where the comuni index knows it. */
export interface CouncilContext {
  population?: number;
}

/** The regional seat rule of a comune, where its region has one. */
export function regionalSeatRule(region: string, rules: Rules): RegionalSeatRule | undefined {
  return rules.councils?.[region];
}

/** The council's size: the source's figure, or the law's from the legal population; undefined when neither. */
export function councilSize(
  c: ComuneResults,
  rules: Rules,
  ctx: CouncilContext,
): { seats: number; from: CouncilSource } | undefined {
  const stated = c.runoff?.councilSeats ?? c.firstRound.councilSeats;
  if (stated !== undefined && stated > 0) return { seats: stated, from: "source" };
  if (ctx.population === undefined) return undefined;
  return { seats: councilSizeByLaw(ctx.population, c.capoluogo, regionalSeatRule(c.region, rules)), from: "law" };
}

const hasVotes = (l: ListResult): l is ListResult & { votes: number } => l.votes !== undefined;

/** The first round's groups: each candidate with the lists linked to them (votes as the source gives). */
function groupsOf(round: RoundResult): GroupInput[] | undefined {
  const lists = round.candidates.flatMap((k) => k.lists);
  if (!lists.length || !lists.every(hasVotes)) return undefined;
  return round.candidates.map((k) => ({
    candidate: k.name,
    lists: k.lists.map((l) => ({ name: l.name, position: l.position, votes: l.votes ?? 0 })),
  }));
}

/**
 * The groups after a runoff: each runoff candidate with their first-round lists and those that joined
 * them (`joinedForRunoff`, matched to the first round by position or name), the others as they ran.
 */
function runoffGroups(first: GroupInput[], runoff: RoundResult): GroupInput[] {
  const joined = new Map<string, string>();
  const keyOf = (l: { name?: string; position?: number }) =>
    l.position !== undefined ? `#${l.position}` : `=${l.name}`;
  for (const k of runoff.candidates) for (const l of k.lists) if (l.joinedForRunoff) joined.set(keyOf(l), k.name);
  const out = first.map((g) => ({ candidate: g.candidate, lists: g.lists.filter((l) => !joined.has(keyOf(l))) }));
  for (const g of first)
    for (const l of g.lists) {
      const to = joined.get(keyOf(l));
      if (to) out.find((x) => x.candidate === to)?.lists.push(l);
    }
  // A candidate whose every list joined another has no group left of their own.
  return out.filter((g) => g.lists.length > 0 || runoff.candidates.some((k) => k.name === g.candidate));
}

function mayorOf(outcome: DerivedOutcome | undefined): string | undefined {
  return outcome?.kind === "elected" ? outcome.candidate : undefined;
}

/** Whether the data can say anything of the council: the list votes of the first round, or the Ministry's seats. */
export function hasCouncilData(c: ComuneResults): boolean {
  return groupsOf(c.firstRound) !== undefined || [c.firstRound, c.runoff].some((r) => r?.councilSeats !== undefined);
}

/**
 * A comune's council from its results: the allocation under the law that applies (national, or its region's
 * where the data describes it), with the Ministry's own seats alongside where published. While counting, the
 * figures are a projection on the sections counted (`projection`), the mayor the one the current figures
 * elect; before a runoff is decided, only the two possible mayors are named.
 */
export function councilSeats(c: ComuneResults, rules: Rules, ctx: CouncilContext = {}): CouncilSeats {
  const regionRule = rules.regions[c.region];
  const regional = regionalSeatRule(c.region, rules);
  const region = regional ? { region: c.region } : {};
  if (regional && !regional.computed)
    return { kind: "unavailable", reason: "region-not-computed", ...region, note: regional.note ?? undefined };

  const first = groupsOf(c.firstRound);
  if (!first) return { kind: "unavailable", reason: "no-list-votes", ...region };
  if (first.flatMap((g) => g.lists).filter((l) => l.votes > 0).length === 1)
    return { kind: "unavailable", reason: "single-list", ...region };
  const size = councilSize(c, rules, ctx);
  if (!size) return { kind: "unavailable", reason: "size-unknown", ...region };

  const outcome = firstRoundOutcome(c, rules);
  const threshold = regionRule?.runoffPopulationThreshold ?? rules.runoffPopulationThreshold;
  const band =
    c.populationBand ??
    (ctx.population !== undefined ? (ctx.population <= threshold ? "fino-15000" : "oltre-15000") : undefined);
  if (!band) return { kind: "unavailable", reason: "population-unknown", ...region };
  const small = band === "fino-15000";
  let round: "first" | "runoff" = "first";
  let mayor = mayorOf(outcome);
  let groups = first;
  let counted: RoundResult = c.firstRound;
  if (!small && outcome.kind === "runoff") {
    const decided = mayorOf(runoffOutcome(c, rules));
    if (!c.runoff || !decided || c.runoff.sections?.counted !== c.runoff.sections?.total)
      return { kind: "runoff-pending", candidates: outcome.candidates, sizeFrom: size.from, seats: size.seats };
    round = "runoff";
    mayor = decided;
    groups = runoffGroups(first, c.runoff);
    counted = c.runoff;
  }
  if (outcome.kind === "void") return { kind: "unavailable", reason: "void", ...region };
  if (!mayor) return { kind: "unavailable", reason: "mayor-undecided", ...region };
  const mayorIndex = groups.findIndex((g) => g.candidate === mayor);
  if (mayorIndex < 0) return { kind: "unavailable", reason: "mayor-undecided", ...region };

  const law = seatLawFor(regional);
  let result: AllocationResult;
  if (small) {
    const bonus = regional?.smallBonus?.length
      ? smallBonusFor(regional, size.seats, ctx.population)
      : twoThirds(size.seats);
    if (bonus === undefined) return { kind: "unavailable", reason: "size-unknown", ...region };
    result = allocateSmall({ seats: size.seats, groups, mayor: mayorIndex, bonusSeats: bonus });
  } else result = allocateMajoritarian({ seats: size.seats, groups, mayor: mayorIndex, round, firstRound: first, law });
  if (result.kind === "tie") return result;
  if (result.kind === "no-votes") return { kind: "unavailable", reason: "no-list-votes", ...region };
  if (result.kind === "mayor-lists-excluded") return { kind: "unavailable", reason: "mayor-lists-excluded", ...region };

  const partial = [c.firstRound, counted].find((r) => r.sections && r.sections.counted < r.sections.total);
  const official = officialOf(c.firstRound, round === "runoff" ? c.runoff : undefined);
  const { kind: _kind, ...allocation } = result;
  return {
    kind: "allocation",
    round,
    mayor,
    sizeFrom: size.from,
    ...(partial?.sections ? { projection: partial.sections } : {}),
    ...region,
    ...allocation,
    ...(official ? { official: { groups: official, matches: sameAllocation(allocation.groups, official) } } : {}),
  };
}

/** The rule values of a comune above 15.000: the national ones, with those its region's data changes. */
export function seatLawFor(regional?: RegionalSeatRule): SeatLaw {
  return {
    ...NATIONAL_LAW,
    ...(regional?.listThresholdPercent !== undefined ? { listThresholdPercent: regional.listThresholdPercent } : {}),
    ...(regional?.groupRescue !== undefined ? { groupRescue: regional.groupRescue } : {}),
    ...(regional?.bonusPercent !== undefined ? { bonusPercent: regional.bonusPercent } : {}),
  };
}

/** A region's small-comune bonus for this population; undefined when the population is needed and unknown. */
function smallBonusFor(rule: RegionalSeatRule, seats: number, population: number | undefined): number | undefined {
  const bands = rule.smallBonus ?? [];
  if (bands.length > 1 && population === undefined) return undefined;
  const band = bands.find((b) => b.upTo === undefined || (population !== undefined && population <= b.upTo));
  if (!band) return undefined;
  return smallBonusSeats(seats, band.numerator, band.denominator);
}

/**
 * The Ministry's allocation once it has given it (the lists' `seats`, at least one seat given): from the
 * first round's answer, or after a runoff from the runoff's, which carries the runoff's two groups (with the
 * lists that joined them) and the others' (`otherGroups`); without the others' the comparison is left out.
 */
function officialOf(first: RoundResult, runoff: RoundResult | undefined): OfficialGroup[] | undefined {
  if (runoff && !runoff.otherGroups) return undefined;
  const groups = runoff
    ? [
        ...runoff.candidates.map((k) => ({ candidate: k.name, lists: k.lists, councillor: k.councillor })),
        ...(runoff.otherGroups ?? []),
      ]
    : first.candidates.map((k: CandidateResult) => ({ candidate: k.name, lists: k.lists, councillor: k.councillor }));
  const lists = groups.flatMap((g) => g.lists);
  if (!lists.length || lists.some((l) => l.seats === undefined)) return undefined;
  if (sum(lists.map((l) => l.seats ?? 0)) === 0) return undefined;
  return groups.map((g) => ({
    candidate: g.candidate,
    lists: g.lists.map((l) => ({ name: l.name, position: l.position, seats: l.seats ?? 0 })),
    ...(g.councillor !== undefined ? { candidateSeated: g.councillor } : {}),
  }));
}

/** The computed list an official one is: by position, else by name, else at the same place. */
export function sameList<T extends { name?: string; position?: number }>(
  lists: readonly T[],
  o: { name?: string; position?: number },
  i: number,
): T | undefined {
  if (o.position !== undefined) return lists.find((l) => l.position === o.position);
  if (o.name !== undefined) return lists.find((l) => l.name === o.name);
  return lists[i];
}

/** The computed seats against the Ministry's: every list's seats, and the seated candidates where stated. */
function sameAllocation(computed: readonly GroupSeats[], official: readonly OfficialGroup[]): boolean {
  for (const o of official) {
    const g = computed.find((x) => x.candidate === o.candidate);
    if (!g) {
      // A group left with no list of its own (every list joined a runoff candidate) and no seat.
      if (o.lists.every((l) => l.seats === 0) && !o.candidateSeated) continue;
      return false;
    }
    if (g.lists.length !== o.lists.length) return false;
    if (o.candidateSeated !== undefined && !g.mayor && o.candidateSeated !== g.candidateSeated) return false;
    for (const [i, l] of o.lists.entries()) if (sameList(g.lists, l, i)?.seats !== l.seats) return false;
  }
  return true;
}

/** A list (or a defeated candidate's own seat) whose computed seats differ from the Ministry's. */
export interface SeatDifference {
  list: string;
  computed: number;
  official: number;
}

/** The lists whose computed seats differ from the Ministry's, for the newsroom. */
export function seatDifferences(council: Extract<CouncilSeats, { kind: "allocation" }>): SeatDifference[] {
  if (!council.official) return [];
  const out: SeatDifference[] = [];
  for (const o of council.official.groups) {
    const g = council.groups.find((x) => x.candidate === o.candidate);
    o.lists.forEach((l, i) => {
      const computed = (g && sameList(g.lists, l, i)?.seats) ?? 0;
      if (computed !== l.seats) out.push({ list: listLabelOf(l), computed, official: l.seats });
    });
    if (g && !g.mayor && o.candidateSeated !== undefined && o.candidateSeated !== g.candidateSeated)
      out.push({ list: o.candidate, computed: g.candidateSeated ? 1 : 0, official: o.candidateSeated ? 1 : 0 });
  }
  return out;
}
