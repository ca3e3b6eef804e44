import { escapeHtml as h, html, joinHtml } from "../format/html.js";
import { feedEn } from "./feed.js";
import { followEn } from "./follow.js";
import type { Messages } from "./messages.js";
import { resultsEn } from "./results.js";

export const en: Messages = {
  lang: "en",
  locale: "en-GB",
  welcome: (name, election, group) =>
    group
      ? joinHtml(
          [
            html`Hi everyone! 🗳 I am the election-night bot for <b>${h(election)}</b> (Italy).\n\n`,
            html`In this group I answer commands (<code>/city Genova</code>, /turnout, /runoffs, /news) `,
            html`and questions that mention me (<code>@${h(group.bot)} who won in Genova?</code>) or reply to one of my messages.\n`,
            html`With /subscribe the group gets every new update as soon as it is out.\n\nAll commands: /help`,
          ],
          "",
        )
      : joinHtml(
          [
            html`Hi${name ? html` ${h(name)}` : ""}! 🗳 I am the election-night bot for <b>${h(election)}</b> (Italy).\n\n`,
            html`Just ask me in words: «who won in Genova?», «turnout Parma», «latest 3 Genova». `,
            html`Or use the commands: <code>/city Genova</code>, /turnout, /runoffs, /news.\n`,
            html`With /subscribe you get every new update as soon as it is out.\n\nAll commands: /help`,
          ],
          "",
        ),
  helpTitle: html`<b>What you can ask me</b>`,
  helpFooter: (group) =>
    group
      ? `In a group I answer commands and messages that mention me (@${group.bot} who won in Genova?) or reply to one of my messages. Results and updates are in Italian.`
      : "In a private chat just type, in words too: «who won in Genova?», «turnout Parma», «latest 3 Genova». Results and updates are in Italian.",
  thanks: (group) =>
    group
      ? html`You're welcome! 🗳 Ask anytime: /help for the list of commands.`
      : html`You're welcome! 🗳 Send me a comune's name whenever you like, or /help.`,
  onlyText: html`Send me the name of a comune (e.g. <code>Genova</code>) or a command: /help for the list.`,
  unknownCommand: html`I don't know that command. Send /help for the list.`,
  genericError: "Sorry, something went wrong. Please try again shortly.",
  tooFast: "You are writing too fast: wait a few seconds and try again.",
  notUnderstood: (text) =>
    html`I didn't understand «${text}». Ask me for example «who won in Genova?», «turnout Parma» or «latest 3 Genova»; /help for the list of commands.`,
  cityNotFound: (q) =>
    html`I can't find the comune «${q}». You can also type a region, a province or a candidate; /city without a name lists the comuni with results.`,
  comuneNotFound: (q) => html`I can't find the comune «${q}». Please check the spelling.`,
  chooseCity: html`Choose a comune:`,
  morePage: "More ▶",
  prevPage: "◀ Back",
  capoluogo: "provincial capital",
  firstRoundOf: (d) => `First round, ${d}`,
  noPercent: "n/a",
  outcomeElected: (n) => html`✅ <b>Elected mayor at the first round: ${h(n)}</b>`,
  outcomeRunoff: (a, b, d) => html`🔁 <b>Runoff on ${h(d)}</b>: ${h(a)} vs ${h(b)}`,
  outcomeUndecided: html`⏳ Outcome not yet decided`,
  reason: (r, { threshold: th, population: pop, region, regional, inclusive }) => {
    // The law's name is data, in Italian ("n. 19 del 5 dicembre 2013"): set apart in brackets.
    const law = regional?.law ? ` (${regional.law})` : "";
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
  noCityTurnout: () => html`🗳 Turnout: no figure for this comune; the overall figure is in /turnout.`,
  turnoutTitle: (e) => html`🗳 <b>Turnout — ${h(e)}</b>`,
  turnoutPolls: (d, o, c) => `${d}, polls open ${o} to ${c}`,
  turnoutFinal: "final",
  turnoutPrevious: (p, d) => `previous election ${p} (${d} points)`,
  turnoutEarlier: (p, c, t) => `first estimate (${t}, ${c}): ${p}`,
  approx: "about",
  runoffsTitle: (d) => html`🔁 <b>Runoffs on ${h(d)}</b>`,
  noRunoffs: html`No runoffs in the data available.`,
  electedFirstRound: html`✅ <b>Elected at the first round</b>`,
  versus: "vs",
  latestTitle: html`📰 <b>Latest updates</b>`,
  noBulletins: html`No updates yet.`,
  badCount: (max) => html`Give a number from 1 to ${max}, e.g. <code>/news 5</code> or <code>/news 3 Genova</code>.`,
  latestCapped: (max) => html`<i>Showing ${max} at most.</i>`,
  latestAbout: (name) => html`📰 <b>Latest updates about ${h(name)}</b>`,
  noBulletinsAbout: (name) => html`No updates about <b>${h(name)}</b> yet. All the updates: /news`,
  bulletinHeader: (s) => html`🕒 <b>${h(s)}</b>`,
  concerns: "Comuni",
  infoTitle: html`ℹ️ <b>The election at a glance</b>`,
  regionalRule: ({ region, percent, threshold, inclusive, law }) =>
    `${region} votes under its regional law${law ? ` (${law})` : ""}: above ${threshold} inhabitants ${inclusive ? `${percent} is enough` : `more than ${percent} is needed`} to win at the first round.`,
  infoBody: (p) =>
    joinHtml(
      [
        html`🗓 First round: <b>${h(p.date)}</b>`,
        html`🔁 Runoff, where needed: <b>${h(p.runoff)}</b>`,
        html`🏘 Comuni voting: <b>${h(p.comuni)}</b>${p.capoluoghi !== undefined ? html`, of which <b>${h(p.capoluoghi)}</b> provincial capitals` : ""}`,
        ...(p.voters !== undefined
          ? [
              html`👥 Voters: <b>${h(p.voters)}</b>${p.population !== undefined ? html` out of a population of <b>${h(p.population)}</b>` : ""}`,
            ]
          : []),
        html`🕖 Polls open from <b>${h(p.open)}</b> to <b>${h(p.close)}</b>`,
        html``,
        html`<b>The rules</b>`,
        html`• Comuni of up to ${h(p.threshold)} inhabitants vote in one round: the most voted candidate wins.`,
        html`• Above ${h(p.threshold)} inhabitants a candidate with more than ${h(p.majority)}% wins at the first round; otherwise the top two go to a runoff.`,
        ...p.regional.map((r) => html`• ${h(r)}`),
      ],
      "\n",
    ),
  follow: followEn,
  notAdmin: html`This command is for the newsroom only.`,
  publishUsage: html`Write the text after the command, e.g. <code>/pubblica Affluenza alle 19: 42,35% #Genova</code>`,
  publishTooLong: (m) => html`The text is too long: ${m} characters at most.`,
  publishUnknownTags: (t) =>
    html`I don't know these comuni: ${h(t.join(", "))}. Fix the tags and try again; nothing was published.`,
  publishQueued: (n, c) =>
    html`📣 Published${c.length ? html` (comuni: ${h(c.join(", "))})` : ""}. ${
      n
        ? html`Sending to ${n} chat${n === 1 ? "" : html`s`}; you will get a report at the end.`
        : html`No subscribed chat to notify.`
    }`,
  pushReport: (p) =>
    html`📊 <b>Delivery report</b> <code>${h(p.id)}</code>\ndelivered: <b>${p.delivered}</b>\nremoved (unsubscribed, bot blocked or chat gone): <b>${p.removed}</b>\nskipped (read-only group or update withdrawn): <b>${p.skipped}</b>\nnot delivered: <b>${p.failed}</b>\ntook: ${h(p.seconds)} s`,
  lastPush: (p) =>
    html`<code>${h(p.id)}</code> at ${h(p.time)}: ${p.delivered} of ${p.total} delivered, ${p.removed} removed, ${p.failed} not delivered${p.running ? html` (running)` : ""}`,
  statusBody: (p) =>
    joinHtml(
      [
        html`📊 <b>Status</b>`,
        html`subscriptions: <b>${p.subscribers}</b> in <b>${p.chats}</b> chats`,
        html`pending deliveries: <b>${p.pending}</b>`,
        html`updates published: <b>${p.bulletins}</b>`,
        html`last push: ${p.last ?? html`none`}`,
        ...(p.sends
          ? [
              html`replies not sent: <b>${h(p.sends.dropped.toLocaleString("en-GB"))}</b> (${h(p.sends.droppedWaited.toLocaleString("en-GB"))} waited over ${p.sends.maxWaitS} s, ${h(p.sends.droppedOverflow.toLocaleString("en-GB"))} queue full) · 429s from Telegram: <b>${h(p.sends.rateLimited.toLocaleString("en-GB"))}</b>`,
            ]
          : []),
        html`data: ${h(p.pack)}`,
      ],
      "\n",
    ),
  inlineRunoffsTitle: "Runoff",
  inlineNoResults: "No comune found",
  results: resultsEn,
  card: {
    follow: (name) => `🔔 Follow ${name}`,
    unfollow: (name) => `🔕 Unfollow ${name}`,
    turnout: "🗳 Turnout",
    news: "📰 News",
    refresh: "🔄 Refresh",
    runoffs: "🔁 All runoffs",
    refreshed: "Updated",
    gone: "This comune is no longer in the data.",
  },
  feed: feedEn,
};
