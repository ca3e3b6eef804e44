/** Everything the bot's handlers need, wired once at start. */
import type { DataSource } from "./data/source.js";
import type { SendStats } from "./delivery/budget.js";
import type { Publisher } from "./delivery/publisher.js";
import type { Logger } from "./logger.js";
import type { Store } from "./store/store.js";

export interface App {
  data: DataSource;
  store: Store;
  publisher: Publisher;
  logger: Logger;
  adminIds: ReadonlySet<number>;
  now(): Date;
  /** The send budget's counters (replies dropped, 429s), for /stato. */
  sendStats?(): SendStats;
}
