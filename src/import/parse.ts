/**
 * Parsing one of the Ministry's open-data texts into typed rows: `;`-separated, strings in double quotes,
 * numbers written like `2690,00`, one row per comune × mayoral candidate × list.
 *
 * The header is sniffed: its names vary by year (`ELETTORI`/`ELETTORITOT`, `VOTI_CANDIDATO`/`VOTICAND`,
 * `LISTA`/`DESCRLISTA`, in capitals or not), and some comunali files have no header at all but 16 fixed
 * columns. A row that cannot be read is reported with its line number and the reason, never guessed at.
 */
import type { SourceText } from "./read.js";

/** The fields the importer reads; every other column is ignored. */
export type Field =
  | "date"
  | "round"
  | "region"
  | "province"
  | "comune"
  | "electors"
  | "voters"
  | "blank"
  | "invalid"
  | "contested"
  | "surname"
  | "firstName"
  | "candidateVotes"
  | "list"
  | "listVotes"
  | "listSeats"
  | "elected";

/**
 * Header names of each field, as folded by `headerKey` (capitals, letters and digits only), in the variants
 * the Ministry's files of different years use.
 */
export const HEADER_NAMES: Readonly<Record<Field, readonly string[]>> = {
  date: ["DATAELEZIONE"],
  round: ["TURNO"],
  region: ["REGIONE", "DESCREGIONE"],
  province: ["PROVINCIA", "DESCPROVINCIA"],
  comune: ["COMUNE", "DESCCOMUNE"],
  electors: ["ELETTORI", "ELETTORITOT", "ELETTORITOTALI", "NUMELETTORITOTALI"],
  voters: ["VOTANTI", "VOTANTITOT", "VOTANTITOTALI", "NUMVOTANTITOTALI"],
  blank: ["SCHEDEBIANCHE", "SKBIANCHE", "NUMSCHEDEBIANCHE"],
  invalid: ["SCHEDENULLE", "SKNULLE", "SCHEDENONVALIDE"],
  contested: ["SCHEDECONTESTATE", "SKCONTESTATE"],
  surname: ["COGNOME"],
  firstName: ["NOME"],
  candidateVotes: ["VOTICANDIDATO", "VOTICAND", "VOTICANDIDSINDACO", "VOTISINDACO"],
  list: ["LISTA", "DESCRLISTA", "DESCRIZIONELISTA"],
  listVotes: ["VOTILISTA"],
  listSeats: ["SEGGILISTA", "SEGGI"],
  elected: ["CODTIPOELETTO", "ELETTO"],
};

/** The fields a row cannot do without. */
const REQUIRED: readonly Field[] = ["comune", "surname", "candidateVotes"];

/**
 * The header-less comunali layout: region, province, comune, electors, voters, blank ballots, list,
 * list votes, list seats, surname, name, birth date, birthplace, sex, elected code, candidate votes.
 */
export const HEADERLESS_COLUMNS: readonly (Field | undefined)[] = [
  "region",
  "province",
  "comune",
  "electors",
  "voters",
  "blank",
  "list",
  "listVotes",
  "listSeats",
  "surname",
  "firstName",
  undefined, // birth date
  undefined, // birthplace
  undefined, // sex
  "elected",
  "candidateVotes",
];

/** One readable row, its values typed. Strings are trimmed with inner spaces collapsed; absent ones are undefined. */
export interface SourceRow {
  /** The file it came from (SourceText.label) and its line there, from 1. */
  source: string;
  line: number;
  round: 1 | 2;
  /** DATAELEZIONE as an ISO date, where the file has it. */
  date?: string;
  region?: string;
  province?: string;
  comune: string;
  electors?: number;
  voters?: number;
  blank?: number;
  invalid?: number;
  contested?: number;
  surname: string;
  firstName?: string;
  candidateVotes: number;
  list?: string;
  listVotes?: number;
  listSeats?: number;
  /** CODTIPOELETTO as written ("S" for the elected mayor). */
  elected?: string;
}

/** A row (or a file, without line) that could not be used, and why, in Italian. */
export interface RowProblem {
  source: string;
  line?: number;
  reason: string;
}

export interface ParsedTable {
  source: string;
  layout: "header" | "16-columns";
  /** Names of the columns recognised, as the file writes them (for the header layout). */
  recognised: string[];
  rows: SourceRow[];
  problems: RowProblem[];
  /** Non-empty lines after the header: rows read plus rows refused. */
  dataLines: number;
}

/** The text as a whole cannot be read (empty, or neither layout); the message says why. */
export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParseError";
  }
}

/** "Voti_Candidato" → "VOTICANDIDATO": how header names are compared. */
export function headerKey(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "");
}

const FIELD_BY_KEY = new Map<string, Field>(
  (Object.entries(HEADER_NAMES) as [Field, readonly string[]][]).flatMap(([f, names]) => names.map((n) => [n, f])),
);

/** Splits a `;`-separated line; double quotes enclose a value, `""` inside them is a quote. */
export function splitLine(line: string): string[] | { error: string } {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === " " || line[i] === "\t") i++;
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return { error: "virgolette non chiuse" };
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      while (line[i] === " " || line[i] === "\t") i++;
      if (i < line.length && line[i] !== ";") return { error: "testo dopo le virgolette di chiusura" };
      out.push(value);
    } else {
      const sep = line.indexOf(";", i);
      out.push(line.slice(i, sep < 0 ? line.length : sep));
      i = sep < 0 ? line.length : sep;
    }
    if (i >= line.length) return out;
    i++; // past the ";"
    if (i === line.length) {
      out.push("");
      return out;
    }
  }
}

/** Written for "no figure" in some of the Ministry's files. */
const MISSING = new Set(["", "-", "***", "N.D.", "ND", "N.D"]);

/**
 * "2690,00" → 2690, "1.234" → 1234, "" → undefined. A count is a whole non-negative number: "12,50" or
 * "abc" is an error (returned as a string), never rounded or skipped silently.
 */
export function parseCount(raw: string): number | undefined | { error: string } {
  const s = raw.trim();
  if (MISSING.has(s.toUpperCase())) return undefined;
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/.exec(s);
  if (!m) return { error: "non è un numero" };
  if (m[2] && /[1-9]/.test(m[2])) return { error: "non è un numero intero" };
  const n = Number(m[1]!.replace(/\./g, ""));
  if (!Number.isSafeInteger(n)) return { error: "fuori scala" };
  return n;
}

/** "11/06/2017", "2017-06-11", "20170611" (a time after it is ignored) → "2017-06-11"; an impossible date is an error. */
export function parseDate(raw: string): string | undefined | { error: string } {
  const s = raw.trim();
  if (!s) return undefined;
  const m =
    /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T].*)?$/.exec(s)?.slice(1).reverse() ??
    /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(s)?.slice(1) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(s)?.slice(1);
  if (!m) return { error: "non è una data" };
  const [y, mo, d] = m.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return { error: "non è una data esistente" };
  }
  return date.toISOString().slice(0, 10);
}

/** Trims and collapses inner whitespace; empty becomes undefined. */
function text(raw: string | undefined): string | undefined {
  const s = raw?.replace(/\s+/g, " ").trim();
  return s ? s : undefined;
}

/** How a file without a TURNO column says it is the runoff: "Scrutini Secondo Turno.txt", "…ballottaggi…". */
export function roundFromFileName(fileName: string): 1 | 2 {
  return /second[oa]?[\s_-]*turno|ballottagg|(^|[^a-z0-9])2[\s_-]?(turno|t)([^a-z0-9]|$)/i.test(fileName) ? 2 : 1;
}

const LABELS: Record<Field, string> = {
  date: "data dell'elezione",
  round: "turno",
  region: "regione",
  province: "provincia",
  comune: "comune",
  electors: "elettori",
  voters: "votanti",
  blank: "schede bianche",
  invalid: "schede nulle",
  contested: "schede contestate",
  surname: "cognome",
  firstName: "nome",
  candidateVotes: "voti del candidato",
  list: "lista",
  listVotes: "voti di lista",
  listSeats: "seggi di lista",
  elected: "codice eletto",
};

const COUNT_FIELDS = [
  "electors",
  "voters",
  "blank",
  "invalid",
  "contested",
  "candidateVotes",
  "listVotes",
  "listSeats",
] as const;

/** Short quote of a value for a message: «abc». */
function quote(s: string): string {
  return `«${s.length > 40 ? `${s.slice(0, 40)}…` : s}»`;
}

/**
 * Reads one text: sniffs the layout, then every line. Unreadable lines go to `problems` with their line
 * number; the text as a whole throws ParseError only when it is empty or in neither layout.
 */
export function parseTable(src: SourceText): ParsedTable {
  const lines = src.text.split(/\r\n|\n|\r/);
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0) throw new ParseError("il file è vuoto");

  const head = splitLine(lines[first]!);
  if (!Array.isArray(head)) throw new ParseError(`riga ${first + 1}: ${head.error}`);
  const headKeys = head.map(headerKey);
  const known = headKeys.filter((k) => FIELD_BY_KEY.has(k));
  let columns: (Field | undefined)[];
  let layout: ParsedTable["layout"];
  let recognised: string[] = [];
  let start: number;
  if (known.length >= 3 && headKeys.some((k) => FIELD_BY_KEY.get(k) === "comune")) {
    layout = "header";
    const seen = new Set<Field>();
    columns = headKeys.map((k, i) => {
      const f = FIELD_BY_KEY.get(k);
      // A second column for a field already read (LISTA and DESCRLISTA both) is left aside: the first wins.
      if (!f || seen.has(f)) return undefined;
      seen.add(f);
      recognised.push(head[i]!.trim());
      return f;
    });
    const missing = REQUIRED.filter((f) => !seen.has(f));
    if (missing.length) {
      throw new ParseError(
        `l'intestazione (riga ${first + 1}) non ha le colonne ${missing.map((f) => `${HEADER_NAMES[f][0]} (${LABELS[f]})`).join(", ")}: non è un file dei risultati dei sindaci`,
      );
    }
    start = first + 1;
  } else if (
    (head.length === 16 || (head.length === 17 && head[16]!.trim() === "")) &&
    typeof parseCount(head[3]!) === "number"
  ) {
    layout = "16-columns";
    columns = [...HEADERLESS_COLUMNS];
    recognised = [];
    start = first;
  } else {
    throw new ParseError(
      `riga ${first + 1}: né un'intestazione riconosciuta (COMUNE, COGNOME, VOTI_CANDIDATO…) né le 16 colonne del formato senza intestazione (ne ha ${head.length})`,
    );
  }

  const width = columns.length;
  const fileRound = roundFromFileName(src.fileName);
  const rows: SourceRow[] = [];
  const problems: RowProblem[] = [];
  let dataLines = 0;
  for (let n = start; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === "") continue;
    dataLines++;
    const refuse = (reason: string) => problems.push({ source: src.label, line: n + 1, reason });
    const values = splitLine(line);
    if (!Array.isArray(values)) {
      refuse(values.error);
      continue;
    }
    // A trailing ";" adds one empty value: tolerated.
    if (values.length === width + 1 && values[width]!.trim() === "") values.pop();
    if (values.length !== width) {
      refuse(`${values.length} campi invece di ${width}`);
      continue;
    }
    const raw: Partial<Record<Field, string>> = {};
    columns.forEach((f, i) => {
      if (f) raw[f] = values[i];
    });

    const reasons: string[] = [];
    const counts: Partial<Record<(typeof COUNT_FIELDS)[number], number>> = {};
    for (const f of COUNT_FIELDS) {
      if (raw[f] === undefined) continue;
      const v = parseCount(raw[f]!);
      if (typeof v === "object") reasons.push(`${LABELS[f]} ${quote(raw[f]!.trim())}: ${v.error}`);
      else if (v !== undefined) counts[f] = v;
    }
    let round: 1 | 2 = fileRound;
    if (raw.round !== undefined && raw.round.trim() !== "") {
      const r = parseCount(raw.round);
      if (r === 1 || r === 2) round = r;
      else reasons.push(`turno ${quote(raw.round.trim())} sconosciuto (1 o 2)`);
    }
    let date: string | undefined;
    if (raw.date !== undefined) {
      const d = parseDate(raw.date);
      if (typeof d === "object") reasons.push(`data dell'elezione ${quote(raw.date.trim())}: ${d.error}`);
      else date = d;
    }
    const comune = text(raw.comune);
    const surname = text(raw.surname);
    if (!comune) reasons.push("manca il comune");
    if (!surname) reasons.push("manca il cognome del candidato");
    if (counts.candidateVotes === undefined && !reasons.some((r) => r.startsWith(LABELS.candidateVotes))) {
      reasons.push("mancano i voti del candidato");
    }
    if (reasons.length) {
      refuse(reasons.join("; "));
      continue;
    }
    const row: SourceRow = {
      source: src.label,
      line: n + 1,
      round,
      comune: comune!,
      surname: surname!,
      candidateVotes: counts.candidateVotes!,
    };
    const optional = {
      date,
      region: text(raw.region),
      province: text(raw.province),
      firstName: text(raw.firstName),
      list: text(raw.list),
      elected: text(raw.elected)?.toUpperCase(),
      electors: counts.electors,
      voters: counts.voters,
      blank: counts.blank,
      invalid: counts.invalid,
      contested: counts.contested,
      listVotes: counts.listVotes,
      listSeats: counts.listSeats,
    };
    // Absent values stay absent (no `key: undefined`), so rows compare and serialise cleanly.
    Object.assign(row, Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)));
    rows.push(row);
  }
  return { source: src.label, layout, recognised, rows, problems, dataLines };
}
