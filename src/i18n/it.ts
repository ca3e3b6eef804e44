import { formatInteger } from "../format/italian.js";
import { feedIt } from "./feed.js";
import type { Messages } from "./messages.js";
import { resultsIt } from "./results.js";

export const it: Messages = {
  lang: "it",
  locale: "it-IT",
  welcome: (name, election) =>
    `Ciao${name ? ` ${name}` : ""}! 🗳 Sono il bot della notte elettorale: <b>${election}</b>.\n\n` +
    `Chiedimi i risultati di una città con /citta e il nome (es. <code>/citta Genova</code>), l'affluenza con /affluenza, ` +
    `i ballottaggi con /ballottaggi e gli ultimi aggiornamenti con /ultime.\n` +
    `Con /iscriviti ricevi ogni nuovo aggiornamento appena esce.\n\nTutti i comandi: /aiuto`,
  helpTitle: "<b>Cosa puoi chiedermi</b>",
  helpFooter: "In chat privata basta scrivere il nome di una città.",
  onlyText: "Scrivimi il nome di un comune (per esempio <code>Genova</code>) oppure un comando: /aiuto per l'elenco.",
  unknownCommand: "Non conosco questo comando. Scrivi /aiuto per l'elenco.",
  genericError: "Scusa, qualcosa è andato storto. Riprova tra poco.",
  tooFast: "Stai scrivendo troppo in fretta: aspetta qualche secondo e riprova.",
  notUnderstood: (text) => `Non ho trovato un comune che si chiami «${text}». Prova /citta per l'elenco o /aiuto.`,
  cityNotFound: (q) =>
    `Non trovo il comune «${q}». Puoi scrivere anche una regione, una provincia o un candidato; /citta senza nome elenca i comuni con risultati.`,
  cityAmbiguous: (q) => `«${q}» può indicare più comuni.`,
  citySuggestions: "Forse cercavi:",
  chooseCity: "Scegli un comune:",
  morePage: "Altri ▶",
  prevPage: "◀ Indietro",
  capoluogo: "capoluogo",
  firstRoundOf: (d) => `Primo turno, ${d}`,
  noPercent: "n.d.",
  outcomeElected: (n) => `✅ <b>Eletto sindaco al primo turno: ${n}</b>`,
  outcomeRunoff: (a, b, d) => `🔁 <b>Ballottaggio ${d}</b>: ${a} contro ${b}`,
  outcomeUndecided: "⏳ Esito non ancora definito",
  reason: (r, { threshold: th, population: pop, region, regional, inclusive }) => {
    const law = regional?.law ? ` ${regional.law}` : "";
    switch (r) {
      case "majority":
        return `Ha superato il ${th} dei voti${regional ? `, come chiede la legge regionale${law} (${region})` : ""}.`;
      case "regional-threshold":
        return `In ${region} la legge regionale${law} elegge al primo turno chi raggiunge il ${th} dei voti nei comuni sopra i ${pop} abitanti.`;
      case "single-round":
        return `Comune fino a ${pop} abitanti: si vota in un solo turno e vince il più votato.`;
      case "no-majority":
        return regional
          ? `In ${region} si vota con la legge regionale${law}: nei comuni sopra i ${pop} abitanti ${inclusive ? `basta raggiungere il ${th}` : `serve più del ${th}`} dei voti, e nessuno ${inclusive ? "l'ha raggiunto" : "l'ha superato"}.`
          : `Nessuno ha superato il ${th} dei voti in un comune sopra i ${pop} abitanti.`;
      case "population-unknown":
        return `Nessuno ha superato il ${th} dei voti, e i dati non dicono se il comune supera i ${pop} abitanti (e quindi se va al ballottaggio).`;
      case "runoff-most-votes":
        return "Al ballottaggio vince chi prende più voti.";
      case "single-candidate":
        return `Ballottaggio con un solo candidato: in ${region} la legge regionale${law} lo elegge se votano abbastanza elettori, e così è stato.`;
      case "single-candidate-quorum":
        return `Ballottaggio con un solo candidato: in ${region} la legge regionale${law} chiede un'affluenza minima, che non è stata raggiunta.`;
      case "stated":
        return "Esito come comunicato dalla fonte.";
      case "tie":
        return "Parità tra i candidati: si attende il dato ufficiale.";
      case "incomplete":
        return "I dati disponibili non bastano per stabilire l'esito.";
    }
  },
  turnoutForCity: "Affluenza",
  noCityTurnout: () => "🗳 Affluenza: nessun dato per questo comune; il dato complessivo è in /affluenza.",
  turnoutTitle: (e) => `🗳 <b>Affluenza — ${e}</b>`,
  turnoutPolls: (d, o, c) => `${d}, seggi aperti dalle ${o} alle ${c}`,
  turnoutFinal: "definitivo",
  turnoutPrevious: (p, d) => `tornata precedente ${p} (${d} punti)`,
  turnoutEarlier: (p, c, t) => `prima stima (${t}, ${c}): ${p}`,
  approx: "circa",
  runoffsTitle: (d) => `🔁 <b>Ballottaggi di ${d}</b>`,
  noRunoffs: "Nessun ballottaggio nei dati disponibili.",
  electedFirstRound: "✅ <b>Eletti al primo turno</b>",
  versus: "contro",
  latestTitle: "📰 <b>Ultimi aggiornamenti</b>",
  noBulletins: "Nessun aggiornamento per ora.",
  badCount: (max) => `Indica un numero da 1 a ${max}, per esempio <code>/ultime 5</code>.`,
  bulletinHeader: (s) => `🕒 <b>${s}</b>`,
  concerns: "Comuni",
  infoTitle: "ℹ️ <b>L'elezione in breve</b>",
  regionalRule: ({ region, percent, threshold, inclusive, law }) =>
    `In ${region} si vota con la legge regionale${law ? ` ${law}` : ""}: sopra i ${threshold} abitanti ${inclusive ? `basta il ${percent}` : `serve più del ${percent}`} per vincere al primo turno.`,
  infoBody: (p) =>
    [
      `🗓 Primo turno: <b>${p.date}</b>`,
      `🔁 Eventuale ballottaggio: <b>${p.runoff}</b>`,
      `🏘 Comuni al voto: <b>${p.comuni}</b>, di cui <b>${p.capoluoghi}</b> capoluoghi di provincia`,
      `👥 Elettori: <b>${p.voters}</b> su una popolazione di <b>${p.population}</b>`,
      `🕖 Seggi aperti dalle <b>${p.open}</b> alle <b>${p.close}</b>`,
      "",
      "<b>Le regole</b>",
      `• Nei comuni fino a ${p.threshold} abitanti si vota in un solo turno: vince il candidato più votato.`,
      `• Sopra i ${p.threshold} abitanti vince al primo turno chi supera il ${p.majority}% dei voti; altrimenti i primi due vanno al ballottaggio.`,
      ...p.regional.map((r) => `• ${r}`),
    ].join("\n"),
  subscribedAll: "🔔 Iscrizione fatta: riceverai ogni nuovo aggiornamento. Per smettere: /disiscriviti",
  subscribedCity: (c) =>
    `🔔 Iscrizione fatta: riceverai gli aggiornamenti su <b>${c}</b> e quelli nazionali. Per smettere: <code>/disiscriviti ${c}</code>`,
  alreadyAll: "Sei già iscritto a tutti gli aggiornamenti. 👍",
  alreadyCity: (c) => `Sei già iscritto agli aggiornamenti su <b>${c}</b>. 👍`,
  unsubscribedAll: "🔕 Fatto: non riceverai più aggiornamenti. Per tornare: /iscriviti",
  unsubscribedCity: (c) => `🔕 Fatto: niente più aggiornamenti su <b>${c}</b>.`,
  notSubscribed: "Non risultano iscrizioni per questa chat. Per iscriverti: /iscriviti",
  notSubscribedCity: (c) => `Non eri iscritto agli aggiornamenti su <b>${c}</b>.`,
  subscriptionsTitle: "🔔 <b>Le iscrizioni di questa chat</b>",
  subscriptionAllLine: "• tutti gli aggiornamenti",
  subscriptionCityLine: (c) => `• ${c} (e gli aggiornamenti nazionali)`,
  noSubscriptions: "Nessuna iscrizione. Scrivi /iscriviti per ricevere gli aggiornamenti.",
  groupAdminsOnly: "In un gruppo solo gli amministratori possono gestire le iscrizioni.",
  notAdmin: "Questo comando è riservato alla redazione.",
  publishUsage:
    "Scrivi il testo dopo il comando, per esempio: <code>/pubblica Affluenza alle 19: 42,35% #Genova</code>",
  publishTooLong: (m) => `Il testo è troppo lungo: al massimo ${m} caratteri.`,
  publishUnknownTags: (t) =>
    `Non riconosco questi comuni: ${t.join(", ")}. Correggi i tag e riprova; non ho pubblicato nulla.`,
  publishQueued: (n, c) =>
    `📣 Pubblicato${c.length ? ` (comuni: ${c.join(", ")})` : ""}. ` +
    (n ? `Invio in corso a ${n} chat; ti mando il resoconto alla fine.` : "Nessuna chat iscritta da avvisare."),
  pushReport: (p) =>
    `📊 <b>Resoconto invio</b> <code>${p.id}</code>\nconsegnati: <b>${p.delivered}</b>\nrimossi (disiscritti, bot bloccato o chat inesistente): <b>${p.removed}</b>\nsaltati (gruppo in sola lettura o aggiornamento ritirato): <b>${p.skipped}</b>\nnon consegnati: <b>${p.failed}</b>\ndurata: ${p.seconds} s`,
  lastPush: (p) =>
    `<code>${p.id}</code> delle ${p.time}: ${p.delivered} consegnati su ${p.total}, ${p.removed} rimossi, ${p.failed} non consegnati${p.running ? " (in corso)" : ""}`,
  statusBody: (p) =>
    [
      "📊 <b>Stato</b>",
      `iscrizioni: <b>${p.subscribers}</b> in <b>${p.chats}</b> chat`,
      `invii in attesa: <b>${p.pending}</b>`,
      `aggiornamenti pubblicati: <b>${p.bulletins}</b>`,
      `ultimo invio: ${p.last ?? "nessuno"}`,
      ...(p.sends
        ? [
            `risposte non inviate: <b>${formatInteger(p.sends.dropped)}</b> (${formatInteger(p.sends.droppedWaited)} in attesa da oltre ${formatInteger(p.sends.maxWaitS)} s, ${formatInteger(p.sends.droppedOverflow)} per coda piena) · 429 da Telegram: <b>${formatInteger(p.sends.rateLimited)}</b>`,
          ]
        : []),
      `dati: ${p.pack}`,
    ].join("\n"),
  inlineRunoffsTitle: "Ballottaggio",
  inlineNoResults: "Nessun comune trovato",
  results: resultsIt,
  feed: feedIt,
};
