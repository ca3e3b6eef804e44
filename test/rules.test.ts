import { beforeAll, describe, expect, it } from "vitest";
import type { CandidateResult, ComuneResults, PopulationBand, RoundResult, StatedOutcome } from "../src/data/model.js";
import { type DataPack, loadDataPack } from "../src/data/pack.js";
import {
  deriveOutcome,
  deriveRunoff,
  disagreements,
  firstRoundOutcome,
  firstRoundThreshold,
  rankCandidates,
  resolveOutcome,
  ruleFor,
  runoffOutcome,
} from "../src/data/rules.js";
import type { Rules } from "../src/data/schema.js";

type Candidate = Pick<CandidateResult, "name" | "percent" | "votes">;

const rules: Rules = {
  runoffPopulationThreshold: 15000,
  majorityPercent: 50,
  regions: {
    Sicilia: {
      urls: [],
      firstRoundPercent: 40,
      firstRoundInclusive: true,
      singleCandidateRunoff: { minTurnoutPercent: 50, minElectorsPercent: 25 },
    },
    "Friuli-Venezia Giulia": {
      urls: [],
      law: "n. 19 del 5 dicembre 2013",
      firstRoundPercent: 50,
      firstRoundInclusive: false,
    },
  },
};

interface Over {
  region?: string;
  populationBand?: PopulationBand | undefined;
  candidates: Candidate[];
  outcome?: StatedOutcome;
}

/** A comune's first round, for deriveOutcome. */
function comune(over: Over): { region: string; populationBand?: PopulationBand; candidates: Candidate[] } {
  const band = "populationBand" in over ? over.populationBand : "oltre-15000";
  return { region: over.region ?? "Lombardia", ...(band ? { populationBand: band } : {}), candidates: over.candidates };
}

const provenance = { source: "prova", urls: [], status: "final" as const };

function round(candidates: Candidate[], extra: Partial<RoundResult> = {}): RoundResult {
  return {
    date: "2017-06-11",
    candidates: candidates.map((c) => ({ ...c, lists: [] })),
    turnout: [],
    provenance,
    ...extra,
  };
}

/** A whole comune's results, for firstRoundOutcome / runoffOutcome. */
function results(over: Over, runoff?: RoundResult): ComuneResults {
  const c = comune(over);
  return {
    name: "Comune di prova",
    province: "XX",
    region: c.region,
    capoluogo: false,
    aliases: [],
    ...(c.populationBand ? { populationBand: c.populationBand } : {}),
    firstRound: round(over.candidates, over.outcome ? { outcome: over.outcome } : {}),
    ...(runoff ? { runoff } : {}),
  };
}

const two = (a: number | undefined, b: number | undefined, c?: number): Candidate[] => [
  { name: "Anna", percent: a },
  { name: "Bruno", percent: b },
  ...(c !== undefined ? [{ name: "Carla", percent: c }] : []),
];

describe("deriveOutcome: majority above 15,000 inhabitants", () => {
  it("exactly 50% is not a majority: runoff between the top two", () => {
    const o = deriveOutcome(comune({ candidates: two(50, 30, 20) }), rules);
    expect(o).toEqual({ kind: "runoff", candidates: ["Anna", "Bruno"], reason: "no-majority", threshold: 50 });
  });

  it("50.01% elects at the first round by majority", () => {
    const o = deriveOutcome(comune({ candidates: two(50.01, 49.99) }), rules);
    expect(o).toEqual({ kind: "elected", candidate: "Anna", reason: "majority", threshold: 50 });
  });

  it("ranks by share, not by source order", () => {
    const o = deriveOutcome(comune({ candidates: two(20, 55, 25) }), rules);
    expect(o).toMatchObject({ kind: "elected", candidate: "Bruno", reason: "majority" });
    const r = deriveOutcome(comune({ candidates: two(20, 45, 35) }), rules);
    expect(r).toMatchObject({ kind: "runoff", candidates: ["Bruno", "Carla"] });
  });

  it("40.07% in Calabria is a runoff (Catanzaro 2017): the Sicilian threshold does not apply", () => {
    const o = deriveOutcome(
      comune({
        region: "Calabria",
        candidates: [
          { name: "Sergio Abramo", percent: 40.07 },
          { name: "Vincenzo Ciconte", percent: 31.24 },
        ],
      }),
      rules,
    );
    expect(o).toEqual({
      kind: "runoff",
      candidates: ["Sergio Abramo", "Vincenzo Ciconte"],
      reason: "no-majority",
      threshold: 50,
    });
  });
});

describe("deriveOutcome: the Sicilian 40% rule", () => {
  it("39.99% in Sicily is a runoff", () => {
    const o = deriveOutcome(comune({ region: "Sicilia", candidates: two(39.99, 35, 25.01) }), rules);
    expect(o).toEqual({
      kind: "runoff",
      candidates: ["Anna", "Bruno"],
      reason: "no-majority",
      threshold: 40,
      region: "Sicilia",
    });
  });

  it("exactly 40% in Sicily elects (the share is reached, inclusive)", () => {
    const o = deriveOutcome(comune({ region: "Sicilia", candidates: two(40, 35, 25) }), rules);
    expect(o).toEqual({
      kind: "elected",
      candidate: "Anna",
      reason: "regional-threshold",
      threshold: 40,
      region: "Sicilia",
    });
  });

  it("over 50% in Sicily is still the regional rule", () => {
    const o = deriveOutcome(comune({ region: "Sicilia", candidates: two(60, 40) }), rules);
    expect(o).toMatchObject({ kind: "elected", candidate: "Anna", reason: "regional-threshold" });
  });

  it("the regional rule does not apply to small Sicilian comuni", () => {
    expect(firstRoundThreshold({ region: "Sicilia", populationBand: "fino-15000" }, rules)).toBeUndefined();
    expect(firstRoundThreshold({ region: "Sicilia", populationBand: "oltre-15000" }, rules)).toEqual({
      percent: 40,
      inclusive: true,
      regional: true,
    });
    expect(firstRoundThreshold({ region: "Liguria", populationBand: "oltre-15000" }, rules)).toEqual({
      percent: 50,
      inclusive: false,
      regional: false,
    });
  });
});

describe("deriveOutcome: comuni up to 15,000 inhabitants", () => {
  it("elects the most voted at one round even at 30%", () => {
    const o = deriveOutcome(comune({ populationBand: "fino-15000", candidates: two(25, 30, 20) }), rules);
    expect(o).toEqual({ kind: "elected", candidate: "Bruno", reason: "single-round" });
  });

  it("in Sicily too, one round", () => {
    const o = deriveOutcome(
      comune({ region: "Sicilia", populationBand: "fino-15000", candidates: two(30, 25) }),
      rules,
    );
    expect(o).toEqual({ kind: "elected", candidate: "Anna", reason: "single-round", region: "Sicilia" });
  });
});

describe("deriveOutcome: ties", () => {
  it("a tie at the top of a single-round comune is undecided", () => {
    expect(deriveOutcome(comune({ populationBand: "fino-15000", candidates: two(40, 40, 20) }), rules)).toEqual({
      kind: "undecided",
      reason: "tie",
    });
  });

  it("a tie for second place above 15,000 is undecided (who goes to the runoff?)", () => {
    expect(deriveOutcome(comune({ candidates: two(40, 30, 30) }), rules)).toEqual({
      kind: "undecided",
      reason: "runoff-tie",
      tied: ["Bruno", "Carla"],
    });
  });

  it("a tie at the top without majority is still a runoff between the two", () => {
    expect(deriveOutcome(comune({ candidates: two(35, 35, 30) }), rules)).toMatchObject({
      kind: "runoff",
      candidates: ["Anna", "Bruno"],
      reason: "no-majority",
    });
  });

  it("a tie for third place does not matter", () => {
    const c = comune({ candidates: [...two(45, 30), { name: "Carla", percent: 10 }, { name: "Dario", percent: 10 }] });
    expect(deriveOutcome(c, rules)).toMatchObject({ kind: "runoff", candidates: ["Anna", "Bruno"] });
  });

  it("two candidates both over the Sicilian 40% with equal shares: nobody is elected", () => {
    expect(deriveOutcome(comune({ region: "Sicilia", candidates: two(45, 45, 10) }), rules)).toEqual({
      kind: "undecided",
      reason: "tie",
    });
  });
});

/** Candidates with votes and the shares as the Ministry publishes them: of the valid votes, to two decimals. */
function counted(...votes: number[]): Candidate[] {
  const valid = votes.reduce((s, v) => s + v, 0);
  const names = ["Rossi", "Bianchi", "Verdi", "Neri"];
  return votes.map((v, i) => ({ name: names[i]!, votes: v, percent: Math.round((v / valid) * 10_000) / 100 }));
}

describe("deriveOutcome: the share is decided on the votes, never on the rounded percentages", () => {
  it("10.001 of 20.001 valid votes is a majority although both shares are published as 50%; 10.000 of 20.000 is not", () => {
    const c = counted(10_001, 10_000);
    expect(c.map((k) => k.percent)).toEqual([50, 50]);
    expect(deriveOutcome(comune({ candidates: c }), rules)).toEqual({
      kind: "elected",
      candidate: "Rossi",
      reason: "majority",
      threshold: 50,
    });
    expect(deriveOutcome(comune({ candidates: counted(10_000, 10_000) }), rules)).toEqual({
      kind: "runoff",
      candidates: ["Rossi", "Bianchi"],
      reason: "no-majority",
      threshold: 50,
    });
  });

  it("Sicily: 8.000 of 20.001 (39,998%, published as 40%) does not reach 40%; 8.000 of 20.000 does", () => {
    const c = counted(8_000, 7_000, 5_001);
    expect(c[0]!.percent).toBe(40);
    expect(deriveOutcome(comune({ region: "Sicilia", candidates: c }), rules)).toEqual({
      kind: "runoff",
      candidates: ["Rossi", "Bianchi"],
      reason: "no-majority",
      threshold: 40,
      region: "Sicilia",
    });
    expect(deriveOutcome(comune({ region: "Sicilia", candidates: counted(8_000, 7_000, 5_000) }), rules)).toMatchObject(
      { kind: "elected", candidate: "Rossi", reason: "regional-threshold" },
    );
  });

  it("a tie at the Sicilian threshold: two at 39,998% (published 40%) reach nothing and go to the runoff; two at exactly 40% elect nobody", () => {
    expect(deriveOutcome(comune({ region: "Sicilia", candidates: counted(8_000, 8_000, 4_001) }), rules)).toEqual({
      kind: "runoff",
      candidates: ["Rossi", "Bianchi"],
      reason: "no-majority",
      threshold: 40,
      region: "Sicilia",
    });
    expect(deriveOutcome(comune({ region: "Sicilia", candidates: counted(8_000, 8_000, 4_000) }), rules)).toEqual({
      kind: "undecided",
      reason: "tie",
    });
  });

  it("a size band unknown: a majority of the votes elects in either band, whatever the rounded share says", () => {
    expect(deriveOutcome(comune({ populationBand: undefined, candidates: counted(10_001, 10_000) }), rules)).toEqual({
      kind: "elected",
      candidate: "Rossi",
      reason: "majority",
      threshold: 50,
    });
  });

  it("a count with no valid vote decides nothing (not a runoff between two candidates at zero)", () => {
    const none: Candidate[] = [
      { name: "Rossi", votes: 0, percent: 0 },
      { name: "Bianchi", votes: 0, percent: 0 },
    ];
    expect(deriveOutcome(comune({ candidates: none }), rules)).toEqual({ kind: "undecided", reason: "incomplete" });
  });

  it("a tie for second place names the candidates level for the runoff's second place, and decides nothing", () => {
    expect(deriveOutcome(comune({ candidates: counted(4_000, 3_000, 3_000) }), rules)).toEqual({
      kind: "undecided",
      reason: "runoff-tie",
      tied: ["Bianchi", "Verdi"],
    });
    // Three level at the top: the runoff's two places are open among the three.
    expect(deriveOutcome(comune({ candidates: counted(3_000, 3_000, 3_000, 1_000) }), rules)).toEqual({
      kind: "undecided",
      reason: "runoff-tie",
      tied: ["Rossi", "Bianchi", "Verdi"],
    });
  });
});

describe("deriveOutcome: missing shares", () => {
  it("no shares at all: incomplete", () => {
    expect(deriveOutcome(comune({ candidates: two(undefined, undefined) }), rules)).toEqual({
      kind: "undecided",
      reason: "incomplete",
    });
    expect(
      deriveOutcome(comune({ populationBand: "fino-15000", candidates: two(undefined, undefined) }), rules),
    ).toEqual({ kind: "undecided", reason: "incomplete" });
  });

  it("only the leader's share, below the threshold: the runoff pair is unknown", () => {
    expect(deriveOutcome(comune({ candidates: two(undefined, 45) }), rules)).toEqual({
      kind: "undecided",
      reason: "incomplete",
    });
  });

  it("only the leader's share, above the threshold: elected", () => {
    expect(deriveOutcome(comune({ region: "Sicilia", candidates: two(46.08, undefined) }), rules)).toMatchObject({
      kind: "elected",
      candidate: "Anna",
      reason: "regional-threshold",
    });
  });
});

describe("firstRoundOutcome: stated outcomes", () => {
  it("a stated runoff that agrees keeps the rules' reason and the stated order", () => {
    const c = results({ candidates: two(38.8, 33.39), outcome: { kind: "runoff", candidates: ["Bruno", "Anna"] } });
    expect(firstRoundOutcome(c, rules)).toEqual({
      kind: "runoff",
      candidates: ["Bruno", "Anna"],
      reason: "no-majority",
      threshold: 50,
    });
  });

  it("a stated election that agrees keeps the rules' reason", () => {
    const c = results({
      region: "Sicilia",
      candidates: two(46.08, undefined),
      outcome: { kind: "elected", candidate: "Anna" },
    });
    expect(firstRoundOutcome(c, rules)).toEqual({
      kind: "elected",
      candidate: "Anna",
      reason: "regional-threshold",
      threshold: 40,
      region: "Sicilia",
    });
  });

  it("a stated election the rules would not give is kept with reason 'stated'", () => {
    const c = results({ candidates: two(40.07, 31.24), outcome: { kind: "elected", candidate: "Anna" } });
    expect(firstRoundOutcome(c, rules)).toEqual({ kind: "elected", candidate: "Anna", reason: "stated" });
  });

  it("a stated runoff with a different pair is kept with reason 'stated'", () => {
    const c = results({ candidates: two(40, 31, 29), outcome: { kind: "runoff", candidates: ["Anna", "Carla"] } });
    expect(firstRoundOutcome(c, rules)).toEqual({ kind: "runoff", candidates: ["Anna", "Carla"], reason: "stated" });
  });

  it("a stated runoff where the rules elect is kept with reason 'stated'", () => {
    const c = results({ candidates: two(55, 45), outcome: { kind: "runoff", candidates: ["Anna", "Bruno"] } });
    expect(firstRoundOutcome(c, rules)).toEqual({ kind: "runoff", candidates: ["Anna", "Bruno"], reason: "stated" });
  });

  it("a stated election of someone else is 'stated'", () => {
    const c = results({
      populationBand: "fino-15000",
      candidates: two(30, 40),
      outcome: { kind: "elected", candidate: "Anna" },
    });
    expect(firstRoundOutcome(c, rules)).toEqual({ kind: "elected", candidate: "Anna", reason: "stated" });
  });

  it("without a stated outcome the derived one is shown", () => {
    const c = results({ candidates: two(30, 40, 20) });
    expect(firstRoundOutcome(c, rules)).toEqual(deriveOutcome(comune({ candidates: two(30, 40, 20) }), rules));
  });
});

describe("rankCandidates", () => {
  it("sorts by share, highest first, and puts candidates without a share last in source order", () => {
    const ranked = rankCandidates([
      { name: "senza1" },
      { name: "basso", percent: 0 },
      { name: "alto", percent: 46.08 },
      { name: "senza2" },
      { name: "medio", percent: 12.5 },
    ]);
    expect(ranked.map((c) => c.name)).toEqual(["alto", "medio", "basso", "senza1", "senza2"]);
  });

  it("keeps source order between equal shares and does not mutate its input", () => {
    const input: Candidate[] = [
      { name: "a", percent: 10 },
      { name: "b", percent: 20 },
      { name: "c", percent: 10 },
    ];
    expect(rankCandidates(input).map((c) => c.name)).toEqual(["b", "a", "c"]);
    expect(input.map((c) => c.name)).toEqual(["a", "b", "c"]);
  });
});

describe("deriveOutcome: Friuli-Venezia Giulia's own law", () => {
  it("Gorizia 2017: 49,88% is not the absolute majority the regional law asks: runoff, under the regional law", () => {
    const o = deriveOutcome(
      comune({
        region: "Friuli-Venezia Giulia",
        candidates: [
          { name: "Rodolfo Ziberna", percent: 49.88 },
          { name: "Roberto Collini", percent: 22.68 },
        ],
      }),
      rules,
    );
    expect(o).toEqual({
      kind: "runoff",
      candidates: ["Rodolfo Ziberna", "Roberto Collini"],
      reason: "no-majority",
      threshold: 50,
      region: "Friuli-Venezia Giulia",
    });
  });

  it("over 50% elects, by majority, still naming the region", () => {
    const o = deriveOutcome(comune({ region: "Friuli-Venezia Giulia", candidates: two(50.5, 49.5) }), rules);
    expect(o).toEqual({
      kind: "elected",
      candidate: "Anna",
      reason: "majority",
      threshold: 50,
      region: "Friuli-Venezia Giulia",
    });
  });

  it("a region's own population threshold and share are data", () => {
    const trentino: Rules = {
      ...rules,
      regions: { Trentino: { urls: [], runoffPopulationThreshold: 3000, firstRoundInclusive: false } },
    };
    expect(ruleFor("Trentino", trentino)).toMatchObject({ runoffPopulationThreshold: 3000, firstRoundPercent: 50 });
    expect(ruleFor("Lombardia", trentino)).toEqual({
      runoffPopulationThreshold: 15000,
      firstRoundPercent: 50,
      firstRoundInclusive: false,
    });
  });
});

describe("deriveOutcome: votes without shares (Asti's recount)", () => {
  const asti: Candidate[] = [
    { name: "Maurizio Rasero", votes: 15868, percent: 47.67 },
    { name: "Massimo Cerruti", votes: 5099 },
    { name: "Angela Motta", votes: 5093 },
    { name: "Beppe Passarino", votes: 2251, percent: 6.76 },
    { name: "Beppe Rovera", votes: 1966, percent: 5.9 },
    { name: "Angela Quaglia", votes: 1753, percent: 5.26 },
    { name: "Rita Balistreri", votes: 755, percent: 2.27 },
    { name: "Biagio Riccio", votes: 531, percent: 1.59 },
  ];

  it("when every candidate has votes, they rank by votes: Cerruti second by six votes", () => {
    expect(rankCandidates(asti).map((c) => c.name)).toEqual([
      "Maurizio Rasero",
      "Massimo Cerruti",
      "Angela Motta",
      "Beppe Passarino",
      "Beppe Rovera",
      "Angela Quaglia",
      "Rita Balistreri",
      "Biagio Riccio",
    ]);
    expect(deriveOutcome(comune({ region: "Piemonte", candidates: asti }), rules)).toEqual({
      kind: "runoff",
      candidates: ["Maurizio Rasero", "Massimo Cerruti"],
      reason: "no-majority",
      threshold: 50,
    });
  });

  it("equal votes for second place are a tie", () => {
    const tied = asti.map((c) => (c.name === "Angela Motta" ? { ...c, votes: 5099 } : c));
    expect(deriveOutcome(comune({ candidates: tied }), rules)).toEqual({
      kind: "undecided",
      reason: "runoff-tie",
      tied: ["Massimo Cerruti", "Angela Motta"],
    });
  });

  it("when a candidate lacks votes, shares decide", () => {
    const mixed: Candidate[] = [
      { name: "a", votes: 10, percent: 20 },
      { name: "b", percent: 30 },
    ];
    expect(rankCandidates(mixed).map((c) => c.name)).toEqual(["b", "a"]);
  });
});

describe("deriveOutcome: population band unknown (an imported file may not say)", () => {
  it("over the share, elected whatever the size: both rules elect the most voted", () => {
    expect(deriveOutcome(comune({ populationBand: undefined, candidates: two(59.65, 14.02) }), rules)).toEqual({
      kind: "elected",
      candidate: "Anna",
      reason: "majority",
      threshold: 50,
    });
  });

  it("below the share, the rules cannot tell runoff from single round", () => {
    expect(deriveOutcome(comune({ populationBand: undefined, candidates: two(45, 40) }), rules)).toEqual({
      kind: "undecided",
      reason: "population-unknown",
    });
  });

  it("then a stated outcome decides", () => {
    const c = results({
      populationBand: undefined,
      candidates: two(45, 40),
      outcome: { kind: "elected", candidate: "Anna" },
    });
    expect(firstRoundOutcome(c, rules)).toEqual({ kind: "elected", candidate: "Anna", reason: "stated" });
  });
});

describe("deriveRunoff", () => {
  it("the most voted wins", () => {
    expect(deriveRunoff({ region: "Liguria" }, round(two(55.24, 44.76)), rules)).toEqual({
      kind: "elected",
      candidate: "Anna",
      reason: "runoff-most-votes",
    });
    expect(deriveRunoff({ region: "Liguria" }, round(two(44.76, 55.24)), rules)).toMatchObject({ candidate: "Bruno" });
  });

  it("by votes where both have them", () => {
    const r = round([
      { name: "Dario Allevi", votes: 21869, percent: 51.33 },
      { name: "Roberto Scanagatti", votes: 20735, percent: 48.67 },
    ]);
    expect(deriveRunoff({ region: "Lombardia" }, r, rules)).toMatchObject({ candidate: "Dario Allevi" });
  });

  it("a tie, or missing figures, decide nothing", () => {
    expect(deriveRunoff({ region: "Liguria" }, round(two(50, 50)), rules)).toEqual({
      kind: "undecided",
      reason: "tie",
    });
    expect(deriveRunoff({ region: "Liguria" }, round(two(undefined, 40)), rules)).toEqual({
      kind: "undecided",
      reason: "incomplete",
    });
  });

  const savona = [{ name: "Pietro Savona", votes: 14536, percent: 91.51 }];

  it("Trapani 2017: one candidate, 26,75% turnout against Sicily's 50%: void", () => {
    expect(deriveRunoff({ region: "Sicilia" }, round(savona, { turnoutPercent: 26.75 }), rules)).toEqual({
      kind: "void",
      reason: "single-candidate-quorum",
      region: "Sicilia",
    });
  });

  it("one candidate with the turnout but under 25% of the electors: void", () => {
    const r = round(savona, { turnoutPercent: 55, electors: 60023 });
    expect(deriveRunoff({ region: "Sicilia" }, r, rules)).toMatchObject({ kind: "void" });
  });

  it("one candidate meeting both: elected", () => {
    const r = round([{ name: "Pietro Savona", votes: 16000 }], { voters: 31000, electors: 60000 });
    expect(deriveRunoff({ region: "Sicilia" }, r, rules)).toEqual({
      kind: "elected",
      candidate: "Pietro Savona",
      reason: "single-candidate",
      region: "Sicilia",
    });
  });

  it("one candidate where the region says nothing, or the turnout is unknown: undecided", () => {
    expect(deriveRunoff({ region: "Liguria" }, round(savona, { turnoutPercent: 30 }), rules)).toEqual({
      kind: "undecided",
      reason: "incomplete",
    });
    expect(deriveRunoff({ region: "Sicilia" }, round(savona), rules)).toEqual({
      kind: "undecided",
      reason: "incomplete",
    });
  });
});

describe("resolveOutcome and runoffOutcome", () => {
  it("a stated void that agrees keeps the rule's reason and the stated note", () => {
    const stated: StatedOutcome = { kind: "void", note: "nessun sindaco" };
    expect(resolveOutcome(stated, { kind: "void", reason: "single-candidate-quorum", region: "Sicilia" })).toEqual({
      kind: "void",
      reason: "single-candidate-quorum",
      region: "Sicilia",
      note: "nessun sindaco",
    });
    expect(resolveOutcome(stated, { kind: "elected", candidate: "x", reason: "single-candidate" })).toEqual({
      kind: "void",
      note: "nessun sindaco",
      reason: "stated",
    });
  });

  it("a stated winner the runoff's figures contradict is 'stated', and validate-data hears of it", () => {
    const c = results(
      { candidates: two(40, 35, 25), outcome: { kind: "runoff", candidates: ["Anna", "Bruno"] } },
      round(two(45, 55), { date: "2017-06-25", outcome: { kind: "elected", candidate: "Anna" } }),
    );
    expect(runoffOutcome(c, rules)).toEqual({ kind: "elected", candidate: "Anna", reason: "stated" });
    expect(disagreements(c, rules).map((d) => [d.round, d.derived.kind])).toEqual([["runoff", "elected"]]);
  });

  it("no runoff in the data: no runoff outcome", () => {
    expect(runoffOutcome(results({ candidates: two(40, 35, 25) }), rules)).toBeUndefined();
  });
});

describe("the shipped pack", () => {
  let pack: DataPack;
  let r: Rules;
  beforeAll(async () => {
    pack = await loadDataPack("data");
    r = pack.election.rules;
  });

  it("has the 2017 rules: the national ones, Sicily's 40% and single-candidate quorum, Friuli-Venezia Giulia's law", () => {
    expect(r.runoffPopulationThreshold).toBe(15000);
    expect(r.majorityPercent).toBe(50);
    expect(Object.keys(r.regions).sort()).toEqual(["Friuli-Venezia Giulia", "Sicilia"]);
    expect(r.regions.Sicilia).toMatchObject({
      firstRoundPercent: 40,
      firstRoundInclusive: true,
      singleCandidateRunoff: { minTurnoutPercent: 50, minElectorsPercent: 25 },
    });
    expect(r.regions["Friuli-Venezia Giulia"]).toMatchObject({
      firstRoundPercent: 50,
      firstRoundInclusive: false,
      law: "n. 19 del 5 dicembre 2013",
    });
    for (const rule of Object.values(r.regions)) expect(rule.urls.length).toBeGreaterThan(0);
  });

  it("every stated outcome, of both rounds, agrees with the rules", () => {
    for (const c of pack.comuni) {
      expect(disagreements(c.results, r), c.name).toEqual([]);
      const first = firstRoundOutcome(c.results, r);
      expect(first.kind, c.name).not.toBe("undecided");
      const runoff = runoffOutcome(c.results, r);
      if (runoff) expect(runoff.kind, c.name).not.toBe("undecided");
    }
  });

  it("Palermo by the regional threshold, Cuneo and Frosinone by majority, Gorizia to a runoff under its regional law", () => {
    const outcome = (name: string) => firstRoundOutcome(pack.comuni.find((c) => c.name === name)!.results, r);
    expect(outcome("Palermo")).toEqual({
      kind: "elected",
      candidate: "Leoluca Orlando",
      reason: "regional-threshold",
      threshold: 40,
      region: "Sicilia",
    });
    expect(outcome("Cuneo")).toMatchObject({ kind: "elected", candidate: "Federico Borgna", reason: "majority" });
    expect(outcome("Frosinone")).toMatchObject({ kind: "elected", candidate: "Nicola Ottaviani", reason: "majority" });
    expect(outcome("Gorizia")).toEqual({
      kind: "runoff",
      candidates: ["Rodolfo Ziberna", "Roberto Collini"],
      reason: "no-majority",
      threshold: 50,
      region: "Friuli-Venezia Giulia",
    });
    const elected = pack.comuni.filter((c) => firstRoundOutcome(c.results, r).kind === "elected").map((c) => c.name);
    expect(elected.sort()).toEqual(["Cuneo", "Frosinone", "Palermo"]);
  });

  it("Trapani's runoff is void under Sicily's rule, the 21 others elect their mayor", () => {
    const runoffs = pack.comuni.flatMap((c) => {
      const o = runoffOutcome(c.results, r);
      return o ? [[c.name, o] as const] : [];
    });
    expect(runoffs).toHaveLength(22);
    const [trapani, ...others] = [...runoffs].sort(([a], [b]) => Number(b === "Trapani") - Number(a === "Trapani"));
    expect(trapani![0]).toBe("Trapani");
    expect(trapani![1]).toMatchObject({ kind: "void", reason: "single-candidate-quorum", region: "Sicilia" });
    for (const [name, o] of others) expect(o, name).toMatchObject({ kind: "elected", reason: "runoff-most-votes" });
  });
});
