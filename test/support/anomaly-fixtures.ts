/**
 * Figures for the anomaly gate's tests (test/data/anomalies/): the Ministry's captured answer for Vicenza,
 * first round of 10 June 2018 (test/data/fixtures/scrutiniG-comune-1t-vicenza-2018.json, copied from
 * ../shared/data-sources/eligendo/), as the model holds it and as the feed shows it while counting, with
 * ways to perturb it; Andria's real readings of 23–24 November 2025
 * (../shared/data-sources/eligendo/votanti-provincia-bat-2025.json), the last on Monday at 15:00; the
 * gate's times and key.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { Anomaly, AnomalyCode } from "../../src/data/anomalies/index.js";
import type { RoundResult, TurnoutPoint } from "../../src/data/model.js";

// ————————————————————————————————————————————————————————————— the real answer, as the model holds it

interface RawList {
  pos: number;
  descr_lista: string | null;
  voti: number;
  perc: string | null;
}
interface RawCand {
  cogn: string;
  nome: string;
  voti: number;
  perc: string;
  eletto: string | null;
  liste: RawList[];
}
interface Raw {
  int: {
    ele_t: number;
    vot_t: number;
    perc_vot: string;
    sz_p_sind: number;
    sz_tot: number;
    sk_bianche: number;
    sk_nulle: number;
    sk_contestate: number;
  };
  cand: RawCand[];
}

const raw = JSON.parse(
  readFileSync(new URL("../data/fixtures/scrutiniG-comune-1t-vicenza-2018.json", import.meta.url), "utf8"),
) as Raw;

const decimal = (s: string | null) => (s === null ? undefined : Number(s.replace(",", ".")));
const proper = (s: string) => s.toLowerCase().replace(/(^|[\s'-])\p{L}/gu, (m) => m.toUpperCase());

/** The answer → a round, field by field (the feed's own parser lives elsewhere; this test needs only the figures). */
export function vicenza(): RoundResult {
  const i = raw.int;
  const elected = raw.cand.find((c) => c.eletto === "S");
  return {
    date: "2018-06-10",
    electors: i.ele_t,
    voters: i.vot_t,
    turnoutPercent: decimal(i.perc_vot),
    blank: i.sk_bianche,
    invalid: i.sk_nulle,
    contested: i.sk_contestate,
    sections: { counted: i.sz_p_sind, total: i.sz_tot },
    candidates: raw.cand.map((c) => ({
      name: proper(`${c.nome} ${c.cogn}`),
      votes: c.voti,
      percent: decimal(c.perc),
      lists: c.liste.map((l) => ({
        ...(l.descr_lista ? { name: l.descr_lista } : {}),
        position: l.pos,
        votes: l.voti,
        percent: decimal(l.perc),
      })),
    })),
    outcome: elected ? { kind: "elected", candidate: proper(`${elected.nome} ${elected.cogn}`) } : undefined,
    turnout: [],
    provenance: { source: "Ministero dell'Interno", urls: [], at: "2018-10-10T13:09:32+02:00", status: "final" },
  };
}

/** The reading at the close, from the round's own figures (voters of electors, every section). */
export const closingReading = (): TurnoutPoint => ({
  at: "23:00",
  percent: 55.8,
  voters: 48669,
  sections: { counted: 112, total: 112 },
  final: true,
});

/** Vicenza as the feed shows it while counting: voters and ballots left at 0 (see the README), sections to come. */
export function counting(counted: number): RoundResult {
  const r = vicenza();
  return {
    ...r,
    voters: 0,
    turnoutPercent: 0,
    blank: 0,
    invalid: 0,
    contested: 0,
    sections: { counted, total: 112 },
    outcome: undefined,
    provenance: { ...r.provenance, status: "partial" },
  };
}

export const RUCCO = "Francesco Rucco";
export const DALLA_ROSA = "Otello Dalla Rosa";
export const ALBERTIN = "Filippo Albertin";

export function edit(r: RoundResult, name: string, f: (c: RoundResult["candidates"][number]) => void): RoundResult {
  const copy = structuredClone(r);
  const c = copy.candidates.find((x) => x.name === name);
  if (!c) throw new Error(`no candidate ${name}`);
  f(c);
  return copy;
}

/** A candidate's votes changed, with every share recomputed from the votes (as the feed publishes them). */
export function setVotes(r: RoundResult, name: string, votes: number): RoundResult {
  const copy = edit(r, name, (c) => {
    c.votes = votes;
  });
  const valid = copy.candidates.reduce((s, c) => s + (c.votes ?? 0), 0);
  for (const c of copy.candidates) c.percent = Math.round(((c.votes ?? 0) / valid) * 10000) / 100;
  return copy;
}

export const codes = (as: Anomaly[]) => as.map((a) => a.code);
export function only<C extends AnomalyCode>(as: Anomaly[], code: C): Extract<Anomaly, { code: C }> {
  const found = as.filter((a) => a.code === code);
  expect(found, `exactly one ${code} in ${JSON.stringify(codes(as))}`).toHaveLength(1);
  return found[0] as Extract<Anomaly, { code: C }>;
}

// ————————————————————————————————————————————————————————————— Andria's readings

export const ANDRIA: TurnoutPoint[] = [
  { at: "12:00", percent: 9.18, voters: 7622, sections: { counted: 110, total: 110 }, final: false },
  { at: "19:00", percent: 23.76, voters: 19725, sections: { counted: 110, total: 110 }, final: false },
  { at: "23:00", percent: 30.88, voters: 25638, sections: { counted: 110, total: 110 }, final: false },
  { at: "15:00", percent: 42.85, voters: 35577, sections: { counted: 110, total: 110 }, final: true },
];

/** Andria's readings on a round with no count yet (the turnout answer names no candidate). */
export function andria(turnout: TurnoutPoint[]): RoundResult {
  return {
    date: "2025-11-23",
    electors: 83020,
    candidates: [{ name: "Candidato", lists: [] }],
    turnout: structuredClone(turnout),
    provenance: { source: "Ministero dell'Interno", urls: [], status: "partial" },
  };
}

// ————————————————————————————————————————————————————————————— the gate's times and key

export const T = (hhmm: string) => `2018-06-10T${hhmm}:00+02:00`;
export const K = "1t:0901160";
