/**
 * The comuni the pack knows — every comune of the index, with its results where the pack has them — and
 * what /citta understands besides a comune's name: a region or a province ("Liguria", "provincia di
 * Genova") gives its comuni with results, a candidate's surname ("Bucci") the comune they ran in.
 */

import type { AnomalyCode } from "./anomaly-types.js";
import { editDistance, type NameIndex, nameKey } from "./lookup.js";
import { asComuneCode, type ComuneCode, type ComuneResults } from "./model.js";

/** A comune the pack knows: its identity, and its results where the pack has them. */
export interface KnownComune {
  name: string;
  /** Province sigla, "GE". */
  province: string;
  /** "Genova"; absent for a comune known only from its results (a pack without comuni.json). */
  provinceName?: string;
  region: string;
  istat?: string;
  /** The Ministry's code RRPPPCCCC (see model.ts). */
  eligendo?: string;
  /** Legal population at the last census, where the comuni index gives it. */
  population?: number;
  capoluogo: boolean;
  aliases: string[];
  /** The name to show where another comune has the same one: "Castro (LE)". */
  label: string;
  /** On the pack's list of comuni voting: it has results, or election.json lists it. */
  voting: boolean;
  results?: ComuneResults;
  /** Where the results come from the Ministry's live feed: how fresh and how trustworthy they are now. */
  live?: LiveStatus;
}

/** What the live feed says about a comune's figures beyond the figures (src/feed/live.ts). */
export interface LiveStatus {
  /** The round shown as current: the runoff once it has figures. */
  round: "first" | "runoff";
  /**
   * The anomaly gate holds the comune's newest figures: its automatic bulletins wait, and the results
   * shown are its last good figures (none, when it has been held since its first answer), with
   * "nuovi dati in verifica dalle …".
   */
  held: boolean;
  /** While held: when the hold began (ISO). */
  heldSince?: string;
  /** While held: what is being checked (the codes of the anomalies that hold it, without their figures). */
  checking?: AnomalyCode[];
  /** Hold anomalies are present, but the newsroom let the bulletins go. */
  released: boolean;
  /** When the figures of that round last changed (ISO), for "dati fermi dalle". */
  changedAt?: string;
  /** Sections are still being counted. */
  countingOpen: boolean;
  /** After how many minutes without a change the card says "dati fermi". */
  staleMinutes: number;
}

export type ResultComune = KnownComune & { results: ComuneResults };

/**
 * The code a comune is kept by (see ComuneCode): its ISTAT code, else the Ministry's (a comune of the
 * feed the index lacks), else, in a pack without a comuni index, its name's key.
 */
export function codeOf(c: Pick<KnownComune, "istat" | "eligendo" | "name">): ComuneCode {
  return asComuneCode(c.istat ?? c.eligendo ?? nameKey(c.name));
}

export function hasResults(c: KnownComune): c is ResultComune {
  return c.results !== undefined;
}

/**
 * Whether the comune gives its province its name (Roma, Genova; Pesaro and Urbino of "Pesaro e
 * Urbino", Barletta, Andria and Trani): 109 of the 110 capoluoghi of 2017 (not Aosta, Verbania,
 * Carbonia). For comuni without results the index does not say which are capoluoghi, nor how many
 * people live there; this is the sign of a large comune it does hold.
 */
export function namesProvince(c: Pick<KnownComune, "name" | "provinceName">): boolean {
  if (!c.provinceName) return false;
  const key = nameKey(c.name);
  return [c.provinceName, ...c.provinceName.split(/\s*[-/]\s*|\s+e\s+(?:della\s+)?/)].some((p) => nameKey(p) === key);
}

/**
 * How relevant a comune is when names tie (equally close suggestions, a prefix many share, homonyms),
 * lower first: a capoluogo with results, another capoluogo (its province's namesake), a comune with
 * results, one on the list of those voting, then the rest. Equally close suggestions are ranked by
 * population where the index gives it (lookup.ts); this orders the rest.
 */
export function relevance(c: KnownComune): number {
  if (c.results) return c.capoluogo ? 0 : 2;
  if (namesProvince(c)) return 1;
  return c.voting ? 3 : 4;
}

/** Capoluoghi first, then by name: the order of every list of comuni the bot shows. */
export function byRelevance(a: KnownComune, b: KnownComune): number {
  return (
    Number(b.capoluogo) - Number(a.capoluogo) ||
    a.name.localeCompare(b.name, "it") ||
    a.province.localeCompare(b.province)
  );
}

export interface Area {
  kind: "region" | "province";
  /** As the index writes it: "Liguria", "Monza e della Brianza". */
  name: string;
  /** Every known comune in it. */
  comuni: KnownComune[];
}

export type SearchResult =
  | { kind: "comune"; comune: KnownComune; exact: boolean }
  /** A region or province: its comuni with results, most relevant first. */
  | { kind: "area"; area: Area; withResults: ResultComune[] }
  /** A candidate's name: the comuni where someone of that name ran. */
  | { kind: "candidate"; matches: { comune: ResultComune; candidate: string }[] }
  | { kind: "ambiguous"; suggestions: KnownComune[] }
  | { kind: "not-found"; suggestions: KnownComune[] };

/** "provincia di Genova", "prov. Genova", "città metropolitana di Genova" → the province named. */
const PROVINCE_WORDS =
  /^(provincia|prov\.?|citta metropolitana|città metropolitana)\s+(di|del|della|dell'|dell’|dei|degli)?\s*/i;
/** "regione Liguria" → the region. */
const REGION_WORDS = /^regione\s+/i;

/** Linking words people leave out of an official name: "Reggio nell'Emilia" is said "Reggio Emilia". */
const LINKING_WORDS = /\s+(?:(?:dell|nell)['’]\s*|(?:di|del|della|dello|dei|degli|nel|nella|nello)\s+)/gi;

/**
 * The everyday spellings of an official name, derived from it: without its linking words ("Reggio
 * nell'Emilia" → "Reggio Emilia", "Monza e della Brianza" → "Monza e Brianza"), and for a name joined
 * by "e" also without it ("Pesaro e Urbino" is typed "Pesaro-Urbino"). Not the name itself.
 */
export function everydayNames(name: string): string[] {
  const out = new Set<string>();
  const short = name.replace(LINKING_WORDS, " ").trim();
  if (short !== name) out.add(short);
  for (const n of [name, short]) if (/\s+e\s+/.test(n)) out.add(n.replace(/\s+e\s+/g, " "));
  return [...out];
}

/**
 * The spellings an area answers to: "Trentino-Alto Adige/Südtirol" also as "Trentino-Alto Adige",
 * "Südtirol", and each part of a joined name ("Trentino", "Alto Adige"; "Friuli"); "Reggio nell'Emilia"
 * also as "Reggio Emilia" (see everydayNames). A comune's exact name still wins over these (see search).
 */
export function areaNames(name: string): string[] {
  const parts = name.split("/").map((s) => s.trim());
  const joined = parts.flatMap((p) => (p.includes("-") ? p.split("-").map((s) => s.trim()) : []));
  return [...new Set([name, ...parts, ...parts.flatMap(everydayNames), ...joined])].filter(Boolean);
}

/** The keys a candidate answers to: the full name and every tail of it ("Cuttica di Revigliasco", "Revigliasco"). */
export function candidateKeys(name: string): string[] {
  // "Gianni (Giovanni) Crivello": with the name in brackets, and without it.
  const variants = [name.replace(/[()]/g, " "), name.replace(/\([^)]*\)/g, " ")];
  const keys = new Set<string>();
  for (const v of variants) {
    const words = v.split(/\s+/).filter(Boolean);
    keys.add(nameKey(words.join("")));
    for (let i = 1; i < words.length; i++) keys.add(nameKey(words.slice(i).join("")));
  }
  keys.delete("");
  return [...keys];
}

/** Searching the known comuni by name, area or candidate. Built once per pack. */
export class PlaceSearch {
  private readonly regions = new Map<string, Area>();
  private readonly provinces = new Map<string, Area>();
  private readonly candidates = new Map<string, { comune: ResultComune; candidate: string }[]>();
  /** Each area's comuni with results, sorted once: Lombardia alone has 1,523 comuni. */
  private readonly withResults = new Map<Area, ResultComune[]>();

  constructor(
    private readonly index: NameIndex<KnownComune>,
    known: readonly KnownComune[],
  ) {
    const add = (map: Map<string, Area>, kind: Area["kind"], name: string, c: KnownComune) => {
      const keys = areaNames(name).map(nameKey);
      const area = map.get(keys[0]!) ?? { kind, name, comuni: [] };
      area.comuni.push(c);
      for (const k of keys) if (k) map.set(k, area);
    };
    for (const c of known) {
      add(this.regions, "region", c.region, c);
      if (c.provinceName) add(this.provinces, "province", c.provinceName, c);
      if (!hasResults(c)) continue;
      const names = new Set(
        [...c.results.firstRound.candidates, ...(c.results.runoff?.candidates ?? [])].map((k) => k.name),
      );
      for (const candidate of names) {
        for (const k of candidateKeys(candidate)) {
          const list = this.candidates.get(k) ?? [];
          if (!list.some((m) => m.comune === c)) list.push({ comune: c, candidate });
          this.candidates.set(k, list);
        }
      }
    }
    for (const area of [...this.regions.values(), ...this.provinces.values()])
      if (!this.withResults.has(area)) this.withResults.set(area, area.comuni.filter(hasResults).sort(byRelevance));
  }

  /** The region or province so named, if any. */
  area(query: string): Area | undefined {
    const q = query.trim();
    if (PROVINCE_WORDS.test(q)) return this.provinces.get(nameKey(q.replace(PROVINCE_WORDS, "")));
    if (REGION_WORDS.test(q)) return this.regions.get(nameKey(q.replace(REGION_WORDS, "")));
    const k = nameKey(q);
    return this.regions.get(k) ?? this.provinces.get(k);
  }

  /**
   * The region or province one edit from the query ("Ligura"), if it is not exactly one and not named
   * like the comune `found` ("Genvoa" is a typo of the comune Genova as much as of its province).
   */
  nearArea(query: string, found?: Pick<KnownComune, "name">): Area | undefined {
    const q = nameKey(query.replace(PROVINCE_WORDS, "").replace(REGION_WORDS, ""));
    if (q.length < 5) return undefined;
    const own = found && nameKey(found.name);
    for (const map of [this.regions, this.provinces])
      for (const [k, area] of map)
        if (Math.abs(k.length - q.length) <= 1 && editDistance(q, k, 1) <= 1 && k !== own) return area;
    return undefined;
  }

  /**
   * A comune's exact name wins (Genova is a comune before a province; but "Sesto" asks when larger
   * comuni's names begin with it, see NameIndex.lookup); then a region or province, then a candidate's
   * name; then the forgiving match of comune names (prefixes, typos), which is only offered, never
   * answered, when the query is one edit from a region's or province's name ("Ligura" is not Lauria).
   */
  search(query: string, maxSuggestions = 3): SearchResult {
    const exact = this.index.exactly(query);
    if (exact.length === 1) {
      const r = this.index.lookup(query, maxSuggestions);
      if (r.kind === "ambiguous") return r;
      return { kind: "comune", comune: exact[0]!, exact: true };
    }
    if (exact.length > 1) return { kind: "ambiguous", suggestions: [...exact] };
    const area = this.area(query);
    if (area) return { kind: "area", area, withResults: [...(this.withResults.get(area) ?? [])] };
    const matches = this.candidates.get(nameKey(query));
    if (matches) return { kind: "candidate", matches: [...matches].sort((a, b) => byRelevance(a.comune, b.comune)) };
    const r = this.index.lookup(query, maxSuggestions);
    if (r.kind === "found" && !r.exact && this.nearArea(query, r.item))
      return { kind: "not-found", suggestions: [r.item] };
    return r.kind === "found" ? { kind: "comune", comune: r.item, exact: r.exact } : r;
  }
}
