/**
 * Where the live cards are kept between runs: for each chat and followed comune (by code), the message that is
 * the card, when it was sent, a fingerprint of what it shows, and whether the chat switched it off
 * ("solo esiti"). The followers are the comune's subscribers (see SubscriptionRepository).
 */
import type { ComuneCode } from "../../data/model.js";
import type { Lang } from "../../i18n/index.js";

/** One chat's card of one comune, and the language the chat follows it in. */
export interface CardState {
  lang: Lang;
  /** The card's message; undefined before the first card, or after it was lost (deleted, too old). */
  messageId?: number;
  /** When that message was sent, epoch ms. */
  sentAt?: number;
  /** Fingerprint of what the card shows now. */
  shown?: string;
  /** The chat asked for the outcomes only: no live card. */
  off: boolean;
}

export interface LiveCardStore {
  /** Chats following `comune` with a live card (not switched off), ids above `after`, ascending. */
  followers(comune: ComuneCode, after: number, limit: number): Promise<number[]>;
  /** The chat's card of a comune; undefined when the chat does not follow that comune. */
  card(chatId: number, comune: ComuneCode): Promise<CardState | undefined>;
  /** A new card message went out. */
  cardSent(chatId: number, comune: ComuneCode, messageId: number, sentAt: number, shown: string): Promise<void>;
  /** The card now shows this. */
  cardShown(chatId: number, comune: ComuneCode, shown: string): Promise<void>;
  /** The card's message is gone (deleted by the user, too old to edit): the next one is a new card. */
  cardLost(chatId: number, comune: ComuneCode): Promise<void>;
  /** Switches the chat's live card of a comune off (outcomes only) or back on. */
  setOff(chatId: number, comune: ComuneCode, off: boolean): Promise<void>;
  /** Whether the chat switched the live card of this comune off. */
  isOff(chatId: number, comune: ComuneCode): Promise<boolean>;
  /** The chat is gone: its cards are forgotten. */
  forgetChat(chatId: number): Promise<void>;
  /** The comuni that have at least one card message, and are not all switched off. */
  comuniWithCards(): Promise<ComuneCode[]>;
}
