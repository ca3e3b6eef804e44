/**
 * Where the live cards are kept between runs: the contract is the store's (src/store/contract/cards.ts),
 * and so is the SQLite implementation (src/store/sqlite/cards.ts), on the bot's own database.
 */
export type { CardState, LiveCardStore } from "../store/contract/cards.js";
export { SqliteLiveCardStore } from "../store/sqlite/cards.js";
