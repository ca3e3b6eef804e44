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
  bulletinCorrected: (s) => `✏️ <i>corrected ${s.includes("/") ? "on" : "at"} ${s}</i>`,
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
  forGroups: {
    subscribedAll: "🔔 Subscribed: this group will get every new update. To stop: /disiscriviti",
    subscribedCity: (c) =>
      `🔔 Subscribed: this group will get the updates about <b>${c}</b> and the national ones. To stop: <code>/disiscriviti ${c}</code>`,
    alreadyAll: "This group is already subscribed to all updates. 👍",
    alreadyCity: (c) => `This group is already subscribed to the updates about <b>${c}</b>. 👍`,
    unsubscribedAll: "🔕 Done: this group will get no more updates. To come back: /iscriviti",
    unsubscribedCity: (c) => `🔕 Done: no more updates about <b>${c}</b> in this group.`,
    notSubscribed: "This group is not subscribed. To subscribe it: /iscriviti",
    notSubscribedCity: (c) => `This group was not subscribed to the updates about <b>${c}</b>.`,
    subscriptionsTitle: "🔔 <b>This group's subscriptions</b>",
    noSubscriptions: "This group has no subscriptions. An administrator can send /iscriviti.",
  },
  groupAdminsOnly: "In a group only the administrators can manage subscriptions.",
  notAdmin: "This command is for the newsroom only.",
  publishUsage: "Write the text after the command, e.g. <code>/pubblica Affluenza alle 19: 42,35% #Genova</code>",
  publishTooLong: (m) => `The text is too long: ${m} characters at most.`,
  publishUnknownTags: (t) =>
    `I don't know these comuni: ${t.join(", ")}. Fix the tags and try again; nothing was published.`,
  tagMaybe: (t, s) => `${t} (did you mean ${s}?)`,
  useSuggestedTags: (t) => `Use ${t}`,
  publishNoText:
    "The text is only tags or punctuation: write the update, e.g. <code>/pubblica Affluenza alle 19: 42,35% #Genova</code>. Nothing was published.",
  publishTooMuchFormatting: "Too much formatting for one message: shorten the text or remove some links.",
  publishQueued: (p) =>
    `📣 Published (no. ${p.number})${p.comuni.length ? `, comuni: ${p.comuni.join(", ")}` : ""}. ` +
    (p.recipients
      ? `Sending to ${p.recipients} chat${p.recipients === 1 ? "" : "s"}; you will get a report at the end.`
      : "No subscribed chat to notify."),
  bulletinNumber: (n) => `no. ${n}`,
  newsroomInPrivate: (bot) => `Newsroom commands answer in a private chat: open @${bot}, press Start and try again.`,
  previewPublish: "👁 <b>Preview</b>: this is what subscribers will get",
  previewCorrect: (n) => `✏️ <b>Correction of ${n}</b>: it will read`,
  previewWithdraw: (n) => `🗑 <b>Withdrawal of ${n}</b>`,
  previewReach: (n, m) =>
    `${n ? `It will reach <b>${n}</b> chat${n === 1 ? "" : "s"}.` : "No chat is subscribed: it will only show in /ultime."} Confirm? (within ${m} minutes)`,
  previewCorrectReach: (p) =>
    `I will correct <b>${p.copies}</b> cop${p.copies === 1 ? "y" : "ies"} already delivered` +
    `${p.queued ? `; ${p.queued} still queued will go out corrected` : ""}. Confirm? (within ${p.minutes} minutes)`,
  previewWithdrawReach: (p) =>
    `I will delete <b>${p.copies}</b> cop${p.copies === 1 ? "y" : "ies"} from the chats (Telegram does not allow deleting those older than 48 hours)` +
    `${p.queued ? ` and ${p.queued} still queued will not go out` : ""}; it will disappear from /ultime. Confirm? (within ${p.minutes} minutes)`,
  buttonSend: "📣 Send",
  buttonCorrect: "✏️ Correct",
  buttonWithdraw: "🗑 Withdraw",
  buttonCancel: "✖️ Cancel",
  draftPublished: (p) =>
    `✅ Published (no. ${p.number}): ${p.recipients ? `sending to ${p.recipients} chat${p.recipients === 1 ? "" : "s"}, then the report` : "no chat to notify"}. ` +
    `To correct it: <code>/rettifica ${p.number} text</code>; to withdraw it: <code>/ritira ${p.number}</code>.`,
  draftCancelled: "✖️ Cancelled: nothing was done.",
  draftExpired: "⌛ Preview expired: nothing was done. Send the command again.",
  toastDone: "Done.",
  toastCancelled: "Cancelled.",
  toastExpired: "Preview expired: send the command again.",
  toastAlreadyDone: "Already done: not repeating it.",
  toastAlreadyCancelled: "This preview was cancelled.",
  toastNotYours: "This preview belongs to another editor.",
  toastGone: "This preview is no longer valid.",
  correctUsage:
    "Write the update's number and the corrected text, e.g. <code>/rettifica 57 Affluenza alle 19: 42,53%</code>, or reply with <code>/rettifica text</code> to the update or its report.",
  withdrawUsage:
    "Write the number of the update to withdraw, e.g. <code>/ritira 57</code>, or reply with <code>/ritira</code> to the update or its report.",
  latestNewsroom: (lines) =>
    lines.length ? `The newsroom's latest:\n${lines.join("\n")}` : "The newsroom has not published anything yet.",
  newsroomLine: (p) => `• <b>${p.number}</b> · ${p.time} · «${p.title}»${p.withdrawn ? " (withdrawn)" : ""}`,
  bulletinNotFound: (r) =>
    `I can't find the update «${r}» in this election. Send /rettifica alone to see the latest with their numbers.`,
  notNewsroomBulletin: (n) =>
    `Update ${n} comes from the data (bulletins.json): correct or remove it there, the bot notices by itself.`,
  alreadyWithdrawn: (n) => `Update ${n} has already been withdrawn.`,
  correctionUnchanged: "The text is the same as the published one: nothing to correct.",
  correctionStarted: (p) =>
    `✏️ Correction of no. ${p.number} made: /ultime shows the new text` +
    (p.copies
      ? `; correcting ${p.copies} delivered cop${p.copies === 1 ? "y" : "ies"}, you will get a report at the end.`
      : `${p.queued ? ` and the ${p.queued} queued copies will go out corrected` : ""}; no delivered copy to correct.`),
  withdrawalStarted: (p) =>
    `🗑 Withdrawal of no. ${p.number} made: it no longer shows in /ultime` +
    `${p.queued ? ` and ${p.queued} queued cop${p.queued === 1 ? "y" : "ies"} will not go out` : ""}` +
    (p.copies
      ? `; deleting ${p.copies} delivered cop${p.copies === 1 ? "y" : "ies"}, you will get a report at the end.`
      : "; no delivered copy to delete."),
  amendmentReport: (p) =>
    [
      `${p.kind === "correct" ? "✏️ <b>Correction</b>" : "🗑 <b>Withdrawal</b>"} «${p.title}» (no. ${p.number})`,
      `${p.kind === "correct" ? "corrected" : "deleted"}: <b>${p.done}</b>`,
      `no longer there (message deleted, bot blocked or chat gone): <b>${p.gone}</b>`,
      `failed (${p.kind === "correct" ? "Telegram does not allow editing them" : "older than 48 hours, or no rights in the group"}): <b>${p.failed}</b>`,
      ...(p.superseded ? [`left to the next correction or withdrawal: <b>${p.superseded}</b>`] : []),
      `took: ${p.seconds} s`,
    ].join("\n"),
  pushReport: (p) =>
    `📊 <b>Delivery report</b> «${p.title}» (no. ${p.number})\ndelivered: <b>${p.delivered}</b>\nremoved (unsubscribed, bot blocked or chat gone): <b>${p.removed}</b>\nskipped (read-only group or update withdrawn): <b>${p.skipped}</b>\nnot delivered: <b>${p.failed}</b>\ntook: ${p.seconds} s`,
  lastPush: (p) =>
    `«${p.title}» (no. ${p.number}) at ${p.time}: ${p.delivered} of ${p.total} delivered, ${p.removed} removed, ${p.failed} not delivered${p.running ? " (running)" : ""}`,
  statusBody: (p) =>
    [
      "📊 <b>Status</b>",
      `subscriptions: <b>${p.subscribers}</b> in <b>${p.chats}</b> chats`,
      `pending deliveries: <b>${p.pending}</b>`,
      `updates published: <b>${p.bulletins}</b>`,
      `last push: ${p.last ?? "none"}`,
      `data: ${p.pack}`,
    ].join("\n"),
  inlineRunoffsTitle: "Runoff",
  inlineNoResults: "No comune found",
  results: resultsEn,
};
