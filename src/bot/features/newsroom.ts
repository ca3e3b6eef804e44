/** Newsroom commands (/pubblica, /stato), for the users in ADMIN_IDS only, checked on every call. */
import { Composer } from "grammy";
import { BulletinSchema } from "../../data/schema.js";
import { stripControl } from "../../format/html.js";
import { formatStamp } from "../../format/italian.js";
import { command, inScope } from "../commands.js";
import { type BotContext, isNewsroom } from "../context.js";
import { replyHtml } from "../reply.js";
import { feedStatusBlock } from "./feed.js";

export const BULLETIN_TEXT_MAX = BulletinSchema.shape.text.maxLength ?? 3000;

/** `#Genova`, `#LAquila`, `#L_Aquila` mark the comuni a bulletin concerns. */
export function hashtags(text: string): string[] {
  return [...text.matchAll(/#([\p{L}\p{N}_']+)/gu)].map((m) => m[1]!);
}

export const newsroom = new Composer<BotContext>();

// Every command the registry scopes to the newsroom is refused to anyone else, here, once.
newsroom.filter(command(...inScope("newsroom")), async (ctx, next) => {
  if (isNewsroom(ctx)) return next();
  ctx.logger.info({ from: ctx.from?.id, chat: ctx.chat.id }, "admin command refused");
  await replyHtml(ctx, ctx.t.notAdmin);
});

newsroom.filter(command("pubblica"), async (ctx) => {
  const text = stripControl(ctx.match).trim();
  if (!text) {
    await replyHtml(ctx, ctx.t.publishUsage);
    return;
  }
  if (text.length > BULLETIN_TEXT_MAX) {
    await replyHtml(ctx, ctx.t.publishTooLong(BULLETIN_TEXT_MAX));
    return;
  }
  const pack = ctx.app.data.current();
  const comuni: string[] = [];
  const unknown: string[] = [];
  for (const tag of new Set(hashtags(text))) {
    const r = pack.index.lookup(tag);
    if (r.kind === "found" && r.exact) comuni.push(r.item.name);
    else unknown.push(`#${tag}`);
  }
  if (unknown.length) {
    await replyHtml(ctx, ctx.t.publishUnknownTags(unknown));
    return;
  }
  const { recipients } = ctx.app.publisher.publish({
    text,
    comuni: [...new Set(comuni)],
    requestedBy: ctx.from.id,
    lang: ctx.lang,
  });
  await replyHtml(ctx, ctx.t.publishQueued(recipients, [...new Set(comuni)]));
});

newsroom.filter(command("stato"), async (ctx) => {
  const { store } = ctx.app;
  const pack = ctx.app.data.pack();
  const stats = store.subscriberStats();
  const last = store.lastPush();
  const now = ctx.app.now();
  const sends = ctx.app.sendStats?.();
  const lastLine =
    last &&
    ctx.t.lastPush({
      id: last.bulletinId,
      time: formatStamp(new Date(last.startedAt), now, pack.election.timezone),
      delivered: last.delivered,
      total: last.total,
      removed: last.removed,
      failed: last.failed,
      running: last.finishedAt === null,
    });
  const feedBlock = feedStatusBlock(ctx.app, ctx.t);
  await replyHtml(ctx, [
    ctx.t.statusBody({
      subscribers: stats.subscriptions,
      chats: stats.chats,
      pending: store.pendingCount(),
      bulletins: store.bulletinCount(),
      last: lastLine,
      pack: `${pack.election.name} · ${pack.comuni.length} comuni · ${pack.bulletins.length} bollettini`,
      sends: sends && {
        dropped: sends.droppedWaited + sends.droppedOverflow,
        droppedWaited: sends.droppedWaited,
        droppedOverflow: sends.droppedOverflow,
        rateLimited: sends.rateLimited,
        maxWaitS: sends.replyMaxWaitS,
      },
    }),
    ...(feedBlock ? [feedBlock] : []),
  ]);
});
