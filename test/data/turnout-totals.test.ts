import { describe, expect, it } from "vitest";
import type { TurnoutPoint } from "../../src/data/model.js";
import { turnoutPercent, turnoutTotals } from "../../src/data/turnout-totals.js";
import { parseTurnout } from "../../src/feed/parse.js";
import { VotantiResponseSchema } from "../../src/feed/schema.js";
import { turnoutBat2025 } from "../feed/fixtures.js";

const bat = parseTurnout(VotantiResponseSchema.parse(turnoutBat2025()), "16");
const batInputs = bat.comuni.map((c) => ({
  regionKey: "16",
  regionName: "Puglia",
  provinceKey: "106",
  provinceName: "Barletta-Andria-Trani",
  provinceSigla: "BT",
  points: c.points,
}));

describe("turnout totals", () => {
  it("sums voters and electors: the province's figures are the Ministry's own", () => {
    const t = turnoutTotals(batInputs, new Map([["106", bat.province.points]]));
    const bt = t.provinces[0]!;
    expect(bt).toMatchObject({ key: "106", name: "Barletta-Andria-Trani", sigla: "BT" });
    expect(bt.points.map((p) => [p.at, p.final, p.voters, p.electors, p.percent])).toEqual([
      ["12:00", false, 28357, 333006, 8.52],
      ["19:00", false, 75436, 333006, 22.65],
      ["23:00", false, 95948, 333006, 28.81],
      ["15:00", true, 137271, 333006, 41.22],
    ]);
    expect(bt.points.map((p) => p.percent)).toEqual(bat.province.points.map((p) => p.percent));
    // The previous election's figure is the Ministry's, where it gives one.
    expect(bt.points.map((p) => p.previousPercent)).toEqual([12.76, 29.72, 42.61, 59.98]);
    expect(bt.points[3]!.comuni).toEqual({ reported: 10, total: 10 });
    expect(bt.points[3]!.takenAt).toBe("2025-11-24T15:00:00+01:00");
  });

  it("never averages percentages", () => {
    const finals = bat.comuni.map((c) => c.points[3]!.percent!);
    const average = finals.reduce((s, p) => s + p, 0) / finals.length;
    const total = turnoutTotals(batInputs).election.points[3]!.percent!;
    expect(Math.abs(total - average)).toBeGreaterThan(0.5);
    expect(total).toBe(turnoutPercent(137271, 333006));
  });

  it("counts a comune in a reading only once all its sections reported it, and says how many are in", () => {
    const partial: TurnoutPoint = {
      at: "12:00",
      final: false,
      voters: 100,
      electors: 10_000,
      percent: 5,
      sections: { counted: 3, total: 12 },
    };
    const full: TurnoutPoint = { at: "12:00", final: false, voters: 2_000, electors: 10_000, percent: 20 };
    const t = turnoutTotals([
      { regionKey: "07", regionName: "Liguria", provinceKey: "034", provinceName: "Genova", points: [full] },
      { regionKey: "07", regionName: "Liguria", provinceKey: "039", provinceName: "La Spezia", points: [partial] },
      {
        regionKey: "03",
        regionName: "Lombardia",
        provinceKey: "104",
        provinceName: "Monza e della Brianza",
        points: [],
      },
    ]);
    expect(t.election.points).toEqual([
      { at: "12:00", final: false, voters: 2000, electors: 10000, percent: 20, comuni: { reported: 1, total: 3 } },
    ]);
    expect(t.regions.map((r) => [r.name, r.points[0]?.comuni])).toEqual([
      ["Liguria", { reported: 1, total: 2 }],
      ["Lombardia", undefined],
    ]);
    const sp = t.provinces.find((p) => p.key === "039")!;
    expect(sp.points).toEqual([{ at: "12:00", final: false, comuni: { reported: 0, total: 1 } }]);
    expect(sp.points[0]!.percent).toBeUndefined();
    expect(t.election.points[0]!.previousPercent).toBeUndefined();
  });

  it("keeps a comune the index lacks in its province, named as the index names it", () => {
    const [first, ...rest] = batInputs;
    const unknown = { ...first!, provinceName: "Barletta-andria-trani (dal Ministero)", provinceSigla: undefined };
    const t = turnoutTotals([unknown, ...rest]);
    expect(t.provinces).toHaveLength(1);
    expect(t.provinces[0]).toMatchObject({ name: "Barletta-Andria-Trani", sigla: "BT" });
    expect(t.provinces[0]!.points[3]!.comuni).toEqual({ reported: 10, total: 10 });
  });
});
