/**
 * Inline keyboards: the buttons under a comune's card, the paged list of comuni, and the suggestions
 * for a name that matched several or none.
 */
import { InlineKeyboard } from "grammy";
import type { DataPack } from "../data/pack.js";
import { codeOf, hasResults, type KnownComune, type ResultComune } from "../data/places.js";
import { hasCouncilData } from "../data/seats.js";
import type { Messages } from "../i18n/index.js";
import { runoffsOf } from "../views/runoffs.js";
import { cardData } from "./callback-data/card.js";
import { chartData } from "./callback-data/chart.js";
import { cityData } from "./callback-data/city.js";
import { cityPageData } from "./callback-data/city-page.js";
import { followData } from "./callback-data/follow.js";
import { liveCardData } from "./callback-data/live-card.js";
import { seatsData } from "./callback-data/seats.js";
import type { BotContext } from "./context.js";

export const PAGE_SIZE = 12;

/**
 * How a button names a comune: its ISTAT code (homonyms differ), else the Ministry's code (a comune of
 * the feed that the index lacks), else its name's key (`DataPack.byKey` takes each).
 */
export function comuneKey(c: KnownComune): string {
  return codeOf(c);
}

/** A comune's button. */
function cityButton(kb: InlineKeyboard, c: KnownComune, text = c.name): InlineKeyboard {
  return kb.text(text, cityData.pack({ key: comuneKey(c) }));
}

/**
 * The buttons under a comune's card, for the chat it is sent to: follow or stop following it (as
 * the chat follows it now), its turnout, its news, refresh (the card edited in place), and every
 * runoff; under a card posted through inline mode (no chat: an inline query), refresh only. Every button carries what it needs (see callback-data/card.ts): they work after a restart.
 * The one place that says what a card offers: a new button for cards goes here.
 */
export async function cardKeyboard(c: KnownComune, ctx: BotContext): Promise<InlineKeyboard> {
  const t = ctx.t.card;
  const key = comuneKey(c);
  const kb = new InlineKeyboard();
  const chatId = ctx.chat?.id;
  // A card posted through inline mode is in a chat the bot may not be in: it can only be refreshed there.
  if (chatId === undefined) return kb.text(t.refresh, cardData.pack({ action: "refresh", key }));
  const following = (await ctx.app.store.subscriptionsOf(chatId)).includes(codeOf(c));
  kb.text(following ? t.unfollow(c.label) : t.follow(c.label), followData.pack({ follow: !following, key })).row();
  if (hasResults(c)) kb.text(t.turnout, cardData.pack({ action: "turnout", key }));
  kb.text(t.news, cardData.pack({ action: "news", key })).row();
  kb.text(t.refresh, cardData.pack({ action: "refresh", key }));
  if (runoffsOf(ctx.view()).length) kb.text(t.runoffs, cardData.pack({ action: "runoffs" }));
  if (hasResults(c)) {
    kb.row().text(ctx.t.cards.chartButton, chartData.pack({ key }));
    // The seats only where the data has list votes or the Ministry's seats: never a button that can only say "no data".
    if (hasCouncilData(c.results)) kb.text(ctx.t.seats.button, seatsData.pack({ key }));
  }
  return kb;
}

/** Capoluoghi first, then alphabetical. */
export function cityOrder(pack: DataPack): ResultComune[] {
  return [...pack.comuni].sort(
    (a, b) => Number(b.capoluogo) - Number(a.capoluogo) || a.name.localeCompare(b.name, "it"),
  );
}

export function cityKeyboard(pack: DataPack, page: number, t: Messages): InlineKeyboard {
  const all = cityOrder(pack);
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const kb = new InlineKeyboard();
  all.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE).forEach((c, i) => {
    cityButton(kb, c);
    if (i % 2 === 1) kb.row();
  });
  if (pages > 1) {
    kb.row();
    if (p > 0) kb.text(t.prevPage, cityPageData.pack({ page: p - 1 }));
    if (p < pages - 1) kb.text(t.morePage, cityPageData.pack({ page: p + 1 }));
  }
  return kb;
}

/** One button per comune (two per row when there are many), labelled with the province where names repeat. */
export function suggestionKeyboard(comuni: readonly KnownComune[]): InlineKeyboard | undefined {
  if (!comuni.length) return undefined;
  const perRow = comuni.length > 6 ? 2 : 1;
  const kb = new InlineKeyboard();
  comuni.forEach((c, i) => {
    cityButton(kb, c, c.label);
    if (i % perRow === perRow - 1) kb.row();
  });
  return kb;
}

/** What a live card's keyboard shows besides the chart: a feature that adds a button adds its option here. */
export interface CardKeyboardOptions {
  /** Under a live card: the switch to the outcomes only (`on`: the card is live now) or back. */
  live?: { on: boolean };
}

/**
 * The buttons under a live card, the one message a follower's chat gets for a comune and sees edited:
 * the chart where there are results, and the card's switch. Undefined when there is no button to show.
 */
export function liveCardKeyboard(c: KnownComune, t: Messages, o: CardKeyboardOptions = {}): InlineKeyboard | undefined {
  const key = comuneKey(c);
  const kb = new InlineKeyboard();
  let buttons = 0;
  if (hasResults(c)) {
    kb.text(t.cards.chartButton, chartData.pack({ key }));
    buttons++;
  }
  if (o.live) {
    kb.text(o.live.on ? t.cards.liveOffButton : t.cards.liveOnButton, liveCardData.pack({ on: !o.live.on, key }));
    buttons++;
  }
  return buttons ? kb : undefined;
}

/** The buttons of a live card that is on (chart, and switch off while it counts): what the cards are given to draw. */
export const liveCardButtons = (c: KnownComune, t: Messages, counting: boolean) =>
  liveCardKeyboard(c, t, counting ? { live: { on: true } } : {});
