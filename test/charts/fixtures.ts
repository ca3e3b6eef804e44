/**
 * Real figures for the chart tests, copied from the reference data (../shared/data-sources/):
 * - Vicenza, first round of 10 June 2018: the Ministry's live feed (eligendo/scrutiniG-comune-1t-vicenza-2018.json).
 * - Parma, first round of 11 June 2017: ten candidates, press sources (capoluoghi-2017/SOURCES.md); votes only
 *   for the first two, as there.
 * - Andria, turnout of 23–24 November 2025 with the previous election's figures: the Ministry's feed
 *   (eligendo/votanti-provincia-bat-2025.json); four readings, the last on Monday at 15:00.
 */
import type { RoundResult, TurnoutPoint } from "../../src/data/model.js";

export const VICENZA_2018: RoundResult = {
  date: "2018-06-10",
  electors: 87225,
  voters: 48669,
  blank: 178,
  invalid: 557,
  contested: 4,
  sections: { counted: 112, total: 112 },
  candidates: [
    { name: "Francesco Rucco", votes: 24271, percent: 50.64, elected: true, lists: [] },
    { name: "Otello Dalla Rosa", votes: 21985, percent: 45.87, lists: [] },
    { name: "Filippo Albertin", votes: 519, percent: 1.08, lists: [] },
    { name: "Andrea Maroso", votes: 495, percent: 1.03, coalition: "Siamo Veneto", lists: [] },
    { name: "Leonardo Bano", votes: 336, percent: 0.7, coalition: "No privilegi politici", lists: [] },
    { name: "Franca Equizi", votes: 324, percent: 0.68, lists: [] },
  ],
  turnout: [],
  provenance: {
    source: "Ministero dell'Interno",
    urls: [],
    // dt_agg 20181010130932, Rome time (CEST).
    at: "2018-10-10T13:09:32+02:00",
    status: "final",
  },
};

export const PARMA_2017: RoundResult = {
  date: "2017-06-11",
  candidates: [
    { name: "Federico Pizzarotti", coalition: "Effetto Parma", votes: 26496, percent: 34.78, lists: [] },
    { name: "Paolo Scarpa", coalition: "centrosinistra", votes: 24934, percent: 32.73, lists: [] },
    { name: "Laura Cavandoli", coalition: "centrodestra", percent: 19.28, lists: [] },
    { name: "Daniele Ghirarduzzi", coalition: "Movimento 5 Stelle", percent: 3.18, lists: [] },
    { name: "Luigi Alfieri", coalition: "Parma non ha paura", percent: 2.57, lists: [] },
    { name: "Ettore Manno", coalition: "PCI", percent: 1.98, lists: [] },
    { name: "Filippo Greci", percent: 1.98, lists: [] },
    { name: "Emanuele Bacchieri", coalition: "CasaPound", percent: 1.77, lists: [] },
    { name: "Laura Bergamini", percent: 1.25, lists: [] },
    { name: "Pia Russo", coalition: "Nuova voce di Parma", percent: 0.48, lists: [] },
  ],
  outcome: { kind: "runoff", candidates: ["Federico Pizzarotti", "Paolo Scarpa"] },
  turnout: [],
  provenance: { source: "stampa locale", urls: [], status: "final" },
};

export const ANDRIA_2025_TURNOUT: TurnoutPoint[] = [
  {
    at: "12:00",
    percent: 9.18,
    voters: 7622,
    previousPercent: 15.1,
    sections: { counted: 110, total: 110 },
    final: false,
  },
  {
    at: "19:00",
    percent: 23.76,
    voters: 19725,
    previousPercent: 33.76,
    sections: { counted: 110, total: 110 },
    final: false,
  },
  {
    at: "23:00",
    percent: 30.88,
    voters: 25638,
    previousPercent: 47.39,
    sections: { counted: 110, total: 110 },
    final: false,
  },
  {
    at: "15:00",
    percent: 42.85,
    voters: 35577,
    previousPercent: 66.31,
    sections: { counted: 110, total: 110 },
    final: true,
  },
];
