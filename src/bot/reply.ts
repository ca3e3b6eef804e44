/** Replies in Telegram HTML, split under the 4096-character limit. */
import type { InlineKeyboardMarkup } from "grammy/types";
import { packMessages } from "../format/html.js";
import type { BotContext } from "./context.js";

/**
 * Replies in HTML, split into as many messages as Telegram's limit needs.
 * A keyboard goes on the last message.
 */
export async function replyHtml(
  ctx: BotContext,
  content: string | string[],
  keyboard?: InlineKeyboardMarkup,
): Promise<void> {
  const parts = packMessages(Array.isArray(content) ? content : [content]);
  for (const [i, text] of parts.entries()) {
    await ctx.reply(text, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(keyboard && i === parts.length - 1 ? { reply_markup: keyboard } : {}),
    });
  }
}
