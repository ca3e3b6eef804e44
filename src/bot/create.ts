/** Builds the bot: context, commands, fallbacks and error handling. The same bot runs on Telegram, over webhooks and in the terminal chat. */

import { limit } from "@grammyjs/ratelimiter";
import { sequentialize } from "@grammyjs/runner";
import { type ApiClientOptions, Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { App } from "../app.js";
import { ReplyDropped } from "../delivery/budget.js";
import { escapeHtml as h } from "../format/html.js";
import { langFor, type Messages, messages } from "../i18n/index.js";
import { admin } from "./admin.js";
import { type BotContext, GROUP_ANONYMOUS_BOT, isNewsroom } from "./context.js";
import { inline } from "./inline.js";
import { queries } from "./query.js";
import { replyHtml } from "./reply.js";
import { subscriptions } from "./subscriptions.js";

export interface CreateBotOptions {
  token: string;
  client?: ApiClientOptions;
  /** Skips getMe (terminal chat, tests). */
  botInfo?: UserFromGetMe;
  /** Updates of one chat in order even when the runner handles others concurrently. */
  sequential?: boolean;
  /** Per-user flood limit: at most `limit` updates per `timeFrameMs`; one notice, then silence. */
  rateLimit?: { limit: number; timeFrameMs: number } | false;
}

/** /aiuto: one list for the help text and the command menu. */
export function helpText(t: Messages, isAdmin: boolean): string {
  const line = (c: { command: string; description: string; example?: string }) =>
    `/${c.command} — ${h(c.description)}${c.example ? `\n    <i>${h(c.example)}</i>` : ""}`;
  return [
    t.helpTitle,
    "",
    ...t.commands.public.map(line),
    ...(isAdmin ? ["", ...t.commands.admin.map(line)] : []),
    "",
    h(t.helpFooter),
  ].join("\n");
}

export function createBot(app: App, opts: CreateBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(opts.token, { client: opts.client, botInfo: opts.botInfo });
  if (opts.sequential) bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));

  bot.use(async (ctx, next) => {
    ctx.app = app;
    ctx.lang = langFor(ctx.from?.language_code);
    ctx.t = messages(ctx.lang);
    ctx.view = () => ({ pack: app.data.current(), t: ctx.t, now: app.now() });
    await next();
  });

  // Whatever goes wrong while handling an update is logged and answered here: the error never
  // leaves handleUpdate, so polling, the runner and webhooks all behave the same.
  const handlers = bot.errorBoundary(async (err) => {
    const ctx = err.ctx;
    // The send budget already logged and counted it; an apology would only queue behind the rush.
    if (err.error instanceof ReplyDropped) return;
    app.logger.error(
      { err: err.error, updateId: ctx.update.update_id, chat: ctx.chat?.id },
      "error while handling an update",
    );
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t.genericError });
      else if (ctx.chat) await ctx.reply(ctx.t.genericError);
    } catch (inner) {
      app.logger.warn({ err: inner, updateId: ctx.update.update_id }, "could not tell the user about the error");
    }
  });

  // Other bots get no answer (anonymous group admins speak through a bot account: they are people).
  handlers.use(async (ctx, next) => {
    if (ctx.from?.is_bot === true && ctx.from.id !== GROUP_ANONYMOUS_BOT) return;
    await next();
  });

  const flood = opts.rateLimit ?? { limit: 12, timeFrameMs: 10_000 };
  // The newsroom is never throttled: on election night it may publish in bursts.
  const citizen = (ctx: BotContext) => (ctx.from && !isNewsroom(ctx) ? ctx.from.id.toString() : undefined);
  if (flood) {
    handlers.use(
      limit<BotContext, never>({
        timeFrame: flood.timeFrameMs,
        limit: flood.limit,
        // Inline queries come one per keystroke: they have their own, wider limit below.
        keyGenerator: (ctx) => (ctx.inlineQuery ? undefined : citizen(ctx)),
        onLimitExceeded: async (ctx) => {
          app.logger.info({ from: ctx.from?.id }, "flood limit reached");
          if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t.tooFast }).catch(() => undefined);
          else if (ctx.chat) await ctx.reply(ctx.t.tooFast).catch(() => undefined);
        },
      }),
      limit<BotContext, never>({
        timeFrame: flood.timeFrameMs,
        limit: flood.limit * 5,
        keyPrefix: "INLINE",
        keyGenerator: (ctx) => (ctx.inlineQuery ? citizen(ctx) : undefined),
        onLimitExceeded: (ctx) => app.logger.info({ from: ctx.from?.id }, "inline flood limit reached"),
      }),
    );
  }

  handlers.command("start", async (ctx) => {
    await replyHtml(
      ctx,
      ctx.t.welcome(
        ctx.from?.first_name ? h(ctx.from.first_name.slice(0, 64)) : undefined,
        h(app.data.current().election.name),
      ),
    );
  });
  handlers.command(["aiuto", "help"], async (ctx) => {
    await replyHtml(ctx, helpText(ctx.t, isNewsroom(ctx)));
  });

  handlers.use(queries, subscriptions, admin, inline);

  // A command we do not know, addressed to us (not /x@anotherbot in a group).
  handlers.on("message:entities:bot_command", async (ctx) => {
    const entity = ctx.message.entities.find((e) => e.type === "bot_command" && e.offset === 0);
    if (!entity) return;
    const command = ctx.message.text.slice(entity.offset, entity.offset + entity.length);
    const at = command.indexOf("@");
    if (at !== -1 && command.slice(at + 1).toLowerCase() !== ctx.me.username.toLowerCase()) return;
    await replyHtml(ctx, ctx.t.unknownCommand);
  });

  // Anything else in a private chat (stickers, photos, voice): say what the bot understands.
  handlers.chatType("private").on("message", async (ctx) => {
    await replyHtml(ctx, ctx.t.onlyText);
  });

  handlers.on("callback_query:data", async (ctx) => {
    await ctx.answerCallbackQuery();
  });

  // Last resort, should anything escape the boundary (e.g. the context middleware itself).
  bot.catch((err) => app.logger.error({ err: err.error, updateId: err.ctx.update.update_id }, "unhandled error"));

  return bot;
}
