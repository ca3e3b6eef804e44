/**
 * The follower's side of the live cards (src/cards/): `/iscriviti Genova solo-esiti` follows Genova
 * with the outcomes only (no live card), a plain `/iscriviti Genova` switches the card back on, and
 * the switch under a card does either. A chat that starts following a comune whose count is open
 * gets its card at once. Installed before the subscriptions feature, which answers the rest of
 * /iscriviti: this one only looks at what changed.
 */
import { Composer, GrammyError } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { fingerprint, renderLiveCard } from "../../cards/render.js";
import type { ComuneCode } from "../../data/model.js";
import { codeOf, hasResults, type KnownComune, type ResultComune } from "../../data/places.js";
import { type Html, escapeHtml as h, htmlToText, stripControl } from "../../format/html.js";
import { liveCardView } from "../../views/live-card.js";
import { followData } from "../callback-data/follow.js";
import { liveCardData } from "../callback-data/live-card.js";
import { command } from "../commands.js";
import type { BotContext } from "../context.js";
import { liveCardButtons, liveCardKeyboard } from "../keyboards.js";
import { replyHtml } from "../reply.js";
import { MAX_QUERY, resolveCity } from "../resolve-city.js";
import { mayManageChat } from "./subscriptions.js";

/** The text after /iscriviti without a trailing "solo-esiti", and whether it was there. */
export function readOutcomesOnly(text: string, words: readonly string[]): { rest: string; outcomesOnly: boolean } {
  const clean = stripControl(text).trim();
  const lower = clean.toLowerCase();
  for (const w of words) {
    if (lower === w) return { rest: "", outcomesOnly: true };
    if (lower.endsWith(` ${w}`)) return { rest: clean.slice(0, clean.length - w.length).trim(), outcomesOnly: true };
  }
  return { rest: clean, outcomesOnly: false };
}

/** The comuni (by code) a chat follows one by one. */
async function followedComuni(ctx: BotContext, chatId: number): Promise<Set<ComuneCode>> {
  return new Set((await ctx.app.store.subscriptionsOf(chatId)).filter((s): s is ComuneCode => typeof s === "string"));
}

/** Edits a chat's card, if it has one, to say it no longer moves. A card already gone is no matter. */
async function retireCard(ctx: BotContext, chatId: number, c: KnownComune): Promise<void> {
  const { store } = ctx.app.cards;
  const state = await store.card(chatId, codeOf(c));
  if (state?.messageId === undefined || !hasResults(c)) return;
  const off = offView(ctx, c);
  try {
    await ctx.api.editMessageText(chatId, state.messageId, off.html, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(off.keyboard ? { reply_markup: off.keyboard } : {}),
    });
    // What the message shows now: switched on again, it is edited back even if no figure moved.
    await store.cardShown(chatId, codeOf(c), off.fingerprint);
  } catch (err) {
    if (!(err instanceof GrammyError && err.error_code === 400)) throw err;
    ctx.logger.info({ chat: chatId, reason: err.description }, "live card could not be marked as off");
  }
}

/** A card switched off: the figures as they are, a line saying it no longer moves, the switch to turn it on. */
function offView(
  ctx: BotContext,
  c: ResultComune,
): { html: Html; keyboard?: InlineKeyboardMarkup; fingerprint: string } {
  const html = liveCardView(c, ctx.view(), { off: true });
  const kb = liveCardKeyboard(c, ctx.t, { live: { on: false } });
  const keyboard = kb ? { inline_keyboard: kb.inline_keyboard } : undefined;
  return { html, ...(keyboard ? { keyboard } : {}), fingerprint: fingerprint(html, keyboard) };
}

const inGroup = (ctx: BotContext) => ctx.chat !== undefined && ctx.chat.type !== "private";

/**
 * Lets the subscriptions feature follow what was asked (`next`), then gives each comune followed
 * just now its card: at once if it is counting (a new follower starts with the card on).
 */
async function followThen(ctx: BotContext, next: () => Promise<void>): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return next();
  const before = await followedComuni(ctx, chatId);
  await next();
  const { cards } = ctx.app;
  for (const code of await followedComuni(ctx, chatId)) {
    if (before.has(code)) continue;
    if (await cards.store.isOff(chatId, code)) await cards.store.setOff(chatId, code, false);
    cards.live.touch(chatId, code);
  }
}

export const liveCards = new Composer<BotContext>();

liveCards.filter(command("iscriviti"), async (ctx, next) => {
  const chatId = ctx.chat.id;
  const { cards, store } = ctx.app;
  const { rest, outcomesOnly } = readOutcomesOnly(ctx.match, ctx.t.cards.outcomesOnlyWords);
  if (outcomesOnly) {
    if (!(await mayManageChat(ctx))) {
      await replyHtml(ctx, ctx.t.follow.adminsOnly);
      return;
    }
    if (!rest) {
      await replyHtml(ctx, ctx.t.cards.outcomesOnlyUsage);
      return;
    }
    const c = await resolveCity(ctx, rest, ctx.t.cityNotFound);
    if (!c) return;
    // Together: the cards must never see the new follower with its card on.
    await store.transaction(async () => {
      await store.subscribe(chatId, codeOf(c), ctx.lang);
      await cards.store.setOff(chatId, codeOf(c), true);
    });
    await replyHtml(ctx, ctx.t.cards.outcomesOnly(h(c.label), inGroup(ctx)));
    await retireCard(ctx, chatId, c);
    return;
  }
  const before = await followedComuni(ctx, chatId);
  // Already following this comune with the card off: the plain command switches it back on.
  const found = rest && rest.length <= MAX_QUERY ? ctx.app.data.current().index.lookup(rest) : undefined;
  const code = found?.kind === "found" ? codeOf(found.item) : undefined;
  if (found?.kind === "found" && code && before.has(code) && (await cards.store.isOff(chatId, code))) {
    if (!(await mayManageChat(ctx))) {
      await replyHtml(ctx, ctx.t.follow.adminsOnly);
      return;
    }
    await cards.store.setOff(chatId, code, false);
    await replyHtml(ctx, ctx.t.cards.liveOn(h(found.item.label), inGroup(ctx)));
    cards.live.touch(chatId, code);
    return;
  }
  await followThen(ctx, next);
});

/** A suggestion button that follows a comune: its card too, at once if it is counting. */
liveCards.callbackQuery(followData.filter(), (ctx, next) => followThen(ctx, next));

liveCards.callbackQuery(liveCardData.filter(), async (ctx) => {
  const value = liveCardData.unpack(ctx.callbackQuery.data);
  const pack = ctx.app.data.current();
  const c = value && ctx.app.data.askedFor(value.key);
  const chat = ctx.chat;
  if (!value || !c || !hasResults(c) || !chat) {
    await ctx.answerCallbackQuery({ text: htmlToText(ctx.t.cityNotFound(h(value?.key ?? ""))) });
    return;
  }
  if (!(await mayManageChat(ctx))) {
    await ctx.answerCallbackQuery({ text: htmlToText(ctx.t.follow.adminsOnly), show_alert: true });
    return;
  }
  const { cards, store } = ctx.app;
  const code = codeOf(c);
  // Switching on from a card is asking to follow: a chat that stopped following starts again.
  await store.transaction(async () => {
    if (value.on) await store.subscribe(chat.id, code, ctx.lang);
    await cards.store.setOff(chat.id, code, !value.on);
  });
  await ctx.answerCallbackQuery({ text: value.on ? ctx.t.cards.liveOnToast : ctx.t.cards.liveOffToast });
  const message = ctx.callbackQuery.message;
  if (!message) return;
  // The pressed message shows the new state; switched on, it is the chat's card from now on.
  const view =
    (value.on ? renderLiveCard(pack, code, ctx.lang, ctx.app.now(), liveCardButtons) : undefined) ?? offView(ctx, c);
  try {
    await ctx.editMessageText(view.html, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(view.keyboard ? { reply_markup: view.keyboard } : {}),
    });
  } catch (err) {
    // A double tap: the message already shows it.
    if (!(err instanceof GrammyError && err.description.includes("message is not modified"))) throw err;
  }
  if (value.on) {
    await cards.store.cardSent(chat.id, code, message.message_id, message.date * 1000, view.fingerprint);
    cards.live.touch(chat.id, code);
  } else if ((await cards.store.card(chat.id, code))?.messageId === message.message_id) {
    await cards.store.cardShown(chat.id, code, view.fingerprint);
  }
});
