/**
 * Loading and validating a data pack: election.json (required), and as they exist comuni.json (every
 * comune known), results.json, turnout.json, bulletins.json. Every problem found is reported at once,
 * one line each, naming the file and the field.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { NameIndex, type NameLookup, nameKey } from "./lookup.js";
import type { ComuneCode, ComuneResults } from "./model.js";
import {
  type Area,
  codeOf,
  everydayNames,
  hasResults,
  type KnownComune,
  namesProvince,
  PlaceSearch,
  type ResultComune,
  relevance,
  type SearchResult,
} from "./places.js";
import { type Bulletin, type ComuniIndex, type Election, PACK_FILES, type Turnout } from "./schema.js";

/** A bulletin of bulletins.json, its comuni (written by name there) resolved to their codes. */
export type PackBulletin = Omit<Bulletin, "comuni"> & { comuni: ComuneCode[] };

export interface DataPack {
  dir: string;
  election: Election;
  /** The national turnout readings; empty before the first reading (or without turnout.json). */
  turnout: Turnout;
  /** Comuni with results, in the order of results.json. */
  comuni: ResultComune[];
  /** Every comune the pack knows: the comuni index, and comuni with results the index lacks. */
  known: KnownComune[];
  /** Where the comuni index comes from; undefined for a pack without comuni.json. */
  indexSource?: string;
  /** Oldest first. */
  bulletins: PackBulletin[];
  /** Names and aliases of every known comune, the most relevant first (see `relevance`). */
  index: NameLookup<KnownComune>;
  /**
   * The comune whose ISTAT code (six digits) or Ministry code (nine, RRPPPCCCC) this is, or whose name or
   * alias folds to this key.
   */
  byKey(key: string): KnownComune | undefined;
  /** A comune, a region or province, or a candidate, as /citta understands them. */
  search(query: string, maxSuggestions?: number): SearchResult;
  /** The region or province so named ("Liguria", "provincia di Reggio Emilia"), if any. */
  area(query: string): Area | undefined;
  /** The region or province one edit from the query ("Ligura"), if any and not named like `found`. */
  nearArea(query: string, found?: Pick<KnownComune, "name">): Area | undefined;
}

export interface PackIssue {
  file: string;
  path: string;
  message: string;
}

export class DataPackError extends Error {
  constructor(readonly issues: PackIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "DataPackError";
  }
}

export function formatIssue(i: PackIssue): string {
  return `${i.file}: ${i.path || "(radice)"}: ${i.message}`;
}

/** "comuni[2].firstRound.candidates[0].percent" from zod's path. */
function formatPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>(
    (acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    "",
  );
}

/** The file's JSON; undefined when it is absent (an issue only if the file is required) or unreadable. */
async function readJson(dir: string, file: string, required: boolean, issues: PackIssue[]): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.join(dir, file), "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !required) return undefined;
    issues.push({ file, path: "", message: code === "ENOENT" ? "file mancante" : `illeggibile (${code ?? "errore"})` });
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    issues.push({ file, path: "", message: `JSON non valido: ${(err as Error).message}` });
    return undefined;
  }
}

function check<S extends z.ZodType>(
  file: string,
  schema: S,
  value: unknown,
  issues: PackIssue[],
): z.infer<S> | undefined {
  if (value === undefined) return undefined;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const i of r.error.issues) issues.push({ file, path: formatPath(i.path), message: i.message });
  return undefined;
}

/** One known comune per identity: its index entry joined with its results. */
function joinComuni(
  index: ComuniIndex | undefined,
  results: readonly ComuneResults[],
  election: Election,
  issues: PackIssue[],
): KnownComune[] {
  const R = PACK_FILES.results.file;
  const I = PACK_FILES.comuni.file;
  const known: KnownComune[] = [];
  const byIstat = new Map<string, KnownComune>();
  /** nameKey + province → comune: one comune per name in a province. */
  const byPlace = new Map<string, KnownComune>();
  const place = (name: string, province: string) => `${nameKey(name)}|${province}`;

  index?.comuni.forEach((c, i) => {
    if (byIstat.has(c.istat)) {
      issues.push({ file: I, path: `comuni[${i}].istat`, message: `codice ISTAT ripetuto (${c.istat})` });
      return;
    }
    const k: KnownComune = { ...c, capoluogo: false, aliases: [], label: c.name, voting: false };
    known.push(k);
    byIstat.set(c.istat, k);
    byPlace.set(place(c.name, c.province), k);
  });

  const resultAt = new Map<KnownComune, number>();
  results.forEach((r, i) => {
    let k = r.istat !== undefined ? byIstat.get(r.istat) : byPlace.get(place(r.name, r.province));
    if (r.istat !== undefined && index && !k) {
      issues.push({ file: R, path: `comuni[${i}].istat`, message: `codice ISTAT ${r.istat} assente da ${I}` });
      return;
    }
    if (k && nameKey(k.name) !== nameKey(r.name)) {
      issues.push({
        file: R,
        path: `comuni[${i}].name`,
        message: `"${r.name}" non è il nome del comune ${r.istat} in ${I} (${k.name})`,
      });
      return;
    }
    if (k && k.province !== r.province) {
      issues.push({
        file: R,
        path: `comuni[${i}].province`,
        message: `${r.province}, ma ${I} mette ${k.name} in provincia ${k.province}`,
      });
      return;
    }
    const earlier = k && resultAt.get(k);
    if (k && earlier !== undefined) {
      issues.push({
        file: R,
        path: `comuni[${i}].name`,
        message: `comune ripetuto: "${r.name}" è ${k.name}, già all'indice ${earlier}`,
      });
      return;
    }
    if (!k) {
      k = {
        name: r.name,
        province: r.province,
        region: r.region,
        capoluogo: false,
        aliases: [],
        label: r.name,
        voting: false,
      };
      if (r.istat !== undefined) k.istat = r.istat;
      known.push(k);
      byPlace.set(place(r.name, r.province), k);
      if (r.istat !== undefined) byIstat.set(r.istat, k);
    } else if (k.region !== r.region) {
      issues.push({
        file: R,
        path: `comuni[${i}].region`,
        message: `${r.region}, ma ${I} mette ${k.name} in ${k.region}`,
      });
      return;
    }
    resultAt.set(k, i);
    Object.assign(k, { results: r, capoluogo: r.capoluogo, aliases: r.aliases, voting: true });
  });

  election.votingComuni.forEach((code, i) => {
    const k = byIstat.get(code);
    if (k) k.voting = true;
    else if (index)
      issues.push({
        file: PACK_FILES.election.file,
        path: `votingComuni[${i}]`,
        message: `codice ISTAT ${code} assente da ${I}`,
      });
  });

  // Homonyms (Castro BG, Castro LE) are shown with their province.
  const byName = new Map<string, KnownComune[]>();
  for (const k of known) byName.set(nameKey(k.name), [...(byName.get(nameKey(k.name)) ?? []), k]);
  for (const list of byName.values()) if (list.length > 1) for (const k of list) k.label = `${k.name} (${k.province})`;

  // The everyday name of a comune that names its province ("Reggio Emilia" for Reggio nell'Emilia), where
  // no other comune is so called.
  for (const k of known) {
    if (!namesProvince(k)) continue;
    for (const a of everydayNames(k.name))
      if (!byName.has(nameKey(a)) && !k.aliases.some((b) => nameKey(b) === nameKey(a))) k.aliases = [...k.aliases, a];
  }

  // An alias must not be another comune's name.
  for (const [k, i] of resultAt) {
    k.aliases.forEach((a, j) => {
      const other = byName.get(nameKey(a))?.find((o) => o !== k);
      if (other)
        issues.push({ file: R, path: `comuni[${i}].aliases[${j}]`, message: `"${a}" si confonde con ${other.label}` });
    });
  }
  return known;
}

/** Population past this does not order comuni further (no comune comes near). */
const POPULATION_CAP = 99_999_999;

/**
 * The index's order among equally good matches: by relevance, then the more populous first where the
 * comuni index gives the population (else the index's order stays).
 */
function priority(k: KnownComune): number {
  return relevance(k) * (POPULATION_CAP + 1) - Math.min(k.population ?? 0, POPULATION_CAP);
}

/** Reads and validates every file of the pack; throws DataPackError listing every problem found. */
export async function loadDataPack(dir: string): Promise<DataPack> {
  const issues: PackIssue[] = [];
  const f = PACK_FILES;
  const [e, c, t, r, b] = await Promise.all(
    [f.election, f.comuni, f.turnout, f.results, f.bulletins].map((x) => readJson(dir, x.file, x.required, issues)),
  );
  const election = check(f.election.file, f.election.schema, e, issues);
  const index = check(f.comuni.file, f.comuni.schema, c, issues);
  const turnout = check(f.turnout.file, f.turnout.schema, t, issues) ?? { readings: [] };
  const results = check(f.results.file, f.results.schema, r, issues) ?? { comuni: [] };
  const bulletins = check(f.bulletins.file, f.bulletins.schema, b, issues) ?? { bulletins: [] };
  if (!election || issues.length) throw new DataPackError(issues);

  if (election.runoffDate <= election.firstRoundDate) {
    issues.push({ file: f.election.file, path: "runoffDate", message: "deve seguire firstRoundDate" });
  }
  if (election.pollsClose <= election.pollsOpen) {
    issues.push({ file: f.election.file, path: "pollsClose", message: "deve seguire pollsOpen" });
  }
  const hours = (readings: Turnout["readings"], at: string) =>
    readings.forEach((x, i) => {
      if (x.at < election.pollsOpen || x.at > election.pollsClose) {
        issues.push({
          file: f.turnout.file,
          path: `${at}[${i}].at`,
          message: `fuori dall'orario dei seggi (${election.pollsOpen}–${election.pollsClose})`,
        });
      }
    });
  hours(turnout.readings, "readings");
  if (turnout.runoff) hours(turnout.runoff.readings, "runoff.readings");

  const known = joinComuni(index, results.comuni, election, issues);
  // A homonym answers to its label too: "Castro (BG)", "Castro BG", the newsroom's #Castro_BG.
  const nameIndex = new NameIndex(
    known,
    (k) => [k.name, ...(k.label !== k.name ? [k.label] : []), ...k.aliases],
    priority,
    (k) => k.population,
  );

  const resolved = bulletins.bulletins.map((x, i) =>
    x.comuni.map((n, j) => {
      const hits = nameIndex.exactly(n);
      if (hits.length !== 1) {
        issues.push({
          file: f.bulletins.file,
          path: `bulletins[${i}].comuni[${j}]`,
          message: hits.length
            ? `"${n}" indica più comuni (${hits.map((h) => h.label).join(", ")})`
            : `comune "${n}" sconosciuto`,
        });
      }
      return hits[0] && codeOf(hits[0]);
    }),
  );
  if (issues.length) throw new DataPackError(issues);

  const sorted = bulletins.bulletins
    .map((x, i) => ({ ...x, comuni: [...new Set(resolved[i]!.filter((c) => c !== undefined))] }))
    .sort((a, b2) => Date.parse(a.publishedAt) - Date.parse(b2.publishedAt));
  const byCode = new Map<string, KnownComune>();
  for (const k of known) {
    if (k.istat) byCode.set(k.istat, k);
    if (k.eligendo) byCode.set(k.eligendo, k);
  }
  const order = new Map(results.comuni.map((r2, i) => [r2, i]));
  const search = new PlaceSearch(nameIndex, known);
  return {
    dir,
    election,
    turnout,
    comuni: known.filter(hasResults).sort((a, b2) => order.get(a.results)! - order.get(b2.results)!),
    known,
    ...(index ? { indexSource: index.source } : {}),
    bulletins: sorted,
    index: nameIndex,
    byKey: (key) => byCode.get(key) ?? nameIndex.exactly(key)[0],
    search: (query, max) => search.search(query, max),
    area: (query) => search.area(query),
    nearArea: (query, found) => search.nearArea(query, found),
  };
}
