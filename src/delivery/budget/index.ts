/**
 * The bot's one send budget. Telegram counts everything a bot sends against one limit (about 30
 * messages a second, 1000 with paid broadcast), replies and pushes together, plus about one
 * message a second per private chat and 20 a minute per group. So every message the bot sends to
 * a chat draws from this one allowance:
 *
 * - **Priorities**: replies to people first, the newsroom's messages next; pushes take the slots
 *   nobody else wants and yield at once when a reply is waiting. A push in progress delays a
 *   reply by at most one send slot (the one it already took).
 * - **Per chat**: messages keep their order (one in flight per chat) and keep Telegram's gap.
 * - **429**: a 429 from any request pauses every class for its retry_after; the request that got
 *   it goes again in its place. Nothing is dropped by a 429.
 * - **Bounded waits**: a reply that has waited longer than `replyMaxWaitMs`, or the oldest one when
 *   the queue is past `replyQueueMax`, is dropped with a log line and a count (shown by /stato).
 *   Its sender gets a ReplyDropped error instead of an answer.
 *
 * Replies and the newsroom's messages are queued here (see reply-transformer.ts); the delivery
 * engine keeps its own outbox and asks `push` for slots, the way it asks a Pacer. The live cards
 * (src/cards/) ask `cards`, the lowest lane: it yields to everything else, pushes included.
 *
 * The budget and its queues (budget.ts), its lanes (lanes.ts), what it offers and is given (types.ts).
 */
export { SendBudget } from "./budget.js";
export {
  type BudgetClock,
  type ChatKey,
  FREE_PER_SECOND,
  ReplyDropped,
  type SendBudgetOptions,
  type SendClass,
  type SendRequest,
  type SendStats,
  type Verdict,
} from "./types.js";
