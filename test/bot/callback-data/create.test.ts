/** Typed callback data: one prefix per kind of button, packed within Telegram's 64 bytes, unpacked safely. */
import { describe, expect, it } from "vitest";
import { cityData } from "../../../src/bot/callback-data/city.js";
import { cityPageData } from "../../../src/bot/callback-data/city-page.js";
import { createCallbackData } from "../../../src/bot/callback-data/create.js";
import { draftTagData } from "../../../src/bot/callback-data/draft-tag.js";
import { nameKey } from "../../../src/data/lookup.js";
import { loadDataPack } from "../../../src/data/pack.js";

describe("createCallbackData", () => {
  it("packs and unpacks; its filter matches its own prefix only", () => {
    const data = createCallbackData<{ n: number }>("test-n", {
      encode: ({ n }) => String(n),
      decode: (s) => (/^\d+$/.test(s) ? { n: Number(s) } : undefined),
    });
    expect(data.pack({ n: 7 })).toBe("test-n:7");
    expect(data.unpack("test-n:7")).toEqual({ n: 7 });
    expect(data.unpack("test-n:x")).toBeUndefined();
    expect(data.unpack("other:7")).toBeUndefined();
    expect(data.filter().test("test-n:7")).toBe(true);
    expect(data.filter().test("test-nn:7")).toBe(false);
    expect(data.filter().test("x-test-n:7")).toBe(false);
  });

  it("refuses a prefix defined twice, one that is not plain, and data over 64 bytes", () => {
    expect(() => createCallbackData("c", { encode: String, decode: (s) => s })).toThrow(/twice/);
    expect(() => createCallbackData("a:b", { encode: String, decode: (s) => s })).toThrow();
    const long = createCallbackData<string>("test-long", { encode: (s) => s, decode: (s) => s });
    expect(() => long.pack("é".repeat(30))).toThrow(/64 bytes/);
  });
});

describe("the bot's buttons", () => {
  it("cities: c:<key>, within 64 bytes even for a long name", async () => {
    expect(cityData.pack({ key: "genova" })).toBe("c:genova");
    expect(cityData.unpack("c:genova")).toEqual({ key: "genova" });
    expect(Buffer.byteLength(cityData.pack({ key: "x".repeat(100) }))).toBe(64);
    const pack = await loadDataPack("data");
    for (const c of pack.comuni)
      expect(pack.byKey(cityData.unpack(cityData.pack({ key: nameKey(c.name) }))!.key)).toBe(c);
  });

  it("pages: p:<n>; anything else is not a page", () => {
    expect(cityPageData.pack({ page: 3 })).toBe("p:3");
    expect(cityPageData.unpack("p:3")).toEqual({ page: 3 });
    for (const bad of ["p:-1", "p:1.5", "p:x", "c:3"]) expect(cityPageData.unpack(bad)).toBeUndefined();
  });

  it("which comune a newsroom tag means: dt:<draft>:<code>, for a Ministry code too; anything else is not one", () => {
    expect(draftTagData.pack({ id: 12, code: "016065" })).toBe("dt:12:016065");
    expect(draftTagData.unpack("dt:12:016065")).toEqual({ id: 12, code: "016065" });
    expect(draftTagData.unpack("dt:12:160410181")).toEqual({ id: 12, code: "160410181" });
    for (const bad of ["dt:12", "dt:x:016065", "dt:12:Castro", "d:s12"])
      expect(draftTagData.unpack(bad)).toBeUndefined();
  });
});
