/** Who a comune of the file is: ISTAT identity from the index, homonyms told apart, and the fallback without one. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComuniIndex, loadComuniIndex } from "../../src/import/identity.js";
import { ISTAT_SAMPLE } from "./support.js";

const index = new ComuniIndex(ISTAT_SAMPLE);
const none = new ComuniIndex();

describe("provinceSigla", () => {
  it("reads the province as the files write it", () => {
    const cases: [string, string][] = [
      ["GENOVA", "GE"],
      ["FORLI'-CESENA", "FC"],
      ["FORLÌ-CESENA", "FC"],
      ["REGGIO NELL'EMILIA", "RE"],
      ["REGGIO EMILIA", "RE"],
      ["REGGIO DI CALABRIA", "RC"],
      ["REGGIO CALABRIA", "RC"],
      ["MONZA E DELLA BRIANZA", "MB"],
      ["PESARO-URBINO", "PU"],
      ["BOLZANO", "BZ"],
      ["AOSTA", "AO"],
      ["MASSA CARRARA", "MS"],
      ["GE", "GE"],
      ["L'AQUILA", "AQ"],
    ];
    for (const [file, sigla] of cases) expect(none.provinceSigla(file), file).toBe(sigla);
  });

  it("accepts a near spelling only when it points to one province", () => {
    expect(none.provinceSigla("LA SPEZZIA")).toBe("SP");
    expect(none.provinceSigla("ATLANTIDE")).toBeUndefined();
    expect(none.provinceSigla("XX")).toBeUndefined();
    expect(none.provinceSigla(undefined)).toBeUndefined();
  });

  it("gives the region of a sigla", () => {
    expect(none.regionOf("FC")).toBe("Emilia-Romagna");
    expect(none.regionOf("BZ")).toBe("Trentino-Alto Adige/Südtirol");
  });
});

describe("resolve with the index", () => {
  it("finds a comune by its name in capitals, accents written either way", () => {
    for (const name of ["FORLÌ", "FORLI'", "FORLI"]) {
      expect(index.resolve(name, "FORLI'-CESENA", "EMILIA-ROMAGNA")).toEqual({
        kind: "found",
        fromIndex: true,
        identity: { name: "Forlì", istat: "040012", province: "FC", region: "Emilia-Romagna" },
      });
    }
    expect(index.resolve("SANT'ANGELO LODIGIANO", "LODI")).toMatchObject({
      identity: { name: "Sant'Angelo Lodigiano", istat: "098050", province: "LO" },
    });
  });

  it("tells homonyms apart by province, or by region when the province is not readable", () => {
    expect(index.resolve("CASTRO", "BERGAMO")).toMatchObject({ identity: { istat: "016065", province: "BG" } });
    expect(index.resolve("CASTRO", "LECCE")).toMatchObject({ identity: { istat: "075096", province: "LE" } });
    expect(index.resolve("CALLIANO", "PROVINCIA IGNOTA", "TRENTINO-ALTO ADIGE")).toMatchObject({
      identity: { istat: "022035", province: "TN" },
    });
    const r = index.resolve("CASTRO");
    expect(r.kind).toBe("unresolved");
    expect(r.kind === "unresolved" && r.reason).toBe(
      "più comuni si chiamano così (Castro BG, Castro LE) e la provincia «» non li distingue",
    );
  });

  it("takes the only comune of that name where the file's province is unknown or in the same region", () => {
    // Provinces redrawn: the index's province is not the file's.
    expect(index.resolve("GENOVA", "PROVINCIA SOPPRESSA")).toMatchObject({ identity: { istat: "010025" } });
    expect(index.resolve("GENOVA", "SAVONA", "LIGURIA")).toMatchObject({ identity: { istat: "010025" } });
  });

  it("does not take a namesake in another province and region for a comune the index lacks", () => {
    const partial = new ComuniIndex(ISTAT_SAMPLE.filter((c) => !(c.name === "Castro" && c.province === "LE")));
    expect(partial.resolve("CASTRO", "LECCE", "PUGLIA")).toEqual({
      kind: "unresolved",
      reason: "l'indice ha Castro in provincia BG, il file in «LECCE» (LE)",
    });
  });

  it("falls back to the file's name for a comune the index lacks", () => {
    expect(index.resolve("SAN DONA' DI PIAVE", "VENEZIA", "VENETO")).toEqual({
      kind: "found",
      fromIndex: false,
      identity: { name: "San Donà di Piave", province: "VE", region: "Veneto" },
    });
  });

  it("carries the capoluogo flag when the index has it", () => {
    const withFlag = new ComuniIndex([{ ...ISTAT_SAMPLE.find((c) => c.name === "Genova")!, capoluogo: true }]);
    expect(withFlag.resolve("GENOVA", "GENOVA")).toMatchObject({ identity: { capoluogo: true } });
    expect(index.resolve("GENOVA", "GENOVA")).not.toHaveProperty("identity.capoluogo");
  });
});

describe("resolve without an index", () => {
  it("proper-cases the name and reads the province, without an ISTAT code", () => {
    expect(none.resolve("SANT'ANGELO LODIGIANO", "LODI", "LOMBARDIA")).toEqual({
      kind: "found",
      fromIndex: false,
      identity: { name: "Sant'Angelo Lodigiano", province: "LO", region: "Lombardia" },
    });
  });

  it("cannot place a comune whose province it cannot read", () => {
    expect(none.resolve("ATLANTIDE", "ATLANTIDE")).toEqual({
      kind: "unresolved",
      reason: "provincia «ATLANTIDE» sconosciuta",
    });
    expect(none.resolve("ATLANTIDE")).toMatchObject({ kind: "unresolved" });
  });
});

describe("loadComuniIndex", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "elezioni-index-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads an array or { comuni }, ignoring extra fields", async () => {
    const a = path.join(dir, "a.json");
    await writeFile(a, JSON.stringify([{ ...ISTAT_SAMPLE[0], regionCode: "13", cadastral: "A235" }]));
    expect(await loadComuniIndex(a)).toEqual([ISTAT_SAMPLE[0]]);
    const b = path.join(dir, "b.json");
    await writeFile(b, JSON.stringify({ comuni: ISTAT_SAMPLE }));
    expect(await loadComuniIndex(b)).toHaveLength(ISTAT_SAMPLE.length);
  });

  it("says what is wrong with a bad index", async () => {
    const bad = path.join(dir, "bad.json");
    await writeFile(bad, JSON.stringify([{ istat: "69001", name: "Altino", province: "CH" }]));
    await expect(loadComuniIndex(bad)).rejects.toThrow(/bad\.json: 0\.istat: codice ISTAT di sei cifre/);
    await expect(loadComuniIndex(path.join(dir, "manca.json"))).rejects.toThrow(/file inesistente/);
    const notJson = path.join(dir, "x.json");
    await writeFile(notJson, "{");
    await expect(loadComuniIndex(notJson)).rejects.toThrow(/illeggibile/);
  });
});
