/**
 * The words printed in the charts, in Italian and in English for English-language clients.
 * Figures follow the language as in the messages (38,8% and 24.271 in Italian, 38.8% and 24,271 in
 * English); times stay in Europe/Rome, as everywhere else in the bot.
 */
import { formatInteger } from "../format/italian.js";
import type { Lang } from "../i18n/index.js";

/** Every word a chart prints; a second language is one more object of this shape. */
export interface ChartLabels {
  /** The language the figures are written in (formatPercent, formatInteger). */
  lang: Lang;
  /** Locale of the spelled-out dates ("domenica 11 giugno 2017"). */
  locale: string;
  firstRound: string;
  runoff: string;
  /** "Sezioni scrutinate 412 su 655" (figures already formatted). */
  sectionsCounted: (counted: string, total: string) => string;
  /** The count is complete (provenance status "final"). */
  finalResults: string;
  /** Partial figures without a sections count. */
  partialResults: string;
  /** "24.271 voti", "1 voto". */
  votes: (n: number) => string;
  /** The row summing the candidates beyond the chart's limit. */
  others: (candidates: number) => string;
  /** Tag of a candidate the source states elected. */
  elected: string;
  /** Tag of the two candidates the source sends to the runoff. */
  toRunoff: string;
  /** Before any figure is known. */
  noFigures: string;
  source: (name: string) => string;
  /** "aggiornamento 11/06/2017 23:15" (date dd/mm/yyyy and time already in Europe/Rome). */
  updated: (date: string, time: string) => string;
  turnoutTitle: (area: string) => string;
  /** Under the time of the reading at the close. */
  finalReading: string;
  thisElection: string;
  previousElection: string;
  /** "−5,5 punti" (the signed figure already formatted). */
  pointsDelta: (delta: string) => string;
  /** Two short lines under a reading not all sections had reported: "311 su 849", "sezioni". */
  sectionsReported: (counted: string, total: string) => [string, string];
  noTurnout: string;
}

export const CHART_LABELS: Record<Lang, ChartLabels> = {
  it: {
    lang: "it",
    locale: "it-IT",
    firstRound: "Primo turno",
    runoff: "Ballottaggio",
    sectionsCounted: (c, t) => `Sezioni scrutinate ${c} su ${t}`,
    finalResults: "Dati definitivi",
    partialResults: "Dati parziali",
    votes: (n) => (n === 1 ? "1 voto" : `${formatInteger(n)} voti`),
    others: (n) => `Altri ${n} candidati`,
    elected: "eletto sindaco",
    toRunoff: "al ballottaggio",
    noFigures: "Nessun voto scrutinato",
    source: (s) => `Fonte: ${s}`,
    updated: (d, t) => `aggiornamento ${d} ${t}`,
    turnoutTitle: (a) => `Affluenza: ${a}`,
    finalReading: "finale",
    thisElection: "questa elezione",
    previousElection: "elezione precedente",
    pointsDelta: (d) => `${d} punti`,
    sectionsReported: (c, t) => [`${c} su ${t}`, "sezioni"],
    noTurnout: "Nessuna rilevazione di affluenza",
  },
  en: {
    lang: "en",
    locale: "en-GB",
    firstRound: "First round",
    runoff: "Runoff",
    sectionsCounted: (c, t) => `Sections counted: ${c} of ${t}`,
    finalResults: "Final results",
    partialResults: "Partial results",
    votes: (n) => (n === 1 ? "1 vote" : `${formatInteger(n, "en")} votes`),
    others: (n) => `${n} other candidates`,
    elected: "elected mayor",
    toRunoff: "to the runoff",
    noFigures: "No votes counted yet",
    source: (s) => `Source: ${s}`,
    updated: (d, t) => `updated ${d} ${t} Italian time`,
    turnoutTitle: (a) => `Turnout: ${a}`,
    finalReading: "final",
    thisElection: "this election",
    previousElection: "previous election",
    pointsDelta: (d) => `${d} points`,
    sectionsReported: (c, t) => [`${c} of ${t}`, "sections"],
    noTurnout: "No turnout readings yet",
  },
};
