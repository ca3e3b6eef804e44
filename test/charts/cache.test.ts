import { describe, expect, it } from "vitest";
import { ChartCache, chartKey, dataVersion } from "../../src/charts/cache.js";
import { VICENZA_2018 } from "./fixtures.js";

const png = (n: number, fill = 1) => Buffer.alloc(n, fill);

describe("ChartCache", () => {
  it("misses, then hits with the PNG, then with the file_id once Telegram answered", () => {
    const cache = new ChartCache();
    expect(cache.get("a")).toBeUndefined();
    cache.set("a", png(100));
    const hit = cache.get("a");
    expect(hit && "png" in hit && hit.png.length).toBe(100);
    expect(cache.bytes).toBe(100);
    cache.rememberFileId("a", "AgACAgQAAxkDAAIB");
    expect(cache.get("a")).toEqual({ fileId: "AgACAgQAAxkDAAIB" });
    // The bytes are dropped once the file_id is known.
    expect(cache.bytes).toBe(0);
    expect(cache.size).toBe(1);
    expect(cache.hits).toBe(2);
    expect(cache.misses).toBe(1);
  });

  it("keeps a file_id learnt after the PNG was evicted", () => {
    const cache = new ChartCache({ maxEntries: 1 });
    cache.set("a", png(10));
    cache.set("b", png(10));
    expect(cache.get("a")).toBeUndefined();
    cache.rememberFileId("a", "file-a");
    expect(cache.get("a")).toEqual({ fileId: "file-a" });
  });

  it("evicts the least recently used entry beyond maxEntries", () => {
    const cache = new ChartCache({ maxEntries: 2 });
    cache.set("a", png(10));
    cache.set("b", png(10));
    cache.get("a"); // a is now more recent than b
    cache.set("c", png(10));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("c")).toBeDefined();
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(20);
  });

  it("evicts by bytes, counts only PNGs, and does not keep a PNG larger than the limit", () => {
    const cache = new ChartCache({ maxEntries: 100, maxBytes: 250 });
    cache.set("a", png(100));
    cache.set("b", png(100));
    cache.rememberFileId("x", "file-x");
    cache.set("c", png(100)); // 300 bytes: a goes
    expect(cache.get("a")).toBeUndefined();
    expect(cache.bytes).toBe(200);
    expect(cache.get("x")).toEqual({ fileId: "file-x" });
    cache.set("huge", png(251));
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.bytes).toBe(200);
    // Replacing an entry's PNG counts the new size only.
    cache.set("b", png(50));
    expect(cache.bytes).toBe(150);
  });

  it("forgets a key whose file_id Telegram refused", () => {
    const cache = new ChartCache();
    cache.rememberFileId("a", "stale");
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
    cache.delete("never-there");
    expect(cache.size).toBe(0);
  });

  it("getOrRender renders once for concurrent requests and serves the cache afterwards", async () => {
    const cache = new ChartCache();
    let renders = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const render = async () => {
      renders++;
      await gate;
      return png(42);
    };
    const all = Promise.all([1, 2, 3].map(() => cache.getOrRender("k", render)));
    release();
    const results = await all;
    expect(renders).toBe(1);
    for (const r of results) expect("png" in r && r.png.length).toBe(42);
    expect(await cache.getOrRender("k", render)).toMatchObject({ png: expect.any(Buffer) });
    expect(renders).toBe(1);
    cache.rememberFileId("k", "file-k");
    expect(await cache.getOrRender("k", render)).toEqual({ fileId: "file-k" });
    expect(renders).toBe(1);
  });

  it("getOrRender caches nothing when the render fails, and tries again next time", async () => {
    const cache = new ChartCache();
    await expect(cache.getOrRender("k", () => Promise.reject(new Error("bad svg")))).rejects.toThrow("bad svg");
    expect(cache.size).toBe(0);
    expect(await cache.getOrRender("k", async () => png(7))).toMatchObject({ png: expect.any(Buffer) });
  });

  it("getOrRender prefers a file_id learnt while it was rendering", async () => {
    const cache = new ChartCache();
    const result = await cache.getOrRender("k", async () => {
      cache.rememberFileId("k", "file-first");
      return png(5);
    });
    expect(result).toEqual({ fileId: "file-first" });
    expect(cache.get("k")).toEqual({ fileId: "file-first" });
  });
});

describe("keys", () => {
  it("dataVersion changes with the figures and only with them", () => {
    const v = dataVersion(VICENZA_2018);
    expect(dataVersion(structuredClone(VICENZA_2018))).toBe(v);
    const moved = structuredClone(VICENZA_2018);
    moved.candidates[0]!.votes = 24272;
    expect(dataVersion(moved)).not.toBe(v);
    expect(v).toMatch(/^[\w-]{16}$/);
  });

  it("chartKey joins the parts, marking missing ones", () => {
    expect(chartKey("shares", "Genova", "first", "abc", "it")).toBe("shares|Genova|first|abc|it");
    expect(chartKey("turnout", undefined, 2)).toBe("turnout|-|2");
  });
});
