/**
 * Interface strings of the Ministry's live feed: what cards add while a comune counts (in testa / certo,
 * dati in verifica, dati fermi), turnout from counts by area, and the newsroom's side (anomalies held,
 * drafts to review, /sblocca, /stato). Italian and English; reached as `t.feed`. As in results.ts,
 * `Html` messages escape their plain arguments; `string` ones are plain text the caller escapes.
 */
import type { AnomalyCode } from "../data/anomaly-types.js";
import { type Html, escapeHtml as h, html, joinHtml, type PlainText } from "../format/html.js";

export type CertainKind = "elected-first-round" | "elected" | "runoff-won" | "runoff-pair" | "runoff";

export interface FeedMessages {
  /** "⏳ In testa: <b>X</b>"; several when level; none before the first votes. */
  leading(names: readonly PlainText[]): Html;
  /** A call the sections still to count cannot change. */
  certain(kind: CertainKind, names: readonly PlainText[], threshold: PlainText | undefined): Html;
  /** "certo a 412 sezioni su 655" */
  certainAt(counted: PlainText, total: PlainText): Html;
  /**
   * While the anomaly gate holds a comune's newest figures: since when (`time`, absent if unknown) and
   * what is being checked (phrases of `checking`). `shown`: the card shows the last good figures; false
   * when there are none yet (held since the first answer).
   */
  inVerification(time: PlainText | undefined, what: readonly PlainText[], shown: boolean): Html;
  /** What the gate is checking, for citizens, in a few words and without figures: "la somma dei voti non torna". */
  checking: Record<AnomalyCode, string>;
  staleSince(time: PlainText): Html;
  /** "812 comuni su 849" (`n`, the number reported, for the noun's number). */
  comuniOf(reported: string, total: string, n: number): string;
  /** "alle 19:00" */
  atTime(time: string): string;
  /** "alla chiusura" */
  atClose: string;
  /** How the feed's totals are made. */
  fromCounts: Html;
  /** "849 comuni al voto" */
  followed(n: PlainText): Html;
  regionsTitle: Html;
  /** "Lombardia: 45,2% alle 19:00 · 120 comuni su 130" (`when` from atTime or atClose) */
  areaLine(name: PlainText, percent: PlainText, when: PlainText, comuni: PlainText): Html;
  /** "🗳 Affluenza — Provincia di Vicenza" */
  areaTitle(area: PlainText): Html;
  noReadings(name: PlainText): Html;
  /** The reading at the close. */
  closing: string;
  /** " (ballottaggio)" after a comune's name. */
  runoffTag: string;
  // newsroom
  anomalyHeld(name: PlainText, anomalies: readonly PlainText[], command: PlainText): Html;
  anomalyCleared(name: PlainText): Html;
  releaseButton(name: string): string;
  reviewHead: Html;
  reviewPublishButton: string;
  reviewDropButton: string;
  reviewPublished(recipients: number): Html;
  reviewDropped: Html;
  reviewSettled: Html;
  released(name: PlainText): Html;
  notHeld(name: PlainText): Html;
  heldNone: Html;
  heldTitle: Html;
  heldLine(name: PlainText, since: PlainText, released: boolean, first: PlainText): Html;
  feedOff: Html;
  statusFeed(p: {
    date: string;
    mode: string;
    comuni: number;
    counting: number;
    complete: number;
    requests: number;
    cycles: number;
    lastCycle?: string;
    pausedS?: string;
  }): Html;
  statusMismatches(lines: readonly Html[]): Html;
  mismatchLine(name: PlainText, expected: PlainText, actual: PlainText): Html;
  statusDrafts(n: number): Html;
  /** The Ministry's council seats differ from the law's as the bot computes them: each list's, computed vs official. */
  seatsDiffer(name: PlainText, lines: readonly { list: PlainText; computed: PlainText; official: PlainText }[]): Html;
  /** /stato: the comuni whose Ministry seats differ from the computed ones. */
  statusSeats(names: readonly PlainText[]): Html;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** "a, b e c" */
const listOf = (items: readonly string[], and: string) =>
  items.length > 1 ? `${items.slice(0, -1).join(", ")} ${and} ${items.at(-1)}` : (items[0] ?? "");

export const feedIt: FeedMessages = {
  leading: (names) =>
    names.length === 0
      ? html`⏳ <b>Scrutinio in corso</b>`
      : names.length === 1
        ? html`⏳ In testa: <b>${h(names[0]!)}</b>`
        : html`⏳ In parità in testa: ${joinHtml(
            names.map((n) => html`<b>${h(n)}</b>`),
            " e ",
          )}`,
  certain: (kind, names, threshold) => {
    const [a = "", b = ""] = names;
    switch (kind) {
      case "elected-first-round":
        return html`✅ <b>Certo: eletto sindaco al primo turno ${h(a)}</b>`;
      case "elected":
        return html`✅ <b>Certo: eletto sindaco ${h(a)}</b>`;
      case "runoff-won":
        return html`✅ <b>Certo: ${h(a)} vince il ballottaggio</b>`;
      case "runoff-pair":
        return html`🔁 <b>Certo: ballottaggio tra ${h(a)} e ${h(b)}</b>`;
      case "runoff":
        return html`🔁 <b>Certo: si va al ballottaggio</b>${threshold ? h(` (nessuno può superare il ${threshold})`) : ""}`;
    }
  },
  certainAt: (c, t) =>
    html`<i>${h(`certo a ${c} ${c === "1" ? "sezione" : "sezioni"} su ${t}: le sezioni ancora da scrutinare non possono cambiarlo`)}</i>`,
  inVerification: (time, what, shown) =>
    html`⚠️ <b>${h(shown ? "Nuovi dati in verifica" : "Dati in verifica")}</b>${time ? h(` dalle ${time}`) : ""}: ${h(
      what.length ? listOf(what, "e") : "i numeri del Ministero non tornano",
    )}. ${h(shown ? "Restano gli ultimi dati controllati." : "I numeri saranno pubblicati appena controllati.")}`,
  checking: {
    "sections-fell": "le sezioni scrutinate sono scese",
    "sections-total-changed": "il numero delle sezioni è cambiato",
    "votes-fell": "i voti di un candidato sono scesi",
    "list-votes-fell": "i voti di una lista sono scesi",
    "voters-fell": "i votanti sono scesi",
    "ballots-fell": "le schede bianche, nulle o contestate sono scese",
    "reading-fell": "l'affluenza è scesa",
    "reading-missing": "manca una rilevazione dell'affluenza",
    "candidate-appeared": "è comparso un nuovo candidato",
    "candidate-disappeared": "un candidato non c'è più",
    "outcome-changed": "l'esito dichiarato è cambiato",
    "sum-mismatch": "la somma dei voti non torna",
    "ballots-over": "le schede superano i votanti",
    "lists-exceed-candidate": "i voti di lista superano quelli del candidato",
    "lists-exceed-total": "i voti di lista superano quelli dei candidati",
    "shares-sum": "le percentuali non sommano a 100",
    "share-mismatch": "le percentuali non corrispondono ai voti",
    "voters-over-electors": "i votanti superano gli elettori",
    "turnout-over-100": "l'affluenza supera il 100%",
    "sections-over-total": "le sezioni superano il totale",
    "readings-decrease": "l'affluenza scende da una rilevazione all'altra",
  },
  staleSince: (time) => html`⏸ Dati fermi dalle ${h(time)}`,
  comuniOf: (r, t, n) => `${r} ${plural(n, "comune", "comuni")} su ${t}`,
  atTime: (time) => `alle ${time}`,
  atClose: "alla chiusura",
  fromCounts: html`<i>calcolata dai votanti e dagli elettori dei comuni che l'hanno comunicata</i>`,
  followed: (n) => html`<i>${h(n)} comuni al voto</i>`,
  regionsTitle: html`<b>Per regione</b> (ultima rilevazione)`,
  areaLine: (name, pct, when, comuni) => html`${h(name)}: <b>${h(pct)}</b> ${h(when)} · ${h(comuni)}`,
  areaTitle: (area) => html`🗳 <b>Affluenza</b> — ${h(area)}`,
  noReadings: (name) => html`Per ${h(name)} il Ministero non ha ancora pubblicato l'affluenza.`,
  closing: "chiusura",
  runoffTag: " (ballottaggio)",
  anomalyHeld: (name, anomalies, command) =>
    joinHtml(
      [
        html`⚠️ <b>${h(name)}</b>: bollettini automatici sospesi, i dati del Ministero non tornano.`,
        ...anomalies.map((a) => html`• ${h(a)}`),
        html`Quando li hai controllati: <code>${h(command)}</code>`,
      ],
      "\n",
    ),
  anomalyCleared: (name) =>
    html`✅ <b>${h(name)}</b>: i dati sono di nuovo coerenti, i bollettini automatici ripartono.`,
  releaseButton: (name) => `🔓 Sblocca ${name}`,
  reviewHead: html`📝 <b>Bozza di bollettino automatico</b>: pubblicarla?`,
  reviewPublishButton: "✅ Pubblica",
  reviewDropButton: "🗑 Scarta",
  reviewPublished: (n) => html`✅ Pubblicato (${n} ${h(plural(n, "destinatario", "destinatari"))}).`,
  reviewDropped: html`🗑 Scartato.`,
  reviewSettled: html`Questa bozza è già stata decisa.`,
  released: (name) => html`🔓 <b>${h(name)}</b>: bollettini automatici sbloccati.`,
  notHeld: (name) => html`${h(name)} non è in verifica: i suoi bollettini non sono sospesi.`,
  heldNone: html`Nessun comune in verifica.`,
  heldTitle: html`⚠️ <b>Comuni in verifica</b> (bollettini automatici sospesi):`,
  heldLine: (name, since, released, first) =>
    html`• <b>${h(name)}</b> dalle ${h(since)}${released ? html` (sbloccato dalla redazione)` : ""}: ${h(first)}`,
  feedOff: html`Il feed del Ministero non è attivo (imposta ELIGENDO_DATE).`,
  statusFeed: (p) =>
    joinHtml(
      [
        html`🛰 <b>Feed del Ministero</b> ${h(`(voto del ${p.date}, bollettini: ${p.mode})`)}`,
        h(`• comuni: ${p.comuni}, in scrutinio ${p.counting}, completi ${p.complete}`),
        h(
          `• richieste: ${p.requests} in ${p.cycles} ${plural(p.cycles, "giro", "giri")}${p.lastCycle ? ` (ultimo giro ${p.lastCycle} s)` : ""}`,
        ),
        ...(p.pausedS ? [h(`• in pausa per ${p.pausedS} s: il Ministero rifiuta o non risponde`)] : []),
      ],
      "\n",
    ),
  statusMismatches: (lines) =>
    joinHtml(
      [html`🧮 <b>Conti che non tornano</b> (votanti − bianche − nulle − contestate ≠ voti ai candidati):`, ...lines],
      "\n",
    ),
  mismatchLine: (name, e, a) => h(`• ${name}: attesi ${e}, ai candidati ${a}`),
  statusDrafts: (n) => html`📝 Bozze da decidere: ${n}`,
  seatsDiffer: (name, lines) =>
    joinHtml(
      [
        html`🪑 <b>${h(name)}</b>: i seggi assegnati dal Ministero non sono quelli che il bot calcola secondo la legge (una notizia, o un errore da controllare).`,
        ...lines.map((l) => html`• ${h(l.list)}: calcolati ${h(l.computed)}, Ministero ${h(l.official)}`),
        html`Vedi <code>/seggi ${h(name)}</code>.`,
      ],
      "\n",
    ),
  statusSeats: (names) =>
    html`🪑 <b>Seggi del Ministero diversi dal calcolo</b>: ${joinHtml(
      names.map((n) => h(n)),
      ", ",
    )}`,
};

export const feedEn: FeedMessages = {
  leading: (names) =>
    names.length === 0
      ? html`⏳ <b>Counting</b>`
      : names.length === 1
        ? html`⏳ Leading: <b>${h(names[0]!)}</b>`
        : html`⏳ Level in the lead: ${joinHtml(
            names.map((n) => html`<b>${h(n)}</b>`),
            " and ",
          )}`,
  certain: (kind, names, threshold) => {
    const [a = "", b = ""] = names;
    switch (kind) {
      case "elected-first-round":
        return html`✅ <b>Certain: ${h(a)} elected mayor at the first round</b>`;
      case "elected":
        return html`✅ <b>Certain: ${h(a)} elected mayor</b>`;
      case "runoff-won":
        return html`✅ <b>Certain: ${h(a)} wins the runoff</b>`;
      case "runoff-pair":
        return html`🔁 <b>Certain: runoff between ${h(a)} and ${h(b)}</b>`;
      case "runoff":
        return html`🔁 <b>Certain: there will be a runoff</b>${threshold ? h(` (nobody can pass ${threshold})`) : ""}`;
    }
  },
  certainAt: (c, t) =>
    html`<i>${h(`certain at ${c} of ${t} sections: the sections still to count cannot change it`)}</i>`,
  inVerification: (time, what, shown) =>
    html`⚠️ <b>${h(shown ? "New figures being checked" : "Figures being checked")}</b>${time ? h(` since ${time}`) : ""}: ${h(
      what.length ? listOf(what, "and") : "the Ministry's numbers do not add up",
    )}. ${h(shown ? "These are the last checked figures." : "They will be shown once checked.")}`,
  checking: {
    "sections-fell": "fewer sections counted than before",
    "sections-total-changed": "the number of sections changed",
    "votes-fell": "a candidate's votes went down",
    "list-votes-fell": "a list's votes went down",
    "voters-fell": "the voters went down",
    "ballots-fell": "blank, invalid or contested ballots went down",
    "reading-fell": "the turnout went down",
    "reading-missing": "a turnout reading is missing",
    "candidate-appeared": "a new candidate appeared",
    "candidate-disappeared": "a candidate is missing",
    "outcome-changed": "the stated outcome changed",
    "sum-mismatch": "the votes do not add up",
    "ballots-over": "more ballots than voters",
    "lists-exceed-candidate": "a candidate's lists have more votes than the candidate",
    "lists-exceed-total": "the lists have more votes than the candidates",
    "shares-sum": "the percentages do not add up to 100",
    "share-mismatch": "the percentages do not match the votes",
    "voters-over-electors": "more voters than electors",
    "turnout-over-100": "turnout above 100%",
    "sections-over-total": "more sections than there are",
    "readings-decrease": "the turnout goes down from one reading to the next",
  },
  staleSince: (time) => html`⏸ No change since ${h(time)}`,
  comuniOf: (r, t) => `${r} of ${t} comuni`,
  atTime: (time) => `at ${time}`,
  atClose: "at the close",
  fromCounts: html`<i>from the voters and electors of the comuni that reported it</i>`,
  followed: (n) => html`<i>${h(n)} comuni voting</i>`,
  regionsTitle: html`<b>By region</b> (latest reading)`,
  areaLine: (name, pct, when, comuni) => html`${h(name)}: <b>${h(pct)}</b> ${h(when)} · ${h(comuni)}`,
  areaTitle: (area) => html`🗳 <b>Turnout</b> — ${h(area)}`,
  noReadings: (name) => html`The Ministry has not published turnout for ${h(name)} yet.`,
  closing: "close",
  runoffTag: " (runoff)",
  anomalyHeld: (name, anomalies, command) =>
    joinHtml(
      [
        html`⚠️ <b>${h(name)}</b>: automatic updates held, the Ministry's figures do not add up.`,
        ...anomalies.map((a) => html`• ${h(a)}`),
        html`Once you have checked them: <code>${h(command)}</code>`,
      ],
      "\n",
    ),
  anomalyCleared: (name) => html`✅ <b>${h(name)}</b>: the figures are consistent again, automatic updates resume.`,
  releaseButton: (name) => `🔓 Release ${name}`,
  reviewHead: html`📝 <b>Draft of an automatic update</b>: publish it?`,
  reviewPublishButton: "✅ Publish",
  reviewDropButton: "🗑 Drop",
  reviewPublished: (n) => html`✅ Published (${n} ${h(plural(n, "recipient", "recipients"))}).`,
  reviewDropped: html`🗑 Dropped.`,
  reviewSettled: html`This draft has already been decided.`,
  released: (name) => html`🔓 <b>${h(name)}</b>: automatic updates released.`,
  notHeld: (name) => html`${h(name)} is not held: its updates are not waiting.`,
  heldNone: html`No comune is being checked.`,
  heldTitle: html`⚠️ <b>Comuni being checked</b> (automatic updates held):`,
  heldLine: (name, since, released, first) =>
    html`• <b>${h(name)}</b> since ${h(since)}${released ? html` (released by the newsroom)` : ""}: ${h(first)}`,
  feedOff: html`The Ministry's feed is not on (set ELIGENDO_DATE).`,
  statusFeed: (p) =>
    joinHtml(
      [
        html`🛰 <b>Ministry feed</b> ${h(`(vote of ${p.date}, updates: ${p.mode})`)}`,
        h(`• comuni: ${p.comuni}, counting ${p.counting}, complete ${p.complete}`),
        h(
          `• requests: ${p.requests} in ${p.cycles} ${plural(p.cycles, "cycle", "cycles")}${p.lastCycle ? ` (last cycle ${p.lastCycle} s)` : ""}`,
        ),
        ...(p.pausedS ? [h(`• paused for ${p.pausedS} s: the Ministry refuses or does not answer`)] : []),
      ],
      "\n",
    ),
  statusMismatches: (lines) =>
    joinHtml(
      [
        html`🧮 <b>Sums that do not add up</b> (voters − blank − invalid − contested ≠ the candidates' votes):`,
        ...lines,
      ],
      "\n",
    ),
  mismatchLine: (name, e, a) => h(`• ${name}: expected ${e}, candidates ${a}`),
  statusDrafts: (n) => html`📝 Drafts to decide: ${n}`,
  seatsDiffer: (name, lines) =>
    joinHtml(
      [
        html`🪑 <b>${h(name)}</b>: the seats the Ministry allocated are not those the bot computes under the law (news, or an error to check).`,
        ...lines.map((l) => html`• ${h(l.list)}: computed ${h(l.computed)}, Ministry ${h(l.official)}`),
        html`See <code>/seggi ${h(name)}</code>.`,
      ],
      "\n",
    ),
  statusSeats: (names) =>
    html`🪑 <b>Ministry seats that differ from the computation</b>: ${joinHtml(
      names.map((n) => h(n)),
      ", ",
    )}`,
};
