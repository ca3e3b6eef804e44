/**
 * The anomaly checks (src/data/anomalies/checks.ts, backwards.ts) on real figures: the Ministry's captured
 * answer for Vicenza, first round of 10 June 2018, is consistent and raises nothing; each check of figures
 * going backwards is then shown on a perturbation of it (fixtures: test/support/anomaly-fixtures.ts). And
 * the checks agree with the calls' bound (src/data/certainty.ts).
 */
import { describe, expect, it } from "vitest";
import {
  baselineOf,
  checkRound,
  DEFAULT_STALE_MINUTES,
  DEFAULT_THRESHOLDS,
} from "../../../src/data/anomalies/index.js";
import { remainingBound } from "../../../src/data/certainty.js";
import type { TurnoutPoint } from "../../../src/data/model.js";
import {
  ALBERTIN,
  ANDRIA,
  andria,
  closingReading,
  counting,
  DALLA_ROSA,
  edit,
  only,
  RUCCO,
  setVotes,
  vicenza,
} from "../../support/anomaly-fixtures.js";

// ————————————————————————————————————————————————————————————— the consistent base

describe("the real Vicenza 2018 answer is consistent", () => {
  it("maps to its figures (so that what follows perturbs real ones)", () => {
    const v = vicenza();
    expect(v.candidates.map((c) => [c.name, c.votes])).toEqual([
      [RUCCO, 24271],
      [DALLA_ROSA, 21985],
      [ALBERTIN, 519],
      ["Andrea Maroso", 495],
      ["Leonardo Bano", 336],
      ["Franca Equizi", 324],
    ]);
    // voters − blank − invalid − contested = 48.669 − 178 − 557 − 4 = 47.930 = the candidates' votes.
    expect(v.candidates.reduce((s, c) => s + (c.votes ?? 0), 0)).toBe(47930);
    expect(v.candidates[0]?.lists.map((l) => l.name ?? `n. ${l.position}`)).toEqual([
      "#RUCCO SINDACO",
      "n. 11",
      "n. 7",
      "CICERO IMPEGNO A 360°",
      "n. 12",
      "n. 10",
    ]);
  });

  it("raises nothing, alone, against itself, with its closing reading, whatever the comune's size", () => {
    const v = vicenza();
    const withReading = { ...v, turnout: [closingReading()] };
    for (const band of [undefined, "fino-15000", "oltre-15000"] as const) {
      expect(checkRound(undefined, v, { populationBand: band })).toEqual([]);
      expect(checkRound(v, v, { populationBand: band })).toEqual([]);
      expect(checkRound(withReading, withReading, { populationBand: band })).toEqual([]);
    }
    expect(checkRound(v, v, { stage: "runoff" })).toEqual([]);
  });

  it("while counting, voters and ballots at 0 are 'not yet published', not a broken sum", () => {
    // The Ministry's feed of 2020 showed Bari at 345 of 346 sections with voters, blank and invalid at 0.
    expect(checkRound(undefined, counting(80))).toEqual([]);
    expect(checkRound(counting(80), counting(81))).toEqual([]);
    expect(checkRound(counting(111), vicenza())).toEqual([]);
  });

  it("the default thresholds are the documented ones", () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ shareSumPoints: 0.5, sharePoints: 0.5 });
    expect(DEFAULT_STALE_MINUTES).toBe(20);
  });
});

// ————————————————————————————————————————————————————————————— backwards

describe("figures going backwards since the last good ones", () => {
  it("sections counted fall", () => {
    const a = only(checkRound(counting(100), counting(90)), "sections-fell");
    expect(a).toMatchObject({ severity: "hold", key: "sections-fell", figures: { before: 100, now: 90, total: 112 } });
    expect(a.it).toBe("Sezioni scrutinate scese da 100 a 90 su 112.");
    expect(a.en).toBe("Sections counted fell from 100 to 90 of 112.");
    expect(checkRound(counting(90), counting(100))).toEqual([]);
  });

  it("the total of sections changes: a note", () => {
    const cur = { ...counting(90), sections: { counted: 90, total: 113 } };
    expect(only(checkRound(counting(90), cur), "sections-total-changed")).toMatchObject({
      severity: "note",
      figures: { before: 112, now: 113 },
    });
  });

  it("a candidate's votes fall, however few (a recount is held and told too)", () => {
    const cur = edit(counting(100), DALLA_ROSA, (c) => {
      c.votes = 21984;
    });
    const a = only(checkRound(counting(100), cur), "votes-fell");
    expect(a).toMatchObject({
      severity: "hold",
      key: `votes-fell:${DALLA_ROSA}`,
      figures: { candidate: DALLA_ROSA, before: 21985, now: 21984 },
    });
    expect(a.it).toBe("Voti di Otello Dalla Rosa scesi da 21.985 a 21.984 (−1).");
    expect(a.en).toBe("Otello Dalla Rosa's votes fell from 21.985 to 21.984 (−1).");
  });

  it("a list's votes fall, a list without a name known by its ballot position", () => {
    const cur = edit(counting(100), RUCCO, (c) => {
      c.lists[0]!.votes = 10700;
      c.lists[1]!.votes = 6000;
    });
    const fell = checkRound(counting(100), cur).filter((a) => a.code === "list-votes-fell");
    expect(fell.map((a) => [a.key, a.severity, a.figures])).toEqual([
      [
        `list-votes-fell:${RUCCO}:#RUCCO SINDACO`,
        "hold",
        { candidate: RUCCO, list: "#RUCCO SINDACO", before: 10707, now: 10700 },
      ],
      [`list-votes-fell:${RUCCO}:n. 11`, "hold", { candidate: RUCCO, list: "n. 11", before: 6930, now: 6000 }],
    ]);
    expect(fell[0]?.it).toBe("Voti della lista «#RUCCO SINDACO» (Francesco Rucco) scesi da 10.707 a 10.700.");
    expect(fell[1]?.it).toBe("Voti della lista n. 11 (Francesco Rucco) scesi da 6.930 a 6.000.");
  });

  it("voters fall", () => {
    const cur = { ...vicenza(), voters: 48600 };
    const as = checkRound(vicenza(), cur);
    expect(only(as, "voters-fell")).toMatchObject({ severity: "hold", figures: { before: 48669, now: 48600 } });
    expect(only(as, "voters-fell").it).toBe("Votanti scesi da 48.669 a 48.600 (−69).");
  });

  it("blank, invalid or contested ballots fall: a note (contested ballots are settled later)", () => {
    // Two contested ballots settled as valid votes for Rucco: the sums still hold.
    const cur = edit({ ...vicenza(), contested: 2 }, RUCCO, (c) => {
      c.votes = 24273;
    });
    const as = checkRound(vicenza(), cur);
    expect(as.map((a) => [a.code, a.severity, a.key])).toEqual([["ballots-fell", "note", "ballots-fell:contested"]]);
    expect(as[0]?.it).toBe("Schede contestate scese da 4 a 2.");
  });

  it("a turnout reading's voters, sections or percent fall for the same hour", () => {
    const prev = { ...vicenza(), turnout: [closingReading()] };
    const fewerVoters = { ...prev, turnout: [{ ...closingReading(), voters: 48600, percent: 55.72 }] };
    const as = checkRound(prev, fewerVoters).filter((a) => a.code === "reading-fell");
    expect(as.map((a) => a.figures)).toEqual([
      { reading: { at: "23:00", final: true }, field: "voters", before: 48669, now: 48600 },
      { reading: { at: "23:00", final: true }, field: "percent", before: 55.8, now: 55.72 },
    ]);
    expect(as.map((a) => a.key)).toEqual(["reading-fell:23:00:final:voters", "reading-fell:23:00:final:percent"]);
    expect(as[0]?.it).toBe("L'affluenza finale (23:00): votanti scesi da 48.669 a 48.600.");
    expect(as[1]?.it).toBe("L'affluenza finale (23:00): percentuale scesa da 55,8% a 55,72% senza nuove sezioni.");

    const fewerSections = { ...prev, turnout: [{ ...closingReading(), sections: { counted: 110, total: 112 } }] };
    expect(only(checkRound(prev, fewerSections), "reading-fell")).toMatchObject({
      severity: "hold",
      figures: { field: "sections", before: 112, now: 110 },
    });
  });

  it("a reading's percent may fall as more sections report it (it is of those sections)", () => {
    // Andria at noon: 9,18% with all 110 sections; earlier with 60 of them it could have read higher.
    const early: TurnoutPoint = {
      at: "12:00",
      percent: 9.5,
      voters: 4100,
      sections: { counted: 60, total: 110 },
      final: false,
    };
    const prev = andria([early]);
    const cur = andria([ANDRIA[0]!]);
    expect(checkRound(prev, cur)).toEqual([]);
    // The same fall with no more sections is wrong.
    const same = andria([{ ...early, percent: 9.4 }]);
    expect(only(checkRound(prev, same), "reading-fell").figures).toMatchObject({ field: "percent" });
  });

  it("a reading published before is gone: a note", () => {
    const prev = { ...vicenza(), turnout: [closingReading()] };
    expect(only(checkRound(prev, vicenza()), "reading-missing")).toMatchObject({
      severity: "note",
      figures: { reading: { at: "23:00", final: true } },
    });
  });

  it("a candidate appears or disappears mid-count", () => {
    const prev = counting(100);
    const fewer = { ...prev, candidates: prev.candidates.filter((c) => c.name !== "Franca Equizi") };
    const gone = only(checkRound(prev, fewer), "candidate-disappeared");
    expect(gone).toMatchObject({ severity: "hold", figures: { candidate: "Franca Equizi", votes: 324 } });
    expect(gone.it).toBe("Candidato scomparso a scrutinio in corso: Franca Equizi (aveva 324 voti).");
    const back = only(checkRound(fewer, prev), "candidate-appeared");
    expect(back).toMatchObject({ severity: "hold", key: "candidate-appeared:Franca Equizi" });
  });

  it("the outcome the source states changes or is withdrawn; a runoff pair in the other order is the same", () => {
    const v = vicenza();
    const other = { ...v, outcome: { kind: "elected" as const, candidate: DALLA_ROSA } };
    const changed = only(checkRound(v, other), "outcome-changed");
    expect(changed.severity).toBe("hold");
    expect(changed.it).toBe("Esito cambiato: era «eletto Francesco Rucco», ora «eletto Otello Dalla Rosa».");
    expect(only(checkRound(v, { ...v, outcome: undefined }), "outcome-changed").figures).toEqual({
      before: { kind: "elected", candidate: RUCCO },
    });
    const pair = { ...v, outcome: { kind: "runoff" as const, candidates: [RUCCO, DALLA_ROSA] as [string, string] } };
    const swapped = { ...v, outcome: { kind: "runoff" as const, candidates: [DALLA_ROSA, RUCCO] as [string, string] } };
    expect(checkRound(pair, swapped)).toEqual([]);
  });

  it("a RoundResult or its trimmed baseline compare the same", () => {
    const cur = setVotes(counting(90), RUCCO, 24000);
    expect(checkRound(baselineOf(counting(100)), cur)).toEqual(checkRound(counting(100), cur));
    expect(JSON.parse(JSON.stringify(baselineOf(vicenza())))).toEqual(baselineOf(vicenza()));
  });
});

// ————————————————————————————————————————————————————————————— agreement with certainty.ts

describe("agreement with the calls' bound", () => {
  it("whenever certainty.ts finds the figures contradictory, the gate holds", () => {
    let seed = 20180610;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let contradictions = 0;
    for (let n = 0; n < 2000; n++) {
      const r = counting(Math.floor(rand() * 112));
      r.electors = Math.floor(40000 + rand() * 60000);
      if (rand() < 0.7) {
        const voters = Math.floor(40000 + rand() * 60000);
        r.turnout = [{ at: "23:00", voters, sections: { counted: 112, total: 112 }, final: true }];
      }
      const counted = r.candidates.reduce((s, c) => s + (c.votes ?? 0), 0);
      const bound = remainingBound(r, counted, false);
      const holds = checkRound(undefined, r).filter((a) => a.severity === "hold");
      if (!bound.consistent) {
        contradictions++;
        expect(holds.length, JSON.stringify({ electors: r.electors, turnout: r.turnout })).toBeGreaterThan(0);
      }
    }
    expect(contradictions).toBeGreaterThan(200);
  });
});
