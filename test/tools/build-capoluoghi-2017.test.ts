import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ComuneResultsSchema } from "../../src/data/model.js";
import {
  buildFrom,
  convertComune,
  italianCoalition,
  publishers,
  type SourceComune,
  samePerson,
} from "../../tools/build-capoluoghi-2017.js";
import { formatJson } from "../../tools/json-format.js";
import { HAVE_SOURCES, SOURCES } from "./sources.js";

const page = (n: number) => `https://www.giornale${n}.it/articolo`;

function source(over: Partial<SourceComune> = {}): SourceComune {
  return {
    name: "Borgo",
    province: "XX",
    region: "Lazio",
    notes: "notes of the research",
    sources: [page(1), page(9)],
    firstRound: {
      date: "2017-06-11",
      turnoutPercent: 55.5,
      turnoutSources: [page(3)],
      turnoutNote: "conflict: 55,5 vs 55,6",
      previousTurnoutPercent: null,
      candidates: [
        {
          name: "Anna (Annina) Bianchi",
          coalition: "centrosinistra (9 lists)",
          votes: 100,
          percent: 45,
          sources: [page(1)],
        },
        {
          name: "Bruno Verdi",
          coalition: null,
          votes: null,
          percent: 40,
          sources: [page(2)],
          conflicts: ["percent: 40 vs 41"],
          singleSource: ["percent"],
        },
        { name: "Carla Neri", coalition: "civica", votes: null, percent: 15, sources: [page(2)], note: "a note" },
      ],
    },
    runoff: {
      date: "2017-06-25",
      turnoutPercent: null,
      winner: "Anna Bianchi",
      candidates: [
        { name: "Anna Bianchi", coalition: "centrosinistra", votes: 900, percent: 52, sources: [page(4)] },
        { name: "Bruno Verdi", coalition: "centrodestra", votes: 830, percent: 48, sources: [page(4)] },
      ],
    },
    ...over,
  };
}

describe("convertComune", () => {
  const c = convertComune(source(), "012345");

  it("is valid results, for the schema every pack is checked against", () => {
    expect(ComuneResultsSchema.safeParse(c).success).toBe(true);
  });

  it("keeps the stored figures only: no share or vote the source lacks", () => {
    expect(c.firstRound.candidates).toEqual([
      { name: "Anna (Annina) Bianchi", coalition: "centrosinistra (9 liste)", votes: 100, percent: 45 },
      { name: "Bruno Verdi", percent: 40 },
      { name: "Carla Neri", coalition: "civica", percent: 15 },
    ]);
    expect(c.firstRound).not.toHaveProperty("previousTurnoutPercent");
    expect(c.runoff).not.toHaveProperty("turnoutPercent");
  });

  it("names a person once across the rounds, and states the outcomes", () => {
    expect(c.firstRound.outcome).toEqual({ kind: "runoff", candidates: ["Anna (Annina) Bianchi", "Bruno Verdi"] });
    expect(c.runoff?.candidates.map((k) => [k.name, k.elected])).toEqual([
      ["Anna (Annina) Bianchi", true],
      ["Bruno Verdi", undefined],
    ]);
    expect(c.runoff?.outcome).toEqual({ kind: "elected", candidate: "Anna (Annina) Bianchi" });
    expect(c.populationBand).toBe("oltre-15000");
    expect(c.capoluogo).toBe(true);
    expect(c.istat).toBe("012345");
  });

  it("gives each round its provenance: publishers, pages, final, the conflicts as details", () => {
    expect(c.firstRound.provenance).toEqual({
      source: "giornale3.it, giornale1.it, giornale2.it, giornale9.it",
      urls: [page(3), page(1), page(2), page(9)],
      status: "final",
      note: "notes of the research",
      details: [
        "Bruno Verdi: conflict: percent: 40 vs 41",
        "Bruno Verdi: single source for percent",
        "Carla Neri: a note",
      ],
    });
    expect(c.firstRound.turnoutProvenance).toEqual({
      source: "giornale3.it",
      urls: [page(3)],
      status: "final",
      note: "conflict: 55,5 vs 55,6",
    });
    expect(c.runoff?.provenance).toMatchObject({ source: "giornale4.it", urls: [page(4)], status: "final" });
  });

  it("a comune decided at the first round has no runoff, and no band without a source for it", () => {
    const first = convertComune(
      source({ runoff: null, firstRound: { ...source().firstRound, electedAtFirstRound: "Anna (Annina) Bianchi" } }),
      undefined,
    );
    expect(first.firstRound.outcome).toEqual({ kind: "elected", candidate: "Anna (Annina) Bianchi" });
    expect(first.firstRound.candidates[0]).toMatchObject({ elected: true });
    expect(first).not.toHaveProperty("runoff");
    expect(first).not.toHaveProperty("populationBand");
    expect(first).not.toHaveProperty("istat");
  });

  it("a runoff without a winner needs its reason written down", () => {
    const r = source().runoff!;
    expect(() => convertComune(source({ runoff: { ...r, winner: null } }), undefined)).toThrow(/VOID_RUNOFFS/);
  });
});

describe("helpers", () => {
  it("samePerson ignores a name in brackets", () => {
    expect(samePerson("Gianni (Giovanni) Crivello", "Gianni Crivello")).toBe(true);
    expect(samePerson("Gianni Crivello", "Marco Bucci")).toBe(false);
  });

  it("publishers are the pages' hosts, once each", () => {
    expect(publishers(["https://www.money.it/a", "https://money.it/b", "http://ilpiccolo.net/c"])).toBe(
      "money.it, ilpiccolo.net",
    );
  });

  it("coalitions are rendered in Italian; English left over stops the conversion", () => {
    expect(italianCoalition("centrosinistra (supported by Franco Sebastio)")).toBe(
      "centrosinistra (sostenuto da Franco Sebastio)",
    );
    expect(() => italianCoalition("centrodestra (two lists)")).toThrow(/English/);
  });

  it("formatJson keeps short objects on one line and stays JSON", () => {
    const value = { comuni: [{ name: "A", percent: 1 }], note: "x".repeat(150) };
    const text = formatJson(value, 60);
    expect(text).toContain('{ "name": "A", "percent": 1 }');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe.runIf(HAVE_SOURCES)("the shipped results.json and turnout.json", () => {
  it("are what the tool builds from capoluoghi-2017.json and national-2017.json", async () => {
    const built = await buildFrom(SOURCES, "data");
    expect(JSON.parse(await readFile("data/results.json", "utf8"))).toEqual(built.results);
    expect(JSON.parse(await readFile("data/turnout.json", "utf8"))).toEqual(built.turnout);
  });
});
