/**
 * `npm run import -- <file.zip|file.txt> --out <dir>`: turns one of the Ministry's open-data files of a
 * comunali election into a data pack. Reports every row it cannot read with its line and the reason;
 * fails (exit 1) when nothing is readable, and writes nothing then.
 */
import { access } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Provenance } from "../data/model.js";
import { formatInteger } from "../format/italian.js";
import { BuildError, buildResults } from "./build.js";
import { type ComuneEntry, ComuniIndex, loadComuniIndex } from "./identity.js";
import { ParseError, parseDate, parseTable, type RowProblem, type SourceRow } from "./parse.js";
import { PROVINCES } from "./provinces.js";
import { ReadError, readSource } from "./read.js";
import { electionSkeleton, InvalidResultsError, writePack } from "./write.js";

/** Where the importer looks for the comuni index when --comuni is not given. */
export const DEFAULT_INDEX = "data/comuni.json";
/** The Ministry's archive of past elections, where these files are published. */
export const ARCHIVE_URL = "https://elezionistorico.interno.gov.it/";

const USAGE = `uso: npm run import -- <file.zip|file.txt> --out <cartella> [opzioni]

  --out <cartella>         dove scrivere il pacchetto dati (creata se manca)
  --comuni <file.json>     indice dei comuni con i codici ISTAT (predefinito: ${DEFAULT_INDEX}, se c'è)
  --date AAAA-MM-GG        data del primo turno (predefinita: DATAELEZIONE del file, o la data nel nome)
  --runoff-date AAAA-MM-GG data del ballottaggio (predefinita: quella del file, o 14 giorni dopo)
  --source-url <url>       pagina da cui viene il file (predefinita: ${ARCHIVE_URL})`;

/** Where the command writes: the summary to `out`, problems and failures to `err`. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: Output = { out: (l) => console.log(l), err: (l) => console.error(l) };

function formatProblem(p: RowProblem): string {
  return `  ${p.source}${p.line !== undefined ? `, riga ${p.line}` : ""}: ${p.reason}`;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function parseCommandLine(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: "string" },
      comuni: { type: "string" },
      date: { type: "string" },
      "runoff-date": { type: "string" },
      "source-url": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/**
 * Which regions the file covers: the Ministry's files leave out the regions that run their own municipal
 * elections (Sicily, Friuli-Venezia Giulia in 2017), and the list of comuni voting is complete only for the rest.
 */
export function regionCoverage(comuni: readonly { region: string }[]): string {
  const all = [...new Set(Object.values(PROVINCES).map(([, region]) => region))];
  const present = new Set(comuni.map((c) => c.region));
  const inFile = all.filter((r) => present.has(r)).sort((a, b) => a.localeCompare(b, "it"));
  const missing = all.filter((r) => !present.has(r)).sort((a, b) => a.localeCompare(b, "it"));
  let detail = inFile.join(", ");
  if (inFile.length > all.length / 2) detail = missing.length ? `mancano: ${missing.join(", ")}` : "";
  return `regioni nel file: ${inFile.length} di ${all.length}${detail ? ` (${detail})` : ""}`;
}

/**
 * Runs the import with command-line arguments; returns the exit code (0 done, 1 failed, 2 wrong usage).
 * `defaultIndex` is where the comuni index is looked for without --comuni.
 */
export async function runImport(
  argv: readonly string[],
  io: Output = consoleOutput,
  defaultIndex = DEFAULT_INDEX,
): Promise<number> {
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine(argv);
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !values.out) {
    io.err(`${positionals.length > 1 ? "un solo file per volta" : "servono il file e --out"}\n\n${USAGE}`);
    return 2;
  }
  const file = positionals[0]!;
  const dates: Record<string, string | undefined> = {};
  for (const flag of ["date", "runoff-date"] as const) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const d = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? parseDate(raw) : undefined;
    if (typeof d !== "string") {
      io.err(`--${flag} ${raw}: serve una data esistente AAAA-MM-GG`);
      return 2;
    }
    dates[flag] = d;
  }
  let sourceUrl = ARCHIVE_URL;
  if (values["source-url"] !== undefined) {
    if (!URL.canParse(values["source-url"])) {
      io.err(`--source-url ${values["source-url"]}: non è un indirizzo`);
      return 2;
    }
    sourceUrl = values["source-url"];
  }

  let entries: ComuneEntry[] = [];
  const indexFile = values.comuni ?? ((await exists(defaultIndex)) ? defaultIndex : undefined);
  if (indexFile) {
    try {
      entries = await loadComuniIndex(indexFile);
    } catch (err) {
      io.err((err as Error).message);
      return 1;
    }
  }
  const index = new ComuniIndex(entries);

  let read: Awaited<ReturnType<typeof readSource>>;
  try {
    read = await readSource(file);
  } catch (err) {
    if (err instanceof ReadError) {
      io.err(`importazione fallita: ${err.message}`);
      return 1;
    }
    throw err;
  }

  const problems: RowProblem[] = [];
  const rows: SourceRow[] = [];
  const lines: string[] = [];
  for (const s of read.skipped) lines.push(`${s.label}: ignorato (${s.reason})`);
  for (const text of read.texts) {
    try {
      const t = parseTable(text);
      rows.push(...t.rows);
      problems.push(...t.problems);
      const layout = t.layout === "header" ? "con intestazione" : "senza intestazione, 16 colonne";
      lines.push(
        `${t.source}: ${text.encoding}, ${layout}; ${formatInteger(t.rows.length)} righe lette su ${formatInteger(t.dataLines)}`,
      );
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      problems.push({ source: text.label, reason: err.message });
      lines.push(`${text.label}: ${text.encoding}, illeggibile`);
    }
  }
  const reportProblems = () => {
    if (!problems.length) return;
    io.err(`${formatInteger(problems.length)} ${problems.length === 1 ? "problema" : "problemi"}:`);
    for (const p of problems) io.err(formatProblem(p));
  };
  for (const l of lines) io.out(l);

  if (!rows.length) {
    reportProblems();
    io.err(`importazione fallita: nessuna riga leggibile in ${path.basename(file)}; nulla è stato scritto`);
    return 1;
  }

  const fileDate = /(\d{8})/.exec(path.basename(file))?.[1];
  const provenance: Provenance = {
    source: "Ministero dell'Interno",
    urls: [sourceUrl],
    status: "final",
    note: `archivio storico delle elezioni, file ${path.basename(file)}`,
  };
  let built: ReturnType<typeof buildResults>;
  try {
    built = buildResults(rows, {
      index,
      firstRoundDate: dates.date,
      runoffDate: dates["runoff-date"],
      fileDate: fileDate ? (parseDate(fileDate) as string | undefined) : undefined,
      provenance,
    });
  } catch (err) {
    if (!(err instanceof BuildError)) throw err;
    reportProblems();
    io.err(`importazione fallita: ${err.message}`);
    return 1;
  }
  problems.push(...built.problems);
  const { comuni } = built;
  if (!comuni.length) {
    reportProblems();
    io.err(`importazione fallita: nessun comune leggibile in ${path.basename(file)}; nulla è stato scritto`);
    return 1;
  }

  const skeleton = electionSkeleton({
    fileName: file,
    firstRoundDate: built.firstRoundDate,
    runoffDate: built.runoffDate,
    comuni,
    capoluoghiKnown: entries.some((e) => e.capoluogo !== undefined),
  });
  let report: Awaited<ReturnType<typeof writePack>>;
  try {
    report = await writePack(values.out, comuni, skeleton);
  } catch (err) {
    if (!(err instanceof InvalidResultsError)) throw err;
    reportProblems();
    io.err(`importazione fallita: ${err.message}`);
    return 1;
  }

  const runoffs = comuni.filter((c) => c.runoff).length;
  const withIstat = comuni.filter((c) => c.istat).length;
  io.out(
    `${formatInteger(comuni.length)} comuni (primo turno ${built.firstRoundDate}), ${formatInteger(runoffs)} con ballottaggio (${built.runoffDate}); ` +
      (indexFile
        ? `${formatInteger(withIstat)} riconosciuti nell'indice ${indexFile}`
        : `nessun indice dei comuni (${defaultIndex} o --comuni): nomi dal file, senza codice ISTAT`),
  );
  io.out(regionCoverage(comuni));
  for (const w of built.warnings) io.out(`avviso: ${w}`);
  reportProblems();
  for (const w of report.written) {
    io.out(`${w.created ? "scritto" : "riscritto"} ${path.join(values.out, w.file)}`);
  }
  for (const k of report.kept) io.out(`${path.join(values.out, k)} c'era già: lasciato com'è`);
  if (report.kept.includes("election.json")) {
    io.out(`  verificare in election.json: comuniVoting ${comuni.length}, votingListComplete true`);
  }
  io.out(`controllo: npm run validate-data ${values.out}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await runImport(process.argv.slice(2));
}
