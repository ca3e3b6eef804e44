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
  // formatStamp gives "20:10" today, "12/06 20:10" another day.
  bulletinCorrected: (s) => `✏️ <i>rettificato ${s.includes("/") ? "il" : "alle"} ${s}</i>`,
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
  forGroups: {
    subscribedAll: "🔔 Iscrizione fatta: questo gruppo riceverà ogni nuovo aggiornamento. Per smettere: /disiscriviti",
    subscribedCity: (c) =>
      `🔔 Iscrizione fatta: questo gruppo riceverà gli aggiornamenti su <b>${c}</b> e quelli nazionali. Per smettere: <code>/disiscriviti ${c}</code>`,
    alreadyAll: "Questo gruppo è già iscritto a tutti gli aggiornamenti. 👍",
    alreadyCity: (c) => `Questo gruppo è già iscritto agli aggiornamenti su <b>${c}</b>. 👍`,
    unsubscribedAll: "🔕 Fatto: questo gruppo non riceverà più aggiornamenti. Per tornare: /iscriviti",
    unsubscribedCity: (c) => `🔕 Fatto: niente più aggiornamenti su <b>${c}</b> in questo gruppo.`,
    notSubscribed: "Questo gruppo non è iscritto. Per iscriverlo: /iscriviti",
    notSubscribedCity: (c) => `Questo gruppo non era iscritto agli aggiornamenti su <b>${c}</b>.`,
    subscriptionsTitle: "🔔 <b>Le iscrizioni di questo gruppo</b>",
    noSubscriptions: "Questo gruppo non ha iscrizioni. Un amministratore può scrivere /iscriviti.",
  },
  groupAdminsOnly: "In un gruppo solo gli amministratori possono gestire le iscrizioni.",
  notAdmin: "Questo comando è riservato alla redazione.",
  publishUsage:
    "Scrivi il testo dopo il comando, per esempio: <code>/pubblica Affluenza alle 19: 42,35% #Genova</code>",
  publishTooLong: (m) => `Il testo è troppo lungo: al massimo ${m} caratteri.`,
  publishUnknownTags: (t) =>
    `Non riconosco questi comuni: ${t.join(", ")}. Correggi i tag e riprova; non ho pubblicato nulla.`,
  tagMaybe: (t, s) => `${t} (forse ${s}?)`,
  useSuggestedTags: (t) => `Usa ${t}`,
  publishNoText:
    "Il testo è fatto solo di tag o punteggiatura: scrivi l'aggiornamento, per esempio <code>/pubblica Affluenza alle 19: 42,35% #Genova</code>. Non ho pubblicato nulla.",
  publishTooMuchFormatting: "Troppa formattazione per un solo messaggio: accorcia il testo o togli qualche link.",
  publishQueued: (p) =>
    `📣 Pubblicato (n. ${p.number})${p.comuni.length ? `, comuni: ${p.comuni.join(", ")}` : ""}. ` +
    (p.recipients
      ? `Invio in corso a ${p.recipients} chat; ti mando il resoconto alla fine.`
      : "Nessuna chat iscritta da avvisare."),
  bulletinNumber: (n) => `n. ${n}`,
  newsroomInPrivate: (bot) =>
    `I comandi della redazione rispondono in chat privata: apri @${bot}, premi Avvia e riprova.`,
  previewPublish: "👁 <b>Anteprima</b>: così lo riceveranno gli iscritti",
  previewCorrect: (n) => `✏️ <b>Rettifica di ${n}</b>: così diventerà`,
  previewWithdraw: (n) => `🗑 <b>Ritiro di ${n}</b>`,
  previewReach: (n, m) =>
    `${n ? `Lo riceveranno <b>${n}</b> chat.` : "Nessuna chat è iscritta: comparirà solo in /ultime."} Confermi? (entro ${m} minuti)`,
  previewCorrectReach: (p) =>
    `Correggerò <b>${p.copies}</b> ${p.copies === 1 ? "copia già consegnata" : "copie già consegnate"}` +
    `${p.queued ? `; ${p.queued} ancora in coda partiranno corrette` : ""}. Confermi? (entro ${p.minutes} minuti)`,
  previewWithdrawReach: (p) =>
    `Cancellerò <b>${p.copies}</b> ${p.copies === 1 ? "copia" : "copie"} dalle chat (Telegram non lascia cancellare quelle di oltre 48 ore)` +
    `${p.queued ? ` e ${p.queued} ancora in coda non partiranno` : ""}; sparirà da /ultime. Confermi? (entro ${p.minutes} minuti)`,
  buttonSend: "📣 Invia",
  buttonCorrect: "✏️ Correggi",
  buttonWithdraw: "🗑 Ritira",
  buttonCancel: "✖️ Annulla",
  draftPublished: (p) =>
    `✅ Pubblicato (n. ${p.number}): ${p.recipients ? `invio in corso a ${p.recipients} chat, poi il resoconto` : "nessuna chat da avvisare"}. ` +
    `Per correggerlo: <code>/rettifica ${p.number} testo</code>; per ritirarlo: <code>/ritira ${p.number}</code>.`,
  draftCancelled: "✖️ Annullato: non ho fatto nulla.",
  draftExpired: "⌛ Anteprima scaduta: non ho fatto nulla. Scrivi di nuovo il comando.",
  toastDone: "Fatto.",
  toastCancelled: "Annullato.",
  toastExpired: "Anteprima scaduta: scrivi di nuovo il comando.",
  toastAlreadyDone: "Già fatto: non lo ripeto.",
  toastAlreadyCancelled: "Questa anteprima è stata annullata.",
  toastNotYours: "Questa anteprima è di un altro redattore.",
  toastGone: "Questa anteprima non è più valida.",
  correctUsage:
    "Scrivi il numero dell'aggiornamento e il testo corretto, per esempio <code>/rettifica 57 Affluenza alle 19: 42,53%</code>, oppure rispondi con <code>/rettifica testo</code> all'aggiornamento o al suo resoconto.",
  withdrawUsage:
    "Scrivi il numero dell'aggiornamento da ritirare, per esempio <code>/ritira 57</code>, oppure rispondi con <code>/ritira</code> all'aggiornamento o al suo resoconto.",
  latestNewsroom: (lines) =>
    lines.length ? `Gli ultimi della redazione:\n${lines.join("\n")}` : "La redazione non ha ancora pubblicato nulla.",
  newsroomLine: (p) => `• <b>${p.number}</b> · ${p.time} · «${p.title}»${p.withdrawn ? " (ritirato)" : ""}`,
  bulletinNotFound: (r) =>
    `Non trovo l'aggiornamento «${r}» tra quelli di questa elezione. Scrivi /rettifica senza altro per vedere gli ultimi con il loro numero.`,
  notNewsroomBulletin: (n) =>
    `L'aggiornamento ${n} viene dai dati (bulletins.json): correggilo o toglilo lì, il bot se ne accorge da solo.`,
  alreadyWithdrawn: (n) => `L'aggiornamento ${n} è già stato ritirato.`,
  correctionUnchanged: "Il testo è uguale a quello pubblicato: non c'è nulla da correggere.",
  correctionStarted: (p) =>
    `✏️ Rettifica di n. ${p.number} fatta: /ultime mostra il testo nuovo` +
    (p.copies
      ? `; correggo ${p.copies} ${p.copies === 1 ? "copia consegnata" : "copie consegnate"} e ti mando il resoconto alla fine.`
      : `${p.queued ? ` e le ${p.queued} copie in coda partiranno corrette` : ""}; nessuna copia consegnata da correggere.`),
  withdrawalStarted: (p) =>
    `🗑 Ritiro di n. ${p.number} fatto: non compare più in /ultime` +
    `${p.queued ? ` e ${p.queued} ${p.queued === 1 ? "copia in coda non partirà" : "copie in coda non partiranno"}` : ""}` +
    (p.copies
      ? `; cancello ${p.copies} ${p.copies === 1 ? "copia consegnata" : "copie consegnate"} e ti mando il resoconto alla fine.`
      : "; nessuna copia consegnata da cancellare."),
  amendmentReport: (p) =>
    [
      `${p.kind === "correct" ? "✏️ <b>Rettifica</b>" : "🗑 <b>Ritiro</b>"} «${p.title}» (n. ${p.number})`,
      `${p.kind === "correct" ? "corrette" : "cancellate"}: <b>${p.done}</b>`,
      `non più presenti (messaggio cancellato, bot bloccato o chat inesistente): <b>${p.gone}</b>`,
      `non riuscite (${p.kind === "correct" ? "Telegram non le lascia modificare" : "oltre 48 ore, o senza permessi nel gruppo"}): <b>${p.failed}</b>`,
      ...(p.superseded ? [`lasciate alla rettifica o al ritiro successivo: <b>${p.superseded}</b>`] : []),
      `durata: ${p.seconds} s`,
    ].join("\n"),
  pushReport: (p) =>
    `📊 <b>Resoconto invio</b> «${p.title}» (n. ${p.number})\nconsegnati: <b>${p.delivered}</b>\nrimossi (disiscritti, bot bloccato o chat inesistente): <b>${p.removed}</b>\nsaltati (gruppo in sola lettura o aggiornamento ritirato): <b>${p.skipped}</b>\nnon consegnati: <b>${p.failed}</b>\ndurata: ${p.seconds} s`,
  lastPush: (p) =>
    `«${p.title}» (n. ${p.number}) delle ${p.time}: ${p.delivered} consegnati su ${p.total}, ${p.removed} rimossi, ${p.failed} non consegnati${p.running ? " (in corso)" : ""}`,
  statusBody: (p) =>
    [
      "📊 <b>Stato</b>",
      `iscrizioni: <b>${p.subscribers}</b> in <b>${p.chats}</b> chat`,
      `invii in attesa: <b>${p.pending}</b>`,
      `aggiornamenti pubblicati: <b>${p.bulletins}</b>`,
      `ultimo invio: ${p.last ?? "nessuno"}`,
      `dati: ${p.pack}`,
    ].join("\n"),
  inlineRunoffsTitle: "Ballottaggio",
  inlineNoResults: "Nessun comune trovato",
  results: resultsIt,
};
