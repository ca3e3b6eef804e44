/** Other bots get no answer. Anonymous group admins speak through a bot account: they are people. */
import type { MiddlewareFn } from "grammy";
import { type BotContext, GROUP_ANONYMOUS_BOT } from "../context.js";

export const ignoreOtherBots: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.from?.is_bot === true && ctx.from.id !== GROUP_ANONYMOUS_BOT) return;
  await next();
};
