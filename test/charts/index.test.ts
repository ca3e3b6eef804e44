import { describe, expect, it } from "vitest";
import { ChartCache, chartFor, chartKey, dataVersion, sharesChartSvg } from "../../src/charts/index.js";
import { VICENZA_2018 } from "./fixtures.js";

describe("chartFor", () => {
  it("renders a chart once per data version and then hands out Telegram's file_id", async () => {
    const cache = new ChartCache();
    let built = 0;
    const svg = () => {
      built++;
      return sharesChartSvg({ comune: "Vicenza", kind: "first", round: VICENZA_2018 });
    };
    const key = chartKey("shares", "Vicenza", "first", dataVersion(VICENZA_2018), "it");
    const first = await chartFor(cache, key, svg);
    expect("png" in first && first.png.subarray(1, 4).toString()).toBe("PNG");
    cache.rememberFileId(key, "AgACAgQ-vicenza");
    expect(await chartFor(cache, key, svg)).toEqual({ fileId: "AgACAgQ-vicenza" });
    expect(built).toBe(1);
    // New figures, new key: drawn again.
    const moved = structuredClone(VICENZA_2018);
    moved.candidates[1]!.votes = 21986;
    const next = await chartFor(cache, chartKey("shares", "Vicenza", "first", dataVersion(moved), "it"), svg);
    expect("png" in next).toBe(true);
    expect(built).toBe(2);
  });
});
