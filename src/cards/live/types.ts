import type { InlineKeyboardMarkup } from "grammy/types";
import type { ComuneCode } from "../../data/model.js";
import type { BudgetClock } from "../../delivery/budget/index.js";
import type { Pacing } from "../../delivery/pacer.js";
import type { Html } from "../../format/html.js";
import type { Lang } from "../../i18n/index.js";
import type { Logger } from "../../logger.js";
import type { LiveCardStore } from "../store.js";

/** What a card shows, ready to send. */
export interface CardContent {
  html: Html;
  keyboard?: InlineKeyboardMarkup;
  /** The count is open: a follower without a card (or whose card was lost) gets a new one. */
  live: boolean;
  /** Fingerprint of html and keyboard: equal fingerprints, equal message. */
  fingerprint: string;
}

/** The Bot API calls a card needs (sendMessage and editMessageText, silent, HTML). */
export interface CardApi {
  send(chatId: number, card: CardContent, signal: AbortSignal): Promise<{ message_id: number }>;
  edit(chatId: number, messageId: number, card: CardContent, signal: AbortSignal): Promise<unknown>;
}

/** What the rest of the bot calls: the hook for changed figures, and new followers. */
export interface LiveCardsPort {
  /** A comune's figures changed (key: ISTAT code, Ministry code RRPPPCCCC, or name). */
  changed(comuneKey: string): void;
  /** This chat's card of this comune should be brought up to date now, or sent if it has none. */
  touch(chatId: number, comune: ComuneCode): void;
}

export interface LiveCardsOptions {
  store: LiveCardStore;
  /** Slots: the send budget's `cards` lane (or a Pacer of its own). */
  lane: Pacing;
  api: CardApi;
  /** The comune's code as the subscriptions know it, for a key; undefined if unknown. */
  resolve(comuneKey: string): ComuneCode | undefined;
  /** The card of a comune in a language; undefined when there is nothing to show (no results). */
  render(comune: ComuneCode, lang: Lang): CardContent | undefined;
  logger: Logger;
  /** Timers (the budget's clock in tests). */
  clock?: BudgetClock;
  /** Epoch milliseconds, for the age of a card's message. Default Date.now. */
  now?: () => number;
  /** A card older than this is replaced rather than edited (default 48 h). */
  maxAgeMs?: number;
  /** Edits in flight at most (default from the lane's rate). */
  concurrency?: number;
  /** Followers read at once (default 256). */
  batchSize?: number;
  /** A card's edit that failed transiently is tried again this many times, then left to the next change. */
  maxAttempts?: number;
  /** A chat blocked the bot or is gone: its subscriptions go (the engine does the same for pushes). */
  onChatGone?(chatId: number, reason: string): void | Promise<void>;
  /** A group became a supergroup: its subscriptions follow it. */
  onChatMigrated?(from: number, to: number): void | Promise<void>;
}

export interface LiveCardsStats {
  /** Cards edited (answers "message is not modified" included). */
  edited: number;
  /** New card messages: first cards and replacements. */
  sent: number;
  /** Of those, cards that replaced a lost one (deleted, uneditable, too old). */
  replaced: number;
  /** Edits Telegram answered "message is not modified" (counted as done). */
  notModified: number;
  /** Visits that sent nothing: the card already showed the latest figures. */
  unchanged: number;
  /** Laps started (a change to a comune with no lap under way). */
  laps: number;
  rateLimited: number;
  /** Chats that blocked the bot or were gone. */
  removed: number;
  /** Edits given up (no rights, rejected, repeated failures). */
  failed: number;
}

/** Telegram lets a bot delete its messages for 48 hours; a card older than that is left and replaced. */
export const CARD_MAX_AGE_MS = 48 * 3600 * 1000;
