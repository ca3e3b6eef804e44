import { escapeHtml as h, html, joinHtml } from "../format/html.js";
import { formatInteger, formatTime } from "../format/italian.js";
import { cardsIt } from "./cards.js";
import { feedIt } from "./feed.js";
import { followIt } from "./follow.js";
import type { Messages } from "./messages.js";
import { resultsIt } from "./results.js";
import { seatsIt } from "./seats.js";

/** A count, Italian style (9.172.026). */
const n = (x: number) => h(formatInteger(x));

export const it: Messages = {
  lang: "it",
  locale: "it-IT",
  welcome: (name, election, group) =>
    group
      ? joinHtml(
          [
            html`Ciao a tutti! 🗳 Sono il bot della notte elettorale: <b>${h(election)}</b>.\n\n`,
            html`In questo gruppo rispondo ai comandi (<code>/citta Genova</code>, /affluenza, /ballottaggi, /ultime) `,
            html`e alle domande che mi menzionano (<code>@${h(group.bot)} chi ha vinto a Genova?</code>) o rispondono a un mio messaggio.\n`,
            html`Con /iscriviti il gruppo riceve ogni nuovo aggiornamento appena esce.\n\nTutti i comandi: /aiuto`,
          ],
          "",
        )
      : joinHtml(
          [
            html`Ciao${name ? html` ${h(name)}` : ""}! 🗳 Sono il bot della notte elettorale: <b>${h(election)}</b>.\n\n`,
            html`Chiedimi pure a parole: «chi ha vinto a Genova?», «affluenza Parma», «ultime 3 Genova». `,
            html`Oppure con i comandi: <code>/citta Genova</code>, /affluenza, /ballottaggi, /ultime.\n`,
            html`Con /iscriviti ricevi ogni nuovo aggiornamento appena esce.\n\nTutti i comandi: /aiuto`,
          ],
          "",
        ),
  helpTitle: html`<b>Cosa puoi chiedermi</b>`,
  helpFooter: (group) =>
    group
      ? `In un gruppo rispondo ai comandi e ai messaggi che mi menzionano (@${group.bot} chi ha vinto a Genova?) o rispondono a un mio messaggio.`
      : "In chat privata basta scrivere, anche a parole: «chi ha vinto a Genova?», «affluenza Parma», «ultime 3 Genova».",
  thanks: (group) =>
    group
      ? html`Prego! 🗳 Quando volete, chiedete pure: /aiuto per l'elenco dei comandi.`
      : html`Prego! 🗳 Quando vuoi, scrivimi il nome di un comune o /aiuto.`,
  onlyText: html`Scrivimi il nome di un comune (per esempio <code>Genova</code>) oppure un comando: /aiuto per l'elenco.`,
  unknownCommand: html`Non conosco questo comando. Scrivi /aiuto per l'elenco.`,
  genericError: "Scusa, qualcosa è andato storto. Riprova tra poco.",
  tooFast: "Stai scrivendo troppo in fretta: aspetta qualche secondo e riprova.",
  notUnderstood: (text) =>
    html`Non ho capito «${text}». Chiedimi per esempio «chi ha vinto a Genova?», «affluenza Parma» o «ultime 3 Genova»; /aiuto per l'elenco dei comandi.`,
  cityNotFound: (q) =>
    html`Non trovo il comune «${q}». Puoi scrivere anche una regione, una provincia o un candidato; /citta senza nome elenca i comuni con risultati.`,
  comuneNotFound: (q) => html`Non trovo il comune «${q}». Controlla come è scritto.`,
  notAComune: (place) => html`<b>${h(place)}</b> non è un comune: scrivimi il nome di un comune.`,
  areaTurnoutNone: (place) =>
    html`Non ho l'affluenza di <b>${h(place)}</b>: i dati caricati hanno solo quella complessiva, eccola.`,
  coverage: ({ results, capoluoghi, voting }) =>
    html`ℹ️ Nota: i risultati caricati sono quelli ${h(
      results === capoluoghi ? `dei ${formatInteger(results)} capoluoghi` : `di ${formatInteger(results)} comuni`,
    )}, su ${h(formatInteger(voting))} comuni al voto.`,
  runoffsPartial: (shown, total) =>
    html`ℹ️ Qui ci sono ${h(formatInteger(shown))} dei ${h(formatInteger(total))} ballottaggi: solo quelli dei comuni con risultati caricati.`,
  chooseCity: html`Scegli un comune:`,
  morePage: "Altri ▶",
  prevPage: "◀ Indietro",
  capoluogo: "capoluogo",
  firstRoundOf: (d) => `Primo turno, ${d}`,
  noPercent: "n.d.",
  outcomeElected: (n) => html`✅ <b>Eletto sindaco al primo turno: ${h(n)}</b>`,
  outcomeRunoff: (a, b, d) => html`🔁 <b>Ballottaggio ${h(d)}</b>: ${h(a)} contro ${h(b)}`,
  outcomeUndecided: html`⏳ Esito non ancora definito`,
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
        return `Nessuno ${inclusive ? "ha raggiunto" : "ha superato"} il ${th} dei voti, e i dati non dicono se il comune supera i ${pop} abitanti (e quindi se va al ballottaggio): si attende l'esito ufficiale.`;
      case "runoff-tie":
        return `Nessuno ${inclusive ? "ha raggiunto" : "ha superato"} il ${th} dei voti: si va al ballottaggio, ma per l'ultimo posto c'è parità di voti e chi ci va lo stabilisce la legge. Si attende il dato ufficiale.`;
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
  noCityTurnout: () => html`🗳 Affluenza: nessun dato per questo comune; il dato complessivo è in /affluenza.`,
  turnoutTitle: (e) => html`🗳 <b>Affluenza — ${h(e)}</b>`,
  turnoutPolls: (d, o, c) => `${d}, seggi aperti dalle ${o} alle ${c}`,
  turnoutFinal: "definitivo",
  turnoutPrevious: (p, d) => `tornata precedente ${p} (${d} punti)`,
  turnoutEarlier: (p, c, t) => `prima stima (${t}, ${c}): ${p}`,
  approx: "circa",
  runoffsTitle: (d) => html`🔁 <b>Ballottaggi di ${h(d)}</b>`,
  noRunoffs: html`Nessun ballottaggio nei dati disponibili.`,
  electedFirstRound: html`✅ <b>Eletti al primo turno</b>`,
  versus: "contro",
  latestTitle: html`📰 <b>Ultimi aggiornamenti</b>`,
  noBulletins: html`Nessun aggiornamento per ora.`,
  badCount: (max) =>
    html`Indica un numero da 1 a ${max}, per esempio <code>/ultime 5</code> o <code>/ultime 3 Genova</code>.`,
  latestCapped: (max) => html`<i>Ne mostro al massimo ${max}.</i>`,
  latestAbout: (name) => html`📰 <b>Ultimi aggiornamenti su ${h(name)}</b>`,
  noBulletinsAbout: (name) => html`Nessun aggiornamento su <b>${h(name)}</b> per ora. Tutti gli aggiornamenti: /ultime`,
  bulletinHeader: (s) => html`🕒 <b>${h(s)}</b>`,
  concerns: "Comuni",
  concernsMore: (names, more) =>
    names.length
      ? `${names.join(", ")} ${more === 1 ? "e un altro" : `e altri ${formatInteger(more)}`}`
      : `${formatInteger(more)} comuni`,
  // formatStamp gives "20:10" today, "12/06 20:10" another day.
  bulletinCorrected: (s) => html`✏️ <i>rettificato ${s.includes("/") ? html`il` : html`alle`} ${h(s)}</i>`,
  bulletinLaterFigure: (text, source) => html`ℹ️ <i>Dato poi definito: ${h(text)} (${h(source)})</i>`,
  infoTitle: html`ℹ️ <b>L'elezione in breve</b>`,
  regionalRule: ({ region, percent, threshold, inclusive, law }) =>
    `In ${region} si vota con la legge regionale${law ? ` ${law}` : ""}: sopra i ${threshold} abitanti ${inclusive ? `basta il ${percent}` : `serve più del ${percent}`} per vincere al primo turno.`,
  infoBody: (p) =>
    joinHtml(
      [
        html`🗓 Primo turno: <b>${h(p.date)}</b>`,
        html`🔁 Eventuale ballottaggio: <b>${h(p.runoff)}</b>`,
        html`🏘 Comuni al voto: <b>${h(p.comuni)}</b>${p.capoluoghi !== undefined ? html`, di cui <b>${h(p.capoluoghi)}</b> capoluoghi di provincia` : ""}`,
        ...(p.voters !== undefined
          ? [
              html`👥 Elettori: <b>${h(p.voters)}</b>${p.population !== undefined ? html` su una popolazione di <b>${h(p.population)}</b>` : ""}`,
              ...(p.votersElsewhere?.length
                ? [html`<i>altre fonti: ${h(p.votersElsewhere.map((o) => `${o.value} (${o.source})`).join(", "))}</i>`]
                : []),
            ]
          : []),
        html`🕖 Seggi aperti dalle <b>${h(p.open)}</b> alle <b>${h(p.close)}</b>`,
        html``,
        html`<b>Le regole</b>`,
        html`• Nei comuni fino a ${h(p.threshold)} abitanti si vota in un solo turno: vince il candidato più votato.`,
        html`• Sopra i ${h(p.threshold)} abitanti vince al primo turno chi supera il ${h(p.majority)}% dei voti; altrimenti i primi due vanno al ballottaggio.`,
        ...p.regional.map((r) => html`• ${h(r)}`),
      ],
      "\n",
    ),
  follow: followIt,
  notAdmin: html`Questo comando è riservato alla redazione.`,
  deskLink: (url, m) =>
    html`Il desk della serata: <a href="${h(url)}">apri il desk</a>\nIl link vale una sola volta, per ${n(m)} minuti; non inoltrarlo.`,
  deskOff: html`Il desk non è attivo: imposta DESK_PORT (o PORT) e DESK_URL, l'indirizzo pubblico della pagina.`,
  journalTitle: html`<b>Ultime azioni della redazione</b>`,
  journalLine: (a) =>
    html`• ${h(formatTime(a.at, a.tz))} ${h(
      {
        publish: "pubblicato",
        correct: "rettificato",
        withdraw: "ritirato",
        release: "sbloccato",
        "feed-draft-published": "bozza automatica pubblicata",
        "feed-draft-dropped": "bozza automatica scartata",
      }[a.what],
    )} ${h(a.subject)} — redattore ${h(String(a.by))}${h(a.via === "desk" ? " dal desk" : "")}`,
  publishUsage: html`Scrivi il testo dopo il comando, per esempio: <code>/pubblica Affluenza alle 19: 42,35% #Genova</code>`,
  publishTooLong: (m) => html`Il testo è troppo lungo: al massimo ${n(m)} caratteri.`,
  publishUnknownTags: (t) =>
    html`Non riconosco questi comuni: ${joinHtml(t, ", ")}. Correggi i tag e riprova; non ho pubblicato nulla.`,
  tagMaybe: (t, s) => html`${h(t)} (forse ${h(s)}?)`,
  useSuggestedTags: (t) => `Usa ${t}`,
  tagWhich: (tag, comuni) =>
    html`${h(tag)} può indicare più comuni (${h(comuni.join(", "))}): quale intendi? Non parte nulla finché non scegli.`,
  publishNoText: html`Il testo è fatto solo di tag o punteggiatura: scrivi l'aggiornamento, per esempio <code>/pubblica Affluenza alle 19: 42,35% #Genova</code>. Non ho pubblicato nulla.`,
  publishTooMuchFormatting: html`Troppa formattazione per un solo messaggio: accorcia il testo o togli qualche link.`,
  publishQueued: (p) =>
    html`📣 Pubblicato (n. ${p.number})${p.comuni.length ? html`, comuni: ${h(p.comuni.join(", "))}` : ""}. ${
      p.recipients
        ? html`Invio in corso a ${n(p.recipients)} chat; ti mando il resoconto alla fine.`
        : html`Nessuna chat iscritta da avvisare.`
    }`,
  bulletinNumber: (number) => `n. ${number}`,
  newsroomInPrivate: (bot) =>
    html`I comandi della redazione rispondono in chat privata: apri @${h(bot)}, premi Avvia e riprova.`,
  previewPublish: html`👁 <b>Anteprima</b>: così lo riceveranno gli iscritti`,
  previewCorrect: (number) => html`✏️ <b>Rettifica di ${h(number)}</b>: così diventerà`,
  previewWithdraw: (number) => html`🗑 <b>Ritiro di ${h(number)}</b>`,
  previewReach: (r, m) =>
    html`${r ? (r === 1 ? html`Lo riceverà <b>1</b> chat.` : html`Lo riceveranno <b>${n(r)}</b> chat.`) : html`Nessuna chat è iscritta: comparirà solo in /ultime.`} Confermi? (entro ${m} minuti)`,
  previewCorrectReach: (p) =>
    html`Correggerò <b>${n(p.copies)}</b> ${p.copies === 1 ? html`copia già consegnata` : html`copie già consegnate`}${
      p.stale
        ? html` (${p.stale === 1 ? html`1 in una chat` : html`${n(p.stale)} in chat`} che non riguarda più: vedranno il testo corretto)`
        : ""
    }${p.added ? html`; la manderò a <b>${n(p.added)}</b> chat che ora riguarda` : ""}${
      p.queued
        ? p.queued === 1
          ? html`; 1 ancora in coda partirà corretta`
          : html`; ${n(p.queued)} ancora in coda partiranno corrette`
        : ""
    }${
      p.dropped
        ? p.dropped === 1
          ? html`; 1 in coda non partirà (non riguarda più quella chat)`
          : html`; ${n(p.dropped)} in coda non partiranno (non riguarda più quelle chat)`
        : ""
    }. Confermi? (entro ${p.minutes} minuti)`,
  previewComuniShortened: (p) =>
    html`ℹ️ I comuni sono troppi per nominarli tutti in un messaggio: la riga «Comuni» ne nomina ${n(p.listed)} su ${n(p.total)}.${
      p.cut !== undefined ? html` Per nominarli tutti accorcia il testo di ${n(p.cut)} caratteri.` : ""
    }`,
  previewWithdrawReach: (p) =>
    html`Cancellerò <b>${n(p.copies)}</b> ${p.copies === 1 ? html`copia` : html`copie`} dalle chat (Telegram non lascia cancellare quelle di oltre 48 ore)${
      p.queued ? html` e ${n(p.queued)} ancora in coda non ${p.queued === 1 ? html`partirà` : html`partiranno`}` : ""
    }; sparirà da /ultime. Confermi? (entro ${p.minutes} minuti)`,
  buttonSend: "📣 Invia",
  buttonCorrect: "✏️ Correggi",
  buttonWithdraw: "🗑 Ritira",
  buttonCancel: "✖️ Annulla",
  draftPublished: (p) =>
    html`✅ Pubblicato (n. ${p.number}): ${
      p.recipients ? html`invio in corso a ${n(p.recipients)} chat, poi il resoconto` : html`nessuna chat da avvisare`
    }. Per correggerlo: <code>/rettifica ${p.number} testo</code>; per ritirarlo: <code>/ritira ${p.number}</code>.`,
  draftCancelled: html`✖️ Annullato: non ho fatto nulla.`,
  draftExpired: html`⌛ Anteprima scaduta: non ho fatto nulla. Scrivi di nuovo il comando.`,
  toastDone: "Fatto.",
  toastCancelled: "Annullato.",
  toastExpired: "Anteprima scaduta: scrivi di nuovo il comando.",
  toastAlreadyDone: "Già fatto: non lo ripeto.",
  toastAlreadyCancelled: "Questa anteprima è stata annullata.",
  toastNotYours: "Questa anteprima è di un altro redattore.",
  toastGone: "Questa anteprima non è più valida.",
  correctUsage: html`Scrivi il numero dell'aggiornamento e il testo corretto, per esempio <code>/rettifica 57 Affluenza alle 19: 42,53%</code>, oppure rispondi con <code>/rettifica testo</code> all'aggiornamento o al suo resoconto.`,
  withdrawUsage: html`Scrivi il numero dell'aggiornamento da ritirare, per esempio <code>/ritira 57</code>, oppure rispondi con <code>/ritira</code> all'aggiornamento o al suo resoconto.`,
  latestNewsroom: (lines) =>
    lines.length
      ? html`Gli ultimi della redazione:\n${joinHtml(lines, "\n")}`
      : html`La redazione non ha ancora pubblicato nulla.`,
  newsroomLine: (p) =>
    html`• <b>${h(p.number)}</b> · ${h(p.time)} · «${h(p.title)}»${p.withdrawn ? html` (ritirato)` : ""}`,
  bulletinNotFound: (r) =>
    html`Non trovo l'aggiornamento «${r}» tra quelli di questa elezione. Scrivi /rettifica senza altro per vedere gli ultimi con il loro numero.`,
  notNewsroomBulletin: (number) =>
    html`L'aggiornamento ${h(number)} viene dai dati (bulletins.json): correggilo o toglilo lì, il bot se ne accorge da solo.`,
  alreadyWithdrawn: (number) => html`L'aggiornamento ${h(number)} è già stato ritirato.`,
  correctionUnchanged: html`Il testo è uguale a quello pubblicato: non c'è nulla da correggere.`,
  correctionStarted: (p) =>
    html`✏️ Rettifica di n. ${p.number} fatta: /ultime mostra il testo nuovo${
      p.copies
        ? html`; correggo ${n(p.copies)} ${p.copies === 1 ? html`copia consegnata` : html`copie consegnate`}`
        : html`; nessuna copia consegnata da correggere`
    }${p.added ? html`; la mando a ${n(p.added)} chat che ora riguarda` : ""}${
      p.queued
        ? html`; ${n(p.queued)} in coda ${p.queued === 1 ? html`partirà corretta` : html`partiranno corrette`}`
        : ""
    }${p.dropped ? html`; ${n(p.dropped)} in coda non ${p.dropped === 1 ? html`partirà` : html`partiranno`}` : ""}${
      p.copies || p.added ? html` e ti mando il resoconto alla fine.` : html`.`
    }`,
  withdrawalStarted: (p) =>
    html`🗑 Ritiro di n. ${p.number} fatto: non compare più in /ultime${
      p.queued
        ? html` e ${n(p.queued)} ${p.queued === 1 ? html`copia in coda non partirà` : html`copie in coda non partiranno`}`
        : ""
    }${
      p.copies
        ? html`; cancello ${n(p.copies)} ${p.copies === 1 ? html`copia consegnata` : html`copie consegnate`} e ti mando il resoconto alla fine.`
        : html`; nessuna copia consegnata da cancellare.`
    }`,
  amendmentReport: (p) =>
    joinHtml(
      [
        html`${p.kind === "correct" ? html`✏️ <b>Rettifica</b>` : html`🗑 <b>Ritiro</b>`} «${h(p.title)}» (n. ${p.number})`,
        html`${p.kind === "correct" ? html`corrette` : html`cancellate`}: <b>${n(p.done)}</b>`,
        html`non più presenti (messaggio cancellato, bot bloccato o chat inesistente): <b>${n(p.gone)}</b>`,
        html`non riuscite (${p.kind === "correct" ? html`Telegram non le lascia modificare` : html`oltre 48 ore, o senza permessi nel gruppo`}): <b>${n(p.failed)}</b>`,
        ...(p.superseded ? [html`lasciate alla rettifica o al ritiro successivo: <b>${n(p.superseded)}</b>`] : []),
        html`durata: ${h(p.seconds)} s`,
      ],
      "\n",
    ),
  pushReport: (p) =>
    html`📊 <b>Resoconto invio</b> «${h(p.title)}» (n. ${p.number})\nconsegnati: <b>${n(p.delivered)}</b>\nrimossi (disiscritti o non più riguardati dopo una rettifica, bot bloccato o chat inesistente): <b>${n(p.removed)}</b>\nsaltati (gruppo in sola lettura o aggiornamento ritirato): <b>${n(p.skipped)}</b>\nnon consegnati: <b>${n(p.failed)}</b>${
      p.possiblyDuplicated
        ? html`\nforse arrivati due volte (ripresi da un'altra istanza del bot mentre li stava inviando): <b>${n(p.possiblyDuplicated)}</b>`
        : ""
    }\ndurata: ${h(p.seconds)} s`,
  lastPush: (p) =>
    html`«${h(p.title)}» (n. ${p.number}) delle ${h(p.time)}: ${n(p.delivered)} consegnati su ${n(p.total)}, ${n(p.removed)} rimossi, ${n(p.failed)} non consegnati${p.running ? html` (in corso)` : ""}`,
  statusBody: (p) =>
    joinHtml(
      [
        html`📊 <b>Stato</b>`,
        html`iscrizioni: <b>${p.subscribers}</b> in <b>${p.chats}</b> chat`,
        html`invii in attesa: <b>${p.pending}</b>`,
        html`aggiornamenti pubblicati: <b>${p.bulletins}</b>`,
        html`ultimo invio: ${p.last ?? html`nessuno`}`,
        ...(p.sends
          ? [
              html`risposte non inviate: <b>${h(formatInteger(p.sends.dropped))}</b> (${h(formatInteger(p.sends.droppedWaited))} in attesa da oltre ${h(formatInteger(p.sends.maxWaitS))} s, ${h(formatInteger(p.sends.droppedOverflow))} per coda piena) · 429 da Telegram: <b>${h(formatInteger(p.sends.rateLimited))}</b>`,
            ]
          : []),
        html`dati: ${h(p.pack)}`,
      ],
      "\n",
    ),
  statusDatabaseDown: html`⚠️ <b>Database non raggiungibile</b>: rispondo con quello che ho in memoria (risultati, affluenza) e riprovo da solo; iscrizioni e invii riprendono appena torna.`,
  statusCluster: (p) =>
    joinHtml(
      [
        html`🖥 <b>Istanze</b>: ${p.instances.length}`,
        ...p.instances.map(
          (i) =>
            html`· ${h(i.id)}${i.self ? html` (questa)` : ""}${i.leader ? html` · feed e schede` : ""}${i.updates ? html` · aggiornamenti` : ""}`,
        ),
        ...p.leases.map(
          (l) =>
            html`lease ${h(l.name)}: ${h(l.holder)}, ${l.expiresInS > 0 ? html`scade tra ${h(formatInteger(l.expiresInS))} s` : html`scaduto`}`,
        ),
      ],
      "\n",
    ),
  inlineRunoffsTitle: "Ballottaggio",
  inlineNoResults: "Nessun comune trovato",
  results: resultsIt,
  card: {
    follow: (name) => `🔔 Segui ${name}`,
    unfollow: (name) => `🔕 Non seguire ${name}`,
    turnout: "🗳 Affluenza",
    news: "📰 Notizie",
    refresh: "🔄 Aggiorna",
    runoffs: "🔁 Tutti i ballottaggi",
    refreshed: "Aggiornato",
    gone: "Questo comune non è più nei dati.",
  },
  feed: feedIt,
  cards: cardsIt,
  seats: seatsIt,
};
