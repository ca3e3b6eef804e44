/**
 * Interface strings of the live cards and the charts (/grafico, the card's buttons), Italian and
 * English. Reached as `t.cards` from the interface's Messages. Arguments are HTML-escaped already.
 */

export interface CardsMessages {
  /** Under a live card while the count is open. */
  liveFooter: string;
  /** Under a card the chat switched off: it no longer moves. */
  offFooter(city: string): string;
  /** The card's buttons. */
  chartButton: string;
  liveOffButton: string;
  liveOnButton: string;
  /** Toasts after a press of the switch. */
  liveOffToast: string;
  liveOnToast: string;
  /** /iscriviti Genova solo-esiti. */
  outcomesOnly(city: string): string;
  /** The live card switched back on with /iscriviti Genova. */
  liveOn(city: string): string;
  /** "solo-esiti" without a comune. */
  outcomesOnlyUsage: string;
  /** The words that ask for the outcomes only, after the comune: lower case, "-" or a space between words. */
  outcomesOnlyWords: readonly string[];
  // charts
  /** /grafico without an argument. */
  chartUsage: string;
  /** The word that asks for the turnout chart: /grafico affluenza. */
  turnoutWords: readonly string[];
  /** The shares chart's caption. */
  sharesCaption(city: string, round: string): string;
  /** The turnout chart's caption: what it covers, which round. */
  turnoutCaption(area: string, round: string): string;
  /** What the turnout chart covers when it is the whole election. */
  turnoutArea: string;
  /** No turnout readings yet (for the election, or for a comune). */
  noTurnoutReadings(area: string): string;
  /** The chart could not be drawn. */
  chartFailed: string;
  firstRound: string;
  runoff: string;
}

export const cardsIt: CardsMessages = {
  liveFooter: "🔄 <i>Scheda in diretta: questo messaggio si aggiorna da solo a ogni nuovo dato.</i>",
  offFooter: (c) =>
    `🔕 <i>Scheda in diretta spenta: per ${c} ricevi solo gli esiti. Per riaccenderla usa il pulsante qui sotto o scrivi</i> <code>/iscriviti ${c}</code>`,
  chartButton: "📊 Grafico",
  liveOffButton: "🔕 Solo esiti",
  liveOnButton: "🔔 Scheda in diretta",
  liveOffToast: "Scheda in diretta spenta: riceverai solo gli esiti.",
  liveOnToast: "Scheda in diretta accesa.",
  outcomesOnly: (c) =>
    `🔕 Per <b>${c}</b> riceverai solo gli esiti (i primi dati, i risultati certi, il conteggio finale), senza la scheda in diretta. Per riaverla: <code>/iscriviti ${c}</code>`,
  liveOn: (c) =>
    `🔔 Scheda in diretta accesa per <b>${c}</b>: un solo messaggio, aggiornato man mano che si contano i voti. Per spegnerla: <code>/iscriviti ${c} solo-esiti</code>`,
  outcomesOnlyUsage: "Scrivi anche il comune, ad esempio <code>/iscriviti Genova solo-esiti</code>",
  outcomesOnlyWords: ["solo-esiti", "solo esiti", "soloesiti", "outcomes-only", "outcomes only"],
  chartUsage:
    "📊 Scrivi il comune, ad esempio <code>/grafico Genova</code>, oppure <code>/grafico affluenza</code> per l'affluenza.",
  turnoutWords: ["affluenza", "turnout"],
  sharesCaption: (c, r) => `📊 <b>${c}</b> · ${r} · i numeri con <code>/citta ${c}</code>`,
  turnoutCaption: (a, r) => `📊 <b>Affluenza</b> · ${a} · ${r}`,
  turnoutArea: "comuni al voto",
  noTurnoutReadings: (a) => `🗳 Non ci sono ancora dati di affluenza per ${a}.`,
  chartFailed: "Non riesco a disegnare il grafico adesso: riprova tra poco.",
  firstRound: "primo turno",
  runoff: "ballottaggio",
};

export const cardsEn: CardsMessages = {
  liveFooter: "🔄 <i>Live card: this message updates itself with every new figure.</i>",
  offFooter: (c) =>
    `🔕 <i>Live card off: for ${c} you get the outcomes only. To switch it back on use the button below or send</i> <code>/iscriviti ${c}</code>`,
  chartButton: "📊 Chart",
  liveOffButton: "🔕 Outcomes only",
  liveOnButton: "🔔 Live card",
  liveOffToast: "Live card off: you will get the outcomes only.",
  liveOnToast: "Live card on.",
  outcomesOnly: (c) =>
    `🔕 For <b>${c}</b> you will get the outcomes only (the first figures, certain results, the final count), without the live card. To get it back: <code>/iscriviti ${c}</code>`,
  liveOn: (c) =>
    `🔔 Live card on for <b>${c}</b>: one message, updated as the votes are counted. To switch it off: <code>/iscriviti ${c} outcomes-only</code>`,
  outcomesOnlyUsage: "Name the comune too, e.g. <code>/iscriviti Genova outcomes-only</code>",
  outcomesOnlyWords: ["solo-esiti", "solo esiti", "soloesiti", "outcomes-only", "outcomes only"],
  chartUsage: "📊 Name the comune, e.g. <code>/chart Genova</code>, or <code>/chart turnout</code> for the turnout.",
  turnoutWords: ["affluenza", "turnout"],
  sharesCaption: (c, r) => `📊 <b>${c}</b> · ${r} · the figures with <code>/citta ${c}</code>`,
  turnoutCaption: (a, r) => `📊 <b>Turnout</b> · ${a} · ${r}`,
  turnoutArea: "comuni voting",
  noTurnoutReadings: (a) => `🗳 No turnout figures yet for ${a}.`,
  chartFailed: "I can't draw the chart right now: please try again shortly.",
  firstRound: "first round",
  runoff: "runoff",
};
