/** First on every update: puts the app, the user's language and messages, and a logger for this update on the context. */
import type { MiddlewareFn } from "grammy";
import type { App } from "../../app.js";
import { langFor, messages } from "../../i18n/index.js";
import type { BotContext } from "../context.js";

export function attachContext(app: App): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    ctx.app = app;
    ctx.lang = langFor(ctx.from?.language_code);
    ctx.t = messages(ctx.lang);
    ctx.view = () => ({
      pack: app.data.current(),
      t: ctx.t,
      now: app.now(),
      ...(app.data.live ? { live: app.data.live } : {}),
    });
    ctx.logger = app.logger.child({ update_id: ctx.update.update_id });
    await next();
  };
}
