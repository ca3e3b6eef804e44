import { beforeAll, describe, expect, it } from "vitest";
import { NameIndex } from "../src/data/lookup.js";
import type { ComuneResults } from "../src/data/model.js";
import { type DataPack, loadDataPack } from "../src/data/pack.js";
import {
  candidateKeys,
  type KnownComune,
  namesProvince,
  PlaceSearch,
  relevance,
  type SearchResult,
} from "../src/data/places.js";

let pack: DataPack;
beforeAll(async () => {
  pack = await loadDataPack("data");
});

const kindOf = (r: SearchResult) => r.kind;
const comuneOf = (r: SearchResult) => (r.kind === "comune" ? r.comune.name : undefined);

describe("candidateKeys", () => {
  it("answers to the full name and to every tail of it", () => {
    expect(candidateKeys("Gianfranco Cuttica di Revigliasco")).toEqual([
      "gianfrancocutticadirevigliasco",
      "cutticadirevigliasco",
      "direvigliasco",
      "revigliasco",
    ]);
  });

  it("a name in brackets counts with and without it", () => {
    const keys = candidateKeys("Gianni (Giovanni) Crivello");
    for (const k of ["giannigiovannicrivello", "giovannicrivello", "crivello", "giannicrivello"])
      expect(keys).toContain(k);
    expect(keys).not.toContain("gianni");
  });
});

describe("search over the shipped pack", () => {
  it("a region gives its comuni with results, capoluoghi first", () => {
    for (const q of ["Liguria", "liguria", "regione Liguria", "LIGURIA"]) {
      const r = pack.search(q);
      expect(kindOf(r), q).toBe("area");
      if (r.kind !== "area") continue;
      expect(r.area).toMatchObject({ kind: "region", name: "Liguria" });
      expect(r.area.comuni).toHaveLength(235);
      expect(r.withResults.map((c) => c.name)).toEqual(["Genova", "La Spezia"]);
    }
  });

  it("a region with no results in the data is still an area, with none", () => {
    const r = pack.search("Basilicata");
    expect(r).toMatchObject({ kind: "area", area: { kind: "region", name: "Basilicata" }, withResults: [] });
  });

  it("regions with two names answer to each", () => {
    for (const q of ["Trentino-Alto Adige", "Südtirol", "Valle d'Aosta", "Vallée d'Aoste", "Friuli Venezia Giulia"])
      expect(pack.search(q).kind, q).toBe("area");
    const fvg = pack.search("friuli-venezia giulia");
    expect(fvg.kind === "area" && fvg.withResults.map((c) => c.name)).toEqual(["Gorizia"]);
  });

  it("a comune's own name wins over a region or province of the same name; the words make the difference", () => {
    expect(comuneOf(pack.search("Molise"))).toBe("Molise");
    expect(pack.search("regione Molise")).toMatchObject({ kind: "area", area: { name: "Molise" } });
    expect(comuneOf(pack.search("Genova"))).toBe("Genova");
    const province = pack.search("provincia di Genova");
    expect(province).toMatchObject({ kind: "area", area: { kind: "province", name: "Genova" } });
    expect(province.kind === "area" && province.area.comuni).toHaveLength(67);
    expect(pack.search("città metropolitana di Genova").kind).toBe("area");
  });

  it("a province whose name is no comune's is found by its name", () => {
    const r = pack.search("Monza e della Brianza");
    expect(r).toMatchObject({ kind: "area", area: { kind: "province" } });
    expect(r.kind === "area" && r.withResults.map((c) => c.name)).toEqual(["Monza"]);
  });

  it("a candidate's surname or full name gives the comune they ran in", () => {
    for (const [q, city] of [
      ["Bucci", "Genova"],
      ["Marco Bucci", "Genova"],
      ["crivello", "Genova"],
      ["Giovanni Crivello", "Genova"],
      ["Cerruti", "Asti"],
      ["Orlando", "Palermo"],
      ["Cuttica di Revigliasco", "Alessandria"],
      ["Fazio", "Trapani"],
      ["Pietro Savona", "Trapani"],
    ] as const) {
      const r = pack.search(q);
      expect(kindOf(r), q).toBe("candidate");
      if (r.kind === "candidate")
        expect(
          r.matches.map((m) => m.comune.name),
          q,
        ).toEqual([city]);
    }
  });

  it("a comune's name wins over a candidate's: Savona is the comune", () => {
    expect(comuneOf(pack.search("Savona"))).toBe("Savona");
  });

  it("names fall back to the forgiving comune lookup", () => {
    expect(comuneOf(pack.search("laquilia"))).toBe("L'Aquila");
    expect(comuneOf(pack.search("Monza"))).toBe("Monza");
    expect(pack.search("Castro")).toMatchObject({ kind: "ambiguous" });
    expect(pack.search("Zzyzxqwvb")).toEqual({ kind: "not-found", suggestions: [] });
  });
});

describe("a candidate in several comuni", () => {
  const provenance = { source: "prova", urls: [], status: "final" as const };
  const results = (name: string, candidate: string): ComuneResults => ({
    name,
    province: "XX",
    region: "Lazio",
    capoluogo: false,
    aliases: [],
    firstRound: {
      date: "2017-06-11",
      candidates: [{ name: candidate, percent: 60, lists: [] }],
      turnout: [],
      provenance,
    },
  });
  const known = (name: string, candidate: string): KnownComune => ({
    name,
    province: "XX",
    region: "Lazio",
    capoluogo: false,
    aliases: [],
    label: name,
    voting: true,
    results: results(name, candidate),
  });
  const list = [known("Borgo Uno", "Mario Rossi"), known("Borgo Due", "Anna Rossi")];
  const search = new PlaceSearch(new NameIndex(list, (c) => [c.name]), list);

  it("gives every comune, each with the candidate's full name", () => {
    const r = search.search("Rossi");
    expect(r.kind).toBe("candidate");
    if (r.kind !== "candidate") return;
    expect(r.matches.map((m) => [m.comune.name, m.candidate])).toEqual([
      ["Borgo Due", "Anna Rossi"],
      ["Borgo Uno", "Mario Rossi"],
    ]);
    expect(search.search("Anna Rossi")).toMatchObject({ kind: "candidate", matches: [{ candidate: "Anna Rossi" }] });
  });

  it("without an index of provinces, regions still come from the comuni", () => {
    expect(search.area("Lazio")).toMatchObject({ kind: "region", comuni: list });
    expect(search.area("provincia di XX")).toBeUndefined();
  });
});

describe("relevance without population", () => {
  const known = (name: string, province?: string) =>
    pack.known.find((c) => c.name === name && (province === undefined || c.province === province))!;

  it("a comune that names its province stands for a capoluogo: 109 of them, Pesaro and Urbino both", () => {
    const namesakes = pack.known.filter(namesProvince).map((c) => c.name);
    expect(namesakes).toHaveLength(109);
    for (const name of ["Roma", "Milano", "Genova", "Pesaro", "Urbino", "Barletta", "Andria", "Trani", "Monza"])
      expect(namesakes, name).toContain(name);
    expect(namesProvince(known("Irma"))).toBe(false);
    expect(namesProvince({ name: "Genova" })).toBe(false);
  });

  it("orders ties: capoluoghi with results, other capoluoghi, comuni with results, voting, the rest", () => {
    expect(relevance(known("Genova"))).toBe(0);
    expect(relevance(known("Roma"))).toBe(1);
    expect(relevance(known("Irma"))).toBe(4);
    // The shipped pack lists no comune voting without results: one as election.json would mark it.
    expect(relevance({ ...known("Irma"), voting: true })).toBe(3);
  });
});
