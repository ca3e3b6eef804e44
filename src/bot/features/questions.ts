/**
 * Plain questions: text that is not a command, read as people write it ("chi ha vinto a genova?",
 * "affluenza parma", "ultime 3 genova", "who won in Genoa", "ciao", "grazie") and answered as the
 * command it amounts to. In a private chat every message is a question; in a group only those that
 * mention the bot or reply to one of its messages (the others are the group's own conversation).
 */
import { Composer } from "grammy";
import type { DataPack } from "../../data/pack.js";
import { quoteUser } from "../../format/html.js";
import { questionFocus } from "../../understand/focus.js";
import { parseCommandList, parseQuestion, type Question } from "../../understand/index.js";
import { outcomeAnswer, runoffWhenAnswer } from "../../views/city.js";
import type { BotContext } from "../context.js";
import { cityKeyboard } from "../keyboards.js";
import { replyHtml } from "../reply.js";
import { questionReadings } from "../resolve-city.js";
import { sendHelp, sendThanks, sendWelcome } from "./help.js";
import { answerInfo, answerLatest, answerPlace, answerRunoffs, answerTurnout } from "./queries.js";
import { followFromText, quietFromText, showSubscriptions, unfollowFromText } from "./subscriptions.js";

/** `@botname` anywhere in a text, as a word of its own, in any case. */
function mentionOf(ctx: BotContext): RegExp {
  return new RegExp(`(?<![\\w@])@${ctx.me.username}(?!\\w)`, "gi");
}

/** Whether a group message is addressed to the bot: it mentions it, or replies to one of its messages. */
export function addressesBot(ctx: BotContext): boolean {
  const m = ctx.message;
  if (!m) return false;
  if (m.reply_to_message?.from?.id === ctx.me.id) return true;
  if (m.entities?.some((e) => e.type === "text_mention" && e.user.id === ctx.me.id)) return true;
  // Clients mark mentions with an entity; the text says the same, also when a message has none.
  return mentionOf(ctx).test(m.text ?? "");
}

/** The text without the mentions of the bot: what is left is the question. */
function withoutMention(ctx: BotContext, text: string): string {
  return text.replace(mentionOf(ctx), " ").trim();
}

/** At most this many places are answered from one question ("risultati Genova e Parma"). */
export const PLACES_PER_QUESTION = 3;

/** Intents that one question may ask of several places, each answered on its own. */
const PER_PLACE = new Set(["results", "turnout", "runoffs", "news"]);

/**
 * The places of a question that names several ("risultati Genova e Parma", "results for Genoa and
 * Parma"), each as a question of its own; undefined when it names one. A name holding "e" that is a
 * comune's or an area's ("Erto e Casso", "Monza e Brianza") stays whole.
 */
function severalPlaces(pack: DataPack, q: Question): Question[] | undefined {
  if (!q.subject || !PER_PLACE.has(q.intent)) return undefined;
  const isName = (s: string) => pack.index.exactly(s).length > 0 || pack.area(s) !== undefined;
  if (questionReadings(q).some(isName)) return undefined;
  const places = parseCommandList(q.subject, { isName }).targets.flatMap((t) => (t.kind === "place" ? [t] : []));
  if (places.length < 2) return undefined;
  return places.slice(0, PLACES_PER_QUESTION).map((p) => ({ ...q, subject: p.name, alternatives: p.alternatives }));
}

/** Reads a message as a question and answers it as the command it amounts to. */
export async function answerQuestion(ctx: BotContext, text: string): Promise<void> {
  const q = parseQuestion(text, ctx.lang);
  const several = severalPlaces(ctx.app.data.current(), q);
  if (several) {
    for (const one of several) await answerOne(ctx, text, one);
    return;
  }
  return answerOne(ctx, text, q);
}

async function answerOne(ctx: BotContext, text: string, q: Question): Promise<void> {
  const readings = questionReadings(q);
  switch (q.intent) {
    case "results":
      if (!readings.length) {
        await replyHtml(ctx, ctx.t.chooseCity, cityKeyboard(ctx.app.data.current(), 0, ctx.t));
        return;
      }
      // A bare name that matches nothing: "I did not understand" says more than "no such comune".
      // "Chi ha vinto a Trapani?" gets the outcome first and alone; "com'è andata a Verona" the card.
      return answerPlace(
        ctx,
        readings,
        q.subject,
        q.implied ? () => ctx.t.notUnderstood(quoteUser(text)) : ctx.t.cityNotFound,
        questionFocus(text) === "outcome" ? outcomeAnswer : undefined,
      );
    case "turnout":
      return answerTurnout(ctx, readings, q.subject);
    case "runoffs":
      // One comune's runoff is on its card; "quando si vota il ballottaggio a Genova?" gets the day and the pair.
      if (!readings.length) return answerRunoffs(ctx);
      return answerPlace(
        ctx,
        readings,
        q.subject,
        ctx.t.cityNotFound,
        questionFocus(text) === "when" ? runoffWhenAnswer : undefined,
      );
    case "news":
      return answerLatest(ctx, q.n === undefined ? undefined : q.n >= 1 ? q.n : "bad", readings, q.subject);
    case "follow":
      return followFromText(ctx, q.subject);
    case "unfollow":
      return unfollowFromText(ctx, q.subject);
    case "subscriptions":
      return showSubscriptions(ctx);
    case "quiet":
      return quietFromText(ctx, q.subject);
    case "help":
      return sendHelp(ctx);
    case "greeting":
      return sendWelcome(ctx);
    case "info":
      return answerInfo(ctx);
    case "thanks":
      return sendThanks(ctx);
    case "unknown":
      await replyHtml(ctx, ctx.t.notUnderstood(quoteUser(text)));
  }
}

export const questions = new Composer<BotContext>();

questions.on("message:text", async (ctx, next) => {
  const text = ctx.message.text;
  if (text.startsWith("/")) return next();
  if (ctx.chat.type !== "private") {
    if (!addressesBot(ctx)) return next();
    const asked = withoutMention(ctx, text);
    // "@bot" alone: the group's welcome, which says how to ask.
    return asked ? answerQuestion(ctx, asked) : sendWelcome(ctx);
  }
  await answerQuestion(ctx, text);
});
