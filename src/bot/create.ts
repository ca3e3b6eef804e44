/** Builds the bot: context, commands, fallbacks and error handling. The same bot runs on Telegram, over webhooks and in the terminal chat. */
import { Bot, type ApiClientOptions } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { App } from "../app.js";
import { escapeHtml as h } from "../format/html.js";
import { langFor, messages, type Messages } from "../i18n/index.js";
import { admin } from "./admin.js";
import type { BotContext } from "./context.js";
import { queries } from "./query.js";
import { replyHtml } from "./reply.js";
import { subscriptions } from "./subscriptions.js";

export interface CreateBotOptions {
  token: string;
  client?: ApiClientOptions;
  /** Skips getMe (terminal chat, tests). */
  botInfo?: UserFromGetMe;
}

/** /aiuto: one list for the help text and the command menu. */
export function helpText(t: Messages, isAdmin: boolean): string {
  const line = (c: { command: string; description: string; example?: string }) =>
    `/${c.command} — ${h(c.description)}${c.example ? `\n    <i>${h(c.example)}</i>` : ""}`;
  return [t.helpTitle, "", ...t.commands.public.map(line), ...(isAdmin ? ["", ...t.commands.admin.map(line)] : []), "", h(t.helpFooter)].join("\n");
}

export function createBot(app: App, opts: CreateBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(opts.token, { client: opts.client, botInfo: opts.botInfo });

  bot.use(async (ctx, next) => {
    ctx.app = app;
    ctx.lang = langFor(ctx.from?.language_code);
    ctx.t = messages(ctx.lang);
    ctx.view = () => ({ pack: app.data.current(), t: ctx.t, now: app.now() });
    await next();
  });

  // Other bots (and their echoes in groups) get no answer.
  bot.drop((ctx) => ctx.from?.is_bot === true && ctx.from.id !== 1087968824);

  bot.command("start", async (ctx) => {
    await replyHtml(ctx, ctx.t.welcome(ctx.from?.first_name ? h(ctx.from.first_name.slice(0, 64)) : undefined, h(app.data.current().election.name)));
  });
  bot.command(["aiuto", "help"], async (ctx) => {
    await replyHtml(ctx, helpText(ctx.t, ctx.from !== undefined && app.adminIds.has(ctx.from.id)));
  });

  bot.use(queries, subscriptions, admin);

  // A command we do not know, addressed to us (not /x@anotherbot in a group).
  bot.on("message:entities:bot_command", async (ctx) => {
    const entity = ctx.message.entities.find((e) => e.type === "bot_command" && e.offset === 0);
    if (!entity) return;
    const command = ctx.message.text.slice(entity.offset, entity.offset + entity.length);
    const at = command.indexOf("@");
    if (at !== -1 && command.slice(at + 1).toLowerCase() !== ctx.me.username.toLowerCase()) return;
    await replyHtml(ctx, ctx.t.unknownCommand);
  });

  bot.on("callback_query:data", async (ctx) => {
    await ctx.answerCallbackQuery();
  });

  bot.catch(async (err) => {
    const ctx = err.ctx;
    app.logger.error({ err: err.error, updateId: ctx.update.update_id, chat: ctx.chat?.id }, "error while handling an update");
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t?.genericError ?? messages("it").genericError });
      else if (ctx.chat) await ctx.reply(ctx.t?.genericError ?? messages("it").genericError);
    } catch (inner) {
      app.logger.warn({ err: inner, updateId: ctx.update.update_id }, "could not tell the user about the error");
    }
  });

  return bot;
}
