/**
 * Interface strings of the council's seats (/seggi, the 🪑 button, the line in /citta), Italian and English.
 * Reached as `t.seats`. Names arrive escaped (Html); figures arrive formatted for the language.
 */

import { type Html, escapeHtml as h, html } from "../format/html.js";
import { englishLawRef } from "./law.js";

/** A region's own law: the region, and the law's reference as the pack writes it ("n. 19 del 5 dicembre 2013"). */
export interface RegionalLaw {
  region: string;
  law?: string;
}

export interface SeatsMessages {
  /** The card's button (plain text). */
  button: string;
  /** /seggi without a comune. */
  usage: Html;
  /** "🪑 Genova · consiglio comunale: 40 seggi". */
  title(city: Html, seats: Html): Html;
  /** While counting: a projection, on the sections counted. */
  projection(counted: Html, total: Html): Html;
  /** The bonus, in one line: what the mayor's lists get, and why. */
  bonusApplied(seats: Html, total: Html, mayor: Html, runoff: boolean): Html;
  bonusAlready(seats: Html, total: Html, mayor: Html): Html;
  bonusBelowMinimum(seats: Html, total: Html, mayor: Html): Html;
  bonusOtherMajority(seats: Html, total: Html, mayor: Html): Html;
  lameDuck(seats: Html, total: Html, mayor: Html): Html;
  smallBonus(seats: Html, total: Html, mayor: Html): Html;
  /**
   * The rule, in one line, with the article it comes from; `regional`: the region whose own law applies,
   * and the law's reference as the pack writes it (Italian).
   */
  lawMajoritarian(regional: RegionalLaw | undefined): Html;
  lawSmall(regional: RegionalLaw | undefined): Html;
  /** A group: its candidate, its seats; `seated` the defeated candidate takes one of them. */
  group(candidate: Html, seats: Html, mayor: boolean, seated: boolean): Html;
  /** A list below the threshold (plain fragment). */
  excluded: string;
  /** The council's size from the law, not from the source. */
  sizeFromLaw: Html;
  source: Html;
  /** The Ministry's own allocation: the same, or not. */
  officialMatches: Html;
  /** The Ministry's seats shown; the law's as the bot computes them differ on these lists. */
  officialDiffers(lines: Html): Html;
  /** One difference: the list, the Ministry's seats, the computed ones. */
  difference(list: Html, official: Html, computed: Html): Html;
  /** The source line when the Ministry's own seats are shown. */
  officialSource: Html;
  // what cannot be said
  noListVotes(city: Html): Html;
  sizeUnknown(city: Html): Html;
  populationUnknown(city: Html): Html;
  mayorUndecided(city: Html): Html;
  regionNotComputed(city: Html, region: Html, note: Html | undefined): Html;
  singleList(city: Html): Html;
  noMayor(city: Html): Html;
  /** The elected mayor's lists are all below the threshold, and the bonus would go to them. */
  mayorListsExcluded(city: Html): Html;
  tie(city: Html, between: Html): Html;
  runoffPending(city: Html, a: Html, b: Html, seats: Html): Html;
  /** The line under /citta once the count is complete. */
  cityLine(seats: Html, total: Html, mayor: Html, city: Html): Html;
  /** `/grafico seggi Genova`: the words that ask for the seats chart (either language's). */
  chartWords: readonly string[];
  /** The seats chart's caption: the mayor's seats, whether they are a majority, a projection or not. */
  chartCaption(city: Html, seats: Html, total: Html, mayor: Html, majority: boolean, projection: boolean): Html;
}

const CHART_WORDS = ["seggi", "seats"] as const;

export const seatsIt: SeatsMessages = {
  button: "🪑 Seggi",
  usage: html`🪑 Scrivi il comune, ad esempio <code>/seggi Genova</code>`,
  title: (c, s) => html`🪑 <b>${c}</b> · consiglio comunale: ${s} seggi oltre al sindaco`,
  projection: (n, t) =>
    html`⏳ <i>Proiezione dei seggi con i voti di ${n} ${String(n) === "1" ? html`sezione` : html`sezioni`} su ${t}: cambierà con lo scrutinio.</i>`,
  bonusApplied: (s, t, m, runoff) =>
    html`Premio di maggioranza: ${s} seggi su ${t} alle liste di ${m}, sindaco eletto ${runoff ? html`al ballottaggio` : html`al primo turno`}.`,
  bonusAlready: (s, t, m) => html`Nessun premio: le liste di ${m} hanno già ${s} seggi su ${t}, oltre il 60%.`,
  bonusBelowMinimum: (s, t, m) =>
    html`Nessun premio: le liste di ${m} non arrivano al 40% dei voti; hanno ${s} seggi su ${t}.`,
  bonusOtherMajority: (s, t, m) =>
    html`Nessun premio: le liste di un altro candidato superano il 50%; a quelle di ${m} vanno ${s} seggi su ${t}.`,
  lameDuck: (s, t, m) =>
    html`Anatra zoppa: nessun premio, le liste di un altro candidato avevano superato il 50% al primo turno; a quelle di ${m} vanno ${s} seggi su ${t}.`,
  smallBonus: (s, t, m) => html`Alla lista di ${m}, il sindaco eletto, ${s} seggi su ${t}.`,
  lawMajoritarian: (r) =>
    r
      ? html`<i>Legge regionale ${h(r.law ?? r.region)}: seggi col metodo D'Hondt, 60% alle liste del sindaco dove la legge lo prevede.</i>`
      : html`<i>Art. 73 TUEL: fuori le liste sotto il 3% non coalizzate con chi lo supera; D'Hondt; 60% alle liste del sindaco (al primo turno se hanno almeno il 40% e nessun'altra coalizione supera il 50%, al ballottaggio se nessun'altra lo superava al primo turno); ai candidati sindaci sconfitti il primo seggio della loro coalizione.</i>`,
  lawSmall: (r) =>
    r
      ? html`<i>Legge regionale ${h(r.law ?? r.region)}: la quota della legge alla lista del sindaco, il resto col metodo D'Hondt alle altre.</i>`
      : html`<i>Art. 71 TUEL: due terzi dei seggi alla lista del sindaco, il resto col metodo D'Hondt alle altre; ai candidati sconfitti il primo seggio della loro lista.</i>`,
  group: (c, s, mayor, seated) =>
    String(s) === "1"
      ? html`<b>${c}</b>${mayor ? html` (sindaco)` : html``} — 1 seggio${seated ? html`, al candidato` : html``}`
      : html`<b>${c}</b>${mayor ? html` (sindaco)` : html``} — ${s} seggi${seated ? html`, uno al candidato` : html``}`,
  excluded: "esclusa",
  sizeFromLaw: html`<i>Seggi del consiglio secondo l'art. 37 TUEL, dalla popolazione legale del censimento.</i>`,
  source: html`📄 Calcolo del bot secondo la legge, sui voti di lista del Ministero dell'Interno.`,
  officialMatches: html`✅ Il calcolo del bot secondo la legge dà gli stessi seggi.`,
  officialDiffers: (l) => html`⚠️ Il calcolo del bot secondo la legge dà seggi diversi:\n${l}`,
  difference: (l, o, c) => html`   ${l}: ${o} per il Ministero, ${c} secondo il calcolo`,
  officialSource: html`📄 Seggi assegnati dal Ministero dell'Interno.`,
  noListVotes: (c) =>
    html`🪑 Per ${c} i voti delle liste non sono nei dati: i seggi non si possono calcolare (il bot non li stima).`,
  sizeUnknown: (c) =>
    html`🪑 Per ${c} non conosco il numero dei seggi del consiglio (né dal Ministero né dalla popolazione legale): non li calcolo.`,
  populationUnknown: (c) =>
    html`🪑 Per ${c} non so se il comune supera i 15.000 abitanti, quindi quale legge si applica: non calcolo i seggi.`,
  mayorUndecided: (c) => html`🪑 Per ${c} non si sa ancora chi è il sindaco: i seggi dipendono da questo.`,
  regionNotComputed: (c, r, note) =>
    html`🪑 ${c} è in ${r}, che ha una legge propria per i consigli comunali: il bot non calcola i seggi${note ? html` (${note})` : html``}.`,
  singleList: (c) => html`🪑 A ${c} c'era una sola lista: sono eletti tutti i suoi candidati.`,
  noMayor: (c) => html`🪑 A ${c} non è stato eletto un sindaco: nessuna assegnazione dei seggi.`,
  mayorListsExcluded: (c) =>
    html`🪑 A ${c} le liste del sindaco eletto sono tutte sotto la soglia di sbarramento: la legge non dice chiaramente a chi vanno i seggi del premio, quindi il bot non li calcola.`,
  tie: (c, b) => html`🪑 A ${c} l'ultimo seggio è in parità tra ${b}: la legge lo assegna per sorteggio.`,
  runoffPending: (c, a, b, s) =>
    html`🪑 <b>${c}</b> · consiglio comunale: ${s} seggi oltre al sindaco.\nIl premio di maggioranza dipende dal ballottaggio tra ${a} e ${b}: i seggi si calcolano a ballottaggio deciso.`,
  cityLine: (s, t, m, c) => html`🪑 Consiglio: ${s} seggi su ${t} alle liste di ${m} · <code>/seggi ${c}</code>`,
  chartWords: CHART_WORDS,
  chartCaption: (c, s, t, m, majority, projection) =>
    html`🪑 <b>${c}</b>: ${s} seggi su ${t} alle liste di ${m}, ${majority ? html`maggioranza in consiglio` : html`senza maggioranza in consiglio`}${projection ? html` <i>(proiezione sulle sezioni scrutinate)</i>` : ""} · <code>/seggi ${c}</code>`,
};

export const seatsEn: SeatsMessages = {
  button: "🪑 Seats",
  usage: html`🪑 Name the comune, e.g. <code>/seats Genova</code>`,
  title: (c, s) => html`🪑 <b>${c}</b> · city council: ${s} seats besides the mayor`,
  projection: (n, t) =>
    html`⏳ <i>Projection of the seats on the votes of ${n} sections of ${t}: it will change with the count.</i>`,
  bonusApplied: (s, t, m, runoff) =>
    html`Majority bonus: ${s} seats of ${t} to the lists of ${m}, ${runoff ? html`elected at the runoff` : html`elected at the first round`}.`,
  bonusAlready: (s, t, m) => html`No bonus: the lists of ${m} already have ${s} seats of ${t}, above 60%.`,
  bonusBelowMinimum: (s, t, m) =>
    html`No bonus: the lists of ${m} are below 40% of the votes; they have ${s} seats of ${t}.`,
  bonusOtherMajority: (s, t, m) =>
    html`No bonus: another candidate's lists passed 50%; the lists of ${m} get ${s} seats of ${t}.`,
  lameDuck: (s, t, m) =>
    html`Lame duck: no bonus, another candidate's lists had passed 50% at the first round; the lists of ${m} get ${s} seats of ${t}.`,
  smallBonus: (s, t, m) => html`To the list of ${m}, the mayor elected, ${s} seats of ${t}.`,
  lawMajoritarian: (r) =>
    r
      ? html`<i>${h(r.region)}'s regional law${h(englishLawRef(r.law))}: seats by D'Hondt, 60% to the mayor's lists where the law gives it.</i>`
      : html`<i>Art. 73 TUEL: lists below 3% out unless their coalition passed it; D'Hondt; 60% to the mayor's lists (at the first round with at least 40% and no other coalition above 50%, at the runoff unless another passed 50% at the first round); the defeated mayoral candidates take their coalition's first seat.</i>`,
  lawSmall: (r) =>
    r
      ? html`<i>${h(r.region)}'s regional law${h(englishLawRef(r.law))}: the law's share to the mayor's list, the rest by D'Hondt to the others.</i>`
      : html`<i>Art. 71 TUEL: two thirds of the seats to the mayor's list, the rest by D'Hondt to the others; the defeated candidates take their list's first seat.</i>`,
  group: (c, s, mayor, seated) =>
    String(s) === "1"
      ? html`<b>${c}</b>${mayor ? html` (mayor)` : html``} — 1 seat${seated ? html`, the candidate's` : html``}`
      : html`<b>${c}</b>${mayor ? html` (mayor)` : html``} — ${s} seats${seated ? html`, one to the candidate` : html``}`,
  excluded: "excluded",
  sizeFromLaw: html`<i>Council seats by art. 37 TUEL, from the legal population at the census.</i>`,
  source: html`📄 Computed by the bot under the law, on the Interior Ministry's list votes.`,
  officialMatches: html`✅ The bot's computation under the law gives the same seats.`,
  officialDiffers: (l) => html`⚠️ The bot's computation under the law gives different seats:\n${l}`,
  difference: (l, o, c) => html`   ${l}: ${o} for the Ministry, ${c} as computed`,
  officialSource: html`📄 Seats allocated by the Interior Ministry.`,
  noListVotes: (c) =>
    html`🪑 The list votes of ${c} are not in the data: the seats cannot be computed (the bot does not estimate them).`,
  sizeUnknown: (c) =>
    html`🪑 I don't know the size of the council of ${c} (neither from the Ministry nor from the legal population): no seats computed.`,
  populationUnknown: (c) =>
    html`🪑 I don't know whether ${c} has more than 15,000 inhabitants, so which law applies: no seats computed.`,
  mayorUndecided: (c) => html`🪑 The mayor of ${c} is not known yet: the seats depend on it.`,
  regionNotComputed: (c, r, note) =>
    html`🪑 ${c} is in ${r}, which has its own law for city councils: the bot does not compute the seats${note ? html` (${note})` : html``}.`,
  singleList: (c) => html`🪑 ${c} had a single list: all its candidates are elected.`,
  noMayor: (c) => html`🪑 No mayor was elected in ${c}: no seats allocated.`,
  mayorListsExcluded: (c) =>
    html`🪑 In ${c} every list of the elected mayor is below the threshold: the law does not plainly say who takes the bonus's seats, so the bot does not compute them.`,
  tie: (c, b) => html`🪑 In ${c} the last seat is tied between ${b}: the law draws lots.`,
  runoffPending: (c, a, b, s) =>
    html`🪑 <b>${c}</b> · city council: ${s} seats besides the mayor.\nThe majority bonus depends on the runoff between ${a} and ${b}: the seats are computed once it is decided.`,
  cityLine: (s, t, m, c) => html`🪑 Council: ${s} seats of ${t} to the lists of ${m} · <code>/seats ${c}</code>`,
  chartWords: CHART_WORDS,
  chartCaption: (c, s, t, m, majority, projection) =>
    html`🪑 <b>${c}</b>: ${s} seats of ${t} to the lists of ${m}, ${majority ? html`a majority in the council` : html`no majority in the council`}${projection ? html` <i>(projection on the sections counted)</i>` : ""} · <code>/seats ${c}</code>`,
};
