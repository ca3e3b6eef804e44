/**
 * Interface strings of the Ministry's live feed: what cards add while a comune counts (in testa / certo,
 * dati in verifica, dati fermi), turnout from counts by area, and the newsroom's side (anomalies held,
 * drafts to review, /sblocca, /stato). Italian and English; reached as `t.feed`.
 */

export type CertainKind = "elected-first-round" | "elected" | "runoff-won" | "runoff-pair" | "runoff";

export interface FeedMessages {
  /** "⏳ In testa: <b>X</b>" (names already escaped); several when level; none before the first votes. */
  leading(names: string[]): string;
  /** A call the sections still to count cannot change. */
  certain(kind: CertainKind, names: string[], threshold: string | undefined): string;
  /** "certo a 412 sezioni su 655" */
  certainAt(counted: string, total: string): string;
  inVerification: string;
  staleSince(time: string): string;
  /** "812 comuni su 849" (`n`, the number reported, for the noun's number). */
  comuniOf(reported: string, total: string, n: number): string;
  /** "alle 19:00" */
  atTime(time: string): string;
  /** "alla chiusura" */
  atClose: string;
  /** How the feed's totals are made. */
  fromCounts: string;
  /** "849 comuni al voto" */
  followed(n: string): string;
  regionsTitle: string;
  /** "Lombardia: 45,2% alle 19:00 · 120 comuni su 130" (`when` from atTime or atClose) */
  areaLine(name: string, percent: string, when: string, comuni: string): string;
  /** "📍 Affluenza — Provincia di Vicenza" */
  areaTitle(area: string): string;
  noReadings(name: string): string;
  /** The reading at the close. */
  closing: string;
  /** " (ballottaggio)" after a comune's name. */
  runoffTag: string;
  // newsroom
  anomalyHeld(name: string, anomalies: string[], command: string): string;
  anomalyCleared(name: string): string;
  releaseButton(name: string): string;
  draftHead: string;
  draftPublishButton: string;
  draftDropButton: string;
  draftPublished(recipients: number): string;
  draftDropped: string;
  draftSettled: string;
  released(name: string): string;
  notHeld(name: string): string;
  heldNone: string;
  heldTitle: string;
  heldLine(name: string, since: string, released: boolean, first: string): string;
  feedOff: string;
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
  }): string;
  statusMismatches(lines: string[]): string;
  mismatchLine(name: string, expected: string, actual: string): string;
  statusDrafts(n: number): string;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export const feedIt: FeedMessages = {
  leading: (names) =>
    names.length === 0
      ? "⏳ <b>Scrutinio in corso</b>"
      : names.length === 1
        ? `⏳ In testa: <b>${names[0]}</b>`
        : `⏳ In parità in testa: <b>${names.join("</b> e <b>")}</b>`,
  certain: (kind, names, threshold) => {
    switch (kind) {
      case "elected-first-round":
        return `✅ <b>Certo: eletto sindaco al primo turno ${names[0]}</b>`;
      case "elected":
        return `✅ <b>Certo: eletto sindaco ${names[0]}</b>`;
      case "runoff-won":
        return `✅ <b>Certo: ${names[0]} vince il ballottaggio</b>`;
      case "runoff-pair":
        return `🔁 <b>Certo: ballottaggio tra ${names[0]} e ${names[1]}</b>`;
      case "runoff":
        return `🔁 <b>Certo: si va al ballottaggio</b>${threshold ? ` (nessuno può superare il ${threshold})` : ""}`;
    }
  },
  certainAt: (c, t) => `<i>certo a ${c} sezioni su ${t}: le sezioni ancora da scrutinare non possono cambiarlo</i>`,
  inVerification: "⚠️ <b>Dati in verifica</b>: i numeri del Ministero non tornano, la redazione li sta controllando.",
  staleSince: (time) => `⏸ Dati fermi dalle ${time}`,
  comuniOf: (r, t, n) => `${r} ${plural(n, "comune", "comuni")} su ${t}`,
  atTime: (time) => `alle ${time}`,
  atClose: "alla chiusura",
  fromCounts: "<i>calcolata dai votanti e dagli elettori dei comuni che l'hanno comunicata</i>",
  followed: (n) => `<i>${n} comuni al voto</i>`,
  regionsTitle: "<b>Per regione</b> (ultima rilevazione)",
  areaLine: (name, pct, when, comuni) => `${name}: <b>${pct}</b> ${when} · ${comuni}`,
  areaTitle: (area) => `🗳 <b>Affluenza</b> — ${area}`,
  noReadings: (name) => `Per ${name} il Ministero non ha ancora pubblicato l'affluenza.`,
  closing: "chiusura",
  runoffTag: " (ballottaggio)",
  anomalyHeld: (name, anomalies, command) =>
    [
      `⚠️ <b>${name}</b>: bollettini automatici sospesi, i dati del Ministero non tornano.`,
      ...anomalies.map((a) => `• ${a}`),
      `Quando li hai controllati: ${command}`,
    ].join("\n"),
  anomalyCleared: (name) => `✅ <b>${name}</b>: i dati sono di nuovo coerenti, i bollettini automatici ripartono.`,
  releaseButton: (name) => `🔓 Sblocca ${name}`,
  draftHead: "📝 <b>Bozza di bollettino automatico</b>: pubblicarla?",
  draftPublishButton: "✅ Pubblica",
  draftDropButton: "🗑 Scarta",
  draftPublished: (n) => `✅ Pubblicato (${n} ${plural(n, "destinatario", "destinatari")}).`,
  draftDropped: "🗑 Scartato.",
  draftSettled: "Questa bozza è già stata decisa.",
  released: (name) => `🔓 <b>${name}</b>: bollettini automatici sbloccati.`,
  notHeld: (name) => `${name} non è in verifica: i suoi bollettini non sono sospesi.`,
  heldNone: "Nessun comune in verifica.",
  heldTitle: "⚠️ <b>Comuni in verifica</b> (bollettini automatici sospesi):",
  heldLine: (name, since, released, first) =>
    `• <b>${name}</b> dalle ${since}${released ? " (sbloccato dalla redazione)" : ""}: ${first}`,
  feedOff: "Il feed del Ministero non è attivo (imposta ELIGENDO_DATE).",
  statusFeed: (p) =>
    [
      `🛰 <b>Feed del Ministero</b> (voto del ${p.date}, bollettini: ${p.mode})`,
      `• comuni: ${p.comuni}, in scrutinio ${p.counting}, completi ${p.complete}`,
      `• richieste: ${p.requests} in ${p.cycles} ${plural(p.cycles, "giro", "giri")}${p.lastCycle ? ` (ultimo giro ${p.lastCycle} s)` : ""}`,
      ...(p.pausedS ? [`• in pausa per ${p.pausedS} s: il Ministero rifiuta o non risponde`] : []),
    ].join("\n"),
  statusMismatches: (lines) =>
    [`🧮 <b>Conti che non tornano</b> (votanti − bianche − nulle − contestate ≠ voti ai candidati):`, ...lines].join(
      "\n",
    ),
  mismatchLine: (name, e, a) => `• ${name}: attesi ${e}, ai candidati ${a}`,
  statusDrafts: (n) => `📝 Bozze da decidere: ${n}`,
};

export const feedEn: FeedMessages = {
  leading: (names) =>
    names.length === 0
      ? "⏳ <b>Counting</b>"
      : names.length === 1
        ? `⏳ Leading: <b>${names[0]}</b>`
        : `⏳ Level in the lead: <b>${names.join("</b> and <b>")}</b>`,
  certain: (kind, names, threshold) => {
    switch (kind) {
      case "elected-first-round":
        return `✅ <b>Certain: ${names[0]} elected mayor at the first round</b>`;
      case "elected":
        return `✅ <b>Certain: ${names[0]} elected mayor</b>`;
      case "runoff-won":
        return `✅ <b>Certain: ${names[0]} wins the runoff</b>`;
      case "runoff-pair":
        return `🔁 <b>Certain: runoff between ${names[0]} and ${names[1]}</b>`;
      case "runoff":
        return `🔁 <b>Certain: there will be a runoff</b>${threshold ? ` (nobody can pass ${threshold})` : ""}`;
    }
  },
  certainAt: (c, t) => `<i>certain at ${c} of ${t} sections: the sections still to count cannot change it</i>`,
  inVerification:
    "⚠️ <b>Figures being checked</b>: the Ministry's numbers do not add up, the newsroom is checking them.",
  staleSince: (time) => `⏸ No change since ${time}`,
  comuniOf: (r, t) => `${r} of ${t} comuni`,
  atTime: (time) => `at ${time}`,
  atClose: "at the close",
  fromCounts: "<i>from the voters and electors of the comuni that reported it</i>",
  followed: (n) => `<i>${n} comuni voting</i>`,
  regionsTitle: "<b>By region</b> (latest reading)",
  areaLine: (name, pct, when, comuni) => `${name}: <b>${pct}</b> ${when} · ${comuni}`,
  areaTitle: (area) => `🗳 <b>Turnout</b> — ${area}`,
  noReadings: (name) => `The Ministry has not published turnout for ${name} yet.`,
  closing: "close",
  runoffTag: " (runoff)",
  anomalyHeld: (name, anomalies, command) =>
    [
      `⚠️ <b>${name}</b>: automatic updates held, the Ministry's figures do not add up.`,
      ...anomalies.map((a) => `• ${a}`),
      `Once you have checked them: ${command}`,
    ].join("\n"),
  anomalyCleared: (name) => `✅ <b>${name}</b>: the figures are consistent again, automatic updates resume.`,
  releaseButton: (name) => `🔓 Release ${name}`,
  draftHead: "📝 <b>Draft of an automatic update</b>: publish it?",
  draftPublishButton: "✅ Publish",
  draftDropButton: "🗑 Drop",
  draftPublished: (n) => `✅ Published (${n} ${plural(n, "recipient", "recipients")}).`,
  draftDropped: "🗑 Dropped.",
  draftSettled: "This draft has already been decided.",
  released: (name) => `🔓 <b>${name}</b>: automatic updates released.`,
  notHeld: (name) => `${name} is not held: its updates are not waiting.`,
  heldNone: "No comune is being checked.",
  heldTitle: "⚠️ <b>Comuni being checked</b> (automatic updates held):",
  heldLine: (name, since, released, first) =>
    `• <b>${name}</b> since ${since}${released ? " (released by the newsroom)" : ""}: ${first}`,
  feedOff: "The Ministry's feed is not on (set ELIGENDO_DATE).",
  statusFeed: (p) =>
    [
      `🛰 <b>Ministry feed</b> (vote of ${p.date}, updates: ${p.mode})`,
      `• comuni: ${p.comuni}, counting ${p.counting}, complete ${p.complete}`,
      `• requests: ${p.requests} in ${p.cycles} ${plural(p.cycles, "cycle", "cycles")}${p.lastCycle ? ` (last cycle ${p.lastCycle} s)` : ""}`,
      ...(p.pausedS ? [`• paused for ${p.pausedS} s: the Ministry refuses or does not answer`] : []),
    ].join("\n"),
  statusMismatches: (lines) =>
    [
      `🧮 <b>Sums that do not add up</b> (voters − blank − invalid − contested ≠ the candidates' votes):`,
      ...lines,
    ].join("\n"),
  mismatchLine: (name, e, a) => `• ${name}: expected ${e}, candidates ${a}`,
  statusDrafts: (n) => `📝 Drafts to decide: ${n}`,
};
