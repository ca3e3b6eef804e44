/**
 * What the bot keeps between runs: published bulletins, subscriptions, and the delivery outbox.
 * SQLite is the embedded implementation; anything satisfying this interface can replace it.
 */
import type { ComuneCode } from "../data/model.js";
import type { Html } from "../format/html.js";
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

/** A newsroom correction: the new text (and its HTML) and comuni; the time of publication stays. */
export type Correction = Pick<NewBulletin, "text" | "comuni" | "html">;

/** The message Telegram made for a delivery, and the version of the bulletin it shows. */
export interface SentCopy {
  messageId: number;
  version: number;
  /** The language it was rendered in: an edit renders it again in the same. */
  lang: Lang;
}

/** What the newsroom does to the copies already delivered: edit them (a correction) or delete them (a withdrawal). */
export type AmendmentKind = "correct" | "withdraw";

/** One delivered copy to edit or delete: a row of the outbox's second kind. */
export interface AmendmentJob {
  amendment: number;
  kind: AmendmentKind;
  seq: number;
  chatId: number;
  messageId: number;
  lang: Lang;
  attempts: number;
}

/**
 * How an edit or a deletion ended: done (edited, or deleted), gone (the chat or the message is no
 * longer there: blocked, left, deleted by the reader), failed (Telegram refused: too old, no rights,
 * or given up after repeated failures).
 */
export type AmendmentOutcome = "done" | "gone" | "failed";

export interface AmendmentReport {
  id: number;
  kind: AmendmentKind;
  seq: number;
  bulletinId: string;
  bulletinText: string;
  requestedBy: number | null;
  lang: Lang;
  startedAt: number;
  finishedAt: number | null;
  total: number;
  done: number;
  gone: number;
  failed: number;
  /** Left to a later correction or withdrawal of the same bulletin, which handles those copies. */
  superseded: number;
}

/**
 * What a correction or a withdrawal set going: delivered copies to edit or delete, deliveries still
 * queued (sent corrected, or not at all); for a correction that changes the comuni, the chats it
 * newly concerns (`added`, new deliveries) and queued ones for chats it no longer concerns (`dropped`).
 */
export interface AmendmentStarted {
  amendment: number;
  copies: number;
  queued: number;
  added: number;
  dropped: number;
}

/**
 * What a correction to these comuni would do now: edit every delivered copy (`stale` of them in chats
 * it would no longer concern), send the queued ones corrected (`queued`) except those for chats it would
 * no longer concern (`dropped`), and send it to the chats it would newly concern (`added`).
 */
export interface CorrectionReach {
  copies: number;
  stale: number;
  queued: number;
  dropped: number;
  added: number;
}

/** A newsroom action waiting for the editor's confirmation (the preview's buttons). */
export type DraftKind = "publish" | "correct" | "withdraw";

export interface NewDraft {
  kind: DraftKind;
  /** The editor who asked; only they may confirm. */
  userId: number;
  /** Where the preview was shown (the editor's private chat). */
  chatId: number;
  lang: Lang;
  text: string;
  /** The formatting's HTML, as in NewBulletin. */
  html?: Html;
  comuni: ComuneCode[];
  /** The bulletin a correction or withdrawal is about (its seq). */
  target?: number;
  createdAt: number;
  expiresAt: number;
}

export interface Draft extends NewDraft {
  id: number;
  /** The preview's message, once shown. */
  messageId?: number;
  state: "open" | "done" | "cancelled" | "expired";
  /** What confirming made: the bulletin's seq, or the amendment's id. */
  result?: number;
}

/** Confirming or cancelling a draft: done now, or why not (the draft as it stands, expired included). */
export type DraftSettlement = { ok: true; draft: Draft; result?: number } | { ok: false; draft: Draft | undefined };

export interface Delivery {
  seq: number;
  chatId: number;
  lang: Lang;
  attempts: number;
}

export interface PushReport {
  seq: number;
  bulletinId: string;
  /** The bulletin's text, for the report's title. */
  bulletinText: string;
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
  /** The same, only the bulletins naming this comune. */
  latestBulletinsAbout(comune: ComuneCode, limit: number): StoredBulletin[];
  bulletin(seq: number): StoredBulletin | undefined;
  bulletinCount(): number;
  /** The bulletin's current version (see StoredBulletin.version). */
  bulletinVersion(seq: number): number | undefined;

  // the newsroom's corrections and withdrawals of delivered copies
  /**
   * Corrects a bulletin (new text, version up) or withdraws it (hidden, queued deliveries settled as
   * skipped), and queues an edit or a deletion of every copy delivered so far, atomically. Pending
   * edits or deletions of earlier amendments of the bulletin are superseded by this one. A correction's
   * comuni decide again who gets it (see CorrectionReach): queued deliveries to chats it no longer
   * concerns are settled as removed; the chats it newly concerns are queued, and its push reopened.
   * Undefined when the bulletin is unknown or already withdrawn.
   */
  amendBulletin(
    seq: number,
    change: { kind: "correct"; content: Correction; correctedAt: string } | { kind: "withdraw" },
    by: { requestedBy: number | null; lang: Lang },
  ): AmendmentStarted | undefined;
  /** Copies of a bulletin delivered so far (with their message ids), and its deliveries still queued. */
  copyCount(seq: number): { delivered: number; queued: number };
  /** What correcting the bulletin to these comuni would do now; undefined for an unknown bulletin. */
  correctionReach(seq: number, comuni: readonly string[]): CorrectionReach | undefined;
  /** Due edits and deletions, after the cursor, in amendment order. */
  dueAmendmentJobs(after: { amendment: number; chatId: number } | null, now: number, limit: number): AmendmentJob[];
  isAmendmentJobDue(j: Pick<AmendmentJob, "amendment" | "chatId">, now: number): boolean;
  /** Records how a job ended; `version` is the bulletin version an edit showed. */
  completeAmendmentJob(
    j: Pick<AmendmentJob, "amendment" | "chatId">,
    outcome: AmendmentOutcome,
    version?: number,
  ): void;
  postponeAmendmentJob(j: Pick<AmendmentJob, "amendment" | "chatId">, dueAt: number, error: string): void;
  unreportedFinishedAmendments(): AmendmentReport[];
  markAmendmentReported(id: number): void;
  /** Forgets the message ids of bulletins published before this instant (too old to correct). */
  forgetCopiesBefore(ms: number): number;

  // the newsroom's own messages about a bulletin (preview, acknowledgement, report), to reply to
  recordNewsroomMessage(chatId: number, messageId: number, seq: number): void;
  /** The current election's bulletin a message is about: a delivered copy, or a newsroom message. */
  bulletinByMessage(chatId: number, messageId: number): number | undefined;

  // drafts waiting for the editor's confirmation
  createDraft(d: NewDraft): Draft;
  draft(id: number): Draft | undefined;
  setDraftMessage(id: number, messageId: number): void;
  /** The comuni of an open draft, as the editor settled its tags (which Castro). */
  setDraftComuni(id: number, comuni: readonly ComuneCode[]): void;
  /**
   * Closes an open draft as done (running `act`, in the same transaction, for what it makes) or
   * cancelled. A draft already closed, or past its expiry (then marked expired), is left as it is.
   * Drafts a day old are forgotten.
   */
  settleDraft(
    id: number,
    now: number,
    to: "done" | "cancelled",
    act?: (d: Draft) => number | undefined,
  ): DraftSettlement;

  // subscriptions (see Subscription)
  /** Adds a subscription; false if the chat had it already. Every subscription of the chat takes `lang`. */
  subscribe(chatId: number, what: Subscription, lang: Lang): boolean;
  /**
   * Adds many subscriptions in one transaction, as `subscribe` one by one would (a chat's subscriptions
   * take the last `lang` given for it): all of them or, if one cannot be stored, none. Returns how many
   * were new. For imports and seeding large audiences; the iterable is read once, not kept.
   */
  subscribeMany(entries: Iterable<{ chatId: number; what: Subscription; lang: Lang }>): number;
  /** Drops subscriptions ("*" = all of the chat's) and the chat's queued deliveries that no remaining one asks for. */
  unsubscribe(chatId: number, what: Subscription | "*"): number;
  /** Every bulletin first, then national only, then the comuni by code. */
  subscriptionsOf(chatId: number): Subscription[];
  subscriberStats(): { subscriptions: number; chats: number };
  /** Chats a bulletin about these comuni would reach now (empty = national: every subscribed chat). */
  recipientCount(comuni: readonly ComuneCode[]): number;
  /** The chat's quiet hours, if it set any. */
  quietHoursOf(chatId: number): QuietHours | undefined;
  /** Sets (or with undefined clears) the chat's quiet hours. */
  setQuietHours(chatId: number, quiet: QuietHours | undefined): void;

  // outbox
  /** Pending deliveries due by `now` whose chat has nothing older pending, after the cursor, in publication order. */
  dueDeliveries(after: { seq: number; chatId: number } | null, now: number, limit: number): Delivery[];
  /** Whether this delivery is still queued and due by `now` (a batch read earlier may be stale). */
  isDue(d: Pick<Delivery, "seq" | "chatId">, now: number): boolean;
  /** Earliest time a postponed delivery (or edit, or deletion) becomes due, if any. */
  nextDueAt(): number | undefined;
  /** Queued deliveries, and queued edits and deletions of delivered copies. */
  pendingCount(): number;
  /** Records how a delivery ended; a delivered one with the message Telegram made (kept for corrections). */
  complete(d: Pick<Delivery, "seq" | "chatId">, outcome: Terminal, sent?: SentCopy): void;
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
