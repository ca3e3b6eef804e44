import { describe, expect, it } from "vitest";
import { comuneInconsistencies, resultsInconsistencies, roundInconsistencies } from "../../src/data/consistency.js";
import { type ComuneResultsInput, ComuneResultsSchema, type RoundResult } from "../../src/data/model.js";
import { loadDataPack } from "../../src/data/pack.js";

const round = (candidates: { name: string; votes?: number; percent?: number }[], over: object = {}): RoundResult =>
  ComuneResultsSchema.parse({
    name: "Borgo",
    province: "XX",
    region: "Lazio",
    firstRound: {
      date: "2017-06-11",
      candidates,
      provenance: { source: "prova", status: "final" },
      ...over,
    },
  } satisfies ComuneResultsInput).firstRound;

const messages = (r: RoundResult) => roundInconsistencies(r, "firstRound").map((x) => `${x.path}: ${x.message}`);

describe("a round's figures against themselves", () => {
  it("shares against all the votes: Asti's preliminary 47,67% beside the recount's votes", () => {
    const r = round([
      { name: "Rasero", votes: 15868, percent: 47.67 },
      { name: "Altri", votes: 33316 - 15868 },
    ]);
    expect(messages(r)).toEqual([
      "firstRound.candidates[0].percent: 47,67%, ma i voti danno 47,63% (15.868 su 33.316 validi)",
    ]);
    // Computed from the votes, it passes; a truncated hundredth (47,62) too.
    expect(
      messages(
        round([
          { name: "Rasero", votes: 15868, percent: 47.63 },
          { name: "Altri", votes: 17448, percent: 52.37 },
        ]),
      ),
    ).toEqual([]);
  });

  it("votes of two counts beside each other's shares: Verona's 33.440 and 26.946 with the Viminale's 29,26% and 23,54%", () => {
    const r = round([
      { name: "Sboarina", votes: 33440, percent: 29.26 },
      { name: "Bisinella", votes: 26946, percent: 23.54 },
      { name: "Salemi", percent: 47.2 },
    ]);
    expect(messages(r)).toEqual([
      expect.stringMatching(
        /^firstRound\.candidates\[1\]\.votes: 26\.946 voti con 23,54% danno 114\.469 voti validi, Sboarina .* 114\.286: voti e percentuali di due conteggi diversi$/,
      ),
    ]);
    // larena's own shares of that count fit.
    expect(
      messages(
        round([
          { name: "Sboarina", votes: 33440, percent: 29.13 },
          { name: "Bisinella", votes: 26946, percent: 23.47 },
          { name: "Salemi", percent: 47.4 },
        ]),
      ),
    ).toEqual([]);
  });

  it("shares summing past rounding: Pistoia's 100,10 of two sources; 99,96 of a source that truncates passes", () => {
    const pistoia = [37.53, 26.79, 11.71, 8.92, 5.22, 5.12, 2.65, 1.4, 0.76].map((percent, i) => ({
      name: `C${i}`,
      percent,
    }));
    expect(messages(round(pistoia))).toEqual([
      "firstRound.candidates: le percentuali sommano a 100,1%, non a 100 (scarto ammesso 0,09%)",
    ]);
    const lodi = [30.62, 27.32, 15.49, 9.58, 7.05, 5.82, 4.08].map((percent, i) => ({ name: `C${i}`, percent }));
    expect(messages(round(lodi))).toEqual([]);
    // Some shares missing: only more than 100 is wrong.
    expect(messages(round([{ name: "A", percent: 60.5 }, { name: "B", percent: 39.7 }, { name: "C" }]))).toHaveLength(
      1,
    );
    expect(messages(round([{ name: "A", percent: 60 }, { name: "B", percent: 25 }, { name: "C" }]))).toEqual([]);
  });

  it("a sole candidate's share is all the valid votes: Trapani's 91,51% is not one", () => {
    expect(messages(round([{ name: "Savona", votes: 14536, percent: 91.51 }]))).toEqual([
      "firstRound.candidates[0].percent: un candidato unico ha tutti i voti validi: 91,51% non è una quota dei voti",
    ]);
    expect(messages(round([{ name: "Savona", votes: 14536 }]))).toEqual([]);
  });

  it("votes against voters and electors, turnout against both", () => {
    const ks = [
      { name: "A", votes: 600 },
      { name: "B", votes: 400 },
    ];
    expect(messages(round(ks, { voters: 990, electors: 2000 }))).toEqual([
      "firstRound.voters: 990 votanti, ma i candidati hanno 1.000 voti",
    ]);
    expect(messages(round(ks, { voters: 1100, blank: 50, invalid: 40, electors: 2000, turnoutPercent: 55 }))).toEqual([
      "firstRound.voters: 1.100 votanti, ma voti validi, bianche, nulle e contestate sono 1.090",
    ]);
    expect(messages(round(ks, { voters: 1100, blank: 60, invalid: 40, electors: 2000, turnoutPercent: 55 }))).toEqual(
      [],
    );
    expect(messages(round(ks, { voters: 1100, electors: 2000, turnoutPercent: 56.2 }))).toEqual([
      "firstRound.turnoutPercent: 56,2%, ma 1.100 votanti su 2.000 elettori sono 55%",
    ]);
  });

  it("an outcome the rules contradict fails; one they cannot decide does not", async () => {
    const pack = await loadDataPack("data");
    const rules = pack.election.rules;
    const c = ComuneResultsSchema.parse({
      name: "Borgo",
      province: "XX",
      region: "Lazio",
      populationBand: "oltre-15000",
      firstRound: {
        date: "2017-06-11",
        candidates: [
          { name: "A", percent: 45 },
          { name: "B", percent: 35 },
          { name: "C", percent: 20 },
        ],
        outcome: { kind: "elected", candidate: "A" },
        provenance: { source: "prova", status: "final" },
      },
    });
    expect(comuneInconsistencies(c, rules).map((x) => x.path)).toEqual(["firstRound.outcome"]);
    const { populationBand: _, ...unknownBand } = c;
    expect(comuneInconsistencies(unknownBand, rules)).toEqual([]);
  });
});

describe("the shipped pack", () => {
  it("passes, every round of every comune, with no exception", async () => {
    const pack = await loadDataPack("data");
    expect(
      resultsInconsistencies(
        pack.comuni.map((c) => c.results),
        pack.election.rules,
      ),
    ).toEqual([]);
  });
});
