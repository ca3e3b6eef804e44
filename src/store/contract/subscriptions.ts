/** Who follows what: subscriptions, their language, quiet hours; and chats that are gone or moved. */
import type { ComuneCode } from "../../data/model.js";
import type { Lang } from "../../i18n/index.js";

/** National bulletins only (those naming no comune): a subscription of its own kind. */
export const NATIONAL: unique symbol = Symbol("national");

/**
 * What a chat subscribes to: `null` every bulletin; a comune's code that comune's bulletins (and
 * the national ones, which reach every subscribed chat); `NATIONAL` the national bulletins only.
 */
export type Subscription = ComuneCode | null | typeof NATIONAL;

/**
 * A chat's quiet hours: pushes arriving from `from` up to (not including) `to`, in minutes after
 * midnight in the election's time zone, go out without sound. `from` after `to` spans midnight
 * (23:00–07:00); the two are never equal.
 */
export interface QuietHours {
  from: number;
  to: number;
}

export interface SubscriptionRepository {
  /** Adds a subscription; false if the chat had it already. Every subscription of the chat takes `lang`. */
  subscribe(chatId: number, what: Subscription, lang: Lang): Promise<boolean>;
  /**
   * Adds many subscriptions in one transaction, as `subscribe` one by one would (a chat's subscriptions
   * take the last `lang` given for it): all of them or, if one cannot be stored, none. Returns how many
   * were new. For imports and seeding large audiences; the iterable is read once, not kept.
   */
  subscribeMany(entries: Iterable<{ chatId: number; what: Subscription; lang: Lang }>): Promise<number>;
  /**
   * Drops subscriptions ("*" = all of the chat's) and the chat's queued deliveries that no remaining one
   * asks for (in the same transaction: it writes the outbox too).
   */
  unsubscribe(chatId: number, what: Subscription | "*"): Promise<number>;
  /** Every bulletin first, then national only, then the comuni by code. */
  subscriptionsOf(chatId: number): Promise<Subscription[]>;
  subscriberStats(): Promise<{ subscriptions: number; chats: number }>;
  /** Chats following each comune by name (not those following everything), by the comune's code. */
  followerCounts(): Promise<Map<ComuneCode, number>>;
  /** Chats a bulletin about these comuni would reach now (empty = national: every subscribed chat). */
  recipientCount(comuni: readonly ComuneCode[]): Promise<number>;
  /** The chat's quiet hours, if it set any. */
  quietHoursOf(chatId: number): Promise<QuietHours | undefined>;
  /** Sets (or with undefined clears) the chat's quiet hours. */
  setQuietHours(chatId: number, quiet: QuietHours | undefined): Promise<void>;
  /** The chat is gone: drop its subscriptions, quiet hours and pending deliveries (counted as removed). */
  removeChat(chatId: number): Promise<number>;
  /** A group became a supergroup: subscriptions, quiet hours and pending deliveries follow it. */
  migrateChat(from: number, to: number): Promise<void>;
}
