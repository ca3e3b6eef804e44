/**
 * The citizens' questions: /citta, /affluenza, /ballottaggi, /ultime, /info, the city buttons and
 * the buttons under a card. Each answer is a function the plain questions (questions.ts) call too.
 */
import { Composer } from "grammy";
import { codeOf, type KnownComune } from "../../data/places.js";
import type { Html } from "../../format/html.js";
import { latestView, withLaterFigures } from "../../views/bulletins.js";
import { cityTurnoutView } from "../../views/city.js";
import { type ViewContext, withComuneNames } from "../../views/common.js";
import { infoView } from "../../views/info.js";
import { liveAreaTurnoutView, liveComuneTurnoutView, liveTurnoutView } from "../../views/live-turnout.js";
import { runoffsView } from "../../views/runoffs.js";
import { searchReply } from "../../views/search.js";
import { turnoutView } from "../../views/turnout.js";
import { cardData } from "../callback-data/card.js";
import { cityData } from "../callback-data/city.js";
import { cityPageData } from "../callback-data/city-page.js";
import { isNotModified, refreshCard, sendCard } from "../card.js";
import { command } from "../commands.js";
import type { BotContext } from "../context.js";
import { cardKeyboard, cityKeyboard, suggestionKeyboard } from "../keyboards.js";
import { replyHtml } from "../reply.js";
import { notComune, placeName, readingsOf, resolveCity, searchReadings } from "../resolve-city.js";

export const LATEST_MAX = 20;
const LATEST_DEFAULT = 5;

/**
 * Answers a place (/citta, a name typed or asked): a comune's card with its buttons, an area's
 * comuni, a candidate's comune, or suggestions.
 *
 * @param readings the readings to try, most literal first (see resolve-city.ts)
 * @param query what to echo when nothing is found: what was typed
 * @param notFound the line for a name that matches nothing and has no near name
 * @param answer what a comune found gets (its card unless a question asked for less)
 */
export async function answerPlace(
  ctx: BotContext,
  readings: readonly string[],
  query: string,
  notFound: (q: Html) => Html,
  answer?: (c: KnownComune, v: ViewContext) => Html,
): Promise<void> {
  // "chi ha vinto in Italia?": the election at a glance, never the comune of Itala.
  if (notComune(ctx.app.data.current(), readings)?.kind === "country") return answerInfo(ctx);
  const r = searchReadings(ctx.app.data.current(), readings);
  const reply = searchReply(r, query, ctx.view(), notFound, answer);
  await replyHtml(
    ctx,
    reply.html,
    reply.card ? await cardKeyboard(reply.card, ctx) : suggestionKeyboard(reply.buttons),
  );
}

/**
 * /affluenza: the election's turnout, or one comune's (`readings` of its name, see resolve-city.ts).
 * With the Ministry's feed: the whole election's progress from counts with its regions, a region's or a
 * province's, and a comune's readings also before its count.
 */
export async function answerTurnout(ctx: BotContext, readings: readonly string[] = [], query = ""): Promise<void> {
  const v = ctx.view();
  if (!readings.length) {
    await replyHtml(ctx, liveTurnoutView(v) ?? turnoutView(v));
    return;
  }
  // The country ("affluenza Italia"), or a region or a province ("Liguria", "provincia di Vicenza"): its
  // turnout from the feed, else a line saying there is none for it, then the overall figures.
  const other = notComune(v.pack, readings);
  if (other?.kind === "country") return answerTurnout(ctx);
  if (other?.kind === "area") {
    const area = v.live ? liveAreaTurnoutView(other.area, v) : undefined;
    if (area) await replyHtml(ctx, area);
    else {
      await replyHtml(ctx, ctx.t.areaTurnoutNone(placeName(ctx, other, query)));
      await answerTurnout(ctx);
    }
    return;
  }
  const c = await resolveCity(ctx, { readings, query }, ctx.t.comuneNotFound);
  if (c) await replyHtml(ctx, liveComuneTurnoutView(c, v) ?? cityTurnoutView(c, v));
}

/** /ballottaggi: every runoff. */
export async function answerRunoffs(ctx: BotContext): Promise<void> {
  await replyHtml(ctx, runoffsView(ctx.view()));
}

/** /info: the election at a glance. */
export async function answerInfo(ctx: BotContext): Promise<void> {
  await replyHtml(ctx, infoView(ctx.view()));
}

/** How many bulletins were asked for: a count, or "bad" for one that is not a whole number from 1 up. */
export type LatestCount = number | "bad";

/** What follows /ultime: a count and a comune, in either order (`3 genova`, `genova 3`), both optional. */
export interface LatestArgs {
  count?: LatestCount;
  /** The comune's name as typed; "" for none. */
  name: string;
}

const NUMBER = /^[-+−]?\d+(?:[.,]\d+)?$/;

/** Reads what follows /ultime: `5`, `Genova`, `3 genova`, `genova 3`; `0`, `-1` and `2.5` are bad counts. */
export function readLatestArgs(text: string): LatestArgs {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let count: LatestCount | undefined;
  const at = NUMBER.test(words[0] ?? "") ? 0 : NUMBER.test(words.at(-1) ?? "") ? words.length - 1 : -1;
  if (at !== -1) {
    const word = words.splice(at, 1)[0]!;
    // A count is a whole number from 1 up; very long digit runs are just "many".
    count = /^\+?\d+$/.test(word) ? (word.length > 6 ? 999_999 : Number(word)) : "bad";
    if (count === 0) count = "bad";
  }
  return { ...(count !== undefined ? { count } : {}), name: words.join(" ") };
}

/**
 * /ultime: the latest bulletins, newest first (5 unless a count is given, at most LATEST_MAX, which
 * a larger count gets, said in one line); about one comune when `readings` name one.
 */
export async function answerLatest(
  ctx: BotContext,
  count: LatestCount | undefined,
  readings: readonly string[] = [],
  query = "",
): Promise<void> {
  if (count === "bad") {
    await replyHtml(ctx, ctx.t.badCount(LATEST_MAX));
    return;
  }
  if (readings.length) {
    const c = await resolveCity(ctx, { readings, query }, ctx.t.comuneNotFound);
    if (c) await answerLatestAbout(ctx, c, count);
    return;
  }
  const n = Math.min(count ?? LATEST_DEFAULT, LATEST_MAX);
  const pack = ctx.app.data.current();
  const list = (await ctx.app.store.latestBulletins(n)).map((b) => withLaterFigures(withComuneNames(b, pack), pack));
  await replyHtml(ctx, latestView(list, ctx.t, ctx.app.now(), ctx.app.data.current().election.timezone, capped(count)));
}

/** The latest bulletins naming one comune, as /ultime counts them. */
export async function answerLatestAbout(ctx: BotContext, c: KnownComune, count?: number): Promise<void> {
  const n = Math.min(count ?? LATEST_DEFAULT, LATEST_MAX);
  const pack = ctx.app.data.current();
  const list = (await ctx.app.store.latestBulletinsAbout(codeOf(c), n)).map((b) =>
    withLaterFigures(withComuneNames(b, pack), pack),
  );
  const { timezone } = pack.election;
  await replyHtml(ctx, latestView(list, ctx.t, ctx.app.now(), timezone, { about: c.label, ...capped(count) }));
}

const capped = (count: number | undefined) => (count !== undefined && count > LATEST_MAX ? { capped: LATEST_MAX } : {});

export const queries = new Composer<BotContext>();

queries.filter(command("citta"), async (ctx) => {
  if (!ctx.match.trim()) {
    await replyHtml(ctx, ctx.t.chooseCity, cityKeyboard(ctx.app.data.current(), 0, ctx.t));
    return;
  }
  await answerPlace(ctx, readingsOf(ctx.match, ctx.lang), ctx.match, ctx.t.cityNotFound);
});

queries.filter(command("affluenza"), (ctx) => answerTurnout(ctx, readingsOf(ctx.match, ctx.lang), ctx.match));

queries.filter(command("ballottaggi"), answerRunoffs);

queries.filter(command("ultime"), async (ctx) => {
  const { count, name } = readLatestArgs(ctx.match);
  await answerLatest(ctx, count, readingsOf(name, ctx.lang), name);
});

queries.filter(command("info"), answerInfo);

queries.callbackQuery(cityData.filter(), async (ctx) => {
  const key = cityData.unpack(ctx.callbackQuery.data)?.key ?? "";
  const c = ctx.app.data.askedFor(key);
  if (!c) {
    await ctx.answerCallbackQuery({ text: ctx.t.card.gone });
    return;
  }
  await ctx.answerCallbackQuery();
  await sendCard(ctx, c);
});

/** The buttons under a card: answered at once, then the work. */
queries.callbackQuery(cardData.filter(), async (ctx) => {
  const b = cardData.unpack(ctx.callbackQuery.data);
  if (b?.action === "runoffs") {
    await ctx.answerCallbackQuery();
    await answerRunoffs(ctx);
    return;
  }
  const c = b && ctx.app.data.askedFor(b.key);
  if (!b || !c) {
    await ctx.answerCallbackQuery({ text: ctx.t.card.gone });
    return;
  }
  await ctx.answerCallbackQuery(b.action === "refresh" ? { text: ctx.t.card.refreshed } : {});
  if (b.action === "refresh") await refreshCard(ctx, c);
  else if (b.action === "turnout") await replyHtml(ctx, cityTurnoutView(c, ctx.view()));
  else await answerLatestAbout(ctx, c);
});

queries.callbackQuery(cityPageData.filter(), async (ctx) => {
  const page = cityPageData.unpack(ctx.callbackQuery.data)?.page ?? 0;
  await ctx.answerCallbackQuery();
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: cityKeyboard(ctx.app.data.current(), page, ctx.t) });
  } catch (err) {
    // A double tap asks for the page already shown: nothing to change, nothing to report.
    if (!isNotModified(err)) throw err;
  }
});
