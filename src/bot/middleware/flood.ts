/**
 * The flood limit: at most `limit` updates per `timeFrameMs` from one person, then one polite notice
 * and silence. Inline queries come one per keystroke and have their own, five times wider, limit.
 * The newsroom is never throttled: on election night it may publish in bursts.
 */
import { limit } from "@grammyjs/ratelimiter";
import { Composer } from "grammy";
import { type BotContext, GROUP_ANONYMOUS_BOT, isNewsroom } from "../context.js";

export interface FloodLimit {
  limit: number;
  timeFrameMs: number;
}

/** The default: 12 updates in 10 s. */
export const DEFAULT_FLOOD_LIMIT: FloodLimit = { limit: 12, timeFrameMs: 10_000 };

/**
 * Whose bucket an update counts against: a person, or a chat for those who speak as one. Every
 * anonymous admin of every group is GroupAnonymousBot, so they are keyed by the group they speak for
 * (sender_chat), not by that shared id. Undefined = not limited (the newsroom).
 */
export function floodKey(ctx: BotContext): string | undefined {
  if (!ctx.from || isNewsroom(ctx)) return undefined;
  const speaksFor = ctx.msg?.sender_chat ?? (ctx.from.id === GROUP_ANONYMOUS_BOT ? ctx.chat : undefined);
  return speaksFor ? `chat:${speaksFor.id}` : ctx.from.id.toString();
}

export function floodLimit(flood: FloodLimit): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.use(
    limit<BotContext, never>({
      timeFrame: flood.timeFrameMs,
      limit: flood.limit,
      keyGenerator: (ctx) => (ctx.inlineQuery ? undefined : floodKey(ctx)),
      onLimitExceeded: async (ctx) => {
        ctx.logger.info({ from: ctx.from?.id }, "flood limit reached");
        if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t.tooFast }).catch(() => undefined);
        else if (ctx.chat) await ctx.reply(ctx.t.tooFast).catch(() => undefined);
      },
    }),
    limit<BotContext, never>({
      timeFrame: flood.timeFrameMs,
      limit: flood.limit * 5,
      keyPrefix: "INLINE",
      keyGenerator: (ctx) => (ctx.inlineQuery ? floodKey(ctx) : undefined),
      onLimitExceeded: (ctx) => ctx.logger.info({ from: ctx.from?.id }, "inline flood limit reached"),
    }),
  );
  return composer;
}
