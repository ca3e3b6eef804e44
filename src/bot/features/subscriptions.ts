/** /iscriviti, /disiscriviti, /iscrizioni, and leaving chats that blocked or removed the bot. In groups only administrators manage the group's subscriptions. */
import { Composer } from "grammy";
import { escapeHtml as h } from "../../format/html.js";
import type { Messages } from "../../i18n/index.js";
import { command } from "../commands.js";
import { type BotContext, GROUP_ANONYMOUS_BOT, isNewsroom } from "../context.js";
import { replyHtml } from "../reply.js";
import { resolveCity } from "../resolve-city.js";

export async function mayManageChat(ctx: BotContext): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat || chat.type === "private" || chat.type === "channel") return true;
  const from = ctx.from;
  if (!from) return false;
  if (isNewsroom(ctx)) return true;
  if (from.id === GROUP_ANONYMOUS_BOT && ctx.message?.sender_chat?.id === chat.id) return true;
  const member = await ctx.getChatMember(from.id);
  return member.status === "creator" || member.status === "administrator";
}

/** The chat's words: addressed to the group in a group ("questo gruppo riceverà"), to the person otherwise. */
function words(ctx: BotContext): Messages {
  const type = ctx.chat?.type;
  return type === "group" || type === "supergroup" ? { ...ctx.t, ...ctx.t.forGroups } : ctx.t;
}

export const subscriptions = new Composer<BotContext>();

subscriptions.filter(command("iscriviti", "disiscriviti"), async (ctx, next) => {
  if (await mayManageChat(ctx)) return next();
  await replyHtml(ctx, ctx.t.groupAdminsOnly);
});

subscriptions.filter(command("iscriviti"), async (ctx) => {
  const chatId = ctx.chat.id;
  if (!ctx.match.trim()) {
    const added = ctx.app.store.subscribe(chatId, null, ctx.lang);
    await replyHtml(ctx, added ? words(ctx).subscribedAll : words(ctx).alreadyAll);
    return;
  }
  const c = await resolveCity(ctx, ctx.match, ctx.t.cityNotFound);
  if (!c) return;
  const added = ctx.app.store.subscribe(chatId, c.name, ctx.lang);
  await replyHtml(ctx, added ? words(ctx).subscribedCity(h(c.name)) : words(ctx).alreadyCity(h(c.name)));
});

subscriptions.filter(command("disiscriviti"), async (ctx) => {
  const chatId = ctx.chat.id;
  if (!ctx.match.trim()) {
    const removed = ctx.app.store.unsubscribe(chatId, "*");
    await replyHtml(ctx, removed ? words(ctx).unsubscribedAll : words(ctx).notSubscribed);
    return;
  }
  const c = await resolveCity(ctx, ctx.match, ctx.t.cityNotFound);
  if (!c) return;
  const removed = ctx.app.store.unsubscribe(chatId, c.name);
  const w = words(ctx);
  await replyHtml(ctx, removed ? w.unsubscribedCity(h(c.name)) : w.notSubscribedCity(h(c.name)));
});

/** Blocked in a private chat, or removed from a group: nothing more can reach that chat. */
subscriptions.on("my_chat_member", (ctx) => {
  const status = ctx.myChatMember.new_chat_member.status;
  if (status === "kicked" || status === "left") {
    const removed = ctx.app.store.unsubscribe(ctx.chat.id, "*");
    if (removed)
      ctx.logger.info({ chat: ctx.chat.id, status, removed }, "bot removed from chat: subscriptions dropped");
  }
});

subscriptions.filter(command("iscrizioni"), async (ctx) => {
  const subs = ctx.app.store.subscriptionsOf(ctx.chat.id);
  if (!subs.length) {
    await replyHtml(ctx, words(ctx).noSubscriptions);
    return;
  }
  const lines = subs.map((s) => (s === null ? ctx.t.subscriptionAllLine : ctx.t.subscriptionCityLine(h(s))));
  await replyHtml(ctx, [words(ctx).subscriptionsTitle, ...lines].join("\n"));
});
