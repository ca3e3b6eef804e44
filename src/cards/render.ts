/**
 * What a live card shows, for the engine (live.ts): the card view, its keyboard (chart and switch),
 * whether the count is open, and a fingerprint that tells two versions of the message apart.
 */
import { createHash } from "node:crypto";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { ComuneCode } from "../data/model.js";
import type { DataPack } from "../data/pack.js";
import { hasResults, type KnownComune } from "../data/places.js";
import { type Lang, type Messages, messages } from "../i18n/index.js";
import { isCounting, liveCardView } from "../views/live-card.js";
import type { CardContent } from "./live/index.js";

/** Fingerprint of a message's text and keyboard. */
export function fingerprint(html: string, keyboard: unknown): string {
  return createHash("sha256")
    .update(html)
    .update("\u0000")
    .update(JSON.stringify(keyboard ?? null))
    .digest("base64url")
    .slice(0, 22);
}

/**
 * A live card's buttons, as the bot draws them (its callback data is the bot's): given by whoever renders
 * the card, so that the cards need nothing of the bot above them.
 */
export type LiveCardButtons = (
  c: KnownComune,
  t: Messages,
  /** Still counting: the card can be switched off (a finished card cannot). */
  counting: boolean,
) => { inline_keyboard: InlineKeyboardMarkup["inline_keyboard"] } | undefined;

/** The live card of a comune (by code) in a language; undefined for a comune without results. */
export function renderLiveCard(
  pack: DataPack,
  comune: ComuneCode,
  lang: Lang,
  now: Date,
  buttons: LiveCardButtons,
): CardContent | undefined {
  const c = pack.byKey(comune);
  if (!c || !hasResults(c)) return undefined;
  const t = messages(lang);
  const v = { pack, t, now };
  const html = liveCardView(c, v);
  const counting = isCounting(c, v);
  // A finished card has nothing left to switch off: no "outcomes only" button under it.
  const keyboard = buttons(c, t, counting);
  const markup = keyboard ? { inline_keyboard: keyboard.inline_keyboard } : undefined;
  return {
    html,
    ...(markup ? { keyboard: markup } : {}),
    live: counting,
    fingerprint: fingerprint(html, markup),
  };
}
