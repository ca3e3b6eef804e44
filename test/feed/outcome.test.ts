/**
 * A round's outcome from the feed's figures (src/feed/outcome.ts): the complete count is decided on the
 * same exact test of the votes as the calls made while counting (src/data/certainty.ts), never on the
 * two-decimal shares the Ministry publishes; a comune whose size band the Ministry did not give gets no
 * outcome from the rules below the share. A seeded property test counts random nights built to sit on
 * the borders (the share, ties for first and for second place) section by section: the complete count's
 * outcome always agrees with the last call announced while counting, and with the complete count's own call.
 */
import { describe, expect, it } from "vitest";
import { assessCount, type CertainCall } from "../../src/data/certainty.js";
import type { ComuneResults, RoundResult } from "../../src/data/model.js";
import type { Rules } from "../../src/data/schema.js";
import { type FeedOutcome, feedOutcome } from "../../src/feed/outcome.js";

const rules: Rules = {
  runoffPopulationThreshold: 15000,
  majorityPercent: 50,
  regions: { Sicilia: { urls: [], firstRoundPercent: 40, firstRoundInclusive: true } },
};

type Place = Pick<ComuneResults, "region" | "populationBand">;
const large: Place = { region: "Veneto", populationBand: "oltre-15000" };
const sicilian: Place = { region: "Sicilia", populationBand: "oltre-15000" };
const small: Place = { region: "Veneto", populationBand: "fino-15000" };
const unknown: Place = { region: "Veneto" };

const NAMES = ["Rossi", "Bianchi", "Verdi", "Neri", "Gialli", "Bruni"];

/** A round as the feed parses it: votes, and each share of the valid votes rounded to two decimals. */
function feedRound(
  votes: number[],
  o: { counted: number; total: number; blank?: number; closing?: number; electors?: number },
): RoundResult {
  const valid = votes.reduce((s, v) => s + v, 0);
  return {
    date: "2017-06-11",
    electors: o.electors,
    blank: o.blank ?? 0,
    invalid: 0,
    contested: 0,
    sections: { counted: o.counted, total: o.total },
    candidates: votes.map((v, i) => ({
      name: NAMES[i]!,
      votes: v,
      percent: valid ? Math.round((v / valid) * 10_000) / 100 : 0,
      lists: [],
    })),
    turnout:
      o.closing !== undefined
        ? [{ at: "23:15", voters: o.closing, final: true, sections: { counted: o.total, total: o.total } }]
        : [],
    provenance: { source: "Ministero dell'Interno", urls: [], status: "partial" },
  };
}

const complete = (place: Place) => ({
  round: "first" as const,
  complete: true,
  region: place.region,
  ...(place.populationBand ? { populationBand: place.populationBand } : {}),
});

describe("the complete count's outcome", () => {
  it("10.001 of 20.001 valid votes (both published as 50%) elects: the call made at 111 sections of 112 stands", () => {
    const at111 = feedRound([10_001, 9_990], { counted: 111, total: 112, closing: 20_001 });
    const call = assessCount(at111, large, rules).call;
    expect(call).toMatchObject({ status: "certain", kind: "elected", candidates: ["Rossi"] });
    const at112 = feedRound([10_001, 10_000], { counted: 112, total: 112, closing: 20_001 });
    expect(at112.candidates.map((c) => c.percent)).toEqual([50, 50]);
    expect(feedOutcome(at112, complete(large), rules)).toEqual({
      kind: "elected",
      candidate: "Rossi",
      reason: "majority",
      threshold: 50,
    });
  });

  it("Sicily: 8.000 of 20.001 (published as 40%) does not reach 40%: the certain runoff stands", () => {
    const at = feedRound([8_000, 7_000, 5_001], { counted: 112, total: 112 });
    expect(at.candidates[0]!.percent).toBe(40);
    expect(feedOutcome(at, complete(sicilian), rules)).toMatchObject({
      kind: "runoff",
      candidates: ["Rossi", "Bianchi"],
      reason: "no-majority",
    });
  });

  it("a size band unknown: below the share, no outcome from the rules (a small comune would elect the leader)", () => {
    const at = feedRound([4_000, 3_500, 2_500], { counted: 90, total: 90 });
    expect(feedOutcome(at, complete(unknown), rules)).toEqual({ kind: "undecided", reason: "population-unknown" });
    // The Ministry's word decides: a small comune's mayor is marked elected.
    expect(
      feedOutcome({ ...at, outcome: { kind: "elected", candidate: "Rossi" } }, complete(unknown), rules),
    ).toMatchObject({ kind: "elected", candidate: "Rossi" });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Random nights on the borders

/** Deterministic PRNG (mulberry32): the same seed gives the same nights, so a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T };
}
type Rng = ReturnType<typeof rng>;

interface Section {
  votes: number[];
  blank: number;
}

interface Night {
  place: Place;
  sections: Section[];
  /** The bound of the ballots left: the voters at the close, or only the electors. */
  bound: "closing" | "electors";
}

/** Final votes on a border: the leader a vote or two either side of the share, or a tie for first or second. */
function borderVotes(r: Rng, place: Place): number[] {
  const n = r.int(2, 5);
  const valid = r.int(2_000, 60_000);
  const share = place.region === "Sicilia" ? 40 : 50;
  const kind = r.pick(["share", "share", "share", "top-tie", "second-tie"] as const);
  const votes = new Array<number>(n).fill(0);
  if (kind === "share" || n === 2) {
    votes[0] = Math.max(1, Math.floor((valid * share) / 100) + r.int(-2, 2));
  } else {
    votes[0] = Math.floor(valid * (0.25 + r.next() * 0.3));
  }
  let left = valid - votes[0]!;
  for (let i = 1; i < n; i++) {
    const v = i === n - 1 ? left : Math.min(left, Math.floor(left * (0.3 + r.next() * 0.6)));
    votes[i] = v;
    left -= v;
  }
  if (kind === "top-tie") votes[1] = votes[0]!;
  if (kind === "second-tie" && n >= 3) votes[2] = votes[1]!;
  return votes;
}

/**
 * The final votes split into sections, counted in order: the head sections carry most of the votes; the
 * tail (the last sections to be counted) is small and often one-sided (only the leader, or only the
 * others), so calls become certain a section or two before the end with the margins the borders leave.
 */
function randomNight(r: Rng): Night {
  const place = r.pick([large, large, sicilian, small, unknown]);
  const finals = borderVotes(r, place);
  const n = finals.length;
  const head = r.int(1, 40);
  const tail = r.int(1, 3);
  const sections: Section[] = Array.from({ length: head + tail }, () => ({
    votes: new Array<number>(n).fill(0),
    blank: 0,
  }));
  const allowed = r.pick(["leader", "others", "any", "none"] as const);
  finals.forEach((total, c) => {
    let left = total;
    // The tail first: a few votes where allowed.
    for (let s = head; s < head + tail; s++) {
      const may = allowed === "any" || (allowed === "leader" ? c === 0 : allowed === "others" ? c !== 0 : false);
      const v = may ? Math.min(left, r.int(0, 12)) : 0;
      sections[s]!.votes[c] = v;
      left -= v;
    }
    // The rest over the head, unevenly.
    const w = Array.from({ length: head }, () => r.next() + 0.05);
    const sum = w.reduce((a, b) => a + b, 0);
    let given = 0;
    for (let s = 0; s < head; s++) {
      const v = s === head - 1 ? left - given : Math.floor((left * w[s]!) / sum);
      sections[s]!.votes[c] = v;
      given += v;
    }
  });
  for (const s of sections) s.blank = r.int(0, 2);
  return { place, sections, bound: r.next() < 0.85 ? "closing" : "electors" };
}

function* countOf(night: Night): Generator<RoundResult> {
  const n = night.sections[0]!.votes.length;
  const total = night.sections.length;
  const ballots = night.sections.reduce((s, x) => s + x.blank + x.votes.reduce((a, b) => a + b, 0), 0);
  const votes = new Array<number>(n).fill(0);
  let blank = 0;
  for (let k = 0; k <= total; k++) {
    yield feedRound([...votes], {
      counted: k,
      total,
      blank,
      ...(night.bound === "closing" ? { closing: ballots } : { electors: ballots + 3 }),
    });
    const s = night.sections[k];
    if (!s) return;
    s.votes.forEach((v, c) => {
      votes[c] = (votes[c] ?? 0) + v;
    });
    blank += s.blank;
  }
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && new Set([...a, ...b]).size === a.length;

/** Whether the complete count's outcome is what a call announced while counting said. */
function agrees(call: CertainCall, final: FeedOutcome): boolean {
  switch (call.kind) {
    case "elected":
      return final.kind === "elected" && final.candidate === call.candidates[0];
    case "runoff-pair":
      return final.kind === "runoff" && sameSet(final.candidates, call.candidates);
    case "runoff":
      // A runoff is certain; its pair may be too, or left to the law by a tie for second place.
      return final.kind === "runoff" || (final.kind === "undecided" && final.reason === "runoff-tie");
  }
}

/** The complete count's own call, in the outcome's terms. */
function sameAsCompleteCall(finalCall: ReturnType<typeof assessCount>["call"], final: FeedOutcome): boolean {
  if (finalCall.status === "leading") return final.kind === "undecided" && final.reason !== "runoff-tie";
  if (finalCall.kind === "elected") return final.kind === "elected" && final.candidate === finalCall.candidates[0];
  if (finalCall.kind === "runoff-pair")
    return final.kind === "runoff" && sameSet(final.candidates, finalCall.candidates);
  return final.kind === "undecided" && final.reason === "runoff-tie";
}

describe("random nights on the borders, counted section by section", () => {
  it("the complete count's outcome always agrees with the last certain call, and with its own call", () => {
    const r = rng(20170611);
    const NIGHTS = 4000;
    let called = 0; // nights with a certain call before the end
    let rounded = 0; // nights whose leader's published share equals the threshold while the votes are not on it
    const finals = new Map<string, number>();
    for (let t = 0; t < NIGHTS; t++) {
      const night = randomNight(r);
      let last: CertainCall | undefined;
      let end: RoundResult | undefined;
      for (const step of countOf(night)) {
        const a = assessCount(step, night.place, rules);
        if (!a.complete && a.call.status === "certain") last = a.call;
        if (night.place.populationBand === undefined && a.certain.some((c) => c.kind !== "elected"))
          expect.fail(`a runoff called without the size band, night ${t}`);
        end = step;
      }
      const round = end!;
      const final = feedOutcome(round, complete(night.place), rules);
      const ctx = JSON.stringify({
        night: t,
        place: night.place,
        votes: round.candidates.map((c) => [c.votes, c.percent]),
        last: last?.key,
        final,
      });
      if (last) {
        called++;
        expect(agrees(last, final), ctx).toBe(true);
      }
      expect(sameAsCompleteCall(assessCount(round, night.place, rules).call, final), ctx).toBe(true);
      if (night.place.populationBand === undefined) expect(final.kind, ctx).not.toBe("runoff");
      const top = round.candidates[0]!;
      const share = night.place.region === "Sicilia" ? 40 : 50;
      const valid = round.candidates.reduce((s, c) => s + (c.votes ?? 0), 0);
      if (top.percent === share && top.votes! * 100 !== share * valid) rounded++;
      const label = final.kind === "undecided" ? `undecided:${final.reason}` : final.kind;
      finals.set(label, (finals.get(label) ?? 0) + 1);
    }
    // Not vacuous: many nights called before the end, many on a rounded border, every kind of outcome.
    expect(called).toBeGreaterThan(NIGHTS / 3);
    expect(rounded).toBeGreaterThan(200);
    for (const kind of ["elected", "runoff", "undecided:runoff-tie", "undecided:tie", "undecided:population-unknown"])
      expect(finals.get(kind) ?? 0, kind).toBeGreaterThan(20);
  });
});
