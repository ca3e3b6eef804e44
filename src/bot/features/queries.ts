/** The citizens' questions: /citta, /affluenza, /ballottaggi, /ultime, /info, the city buttons, and city names typed in private. */
import { Composer, GrammyError } from "grammy";
import { escapeHtml, type Html, htmlToText, quoteUser, stripControl } from "../../format/html.js";
import { latestView } from "../../views/bulletins.js";
import { cityTurnoutView, comuneAnswer } from "../../views/city.js";
import { infoView } from "../../views/info.js";
import { runoffsView } from "../../views/runoffs.js";
import { searchReply } from "../../views/search.js";
import { turnoutView } from "../../views/turnout.js";
import { cityData } from "../callback-data/city.js";
import { cityPageData } from "../callback-data/city-page.js";
import { command } from "../commands.js";
import type { BotContext } from "../context.js";
import { cityKeyboard, suggestionKeyboard } from "../keyboards.js";
import { replyHtml } from "../reply.js";
import { MAX_QUERY, resolveCity } from "../resolve-city.js";

export const LATEST_MAX = 20;
const LATEST_DEFAULT = 5;

/** Answers a search (/citta, a name typed in private): a card, an area's comuni, a candidate's comune, suggestions. */
async function answerSearch(ctx: BotContext, raw: string, notFound: (q: Html) => Html): Promise<void> {
  const query = stripControl(raw).trim();
  const pack = ctx.app.data.current();
  const r = query.length > MAX_QUERY ? { kind: "not-found" as const, suggestions: [] } : pack.search(query);
  const { html, buttons } = searchReply(r, quoteUser(query), ctx.view(), notFound);
  await replyHtml(ctx, html, suggestionKeyboard(buttons));
}

export const queries = new Composer<BotContext>();

queries.filter(command("citta"), async (ctx) => {
  const pack = ctx.app.data.current();
  if (!ctx.match.trim()) {
    await replyHtml(ctx, ctx.t.chooseCity, cityKeyboard(pack, 0, ctx.t));
    return;
  }
  await answerSearch(ctx, ctx.match, ctx.t.cityNotFound);
});

queries.filter(command("affluenza"), async (ctx) => {
  if (!ctx.match.trim()) {
    await replyHtml(ctx, turnoutView(ctx.view()));
    return;
  }
  const c = await resolveCity(ctx, ctx.match, ctx.t.cityNotFound);
  if (c) await replyHtml(ctx, cityTurnoutView(c, ctx.view()));
});

queries.filter(command("ballottaggi"), async (ctx) => {
  await replyHtml(ctx, runoffsView(ctx.view()));
});

queries.filter(command("ultime"), async (ctx) => {
  const arg = ctx.match.trim();
  const n = arg === "" ? LATEST_DEFAULT : /^\d{1,3}$/.test(arg) ? Number(arg) : NaN;
  if (!(n >= 1 && n <= LATEST_MAX)) {
    await replyHtml(ctx, ctx.t.badCount(LATEST_MAX));
    return;
  }
  const pack = ctx.app.data.current();
  const list = ctx.app.store.latestBulletins(n);
  await replyHtml(ctx, latestView(list, ctx.t, ctx.app.now(), pack.election.timezone));
});

queries.filter(command("info"), async (ctx) => {
  await replyHtml(ctx, infoView(ctx.view()));
});

queries.callbackQuery(cityData.filter(), async (ctx) => {
  const key = cityData.unpack(ctx.callbackQuery.data)?.key ?? "";
  const c = ctx.app.data.current().byKey(key);
  if (!c) {
    await ctx.answerCallbackQuery({ text: htmlToText(ctx.t.cityNotFound(escapeHtml(key))) });
    return;
  }
  await ctx.answerCallbackQuery();
  await replyHtml(ctx, comuneAnswer(c, ctx.view()));
});

queries.callbackQuery(cityPageData.filter(), async (ctx) => {
  const page = cityPageData.unpack(ctx.callbackQuery.data)?.page ?? 0;
  await ctx.answerCallbackQuery();
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: cityKeyboard(ctx.app.data.current(), page, ctx.t) });
  } catch (err) {
    // A double tap asks for the page already shown: nothing to change, nothing to report.
    if (!(err instanceof GrammyError && err.description.includes("message is not modified"))) throw err;
  }
});

/** In a private chat a plain message naming a city answers like /citta. */
queries.chatType("private").on("message:text", async (ctx, next) => {
  const text = ctx.message.text;
  if (text.startsWith("/")) return next();
  await answerSearch(ctx, text, ctx.t.notUnderstood);
});
