/**
 * Builds the bot: installs the middleware, then the features, `unhandled` last. The same bot runs on
 * Telegram (long polling or webhook), in the terminal chat, in the tests and in the benchmarks.
 */
import { sequentialize } from "@grammyjs/runner";
import { type ApiClientOptions, Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { App } from "../app.js";
import type { BotContext } from "./context.js";
import { charts } from "./features/charts.js";
import { feed } from "./features/feed.js";
import { help } from "./features/help.js";
import { inline } from "./features/inline.js";
import { liveCards } from "./features/live-cards.js";
import { newsroom } from "./features/newsroom.js";
import { queries } from "./features/queries.js";
import { questions } from "./features/questions.js";
import { seats } from "./features/seats.js";
import { subscriptions } from "./features/subscriptions.js";
import { unhandled } from "./features/unhandled.js";
import { attachContext } from "./middleware/context.js";
import { answerError, lastResort } from "./middleware/errors.js";
import { DEFAULT_FLOOD_LIMIT, type FloodLimit, floodLimit } from "./middleware/flood.js";
import { ignoreOtherBots } from "./middleware/ignore-bots.js";

/** Updates the bot handles; anything else Telegram need not send. */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "my_chat_member"] as const;

export interface CreateBotOptions {
  token: string;
  client?: ApiClientOptions;
  /** Skips getMe (terminal chat, tests). */
  botInfo?: UserFromGetMe;
  /** Updates of one chat in order even when the runner handles others concurrently. */
  sequential?: boolean;
  /** Per-user flood limit (default 12 updates in 10 s); false for none. */
  rateLimit?: FloodLimit | false;
}

export function createBot(app: App, opts: CreateBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(opts.token, { client: opts.client, botInfo: opts.botInfo });
  if (opts.sequential) bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use(attachContext(app));

  const handlers = bot.errorBoundary(answerError);
  handlers.use(ignoreOtherBots);
  const flood = opts.rateLimit ?? DEFAULT_FLOOD_LIMIT;
  if (flood) handlers.use(floodLimit(flood));

  // liveCards before subscriptions: it reads /iscriviti's "solo-esiti" and what the subscription changed.
  handlers.use(help, queries, seats, charts, liveCards, subscriptions, newsroom, feed, inline);
  // Plain text after every feature's own handlers: what none of them took is read as a question.
  handlers.use(questions);
  handlers.use(unhandled);

  bot.catch(lastResort(app.logger));
  return bot;
}
