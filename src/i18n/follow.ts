/**
 * Interface strings of following: /iscriviti, /disiscriviti, /iscrizioni and /silenzioso, Italian
 * and English. Reached as `t.follow` from the interface's Messages. A reply addressed to a group
 * speaks of the group ("il gruppo riceverà"), not to one person ("riceverai"). Names arrive escaped
 * (Html); what is sent is Telegram HTML, typed as such.
 */
import { type Html, escapeHtml as h, html, joinHtml } from "../format/html.js";

/** What a chat receives, for the one sentence that says it. */
export interface FollowState {
  /** Every bulletin. */
  all: boolean;
  /** National bulletins only, asked for on their own (comuni bring them too). */
  national: boolean;
  /** The comuni followed, escaped, in the order to show. */
  comuni: Html[];
}

/** Some of what a chat may follow: comuni (escaped), the national updates, or both. */
export interface Topics {
  comuni: Html[];
  national: boolean;
}

export interface FollowMessages {
  /** "Ricevi gli aggiornamenti su Genova e quelli nazionali." (present: /iscrizioni, after a removal) */
  receives(s: FollowState, group: boolean): Html;
  /** "🔔 Iscrizione fatta: riceverai …" */
  subscribed(s: FollowState, group: boolean): Html;
  alreadyAll(group: boolean): Html;
  /** Asked for comuni (or national updates) while following everything. */
  alreadyCovered(what: Topics, group: boolean): Html;
  /** Everything asked for was followed already. */
  alreadyFollowing(what: Topics, group: boolean): Html;
  /** "Per smettere: /disiscriviti Genova, Parma" (bare when everything). */
  stopHint(what?: Topics): Html;
  unsubscribedAll(group: boolean): Html;
  notSubscribed(group: boolean): Html;
  /** "🔕 Fatto: niente più aggiornamenti su Genova." */
  unsubscribed(names: Html[]): Html;
  unsubscribedNational: Html;
  /** National bulletins still come with the comuni the chat follows. */
  nationalComeWithComuni(group: boolean): Html;
  notFollowing(what: Topics, group: boolean): Html;
  /** Asked to stop comuni (or national updates) while following everything. */
  stillAll(what: Topics, group: boolean): Html;
  /** A name that matched no comune. */
  unknownName(query: Html): Html;
  /** A name that matched several comuni. */
  ambiguousName(query: Html): Html;
  /** Above the suggestion buttons. */
  pickToFollow: Html;
  pickToUnfollow: Html;
  /** Nothing in the text could be read as a comune, "tutti" or "nazionali". */
  followUsage: Html;
  tooMany(max: number): Html;
  subscriptionsTitle: Html;
  noSubscriptions(group: boolean): Html;
  adminsOnly: Html;
  // quiet hours
  quietLine(from: string, to: string): Html;
  quietHint: Html;
  quietSet(from: string, to: string, group: boolean): Html;
  quietOff(group: boolean): Html;
  quietNone: Html;
  quietUsage: Html;
  quietNotSubscribed(group: boolean): Html;
}

const listIt = new Intl.ListFormat("it", { type: "conjunction" });
const listEn = new Intl.ListFormat("en", { type: "conjunction" });
const bold = (names: readonly Html[]): Html[] => names.map((n) => html`<b>${n}</b>`);

/** "Genova, Parma e Lucca" with the names' markup kept and the joining words escaped. */
function listOf(format: Intl.ListFormat, names: readonly Html[]): Html {
  let i = 0;
  const parts = format
    .formatToParts(names.map(() => "\u0000"))
    .map((p) => (p.type === "element" ? names[i++]! : h(p.value)));
  return html`${parts}`;
}

/** "agli aggiornamenti su Genova e a quelli nazionali" */
function topicsIt(w: Topics): Html {
  if (!w.comuni.length) return html`agli aggiornamenti nazionali`;
  return html`agli aggiornamenti su ${listOf(listIt, bold(w.comuni))}${h(w.national ? " e a quelli nazionali" : "")}`;
}

/** "anche quelli su Genova e quelli nazionali" */
function tooIt(w: Topics): Html {
  const parts = [
    ...(w.comuni.length ? [html`quelli su ${listOf(listIt, bold(w.comuni))}`] : []),
    ...(w.national ? [html`quelli nazionali`] : []),
  ];
  return html`anche ${joinHtml(parts, " e ")}`;
}

/** "those about Genova and the national ones included" */
function tooEn(w: Topics): Html {
  const parts = [
    ...(w.comuni.length ? [html`those about ${listOf(listEn, bold(w.comuni))}`] : []),
    ...(w.national ? [html`the national ones`] : []),
  ];
  return html`${joinHtml(parts, " and ")} included`;
}

/** "the updates about Genova and the national ones" */
function topicsEn(w: Topics): Html {
  if (!w.comuni.length) return html`the national updates`;
  return html`the updates about ${listOf(listEn, bold(w.comuni))}${h(w.national ? " and the national ones" : "")}`;
}

export const followIt: FollowMessages = {
  receives: (s, g) => {
    const who = h(g ? "Il gruppo riceve" : "Ricevi");
    if (s.all) return html`${who} tutti gli aggiornamenti.`;
    if (s.comuni.length)
      return html`${who} gli aggiornamenti su ${listOf(listIt, bold(s.comuni))}${h(s.comuni.length > 1 ? "," : "")} e quelli nazionali.`;
    if (s.national) return html`${who} solo gli aggiornamenti nazionali, quelli che non riguardano un singolo comune.`;
    return g ? html`Il gruppo non riceve aggiornamenti.` : html`Non ricevi aggiornamenti.`;
  },
  subscribed: (s, g) => {
    const who = h(g ? "il gruppo riceverà" : "riceverai");
    if (s.all) return html`🔔 Iscrizione fatta: ${who} ogni nuovo aggiornamento.`;
    if (s.comuni.length)
      return html`🔔 Iscrizione fatta: ${who} gli aggiornamenti su ${listOf(listIt, bold(s.comuni))}${h(s.comuni.length > 1 ? "," : "")} e quelli nazionali.`;
    return html`🔔 Iscrizione fatta: ${who} gli aggiornamenti nazionali, quelli che non riguardano un singolo comune.`;
  },
  alreadyAll: (g) => html`${h(g ? "Il gruppo è già iscritto" : "Sei già iscritto")} a tutti gli aggiornamenti. 👍`,
  alreadyCovered: (w, g) => html`${h(g ? "Il gruppo riceve" : "Ricevi")} già tutti gli aggiornamenti, ${tooIt(w)}. 👍`,
  alreadyFollowing: (w, g) => html`${h(g ? "Il gruppo è già iscritto" : "Sei già iscritto")} ${topicsIt(w)}. 👍`,
  stopHint: (w) =>
    html`Per smettere: <code>/disiscriviti${w ? html` ${joinHtml([...w.comuni, ...(w.national ? [h("nazionali")] : [])], ", ")}` : ""}</code>`,
  unsubscribedAll: (g) =>
    html`🔕 Fatto: ${h(g ? "il gruppo non riceverà" : "non riceverai")} più aggiornamenti. Per tornare: /iscriviti`,
  notSubscribed: (g) =>
    html`Non risultano iscrizioni per questa chat. Per ${h(g ? "iscrivere il gruppo" : "iscriverti")}: /iscriviti`,
  unsubscribed: (n) => html`🔕 Fatto: niente più aggiornamenti su ${listOf(listIt, bold(n))}.`,
  unsubscribedNational: html`🔕 Fatto: niente più aggiornamenti nazionali.`,
  nationalComeWithComuni: (g) =>
    html`🔕 Fatto. Gli aggiornamenti nazionali però arrivano a chi segue un comune: ${h(g ? "il gruppo li riceverà finché ne segue" : "li riceverai finché ne segui")} uno.`,
  notFollowing: (w, g) => html`${h(g ? "Il gruppo non era iscritto" : "Non eri iscritto")} ${topicsIt(w)}.`,
  stillAll: (w, g) =>
    html`${h(g ? "Il gruppo riceve" : "Ricevi")} tutti gli aggiornamenti, ${tooIt(w)}. Per smettere: /disiscriviti; per seguire solo alcuni comuni: /disiscriviti, poi <code>/iscriviti Genova, Parma</code>.`,
  unknownName: (q) => html`Non trovo il comune «${q}».`,
  ambiguousName: (q) => html`«${q}» può indicare più comuni.`,
  pickToFollow: html`Tocca quello da seguire:`,
  pickToUnfollow: html`Tocca quello da togliere:`,
  followUsage: html`Scrivi uno o più comuni, per esempio <code>/iscriviti Genova, Parma</code>; oppure <code>/iscriviti tutti</code> per ogni aggiornamento, <code>/iscriviti nazionali</code> per quelli nazionali.`,
  tooMany: (m) => html`Al massimo ${m} comuni per volta: ho letto solo i primi ${m}.`,
  subscriptionsTitle: html`🔔 <b>Le iscrizioni di questa chat</b>`,
  noSubscriptions: (g) =>
    html`Nessuna iscrizione. Scrivi /iscriviti per ${h(g ? "far ricevere al gruppo" : "ricevere")} gli aggiornamenti.`,
  adminsOnly: html`In un gruppo solo gli amministratori possono gestire le iscrizioni e gli orari silenziosi.`,
  quietLine: (f, t) =>
    html`🌙 Silenzioso dalle ${h(f)} alle ${h(t)}: in quelle ore gli aggiornamenti arrivano senza suono.`,
  quietHint: html`Per riceverli senza suono di notte: <code>/silenzioso 23-7</code>`,
  quietSet: (f, t, g) =>
    html`🌙 Fatto: dalle ${h(f)} alle ${h(t)} (ora italiana) gli aggiornamenti ${h(g ? "arriveranno al gruppo" : "ti arriveranno")} senza suono. Per toglierlo: <code>/silenzioso off</code>`,
  quietOff: (g) =>
    html`🔔 Fatto: gli aggiornamenti ${h(g ? "arriveranno al gruppo" : "ti arriveranno")} con il suono a ogni ora.`,
  quietNone: html`Nessun orario silenzioso: gli aggiornamenti arrivano con il suono a ogni ora.`,
  quietUsage: html`Scrivi da che ora a che ora ricevere gli aggiornamenti senza suono, per esempio <code>/silenzioso 23-7</code> o <code>/silenzioso 23:30-07:00</code> (ora italiana); <code>/silenzioso off</code> per toglierlo.`,
  quietNotSubscribed: (g) =>
    html`${h(g ? "Il gruppo non è" : "Non sei")} ancora iscritto: /iscriviti per ricevere gli aggiornamenti.`,
};

export const followEn: FollowMessages = {
  receives: (s, g) => {
    const who = h(g ? "The group gets" : "You get");
    if (s.all) return html`${who} every update.`;
    if (s.comuni.length)
      return html`${who} the updates about ${listOf(listEn, bold(s.comuni))}, and the national ones.`;
    if (s.national) return html`${who} only the national updates, those not about a single comune.`;
    return g ? html`The group gets no updates.` : html`You get no updates.`;
  },
  subscribed: (s, g) => {
    const who = h(g ? "the group will get" : "you will get");
    if (s.all) return html`🔔 Subscribed: ${who} every new update.`;
    if (s.comuni.length)
      return html`🔔 Subscribed: ${who} the updates about ${listOf(listEn, bold(s.comuni))}, and the national ones.`;
    return html`🔔 Subscribed: ${who} the national updates, those not about a single comune.`;
  },
  alreadyAll: (g) => html`${h(g ? "The group is" : "You are")} already subscribed to all updates. 👍`,
  alreadyCovered: (w, g) => html`${h(g ? "The group already gets" : "You already get")} every update, ${tooEn(w)}. 👍`,
  alreadyFollowing: (w, g) => html`${h(g ? "The group is" : "You are")} already subscribed to ${topicsEn(w)}. 👍`,
  stopHint: (w) =>
    html`To stop: <code>/unsubscribe${w ? html` ${joinHtml([...w.comuni, ...(w.national ? [h("national")] : [])], ", ")}` : ""}</code>`,
  unsubscribedAll: (g) =>
    html`🔕 Done: ${h(g ? "the group will get" : "you will get")} no more updates. To come back: /subscribe`,
  notSubscribed: (g) => html`This chat has no subscriptions. To subscribe${h(g ? " the group" : "")}: /subscribe`,
  unsubscribed: (n) => html`🔕 Done: no more updates about ${listOf(listEn, bold(n))}.`,
  unsubscribedNational: html`🔕 Done: no more national updates.`,
  nationalComeWithComuni: (g) =>
    html`🔕 Done. National updates, though, still come to every chat that follows a comune: ${h(g ? "the group will get them while it follows" : "you will get them while you follow")} one.`,
  notFollowing: (w, g) => html`${h(g ? "The group was" : "You were")} not subscribed to ${topicsEn(w)}.`,
  stillAll: (w, g) =>
    html`${h(g ? "The group gets" : "You get")} every update, ${tooEn(w)}. To stop: /unsubscribe; to follow only some comuni: /unsubscribe, then <code>/subscribe Genova, Parma</code>.`,
  unknownName: (q) => html`I can't find the comune «${q}».`,
  ambiguousName: (q) => html`«${q}» may be more than one comune.`,
  pickToFollow: html`Tap the one to follow:`,
  pickToUnfollow: html`Tap the one to remove:`,
  followUsage: html`Write one or more comuni, e.g. <code>/subscribe Genova, Parma</code>; or <code>/subscribe all</code> for every update, <code>/subscribe national</code> for the national ones.`,
  tooMany: (m) => html`At most ${m} comuni at a time: I read only the first ${m}.`,
  subscriptionsTitle: html`🔔 <b>This chat's subscriptions</b>`,
  noSubscriptions: (g) => html`No subscriptions. Send /subscribe to get the updates${h(g ? " in the group" : "")}.`,
  adminsOnly: html`In a group only the administrators can manage subscriptions and quiet hours.`,
  quietLine: (f, t) => html`🌙 Quiet from ${h(f)} to ${h(t)}: updates arriving then come without sound.`,
  quietHint: html`To get them without sound at night: <code>/quiet 23-7</code>`,
  quietSet: (f, t, g) =>
    html`🌙 Done: from ${h(f)} to ${h(t)} (Italian time) updates will reach ${h(g ? "the group" : "you")} without sound. To undo: <code>/quiet off</code>`,
  quietOff: (g) => html`🔔 Done: updates will reach ${h(g ? "the group" : "you")} with sound at any hour.`,
  quietNone: html`No quiet hours: updates arrive with sound at any hour.`,
  quietUsage: html`Write from what time to what time to get the updates without sound, e.g. <code>/quiet 23-7</code> or <code>/quiet 23:30-07:00</code> (Italian time); <code>/quiet off</code> to undo.`,
  quietNotSubscribed: (g) =>
    html`${h(g ? "The group is" : "You are")} not subscribed yet: /subscribe to get the updates.`,
};
