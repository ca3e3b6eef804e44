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
}
