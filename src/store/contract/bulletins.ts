/** Published bulletins: the data pack's, the newsroom's, the feed's; and the newsroom's messages about them. */
import type { ComuneCode } from "../../data/model.js";
import type { Html } from "../../format/html.js";
import type { Lang } from "../../i18n/index.js";

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
  /** The comuni it concerns, by code (homonyms differ); none for a national bulletin. */
  comuni: ComuneCode[];
  origin: BulletinOrigin;
  /** Default `everyone`. */
  audience?: Audience;
  /**
   * The text as Telegram HTML with the newsroom's formatting, built by us (see format/entities.ts);
   * undefined for plain text, which is escaped when shown.
   */
  html?: Html;
}

/** A bulletin's push: who asked (null: nobody to report to) and the report's language. */
export interface PushOptions {
  requestedBy: number | null;
  lang: Lang;
}

export interface StoredBulletin extends NewBulletin {
  seq: number;
  /** Withdrawn (from the data pack, or by the newsroom): kept in history, not shown in /ultime. */
  hidden: boolean;
  /** Goes up with every correction: a copy delivered with an older version is out of date. */
  version: number;
  /** When the newsroom last corrected it (ISO), if ever: readers are told. */
  correctedAt?: string;
}

/** What a correction may change in a stored bulletin. */
export type BulletinContent = Pick<NewBulletin, "publishedAt" | "text" | "comuni">;

export interface BulletinRepository {
  /** Every bulletin of one election, in the order they were stored. */
  bulletinsOf(election: string): Promise<StoredBulletin[]>;
  /**
   * Records a bulletin; with `push`, also queues it for every matching subscriber, atomically (the
   * bulletin, its outbox rows and its push in one transaction).
   */
  addBulletin(b: NewBulletin, push?: PushOptions): Promise<{ seq: number; recipients: number }>;
  /** Replaces a bulletin's time, text and comuni, and shows it again if it was hidden. Queued deliveries send the new text. */
  correctBulletin(seq: number, content: BulletinContent): Promise<void>;
  /** Hides a bulletin from /ultime and settles its queued deliveries as skipped; returns how many. */
  withdrawBulletin(seq: number): Promise<number>;
  /**
   * Newest first, not hidden, for everyone (not a comune's followers only), of the current election (meta `election`, written when the data pack is synced;
   * every election while none is recorded).
   */
  latestBulletins(limit: number): Promise<StoredBulletin[]>;
  /** The same, only the bulletins naming this comune. */
  latestBulletinsAbout(comune: ComuneCode, limit: number): Promise<StoredBulletin[]>;
  bulletin(seq: number): Promise<StoredBulletin | undefined>;
  bulletinCount(): Promise<number>;
  /** The bulletin's current version (see StoredBulletin.version). */
  bulletinVersion(seq: number): Promise<number | undefined>;

  // the newsroom's own messages about a bulletin (preview, acknowledgement, report), to reply to
  recordNewsroomMessage(chatId: number, messageId: number, seq: number): Promise<void>;
  /** The current election's bulletin a message is about: a delivered copy, or a newsroom message. */
  bulletinByMessage(chatId: number, messageId: number): Promise<number | undefined>;
}
