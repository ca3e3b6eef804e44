/**
 * A comune's card as a message: sent with its buttons (see `cardKeyboard`), edited in place by its
 * refresh button, and its buttons brought up to date when the chat starts or stops following the
 * comune from them.
 */
import { GrammyError } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { KnownComune } from "../data/places.js";
import { comuneAnswer } from "../views/city.js";
import { cardData } from "./callback-data/card.js";
import type { BotContext } from "./context.js";
import { cardKeyboard, comuneKey } from "./keyboards.js";
import { replyHtml } from "./reply.js";

/** Telegram's answer to an edit that would change nothing (a double tap, figures unchanged). */
export function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.description.includes("message is not modified");
}

/** Telegram's answers to an edit of a message that can no longer be edited (deleted, too old). */
function isGone(err: unknown): boolean {
  return (
    err instanceof GrammyError &&
    /message to edit not found|message can't be edited|MESSAGE_ID_INVALID/i.test(err.description)
  );
}

/** Sends the comune's card, with its buttons. */
export async function sendCard(ctx: BotContext, c: KnownComune): Promise<void> {
  await replyHtml(ctx, comuneAnswer(c, ctx.view()), await cardKeyboard(c, ctx));
}

/**
 * Edits the card the pressed button is under with the latest figures and buttons (also a card
 * posted through inline mode). Unchanged is fine; a card that can no longer be edited is sent again.
 */
export async function refreshCard(ctx: BotContext, c: KnownComune): Promise<void> {
  try {
    await ctx.editMessageText(comuneAnswer(c, ctx.view()), {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: await cardKeyboard(c, ctx),
    });
  } catch (err) {
    if (isNotModified(err)) return;
    // Sent again where the card was; a card posted through inline mode has no chat of ours to go to.
    if (isGone(err) && ctx.chat) return sendCard(ctx, c);
    throw err;
  }
}

/** Whether a keyboard is this comune's card's (it has the card's refresh button). */
function isCardOf(markup: InlineKeyboardMarkup | undefined, c: KnownComune): boolean {
  const key = comuneKey(c).slice(0, 61);
  return (
    markup?.inline_keyboard.some((row) =>
      row.some((b) => {
        const v = "callback_data" in b && b.callback_data ? cardData.unpack(b.callback_data) : undefined;
        return v?.action === "refresh" && v.key === key;
      }),
    ) ?? false
  );
}

/**
 * After a follow button was pressed: if it was under this comune's card, the card's buttons are
 * brought up to date ("Segui" becomes "Non seguire"). Other keyboards (suggestions) are left alone.
 */
export async function updateCardButtons(ctx: BotContext, c: KnownComune): Promise<void> {
  const message = ctx.callbackQuery?.message;
  if (!message || !isCardOf(message.reply_markup, c)) return;
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: await cardKeyboard(c, ctx) });
  } catch (err) {
    if (!isNotModified(err) && !isGone(err)) throw err;
  }
}
