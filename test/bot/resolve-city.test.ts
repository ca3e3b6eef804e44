/** What the user typed, resolved to a place: the readings tried, most literal first, and the search over them. */
import { beforeAll, describe, expect, it } from "vitest";
import { lookupReadings, questionReadings, readingsOf, searchReadings } from "../../src/bot/resolve-city.js";
import { type DataPack, loadDataPack } from "../../src/data/pack.js";
import type { SearchResult } from "../../src/data/places.js";
import { parseQuestion } from "../../src/understand/index.js";

let pack: DataPack;
beforeAll(async () => {
  pack = await loadDataPack("data");
});

const what = (r: SearchResult) =>
  r.kind === "comune" ? r.comune.name : r.kind === "area" ? `${r.area.kind} ${r.area.name}` : r.kind;

describe("readings", () => {
  it("after a command: the text as typed first, then without the words around the name", () => {
    expect(readingsOf("Genova", "it")).toEqual(["Genova"]);
    expect(readingsOf("  a Genova ", "it")).toEqual(["a Genova", "Genova"]);
    expect(readingsOf("alla Spezia", "it")).toEqual(["alla Spezia", "la Spezia", "Spezia"]);
    expect(readingsOf("Genoa", "en")).toEqual(["Genoa", "Genova"]);
    expect(readingsOf("", "it")).toEqual([]);
  });

  it("of a question: the kind of place it names, the alternatives, the subject", () => {
    expect(questionReadings(parseQuestion("chi ha vinto in provincia di Genova?", "it"))).toEqual([
      "provincia di Genova",
      "Genova",
    ]);
    expect(questionReadings(parseQuestion("who won in Genoa", "en"))).toEqual(["Genova", "Genoa"]);
    expect(questionReadings(parseQuestion("ballottaggi", "it"))).toEqual([]);
  });
});

describe("searching over the readings", () => {
  it("the first exact reading wins; the text as typed keeps what /citta understood before", () => {
    expect(what(searchReadings(pack, readingsOf("alla Spezia", "it")))).toBe("La Spezia");
    expect(what(searchReadings(pack, readingsOf("Genoa", "en")))).toBe("Genova");
    expect(what(searchReadings(pack, readingsOf("di Parma", "it")))).toBe("Parma");
    expect(what(searchReadings(pack, readingsOf("provincia di Genova", "it")))).toBe("province Genova");
    expect(what(searchReadings(pack, readingsOf("Liguria", "it")))).toBe("region Liguria");
    expect(what(searchReadings(pack, readingsOf("Bucci", "it")))).toBe("candidate");
    expect(what(searchReadings(pack, questionReadings(parseQuestion("affluenza in provincia di Genova", "it"))))).toBe(
      "province Genova",
    );
  });

  it("a typo is forgiven when nothing is exact; overlong text is not searched", () => {
    const r = lookupReadings(pack, readingsOf("a Genvoa", "it"));
    expect(r).toMatchObject({ kind: "found", exact: false });
    expect(lookupReadings(pack, ["x".repeat(200)])).toEqual({ kind: "not-found", suggestions: [] });
    expect(lookupReadings(pack, [])).toEqual({ kind: "not-found", suggestions: [] });
  });
});
