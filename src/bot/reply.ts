/** Sending Telegram HTML: replies split under the 4096-character limit, and single sends. Both take `Html` only. */
import type { Api } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { type Html, packMessages } from "../format/html.js";
import type { BotContext } from "./context.js";

/**
 * Replies in HTML, split into as many messages as Telegram's limit needs.
 * A keyboard goes on the last message. Only `Html` is taken: a plain string has to be escaped first.
 */
export async function replyHtml(
  ctx: BotContext,
  content: Html | readonly Html[],
  keyboard?: InlineKeyboardMarkup,
): Promise<void> {
  const parts = packMessages(typeof content === "string" ? [content] : content);
  for (const [i, text] of parts.entries()) {
    await ctx.reply(text, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(keyboard && i === parts.length - 1 ? { reply_markup: keyboard } : {}),
    });
  }
}

type SendOptions = Omit<NonNullable<Parameters<Api["sendMessage"]>[2]>, "parse_mode">;

/** `sendMessage` with parse_mode HTML, for sends outside an update (pushes, reports). */
export function sendHtml(
  api: Api,
  chatId: number,
  html: Html,
  other: SendOptions = {},
  signal?: Parameters<Api["sendMessage"]>[3],
): ReturnType<Api["sendMessage"]> {
  return api.sendMessage(chatId, html, { ...other, parse_mode: "HTML" }, signal);
}
