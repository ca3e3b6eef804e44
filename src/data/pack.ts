/** Loading and validating a data pack: election.json, turnout.json, results.json, bulletins.json. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { NameIndex, nameKey } from "./lookup.js";
import { type Bulletin, type Comune, type Election, PACK_FILES, type Turnout } from "./schema.js";

export interface DataPack {
  dir: string;
  election: Election;
  turnout: Turnout;
  comuni: Comune[];
  /** Oldest first. */
  bulletins: Bulletin[];
  index: NameIndex<Comune>;
  /** The comune whose name or alias folds to this key. */
  byKey(key: string): Comune | undefined;
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

/** "comuni[2].candidates[0].percent" from zod's path. */
function formatPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>(
    (acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    "",
  );
}

async function readJson(dir: string, file: string, issues: PackIssue[]): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.join(dir, file), "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
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

/** Reads and validates every file of the pack; throws DataPackError listing every problem found. */
export async function loadDataPack(dir: string): Promise<DataPack> {
  const issues: PackIssue[] = [];
  const f = PACK_FILES;
  const [e, t, r, b] = await Promise.all([
    readJson(dir, f.election.file, issues),
    readJson(dir, f.turnout.file, issues),
    readJson(dir, f.results.file, issues),
    readJson(dir, f.bulletins.file, issues),
  ]);
  const election = check(f.election.file, f.election.schema, e, issues);
  const turnout = check(f.turnout.file, f.turnout.schema, t, issues);
  const results = check(f.results.file, f.results.schema, r, issues);
  const bulletins = check(f.bulletins.file, f.bulletins.schema, b, issues);
  if (!election || !turnout || !results || !bulletins) throw new DataPackError(issues);

  if (election.runoffDate <= election.firstRoundDate) {
    issues.push({ file: f.election.file, path: "runoffDate", message: "deve seguire firstRoundDate" });
  }
  if (election.pollsClose <= election.pollsOpen) {
    issues.push({ file: f.election.file, path: "pollsClose", message: "deve seguire pollsOpen" });
  }
  turnout.readings.forEach((x, i) => {
    if (x.at < election.pollsOpen || x.at > election.pollsClose) {
      issues.push({
        file: f.turnout.file,
        path: `readings[${i}].at`,
        message: `fuori dall'orario dei seggi (${election.pollsOpen}–${election.pollsClose})`,
      });
    }
  });
  const keys = new Map<string, Comune>();
  results.comuni.forEach((c, i) => {
    for (const [j, n] of [c.name, ...c.aliases].entries()) {
      const k = nameKey(n);
      const other = keys.get(k);
      if (other && other !== c) {
        issues.push({
          file: f.results.file,
          path: j === 0 ? `comuni[${i}].name` : `comuni[${i}].aliases[${j - 1}]`,
          message: `"${n}" si confonde con ${other.name}`,
        });
      }
      keys.set(k, c);
    }
  });
  bulletins.bulletins.forEach((x, i) => {
    x.comuni.forEach((n, j) => {
      if (!keys.has(nameKey(n)))
        issues.push({
          file: f.bulletins.file,
          path: `bulletins[${i}].comuni[${j}]`,
          message: `comune "${n}" assente da ${f.results.file}`,
        });
    });
  });
  if (issues.length) throw new DataPackError(issues);

  const sorted = bulletins.bulletins
    .map((x) => ({ ...x, comuni: [...new Set(x.comuni.map((n) => keys.get(nameKey(n))!.name))] }))
    .sort((a, b2) => Date.parse(a.publishedAt) - Date.parse(b2.publishedAt));
  return {
    dir,
    election,
    turnout,
    comuni: results.comuni,
    bulletins: sorted,
    index: new NameIndex(results.comuni, (c) => [c.name, ...c.aliases]),
    byKey: (key) => keys.get(key),
  };
}
