/** Interface strings. Italian is the default; English for clients in other languages. The data stays Italian. */
import type { OutcomeReason } from "../data/rules.js";
import type { FeedMessages } from "./feed.js";
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
  groupAdminsOnly: string;
  // admin
  notAdmin: string;
  publishUsage: string;
  publishTooLong(max: number): string;
  publishUnknownTags(tags: string[]): string;
  publishQueued(recipients: number, comuni: string[]): string;
  pushReport(p: {
    id: string;
    delivered: number;
    removed: number;
    skipped: number;
    failed: number;
    seconds: string;
  }): string;
  lastPush(p: {
    id: string;
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
    /** The send budget's counters; absent when the bot runs without one. */
    sends?: { dropped: number; droppedWaited: number; droppedOverflow: number; rateLimited: number; maxWaitS: number };
  }): string;
  // inline
  inlineRunoffsTitle: string;
  inlineNoResults: string;
  /** Both rounds, provenance, comuni without results, areas, candidates. */
  results: ResultsMessages;
  /** The Ministry's live feed: calls, checks, turnout by area, the newsroom's side. */
  feed: FeedMessages;
}
