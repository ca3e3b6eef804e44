import { describe, expect, it } from "vitest";
import { dateSegment, normalizeCode, pad, paths, splitCode } from "../../src/feed/codes.js";

describe("codes and paths", () => {
  it("normalizes 9- and 10-digit codes and numbers that lost their zeros", () => {
    expect(normalizeCode("050901160")).toBe("050901160");
    expect(normalizeCode("1050901160")).toBe("050901160"); // area digit first, as in the code table
    expect(normalizeCode(10020010)).toBe("010020010");
    expect(normalizeCode("01002001x")).toBeUndefined();
    expect(normalizeCode("12345678901")).toBeUndefined();
    expect(normalizeCode(-1)).toBeUndefined();
    expect(splitCode("161060010")).toEqual({ code: "161060010", region: "16", province: "106", comune: "0010" });
    expect(() => splitCode("16106001")).toThrow(RangeError);
  });

  it("zero-pads every code in a path", () => {
    expect(pad(34, 3)).toBe("034");
    expect(pad("250", 4)).toBe("0250");
    expect(() => pad(12345, 4)).toThrow(RangeError);
    expect(dateSegment("2018-06-10")).toBe("20180610");
    expect(paths.enti("2018-06-10")).toBe("/getentiG/DE/20180610/TE/08");
    expect(paths.turnout("2025-11-23", 106)).toBe("/votanti/DE/20251123/TE/08/PR/106");
    expect(paths.turnout("2017-06-11", "34")).toBe("/votanti/DE/20170611/TE/08/PR/034");
    expect(paths.results("2018-06-10", 90, 1160)).toBe("/scrutiniG/DE/20180610/TE/08/PR/090/CM/1160");
    expect(paths.results("2017-06-11", "034", "250")).toBe("/scrutiniG/DE/20170611/TE/08/PR/034/CM/0250");
  });
});
