/** Interface strings. Italian is the default; English for clients in other languages. The data stays Italian. */
import type { OutcomeReason } from "../data/rules.js";
import type { ResultsMessages } from "./results.js";

export type Lang = "it" | "en";

export interface Messages {
  lang: Lang;
  locale: string;
  welcome(name: string | undefined, electionName: string): string;
  helpTitle: string;
  helpFooter: string;
  unknownCommand: string;
  onlyText: string;
  genericError: string;
  tooFast: string;
  notUnderstood(text: string): string;
  // city
  cityNotFound(query: string): string;
  cityAmbiguous(query: string): string;
  citySuggestions: string;
  chooseCity: string;
  morePage: string;
  prevPage: string;
  capoluogo: string;
  firstRoundOf(date: string): string;
  noPercent: string;
  outcomeElected(name: string): string;
  outcomeRunoff(a: string, b: string, date: string): string;
  outcomeUndecided: string;
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
  noCityTurnout(city: string): string;
  // turnout
  turnoutTitle(election: string): string;
  turnoutPolls(date: string, open: string, close: string): string;
  turnoutFinal: string;
  turnoutPrevious(prev: string, delta: string): string;
  turnoutEarlier(percent: string, coverage: string, time: string): string;
  approx: string;
  // runoffs
  runoffsTitle(date: string): string;
  noRunoffs: string;
  electedFirstRound: string;
  versus: string;
  // bulletins
  latestTitle: string;
  noBulletins: string;
  badCount(max: number): string;
  bulletinHeader(stamp: string): string;
  concerns: string;
  /** Under a bulletin the newsroom corrected: when. */
  bulletinCorrected(stamp: string): string;
  // info
  infoTitle: string;
  regionalRule(p: { region: string; percent: string; threshold: string; inclusive: boolean; law?: string }): string;
  infoBody(p: {
    date: string;
    runoff: string;
    comuni: string;
    capoluoghi: string;
    voters: string;
    population: string;
    open: string;
    close: string;
    threshold: string;
    majority: string;
    regional: string[];
  }): string;
  // subscriptions
  subscribedAll: string;
  subscribedCity(city: string): string;
  alreadyAll: string;
  alreadyCity(city: string): string;
  unsubscribedAll: string;
  unsubscribedCity(city: string): string;
  notSubscribed: string;
  notSubscribedCity(city: string): string;
  subscriptionsTitle: string;
  subscriptionAllLine: string;
  subscriptionCityLine(city: string): string;
  noSubscriptions: string;
  /** The same answers about subscriptions, addressed to a group ("questo gruppo riceverà", not "riceverai"). */
  forGroups: Pick<
    Messages,
    | "subscribedAll"
    | "subscribedCity"
    | "alreadyAll"
    | "alreadyCity"
    | "unsubscribedAll"
    | "unsubscribedCity"
    | "notSubscribed"
    | "notSubscribedCity"
    | "subscriptionsTitle"
    | "noSubscriptions"
  >;
  groupAdminsOnly: string;
  // admin
  notAdmin: string;
  publishUsage: string;
  publishTooLong(max: number): string;
  publishUnknownTags(tags: string[]): string;
  /** One unknown tag with the comune it most likely meant. */
  tagMaybe(tag: string, suggestion: string): string;
  /** The button that takes the suggested comuni and shows the preview. */
  useSuggestedTags(tags: string): string;
  /** A text of tags and punctuation only (`/pubblica #Genova`). */
  publishNoText: string;
  /** The formatting makes the bulletin's HTML too long to show. */
  publishTooMuchFormatting: string;
  /** Published without a preview (`/pubblica!`). */
  publishQueued(p: { number: number; recipients: number; comuni: string[] }): string;
  /** Refers to a bulletin by its number: "n. 57". */
  bulletinNumber(n: number): string;
  /** Where newsroom answers go when asked from a group and the bot cannot write to the editor. */
  newsroomInPrivate(bot: string): string;
  // the preview and its buttons
  previewPublish: string;
  previewCorrect(number: string): string;
  previewWithdraw(number: string): string;
  /** How many chats a bulletin would reach. */
  previewReach(recipients: number, minutes: number): string;
  previewCorrectReach(p: { copies: number; queued: number; minutes: number }): string;
  previewWithdrawReach(p: { copies: number; queued: number; minutes: number }): string;
  buttonSend: string;
  buttonCorrect: string;
  buttonWithdraw: string;
  buttonCancel: string;
  /** The preview's last line once settled. */
  draftPublished(p: { number: number; recipients: number }): string;
  draftCancelled: string;
  draftExpired: string;
  /** Toasts (at most 200 characters) for a press of a preview's button. */
  toastDone: string;
  toastCancelled: string;
  toastExpired: string;
  toastAlreadyDone: string;
  toastAlreadyCancelled: string;
  toastNotYours: string;
  toastGone: string;
  // corrections and withdrawals
  correctUsage: string;
  withdrawUsage: string;
  /** The latest newsroom bulletins, to pick one by its number. */
  latestNewsroom(lines: string[]): string;
  newsroomLine(p: { number: string; time: string; title: string; withdrawn: boolean }): string;
  bulletinNotFound(ref: string): string;
  notNewsroomBulletin(number: string): string;
  alreadyWithdrawn(number: string): string;
  correctionUnchanged: string;
  correctionStarted(p: { number: number; copies: number; queued: number }): string;
  withdrawalStarted(p: { number: number; copies: number; queued: number }): string;
  amendmentReport(p: {
    kind: "correct" | "withdraw";
    title: string;
    number: number;
    done: number;
    gone: number;
    failed: number;
    superseded: number;
    seconds: string;
  }): string;
  pushReport(p: {
    title: string;
    number: number;
    delivered: number;
    removed: number;
    skipped: number;
    failed: number;
    seconds: string;
  }): string;
  lastPush(p: {
    title: string;
    number: number;
    time: string;
    delivered: number;
    total: number;
    removed: number;
    failed: number;
    running: boolean;
  }): string;
  statusBody(p: {
    subscribers: number;
    chats: number;
    pending: number;
    bulletins: number;
    last: string | undefined;
    pack: string;
  }): string;
  // inline
  inlineRunoffsTitle: string;
  inlineNoResults: string;
  /** Both rounds, provenance, comuni without results, areas, candidates. */
  results: ResultsMessages;
}
