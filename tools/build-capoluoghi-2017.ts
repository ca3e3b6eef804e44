/**
 * Builds the data pack's results.json (the 25 capoluoghi of 2017, both rounds) and turnout.json (the
 * national turnout of both rounds) from the research files in ../shared/data-sources/capoluoghi-2017/:
 * figures gathered from press and official pages, each with its sources, conflicts and gaps (SOURCES.md).
 *
 *   npx tsx tools/build-capoluoghi-2017.ts [--sources ../shared/data-sources] [--data data]
 *
 * Only figures the files store are written: a gap stays empty, nothing is estimated; where sources
 * conflict the files store one value (the official or majority one) and list the others, which go into
 * the provenance as details. The ISTAT code of each comune comes from the pack's comuni.json.
 * A few facts the research notes state in English are written here in Italian for the cards (FACTS).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { nameKey } from "../src/data/lookup.js";
import type { ComuneResultsInput, Provenance } from "../src/data/model.js";
import type { TurnoutReadingSchema } from "../src/data/schema.js";
import type { z } from "../src/validation.js";

type TurnoutReadingInput = z.input<typeof TurnoutReadingSchema>;

import { formatJson } from "./json-format.js";

// ---------------------------------------------------------------------------
// The research files' shapes
// ---------------------------------------------------------------------------

export interface SourceCandidate {
  name: string;
  coalition: string | null;
  votes: number | null;
  percent: number | null;
  sources: string[];
  conflicts?: string[];
  singleSource?: string[];
  note?: string;
}

export interface SourceRound {
  date: string;
  turnoutPercent: number | null;
  turnoutNote?: string;
  turnoutSources?: string[];
  previousTurnoutPercent?: number | null;
  previousTurnoutNote?: string;
  electedAtFirstRound?: string | null;
  winner?: string | null;
  candidates: SourceCandidate[];
}

export interface SourceComune {
  name: string;
  province: string;
  region: string;
  firstRound: SourceRound;
  runoff: SourceRound | null;
  notes: string;
  sources: string[];
}

interface SourceReading {
  percent: number;
  previousPercent?: number;
  firstRoundSameComuniPercent?: number;
  note?: string;
  sources: string[];
}

export interface SourceNational {
  firstRoundTurnout: { scope: string; at12: SourceReading; at19: SourceReading; at23: SourceReading };
  runoff: { viminaleScope: string; turnout: { at12: SourceReading; at19: SourceReading; at23: SourceReading } };
}

// ---------------------------------------------------------------------------
// What this converter adds: aliases, and facts for the cards in Italian
// ---------------------------------------------------------------------------

/** Other spellings people type. */
const ALIASES: Record<string, string[]> = { "L'Aquila": ["Aquila"], "La Spezia": ["Spezia"] };

/**
 * Facts a reader of the card should see, stated in the research notes (SOURCES.md, national-2017.json
 * `specialCases`); where two sources differ, the first value the notes give.
 */
const FACTS: Record<string, { firstRound?: string; runoff?: string }> = {
  Asti: {
    firstRound:
      "Secondo posto deciso dalla verifica dei verbali: Massimo Cerruti 5.099 voti, Angela Motta 5.093 (6 voti di differenza); al primo conteggio Motta era avanti di 13.",
  },
  Gorizia: {
    firstRound: "Rodolfo Ziberna ha mancato la maggioranza assoluta per 22 voti.",
  },
  Trapani: {
    firstRound:
      "Girolamo Fazio, primo al primo turno, è stato escluso dal ballottaggio per non aver presentato la lista degli assessori entro il termine: al ballottaggio è rimasto solo Pietro Savona.",
  },
};

/**
 * The research notes describe some coalitions with English words ("9 lists", "sole candidate"); cards
 * are Italian. Each is rendered in Italian here; a word left over stops the conversion.
 */
const COALITION_ITALIAN: [RegExp, string][] = [
  [/\((\d+) lists\)/g, "($1 liste)"],
  [/\((\d+) lists, /g, "($1 liste, "],
  [/\((\d+) civic lists\)/g, "($1 liste civiche)"],
  [/\(sole candidate\)/g, "(unico candidato)"],
  [/\(supported also by /g, "(sostenuto anche da "],
  [/\(supported at runoff by /g, "(sostenuta al ballottaggio da "],
  [/\(supported by /g, "(sostenuto da "],
  [/\(no official party symbols\)/g, "(senza simboli di partito)"],
  [/outgoing mayor, ex-M5S/g, "sindaco uscente, ex M5S"],
  [/\(ilgiorno lists /g, "(per ilgiorno: "],
];
const ENGLISH = /\b(lists?|supported|sole|candidate|official|outgoing|mayor|party)\b/i;

export function italianCoalition(coalition: string): string {
  const out = COALITION_ITALIAN.reduce((s, [re, it]) => s.replace(re, it), coalition);
  if (ENGLISH.test(out)) throw new Error(`coalition left in English: ${out}`);
  return out;
}

/** Why a runoff elected nobody, where it did not (national-2017.json `specialCases`). */
const VOID_RUNOFFS: Record<string, string> = {
  Trapani:
    "Ballottaggio con il solo Pietro Savona: ha votato il 26,75% degli elettori, meno del 50% richiesto dalla legge siciliana, e i suoi 14.536 voti sono sotto il 25% degli elettori (15.006). Nessun sindaco eletto: il Comune va a un commissario fino al nuovo voto del 2018.",
};

/**
 * The population band comes from the legal population in the comuni index (2011 census), against the
 * rules' threshold; where the index has none, from the sources: those that held a runoff (only comuni
 * above 15,000 inhabitants do), and Palermo, elected under Sicily's 40% rule for comuni above 15,000.
 */
const ABOVE_THRESHOLD_WITHOUT_RUNOFF = new Set(["Palermo"]);

// ---------------------------------------------------------------------------
// Where the research's figures do not agree with themselves
// ---------------------------------------------------------------------------

/**
 * A resolution of one round's figures, by the rule of docs/data.md (Sources): a complete official count
 * beats a partial one; within one round votes and shares come from the same count; where all candidates'
 * votes are known the shares are computed from them (`computeShares` below); otherwise the shares are kept
 * and the votes that do not fit them dropped; a round figure is not shown as exact.
 *
 * Every figure put here is one the research gives (a conflict's other value, a candidate's note): the
 * tests check that it is written there. `null` drops the figure.
 */
export interface Resolution {
  comune: string;
  round: "firstRound" | "runoff";
  /** Why, in a few words: recorded in the round's provenance (details), for the people who edit the data. */
  reason: string;
  /** Research name of the candidate → votes (null: dropped). */
  votes?: Record<string, number | null>;
  /** Research name of the candidate → share (null: dropped). */
  percent?: Record<string, number | null>;
  /** The previous election's turnout is dropped. */
  dropPreviousTurnout?: true;
  /** A fact for readers of the card, in Italian (the round's note). */
  readerNote?: string;
}

export const RESOLUTIONS: readonly Resolution[] = [
  {
    comune: "Alessandria",
    round: "firstRound",
    reason:
      "votes of the official count after the check of the verbali (ilpiccolo.net 16/06) for Rossa, Cuttica, Serra, " +
      "Trifoglio and Locci, which replace the night's count; Ivaldi, Miraglia and Campana are known only from the " +
      "night's count; shares computed from these votes",
    votes: {
      "Maria Rita Rossa": 12838,
      "Gianfranco Cuttica di Revigliasco": 12164,
      "Michelangelo Serra": 4931,
      "Oria Trifoglio": 4630,
      "Emanuele Locci": 3295,
    },
  },
  {
    comune: "Alessandria",
    round: "firstRound",
    reason: "previous turnout dropped: 'il 60%', a round figure from a single source",
    dropPreviousTurnout: true,
  },
  {
    comune: "Padova",
    round: "firstRound",
    reason: "previous turnout dropped: 'il 70%', a round figure from a single source",
    dropPreviousTurnout: true,
  },
  {
    comune: "Asti",
    round: "firstRound",
    reason:
      "shares computed from the votes after the commission's check (Rasero 47,67 was the preliminary count); the " +
      "five minor candidates' votes are of the complete count before the check (CISE gives Rasero 47,62)",
  },
  {
    comune: "Lodi",
    round: "firstRound",
    reason:
      "votes dropped: they sum to 18.612, 89,7% of the 20.753 voters, and give videonotizietv's shares of a partial " +
      "count, not the final shares kept",
    votes: {
      "Carlo Gendarini": null,
      "Sara Casanova": null,
      "Lorenzo Maggi": null,
      "Massimo Casiraghi": null,
      "Giuliana Cominetti": null,
      "Stefano Caserini": null,
      "Luca Scotti": null,
    },
  },
  {
    comune: "Belluno",
    round: "firstRound",
    reason:
      "Massaro's 46,19 and Gamba's 25,10 are also given as their lists' shares (bellunopress); money.it's candidate " +
      "shares 46,14 and 25,43 complete the count the other five shares come from (sum 99,97)",
    percent: { "Jacopo Massaro": 46.14, "Paolo Gamba": 25.43 },
  },
  {
    comune: "Verona",
    round: "firstRound",
    reason:
      "votes dropped: 33.440 and 26.946 (larena 25/06) go with 29,13 and 23,47, another count than the Viminale's " +
      "shares of 12/06 kept for all nine candidates",
    votes: { "Federico Sboarina": null, "Patrizia Bisinella": null },
  },
  {
    comune: "Pistoia",
    round: "firstRound",
    reason:
      "shares summed to 100,10: tvl's official shares for the first four, money.it's partial count (97 of 100 " +
      "sections) for the others; the partial shares dropped",
    percent: {
      "Ginevra Lombardi": null,
      "Alessandro Sabella": null,
      "Francesca Barontini": null,
      "Lorenzo Berti": null,
      "Alessio Cioni": null,
    },
    readerNote:
      "Risultato ufficiale noto per i primi quattro candidati; per gli altri le fonti danno solo un conteggio parziale (97 sezioni su 100).",
  },
  {
    comune: "Lecce",
    round: "firstRound",
    reason:
      "votes dropped: 23.887, 15.243 and 8.807 imply three different totals of valid votes (52.824, 52.616, 52.112) " +
      "against the shares, which are of 101 of 102 sections and the only ones known for all six candidates",
    votes: { "Mauro Giliberti": null, "Carlo Salvemini": null, "Alessandro Delli Noci": null },
    readerNote: "Percentuali a 101 sezioni su 102, le ultime pubblicate per tutti i candidati.",
  },
  {
    comune: "Trapani",
    round: "firstRound",
    reason:
      "Savona's votes: livesicilia's 8.732 fits the 26,27% kept and Fazio's and D'Alì's figures (about 33.237 valid " +
      "votes); 8.714 gives 26,22%",
    votes: { "Pietro (Piero) Savona": 8732 },
  },
  {
    comune: "Trapani",
    round: "runoff",
    reason:
      "Savona's 91,51% dropped: it fits no base (14.536 of 16.055 voters is 90,54%; a sole candidate has all the " +
      "valid votes)",
    percent: { "Pietro (Piero) Savona": null },
  },
];

/** Applies the resolutions of one round to the research's candidates; returns the reasons applied. */
export function resolveRound(
  comune: string,
  round: "firstRound" | "runoff",
  r: SourceRound,
  resolutions: readonly Resolution[] = RESOLUTIONS,
): { round: SourceRound; reasons: string[]; readerNotes: string[] } {
  const mine = resolutions.filter((x) => x.comune === comune && x.round === round);
  if (!mine.length) return { round: r, reasons: [], readerNotes: [] };
  const out: SourceRound = { ...r, candidates: r.candidates.map((k) => ({ ...k })) };
  for (const x of mine) {
    for (const [field, figures] of [
      ["votes", x.votes],
      ["percent", x.percent],
    ] as const) {
      for (const [name, value] of Object.entries(figures ?? {})) {
        const k = out.candidates.find((c) => c.name === name);
        if (!k) throw new Error(`${comune}: ${round}: no candidate "${name}" to resolve`);
        k[field] = value;
      }
    }
    if (x.dropPreviousTurnout) {
      if (out.previousTurnoutPercent == null) throw new Error(`${comune}: ${round}: no previous turnout to drop`);
      out.previousTurnoutPercent = null;
    }
  }
  return {
    round: out,
    reasons: mine.map((x) => `resolved: ${x.reason}`),
    readerNotes: mine.flatMap((x) => (x.readerNote ? [x.readerNote] : [])),
  };
}

/**
 * Where every candidate of a round has votes (and there are two or more), each share is computed from
 * them, to two decimals: returns the round and a line for each share that changed.
 */
export function computeShares(r: SourceRound): { round: SourceRound; changed: string[] } {
  const ks = r.candidates;
  if (ks.length < 2 || ks.some((k) => k.votes === null)) return { round: r, changed: [] };
  const valid = ks.reduce((s, k) => s + (k.votes ?? 0), 0);
  if (valid === 0) return { round: r, changed: [] };
  const changed: string[] = [];
  const candidates = ks.map((k) => {
    const percent = Math.round((k.votes! * 10000) / valid) / 100;
    if (percent !== k.percent)
      changed.push(
        `${k.name}: share computed from the votes (${valid} valid): ${percent} (research: ${k.percent ?? "none"})`,
      );
    return { ...k, percent };
  });
  return { round: { ...r, candidates }, changed };
}

// ---------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------

/** "Gianni (Giovanni) Crivello" and "Gianni Crivello" are one person. */
export function samePerson(a: string, b: string): boolean {
  const plain = (s: string) => nameKey(s.replace(/\([^)]*\)/g, " "));
  return plain(a) === plain(b);
}

/** Publishers of a list of pages, as readers name them: "ilpiccolo.net, money.it". */
export function publishers(urls: readonly string[]): string {
  return [...new Set(urls.map((u) => new URL(u).hostname.replace(/^www\./, "")))].join(", ");
}

function unique(urls: readonly string[]): string[] {
  return [...new Set(urls)];
}

/** The caveats of each candidate's figures, one line each, naming the candidate. */
function candidateDetails(candidates: readonly SourceCandidate[]): string[] {
  return candidates.flatMap((k) => [
    ...(k.conflicts ?? []).map((c) => `${k.name}: conflict: ${c}`),
    ...(k.singleSource?.length ? [`${k.name}: single source for ${k.singleSource.join(", ")}`] : []),
    ...(k.note ? [`${k.name}: ${k.note}`] : []),
  ]);
}

function provenance(urls: readonly string[], note: string | undefined, details: string[]): Provenance {
  return {
    source: publishers(urls),
    urls: unique(urls),
    status: "final",
    ...(note ? { note } : {}),
    ...(details.length ? { details } : {}),
  };
}

/** The turnout's own provenance, where the research file gives its pages. */
function turnoutProvenance(r: SourceRound): Provenance | undefined {
  if (!r.turnoutSources?.length) return undefined;
  const details = r.previousTurnoutNote ? [`previous turnout: ${r.previousTurnoutNote}`] : [];
  return provenance(r.turnoutSources, r.turnoutNote, details);
}

type RoundInput = NonNullable<ComuneResultsInput["runoff"]>;

function candidate(k: SourceCandidate, name: string, elected: boolean): RoundInput["candidates"][number] {
  return {
    name,
    ...(k.coalition ? { coalition: italianCoalition(k.coalition) } : {}),
    ...(k.votes !== null ? { votes: k.votes } : {}),
    ...(k.percent !== null ? { percent: k.percent } : {}),
    ...(elected ? { elected: true } : {}),
  };
}

/** Converts one capoluogo; `istat` from the comuni index. */
export function convertComune(
  c: SourceComune,
  istat: string | undefined,
  resolutions: readonly Resolution[] = RESOLUTIONS,
  size: { population?: number; threshold: number } = { threshold: 15000 },
): ComuneResultsInput {
  const firstResolved = resolveRound(c.name, "firstRound", c.firstRound, resolutions);
  const firstComputed = computeShares(firstResolved.round);
  const f = firstComputed.round;
  const runoffResolved = c.runoff ? resolveRound(c.name, "runoff", c.runoff, resolutions) : undefined;
  const runoffComputed = runoffResolved ? computeShares(runoffResolved.round) : undefined;
  const r = runoffComputed?.round ?? null;
  const firstNote = [FACTS[c.name]?.firstRound, ...firstResolved.readerNotes].filter(Boolean).join(" ");
  const runoffNote = [FACTS[c.name]?.runoff, ...(runoffResolved?.readerNotes ?? [])].filter(Boolean).join(" ");
  // One name per person across the rounds: the first round's.
  const firstName = (name: string) => f.candidates.find((k) => samePerson(k.name, name))?.name ?? name;
  const runoffNames = r?.candidates.map((k) => firstName(k.name)) ?? [];
  const rank = (name: string) => f.candidates.findIndex((k) => k.name === name);

  const firstOutcome: RoundInput["outcome"] = f.electedAtFirstRound
    ? { kind: "elected", candidate: firstName(f.electedAtFirstRound) }
    : runoffNames.length === 2
      ? { kind: "runoff", candidates: [...runoffNames].sort((a, b) => rank(a) - rank(b)) as [string, string] }
      : undefined;
  const firstUrls = [
    ...(f.turnoutSources ?? []),
    ...f.candidates.flatMap((k) => k.sources),
    ...c.sources.filter((u) => !r?.candidates.some((k) => k.sources.includes(u))),
  ];
  const firstTurnout = turnoutProvenance(f);
  const firstRound: RoundInput = {
    date: f.date,
    ...(f.turnoutPercent !== null ? { turnoutPercent: f.turnoutPercent } : {}),
    ...(f.previousTurnoutPercent != null ? { previousTurnoutPercent: f.previousTurnoutPercent } : {}),
    candidates: f.candidates.map((k) =>
      candidate(k, k.name, f.electedAtFirstRound != null && samePerson(k.name, f.electedAtFirstRound)),
    ),
    ...(firstOutcome ? { outcome: firstOutcome } : {}),
    provenance: provenance(firstUrls, c.notes, [
      ...candidateDetails(f.candidates),
      ...firstResolved.reasons,
      ...firstComputed.changed,
    ]),
    ...(firstTurnout ? { turnoutProvenance: firstTurnout } : {}),
    ...(firstNote ? { note: firstNote } : {}),
  };

  let runoff: RoundInput | undefined;
  if (r) {
    const winner = r.winner ? firstName(r.winner) : undefined;
    const voidNote = VOID_RUNOFFS[c.name];
    if (!winner && !voidNote) throw new Error(`${c.name}: a runoff without a winner needs a note in VOID_RUNOFFS`);
    const runoffTurnout = turnoutProvenance(r);
    runoff = {
      date: r.date,
      ...(r.turnoutPercent !== null ? { turnoutPercent: r.turnoutPercent } : {}),
      candidates: r.candidates.map((k, i) => candidate(k, runoffNames[i]!, runoffNames[i] === winner)),
      outcome: winner ? { kind: "elected", candidate: winner } : { kind: "void", note: voidNote! },
      provenance: provenance([...(r.turnoutSources ?? []), ...r.candidates.flatMap((k) => k.sources)], undefined, [
        ...candidateDetails(r.candidates),
        ...(runoffResolved?.reasons ?? []),
        ...(runoffComputed?.changed ?? []),
      ]),
      ...(runoffTurnout ? { turnoutProvenance: runoffTurnout } : {}),
      ...(runoffNote ? { note: runoffNote } : {}),
    };
  }

  const above = r !== null || ABOVE_THRESHOLD_WITHOUT_RUNOFF.has(c.name);
  const byPopulation =
    size.population === undefined ? undefined : size.population > size.threshold ? "oltre-15000" : "fino-15000";
  if (above && byPopulation === "fino-15000")
    throw new Error(`${c.name}: ${size.population} inhabitants, yet the sources put it above ${size.threshold}`);
  const band = byPopulation ?? (above ? ("oltre-15000" as const) : undefined);
  return {
    name: c.name,
    ...(istat ? { istat } : {}),
    province: c.province,
    region: c.region,
    capoluogo: true,
    ...(band ? { populationBand: band } : {}),
    ...(ALIASES[c.name] ? { aliases: ALIASES[c.name] } : {}),
    firstRound,
    ...(runoff ? { runoff } : {}),
  };
}

function reading(
  at: string,
  x: SourceReading,
  coverage: { it: string; en: string },
  opts: { final?: boolean; runoff?: boolean } = {},
): TurnoutReadingInput {
  return {
    at,
    percent: x.percent,
    coverage: coverage.it,
    coverageEn: coverage.en,
    ...(x.previousPercent !== undefined ? { previousPercent: x.previousPercent } : {}),
    ...(opts.runoff && x.firstRoundSameComuniPercent !== undefined
      ? { firstRoundPercent: x.firstRoundSameComuniPercent }
      : {}),
    ...(opts.final ? { final: true } : {}),
    provenance: {
      source: "Ministero dell'Interno",
      urls: unique(x.sources),
      status: "final",
      note: `Dato del Ministero riportato da ${publishers(x.sources)}.${x.note ? ` ${x.note}` : ""}`,
    },
  };
}

/** The national turnout of both rounds, over the comuni the Ministry follows. */
export function convertTurnout(n: SourceNational): {
  readings: TurnoutReadingInput[];
  runoff: { readings: TurnoutReadingInput[] };
} {
  const first = n.firstRoundTurnout;
  const firstCoverage = {
    it: "849 comuni seguiti dal Ministero (esclusi Sicilia e Friuli-Venezia Giulia, che gestiscono il proprio voto)",
    en: "849 comuni followed by the Ministry (not Sicilia and Friuli-Venezia Giulia, which run their own elections)",
  };
  const runoff = n.runoff.turnout;
  const runoffCoverage = {
    it: "103 comuni al ballottaggio seguiti dal Ministero (su 111)",
    en: "103 comuni at the runoff followed by the Ministry (of 111)",
  };
  return {
    readings: [
      reading("12:00", first.at12, firstCoverage),
      reading("19:00", first.at19, firstCoverage),
      reading("23:00", first.at23, firstCoverage, { final: true }),
    ],
    runoff: {
      readings: [
        reading("12:00", runoff.at12, runoffCoverage, { runoff: true }),
        reading("19:00", runoff.at19, runoffCoverage, { runoff: true }),
        reading("23:00", runoff.at23, runoffCoverage, { runoff: true, final: true }),
      ],
    },
  };
}

/** Wide enough for one candidate per line. */
const WIDTH = 200;

/** Both files' content from the research files and the comuni index. */
export function build(
  capoluoghi: readonly SourceComune[],
  national: SourceNational,
  index: readonly { istat: string; name: string; province: string; population?: number }[],
  resolutions: readonly Resolution[] = RESOLUTIONS,
  threshold = 15000,
): { results: { comuni: ComuneResultsInput[] }; turnout: ReturnType<typeof convertTurnout> } {
  const comuni = capoluoghi.map((c) => {
    const entry = index.find((x) => x.province === c.province && nameKey(x.name) === nameKey(c.name));
    if (!entry) throw new Error(`${c.name} (${c.province}) is not in comuni.json`);
    return convertComune(c, entry.istat, resolutions, {
      ...(entry.population !== undefined ? { population: entry.population } : {}),
      threshold,
    });
  });
  return { results: { comuni }, turnout: convertTurnout(national) };
}

/** Reads the research files under `sources` and the index under `data`. */
export async function buildFrom(sources: string, data: string): Promise<ReturnType<typeof build>> {
  const dir = path.join(sources, "capoluoghi-2017");
  const capoluoghi = JSON.parse(await readFile(path.join(dir, "capoluoghi-2017.json"), "utf8")) as SourceComune[];
  const national = JSON.parse(await readFile(path.join(dir, "national-2017.json"), "utf8")) as SourceNational;
  const index = JSON.parse(await readFile(path.join(data, "comuni.json"), "utf8")) as {
    comuni: { istat: string; name: string; province: string; population?: number }[];
  };
  const election = JSON.parse(await readFile(path.join(data, "election.json"), "utf8")) as {
    rules: { runoffPopulationThreshold: number };
  };
  return build(capoluoghi, national, index.comuni, RESOLUTIONS, election.rules.runoffPopulationThreshold);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sources: { type: "string", default: path.join("..", "shared", "data-sources") },
      data: { type: "string", default: "data" },
    },
  });
  const { results, turnout } = await buildFrom(values.sources, values.data);
  await writeFile(path.join(values.data, "results.json"), formatJson(results, WIDTH));
  await writeFile(path.join(values.data, "turnout.json"), formatJson(turnout, WIDTH));
  console.log(`${values.data}: results.json (${results.comuni.length} comuni), turnout.json`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
