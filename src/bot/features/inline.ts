/** Inline mode: "@bot gen" in any chat offers matching comuni; an empty query offers the runoffs. */
import { Composer, InlineQueryResultBuilder } from "grammy";
import type { InlineQueryResult } from "grammy/types";
import { nameKey } from "../../data/lookup.js";
import type { DataPack } from "../../data/pack.js";
import type { KnownComune } from "../../data/places.js";
import { italianName } from "../../understand/index.js";
import { comuneAnswer } from "../../views/city.js";
import { runoffsOf } from "../../views/runoffs.js";
import { inlineSummary, inlineTitle } from "../../views/search.js";
import type { BotContext } from "../context.js";
import { cardKeyboard } from "../keyboards.js";

export const INLINE_MAX = 20;
/** Telegram's own cap on the results of one inline answer. */
export const INLINE_TELEGRAM_MAX = 50;
export const INLINE_CACHE_SECONDS = 60;

/**
 * Comuni for an inline query: exact and prefix matches first, then near misses; those with results
 * first, then the more populous where the index says. The Italian name of a foreign one is searched
 * ("Genoa" → Genova). Where a name matches exactly or as a prefix, near misses are not offered:
 * "palermo" is Palermo, not Paternò or Salerno.
 */
export function searchComuni(pack: DataPack, query: string, max = INLINE_MAX): KnownComune[] {
  const ranked = pack.index.rank(italianName(query) ?? query);
  const close = ranked.some((s) => s.score <= 1);
  return ranked
    .filter((s) => !close || s.score <= 2)
    .sort(
      (a, b) =>
        a.score - b.score ||
        Number(!!b.item.results) - Number(!!a.item.results) ||
        Number(b.item.capoluogo) - Number(a.item.capoluogo) ||
        (b.item.population ?? -1) - (a.item.population ?? -1) ||
        a.item.name.localeCompare(b.item.name, "it"),
    )
    .slice(0, max)
    .map((s) => s.item);
}

export const inline = new Composer<BotContext>();

inline.on("inline_query", async (ctx) => {
  const pack = ctx.app.data.current();
  const view = ctx.view();
  const query = ctx.inlineQuery.query.slice(0, 64);
  // Telegram takes at most 50 results; with the Ministry's feed the runoffs alone may be more.
  const comuni = query.trim()
    ? searchComuni(pack, query)
    : runoffsOf(view)
        .map((r) => r.comune)
        .slice(0, INLINE_TELEGRAM_MAX);
  // Inline mode has no chat: the cards' keyboards ask the store nothing.
  const results: InlineQueryResult[] = await Promise.all(
    comuni.map(async (c) =>
      InlineQueryResultBuilder.article(
        `c-${c.istat ?? c.eligendo ?? nameKey(c.name).slice(0, 60)}`,
        inlineTitle(c, view, query.trim() ? undefined : ctx.t.inlineRunoffsTitle),
        { description: inlineSummary(c, view), reply_markup: await cardKeyboard(c, ctx) },
      ).text(comuneAnswer(c, view), { parse_mode: "HTML", link_preview_options: { is_disabled: true } }),
    ),
  );
  await ctx.answerInlineQuery(results, { cache_time: INLINE_CACHE_SECONDS, is_personal: ctx.lang !== "it" });
});
