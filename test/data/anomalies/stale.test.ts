/**
 * Stale figures (src/data/anomalies/stale.ts): "dati fermi dalle 01:10" while counting is open.
 */
import { describe, expect, it } from "vitest";
import { AnomalyGate, staleSince } from "../../../src/data/anomalies/index.js";
import { formatTime } from "../../../src/format/italian.js";
import { counting, K } from "../../support/anomaly-fixtures.js";

// ————————————————————————————————————————————————————————————— staleness

describe("stale figures", () => {
  const last = "2018-06-11T01:10:00+02:00";
  const plus = (minutes: number, ms = 0) => new Date(Date.parse(last) + minutes * 60_000 + ms);

  it("from the threshold on (20 minutes by default) while counting is open, the time of the last change", () => {
    expect(staleSince(last, plus(19, 59_999), true)).toBeUndefined();
    const since = staleSince(last, plus(20), true);
    expect(since?.toISOString()).toBe(new Date(last).toISOString());
    expect(formatTime(since as Date)).toBe("01:10"); // "dati fermi dalle 01:10"
    expect(staleSince(last, plus(180), true)?.getTime()).toBe(Date.parse(last));
  });

  it("never once counting is closed, nor without a last change, nor with a last change in the future", () => {
    expect(staleSince(last, plus(60), false)).toBeUndefined();
    expect(staleSince(undefined, plus(60), true)).toBeUndefined();
    expect(staleSince(last, plus(-5), true)).toBeUndefined();
    expect(staleSince("non una data", plus(60), true)).toBeUndefined();
  });

  it("the threshold is a parameter", () => {
    expect(staleSince(last, plus(5), true, 5)).toBeDefined();
    expect(staleSince(last, plus(4, 59_999), true, 5)).toBeUndefined();
    expect(staleSince(last, plus(20), true, 30)).toBeUndefined();
    expect(() => staleSince(last, plus(20), true, 0)).toThrow(RangeError);
    expect(() => staleSince(last, plus(20), true, Number.NaN)).toThrow(RangeError);
  });

  it("reads the gate's changedAt", () => {
    const gate = new AnomalyGate();
    gate.observe(K, counting(10), last);
    const v = gate.observe(K, counting(10), plus(25).toISOString());
    expect(staleSince(v.changedAt, plus(25), true)?.getTime()).toBe(Date.parse(last));
  });
});
