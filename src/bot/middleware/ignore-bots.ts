/**
 * Other bots get no answer. Anonymous group admins speak through a bot account: they are people.
 * A message a person posted through this bot's inline mode (`via_bot` is us) is one of our own
 * cards, which Telegram delivers to us too: there is nothing to answer.
 */
import type { MiddlewareFn } from "grammy";
import { type BotContext, GROUP_ANONYMOUS_BOT } from "../context.js";

export const ignoreOtherBots: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.from?.is_bot === true && ctx.from.id !== GROUP_ANONYMOUS_BOT) return;
  if (ctx.message?.via_bot?.id === ctx.me.id) return;
  await next();
};
