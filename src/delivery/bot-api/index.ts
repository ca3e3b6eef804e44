/**
 * The delivery engine's HTTP path to the Bot API (see pool.ts): sendMessage, editMessageText and
 * deleteMessage on an undici Pool, failing with grammY's error types.
 */
export { BotApiPool, type BotApiPoolOptions } from "./pool.js";

/** How the engine reaches the Bot API: its own pool (default), or grammY's client (SEND_PATH=grammy). */
export type SendPath = "pool" | "grammy";
