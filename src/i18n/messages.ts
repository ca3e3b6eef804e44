/**
 * Interface strings. Italian is the default; English for clients in other languages. The data stays Italian.
 *
 * Each message says in its type what it is: `Html` for what is sent with parse_mode HTML (its plain
 * arguments are escaped inside; an `Html` argument is markup already), `string` for plain text: what
 * Telegram shows as typed (button labels, callback answers, inline titles, replies without parse mode)
 * and the fragments the views escape as they place them.
 */
import type { OutcomeReason } from "../data/model.js";
import type { Html, PlainText } from "../format/html.js";
import type { Lang } from "../format/lang.js";
import type { CardsMessages } from "./cards.js";
import type { FeedMessages } from "./feed.js";
import type { FollowMessages } from "./follow.js";
import type { ResultsMessages } from "./results.js";
import type { SeatsMessages } from "./seats.js";

export type { Lang };

/** The buttons under a comune's card (plain: button labels and callback answers). */
export interface CardMessages {
  follow(name: string): string;
  unfollow(name: string): string;
  turnout: string;
  news: string;
  refresh: string;
  runoffs: string;
  /** Callback answer: the card was edited with the latest figures. */
  refreshed: string;
  /** Callback answer: the button's comune is no longer in the data. */
  gone: string;
}

export interface Messages {
  lang: Lang;
  locale: string;
  /**
   * The welcome (/start, "ciao"). In a group it greets the group and says how to ask there.
   * @param group in a group: the bot's username, for "mention me (@bot)"
   */
  welcome(name: PlainText | undefined, electionName: PlainText, group?: { bot: PlainText }): Html;
  helpTitle: Html;
  /**
   * The last line of /aiuto: how to ask without commands. Plain: the help escapes it.
   * @param group in a group: the bot's username
   */
  helpFooter(group?: { bot: string }): string;
  /** The answer to "grazie", "thanks", "buonanotte"; in a group, to the group. */
  thanks(group: boolean): Html;
  unknownCommand: Html;
  onlyText: Html;
  /** Plain: sent as a callback answer or a reply without parse mode. */
  genericError: string;
  /** Plain: sent as a callback answer or a reply without parse mode. */
  tooFast: string;
  /**
   * A message that asked nothing the bot knows and named no place it found.
   * @param text what was typed, quoted for HTML (`quoteUser`)
   */
  notUnderstood(text: Html): Html;
  // city
  /** @param query what was typed, quoted for HTML (`quoteUser`) */
  cityNotFound(query: Html): Html;
  /** Where only a comune will do (/affluenza Genova, /ultime Genova). @param query quoted (`quoteUser`) */
  comuneNotFound(query: Html): Html;
  /** A region, province or the country where only a comune will do (/segui Liguria). @param place "Regione Liguria" */
  notAComune(place: PlainText): Html;
  /** /affluenza of a region or province the data has no turnout for: said before the national figures. */
  areaTurnoutNone(place: PlainText): Html;
  /**
   * One line on what the loaded results cover, where they are not every comune voting: "i risultati
   * caricati sono quelli dei 25 capoluoghi, su 1.004 comuni al voto".
   */
  coverage(c: { results: number; capoluoghi: number; voting: number }): Html;
  /** Under /ballottaggi when the data holds fewer runoffs than the election had. */
  runoffsPartial(shown: number, total: number): Html;
  chooseCity: Html;
  /** Button label. */
  morePage: string;
  /** Button label. */
  prevPage: string;
  capoluogo: string;
  firstRoundOf(date: string): string;
  noPercent: string;
  outcomeElected(name: PlainText): Html;
  outcomeRunoff(a: PlainText, b: PlainText, date: PlainText): Html;
  outcomeUndecided: Html;
  reason(
    reason: OutcomeReason,
    p: {
      threshold?: string;
      population: string;
      region: string;
      /** The region's own law applied; its name where the pack gives one. */
      regional?: { law?: string };
      /** Reaching the share is enough (Sicily's 40%), instead of exceeding it. */
      inclusive?: boolean;
    },
  ): string;
  turnoutForCity: string;
  noCityTurnout(city: PlainText): Html;
  // turnout
  turnoutTitle(election: PlainText): Html;
  turnoutPolls(date: string, open: string, close: string): string;
  turnoutFinal: string;
  turnoutPrevious(prev: string, delta: string): string;
  turnoutEarlier(percent: string, coverage: string, time: string): string;
  approx: string;
  // runoffs
  runoffsTitle(date: PlainText): Html;
  noRunoffs: Html;
  electedFirstRound: Html;
  versus: string;
  // bulletins
  latestTitle: Html;
  noBulletins: Html;
  /** A count of bulletins that is not a whole number from 1 up (0, -1, 2.5). */
  badCount(max: number): Html;
  /** More bulletins were asked for than are shown at most: one short line. */
  latestCapped(max: number): Html;
  /** /ultime Genova: the title. */
  latestAbout(name: PlainText): Html;
  /** /ultime Pavia when no bulletin names it. */
  noBulletinsAbout(name: PlainText): Html;
  bulletinHeader(stamp: PlainText): Html;
  concerns: string;
  /**
   * Plain: the "Comuni:" line when it has no room for them all: the first ones named and how many
   * more ("Genova, Parma e altri 78"; none named: "80 comuni").
   */
  concernsMore(names: readonly string[], more: number): string;
  /** Under a bulletin the newsroom corrected: when. */
  bulletinCorrected(stamp: PlainText): Html;
  /** A figure of the bulletin later made final (the pack's note, in Italian as the bulletin), with its source. */
  bulletinLaterFigure(text: PlainText, source: PlainText): Html;
  // info
  infoTitle: Html;
  regionalRule(p: { region: string; percent: string; threshold: string; inclusive: boolean; law?: string }): string;
  infoBody(p: {
    date: PlainText;
    runoff: PlainText;
    comuni: PlainText;
    capoluoghi?: PlainText;
    voters?: PlainText;
    /** Other sources' figures for the electors, each with who gives it. */
    votersElsewhere?: { value: PlainText; source: PlainText }[];
    population?: PlainText;
    open: PlainText;
    close: PlainText;
    threshold: PlainText;
    majority: PlainText;
    /** One line per region with its own law (`regionalRule`). */
    regional: PlainText[];
  }): Html;
  /** /iscriviti, /disiscriviti, /iscrizioni, /silenzioso. */
  follow: FollowMessages;
  // admin
  notAdmin: Html;
  /** /desk: the one-time link to the desk's page. */
  deskLink(url: string, minutes: number): Html;
  /** /desk when the bot serves no desk. */
  deskOff: Html;
  /** /stato: the newsroom's latest actions. */
  journalTitle: Html;
  journalLine(a: {
    at: Date;
    tz: string;
    by: number;
    via: "chat" | "desk";
    what: "publish" | "correct" | "withdraw" | "release" | "feed-draft-published" | "feed-draft-dropped";
    subject: string;
  }): Html;
  publishUsage: Html;
  publishTooLong(max: number): Html;
  /** @param tags each unknown tag, as `#tag` or `tagMaybe`'s line */
  publishUnknownTags(tags: Html[]): Html;
  /** One unknown tag with the comune it most likely meant (`#Genva`, `#Genova`). */
  tagMaybe(tag: PlainText, suggestion: PlainText): Html;
  /** Button label: takes the suggested comuni and shows the preview. */
  useSuggestedTags(tags: string): string;
  /**
   * A tag several comuni answer to (`#Castro`): which one? Each comune is a button; nothing goes out
   * until the editor picks. @param comuni their names with the province ("Castro (BG)")
   */
  tagWhich(tag: PlainText, comuni: PlainText[]): Html;
  /** A text of tags and punctuation only (`/pubblica #Genova`). */
  publishNoText: Html;
  /** The formatting makes the bulletin's HTML too long to show. */
  publishTooMuchFormatting: Html;
  /** Published without a preview (`/pubblica!`). */
  publishQueued(p: { number: number; recipients: number; comuni: PlainText[] }): Html;
  /** Plain: refers to a bulletin by its number ("n. 57"); the messages below escape it. */
  bulletinNumber(n: number): string;
  /** Where newsroom answers go when asked from a group and the bot cannot write to the editor. */
  newsroomInPrivate(bot: PlainText): Html;
  // the preview and its buttons
  previewPublish: Html;
  previewCorrect(number: PlainText): Html;
  previewWithdraw(number: PlainText): Html;
  /** How many chats a bulletin would reach. */
  previewReach(recipients: number, minutes: number): Html;
  /** See CorrectionReach: the copies edited (`stale` of them where it no longer applies), new deliveries, the queue. */
  previewCorrectReach(p: {
    copies: number;
    stale: number;
    added: number;
    queued: number;
    dropped: number;
    minutes: number;
  }): Html;
  /**
   * Under a preview whose "Comuni:" line names only `listed` of `total`: and, when shortening the text
   * (not its tags) can make room for them all, by how many characters.
   */
  previewComuniShortened(p: { listed: number; total: number; cut?: number }): Html;
  previewWithdrawReach(p: { copies: number; queued: number; minutes: number }): Html;
  /** Button labels. */
  buttonSend: string;
  buttonCorrect: string;
  buttonWithdraw: string;
  buttonCancel: string;
  /** The preview's last line once settled. */
  draftPublished(p: { number: number; recipients: number }): Html;
  draftCancelled: Html;
  draftExpired: Html;
  /** Plain: toasts (at most 200 characters) for a press of a preview's button. */
  toastDone: string;
  toastCancelled: string;
  toastExpired: string;
  toastAlreadyDone: string;
  toastAlreadyCancelled: string;
  toastNotYours: string;
  toastGone: string;
  // corrections and withdrawals
  correctUsage: Html;
  withdrawUsage: Html;
  /** The latest newsroom bulletins, to pick one by its number (`newsroomLine`'s lines). */
  latestNewsroom(lines: Html[]): Html;
  newsroomLine(p: { number: PlainText; time: PlainText; title: PlainText; withdrawn: boolean }): Html;
  /** @param ref what was typed, quoted for HTML (`quoteUser`) */
  bulletinNotFound(ref: Html): Html;
  notNewsroomBulletin(number: PlainText): Html;
  alreadyWithdrawn(number: PlainText): Html;
  correctionUnchanged: Html;
  correctionStarted(p: { number: number; copies: number; queued: number; added: number; dropped: number }): Html;
  withdrawalStarted(p: { number: number; copies: number; queued: number }): Html;
  amendmentReport(p: {
    kind: "correct" | "withdraw";
    /** The bulletin's first words (`bulletinTitle`). */
    title: PlainText;
    number: number;
    done: number;
    gone: number;
    failed: number;
    superseded: number;
    seconds: PlainText;
  }): Html;
  pushReport(p: {
    /** The bulletin's first words (`bulletinTitle`). */
    title: PlainText;
    number: number;
    delivered: number;
    removed: number;
    skipped: number;
    failed: number;
    /** Taken over while another instance was sending them: they may have gone out twice (shown when > 0). */
    possiblyDuplicated: number;
    seconds: PlainText;
  }): Html;
  lastPush(p: {
    title: PlainText;
    number: number;
    time: PlainText;
    delivered: number;
    total: number;
    removed: number;
    failed: number;
    running: boolean;
  }): Html;
  statusBody(p: {
    subscribers: number;
    chats: number;
    pending: number;
    bulletins: number;
    /** `lastPush`'s line. */
    last: Html | undefined;
    pack: PlainText;
    /** The send budget's counters; absent when the bot runs without one. */
    sends?: { dropped: number; droppedWaited: number; droppedOverflow: number; rateLimited: number; maxWaitS: number };
  }): Html;
  /** /stato when the database does not answer: the bot goes on from memory and retries. */
  statusDatabaseDown: Html;
  /** /stato with several instances: each one, which is this one, and who holds each lease. */
  statusCluster(p: {
    instances: { id: PlainText; self: boolean; leader: boolean; updates: boolean }[];
    leases: { name: PlainText; holder: PlainText; expiresInS: number }[];
  }): Html;
  // inline
  /** Inline result title, plain. */
  inlineRunoffsTitle: string;
  inlineNoResults: string;
  /** Both rounds, provenance, comuni without results, areas, candidates. */
  results: ResultsMessages;
  /** The buttons under a comune's card. */
  card: CardMessages;
  /** The Ministry's live feed: calls, checks, turnout by area, the newsroom's side. */
  feed: FeedMessages;
  /** Live cards and charts. */
  cards: CardsMessages;
  /** The council's seats. */
  seats: SeatsMessages;
}
