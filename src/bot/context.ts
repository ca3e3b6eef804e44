/** The context every handler sees: grammY's, plus the app, the user's language, and a logger for this update. */
import type { Context } from "grammy";
import type { App } from "../app.js";
import type { Lang, Messages } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { ViewContext } from "../views/common.js";

export interface AppFlavor {
  app: App;
  lang: Lang;
  t: Messages;
  /** Pack, messages and time for the views. */
  view(): ViewContext;
  /** The app's logger with this update's `update_id`: every line of one update can be found together. */
  logger: Logger;
}

export type BotContext = Context & AppFlavor;

/** Whether the sender is in the newsroom (ADMIN_IDS): asked afresh on every update. */
export function isNewsroom(ctx: BotContext): boolean {
  return ctx.from !== undefined && ctx.app.adminIds.has(ctx.from.id);
}

/** Telegram's account that speaks for anonymous group administrators. */
export const GROUP_ANONYMOUS_BOT = 1087968824;
