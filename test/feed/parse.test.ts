import { describe, expect, it } from "vitest";
import { RoundResultSchema } from "../../src/data/model.js";
import { feedOutcome } from "../../src/feed/outcome.js";
import { FeedParseError, listLabel, parseResults, parseTurnout } from "../../src/feed/parse.js";
import { ScrutiniResponseSchema, VotantiResponseSchema } from "../../src/feed/schema.js";
import { RULES, runoffSample, turnoutBat2025, vicenza2018 } from "./fixtures.js";

const VICENZA_URL = "https://eleapi.interno.gov.it/siel/PX/scrutiniG/DE/20180610/TE/08/PR/090/CM/1160";
const vicenzaCtx = { code: "050901160", name: "Vicenza", url: VICENZA_URL, date: "2018-06-10" };

describe("results of a comune (Vicenza, 10 June 2018)", () => {
  const parsed = parseResults(ScrutiniResponseSchema.parse(vicenza2018()), vicenzaCtx);
  const r = parsed.result;

  it("fills the round: electors, voters, turnout, sections, ballots", () => {
    expect(parsed.round).toBe("first");
    expect(parsed.complete).toBe(true);
    expect(parsed.closed).toBe(true);
    expect(r).toMatchObject({
      date: "2018-06-10",
      electors: 87225,
      voters: 48669,
      turnoutPercent: 55.8,
      blank: 178,
      invalid: 557,
      contested: 4,
      sections: { counted: 112, total: 112 },
      provenance: {
        source: "Ministero dell'Interno",
        urls: [VICENZA_URL],
        at: "2018-10-10T13:09:32+02:00",
        status: "final",
      },
    });
    // The round is a valid model round.
    expect(RoundResultSchema.safeParse(r).success).toBe(true);
  });

  it("gives every candidate in proper case with votes, share and lists; Rucco elected", () => {
    expect(r.candidates.map((c) => [c.name, c.votes, c.percent, c.elected])).toEqual([
      ["Francesco Rucco", 24271, 50.64, true],
      ["Otello Dalla Rosa", 21985, 45.87, false],
      ["Filippo Albertin", 519, 1.08, false],
      ["Andrea Maroso", 495, 1.03, false],
      ["Leonardo Bano", 336, 0.7, false],
      ["Franca Equizi", 324, 0.68, false],
    ]);
    expect(r.outcome).toEqual({ kind: "elected", candidate: "Francesco Rucco" });
    const rucco = r.candidates[0]!;
    expect(rucco.lists[0]).toEqual({ name: "#RUCCO SINDACO", position: 8, votes: 10707, percent: 24.54, seats: 10 });
    // A list known only by its logo keeps its position, which labels it.
    expect(rucco.lists[1]).toEqual({ name: undefined, position: 11, votes: 6930, percent: 15.88, seats: 7 });
    expect(listLabel(rucco.lists[1]!)).toBe("Lista n. 11");
    expect(listLabel(rucco.lists[0]!)).toBe("#RUCCO SINDACO");
    expect(listLabel({})).toBe("Lista senza nome");
  });

  it("adds up: voters − blank − invalid − contested = the candidates' votes", () => {
    expect(parsed.warnings).toEqual([]);
    expect(48669 - 178 - 557 - 4).toBe(r.candidates.reduce((s, c) => s + (c.votes ?? 0), 0));
  });

  it("is elected at the first round under the rules, and the rules agree with the Ministry", () => {
    const ctx = { round: "first" as const, complete: true, region: "Veneto", populationBand: "oltre-15000" as const };
    expect(feedOutcome(r, ctx, RULES)).toEqual({
      kind: "elected",
      candidate: "Francesco Rucco",
      reason: "majority",
      threshold: 50,
    });
  });

  it("reports a sum that does not add up as a typed warning, and still serves the figures", () => {
    const raw = vicenza2018() as { int: Record<string, unknown> };
    raw.int.sk_nulle = 560;
    const p = parseResults(ScrutiniResponseSchema.parse(raw), vicenzaCtx);
    expect(p.warnings).toEqual([
      { kind: "sum-mismatch", code: "050901160", name: "Vicenza", round: "first", expected: 47927, actual: 47930 },
    ]);
    expect(p.result.candidates[0]!.votes).toBe(24271);
  });
});

describe("a count in progress", () => {
  function partial(counted: number, votes: [number, number]) {
    const raw = vicenza2018() as { int: Record<string, unknown>; cand: Record<string, unknown>[] };
    Object.assign(raw.int, { sz_p_sind: counted, fine_rip: null, vot_t: null });
    raw.cand.forEach((c, i) => {
      c.eletto = null;
      c.voti = i < 2 ? votes[i] : 0;
      c.perc = null;
    });
    return parseResults(ScrutiniResponseSchema.parse(raw), vicenzaCtx);
  }

  it("is partial, with sections counted of the total and the leader in front", () => {
    const p = partial(40, [9000, 9400]);
    expect(p.complete).toBe(false);
    expect(p.closed).toBe(false);
    expect(p.result.sections).toEqual({ counted: 40, total: 112 });
    expect(p.result.provenance.status).toBe("partial");
    expect(p.result.outcome).toBeUndefined();
    expect(p.result.candidates[0]).toMatchObject({ name: "Otello Dalla Rosa", votes: 9400 });
    expect(p.result.candidates[0]!.elected).toBeUndefined();
    const ctx = {
      round: "first" as const,
      complete: p.complete,
      region: "Veneto",
      populationBand: "oltre-15000" as const,
    };
    expect(feedOutcome(p.result, ctx, RULES)).toEqual({
      kind: "counting",
      leader: "Otello Dalla Rosa",
      sections: { counted: 40, total: 112 },
    });
    expect(feedOutcome(partial(1, [10, 10]).result, ctx, RULES)).toMatchObject({ kind: "counting", leader: undefined });
  });

  it("goes to a runoff between the two first when the count completes under 50% in a large comune", () => {
    const raw = vicenza2018() as { int: Record<string, unknown>; cand: Record<string, unknown>[] };
    raw.int.fine_rip = null;
    // Under half of the valid votes: the votes decide, the share follows them.
    raw.cand[0]!.voti = 22_000;
    raw.cand[0]!.perc = "48,18";
    raw.cand[0]!.eletto = null;
    const p = parseResults(ScrutiniResponseSchema.parse(raw), vicenzaCtx);
    const ctx = { round: "first" as const, complete: true, region: "Veneto", populationBand: "oltre-15000" as const };
    expect(feedOutcome(p.result, ctx, RULES)).toEqual({
      kind: "runoff",
      candidates: ["Francesco Rucco", "Otello Dalla Rosa"],
      reason: "no-majority",
      threshold: 50,
    });
    // In a small comune the most voted is elected at the single round.
    expect(feedOutcome(p.result, { ...ctx, populationBand: "fino-15000" }, RULES)).toMatchObject({
      kind: "elected",
      candidate: "Francesco Rucco",
      reason: "single-round",
    });
  });

  it("an answer without candidates cannot make a round", () => {
    const raw = vicenza2018() as { cand: unknown[] };
    raw.cand = [];
    expect(() => parseResults(ScrutiniResponseSchema.parse(raw), vicenzaCtx)).toThrow(FeedParseError);
  });
});

describe("a runoff answer (SCRUTINI_2T format sample)", () => {
  const ctx = {
    code: "050871100",
    name: "Venezia",
    url: "https://example.org/x",
    date: "2018-06-24",
    firstRoundDate: "2018-06-10",
  };
  const p = parseResults(ScrutiniResponseSchema.parse(runoffSample()), ctx);

  it("gives the runoff between its two candidates, with the winner", () => {
    expect(p.round).toBe("runoff");
    expect(p.result.date).toBe("2018-06-24");
    expect(p.result.candidates.map((c) => [c.name, c.votes, c.percent, c.elected])).toEqual([
      ["Orlando Pocci", 11684, 54.98, true],
      ["Giorgio Greci", 9568, 45.02, false],
    ]);
    expect(p.warnings).toEqual([]); // 21610 − 76 − 280 − 2 = 21252 = 11684 + 9568
    const greci = p.result.candidates[1]!;
    expect(greci.lists.find((l) => l.position === 2)).toMatchObject({ name: "FELCI SINDACO", joinedForRunoff: true });
    expect(feedOutcome(p.result, { round: "runoff", complete: true, region: "Lazio" }, RULES)).toEqual({
      kind: "elected",
      candidate: "Orlando Pocci",
      reason: "runoff-winner",
    });
    expect(RoundResultSchema.safeParse(p.result).success).toBe(true);
  });

  it("repeats the first round: every candidate's votes and share, lists back with their first candidate", () => {
    const first = p.firstRound!;
    expect(first.date).toBe("2018-06-10");
    expect(first.candidates.map((c) => [c.name, c.votes, c.percent])).toEqual([
      ["Orlando Pocci", 9353, 35.63],
      ["Giorgio Greci", 7820, 29.79],
      ["Alessandro Priori", 2884, 10.99],
      ["Paolo Trenta", 2740, 10.44],
      ["Paolo Felci", 2452, 9.34],
      ["Augusto Di Lazzaro", 522, 1.99],
      ["Stefano Pennacchi", 480, 1.83],
    ]);
    const felci = first.candidates.find((c) => c.name === "Paolo Felci")!;
    expect(felci.lists.map((l) => l.position)).toEqual([1, 2, 3]);
    expect(felci.lists.every((l) => l.seats === undefined && !l.joinedForRunoff)).toBe(true);
    const greci = first.candidates.find((c) => c.name === "Giorgio Greci")!;
    expect(greci.lists.some((l) => l.position === 2)).toBe(false);
    expect(RoundResultSchema.safeParse(first).success).toBe(true);
  });

  it("keeps the seats allocated after the runoff to the candidates who did not run at it, and who of them sits", () => {
    const others = p.result.otherGroups!;
    expect(others.map((g) => [g.candidate, g.councillor])).toEqual([
      ["Alessandro Priori", true],
      ["Paolo Trenta", true],
      ["Paolo Felci", false],
      ["Augusto Di Lazzaro", false],
      ["Stefano Pennacchi", false],
    ]);
    const priori = others[0]!;
    expect(priori.lists.map((l) => [l.position, l.seats])).toEqual([
      [22, 1],
      [19, 0],
      [20, 0],
      [21, 0],
      [18, 0],
    ]);
    expect(others.find((g) => g.candidate === "Paolo Felci")!.lists.map((l) => [l.position, l.seats])).toEqual([
      [1, 1],
      [3, 0],
    ]);
    // Every seat of the council is in the answer: the runoff's two groups and the others'.
    const seats = [...p.result.candidates.flatMap((c) => c.lists), ...others.flatMap((g) => g.lists)].reduce(
      (s, l) => s + (l.seats ?? 0),
      0,
    );
    const seated = p.result.candidates.filter((c) => c.councillor).length + others.filter((g) => g.councillor).length;
    expect(seats + seated).toBe(24);
    expect(RoundResultSchema.safeParse(p.result).success).toBe(true);
  });
});

describe("turnout of a province (Barletta-Andria-Trani, 23–24 November 2025)", () => {
  const t = parseTurnout(VotantiResponseSchema.parse(turnoutBat2025()), "16");

  it("gives each comune's four readings with sections reported and the previous election", () => {
    expect(t.comuni).toHaveLength(10);
    const andria = t.comuni[0]!;
    expect(andria).toMatchObject({ code: "161060010", feedName: "ANDRIA", electors: 83020 });
    expect(andria.points.map((p) => [p.at, p.percent, p.previousPercent, p.final])).toEqual([
      ["12:00", 9.18, 15.1, false],
      ["19:00", 23.76, 33.76, false],
      ["23:00", 30.88, 47.39, false],
      ["15:00", 42.85, 66.31, true],
    ]);
    expect(andria.points[3]).toEqual({
      at: "15:00",
      percent: 42.85,
      voters: 35577,
      electors: 83020,
      previousPercent: 66.31,
      sections: { counted: 110, total: 110 },
      final: true,
      takenAt: "2025-11-24T15:00:00+01:00",
    });
    expect(t.comuni.map((c) => c.code)).toContain("161060100");
    expect(t.province).toMatchObject({ feedName: "BARLETTA-ANDRIA-TRANI", electors: 333006 });
    expect(t.province.points[3]).toMatchObject({ percent: 41.22, previousPercent: 59.98 });
  });

  it("leaves out a reading not published yet", () => {
    const raw = turnoutBat2025() as { enti: { enti_f: { com_vot: Record<string, unknown>[] }[] } };
    const andria = raw.enti.enti_f[0]!;
    Object.assign(andria.com_vot[3]!, { enti_p: 0, perc: null, vot_t: null });
    Object.assign(andria.com_vot[2]!, { enti_p: 40 });
    const p = parseTurnout(VotantiResponseSchema.parse(raw), "16").comuni[0]!;
    expect(p.points.map((x) => x.at)).toEqual(["12:00", "19:00", "23:00"]);
    expect(p.points[2]!.sections).toEqual({ counted: 40, total: 110 });
  });
});
