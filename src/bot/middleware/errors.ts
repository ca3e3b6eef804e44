/**
 * The error boundary's handler: whatever goes wrong while handling an update is logged and the user
 * gets a short apology. The error never leaves handleUpdate, so polling, the runner and webhooks all
 * behave the same.
 */
import type { BotError } from "grammy";
import { ReplyDropped } from "../../delivery/budget/index.js";
import type { Logger } from "../../logger.js";
import type { BotContext } from "../context.js";

export async function answerError(err: BotError<BotContext>): Promise<void> {
  const ctx = err.ctx;
  // The send budget already logged and counted it; an apology would only queue behind the rush.
  if (err.error instanceof ReplyDropped) return;
  ctx.logger.error({ err: err.error, chat: ctx.chat?.id }, "error while handling an update");
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t.genericError });
    else if (ctx.chat) await ctx.reply(ctx.t.genericError);
  } catch (inner) {
    ctx.logger.warn({ err: inner }, "could not tell the user about the error");
  }
}

/** Last resort, for what escapes the boundary (the context middleware itself): there is no ctx.logger yet. */
export function lastResort(logger: Logger): (err: BotError<BotContext>) => void {
  return (err) => logger.error({ err: err.error, update_id: err.ctx.update.update_id }, "unhandled error");
}
