/**
 * Interface strings of the results views (both rounds, provenance, comuni without results, areas,
 * candidates), Italian and English. Reached as `t.results` from the interface's Messages.
 * As there, `Html` messages escape their plain arguments; `string` ones are plain text the views escape.
 */
import { type Html, escapeHtml as h, html, joinHtml, type PlainText } from "../format/html.js";

export interface ResultsMessages {
  /** "12.821 voti" */
  votes(n: string): string;
  /** The comune is known, the pack has nothing on it. */
  noResults(name: PlainText): Html;
  /** The comune is on the list of those voting, its results are not in yet. */
  votingNoResults(name: PlainText): Html;
  /** The pack's list of comuni voting is complete and does not have it. */
  notVoting(name: PlainText): Html;
  runoffOf(date: string): string;
  /** Past tense, after the runoff: the first round sent these two to the runoff. */
  wentToRunoff(a: PlainText, b: PlainText): Html;
  runoffElected(name: PlainText): Html;
  runoffVoid: Html;
  /** "When is the runoff?": "🔁 Ballottaggio a Genova: domenica 25 giugno 2017" (the day spelled out). */
  runoffWhen(name: PlainText, day: string): Html;
  /** Under runoffWhen: who runs ("Marco Bucci contro Gianni Crivello"; one name: the sole candidate). */
  runoffPair(names: readonly string[]): Html;
  /** "When is the runoff?" before the first round has said whether there is one. */
  runoffIfAny(name: PlainText, day: string): Html;
  /** "When is the runoff?" where the first round decided: none. */
  noRunoffFor(name: PlainText): Html;
  /** "Nessun sindaco eletto", plain (inline titles, charts); `runoffVoid` says the same on a card. */
  noMayor: string;
  /** Why nobody was elected, when a sole candidate missed the region's quorum: "quorum non raggiunto". */
  quorumMissed: string;
  /** After a sole candidate's name: "unico candidato: 14.536 voti" (votes formatted; none when the source lacks them). */
  soleFigures(votes: string | undefined): string;
  /** "affluenza 26,75%, sotto il minimo del 50%" (figures formatted; without a minimum, the turnout alone). */
  quorumTurnout(turnout: string, min: string | undefined, met: boolean): string;
  /** "voti pari al 24,2% degli elettori, sotto il minimo del 25%" */
  quorumElectors(share: string, min: string | undefined, met: boolean): string;
  /** The runoff's date has come, its figures are not in the data. */
  runoffNotInData: string;
  /** "🗳 Affluenza: 48,39% (tornata precedente 55,57%)" */
  turnout(percent: PlainText, previous: PlainText | undefined): Html;
  /** "📄 Fonte: … · dati definitivi" */
  source(source: PlainText, status: PlainText): Html;
  final: string;
  partial: string;
  partialSections(counted: string, total: string): string;
  updatedAt(stamp: string): string;
  andOthers(n: number): string;
  area(kind: "region" | "province", name: string): string;
  areaTitle(area: PlainText, count: number): Html;
  areaNone(area: PlainText): Html;
  areaMore(shown: number): Html;
  /** @param query what was typed, quoted for HTML (`quoteUser`) */
  candidateIn(query: Html): Html;
  electedAtRunoff: Html;
  /** Both are markup: the candidates as the runoffs view shows them. */
  runoffWon(winner: Html, loser: Html | undefined): Html;
  runoffsVoid: Html;
  runoffsPending: Html;
  turnoutRunoffTitle(date: PlainText): Html;
  turnoutFirstRoundSame(percent: string): string;
  noTurnout: Html;
  /** "…e altri 812 comuni: chiedi /citta e il nome" */
  andMoreComuni(n: number): Html;
  infoRunoffComuni(n: PlainText): Html;
  infoOutcomes(p: {
    comuni: number;
    capoluoghi: number;
    /** Elected at the first round. */
    firstRound: number;
    /** Sent to the runoff, whose result is not shown yet (its day has not come, or it is not in the data). */
    toRunoff: number;
    runoffDay: PlainText;
    /** Elected at the runoff. */
    runoff: number;
    /** Comuni where nobody was elected. */
    voids: PlainText[];
    /** Outcome the data cannot tell yet. */
    pending: number;
  }): Html;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

const NO_MAYOR_IT = "Nessun sindaco eletto";
const NO_MAYOR_EN = "No mayor elected";

export const resultsIt: ResultsMessages = {
  votes: (n) => `${n} voti`,
  noResults: (name) => html`Per <b>${h(name)}</b> non ho risultati in questi dati.`,
  votingNoResults: (name) => html`<b>${h(name)}</b> è tra i comuni al voto: i risultati non ci sono ancora.`,
  notVoting: (name) => html`<b>${h(name)}</b> non ha votato in queste elezioni.`,
  runoffOf: (d) => `Ballottaggio, ${d}`,
  wentToRunoff: (a, b) => html`🔁 Al ballottaggio: ${h(a)} e ${h(b)}`,
  runoffElected: (n) => html`✅ <b>Eletto sindaco al ballottaggio: ${h(n)}</b>`,
  runoffVoid: html`⛔ <b>${h(NO_MAYOR_IT)}</b>`,
  runoffWhen: (name, day) => html`🔁 Ballottaggio a <b>${h(name)}</b>: ${h(day)}`,
  runoffPair: (names) =>
    names.length === 1 ? html`con il solo ${h(names[0]!)}` : html`${h(names[0]!)} contro ${h(names[1]!)}`,
  runoffIfAny: (name, day) =>
    html`🔁 Se a <b>${h(name)}</b> servirà un ballottaggio, si voterà ${h(day)}.\nLo spoglio del primo turno non l'ha ancora deciso.`,
  noRunoffFor: (name) => html`🔁 A <b>${h(name)}</b> non c'è ballottaggio: il primo turno ha deciso.`,
  noMayor: NO_MAYOR_IT,
  quorumMissed: "quorum non raggiunto",
  soleFigures: (votes) => `unico candidato${votes ? `: ${votes} voti` : ""}`,
  quorumTurnout: (p, min, met) =>
    `affluenza ${p}${min ? `, ${met ? "raggiunto il minimo" : "sotto il minimo"} del ${min}` : ""}`,
  quorumElectors: (p, min, met) =>
    `voti pari al ${p} degli elettori${min ? `, ${met ? "raggiunto il minimo" : "sotto il minimo"} del ${min}` : ""}`,
  runoffNotInData: "Il risultato del ballottaggio non è ancora nei dati.",
  turnout: (p, prev) => html`🗳 Affluenza: <b>${h(p)}</b>${prev ? html` (tornata precedente ${h(prev)})` : ""}`,
  source: (s, status) => html`📄 <i>Fonte: ${h(s)} · ${h(status)}</i>`,
  final: "dati definitivi",
  partial: "dati parziali",
  partialSections: (c, t) => `dati parziali: ${c} ${c === "1" ? "sezione" : "sezioni"} su ${t}`,
  updatedAt: (s) => `aggiornati alle ${s}`,
  andOthers: (n) => `e ${plural(n, "un'altra", `altre ${n}`)}`,
  area: (kind, name) => (kind === "region" ? `Regione ${name}` : `Provincia di ${name}`),
  areaTitle: (a, n) => html`📍 <b>${h(a)}</b>: ${n} ${h(plural(n, "comune", "comuni"))} con risultati`,
  areaNone: (a) => html`📍 <b>${h(a)}</b>: nessun comune con risultati in questi dati.`,
  areaMore: (n) => html`Ne mostro ${n}: per gli altri scrivi il nome del comune.`,
  candidateIn: (q) => html`«${q}»: candidati con questo nome in più comuni.`,
  electedAtRunoff: html`✅ <b>Eletti al ballottaggio</b>`,
  runoffWon: (w, l) => (l ? html`${w} su ${l}` : w),
  runoffsVoid: html`⛔ <b>${h(NO_MAYOR_IT)}</b>`,
  runoffsPending: html`⏳ <b>Risultato non ancora nei dati</b>`,
  turnoutRunoffTitle: (d) => html`🔁 <b>Ballottaggio</b>, ${h(d)}`,
  turnoutFirstRoundSame: (p) => `al primo turno, negli stessi comuni, ${p}`,
  noTurnout: html`Nessun dato di affluenza per ora.`,
  andMoreComuni: (n) => html`…e ${h(plural(n, "un altro comune", `altri ${n} comuni`))}: chiedi /citta e il nome.`,
  infoRunoffComuni: (n) => html`🔁 Comuni al ballottaggio: <b>${h(n)}</b>`,
  infoOutcomes: (p) =>
    joinHtml(
      [
        html`<b>Nei dati</b>: ${p.comuni} ${h(plural(p.comuni, "comune", "comuni"))} con risultati${
          p.capoluoghi ? html`, di cui ${p.capoluoghi} ${h(plural(p.capoluoghi, "capoluogo", "capoluoghi"))}` : ""
        }`,
        html`• eletti al primo turno: <b>${p.firstRound}</b>`,
        ...(p.toRunoff ? [html`• al ballottaggio di ${h(p.runoffDay)}: <b>${p.toRunoff}</b>`] : []),
        ...(p.runoff ? [html`• eletti al ballottaggio: <b>${p.runoff}</b>`] : []),
        ...(p.voids.length ? [html`• senza sindaco: <b>${p.voids.length}</b> (${h(p.voids.join(", "))})`] : []),
        ...(p.pending ? [html`• esito ancora da definire: <b>${p.pending}</b>`] : []),
      ],
      "\n",
    ),
};

export const resultsEn: ResultsMessages = {
  votes: (n) => `${n} votes`,
  noResults: (name) => html`I have no results for <b>${h(name)}</b> in this data.`,
  votingNoResults: (name) => html`<b>${h(name)}</b> is among the comuni voting: no results yet.`,
  notVoting: (name) => html`<b>${h(name)}</b> did not vote in this election.`,
  runoffOf: (d) => `Runoff, ${d}`,
  wentToRunoff: (a, b) => html`🔁 To the runoff: ${h(a)} and ${h(b)}`,
  runoffElected: (n) => html`✅ <b>Elected mayor at the runoff: ${h(n)}</b>`,
  runoffVoid: html`⛔ <b>${h(NO_MAYOR_EN)}</b>`,
  runoffWhen: (name, day) => html`🔁 Runoff in <b>${h(name)}</b>: ${h(day)}`,
  runoffPair: (names) =>
    names.length === 1 ? html`with ${h(names[0]!)} alone` : html`${h(names[0]!)} against ${h(names[1]!)}`,
  runoffIfAny: (name, day) =>
    html`🔁 If <b>${h(name)}</b> needs a runoff, it will be held on ${h(day)}.\nThe first round's count has not decided yet.`,
  noRunoffFor: (name) => html`🔁 No runoff in <b>${h(name)}</b>: the first round decided.`,
  noMayor: NO_MAYOR_EN,
  quorumMissed: "quorum not reached",
  soleFigures: (votes) => `the only candidate${votes ? `: ${votes} votes` : ""}`,
  quorumTurnout: (p, min, met) => `turnout ${p}${min ? `, ${met ? "reaching" : "below"} the ${min} minimum` : ""}`,
  quorumElectors: (p, min, met) =>
    `votes equal to ${p} of the electors${min ? `, ${met ? "reaching" : "below"} the ${min} minimum` : ""}`,
  runoffNotInData: "The runoff's result is not in the data yet.",
  turnout: (p, prev) => html`🗳 Turnout: <b>${h(p)}</b>${prev ? html` (previous election ${h(prev)})` : ""}`,
  source: (s, status) => html`📄 <i>Source: ${h(s)} · ${h(status)}</i>`,
  final: "final figures",
  partial: "partial figures",
  partialSections: (c, t) => `partial figures: ${c} of ${t} sections`,
  updatedAt: (s) => `updated at ${s}`,
  andOthers: (n) => `and ${n} ${plural(n, "other", "others")}`,
  area: (kind, name) => (kind === "region" ? `${name} region` : `Province of ${name}`),
  areaTitle: (a, n) => html`📍 <b>${h(a)}</b>: ${n} ${h(plural(n, "comune", "comuni"))} with results`,
  areaNone: (a) => html`📍 <b>${h(a)}</b>: no comune with results in this data.`,
  areaMore: (n) => html`Showing ${n}: type a comune's name for the others.`,
  candidateIn: (q) => html`«${q}» ran in more than one comune:`,
  electedAtRunoff: html`✅ <b>Elected at the runoff</b>`,
  runoffWon: (w, l) => (l ? html`${w} over ${l}` : w),
  runoffsVoid: html`⛔ <b>${h(NO_MAYOR_EN)}</b>`,
  runoffsPending: html`⏳ <b>Result not in the data yet</b>`,
  turnoutRunoffTitle: (d) => html`🔁 <b>Runoff</b>, ${h(d)}`,
  turnoutFirstRoundSame: (p) => `first round, same comuni, ${p}`,
  noTurnout: html`No turnout figures yet.`,
  andMoreComuni: (n) => html`…and ${n} more ${h(plural(n, "comune", "comuni"))}: ask /city and the name.`,
  infoRunoffComuni: (n) => html`🔁 Comuni at the runoff: <b>${h(n)}</b>`,
  infoOutcomes: (p) =>
    joinHtml(
      [
        html`<b>In the data</b>: ${p.comuni} ${h(plural(p.comuni, "comune", "comuni"))} with results${
          p.capoluoghi ? html`, ${p.capoluoghi} of them provincial capitals` : ""
        }`,
        html`• elected at the first round: <b>${p.firstRound}</b>`,
        ...(p.toRunoff ? [html`• to the runoff on ${h(p.runoffDay)}: <b>${p.toRunoff}</b>`] : []),
        ...(p.runoff ? [html`• elected at the runoff: <b>${p.runoff}</b>`] : []),
        ...(p.voids.length ? [html`• no mayor elected: <b>${p.voids.length}</b> (${h(p.voids.join(", "))})`] : []),
        ...(p.pending ? [html`• outcome still open: <b>${p.pending}</b>`] : []),
      ],
      "\n",
    ),
};
