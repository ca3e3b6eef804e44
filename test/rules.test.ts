import { beforeAll, describe, expect, it } from "vitest";
import { type DataPack, loadDataPack } from "../src/data/pack.js";
import { deriveOutcome, firstRoundThreshold, outcomeOf, rankCandidates } from "../src/data/rules.js";
import type { Candidate, Comune, Rules } from "../src/data/schema.js";

const rules: Rules = {
  runoffPopulationThreshold: 15000,
  majorityPercent: 50,
  regionalFirstRoundPercent: { Sicilia: 40 },
};

function comune(over: Partial<Comune> & { candidates: Candidate[] }): Comune {
  return {
    name: "Comune di prova",
    aliases: [],
    province: "XX",
    region: "Lombardia",
    capoluogo: false,
    populationBand: "oltre-15000",
    turnout: [],
    ...over,
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
    expect(o).toEqual({ kind: "runoff", candidates: ["Anna", "Bruno"], reason: "no-majority", threshold: 40 });
  });

  it("exactly 40% in Sicily elects (the share is reached, inclusive)", () => {
    const o = deriveOutcome(comune({ region: "Sicilia", candidates: two(40, 35, 25) }), rules);
    expect(o).toEqual({ kind: "elected", candidate: "Anna", reason: "regional-threshold", threshold: 40 });
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
    expect(o).toEqual({ kind: "elected", candidate: "Anna", reason: "single-round" });
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
    expect(deriveOutcome(comune({ candidates: two(40, 30, 30) }), rules)).toEqual({ kind: "undecided", reason: "tie" });
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

describe("outcomeOf: stated outcomes", () => {
  it("a stated runoff that agrees keeps the rules' reason and the stated order", () => {
    const c = comune({ candidates: two(38.8, 33.39), outcome: { kind: "runoff", candidates: ["Bruno", "Anna"] } });
    expect(outcomeOf(c, rules)).toEqual({
      kind: "runoff",
      candidates: ["Bruno", "Anna"],
      reason: "no-majority",
      threshold: 50,
    });
  });

  it("a stated election that agrees keeps the rules' reason", () => {
    const c = comune({
      region: "Sicilia",
      candidates: two(46.08, undefined),
      outcome: { kind: "elected", candidate: "Anna" },
    });
    expect(outcomeOf(c, rules)).toEqual({
      kind: "elected",
      candidate: "Anna",
      reason: "regional-threshold",
      threshold: 40,
    });
  });

  it("a stated election the rules would not give is kept with reason 'stated'", () => {
    const c = comune({ candidates: two(40.07, 31.24), outcome: { kind: "elected", candidate: "Anna" } });
    expect(outcomeOf(c, rules)).toEqual({ kind: "elected", candidate: "Anna", reason: "stated" });
  });

  it("a stated runoff with a different pair is kept with reason 'stated'", () => {
    const c = comune({ candidates: two(40, 31, 29), outcome: { kind: "runoff", candidates: ["Anna", "Carla"] } });
    expect(outcomeOf(c, rules)).toEqual({ kind: "runoff", candidates: ["Anna", "Carla"], reason: "stated" });
  });

  it("a stated runoff where the rules elect is kept with reason 'stated'", () => {
    const c = comune({ candidates: two(55, 45), outcome: { kind: "runoff", candidates: ["Anna", "Bruno"] } });
    expect(outcomeOf(c, rules)).toEqual({ kind: "runoff", candidates: ["Anna", "Bruno"], reason: "stated" });
  });

  it("a stated election of someone else is 'stated'", () => {
    const c = comune({
      populationBand: "fino-15000",
      candidates: two(30, 40),
      outcome: { kind: "elected", candidate: "Anna" },
    });
    expect(outcomeOf(c, rules)).toEqual({ kind: "elected", candidate: "Anna", reason: "stated" });
  });

  it("without a stated outcome the derived one is shown", () => {
    const c = comune({ candidates: two(30, 40, 20) });
    expect(outcomeOf(c, rules)).toEqual(deriveOutcome(c, rules));
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

describe("the shipped pack", () => {
  let pack: DataPack;
  let r: Rules;
  beforeAll(async () => {
    pack = await loadDataPack("data");
    r = pack.election.rules;
  });

  it("has the 2017 rules", () => {
    expect(r).toEqual(rules);
  });

  it("every stated outcome agrees with the rules", () => {
    for (const c of pack.comuni) {
      const o = outcomeOf(c, r);
      expect(o.reason, c.name).not.toBe("stated");
      expect(o.kind, c.name).not.toBe("undecided");
      if (c.outcome) expect(o.kind, c.name).toBe(c.outcome.kind);
    }
  });

  it("Palermo is elected by the regional threshold, the others go to a runoff", () => {
    const byName = new Map(pack.comuni.map((c) => [c.name, outcomeOf(c, r)]));
    expect(byName.get("Palermo")).toEqual({
      kind: "elected",
      candidate: "Leoluca Orlando",
      reason: "regional-threshold",
      threshold: 40,
    });
    const runoffs = [...byName.entries()].filter(([, o]) => o.kind === "runoff");
    expect(runoffs.map(([n]) => n).sort()).toEqual(["Catanzaro", "Genova", "L'Aquila", "Parma", "Verona"]);
    for (const [n, o] of runoffs) expect(o.reason, n).toBe("no-majority");
    expect(byName.get("Catanzaro")).toEqual({
      kind: "runoff",
      candidates: ["Sergio Abramo", "Vincenzo Ciconte"],
      reason: "no-majority",
      threshold: 50,
    });
    expect(byName.get("Genova")).toMatchObject({ candidates: ["Marco Bucci", "Gianni Crivello"] });
  });
});
