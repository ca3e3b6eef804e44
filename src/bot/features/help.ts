/** /start and /aiuto (/help): the welcome, and the command list from the registry. */
import { Composer } from "grammy";
import { type Html, escapeHtml as h, html, joinHtml } from "../../format/html.js";
import type { Messages } from "../../i18n/index.js";
import { command, type ListedCommand, listed, nameIn } from "../commands.js";
import { type BotContext, isNewsroom } from "../context.js";
import { replyHtml } from "../reply.js";

/** The /aiuto text: the public commands, and the newsroom's for the newsroom. */
export function helpText(t: Messages, isAdmin: boolean): Html {
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
      h(t.helpFooter),
    ],
    "\n",
  );
}

export const help = new Composer<BotContext>();

help.filter(command("start"), async (ctx) => {
  await replyHtml(
    ctx,
    ctx.t.welcome(
      ctx.from?.first_name ? ctx.from.first_name.slice(0, 64) : undefined,
      ctx.app.data.current().election.name,
    ),
  );
});

// The newsroom's commands are listed in its private chats only: in a group everyone would read them.
help.filter(command("aiuto"), async (ctx) => {
  await replyHtml(ctx, helpText(ctx.t, isNewsroom(ctx) && ctx.chat.type === "private"));
});
