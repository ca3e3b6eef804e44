/**
 * Interface strings of the live cards and the charts (/grafico, the card's buttons), Italian and
 * English. Reached as `t.cards` from the interface's Messages. Names arrive escaped (Html); what is
 * sent with parse_mode HTML is typed Html, button labels and toasts are plain text. A reply
 * addressed to a group speaks of the group, as following's replies do.
 */
import { type Html, escapeHtml as h, html, type PlainText } from "../format/html.js";

export interface CardsMessages {
  /** Under a live card while the count is open. */
  liveFooter: Html;
  /** Under a card the chat switched off: it no longer moves. */
  offFooter(city: Html): Html;
  /** The card's buttons (plain text). */
  chartButton: string;
  liveOffButton: string;
  liveOnButton: string;
  /** Toasts after a press of the switch (plain text). */
  liveOffToast: string;
  liveOnToast: string;
  /** /iscriviti Genova solo-esiti. */
  outcomesOnly(city: Html, group: boolean): Html;
  /** The live card switched back on with /iscriviti Genova. */
  liveOn(city: Html, group: boolean): Html;
  /** "solo-esiti" without a comune. */
  outcomesOnlyUsage: Html;
  /** The words that ask for the outcomes only, after the comune: lower case, "-" or a space between words. */
  outcomesOnlyWords: readonly string[];
  // charts
  /** /grafico without an argument. */
  chartUsage: Html;
  /** The words that ask for the turnout chart: /grafico affluenza. */
  turnoutWords: readonly string[];
  /** The shares chart's caption; `outcome` where the round must say it first ("Nessun sindaco eletto: …"). */
  sharesCaption(city: Html, runoff: boolean, outcome?: PlainText): Html;
  /** The turnout chart's caption: what it covers, which round. */
  turnoutCaption(area: Html, runoff: boolean): Html;
  /** What the turnout chart covers when it is the whole election (plain: it is drawn in the picture too). */
  turnoutArea: string;
  /** No turnout readings yet (for the election, or for a comune). */
  noTurnoutReadings(area: Html): Html;
  /** The chart could not be drawn. */
  chartFailed: Html;
}

const WORDS = ["solo-esiti", "solo esiti", "soloesiti", "outcomes-only", "outcomes only"] as const;
const TURNOUT = ["affluenza", "turnout"] as const;

export const cardsIt: CardsMessages = {
  liveFooter: html`🔄 <i>Scheda in diretta: questo messaggio si aggiorna da solo a ogni nuovo dato.</i>`,
  offFooter: (c) =>
    html`🔕 <i>Scheda in diretta spenta: per ${c} arrivano solo gli esiti. Per riaccenderla usa il pulsante qui sotto o scrivi</i> <code>/iscriviti ${c}</code>`,
  chartButton: "📊 Grafico",
  liveOffButton: "🔕 Solo esiti",
  liveOnButton: "🔔 Scheda in diretta",
  liveOffToast: "Scheda in diretta spenta: arriveranno solo gli esiti.",
  liveOnToast: "Scheda in diretta accesa.",
  outcomesOnly: (c, group) =>
    html`🔕 Per <b>${c}</b> ${group ? html`il gruppo riceverà` : html`riceverai`} solo gli esiti (i primi dati, i risultati certi, il conteggio finale), senza la scheda in diretta. Per riaverla: <code>/iscriviti ${c}</code>`,
  liveOn: (c, group) =>
    html`🔔 Scheda in diretta accesa per <b>${c}</b>: ${group ? html`il gruppo ha` : html`hai`} un solo messaggio, aggiornato man mano che si contano i voti. Per spegnerla: <code>/iscriviti ${c} solo-esiti</code>`,
  outcomesOnlyUsage: html`Scrivi anche il comune, ad esempio <code>/iscriviti Genova solo-esiti</code>`,
  outcomesOnlyWords: WORDS,
  chartUsage: html`📊 Scrivi il comune, ad esempio <code>/grafico Genova</code>, oppure <code>/grafico affluenza</code> per l'affluenza.`,
  turnoutWords: TURNOUT,
  sharesCaption: (c, runoff, outcome) =>
    html`📊 <b>${c}</b> · ${runoff ? html`ballottaggio` : html`primo turno`}${outcome ? html` · ⛔ <b>${h(outcome)}</b>` : ""} · i numeri con <code>/citta ${c}</code>`,
  turnoutCaption: (a, runoff) => html`📊 <b>Affluenza</b> · ${a} · ${runoff ? html`ballottaggio` : html`primo turno`}`,
  turnoutArea: "comuni al voto",
  noTurnoutReadings: (a) => html`🗳 Non ci sono ancora dati di affluenza per ${a}.`,
  chartFailed: html`Non riesco a disegnare il grafico adesso: riprova tra poco.`,
};

export const cardsEn: CardsMessages = {
  liveFooter: html`🔄 <i>Live card: this message updates itself with every new figure.</i>`,
  offFooter: (c) =>
    html`🔕 <i>Live card off: for ${c} only the outcomes arrive. To switch it back on use the button below or send</i> <code>/subscribe ${c}</code>`,
  chartButton: "📊 Chart",
  liveOffButton: "🔕 Outcomes only",
  liveOnButton: "🔔 Live card",
  liveOffToast: "Live card off: only the outcomes will arrive.",
  liveOnToast: "Live card on.",
  outcomesOnly: (c, group) =>
    html`🔕 For <b>${c}</b> ${group ? html`the group will get` : html`you will get`} the outcomes only (the first figures, certain results, the final count), without the live card. To get it back: <code>/subscribe ${c}</code>`,
  liveOn: (c, group) =>
    html`🔔 Live card on for <b>${c}</b>: ${group ? html`the group gets` : html`you get`} one message, updated as the votes are counted. To switch it off: <code>/subscribe ${c} outcomes-only</code>`,
  outcomesOnlyUsage: html`Name the comune too, e.g. <code>/subscribe Genova outcomes-only</code>`,
  outcomesOnlyWords: WORDS,
  chartUsage: html`📊 Name the comune, e.g. <code>/chart Genova</code>, or <code>/chart turnout</code> for the turnout.`,
  turnoutWords: TURNOUT,
  sharesCaption: (c, runoff, outcome) =>
    html`📊 <b>${c}</b> · ${runoff ? html`runoff` : html`first round`}${outcome ? html` · ⛔ <b>${h(outcome)}</b>` : ""} · the figures with <code>/city ${c}</code>`,
  turnoutCaption: (a, runoff) => html`📊 <b>Turnout</b> · ${a} · ${runoff ? html`runoff` : html`first round`}`,
  turnoutArea: "comuni voting",
  noTurnoutReadings: (a) => html`🗳 No turnout figures yet for ${a}.`,
  chartFailed: html`I can't draw the chart right now: please try again shortly.`,
};
