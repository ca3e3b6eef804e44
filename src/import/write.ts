/**
 * Writing the data pack of an imported election: results.json, checked against the results model's zod
 * schemas before anything is written; an election.json skeleton where the folder has none; and empty
 * turnout.json and bulletins.json where missing, so the folder is a whole pack.
 *
 * Files are written to a temporary name and renamed into place: a bot reading the folder on its
 * schedule never sees half a file. JSON is laid out for a person who edits it: short objects on one line.
 */

import { readFileSync } from "node:fs";
import { access, mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ResultsSchema, type Rules, RulesSchema } from "../data/schema.js";
import type { ImportedComune } from "./build.js";

/** results.json as the data pack reads it, and no comune twice. */
export const ImportedResultsSchema = ResultsSchema.superRefine((r, ctx) => {
  const seen = new Map<string, number>();
  r.comuni.forEach((c, i) => {
    const key = c.istat ?? `${c.name.toLowerCase()}|${c.province}`;
    const before = seen.get(key);
    if (before !== undefined) {
      ctx.addIssue({ code: "custom", path: ["comuni", i], message: `comune ripetuto (già all'indice ${before})` });
    }
    seen.set(key, i);
  });
});

/** The electoral rules of the shipped pack (data/election.json): the same law applies to an imported election. */
export const DEFAULT_RULES: Rules = RulesSchema.parse(
  JSON.parse(readFileSync(fileURLToPath(new URL("../../data/election.json", import.meta.url)), "utf8")).rules,
);

/** The skeleton of election.json for an imported election; only figures the file gives are filled. */
export interface ElectionSkeleton {
  id: string;
  name: string;
  firstRoundDate: string;
  runoffDate: string;
  timezone: "Europe/Rome";
  pollsOpen: string;
  pollsClose: string;
  comuniVoting: number;
  /** The file lists every comune that voted: a comune absent from it did not vote. */
  votingListComplete: true;
  /** Only when the comuni index says which comuni are capoluoghi. */
  capoluoghiVoting?: number;
  /** Electors of the first round, summed; only when every comune has the figure. */
  voters?: number;
  rules: Rules;
}

const MONTHS = [
  "gennaio",
  "febbraio",
  "marzo",
  "aprile",
  "maggio",
  "giugno",
  "luglio",
  "agosto",
  "settembre",
  "ottobre",
  "novembre",
  "dicembre",
];

/** "2017-06-11" → "dell'11 giugno 2017", "2017-06-25" → "del 25 giugno 2017", "2019-09-01" → "del 1º settembre 2019". */
export function italianDayPhrase(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  // The article elides before a vowel sound: "l'8", "l'11" ("otto", "undici"), not "il 1º" ("primo").
  return `${d === 8 || d === 11 ? "dell'" : "del "}${d === 1 ? "1º" : d} ${MONTHS[m - 1]} ${y}`;
}

/** An id from the file's name: "Comunali-20170611.zip" → "comunali-20170611"; the date is added when absent. */
export function electionId(fileName: string, firstRoundDate: string): string {
  const base = path
    .basename(fileName)
    .replace(/\.(zip|txt|csv)$/i, "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  const compact = firstRoundDate.replace(/-/g, "");
  if (!base) return `comunali-${compact}`;
  return base.includes(compact) ? base : `${base}-${compact}`;
}

export interface SkeletonInput {
  fileName: string;
  firstRoundDate: string;
  runoffDate: string;
  comuni: readonly ImportedComune[];
  /** Whether the comuni index carries the capoluogo flag. */
  capoluoghiKnown: boolean;
}

export function electionSkeleton(input: SkeletonInput): ElectionSkeleton {
  const { comuni } = input;
  const electors = comuni.map((c) => c.firstRound.electors);
  const allElectors = electors.every((e) => e !== undefined);
  return {
    id: electionId(input.fileName, input.firstRoundDate),
    name: `Elezioni comunali ${italianDayPhrase(input.firstRoundDate)}`,
    firstRoundDate: input.firstRoundDate,
    runoffDate: input.runoffDate,
    timezone: "Europe/Rome",
    pollsOpen: "07:00",
    pollsClose: "23:00",
    comuniVoting: comuni.length,
    votingListComplete: true,
    ...(input.capoluoghiKnown ? { capoluoghiVoting: comuni.filter((c) => c.capoluogo).length } : {}),
    ...(allElectors && comuni.length ? { voters: electors.reduce<number>((s, e) => s + e!, 0) } : {}),
    rules: DEFAULT_RULES,
  };
}

/**
 * JSON for people: an object or array that fits in the line is written on it (`{ "name": "LEGA", "votes": 275 }`),
 * larger ones are opened one member per line.
 */
export function readableJson(value: unknown, width = 120): string {
  const inline = (v: unknown): string => {
    if (Array.isArray(v)) return v.length ? `[${v.map(inline).join(", ")}]` : "[]";
    if (v && typeof v === "object") {
      const members = Object.entries(v).filter(([, x]) => x !== undefined);
      return members.length ? `{ ${members.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(", ")} }` : "{}";
    }
    return JSON.stringify(v);
  };
  const block = (v: unknown, indent: string, prefix: number): string => {
    const one = inline(v);
    if (indent.length + prefix + one.length <= width || !v || typeof v !== "object") return one;
    const inner = `${indent}  `;
    if (Array.isArray(v)) return `[\n${v.map((x) => inner + block(x, inner, 0)).join(",\n")}\n${indent}]`;
    const members = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{\n${members
      .map(([k, x]) => {
        const key = `${JSON.stringify(k)}: `;
        return inner + key + block(x, inner, key.length);
      })
      .join(",\n")}\n${indent}}`;
  };
  return `${block(value, "", 0)}\n`;
}

/** The results do not fit the model: one line per problem. Nothing has been written. */
export class InvalidResultsError extends Error {
  constructor(readonly issues: string[]) {
    super(`risultati non validi, nulla è stato scritto:\n${issues.join("\n")}`);
    this.name = "InvalidResultsError";
  }
}

/** Validates the comuni against the model; throws InvalidResultsError listing every problem. */
export function validateResults(comuni: readonly ImportedComune[]): { comuni: ImportedComune[] } {
  const r = ImportedResultsSchema.safeParse({ comuni });
  if (r.success) return r.data as { comuni: ImportedComune[] };
  throw new InvalidResultsError(
    r.error.issues.map((i) => {
      const p = i.path.reduce<string>(
        (acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
        "",
      );
      const at = typeof i.path[1] === "number" ? ` (${comuni[i.path[1]]?.name ?? "?"})` : "";
      return `results.json: ${p}${at}: ${i.message}`;
    }),
  );
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, "utf8");
  await rename(tmp, file);
}

export interface WriteReport {
  /** Files written, by name, with whether each was new. */
  written: { file: string; created: boolean }[];
  /** Files left as they were. */
  kept: string[];
}

/**
 * Writes the pack into `dir` (created if needed): results.json always (after validation), the other files
 * only where the folder has none — an election.json edited by hand is never overwritten.
 */
export async function writePack(
  dir: string,
  comuni: readonly ImportedComune[],
  skeleton: ElectionSkeleton,
): Promise<WriteReport> {
  const results = validateResults(comuni);
  await mkdir(dir, { recursive: true });
  const report: WriteReport = { written: [], kept: [] };
  const resultsFile = path.join(dir, "results.json");
  const hadResults = await exists(resultsFile);
  await writeAtomic(resultsFile, readableJson(results));
  report.written.push({ file: "results.json", created: !hadResults });
  const optional: [string, unknown][] = [
    ["election.json", skeleton],
    ["turnout.json", { readings: [] }],
    ["bulletins.json", { bulletins: [] }],
  ];
  for (const [name, value] of optional) {
    const file = path.join(dir, name);
    if (await exists(file)) {
      report.kept.push(name);
    } else {
      await writeAtomic(file, readableJson(value));
      report.written.push({ file: name, created: true });
    }
  }
  return report;
}
