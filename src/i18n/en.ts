import { escapeHtml as h, html, joinHtml } from "../format/html.js";
import { formatTime } from "../format/italian.js";
import { cardsEn } from "./cards.js";
import { feedEn } from "./feed.js";
import { followEn } from "./follow.js";
import { englishLawRef } from "./law.js";
import type { Messages } from "./messages.js";
import { resultsEn } from "./results.js";
import { seatsEn } from "./seats.js";

/** A count, English style (9,172,026). */
const n = (x: number) => h(x.toLocaleString("en-GB"));
const chats = (x: number) => html`${n(x)} chat${x === 1 ? "" : html`s`}`;
const copies = (x: number) => (x === 1 ? html`copy` : html`copies`);

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
  notAComune: (place) => html`<b>${h(place)}</b> is not a comune: please send me a comune's name.`,
  areaTurnoutNone: (place) =>
    html`I have no turnout for the <b>${h(place)}</b>: the loaded data only has the overall figure, here it is.`,
  coverage: ({ results, capoluoghi, voting }) =>
    html`ℹ️ Note: the loaded results are those of ${
      results === capoluoghi ? html`the ${n(results)} provincial capitals` : html`${n(results)} comuni`
    }, out of ${n(voting)} comuni voting.`,
  runoffsPartial: (shown, total) =>
    html`ℹ️ This lists ${n(shown)} of the ${n(total)} runoffs: only those of the comuni with loaded results.`,
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
    const law = englishLawRef(regional?.law);
    switch (r) {
      case "majority":
        return `Won more than ${th} of the vote${regional ? `, as ${region}'s regional law${law} requires` : ""}.`;
      case "regional-threshold":
        return `In ${region}, the regional law${law} elects at the first round whoever reaches ${th} of the vote in comuni above ${pop} inhabitants.`;
      case "single-round":
        return `Comune of up to ${pop} inhabitants: one round only, the most voted wins.`;
      case "no-majority":
        return regional
          ? `${region} votes under its regional law${law}: above ${pop} inhabitants ${inclusive ? `reaching ${th}` : `more than ${th}`} of the vote is needed, and nobody ${inclusive ? "reached it" : "won it"}.`
          : `Nobody won more than ${th} in a comune above ${pop} inhabitants.`;
      case "population-unknown":
        return `Nobody ${inclusive ? "reached" : "won more than"} ${th}, and the data does not say whether the comune has more than ${pop} inhabitants (and so a runoff): waiting for the official outcome.`;
      case "runoff-tie":
        return `Nobody ${inclusive ? "reached" : "won more than"} ${th}: there will be a runoff, but candidates are level for its last place, which the law decides. Waiting for the official figure.`;
      case "runoff-most-votes":
        return "At the runoff the most voted wins.";
      case "single-candidate":
        return `Runoff with a single candidate: in ${region}, the regional law${law} elects them if enough electors vote, and they did.`;
      case "single-candidate-quorum":
        return `Runoff with a single candidate: in ${region}, the regional law${law} requires a minimum turnout, which was not reached.`;
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
  concernsMore: (names, more) =>
    names.length
      ? `${names.join(", ")} and ${more.toLocaleString("en-GB")} more`
      : `${more.toLocaleString("en-GB")} comuni`,
  bulletinCorrected: (s) => html`✏️ <i>corrected ${s.includes("/") ? html`on` : html`at`} ${h(s)}</i>`,
  bulletinLaterFigure: (text, source) => html`ℹ️ <i>Later final figure: ${h(text)} (${h(source)})</i>`,
  infoTitle: html`ℹ️ <b>The election at a glance</b>`,
  regionalRule: ({ region, percent, threshold, inclusive, law }) =>
    `${region} votes under its regional law${englishLawRef(law)}: above ${threshold} inhabitants ${inclusive ? `${percent} is enough` : `more than ${percent} is needed`} to win at the first round.`,
  infoBody: (p) =>
    joinHtml(
      [
        html`🗓 First round: <b>${h(p.date)}</b>`,
        html`🔁 Runoff, where needed: <b>${h(p.runoff)}</b>`,
        html`🏘 Comuni voting: <b>${h(p.comuni)}</b>${p.capoluoghi !== undefined ? html`, of which <b>${h(p.capoluoghi)}</b> provincial capitals` : ""}`,
        ...(p.voters !== undefined
          ? [
              html`👥 Voters: <b>${h(p.voters)}</b>${p.population !== undefined ? html` out of a population of <b>${h(p.population)}</b>` : ""}`,
              ...(p.votersElsewhere?.length
                ? [
                    html`<i>other sources: ${h(p.votersElsewhere.map((o) => `${o.value} (${o.source})`).join(", "))}</i>`,
                  ]
                : []),
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
  deskLink: (url, m) =>
    html`The night's desk: <a href="${h(url)}">open the desk</a>\nThe link works once, for ${n(m)} minutes; do not forward it.`,
  deskOff: html`The desk is off: set DESK_PORT (or PORT) and DESK_URL, the page's public address.`,
  journalTitle: html`<b>The newsroom's latest actions</b>`,
  journalLine: (a) =>
    html`• ${h(formatTime(a.at, a.tz))} ${h(
      {
        publish: "published",
        correct: "corrected",
        withdraw: "withdrawn",
        release: "released",
        "feed-draft-published": "automatic draft published",
        "feed-draft-dropped": "automatic draft dropped",
      }[a.what],
    )} ${h(a.subject)} — editor ${h(String(a.by))}${h(a.via === "desk" ? " from the desk" : "")}`,
  publishUsage: html`Write the text after the command, e.g. <code>/publish Turnout at 7 pm: 42.35% #Genova</code>`,
  publishTooLong: (m) => html`The text is too long: ${n(m)} characters at most.`,
  publishUnknownTags: (t) =>
    html`I don't know these comuni: ${joinHtml(t, ", ")}. Fix the tags and try again; nothing was published.`,
  tagMaybe: (t, s) => html`${h(t)} (did you mean ${h(s)}?)`,
  useSuggestedTags: (t) => `Use ${t}`,
  tagWhich: (tag, comuni) =>
    html`${h(tag)} could be more than one comune (${h(comuni.join(", "))}): which do you mean? Nothing goes out until you choose.`,
  publishNoText: html`The text is only tags or punctuation: write the update, e.g. <code>/publish Turnout at 7 pm: 42.35% #Genova</code>. Nothing was published.`,
  publishTooMuchFormatting: html`Too much formatting for one message: shorten the text or remove some links.`,
  publishQueued: (p) =>
    html`📣 Published (no. ${p.number})${p.comuni.length ? html`, comuni: ${h(p.comuni.join(", "))}` : ""}. ${
      p.recipients
        ? html`Sending to ${chats(p.recipients)}; you will get a report at the end.`
        : html`No subscribed chat to notify.`
    }`,
  bulletinNumber: (number) => `no. ${number}`,
  newsroomInPrivate: (bot) =>
    html`Newsroom commands answer in a private chat: open @${h(bot)}, press Start and try again.`,
  previewPublish: html`👁 <b>Preview</b>: this is what subscribers will get`,
  previewCorrect: (number) => html`✏️ <b>Correction of ${h(number)}</b>: it will read`,
  previewWithdraw: (number) => html`🗑 <b>Withdrawal of ${h(number)}</b>`,
  previewReach: (r, m) =>
    html`${r ? html`It will reach <b>${n(r)}</b> chat${r === 1 ? "" : html`s`}.` : html`No chat is subscribed: it will only show in /news.`} Confirm? (within ${m} minutes)`,
  previewCorrectReach: (p) =>
    html`I will correct <b>${n(p.copies)}</b> ${copies(p.copies)} already delivered${
      p.stale
        ? html` (${n(p.stale)} in ${p.stale === 1 ? html`a chat` : html`chats`} it no longer concerns: they will see the corrected text)`
        : ""
    }${p.added ? html`; I will send it to <b>${n(p.added)}</b> ${p.added === 1 ? html`chat` : html`chats`} it now concerns` : ""}${
      p.queued ? html`; ${n(p.queued)} still queued will go out corrected` : ""
    }${p.dropped ? html`; ${n(p.dropped)} queued will not go out (it no longer concerns ${p.dropped === 1 ? html`that chat` : html`those chats`})` : ""}. Confirm? (within ${p.minutes} minutes)`,
  previewComuniShortened: (p) =>
    html`ℹ️ Too many comuni to name them all in one message: the «Comuni» line names ${n(p.listed)} of ${n(p.total)}.${
      p.cut !== undefined ? html` To name them all, shorten the text by ${n(p.cut)} characters.` : ""
    }`,
  previewWithdrawReach: (p) =>
    html`I will delete <b>${n(p.copies)}</b> ${copies(p.copies)} from the chats (Telegram does not allow deleting those older than 48 hours)${
      p.queued ? html` and ${n(p.queued)} still queued will not go out` : ""
    }; it will disappear from /news. Confirm? (within ${p.minutes} minutes)`,
  buttonSend: "📣 Send",
  buttonCorrect: "✏️ Correct",
  buttonWithdraw: "🗑 Withdraw",
  buttonCancel: "✖️ Cancel",
  draftPublished: (p) =>
    html`✅ Published (no. ${p.number}): ${
      p.recipients ? html`sending to ${chats(p.recipients)}, then the report` : html`no chat to notify`
    }. To correct it: <code>/correct ${p.number} text</code>; to withdraw it: <code>/withdraw ${p.number}</code>.`,
  draftCancelled: html`✖️ Cancelled: nothing was done.`,
  draftExpired: html`⌛ Preview expired: nothing was done. Send the command again.`,
  toastDone: "Done.",
  toastCancelled: "Cancelled.",
  toastExpired: "Preview expired: send the command again.",
  toastAlreadyDone: "Already done: not repeating it.",
  toastAlreadyCancelled: "This preview was cancelled.",
  toastNotYours: "This preview belongs to another editor.",
  toastGone: "This preview is no longer valid.",
  correctUsage: html`Write the update's number and the corrected text, e.g. <code>/correct 57 Turnout at 7 pm: 42.53%</code>, or reply with <code>/correct text</code> to the update or its report.`,
  withdrawUsage: html`Write the number of the update to withdraw, e.g. <code>/withdraw 57</code>, or reply with <code>/withdraw</code> to the update or its report.`,
  latestNewsroom: (lines) =>
    lines.length
      ? html`The newsroom's latest:\n${joinHtml(lines, "\n")}`
      : html`The newsroom has not published anything yet.`,
  newsroomLine: (p) =>
    html`• <b>${h(p.number)}</b> · ${h(p.time)} · «${h(p.title)}»${p.withdrawn ? html` (withdrawn)` : ""}`,
  bulletinNotFound: (r) =>
    html`I can't find the update «${r}» in this election. Send /correct alone to see the latest with their numbers.`,
  notNewsroomBulletin: (number) =>
    html`Update ${h(number)} comes from the data (bulletins.json): correct or remove it there, the bot notices by itself.`,
  alreadyWithdrawn: (number) => html`Update ${h(number)} has already been withdrawn.`,
  correctionUnchanged: html`The text is the same as the published one: nothing to correct.`,
  correctionStarted: (p) =>
    html`✏️ Correction of no. ${p.number} made: /news shows the new text${
      p.copies ? html`; correcting ${n(p.copies)} delivered ${copies(p.copies)}` : html`; no delivered copy to correct`
    }${p.added ? html`; sending it to ${n(p.added)} ${p.added === 1 ? html`chat` : html`chats`} it now concerns` : ""}${
      p.queued ? html`; ${n(p.queued)} queued will go out corrected` : ""
    }${p.dropped ? html`; ${n(p.dropped)} queued will not go out` : ""}${
      p.copies || p.added ? html`, you will get a report at the end.` : html`.`
    }`,
  withdrawalStarted: (p) =>
    html`🗑 Withdrawal of no. ${p.number} made: it no longer shows in /news${
      p.queued ? html` and ${n(p.queued)} queued ${copies(p.queued)} will not go out` : ""
    }${
      p.copies
        ? html`; deleting ${n(p.copies)} delivered ${copies(p.copies)}, you will get a report at the end.`
        : html`; no delivered copy to delete.`
    }`,
  amendmentReport: (p) =>
    joinHtml(
      [
        html`${p.kind === "correct" ? html`✏️ <b>Correction</b>` : html`🗑 <b>Withdrawal</b>`} «${h(p.title)}» (no. ${p.number})`,
        html`${p.kind === "correct" ? html`corrected` : html`deleted`}: <b>${n(p.done)}</b>`,
        html`no longer there (message deleted, bot blocked or chat gone): <b>${n(p.gone)}</b>`,
        html`failed (${p.kind === "correct" ? html`Telegram does not allow editing them` : html`older than 48 hours, or no rights in the group`}): <b>${n(p.failed)}</b>`,
        ...(p.superseded ? [html`left to the next correction or withdrawal: <b>${n(p.superseded)}</b>`] : []),
        html`took: ${h(p.seconds)} s`,
      ],
      "\n",
    ),
  pushReport: (p) =>
    html`📊 <b>Delivery report</b> «${h(p.title)}» (no. ${p.number})\ndelivered: <b>${n(p.delivered)}</b>\nremoved (unsubscribed or no longer concerned after a correction, bot blocked or chat gone): <b>${n(p.removed)}</b>\nskipped (read-only group or update withdrawn): <b>${n(p.skipped)}</b>\nnot delivered: <b>${n(p.failed)}</b>${
      p.possiblyDuplicated
        ? html`\npossibly delivered twice (taken over from another instance of the bot while it was sending them): <b>${n(p.possiblyDuplicated)}</b>`
        : ""
    }\ntook: ${h(p.seconds)} s`,
  lastPush: (p) =>
    html`«${h(p.title)}» (no. ${p.number}) at ${h(p.time)}: ${n(p.delivered)} of ${n(p.total)} delivered, ${n(p.removed)} removed, ${n(p.failed)} not delivered${p.running ? html` (running)` : ""}`,
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
  statusDatabaseDown: html`⚠️ <b>Database unreachable</b>: answering from memory what I can (results, turnout) and retrying on my own; subscriptions and pushes resume as soon as it is back.`,
  statusCluster: (p) =>
    joinHtml(
      [
        html`🖥 <b>Instances</b>: ${p.instances.length}`,
        ...p.instances.map(
          (i) =>
            html`· ${h(i.id)}${i.self ? html` (this one)` : ""}${i.leader ? html` · feed and cards` : ""}${i.updates ? html` · updates` : ""}`,
        ),
        ...p.leases.map(
          (l) =>
            html`lease ${h(l.name)}: ${h(l.holder)}, ${l.expiresInS > 0 ? html`expires in ${l.expiresInS} s` : html`expired`}`,
        ),
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
  cards: cardsEn,
  seats: seatsEn,
};
