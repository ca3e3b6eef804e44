/**
 * Interface strings of following: /iscriviti, /disiscriviti, /iscrizioni and /silenzioso, Italian
 * and English. Reached as `t.follow` from the interface's Messages. A reply addressed to a group
 * speaks of the group ("il gruppo riceverà"), not to one person ("riceverai"). Names and times
 * arrive escaped; the strings are Telegram HTML.
 */

/** What a chat receives, for the one sentence that says it. */
export interface FollowState {
  /** Every bulletin. */
  all: boolean;
  /** National bulletins only, asked for on their own (comuni bring them too). */
  national: boolean;
  /** The comuni followed, escaped, in the order to show. */
  comuni: string[];
}

/** Some of what a chat may follow: comuni (escaped), the national updates, or both. */
export interface Topics {
  comuni: string[];
  national: boolean;
}

export interface FollowMessages {
  /** "Ricevi gli aggiornamenti su Genova e quelli nazionali." (present: /iscrizioni, after a removal) */
  receives(s: FollowState, group: boolean): string;
  /** "🔔 Iscrizione fatta: riceverai …" */
  subscribed(s: FollowState, group: boolean): string;
  alreadyAll(group: boolean): string;
  /** Asked for comuni (or national updates) while following everything. */
  alreadyCovered(what: Topics, group: boolean): string;
  /** Everything asked for was followed already. */
  alreadyFollowing(what: Topics, group: boolean): string;
  /** "Per smettere: /disiscriviti Genova, Parma" (bare when everything). */
  stopHint(what?: Topics): string;
  unsubscribedAll(group: boolean): string;
  notSubscribed(group: boolean): string;
  /** "🔕 Fatto: niente più aggiornamenti su Genova." */
  unsubscribed(names: string[]): string;
  unsubscribedNational: string;
  /** National bulletins still come with the comuni the chat follows. */
  nationalComeWithComuni(group: boolean): string;
  notFollowing(what: Topics, group: boolean): string;
  /** Asked to stop comuni (or national updates) while following everything. */
  stillAll(what: Topics, group: boolean): string;
  /** A name that matched no comune. */
  unknownName(query: string): string;
  /** A name that matched several comuni. */
  ambiguousName(query: string): string;
  /** Above the suggestion buttons. */
  pickToFollow: string;
  pickToUnfollow: string;
  /** Nothing in the text could be read as a comune, "tutti" or "nazionali". */
  followUsage: string;
  tooMany(max: number): string;
  subscriptionsTitle: string;
  noSubscriptions(group: boolean): string;
  adminsOnly: string;
  // quiet hours
  quietLine(from: string, to: string): string;
  quietHint: string;
  quietSet(from: string, to: string, group: boolean): string;
  quietOff(group: boolean): string;
  quietNone: string;
  quietUsage: string;
  quietNotSubscribed(group: boolean): string;
}

const listIt = new Intl.ListFormat("it", { type: "conjunction" });
const listEn = new Intl.ListFormat("en", { type: "conjunction" });
const bold = (names: string[]) => names.map((n) => `<b>${n}</b>`);

/** "agli aggiornamenti su Genova e a quelli nazionali" */
function topicsIt(w: Topics): string {
  if (!w.comuni.length) return "agli aggiornamenti nazionali";
  return `agli aggiornamenti su ${listIt.format(bold(w.comuni))}${w.national ? " e a quelli nazionali" : ""}`;
}

/** "anche quelli su Genova e quelli nazionali" */
function tooIt(w: Topics): string {
  const parts = [
    ...(w.comuni.length ? [`quelli su ${listIt.format(bold(w.comuni))}`] : []),
    ...(w.national ? ["quelli nazionali"] : []),
  ];
  return `anche ${parts.join(" e ")}`;
}

/** "those about Genova and the national ones included" */
function tooEn(w: Topics): string {
  const parts = [
    ...(w.comuni.length ? [`those about ${listEn.format(bold(w.comuni))}`] : []),
    ...(w.national ? ["the national ones"] : []),
  ];
  return `${parts.join(" and ")} included`;
}

/** "the updates about Genova and the national ones" */
function topicsEn(w: Topics): string {
  if (!w.comuni.length) return "the national updates";
  return `the updates about ${listEn.format(bold(w.comuni))}${w.national ? " and the national ones" : ""}`;
}

export const followIt: FollowMessages = {
  receives: (s, g) => {
    const who = g ? "Il gruppo riceve" : "Ricevi";
    if (s.all) return `${who} tutti gli aggiornamenti.`;
    if (s.comuni.length)
      return `${who} gli aggiornamenti su ${listIt.format(bold(s.comuni))}${s.comuni.length > 1 ? "," : ""} e quelli nazionali.`;
    if (s.national) return `${who} solo gli aggiornamenti nazionali, quelli che non riguardano un singolo comune.`;
    return g ? "Il gruppo non riceve aggiornamenti." : "Non ricevi aggiornamenti.";
  },
  subscribed: (s, g) => {
    const who = g ? "il gruppo riceverà" : "riceverai";
    if (s.all) return `🔔 Iscrizione fatta: ${who} ogni nuovo aggiornamento.`;
    if (s.comuni.length)
      return `🔔 Iscrizione fatta: ${who} gli aggiornamenti su ${listIt.format(bold(s.comuni))}${s.comuni.length > 1 ? "," : ""} e quelli nazionali.`;
    return `🔔 Iscrizione fatta: ${who} gli aggiornamenti nazionali, quelli che non riguardano un singolo comune.`;
  },
  alreadyAll: (g) => `${g ? "Il gruppo è già iscritto" : "Sei già iscritto"} a tutti gli aggiornamenti. 👍`,
  alreadyCovered: (w, g) => `${g ? "Il gruppo riceve" : "Ricevi"} già tutti gli aggiornamenti, ${tooIt(w)}. 👍`,
  alreadyFollowing: (w, g) => `${g ? "Il gruppo è già iscritto" : "Sei già iscritto"} ${topicsIt(w)}. 👍`,
  stopHint: (w) =>
    `Per smettere: <code>/disiscriviti${w ? ` ${[...w.comuni, ...(w.national ? ["nazionali"] : [])].join(", ")}` : ""}</code>`,
  unsubscribedAll: (g) =>
    `🔕 Fatto: ${g ? "il gruppo non riceverà" : "non riceverai"} più aggiornamenti. Per tornare: /iscriviti`,
  notSubscribed: (g) =>
    `Non risultano iscrizioni per questa chat. Per ${g ? "iscrivere il gruppo" : "iscriverti"}: /iscriviti`,
  unsubscribed: (n) => `🔕 Fatto: niente più aggiornamenti su ${listIt.format(bold(n))}.`,
  unsubscribedNational: "🔕 Fatto: niente più aggiornamenti nazionali.",
  nationalComeWithComuni: (g) =>
    `🔕 Fatto. Gli aggiornamenti nazionali però arrivano a chi segue un comune: ${g ? "il gruppo li riceverà finché ne segue" : "li riceverai finché ne segui"} uno.`,
  notFollowing: (w, g) => `${g ? "Il gruppo non era iscritto" : "Non eri iscritto"} ${topicsIt(w)}.`,
  stillAll: (w, g) =>
    `${g ? "Il gruppo riceve" : "Ricevi"} tutti gli aggiornamenti, ${tooIt(w)}. Per smettere: /disiscriviti; per seguire solo alcuni comuni: /disiscriviti, poi <code>/iscriviti Genova, Parma</code>.`,
  unknownName: (q) => `Non trovo il comune «${q}».`,
  ambiguousName: (q) => `«${q}» può indicare più comuni.`,
  pickToFollow: "Tocca quello da seguire:",
  pickToUnfollow: "Tocca quello da togliere:",
  followUsage:
    "Scrivi uno o più comuni, per esempio <code>/iscriviti Genova, Parma</code>; oppure <code>/iscriviti tutti</code> per ogni aggiornamento, <code>/iscriviti nazionali</code> per quelli nazionali.",
  tooMany: (m) => `Al massimo ${m} comuni per volta: ho letto solo i primi ${m}.`,
  subscriptionsTitle: "🔔 <b>Le iscrizioni di questa chat</b>",
  noSubscriptions: (g) =>
    `Nessuna iscrizione. Scrivi /iscriviti per ${g ? "far ricevere al gruppo" : "ricevere"} gli aggiornamenti.`,
  adminsOnly: "In un gruppo solo gli amministratori possono gestire le iscrizioni e gli orari silenziosi.",
  quietLine: (f, t) => `🌙 Silenzioso dalle ${f} alle ${t}: in quelle ore gli aggiornamenti arrivano senza suono.`,
  quietHint: "Per riceverli senza suono di notte: <code>/silenzioso 23-7</code>",
  quietSet: (f, t, g) =>
    `🌙 Fatto: dalle ${f} alle ${t} (ora italiana) gli aggiornamenti ${g ? "arriveranno al gruppo" : "ti arriveranno"} senza suono. Per toglierlo: <code>/silenzioso off</code>`,
  quietOff: (g) =>
    `🔔 Fatto: gli aggiornamenti ${g ? "arriveranno al gruppo" : "ti arriveranno"} con il suono a ogni ora.`,
  quietNone: "Nessun orario silenzioso: gli aggiornamenti arrivano con il suono a ogni ora.",
  quietUsage:
    "Scrivi da che ora a che ora ricevere gli aggiornamenti senza suono, per esempio <code>/silenzioso 23-7</code> o <code>/silenzioso 23:30-07:00</code> (ora italiana); <code>/silenzioso off</code> per toglierlo.",
  quietNotSubscribed: (g) =>
    `${g ? "Il gruppo non è" : "Non sei"} ancora iscritto: /iscriviti per ricevere gli aggiornamenti.`,
};

export const followEn: FollowMessages = {
  receives: (s, g) => {
    const who = g ? "The group gets" : "You get";
    if (s.all) return `${who} every update.`;
    if (s.comuni.length) return `${who} the updates about ${listEn.format(bold(s.comuni))}, and the national ones.`;
    if (s.national) return `${who} only the national updates, those not about a single comune.`;
    return g ? "The group gets no updates." : "You get no updates.";
  },
  subscribed: (s, g) => {
    const who = g ? "the group will get" : "you will get";
    if (s.all) return `🔔 Subscribed: ${who} every new update.`;
    if (s.comuni.length)
      return `🔔 Subscribed: ${who} the updates about ${listEn.format(bold(s.comuni))}, and the national ones.`;
    return `🔔 Subscribed: ${who} the national updates, those not about a single comune.`;
  },
  alreadyAll: (g) => `${g ? "The group is" : "You are"} already subscribed to all updates. 👍`,
  alreadyCovered: (w, g) => `${g ? "The group already gets" : "You already get"} every update, ${tooEn(w)}. 👍`,
  alreadyFollowing: (w, g) => `${g ? "The group is" : "You are"} already subscribed to ${topicsEn(w)}. 👍`,
  stopHint: (w) =>
    `To stop: <code>/unsubscribe${w ? ` ${[...w.comuni, ...(w.national ? ["national"] : [])].join(", ")}` : ""}</code>`,
  unsubscribedAll: (g) =>
    `🔕 Done: ${g ? "the group will get" : "you will get"} no more updates. To come back: /subscribe`,
  notSubscribed: (g) => `This chat has no subscriptions. To subscribe${g ? " the group" : ""}: /subscribe`,
  unsubscribed: (n) => `🔕 Done: no more updates about ${listEn.format(bold(n))}.`,
  unsubscribedNational: "🔕 Done: no more national updates.",
  nationalComeWithComuni: (g) =>
    `🔕 Done. National updates, though, still come to every chat that follows a comune: ${g ? "the group will get them while it follows" : "you will get them while you follow"} one.`,
  notFollowing: (w, g) => `${g ? "The group was" : "You were"} not subscribed to ${topicsEn(w)}.`,
  stillAll: (w, g) =>
    `${g ? "The group gets" : "You get"} every update, ${tooEn(w)}. To stop: /unsubscribe; to follow only some comuni: /unsubscribe, then <code>/subscribe Genova, Parma</code>.`,
  unknownName: (q) => `I can't find the comune «${q}».`,
  ambiguousName: (q) => `«${q}» may be more than one comune.`,
  pickToFollow: "Tap the one to follow:",
  pickToUnfollow: "Tap the one to remove:",
  followUsage:
    "Write one or more comuni, e.g. <code>/subscribe Genova, Parma</code>; or <code>/subscribe all</code> for every update, <code>/subscribe national</code> for the national ones.",
  tooMany: (m) => `At most ${m} comuni at a time: I read only the first ${m}.`,
  subscriptionsTitle: "🔔 <b>This chat's subscriptions</b>",
  noSubscriptions: (g) => `No subscriptions. Send /subscribe to get the updates${g ? " in the group" : ""}.`,
  adminsOnly: "In a group only the administrators can manage subscriptions and quiet hours.",
  quietLine: (f, t) => `🌙 Quiet from ${f} to ${t}: updates arriving then come without sound.`,
  quietHint: "To get them without sound at night: <code>/quiet 23-7</code>",
  quietSet: (f, t, g) =>
    `🌙 Done: from ${f} to ${t} (Italian time) updates will reach ${g ? "the group" : "you"} without sound. To undo: <code>/quiet off</code>`,
  quietOff: (g) => `🔔 Done: updates will reach ${g ? "the group" : "you"} with sound at any hour.`,
  quietNone: "No quiet hours: updates arrive with sound at any hour.",
  quietUsage:
    "Write from what time to what time to get the updates without sound, e.g. <code>/quiet 23-7</code> or <code>/quiet 23:30-07:00</code> (Italian time); <code>/quiet off</code> to undo.",
  quietNotSubscribed: (g) => `${g ? "The group is" : "You are"} not subscribed yet: /subscribe to get the updates.`,
};
