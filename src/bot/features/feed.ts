/**
 * The newsroom's side of the Ministry's feed: what it is told in private (each anomaly that holds a
 * comune's automatic bulletins, once; each draft to review, with buttons to publish or drop it; the
 * Ministry's council seats where they differ from the law's, once per difference), the
 * buttons and /sblocca that release a held comune, and the feed's lines in /stato.
 */
import { type Api, Composer, GrammyError, InlineKeyboard } from "grammy";
import type { App } from "../../app.js";
import type { DataPack } from "../../data/pack.js";
import type { DataSource } from "../../data/source.js";
import type { Newsroom } from "../../feed/bulletins.js";
import type { FeedComune } from "../../feed/discovery.js";
import type { Round } from "../../feed/poller/index.js";
import { type Html, escapeHtml as h, html, htmlToText, joinHtml, stripControl } from "../../format/html.js";
import { formatInteger, formatStamp } from "../../format/italian.js";
import { type Messages, messages } from "../../i18n/index.js";
import type { Logger } from "../../logger.js";
import { bulletinBlock } from "../../views/bulletins.js";
import { withComuneNames } from "../../views/common.js";
import { feedDraftData } from "../callback-data/feed-draft.js";
import { feedReleaseData } from "../callback-data/feed-release.js";
import { command } from "../commands.js";
import { type BotContext, isNewsroom } from "../context.js";
import { dropFeedDraft, type Editor, publishFeedDraft, releaseHeld } from "../newsroom/actions.js";
import { replyPrivately } from "../newsroom/private.js";
import { replyHtml, sendHtml } from "../reply.js";
import { MAX_QUERY } from "../resolve-city.js";

/** "Barletta", or "Barletta (ballottaggio)" for the runoff: plain text. */
const named = (name: string, round: Round, t: Messages) => name + (round === "runoff" ? t.feed.runoffTag : "");

/** A feed comune as the newsroom tells it from its homonyms: "Castro (LE)"; else its name. */
const labelOf = (pack: DataPack, c: Pick<FeedComune, "code" | "name">) => pack.byKey(c.code)?.label ?? c.name;

/**
 * What the newsroom is told in private, in Italian (the newsroom's language; told unasked, there is no
 * client language to follow). Sent through the newsroom's lane of the send budget; a member who never
 * started the bot cannot be written to: logged, never thrown.
 */
export function feedNewsroom(
  api: Api,
  adminIds: ReadonlySet<number>,
  logger: Logger,
  now: () => Date,
  pack: DataSource,
): Newsroom {
  const t = messages("it");
  const send = async (text: Html, keyboard?: InlineKeyboard) => {
    for (const id of adminIds) {
      try {
        await sendHtml(api, id, text, {
          link_preview_options: { is_disabled: true },
          ...(keyboard ? { reply_markup: keyboard } : {}),
        });
      } catch (err) {
        logger.warn({ err, chat: id }, "feed: message to the newsroom not delivered");
      }
    }
  };
  return {
    async draft(d) {
      // The bulletin as its readers would get it (the same renderer as the pushes), its comuni named.
      const p = pack.current();
      const b = withComuneNames(
        { publishedAt: new Date(d.createdAt).toISOString(), text: d.text, comuni: d.comuni },
        p,
      );
      const lines = [t.feed.reviewHead, html``, bulletinBlock(b, t, now(), p.election.timezone)];
      const kb = new InlineKeyboard()
        .text(t.feed.reviewPublishButton, feedDraftData.pack({ id: d.id, action: "publish" }))
        .text(t.feed.reviewDropButton, feedDraftData.pack({ id: d.id, action: "drop" }));
      await send(joinHtml(lines, "\n"), kb);
    },
    async anomaly({ key, comune, round, verdict }) {
      const label = labelOf(pack.current(), comune);
      const name = named(label, round, t);
      if (verdict.fresh.length) {
        const text = t.feed.anomalyHeld(
          name,
          verdict.fresh.map((a) => a.it),
          `/sblocca ${label}`,
        );
        await send(text, new InlineKeyboard().text(t.feed.releaseButton(label), feedReleaseData.pack({ key })));
      } else if (verdict.cleared) await send(t.feed.anomalyCleared(name));
    },
    async seats({ comune, differences }) {
      const n = (x: number) => formatInteger(x, t.lang);
      const lines = differences.map((d) => ({ list: d.list, computed: n(d.computed), official: n(d.official) }));
      await send(t.feed.seatsDiffer(labelOf(pack.current(), comune), lines));
    },
  };
}

/** "60,5" (Italian) or "60.5" (English) seconds. */
const seconds = (ms: number, lang: Messages["lang"]) => (ms / 1000).toFixed(1).replace(".", lang === "it" ? "," : ".");

/** The feed's lines in /stato: counters, held comuni, sums that do not add up, drafts waiting. */
export async function feedStatusBlock(app: App, t: Messages): Promise<Html | undefined> {
  const desk = app.feed;
  if (!desk) return undefined;
  const tz = app.data.pack().election.timezone;
  const now = app.now();
  const s = desk.status();
  const blocks = [
    t.feed.statusFeed({
      date: desk.live.settings.date,
      mode: desk.mode,
      comuni: s.comuni.total,
      counting: s.comuni.counting,
      complete: s.comuni.complete,
      requests: s.requests,
      cycles: s.cycles,
      ...(s.lastCycle ? { lastCycle: seconds(s.lastCycle.durationMs, t.lang) } : {}),
      ...(s.backoff.pausedForMs > 0 ? { pausedS: String(Math.ceil(s.backoff.pausedForMs / 1000)) } : {}),
    }),
  ];
  const held = desk.held();
  if (held.length)
    blocks.push(
      joinHtml(
        [
          t.feed.heldTitle,
          ...held
            .slice(0, 20)
            .map((x) =>
              t.feed.heldLine(
                named(labelOf(app.data.pack(), x.comune), x.round, t),
                x.status.since ? formatStamp(new Date(x.status.since), now, tz) : "?",
                x.status.released,
                (t.lang === "it" ? x.status.holding[0]?.it : x.status.holding[0]?.en) ?? "",
              ),
            ),
        ],
        "\n",
      ),
    );
  const mismatches = desk.sumMismatches();
  if (mismatches.length)
    blocks.push(
      t.feed.statusMismatches(
        mismatches
          .slice(0, 20)
          .map((m) =>
            t.feed.mismatchLine(
              named(m.name, m.round, t),
              formatInteger(m.expected, t.lang),
              formatInteger(m.actual, t.lang),
            ),
          ),
      ),
    );
  const seats = desk.seatMismatches();
  if (seats.length) blocks.push(t.feed.statusSeats(seats.slice(0, 20).map((m) => labelOf(app.data.pack(), m.comune))));
  const drafts = desk.live.settings.bulletins === "review" ? await desk.bulletins.pendingDrafts() : 0;
  if (drafts) blocks.push(t.feed.statusDrafts(drafts));
  return joinHtml(blocks, "\n\n");
}

export const feed = new Composer<BotContext>();

/** The editor acting in the chat. */
const editor = (ctx: BotContext & { from: { id: number } }): Editor => ({
  id: ctx.from.id,
  lang: ctx.lang,
  via: "chat",
});

/** A newsroom button: pressed by anyone else, it says so and does nothing. */
async function newsroomOnly(ctx: BotContext): Promise<boolean> {
  if (isNewsroom(ctx)) return true;
  await ctx.answerCallbackQuery({ text: htmlToText(ctx.t.notAdmin) });
  return false;
}

/** Appends the outcome to the message the button was on and takes the buttons away. */
async function settle(ctx: BotContext, line: Html): Promise<void> {
  const msg = ctx.callbackQuery?.message;
  const text = msg && "text" in msg ? msg.text : undefined;
  try {
    if (text !== undefined)
      await ctx.editMessageText(html`${h(text)}\n\n${line}`, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
      });
    else await ctx.editMessageReplyMarkup({ reply_markup: undefined });
  } catch (err) {
    // A double tap, or a message too old to edit: the reply below says it anyway.
    if (!(err instanceof GrammyError)) throw err;
    await replyHtml(ctx, line);
  }
}

feed.callbackQuery(feedDraftData.filter(), async (ctx) => {
  if (!(await newsroomOnly(ctx))) return;
  const desk = ctx.app.feed;
  const v = feedDraftData.unpack(ctx.callbackQuery.data);
  if (!desk || !v) {
    await ctx.answerCallbackQuery({ text: htmlToText(ctx.t.feed.feedOff) });
    return;
  }
  await ctx.answerCallbackQuery();
  if (v.action === "publish") {
    const r = await publishFeedDraft(ctx.app, editor(ctx), v.id);
    if (r?.status === "published") await settle(ctx, ctx.t.feed.reviewPublished(r.recipients));
    else await settle(ctx, ctx.t.feed.reviewSettled);
  } else {
    const r = await dropFeedDraft(ctx.app, editor(ctx), v.id);
    await settle(ctx, r === "dropped" ? ctx.t.feed.reviewDropped : ctx.t.feed.reviewSettled);
  }
});

feed.callbackQuery(feedReleaseData.filter(), async (ctx) => {
  if (!(await newsroomOnly(ctx))) return;
  const desk = ctx.app.feed;
  const key = feedReleaseData.unpack(ctx.callbackQuery.data)?.key;
  if (!desk || !key) {
    await ctx.answerCallbackQuery({ text: htmlToText(ctx.t.feed.feedOff) });
    return;
  }
  await ctx.answerCallbackQuery();
  const s = desk.live.poller.comune(key.slice(3));
  const name = named(
    s ? labelOf(ctx.app.data.pack(), s.comune) : key,
    key.startsWith("2t") ? "runoff" : "first",
    ctx.t,
  );
  const done = releaseHeld(ctx.app, editor(ctx), key, name);
  await settle(ctx, done ? ctx.t.feed.released(name) : ctx.t.feed.notHeld(name));
});

// The newsroom's answers go to the editor in private, as the other newsroom commands' do.
feed.filter(command("sblocca"), async (ctx) => {
  const desk = ctx.app.feed;
  if (!desk) {
    await replyPrivately(ctx, ctx.t.feed.feedOff);
    return;
  }
  const query = stripControl(ctx.match).trim();
  const all = desk.held().filter((x) => !x.status.released);
  const r = query && query.length <= MAX_QUERY ? ctx.app.data.current().index.lookup(query) : undefined;
  // A name several comuni share (Castro): the held ones among them, to pick from; never a guess.
  const among =
    r?.kind === "ambiguous" ? new Set(r.suggestions.flatMap((c) => (c.eligendo ? [c.eligendo] : []))) : undefined;
  const held = among ? all.filter((x) => among.has(x.comune.code)) : all;
  if (!query || (among && held.length)) {
    if (!held.length) {
      await replyPrivately(ctx, ctx.t.feed.heldNone);
      return;
    }
    const kb = new InlineKeyboard();
    const pack = ctx.app.data.pack();
    for (const x of held.slice(0, 40))
      kb.text(ctx.t.feed.releaseButton(labelOf(pack, x.comune)), feedReleaseData.pack({ key: x.key })).row();
    const tz = pack.election.timezone;
    const lines = held.map((x) =>
      ctx.t.feed.heldLine(
        named(labelOf(pack, x.comune), x.round, ctx.t),
        x.status.since ? formatStamp(new Date(x.status.since), ctx.app.now(), tz) : "?",
        false,
        (ctx.lang === "it" ? x.status.holding[0]?.it : x.status.holding[0]?.en) ?? "",
      ),
    );
    await replyPrivately(ctx, joinHtml([ctx.t.feed.heldTitle, ...lines], "\n"), kb);
    return;
  }
  const c = r?.kind === "found" ? r.item : undefined;
  if (!c?.eligendo || !desk.live.poller.comune(c.eligendo)) {
    await replyPrivately(ctx, ctx.t.feed.notHeld(c?.label ?? query));
    return;
  }
  const code = c.eligendo;
  // The round held: the runoff's if both are (it is the one still moving).
  const mine = held
    .filter((x) => x.comune.code === code)
    .sort((a, b) => Number(b.round === "runoff") - Number(a.round === "runoff"));
  const done = mine.length > 0 && releaseHeld(ctx.app, editor(ctx), mine[0]!.key, c.label);
  await replyPrivately(ctx, done ? ctx.t.feed.released(c.label) : ctx.t.feed.notHeld(c.label));
});
