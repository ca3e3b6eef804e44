import { feedEn } from "./feed.js";
import type { Messages } from "./messages.js";
import { resultsEn } from "./results.js";

export const en: Messages = {
  lang: "en",
  locale: "en-GB",
  welcome: (name, election) =>
    `Hi${name ? ` ${name}` : ""}! 🗳 I am the election-night bot for <b>${election}</b> (Italy).\n\n` +
    `Ask me a city's results with /citta and its name (e.g. <code>/citta Genova</code>), turnout with /affluenza, ` +
    `the runoffs with /ballottaggi and the latest updates with /ultime.\n` +
    `With /iscriviti you get every new update as soon as it is out.\n\nAll commands: /aiuto`,
  helpTitle: "<b>What you can ask me</b>",
  helpFooter: "In a private chat you can just type a city's name. Results and updates are in Italian.",
  onlyText: "Send me the name of a comune (e.g. <code>Genova</code>) or a command: /aiuto for the list.",
  unknownCommand: "I don't know that command. Send /aiuto for the list.",
  genericError: "Sorry, something went wrong. Please try again shortly.",
  tooFast: "You are writing too fast: wait a few seconds and try again.",
  notUnderstood: (text) => `I found no comune called «${text}». Try /citta for the list, or /aiuto.`,
  cityNotFound: (q) =>
    `I can't find the comune «${q}». You can also type a region, a province or a candidate; /citta without a name lists the comuni with results.`,
  cityAmbiguous: (q) => `«${q}» matches more than one comune.`,
  citySuggestions: "Did you mean:",
  chooseCity: "Choose a comune:",
  morePage: "More ▶",
  prevPage: "◀ Back",
  capoluogo: "provincial capital",
  firstRoundOf: (d) => `First round, ${d}`,
  noPercent: "n/a",
  outcomeElected: (n) => `✅ <b>Elected mayor at the first round: ${n}</b>`,
  outcomeRunoff: (a, b, d) => `🔁 <b>Runoff on ${d}</b>: ${a} vs ${b}`,
  outcomeUndecided: "⏳ Outcome not yet decided",
  reason: (r, { threshold: th, population: pop, region, regional, inclusive }) => {
    const law = regional?.law ? ` ${regional.law}` : "";
    switch (r) {
      case "majority":
        return `Won more than ${th} of the vote${regional ? `, as ${region}'s regional law${law} requires` : ""}.`;
      case "regional-threshold":
        return `In ${region} regional law${law} elects at the first round whoever reaches ${th} of the vote in comuni above ${pop} inhabitants.`;
      case "single-round":
        return `Comune of up to ${pop} inhabitants: one round only, the most voted wins.`;
      case "no-majority":
        return regional
          ? `${region} votes under its regional law${law}: above ${pop} inhabitants ${inclusive ? `reaching ${th}` : `more than ${th}`} of the vote is needed, and nobody ${inclusive ? "reached it" : "won it"}.`
          : `Nobody won more than ${th} in a comune above ${pop} inhabitants.`;
      case "population-unknown":
        return `Nobody won more than ${th}, and the data does not say whether the comune has more than ${pop} inhabitants (and so a runoff).`;
      case "runoff-most-votes":
        return "At the runoff the most voted wins.";
      case "single-candidate":
        return `Runoff with a single candidate: in ${region} regional law${law} elects them if enough electors vote, and they did.`;
      case "single-candidate-quorum":
        return `Runoff with a single candidate: in ${region} regional law${law} requires a minimum turnout, which was not reached.`;
      case "stated":
        return "Outcome as stated by the source.";
      case "tie":
        return "Candidates are tied: waiting for the official figure.";
      case "incomplete":
        return "The data available is not enough to tell the outcome.";
    }
  },
  turnoutForCity: "Turnout",
  noCityTurnout: () => "🗳 Turnout: no figure for this comune; the overall figure is in /affluenza.",
  turnoutTitle: (e) => `🗳 <b>Turnout — ${e}</b>`,
  turnoutPolls: (d, o, c) => `${d}, polls open ${o} to ${c}`,
  turnoutFinal: "final",
  turnoutPrevious: (p, d) => `previous election ${p} (${d} points)`,
  turnoutEarlier: (p, c, t) => `first estimate (${t}, ${c}): ${p}`,
  approx: "about",
  runoffsTitle: (d) => `🔁 <b>Runoffs on ${d}</b>`,
  noRunoffs: "No runoffs in the data available.",
  electedFirstRound: "✅ <b>Elected at the first round</b>",
  versus: "vs",
  latestTitle: "📰 <b>Latest updates</b>",
  noBulletins: "No updates yet.",
  badCount: (max) => `Give a number from 1 to ${max}, e.g. <code>/ultime 5</code>.`,
  bulletinHeader: (s) => `🕒 <b>${s}</b>`,
  concerns: "Comuni",
  infoTitle: "ℹ️ <b>The election at a glance</b>",
  regionalRule: ({ region, percent, threshold, inclusive, law }) =>
    `${region} votes under its regional law${law ? ` ${law}` : ""}: above ${threshold} inhabitants ${inclusive ? `${percent} is enough` : `more than ${percent} is needed`} to win at the first round.`,
  infoBody: (p) =>
    [
      `🗓 First round: <b>${p.date}</b>`,
      `🔁 Runoff, where needed: <b>${p.runoff}</b>`,
      `🏘 Comuni voting: <b>${p.comuni}</b>, of which <b>${p.capoluoghi}</b> provincial capitals`,
      `👥 Voters: <b>${p.voters}</b> out of a population of <b>${p.population}</b>`,
      `🕖 Polls open from <b>${p.open}</b> to <b>${p.close}</b>`,
      "",
      "<b>The rules</b>",
      `• Comuni of up to ${p.threshold} inhabitants vote in one round: the most voted candidate wins.`,
      `• Above ${p.threshold} inhabitants a candidate with more than ${p.majority}% wins at the first round; otherwise the top two go to a runoff.`,
      ...p.regional.map((r) => `• ${r}`),
    ].join("\n"),
  subscribedAll: "🔔 Subscribed: you will get every new update. To stop: /disiscriviti",
  subscribedCity: (c) =>
    `🔔 Subscribed: you will get the updates about <b>${c}</b> and the national ones. To stop: <code>/disiscriviti ${c}</code>`,
  alreadyAll: "You are already subscribed to all updates. 👍",
  alreadyCity: (c) => `You are already subscribed to the updates about <b>${c}</b>. 👍`,
  unsubscribedAll: "🔕 Done: no more updates. To come back: /iscriviti",
  unsubscribedCity: (c) => `🔕 Done: no more updates about <b>${c}</b>.`,
  notSubscribed: "This chat has no subscriptions. To subscribe: /iscriviti",
  notSubscribedCity: (c) => `You were not subscribed to the updates about <b>${c}</b>.`,
  subscriptionsTitle: "🔔 <b>This chat's subscriptions</b>",
  subscriptionAllLine: "• all updates",
  subscriptionCityLine: (c) => `• ${c} (and the national updates)`,
  noSubscriptions: "No subscriptions. Send /iscriviti to get the updates.",
  groupAdminsOnly: "In a group only the administrators can manage subscriptions.",
  notAdmin: "This command is for the newsroom only.",
  publishUsage: "Write the text after the command, e.g. <code>/pubblica Affluenza alle 19: 42,35% #Genova</code>",
  publishTooLong: (m) => `The text is too long: ${m} characters at most.`,
  publishUnknownTags: (t) =>
    `I don't know these comuni: ${t.join(", ")}. Fix the tags and try again; nothing was published.`,
  publishQueued: (n, c) =>
    `📣 Published${c.length ? ` (comuni: ${c.join(", ")})` : ""}. ` +
    (n
      ? `Sending to ${n} chat${n === 1 ? "" : "s"}; you will get a report at the end.`
      : "No subscribed chat to notify."),
  pushReport: (p) =>
    `📊 <b>Delivery report</b> <code>${p.id}</code>\ndelivered: <b>${p.delivered}</b>\nremoved (unsubscribed, bot blocked or chat gone): <b>${p.removed}</b>\nskipped (read-only group or update withdrawn): <b>${p.skipped}</b>\nnot delivered: <b>${p.failed}</b>\ntook: ${p.seconds} s`,
  lastPush: (p) =>
    `<code>${p.id}</code> at ${p.time}: ${p.delivered} of ${p.total} delivered, ${p.removed} removed, ${p.failed} not delivered${p.running ? " (running)" : ""}`,
  statusBody: (p) =>
    [
      "📊 <b>Status</b>",
      `subscriptions: <b>${p.subscribers}</b> in <b>${p.chats}</b> chats`,
      `pending deliveries: <b>${p.pending}</b>`,
      `updates published: <b>${p.bulletins}</b>`,
      `last push: ${p.last ?? "none"}`,
      ...(p.sends
        ? [
            `replies not sent: <b>${p.sends.dropped.toLocaleString("en-GB")}</b> (${p.sends.droppedWaited.toLocaleString("en-GB")} waited over ${p.sends.maxWaitS} s, ${p.sends.droppedOverflow.toLocaleString("en-GB")} queue full) · 429s from Telegram: <b>${p.sends.rateLimited.toLocaleString("en-GB")}</b>`,
          ]
        : []),
      `data: ${p.pack}`,
    ].join("\n"),
  inlineRunoffsTitle: "Runoff",
  inlineNoResults: "No comune found",
  results: resultsEn,
  feed: feedEn,
};
