/**
 * What the bot keeps between runs: published bulletins, subscriptions, and the delivery outbox.
 * SQLite is the embedded implementation; anything satisfying this interface can replace it.
 */
import type { Lang } from "../i18n/index.js";

/** Who wrote a bulletin: the data pack, the newsroom (/pubblica), or the bot from the Ministry's feed. */
export type BulletinOrigin = "pack" | "newsroom" | "feed";

/**
 * Who a bulletin is for: `everyone` subscribed (a comune's bulletin: the chats following everything or
 * that comune); `followers`: only the chats following one of its comuni. The feed's bulletins about one
 * comune are for its followers: a thousand comuni would flood everyone else. Kept out of /ultime.
 */
export type Audience = "everyone" | "followers";

export interface NewBulletin {
  /** The election it belongs to: a bulletin is identified by (election, id), so the next election may reuse an id. */
  election: string;
  id: string;
  publishedAt: string;
  text: string;
  comuni: string[];
  origin: BulletinOrigin;
  /** Default `everyone`. */
  audience?: Audience;
}

/** A bulletin's push: who asked (null: nobody to report to) and the report's language. */
export interface PushOptions {
  requestedBy: number | null;
  lang: Lang;
}

export interface StoredBulletin extends NewBulletin {
  seq: number;
  /** Withdrawn from the data pack: kept in history, not shown in /ultime. */
  hidden: boolean;
}

/** What a correction may change in a stored bulletin. */
export type BulletinContent = Pick<NewBulletin, "publishedAt" | "text" | "comuni">;

export interface Delivery {
  seq: number;
  chatId: number;
  lang: Lang;
  attempts: number;
}

export interface PushReport {
  seq: number;
  bulletinId: string;
  requestedBy: number | null;
  lang: Lang;
  startedAt: number;
  finishedAt: number | null;
  total: number;
  delivered: number;
  removed: number;
  /** Not sent because the bot may not write in the chat for now (the subscription stays). */
  skipped: number;
  failed: number;
}

/** National bulletins only (those naming no comune): a subscription of its own kind. */
export const NATIONAL: unique symbol = Symbol("national");

/**
 * What a chat subscribes to: `null` every bulletin; a comune's name that comune's bulletins (and
 * the national ones, which reach every subscribed chat); `NATIONAL` the national bulletins only.
 */
export type Subscription = string | null | typeof NATIONAL;

/**
 * A chat's quiet hours: pushes arriving from `from` up to (not including) `to`, in minutes after
 * midnight in the election's time zone, go out without sound. `from` after `to` spans midnight
 * (23:00–07:00); the two are never equal.
 */
export interface QuietHours {
  from: number;
  to: number;
}

/** How a delivery ended: sent, skipped (no rights to write there now), or given up on. */
export type Terminal = "delivered" | "skipped" | "failed";

export interface Store {
  // meta
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;

  // bulletins
  /** Every bulletin of one election, in the order they were stored. */
  bulletinsOf(election: string): StoredBulletin[];
  /** Records a bulletin; with `push`, also queues it for every matching subscriber, atomically. */
  addBulletin(b: NewBulletin, push?: PushOptions): { seq: number; recipients: number };
  /** Replaces a bulletin's time, text and comuni, and shows it again if it was hidden. Queued deliveries send the new text. */
  correctBulletin(seq: number, content: BulletinContent): void;
  /** Hides a bulletin from /ultime and settles its queued deliveries as skipped; returns how many. */
  withdrawBulletin(seq: number): number;
  /**
   * Newest first, not hidden, for everyone (not a comune's followers only), of the current election (meta `election`, written when the data pack is synced;
   * every election while none is recorded).
   */
  latestBulletins(limit: number): StoredBulletin[];
  /** The same, only the bulletins naming this comune (its name as bulletins store it). */
  latestBulletinsAbout(comune: string, limit: number): StoredBulletin[];
  bulletin(seq: number): StoredBulletin | undefined;
  bulletinCount(): number;

  // subscriptions (see Subscription)
  /** Adds a subscription; false if the chat had it already. Every subscription of the chat takes `lang`. */
  subscribe(chatId: number, what: Subscription, lang: Lang): boolean;
  /** Drops subscriptions ("*" = all of the chat's) and the chat's queued deliveries that no remaining one asks for. */
  unsubscribe(chatId: number, what: Subscription | "*"): number;
  /** Every bulletin first, then national only, then the comuni by name. */
  subscriptionsOf(chatId: number): Subscription[];
  subscriberStats(): { subscriptions: number; chats: number };
  /** The chat's quiet hours, if it set any. */
  quietHoursOf(chatId: number): QuietHours | undefined;
  /** Sets (or with undefined clears) the chat's quiet hours. */
  setQuietHours(chatId: number, quiet: QuietHours | undefined): void;

  // outbox
  /** Pending deliveries due by `now` whose chat has nothing older pending, after the cursor, in publication order. */
  dueDeliveries(after: { seq: number; chatId: number } | null, now: number, limit: number): Delivery[];
  /** Whether this delivery is still queued and due by `now` (a batch read earlier may be stale). */
  isDue(d: Pick<Delivery, "seq" | "chatId">, now: number): boolean;
  /** Earliest time a postponed delivery becomes due, if any. */
  nextDueAt(): number | undefined;
  pendingCount(): number;
  complete(d: Pick<Delivery, "seq" | "chatId">, outcome: Terminal, error?: string): void;
  postpone(d: Pick<Delivery, "seq" | "chatId">, dueAt: number, error: string): void;
  /** The chat is gone: drop its subscriptions, quiet hours and pending deliveries (counted as removed). */
  removeChat(chatId: number): number;
  /** A group became a supergroup: subscriptions, quiet hours and pending deliveries follow it. */
  migrateChat(from: number, to: number): void;

  // push reports
  unreportedFinishedPushes(): PushReport[];
  markReported(seq: number): void;
  lastPush(): PushReport | undefined;

  close(): void;
}
