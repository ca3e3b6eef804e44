/**
 * /seggi Genova (/seats) and the card's 🪑 button: the council's seats under the law, only when asked.
 */
import { Composer } from "grammy";
import type { KnownComune } from "../../data/places.js";
import { seatsView } from "../../views/seats.js";
import { seatsData } from "../callback-data/seats.js";
import { command } from "../commands.js";
import type { BotContext } from "../context.js";
import { replyHtml } from "../reply.js";
import { readingsOf, resolveCity } from "../resolve-city.js";

/** The council of one comune. */
export async function answerSeats(ctx: BotContext, c: KnownComune): Promise<void> {
  await replyHtml(ctx, seatsView(c, ctx.view()));
}

export const seats = new Composer<BotContext>();

seats.filter(command("seggi"), async (ctx) => {
  if (!ctx.match.trim()) {
    await replyHtml(ctx, ctx.t.seats.usage);
    return;
  }
  const c = await resolveCity(
    ctx,
    { readings: readingsOf(ctx.match, ctx.lang), query: ctx.match },
    ctx.t.comuneNotFound,
  );
  if (c) await answerSeats(ctx, c);
});

seats.callbackQuery(seatsData.filter(), async (ctx) => {
  const key = seatsData.unpack(ctx.callbackQuery.data)?.key ?? "";
  const c = ctx.app.data.askedFor(key);
  if (!c) {
    await ctx.answerCallbackQuery({ text: ctx.t.card.gone });
    return;
  }
  await ctx.answerCallbackQuery();
  await answerSeats(ctx, c);
});
