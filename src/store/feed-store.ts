/** The feed's store: its contract (contract/feed.ts) and its SQLite implementation (sqlite/feed.ts). */
export type { Announcement, Draft, DraftStatus, FeedStore } from "./contract/feed.js";
export { SqliteFeedStore } from "./sqlite/feed.js";
