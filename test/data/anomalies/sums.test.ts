/**
 * The round against itself (src/data/anomalies/sums.ts): each sum that does not add up, shown on a
 * perturbation of Vicenza's real answer of 10 June 2018 (fixtures: test/support/anomaly-fixtures.ts).
 */
import { describe, expect, it } from "vitest";
import { type CheckOptions, checkRound } from "../../../src/data/anomalies/index.js";
import {
  ALBERTIN,
  closingReading,
  counting,
  DALLA_ROSA,
  edit,
  only,
  RUCCO,
  vicenza,
} from "../../support/anomaly-fixtures.js";

// ————————————————————————————————————————————————————————————— the round against itself

describe("the round breaks its own sums", () => {
  it("candidates with more votes than voters − blank − invalid − contested: by how much", () => {
    const cur = edit(vicenza(), ALBERTIN, (c) => {
      c.votes = 529;
    });
    const a = only(checkRound(undefined, cur), "sum-mismatch");
    expect(a).toMatchObject({
      severity: "hold",
      figures: {
        voters: 48669,
        blank: 178,
        invalid: 557,
        contested: 4,
        expected: 47930,
        candidates: 47940,
        difference: 10,
      },
    });
    expect(a.it).toBe(
      "I conti non tornano: votanti 48.669 − bianche 178 − nulle 557 − contestate 4 = 47.930, ma i candidati hanno 47.940 voti (10 in più).",
    );
    expect(a.en).toContain("(10 more)");
  });

  it("fewer votes than that: held on the complete count, a note while sections remain", () => {
    const short = edit(vicenza(), ALBERTIN, (c) => {
      c.votes = 509;
    });
    expect(only(checkRound(undefined, short), "sum-mismatch")).toMatchObject({
      severity: "hold",
      figures: { difference: -10 },
    });
    expect(only(checkRound(undefined, short), "sum-mismatch").it).toContain("(10 in meno)");
    const partial = { ...short, sections: { counted: 111, total: 112 } };
    expect(only(checkRound(undefined, partial), "sum-mismatch").severity).toBe("note");
  });

  it("with a ballot figure unknown, no sum; ballots beyond the voters still hold", () => {
    const unknown = edit({ ...vicenza(), contested: undefined }, ALBERTIN, (c) => {
      c.votes = 509;
    });
    expect(checkRound(undefined, unknown)).toEqual([]);
    const over = edit({ ...vicenza(), contested: undefined }, ALBERTIN, (c) => {
      c.votes = 1519;
    });
    const a = only(checkRound(undefined, over), "ballots-over");
    // 47.930 + 1.000 votes + 178 blank + 557 invalid = 49.665 ballots against 48.669 voters.
    expect(a.figures).toEqual({ ballots: 49665, limit: 48669, against: "voters" });
    expect(a.it).toBe("Schede scrutinate (49.665) oltre i votanti (48.669).");
  });

  it("ballots beyond the voters at the close (only a reading every section reported)", () => {
    // While counting, 47.930 valid votes are counted (ballots still at 0): 48.000 voters at the close hold them.
    const low = { ...closingReading(), voters: 48000, percent: 55.03 };
    expect(checkRound(undefined, { ...counting(100), turnout: [low] })).toEqual([]);
    const lower = { ...low, voters: 47000, percent: 53.88 };
    expect(only(checkRound(undefined, { ...counting(100), turnout: [lower] }), "ballots-over").figures).toEqual({
      ballots: 47930,
      limit: 47000,
      against: "closing-voters",
    });
    const partial = { ...lower, sections: { counted: 100, total: 112 } };
    expect(checkRound(undefined, { ...counting(100), turnout: [partial] })).toEqual([]);
  });

  it("voters above electors (and so the ballots)", () => {
    const cur = { ...vicenza(), electors: 48000 };
    const as = checkRound(undefined, cur);
    expect(only(as, "voters-over-electors")).toMatchObject({
      severity: "hold",
      figures: { voters: 48669, electors: 48000 },
    });
    expect(only(as, "voters-over-electors").it).toBe("Votanti (48.669) oltre gli elettori (48.000).");
    expect(only(as, "ballots-over").figures).toEqual({ ballots: 48669, limit: 48000, against: "electors" });
  });

  it("turnout above 100%, as the Ministry's own feed has published", () => {
    const a = only(checkRound(undefined, { ...vicenza(), turnoutPercent: 100.4 }), "turnout-over-100");
    expect(a).toMatchObject({ severity: "hold", key: "turnout-over-100", figures: { percent: 100.4 } });
    expect(a.it).toBe("Affluenza al 100,4%, oltre il 100%.");
    expect(checkRound(undefined, { ...vicenza(), turnoutPercent: 100 })).toEqual([]);
  });

  it("sections counted above the total", () => {
    const a = only(
      checkRound(undefined, { ...vicenza(), sections: { counted: 113, total: 112 } }),
      "sections-over-total",
    );
    expect(a.figures).toEqual({ counted: 113, total: 112 });
    expect(a.it).toBe("Sezioni scrutinate 113 su 112: oltre il totale.");
  });

  it("a candidate's lists above the candidate: held where there is no split vote, a note where there is", () => {
    const cur = edit(vicenza(), ALBERTIN, (c) => {
      c.lists[0]!.votes = 520;
      c.lists[0]!.percent = 1.19;
    });
    const opts = (populationBand?: CheckOptions["populationBand"]) => ({
      populationBand,
      thresholds: { shareSumPoints: 1 },
    });
    const small = only(checkRound(undefined, cur, opts("fino-15000")), "lists-exceed-candidate");
    expect(small).toMatchObject({ severity: "hold", figures: { candidate: ALBERTIN, lists: 520, votes: 519 } });
    expect(small.it).toBe("Le liste di Filippo Albertin hanno 520 voti, più dei 519 del candidato.");
    const large = only(checkRound(undefined, cur, opts("oltre-15000")), "lists-exceed-candidate");
    expect(large.severity).toBe("note");
    expect(large.it).toContain("(possibile con il voto disgiunto)");
    expect(only(checkRound(undefined, cur, opts(undefined)), "lists-exceed-candidate").severity).toBe("note");
    // A runoff's lists carry the first round's votes: not compared.
    expect(checkRound(undefined, cur, { stage: "runoff", populationBand: "fino-15000" })).toEqual([]);
  });

  it("all lists above all candidates", () => {
    const cur = edit(vicenza(), RUCCO, (c) => {
      c.lists[0]!.votes = 35000; // 43.637 − 10.707 + 35.000 = 67.930 list votes
    });
    const as = checkRound(undefined, cur, { thresholds: { shareSumPoints: 100 } });
    expect(only(as, "lists-exceed-total")).toMatchObject({
      severity: "hold",
      figures: { lists: 67930, candidates: 47930 },
    });
    expect(only(as, "lists-exceed-candidate").figures).toEqual({ candidate: RUCCO, lists: 46558, votes: 24271 });
  });

  it("shares summing far from 100%: the tolerance is a border", () => {
    const shift = (rucco: number, dallaRosa: number) =>
      edit(
        edit(vicenza(), RUCCO, (c) => {
          c.percent = rucco;
        }),
        DALLA_ROSA,
        (c) => {
          c.percent = dallaRosa;
        },
      );
    expect(checkRound(undefined, shift(50.89, 46.12))).toEqual([]); // sums to 100,50
    const a = only(checkRound(undefined, shift(50.89, 46.13)), "shares-sum"); // 100,51
    expect(a).toMatchObject({
      severity: "hold",
      key: "shares-sum:candidates",
      figures: { sum: 100.51, tolerance: 0.5 },
    });
    expect(a.it).toBe("Le percentuali dei candidati sommano a 100,51%.");
    expect(checkRound(undefined, shift(50.89, 46.13), { thresholds: { shareSumPoints: 0.6 } })).toEqual([]);
  });

  it("the lists' shares too", () => {
    const cur = edit(vicenza(), RUCCO, (c) => {
      c.lists[0]!.percent = 25.54;
    });
    expect(only(checkRound(undefined, cur), "shares-sum")).toMatchObject({
      key: "shares-sum:lists",
      figures: { of: "lists", sum: 101 },
    });
  });

  it("nothing counted yet: shares of 0 are not a broken sum", () => {
    const zero = counting(0);
    for (const c of zero.candidates) {
      c.votes = 0;
      c.percent = 0;
      for (const l of c.lists) {
        l.votes = 0;
        l.percent = 0;
      }
    }
    expect(checkRound(undefined, zero)).toEqual([]);
  });

  it("a published share far from the votes: the tolerance is a border", () => {
    // Rucco's votes give 50,638…%; the sum is left to another check.
    const loose = { thresholds: { shareSumPoints: 10 } };
    const at = (p: number) =>
      edit(vicenza(), RUCCO, (c) => {
        c.percent = p;
      });
    expect(checkRound(undefined, at(51.13), loose)).toEqual([]);
    const a = only(checkRound(undefined, at(51.15), loose), "share-mismatch");
    expect(a).toMatchObject({
      severity: "hold",
      figures: { candidate: RUCCO, percent: 51.15, computed: 50.64, tolerance: 0.5 },
    });
    expect(a.it).toBe("Percentuale di Francesco Rucco pubblicata al 51,15%, ma i voti danno il 50,64%.");
  });
});
