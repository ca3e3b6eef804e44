/**
 * Interface strings of the results views (both rounds, provenance, comuni without results, areas,
 * candidates), Italian and English. Reached as `t.results` from the interface's Messages.
 */

export interface ResultsMessages {
  /** "12.821 voti" */
  votes(n: string): string;
  /** The comune is known, the pack has nothing on it. */
  noResults(name: string): string;
  /** The comune is on the list of those voting, its results are not in yet. */
  votingNoResults(name: string): string;
  /** The pack's list of comuni voting is complete and does not have it. */
  notVoting(name: string): string;
  runoffOf(date: string): string;
  /** Past tense, after the runoff: the first round sent these two to the runoff. */
  wentToRunoff(a: string, b: string): string;
  runoffElected(name: string): string;
  runoffVoid: string;
  /** The runoff's date has come, its figures are not in the data. */
  runoffNotInData: string;
  /** "🗳 Affluenza: 48,39% (tornata precedente 55,57%)" */
  turnout(percent: string, previous: string | undefined): string;
  /** "📄 Fonte: … · dati definitivi" */
  source(source: string, status: string): string;
  final: string;
  partial: string;
  partialSections(counted: string, total: string): string;
  updatedAt(stamp: string): string;
  andOthers(n: number): string;
  area(kind: "region" | "province", name: string): string;
  areaTitle(area: string, count: number): string;
  areaNone(area: string): string;
  areaMore(shown: number): string;
  candidateIn(query: string): string;
  electedAtRunoff: string;
  runoffWon(winner: string, loser: string | undefined): string;
  runoffsVoid: string;
  runoffsPending: string;
  turnoutRunoffTitle(date: string): string;
  turnoutFirstRoundSame(percent: string): string;
  noTurnout: string;
  /** "…e altri 812 comuni: chiedi /citta e il nome" */
  andMoreComuni(n: number): string;
  infoRunoffComuni(n: string): string;
  infoOutcomes(p: {
    comuni: number;
    capoluoghi: number;
    /** Elected at the first round. */
    firstRound: number;
    /** Sent to the runoff, whose result is not shown yet (its day has not come, or it is not in the data). */
    toRunoff: number;
    runoffDay: string;
    /** Elected at the runoff. */
    runoff: number;
    /** Comuni where nobody was elected. */
    voids: string[];
    /** Outcome the data cannot tell yet. */
    pending: number;
  }): string;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export const resultsIt: ResultsMessages = {
  votes: (n) => `${n} voti`,
  noResults: (name) => `Per <b>${name}</b> non ho risultati in questi dati.`,
  votingNoResults: (name) => `<b>${name}</b> è tra i comuni al voto: i risultati non ci sono ancora.`,
  notVoting: (name) => `<b>${name}</b> non ha votato in queste elezioni.`,
  runoffOf: (d) => `Ballottaggio, ${d}`,
  wentToRunoff: (a, b) => `🔁 Al ballottaggio: ${a} e ${b}`,
  runoffElected: (n) => `✅ <b>Eletto sindaco al ballottaggio: ${n}</b>`,
  runoffVoid: "⛔ <b>Nessun sindaco eletto</b>",
  runoffNotInData: "Il risultato del ballottaggio non è ancora nei dati.",
  turnout: (p, prev) => `🗳 Affluenza: <b>${p}</b>${prev ? ` (tornata precedente ${prev})` : ""}`,
  source: (s, status) => `📄 <i>Fonte: ${s} · ${status}</i>`,
  final: "dati definitivi",
  partial: "dati parziali",
  partialSections: (c, t) => `dati parziali: ${c} sezioni su ${t}`,
  updatedAt: (s) => `aggiornati alle ${s}`,
  andOthers: (n) => `e ${plural(n, "un'altra", `altre ${n}`)}`,
  area: (kind, name) => (kind === "region" ? `Regione ${name}` : `Provincia di ${name}`),
  areaTitle: (a, n) => `📍 <b>${a}</b>: ${n} ${plural(n, "comune", "comuni")} con risultati`,
  areaNone: (a) => `📍 <b>${a}</b>: nessun comune con risultati in questi dati.`,
  areaMore: (n) => `Ne mostro ${n}: per gli altri scrivi il nome del comune.`,
  candidateIn: (q) => `«${q}»: candidati con questo nome in più comuni.`,
  electedAtRunoff: "✅ <b>Eletti al ballottaggio</b>",
  runoffWon: (w, l) => (l ? `${w} su ${l}` : w),
  runoffsVoid: "⛔ <b>Nessun sindaco eletto</b>",
  runoffsPending: "⏳ <b>Risultato non ancora nei dati</b>",
  turnoutRunoffTitle: (d) => `🔁 <b>Ballottaggio</b>, ${d}`,
  turnoutFirstRoundSame: (p) => `al primo turno, negli stessi comuni, ${p}`,
  noTurnout: "Nessun dato di affluenza per ora.",
  andMoreComuni: (n) => `…e ${plural(n, "un altro comune", `altri ${n} comuni`)}: chiedi /citta e il nome.`,
  infoRunoffComuni: (n) => `🔁 Comuni al ballottaggio: <b>${n}</b>`,
  infoOutcomes: (p) =>
    [
      `<b>Nei dati</b>: ${p.comuni} ${plural(p.comuni, "comune", "comuni")} con risultati` +
        (p.capoluoghi ? `, di cui ${p.capoluoghi} ${plural(p.capoluoghi, "capoluogo", "capoluoghi")}` : ""),
      `• eletti al primo turno: <b>${p.firstRound}</b>`,
      ...(p.toRunoff ? [`• al ballottaggio di ${p.runoffDay}: <b>${p.toRunoff}</b>`] : []),
      ...(p.runoff ? [`• eletti al ballottaggio: <b>${p.runoff}</b>`] : []),
      ...(p.voids.length ? [`• senza sindaco: <b>${p.voids.length}</b> (${p.voids.join(", ")})`] : []),
      ...(p.pending ? [`• esito ancora da definire: <b>${p.pending}</b>`] : []),
    ].join("\n"),
};

export const resultsEn: ResultsMessages = {
  votes: (n) => `${n} votes`,
  noResults: (name) => `I have no results for <b>${name}</b> in this data.`,
  votingNoResults: (name) => `<b>${name}</b> is among the comuni voting: no results yet.`,
  notVoting: (name) => `<b>${name}</b> did not vote in this election.`,
  runoffOf: (d) => `Runoff, ${d}`,
  wentToRunoff: (a, b) => `🔁 To the runoff: ${a} and ${b}`,
  runoffElected: (n) => `✅ <b>Elected mayor at the runoff: ${n}</b>`,
  runoffVoid: "⛔ <b>No mayor elected</b>",
  runoffNotInData: "The runoff's result is not in the data yet.",
  turnout: (p, prev) => `🗳 Turnout: <b>${p}</b>${prev ? ` (previous election ${prev})` : ""}`,
  source: (s, status) => `📄 <i>Source: ${s} · ${status}</i>`,
  final: "final figures",
  partial: "partial figures",
  partialSections: (c, t) => `partial figures: ${c} of ${t} sections`,
  updatedAt: (s) => `updated at ${s}`,
  andOthers: (n) => `and ${n} ${plural(n, "other", "others")}`,
  area: (kind, name) => (kind === "region" ? `${name} region` : `Province of ${name}`),
  areaTitle: (a, n) => `📍 <b>${a}</b>: ${n} ${plural(n, "comune", "comuni")} with results`,
  areaNone: (a) => `📍 <b>${a}</b>: no comune with results in this data.`,
  areaMore: (n) => `Showing ${n}: type a comune's name for the others.`,
  candidateIn: (q) => `«${q}» ran in more than one comune:`,
  electedAtRunoff: "✅ <b>Elected at the runoff</b>",
  runoffWon: (w, l) => (l ? `${w} over ${l}` : w),
  runoffsVoid: "⛔ <b>No mayor elected</b>",
  runoffsPending: "⏳ <b>Result not in the data yet</b>",
  turnoutRunoffTitle: (d) => `🔁 <b>Runoff</b>, ${d}`,
  turnoutFirstRoundSame: (p) => `first round, same comuni, ${p}`,
  noTurnout: "No turnout figures yet.",
  andMoreComuni: (n) => `…and ${n} more ${plural(n, "comune", "comuni")}: ask /citta and the name.`,
  infoRunoffComuni: (n) => `🔁 Comuni at the runoff: <b>${n}</b>`,
  infoOutcomes: (p) =>
    [
      `<b>In the data</b>: ${p.comuni} ${plural(p.comuni, "comune", "comuni")} with results` +
        (p.capoluoghi ? `, ${p.capoluoghi} of them provincial capitals` : ""),
      `• elected at the first round: <b>${p.firstRound}</b>`,
      ...(p.toRunoff ? [`• to the runoff on ${p.runoffDay}: <b>${p.toRunoff}</b>`] : []),
      ...(p.runoff ? [`• elected at the runoff: <b>${p.runoff}</b>`] : []),
      ...(p.voids.length ? [`• no mayor elected: <b>${p.voids.length}</b> (${p.voids.join(", ")})`] : []),
      ...(p.pending ? [`• outcome still open: <b>${p.pending}</b>`] : []),
    ].join("\n"),
};
