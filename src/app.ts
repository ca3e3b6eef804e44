/** Everything the bot's handlers need, wired once at start. */

import type { LiveCardsPort } from "./cards/live/index.js";
import type { LiveCardStore } from "./cards/store.js";
import type { ChartCache } from "./charts/index.js";
import type { ClusterStatus } from "./cluster/cluster.js";
import type { ResultsSource } from "./data/results-source.js";
import type { SendStats } from "./delivery/budget/index.js";
import type { Publisher } from "./delivery/publisher.js";
import type { FeedDesk } from "./feed/desk.js";
import type { Logger } from "./logger.js";
import type { Store } from "./store/store.js";

export interface App {
  /** The results the views read: the data pack's, with the Ministry's feed over them when it runs. */
  data: ResultsSource;
  /** The feed's newsroom side (held comuni, drafts, release); absent when the feed is off. */
  feed?: FeedDesk;
  store: Store;
  publisher: Publisher;
  logger: Logger;
  adminIds: ReadonlySet<number>;
  now(): Date;
  /** The send budget's counters (replies dropped, 429s), for /stato. */
  sendStats?(): SendStats;
  /** Rendered charts by data version, and Telegram's file_id once one was sent. */
  charts: ChartCache;
  /** The live cards: the engine's hooks, and each chat's cards. */
  cards: { live: LiveCardsPort; store: LiveCardStore };
  /** Several instances on PostgreSQL: who is alive and who holds which lease, for /stato. */
  cluster?: { status(): Promise<ClusterStatus> };
  /** The newsroom's latest actions, from the chat and the desk (shown by /stato). */
  journal: NewsroomJournal;
  /**
   * The desk's one-time login link for an editor (valid 10 minutes); undefined when the desk is not
   * served (no DESK_PORT/PORT, or no public address known). Set by whoever serves the desk.
   */
  deskLink?(userId: number): string | undefined;
}

/** Something an editor did: published, corrected, withdrew, released a held comune, decided a feed draft. */
export interface NewsroomAction {
  /** Epoch ms. */
  at: number;
  /** The editor's Telegram user id. */
  by: number;
  /** The chat's commands, or the desk's web page. */
  via: "chat" | "desk";
  what: "publish" | "correct" | "withdraw" | "release" | "feed-draft-published" | "feed-draft-dropped";
  /** What it was about: "#12 Title", a comune's name, a feed draft's number. */
  subject: string;
}

/** The newsroom's latest actions, for /stato and the desk (kept in memory: the log keeps them all). */
export class NewsroomJournal {
  private readonly entries: NewsroomAction[] = [];
  constructor(private readonly max = 50) {}

  add(a: NewsroomAction): void {
    this.entries.push(a);
    if (this.entries.length > this.max) this.entries.shift();
  }

  /** The latest `n`, newest first. */
  latest(n: number): NewsroomAction[] {
    return this.entries.slice(-n).reverse();
  }
}
