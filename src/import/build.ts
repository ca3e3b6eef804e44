/**
 * From the file's rows to the results model: rows grouped by comune × round (TURNO) × candidate × list,
 * the comune's totals (repeated on every row) read once, percentages computed from the votes — a candidate's
 * share of all candidates' votes, a list's share of all lists' votes — and the outcome the file states:
 * CODTIPOELETTO `S` marks the elected mayor, and a second round names the two candidates of the runoff.
 *
 * A row that contradicts an earlier one of the same comune (other totals, other votes for the same
 * candidate or list) is refused and reported, not averaged or overwritten: the file is the source.
 */
import { nameKey } from "../data/lookup.js";
import type {
  CandidateResult,
  ComuneResults,
  ListResult,
  Provenance,
  RoundResult,
  StatedOutcome,
} from "../data/model.js";
import type { ComuniIndex, Identity } from "./identity.js";
import { personName } from "./names.js";
import type { RowProblem, SourceRow } from "./parse.js";

/** A comune as imported: the results model, with the population band left out (the file does not give it). */
export type ImportedComune = Omit<ComuneResults, "populationBand"> & {
  populationBand?: ComuneResults["populationBand"];
};

export interface BuildOptions {
  index: ComuniIndex;
  /** Election day of the first round; otherwise DATAELEZIONE, otherwise `fileDate`. */
  firstRoundDate?: string;
  /** Runoff day; otherwise DATAELEZIONE of the second-round rows, otherwise 14 days after the first round. */
  runoffDate?: string;
  /** The date in the file's name ("comunali-20170611.zip"), where it has one. */
  fileDate?: string;
  /** Who published the figures: stamped on every round. */
  provenance: Provenance;
}

export interface BuildResult {
  comuni: ImportedComune[];
  /** Rows refused while grouping, with their line. */
  problems: RowProblem[];
  /** Facts worth a look that refuse no row (a runoff without a pair, homonyms, dates that disagree). */
  warnings: string[];
  firstRoundDate: string;
  runoffDate: string;
  /** Comuni whose identity (ISTAT code) came from the index. */
  resolved: number;
}

/** Nothing can be built (no date for the first round); the message says what to pass. */
export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuildError";
  }
}

type Totals = Pick<SourceRow, "electors" | "voters" | "blank" | "invalid" | "contested">;
const TOTAL_FIELDS = ["electors", "voters", "blank", "invalid", "contested"] as const;
const TOTAL_LABELS: Record<(typeof TOTAL_FIELDS)[number], string> = {
  electors: "elettori",
  voters: "votanti",
  blank: "schede bianche",
  invalid: "schede nulle",
  contested: "schede contestate",
};

interface ListAcc {
  name?: string;
  votes?: number;
  seats?: number;
  line: number;
}

interface CandidateAcc {
  surname: string;
  firstName?: string;
  votes: number;
  line: number;
  elected: boolean;
  lists: Map<string, ListAcc>;
}

interface RoundAcc {
  totals: Totals;
  /** The line each total was first read on. */
  totalLines: Partial<Record<keyof Totals, number>>;
  date?: string;
  dateLine?: number;
  candidates: Map<string, CandidateAcc>;
}

interface ComuneAcc {
  comune: string;
  province?: string;
  region?: string;
  rows: SourceRow[];
  rounds: Map<1 | 2, RoundAcc>;
}

/** "2017-06-11" + 14 → "2017-06-25". */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const share = (part: number, total: number) => round2((part / total) * 100);

/** The most frequent value, ties to the earliest seen. */
function mostFrequent(values: Iterable<string>): { value?: string; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let value: string | undefined;
  for (const [v, n] of counts) if (value === undefined || n > counts.get(value)!) value = v;
  return { value, counts };
}

const candidateKey = (r: SourceRow) => `${nameKey(r.surname)}|${nameKey(r.firstName ?? "")}`;

/** Why this row contradicts what the comune's earlier rows said, or undefined when it adds to them. */
function conflict(acc: RoundAcc, r: SourceRow): string | undefined {
  for (const f of TOTAL_FIELDS) {
    const v = r[f];
    const had = acc.totals[f];
    if (v !== undefined && had !== undefined && v !== had) {
      return `${TOTAL_LABELS[f]} ${v} diversi da ${had} della riga ${acc.totalLines[f]}`;
    }
  }
  if (r.date && acc.date && r.date !== acc.date) {
    return `data ${r.date} diversa da ${acc.date} della riga ${acc.dateLine}`;
  }
  const c = acc.candidates.get(candidateKey(r));
  if (!c) return undefined;
  if (c.votes !== r.candidateVotes) {
    return `voti del candidato ${r.candidateVotes} diversi da ${c.votes} della riga ${c.line}`;
  }
  const l = c.lists.get(nameKey(r.list ?? ""));
  if (l && (r.list !== undefined || r.listVotes !== undefined || r.listSeats !== undefined)) {
    if (l.votes === r.listVotes && l.seats === r.listSeats) return `ripete la riga ${l.line}`;
    return `lista «${r.list ?? "senza nome"}»: voti o seggi diversi dalla riga ${l.line}`;
  }
  return undefined;
}

function addRow(acc: RoundAcc, r: SourceRow): void {
  for (const f of TOTAL_FIELDS) {
    if (r[f] !== undefined && acc.totals[f] === undefined) {
      acc.totals[f] = r[f];
      acc.totalLines[f] = r.line;
    }
  }
  if (r.date && !acc.date) {
    acc.date = r.date;
    acc.dateLine = r.line;
  }
  const key = candidateKey(r);
  let c = acc.candidates.get(key);
  if (!c) {
    c = {
      surname: r.surname,
      firstName: r.firstName,
      votes: r.candidateVotes,
      line: r.line,
      elected: false,
      lists: new Map(),
    };
    acc.candidates.set(key, c);
  }
  if (r.elected === "S") c.elected = true;
  if (r.list !== undefined || r.listVotes !== undefined || r.listSeats !== undefined) {
    c.lists.set(nameKey(r.list ?? ""), { name: r.list, votes: r.listVotes, seats: r.listSeats, line: r.line });
  }
}

/** One round of one comune, in the model's shape. `names` maps candidate keys to display names. */
function buildRound(acc: RoundAcc, date: string, provenance: Provenance, names: Map<string, string>): RoundResult {
  const entries = [...acc.candidates.entries()];
  const total = entries.reduce((s, [, c]) => s + c.votes, 0);
  const listTotal = entries.reduce((s, [, c]) => s + [...c.lists.values()].reduce((t, l) => t + (l.votes ?? 0), 0), 0);
  const anyElected = entries.some(([, c]) => c.elected);
  const candidates: CandidateResult[] = entries
    .map(([key, c], order) => ({ key, c, order }))
    .sort((a, b) => b.c.votes - a.c.votes || a.order - b.order)
    .map(({ key, c }) => {
      const lists: ListResult[] = [...c.lists.values()].map((l) => ({
        ...(l.name !== undefined ? { name: l.name } : {}),
        ...(l.votes !== undefined ? { votes: l.votes } : {}),
        ...(l.votes !== undefined && listTotal > 0 ? { percent: share(l.votes, listTotal) } : {}),
        ...(l.seats !== undefined ? { seats: l.seats } : {}),
      }));
      return {
        name: names.get(key)!,
        votes: c.votes,
        ...(total > 0 ? { percent: share(c.votes, total) } : {}),
        ...(anyElected ? { elected: c.elected } : {}),
        lists,
      };
    });
  const t = acc.totals;
  const round: RoundResult = {
    date,
    ...(t.electors !== undefined ? { electors: t.electors } : {}),
    ...(t.voters !== undefined ? { voters: t.voters } : {}),
    ...(t.electors && t.voters !== undefined && t.voters <= t.electors
      ? { turnoutPercent: share(t.voters, t.electors) }
      : {}),
    ...(t.blank !== undefined ? { blank: t.blank } : {}),
    ...(t.invalid !== undefined ? { invalid: t.invalid } : {}),
    ...(t.contested !== undefined ? { contested: t.contested } : {}),
    candidates,
    turnout: [],
    provenance,
  };
  return round;
}

/** The display names of a comune's candidates, the same person keeping the same name in both rounds. */
function displayNames(rounds: Map<1 | 2, RoundAcc>): Map<string, string> {
  const names = new Map<string, string>();
  for (const acc of rounds.values()) {
    for (const [key, c] of acc.candidates) if (!names.has(key)) names.set(key, personName(c.surname, c.firstName));
  }
  return names;
}

/** Groups the rows of every text into comuni and builds their rounds. */
export function buildResults(rows: readonly SourceRow[], opts: BuildOptions): BuildResult {
  const problems: RowProblem[] = [];
  const warnings: string[] = [];

  // Dates first: a round cannot be written without one.
  const firstDates = mostFrequent(rows.filter((r) => r.round === 1 && r.date).map((r) => r.date!));
  const firstRoundDate = opts.firstRoundDate ?? firstDates.value ?? opts.fileDate;
  if (!firstRoundDate) {
    throw new BuildError(
      "data del primo turno sconosciuta: il file non ha DATAELEZIONE né una data nel nome; indicarla con --date AAAA-MM-GG",
    );
  }
  if (!opts.firstRoundDate && firstDates.value && opts.fileDate && firstDates.value !== opts.fileDate) {
    warnings.push(
      `la data nel nome del file (${opts.fileDate}) non è quella delle righe (${firstDates.value}): uso ${firstDates.value}`,
    );
  }
  if (firstDates.counts.size > 1) {
    const list = [...firstDates.counts].map(([d, n]) => `${d}: ${n} righe`).join(", ");
    warnings.push(`il primo turno ha più date (${list}): ogni comune tiene la propria`);
  }
  const runoffDates = mostFrequent(
    rows.filter((r) => r.round === 2 && r.date && r.date > firstRoundDate).map((r) => r.date!),
  );
  const runoffDate = opts.runoffDate ?? runoffDates.value ?? addDays(firstRoundDate, 14);
  if (runoffDate <= firstRoundDate) {
    throw new BuildError(
      `la data del ballottaggio (${runoffDate}) deve seguire quella del primo turno (${firstRoundDate})`,
    );
  }

  // Group: comune (as the file names it) → round → candidate → list.
  const comuni = new Map<string, ComuneAcc>();
  for (const r of rows) {
    const key = `${nameKey(r.region ?? "")}|${nameKey(r.province ?? "")}|${nameKey(r.comune)}`;
    let c = comuni.get(key);
    if (!c) {
      c = { comune: r.comune, province: r.province, region: r.region, rows: [], rounds: new Map() };
      comuni.set(key, c);
    }
    let acc = c.rounds.get(r.round);
    if (!acc) {
      acc = { totals: {}, totalLines: {}, candidates: new Map() };
      c.rounds.set(r.round, acc);
    }
    const why = conflict(acc, r);
    if (why) {
      problems.push({ source: r.source, line: r.line, reason: why });
      continue;
    }
    addRow(acc, r);
    c.rows.push(r);
  }

  const out: ImportedComune[] = [];
  const byIstat = new Map<string, string>();
  let resolved = 0;
  for (const c of comuni.values()) {
    const where = `${c.comune}${c.province ? ` (${c.province})` : ""}`;
    const refuseAll = (reason: string) => {
      const first = c.rows[0]!;
      const more = c.rows.length - 1;
      problems.push({
        source: first.source,
        line: first.line,
        reason: `${where}: ${reason}${more ? ` (e le altre ${more} righe del comune)` : ""}`,
      });
    };
    const first = c.rounds.get(1);
    if (!first || first.candidates.size === 0) {
      if (c.rows.length) refuseAll("ballottaggio senza primo turno");
      continue;
    }
    const id = opts.index.resolve(c.comune, c.province, c.region);
    if (id.kind === "unresolved") {
      refuseAll(id.reason);
      continue;
    }
    const identity: Identity = id.identity;
    if (identity.istat) {
      const other = byIstat.get(identity.istat);
      if (other) {
        refuseAll(`è lo stesso comune (ISTAT ${identity.istat}) di ${other}, già letto`);
        continue;
      }
      byIstat.set(identity.istat, where);
    }
    if (id.fromIndex) resolved++;

    const names = displayNames(c.rounds);
    const firstDate = first.date ?? firstRoundDate;
    const firstRound = buildRound(first, firstDate, opts.provenance, names);
    const second = c.rounds.get(2);
    const runoff = second?.candidates.size
      ? buildRound(second, second.date && second.date > firstDate ? second.date : runoffDate, opts.provenance, names)
      : undefined;

    const label = `${identity.name} (${identity.province})`;
    const elected = (round: RoundResult, which: string): StatedOutcome | undefined => {
      const winners = round.candidates.filter((k) => k.elected);
      if (winners.length === 1) return { kind: "elected", candidate: winners[0]!.name };
      if (winners.length > 1)
        warnings.push(`${label}: più eletti al ${which} (${winners.map((w) => w.name).join(", ")})`);
      return undefined;
    };
    let firstOutcome = elected(firstRound, "primo turno");
    if (runoff) {
      const pair = runoff.candidates.map((k) => k.name);
      const known = new Set(firstRound.candidates.map((k) => k.name));
      if (firstOutcome) {
        warnings.push(
          `${label}: eletto al primo turno secondo il file, eppure c'è un ballottaggio: nessun esito dichiarato`,
        );
        firstOutcome = undefined;
      } else if (pair.length === 2 && pair.every((n) => known.has(n))) {
        // In the order of the first round, like the rules' own pair.
        const ranked = firstRound.candidates.map((k) => k.name).filter((n) => pair.includes(n));
        firstOutcome = { kind: "runoff", candidates: [ranked[0]!, ranked[1]!] };
      } else {
        warnings.push(
          `${label}: ballottaggio con ${pair.length === 2 ? "candidati assenti dal primo turno" : `${pair.length} candidati`} (${pair.join(", ")}): nessun esito dichiarato per il primo turno`,
        );
      }
      const runoffOutcome = elected(runoff, "ballottaggio");
      if (runoffOutcome) runoff.outcome = runoffOutcome;
    }
    if (firstOutcome) firstRound.outcome = firstOutcome;
    for (const [round, acc] of [
      [firstRound, first],
      [runoff, second],
    ] as const) {
      if (
        round &&
        acc &&
        acc.totals.voters !== undefined &&
        acc.totals.electors !== undefined &&
        acc.totals.voters > acc.totals.electors
      ) {
        warnings.push(
          `${label}: votanti (${acc.totals.voters}) oltre gli elettori (${acc.totals.electors}) alla riga ${acc.totalLines.voters}: affluenza non calcolata`,
        );
      }
    }

    out.push({
      name: identity.name,
      ...(identity.istat ? { istat: identity.istat } : {}),
      province: identity.province,
      region: identity.region,
      capoluogo: identity.capoluogo ?? false,
      aliases: [],
      // Only comuni above the threshold hold a runoff: a fact of the file, not an estimate of the population.
      ...(runoff ? { populationBand: "oltre-15000" as const } : {}),
      firstRound,
      ...(runoff ? { runoff } : {}),
    });
  }

  const names = new Map<string, ImportedComune[]>();
  for (const c of out) {
    const k = nameKey(c.name);
    names.set(k, [...(names.get(k) ?? []), c]);
  }
  for (const same of names.values()) {
    if (same.length > 1) {
      warnings.push(`comuni omonimi al voto: ${same.map((c) => `${c.name} (${c.province})`).join(", ")}`);
    }
  }
  out.sort((a, b) => a.name.localeCompare(b.name, "it") || a.province.localeCompare(b.province));
  problems.sort((a, b) => a.source.localeCompare(b.source) || (a.line ?? 0) - (b.line ?? 0));
  return { comuni: out, problems, warnings, firstRoundDate, runoffDate, resolved };
}
