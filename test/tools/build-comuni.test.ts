import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  buildFrom,
  formatIndex,
  INDEX_SOURCE,
  type IstatComune,
  joinIndex,
  joinPopulation,
  parseElectoralCodes,
} from "../../tools/build-comuni.js";
import { HAVE_SOURCES, SOURCES } from "./sources.js";

const CSV = [
  "name_upper,province,electoral_code,istat,cadastral",
  "GENOVA,GE,1070340250,010025,D969",
  "ABBASANTA,OR,4201150010,115001,A007",
].join("\n");

const istat = (over: Partial<IstatComune>): IstatComune => ({
  istat: "010025",
  name: "Genova",
  province: "GE",
  provinceName: "Genova",
  region: "Liguria",
  regionCode: "07",
  cadastral: "D969",
  ...over,
});

describe("parseElectoralCodes", () => {
  it("reads the Ministry's table", () => {
    expect(parseElectoralCodes(CSV)).toEqual([
      { nameUpper: "GENOVA", province: "GE", electoralCode: "1070340250", istat: "010025", cadastral: "D969" },
      { nameUpper: "ABBASANTA", province: "OR", electoralCode: "4201150010", istat: "115001", cadastral: "A007" },
    ]);
  });

  it("refuses another header, and names an unreadable line", () => {
    expect(() => parseElectoralCodes("nome,prov\nGENOVA,GE")).toThrow(/unexpected header/);
    expect(() => parseElectoralCodes(`${CSV}\nROMA,RM,58091,058091,H501`)).toThrow(/line 4 unreadable/);
  });
});

describe("joinIndex", () => {
  const codes = parseElectoralCodes(CSV);

  it("joins by ISTAT code, keeps the nine digits of the feed's paths", () => {
    const { entries, byIstat } = joinIndex([istat({})], codes);
    expect(byIstat).toBe(1);
    expect(entries).toEqual([
      {
        istat: "010025",
        name: "Genova",
        province: "GE",
        provinceName: "Genova",
        region: "Liguria",
        eligendo: "070340250",
      },
    ]);
  });

  it("falls back to the cadastral code where ISTAT renumbered the comune, never to the name", () => {
    const abbasanta = istat({ istat: "095001", name: "Abbasanta", province: "OR", cadastral: "A007" });
    const renamed = istat({ istat: "095999", name: "Genova", cadastral: "Z999" });
    const r = joinIndex([abbasanta, renamed], codes);
    expect(r.entries[0]!.eligendo).toBe("201150010");
    expect(r.byCadastral).toBe(1);
    expect(r.entries[1]).not.toHaveProperty("eligendo");
    expect(r.without).toEqual(["Genova (GE)"]);
  });

  it("stops on an ISTAT code the Ministry gives to another comune", () => {
    expect(() => joinIndex([istat({ cadastral: "X000" })], codes)).toThrow(/names another comune/);
  });
});

describe("joinPopulation", () => {
  const istat = (code: string, cadastral: string, name: string) => ({
    istat: code,
    name,
    province: "XX",
    provinceName: "Prova",
    region: "Sardegna",
    regionCode: "20",
    cadastral,
  });
  const comuni = [istat("001001", "A001", "Uno"), istat("111002", "B002", "Due"), istat("001003", "C003", "Tre")];
  const entries = comuni.map(({ regionCode: _r, cadastral: _c, ...e }) => e);
  const census = [
    { istat: "001001", cadastral: "A001", name: "Uno", province: "XX", population2011: 15_000 },
    { istat: "095002", cadastral: "B002", name: "Due", province: "OR", population2011: 15_001 },
  ];

  it("joins by ISTAT code, else by cadastral code; a comune merged away has none", () => {
    const j = joinPopulation(comuni, entries, census);
    expect(j.entries.map((e) => e.population)).toEqual([15_000, 15_001, undefined]);
    expect([j.byIstat, j.byCadastral, j.without]).toEqual([1, 1, ["Tre (XX)"]]);
  });
});

describe("formatIndex", () => {
  it("writes one comune per line, and valid JSON", () => {
    const { entries } = joinIndex([istat({})], parseElectoralCodes(CSV));
    const text = formatIndex(INDEX_SOURCE, [...entries, ...entries]);
    const lines = text.split("\n");
    expect(lines.filter((l) => l.includes('"istat"'))).toHaveLength(2);
    expect(JSON.parse(text)).toEqual({ source: INDEX_SOURCE, comuni: [...entries, ...entries] });
  });
});

describe.runIf(HAVE_SOURCES)("the shipped comuni.json", () => {
  it("is what the tool builds from the sources, byte for byte", async () => {
    const joined = await buildFrom(SOURCES);
    expect(joined.entries).toHaveLength(7978);
    expect(await readFile("data/comuni.json", "utf8")).toBe(formatIndex(INDEX_SOURCE, joined.entries));
  });
});
