/**
 * /start and /aiuto (/help): the welcome, and the command list from the registry; also the answers to
 * "ciao", "aiuto" and "grazie" typed without a command. In a group they speak to the group.
 */
import { Composer } from "grammy";
import { type Html, escapeHtml as h, html, joinHtml } from "../../format/html.js";
import type { Messages } from "../../i18n/index.js";
import { command, type ListedCommand, listed, nameIn } from "../commands.js";
import { type BotContext, isNewsroom } from "../context.js";
import { replyHtml } from "../reply.js";

/**
 * The /aiuto text: the public commands, and the newsroom's for the newsroom.
 * @param group in a group: the bot's username, for the line on how to ask there
 */
export function helpText(t: Messages, isAdmin: boolean, group?: { bot: string }): Html {
  const line = (c: ListedCommand) => {
    const { description, example } = c.help[t.lang];
    const name = h(nameIn(c, t.lang));
    const bang = c.bang ? html`\n    <i>/${name}!</i> — ${h(c.bang[t.lang])}` : "";
    return html`/${name} — ${h(description)}${example ? html`\n    <i>${h(example)}</i>` : ""}${bang}`;
  };
  return joinHtml(
    [
      t.helpTitle,
      html``,
      ...listed("everyone").map(line),
      ...(isAdmin ? [html``, ...listed("newsroom").map(line)] : []),
      html``,
      h(t.helpFooter(group)),
    ],
    "\n",
  );
}

/** In a group (not a private chat): the bot's username, which the group's wording names; else undefined. */
export function groupOf(ctx: BotContext): { bot: string } | undefined {
  const type = ctx.chat?.type;
  return type === "group" || type === "supergroup" ? { bot: ctx.me.username } : undefined;
}

/** The welcome: to the person in a private chat, to everyone in a group. */
export async function sendWelcome(ctx: BotContext): Promise<void> {
  const name = ctx.from?.first_name ? ctx.from.first_name.slice(0, 64) : undefined;
  await replyHtml(ctx, ctx.t.welcome(name, ctx.app.data.current().election.name, groupOf(ctx)));
}

/** The command list; the newsroom's too for the newsroom, in its private chats only (never posted in a group). */
export async function sendHelp(ctx: BotContext): Promise<void> {
  const group = groupOf(ctx);
  await replyHtml(ctx, helpText(ctx.t, isNewsroom(ctx) && !group, group));
}

/** The answer to a thank-you or a goodbye. */
export async function sendThanks(ctx: BotContext): Promise<void> {
  await replyHtml(ctx, ctx.t.thanks(groupOf(ctx) !== undefined));
}

export const help = new Composer<BotContext>();

help.filter(command("start"), sendWelcome);

help.filter(command("aiuto"), sendHelp);
