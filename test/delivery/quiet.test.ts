/** Quiet hours on the election's clock: spans across midnight, their edges, and daylight saving. */
import { describe, expect, it } from "vitest";
import { clockTime, isQuietAt, minuteOfDay } from "../../src/delivery/quiet.js";

const ROME = "Europe/Rome";
const night = { from: 23 * 60, to: 7 * 60 };

describe("isQuietAt", () => {
  it("a span across midnight: from its start included to its end excluded, Rome time in summer", () => {
    expect(isQuietAt(night, new Date("2017-06-11T22:59:00+02:00"), ROME)).toBe(false);
    expect(isQuietAt(night, new Date("2017-06-11T23:00:00+02:00"), ROME)).toBe(true);
    expect(isQuietAt(night, new Date("2017-06-12T00:30:00+02:00"), ROME)).toBe(true);
    expect(isQuietAt(night, new Date("2017-06-12T06:59:00+02:00"), ROME)).toBe(true);
    expect(isQuietAt(night, new Date("2017-06-12T07:00:00+02:00"), ROME)).toBe(false);
    expect(isQuietAt(night, new Date("2017-06-12T12:00:00+02:00"), ROME)).toBe(false);
  });

  it("reads the clock in Rome whatever the instant's offset, and in winter too", () => {
    // 21:30 UTC is 23:30 in Rome in June, 22:30 in January.
    expect(isQuietAt(night, new Date("2017-06-11T21:30:00Z"), ROME)).toBe(true);
    expect(isQuietAt(night, new Date("2018-01-14T21:30:00Z"), ROME)).toBe(false);
    expect(isQuietAt(night, new Date("2018-01-14T22:30:00Z"), ROME)).toBe(true);
  });

  it("a span within one day", () => {
    const afternoon = { from: 13 * 60, to: 15 * 60 + 30 };
    expect(isQuietAt(afternoon, new Date("2017-06-11T12:59:59+02:00"), ROME)).toBe(false);
    expect(isQuietAt(afternoon, new Date("2017-06-11T13:00:00+02:00"), ROME)).toBe(true);
    expect(isQuietAt(afternoon, new Date("2017-06-11T15:29:00+02:00"), ROME)).toBe(true);
    expect(isQuietAt(afternoon, new Date("2017-06-11T15:30:00+02:00"), ROME)).toBe(false);
    expect(isQuietAt(afternoon, new Date("2017-06-11T23:30:00+02:00"), ROME)).toBe(false);
  });

  it("the night the clocks go back (29 October 2017): both 02:30s are quiet", () => {
    const early = { from: 0, to: 3 * 60 };
    expect(isQuietAt(early, new Date("2017-10-29T00:30:00Z"), ROME)).toBe(true); // 02:30 CEST
    expect(isQuietAt(early, new Date("2017-10-29T01:30:00Z"), ROME)).toBe(true); // 02:30 CET
    expect(isQuietAt(early, new Date("2017-10-29T02:30:00Z"), ROME)).toBe(false); // 03:30 CET
  });
});

describe("minuteOfDay and clockTime", () => {
  it("midnight is 0, not 24", () => {
    expect(minuteOfDay(new Date("2017-06-11T22:00:00Z"), ROME)).toBe(0);
    expect(minuteOfDay(new Date("2017-06-11T21:59:00Z"), ROME)).toBe(1439);
  });

  it("shows minutes as the clock does", () => {
    expect(clockTime(0)).toBe("00:00");
    expect(clockTime(7 * 60)).toBe("07:00");
    expect(clockTime(23 * 60 + 30)).toBe("23:30");
  });
});
