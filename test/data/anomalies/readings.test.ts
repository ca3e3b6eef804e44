/**
 * Turnout readings (src/data/anomalies/readings.ts): Andria's real readings of 23–24 November 2025, the
 * last on Monday at 15:00, and what is wrong with a reading (fixtures: test/support/anomaly-fixtures.ts).
 */
import { describe, expect, it } from "vitest";
import { checkRound } from "../../../src/data/anomalies/index.js";
import { ANDRIA, andria, only } from "../../support/anomaly-fixtures.js";

// ————————————————————————————————————————————————————————————— turnout readings

describe("turnout readings", () => {
  it("Andria's real readings over two days raise nothing (the source's order, not the clock's)", () => {
    expect(checkRound(undefined, andria(ANDRIA))).toEqual([]);
    expect(checkRound(andria(ANDRIA.slice(0, 3)), andria(ANDRIA))).toEqual([]);
  });

  it("a reading above 100%, above the electors, or reported by more sections than exist", () => {
    const bad = structuredClone(ANDRIA);
    bad[1] = { ...bad[1]!, percent: 101.2 };
    bad[2] = { ...bad[2]!, sections: { counted: 111, total: 110 } };
    bad[3] = { ...bad[3]!, voters: 83100, electors: 83020 };
    const as = checkRound(undefined, andria(bad));
    expect(as.map((a) => [a.code, a.key, a.severity])).toEqual([
      ["turnout-over-100", "turnout-over-100:19:00", "hold"],
      ["sections-over-total", "sections-over-total:23:00", "hold"],
      ["voters-over-electors", "voters-over-electors:15:00:final", "hold"],
    ]);
    expect(as[0]?.it).toBe("L'affluenza delle 19:00 al 101,2%, oltre il 100%.");
    expect(as[1]?.it).toBe("L'affluenza delle 23:00: sezioni pervenute 111 su 110.");
    expect(as[2]?.it).toBe("L'affluenza finale (15:00): votanti (83.100) oltre gli elettori (83.020).");
  });

  it("a later reading below an earlier one, both complete: a note", () => {
    const lower = structuredClone(ANDRIA);
    lower[2] = { ...lower[2]!, voters: 19000, percent: 22.89 };
    const a = only(checkRound(undefined, andria(lower)), "readings-decrease");
    expect(a).toMatchObject({
      severity: "note",
      figures: { earlier: { at: "19:00" }, later: { at: "23:00" }, field: "voters", before: 19725, now: 19000 },
    });
    expect(a.it).toBe("L'affluenza delle 23:00 (19.000 votanti) sotto l'affluenza delle 19:00 (19.725).");
    lower[2] = { ...lower[2]!, sections: { counted: 90, total: 110 } };
    expect(checkRound(undefined, andria(lower))).toEqual([]);
  });
});
