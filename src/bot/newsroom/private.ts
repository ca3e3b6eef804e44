/**
 * The newsroom's answers go to the editor's private chat, wherever the command was typed: a group
 * never sees a preview, a subscriber count or a report. When the bot cannot write to the editor
 * there (they never started it, or blocked it), the group gets one neutral line saying to open the
 * private chat, without any figure.
 */
import { GrammyError } from "grammy";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import type { Html } from "../../format/html.js";
import type { BotContext } from "../context.js";
import { replyHtml } from "../reply.js";

/** Telegram's answers for a user the bot may not write to: never started, blocked, or gone. */
function unreachable(err: unknown): boolean {
  return (
    err instanceof GrammyError &&
    (err.error_code === 403 || (err.error_code === 400 && /chat not found|PEER_ID_INVALID/i.test(err.description)))
  );
}

/**
 * Sends one HTML message (built by us, within Telegram's limit) to the editor privately. Returns it,
 * or undefined when it could not reach them (the group was told to open the private chat).
 */
export async function replyPrivately(
  ctx: BotContext,
  html: Html,
  keyboard?: InlineKeyboardMarkup,
): Promise<Message.TextMessage | undefined> {
  const other = {
    parse_mode: "HTML" as const,
    link_preview_options: { is_disabled: true },
    ...(keyboard ? { reply_markup: keyboard } : {}),
  };
  const from = ctx.from;
  if (ctx.chat?.type === "private" || !from) return ctx.reply(html, other);
  try {
    return await ctx.api.sendMessage(from.id, html, other);
  } catch (err) {
    if (!unreachable(err)) throw err;
    ctx.logger.info(
      { from: from.id, chat: ctx.chat?.id },
      "newsroom command in a group: editor not reachable privately",
    );
    await replyHtml(ctx, ctx.t.newsroomInPrivate(ctx.me.username));
    return undefined;
  }
}

/**
 * A note to someone privately, without a word in the group: when the bot cannot write to them (they
 * never started it, or blocked it), nothing is said at all.
 */
export async function notePrivately(ctx: BotContext, html: Html): Promise<void> {
  const from = ctx.from;
  if (!from) return;
  try {
    await ctx.api.sendMessage(from.id, html, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
  } catch (err) {
    if (!unreachable(err)) throw err;
    ctx.logger.info({ from: from.id, chat: ctx.chat?.id }, "private note not delivered: user not reachable privately");
  }
}

/** Whether the command came from a group (its answers then go to the private chat). */
export const inGroup = (ctx: BotContext): boolean => ctx.chat !== undefined && ctx.chat.type !== "private";
