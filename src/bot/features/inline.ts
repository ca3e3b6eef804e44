/** Inline mode: "@bot gen" in any chat offers matching comuni; an empty query offers the runoffs. */
import { Composer, InlineQueryResultBuilder } from "grammy";
import type { InlineQueryResult } from "grammy/types";
import { nameKey } from "../../data/lookup.js";
import type { DataPack } from "../../data/pack.js";
import { rankCandidates } from "../../data/rules.js";
import type { Comune } from "../../data/schema.js";
import { formatPercent } from "../../format/italian.js";
import { cityCard } from "../../views/city.js";
import { runoffsOf } from "../../views/runoffs.js";
import type { BotContext } from "../context.js";

export const INLINE_MAX = 20;
export const INLINE_CACHE_SECONDS = 60;

/** Comuni for an inline query: exact and prefix matches first, then near misses. */
export function searchComuni(pack: DataPack, query: string, max = INLINE_MAX): Comune[] {
  return pack.index
    .rank(query)
    .sort(
      (a, b) =>
        a.score - b.score ||
        Number(b.item.capoluogo) - Number(a.item.capoluogo) ||
        a.item.name.localeCompare(b.item.name, "it"),
    )
    .slice(0, max)
    .map((s) => s.item);
}

function summary(c: Comune): string {
  return rankCandidates(c.candidates)
    .slice(0, 2)
    .map((k) => `${k.name}${k.percent !== undefined ? ` ${formatPercent(k.percent)}` : ""}`)
    .join(" · ");
}

export const inline = new Composer<BotContext>();

inline.on("inline_query", async (ctx) => {
  const pack = ctx.app.data.current();
  const view = ctx.view();
  const query = ctx.inlineQuery.query.slice(0, 64);
  const comuni = query.trim() ? searchComuni(pack, query) : runoffsOf(view).map((r) => r.comune);
  const results: InlineQueryResult[] = comuni.map((c) =>
    InlineQueryResultBuilder.article(
      `c-${nameKey(c.name).slice(0, 60)}`,
      query.trim() ? c.name : `${ctx.t.inlineRunoffsTitle}: ${c.name}`,
      {
        description: summary(c),
      },
    ).text(cityCard(c, view), { parse_mode: "HTML", link_preview_options: { is_disabled: true } }),
  );
  await ctx.answerInlineQuery(results, { cache_time: INLINE_CACHE_SECONDS, is_personal: ctx.lang !== "it" });
});
