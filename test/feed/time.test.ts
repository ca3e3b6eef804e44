import { describe, expect, it } from "vitest";
import { clockOf, romeInstant, stampToDate, stampToIso } from "../../src/feed/time.js";

describe("timestamps", () => {
  it("reads the feed's stamps as Italian local time", () => {
    expect(stampToIso(20181010130932)).toBe("2018-10-10T13:09:32+02:00");
    expect(stampToIso("20251124150000")).toBe("2025-11-24T15:00:00+01:00");
    expect(stampToDate(20180610000000)).toBe("2018-06-10");
    expect(stampToIso(20180230120000)).toBeUndefined();
    expect(stampToIso(20180610250000)).toBeUndefined();
    expect(stampToIso("2018")).toBeUndefined();
    expect(clockOf("2025-11-23T23:00:00+01:00")).toBe("23:00");
  });

  it("gets the offset right on both sides of a clock change", () => {
    // Summer time began at 02:00 on 26 March 2017 and ended at 03:00 on 29 October 2017.
    expect(romeInstant(2017, 3, 26, 1, 30)).toBe("2017-03-26T01:30:00+01:00");
    expect(romeInstant(2017, 3, 26, 3, 30)).toBe("2017-03-26T03:30:00+02:00");
    expect(romeInstant(2017, 10, 29, 1, 0)).toBe("2017-10-29T01:00:00+02:00");
    expect(romeInstant(2017, 10, 29, 4, 0)).toBe("2017-10-29T04:00:00+01:00");
    expect(new Date(romeInstant(2017, 6, 11, 23, 0)).toISOString()).toBe("2017-06-11T21:00:00.000Z");
  });
});
