/**
 * Newsroom commands, for the users in ADMIN_IDS only, checked on every call: /pubblica, /rettifica,
 * /ritira, /stato, and the buttons of their previews.
 *
 * /pubblica, /rettifica and /ritira show a preview first (the bulletin as subscribers will see it,
 * and what it will reach) with buttons to confirm or cancel; written with `!` (`/pubblica! testo`)
 * they act at once. The draft waits in the store, so the buttons work after a restart, for
 * DRAFT_TTL_MS; only its author may press them, and a second press does nothing twice. Every answer
 * goes to the editor's private chat, also when the command was typed in a group. A tag several
 * comuni answer to (`#Castro`) is never guessed: the editor picks which with buttons, then sees the
 * preview; nothing goes out before.
 */
import { Composer, GrammyError, InlineKeyboard } from "grammy";
import { codeOf } from "../../data/places.js";
import { type Html, escapeHtml as h, html, joinHtml, quoteUser } from "../../format/html.js";
import { formatStamp } from "../../format/italian.js";
import { messages } from "../../i18n/index.js";
import type { Draft, DraftKind, StoredBulletin } from "../../store/store.js";
import { bulletinTitle } from "../../views/bulletins.js";
import { draftData } from "../callback-data/draft.js";
import { draftTagData } from "../callback-data/draft-tag.js";
import { type CommandContext, command, inScope } from "../commands.js";
import { type BotContext, isNewsroom } from "../context.js";
import { createDraft, type Editor, record, settleDraft } from "../newsroom/actions.js";
import {
  type AmbiguousTag,
  BULLETIN_TEXT_MAX,
  type Composed,
  type ComposedBulletin,
  composeBulletin,
  pendingAmbiguity,
  tagFor,
} from "../newsroom/compose.js";
import { draftKeyboard, draftMessage, draftReach, suggestionKeyboard } from "../newsroom/preview.js";
import { inGroup, notePrivately, replyPrivately } from "../newsroom/private.js";
import { replyHtml } from "../reply.js";
import { feedStatusBlock } from "./feed.js";

/** How many of the newsroom's latest bulletins the usage of /rettifica and /ritira lists. */
const LATEST_LISTED = 5;

export const newsroom = new Composer<BotContext>();

// Every command the registry scopes to the newsroom is refused to anyone else, here, once.
newsroom.filter(command(...inScope("newsroom")), async (ctx, next) => {
  if (isNewsroom(ctx)) return next();
  ctx.logger.info({ from: ctx.from?.id, chat: ctx.chat.id }, "admin command refused");
  // Like every answer of the newsroom's commands, the refusal is private: a group sees nothing.
  if (inGroup(ctx)) await notePrivately(ctx, ctx.t.notAdmin);
  else await replyHtml(ctx, ctx.t.notAdmin);
});

/** Where the command's text after the command (and a reference) starts, in UTF-16 units of the message. */
const startOf = (ctx: CommandContext, rest: string) => ctx.message.text.length - rest.length;

/** Acting at once: written with `!`, and not in a group (there the preview makes sure the editor can be reached). */
const atOnce = (ctx: CommandContext) => ctx.bang && !inGroup(ctx);

/** Answers a bulletin that cannot go out as written. False when it answered. */
async function refuse(ctx: CommandContext, r: Composed, kind: DraftKind, target?: number): Promise<boolean> {
  if (r.ok) return true;
  const t = ctx.t;
  switch (r.reason) {
    case "empty":
      await replyPrivately(ctx, kind === "publish" ? t.publishUsage : t.correctUsage);
      return false;
    case "too-long":
      await replyPrivately(ctx, t.publishTooLong(BULLETIN_TEXT_MAX));
      return false;
    case "too-much-formatting":
      await replyPrivately(ctx, t.publishTooMuchFormatting);
      return false;
    case "no-text":
      await replyPrivately(ctx, t.publishNoText);
      return false;
    case "unknown-tags": {
      const list = r.unknown.map((u) =>
        u.suggestion ? t.tagMaybe(`#${u.tag}`, tagFor(u.suggestion.label)) : h(`#${u.tag}`),
      );
      const text = t.publishUnknownTags(list);
      if (!r.fixed) {
        await replyPrivately(ctx, text);
        return false;
      }
      // The suggestion, ready: one press shows the preview with the tags it names.
      const draft = await newDraft(ctx, kind, r.fixed, target);
      const tags = r.unknown
        .slice(0, 3)
        .map((u) => tagFor(u.suggestion!.label))
        .join(", ");
      const sent = await replyPrivately(ctx, text, suggestionKeyboard(draft, tags));
      if (sent) await ctx.app.store.setDraftMessage(draft.id, sent.message_id);
      return false;
    }
    case "ambiguous-tags": {
      // Kept as a draft with the comuni its other tags name; each choice adds one (see draftTagData).
      const draft = await newDraft(ctx, kind, r.bulletin, target);
      const ask = whichComune(draft, r.ambiguous[0]!);
      const sent = await replyPrivately(ctx, ask.text, ask.keyboard);
      if (sent) await ctx.app.store.setDraftMessage(draft.id, sent.message_id);
      return false;
    }
  }
}

/** Which comune a tag of the draft means: a button for each (named with its province), and cancel. */
function whichComune(d: Draft, a: AmbiguousTag): { text: Html; keyboard: InlineKeyboard } {
  const t = messages(d.lang);
  const keyboard = new InlineKeyboard();
  for (const c of a.comuni) keyboard.text(c.label, draftTagData.pack({ id: d.id, code: codeOf(c) })).row();
  keyboard.text(t.buttonCancel, draftData.pack({ action: "cancel", id: d.id }));
  return {
    text: t.tagWhich(
      `#${a.tag}`,
      a.comuni.map((c) => c.label),
    ),
    keyboard,
  };
}

/** A new draft of the editor's, from the command. */
const newDraft = (ctx: CommandContext, kind: DraftKind, b: ComposedBulletin, target?: number): Promise<Draft> =>
  createDraft(ctx.app, { id: ctx.from.id, lang: ctx.lang }, kind, b, target);

/** The editor who typed the command or pressed the button, in the chat. */
const editor = (ctx: BotContext & { from: { id: number } }): Editor => ({
  id: ctx.from.id,
  lang: ctx.lang,
  via: "chat",
});

/** Shows the preview of a new draft, privately, with its buttons. */
async function preview(ctx: CommandContext, kind: DraftKind, b: ComposedBulletin, target?: number): Promise<void> {
  const draft = await newDraft(ctx, kind, b, target);
  const sent = await replyPrivately(
    ctx,
    await draftMessage(ctx.app, draft, await draftReach(ctx.app, draft)),
    draftKeyboard(draft),
  );
  if (sent) await ctx.app.store.setDraftMessage(draft.id, sent.message_id);
}

// ----- /pubblica -------------------------------------------------------------

newsroom.filter(command("pubblica"), async (ctx) => {
  const r = composeBulletin(ctx.message, startOf(ctx, ctx.match), ctx.app.data.current());
  if (!(await refuse(ctx, r, "publish")) || !r.ok) return;
  if (!atOnce(ctx)) {
    await preview(ctx, "publish", r);
    return;
  }
  const { bulletin, recipients } = await ctx.app.publisher.publish({
    text: r.text,
    ...(r.html !== undefined ? { html: r.html } : {}),
    comuni: r.comuni,
    requestedBy: ctx.from.id,
    lang: ctx.lang,
  });
  record(ctx.app, editor(ctx), "publish", `#${bulletin.seq} ${bulletinTitle(r.text)}`);
  const pack = ctx.app.data.current();
  const comuni = r.comuni.map((code) => pack.byKey(code)?.label ?? code);
  const sent = await replyPrivately(ctx, ctx.t.publishQueued({ number: bulletin.seq, recipients, comuni }));
  if (sent) await ctx.app.store.recordNewsroomMessage(sent.chat.id, sent.message_id, bulletin.seq);
});

// ----- /rettifica and /ritira --------------------------------------------------

/** The newsroom's latest bulletins, with their numbers, to pick one. */
async function latestList(ctx: BotContext): Promise<Html> {
  const election = ctx.app.data.current().election;
  const now = ctx.app.now();
  const lines = (await ctx.app.store.bulletinsOf(election.id))
    .filter((b) => b.origin === "newsroom")
    .slice(-LATEST_LISTED)
    .reverse()
    .map((b) =>
      ctx.t.newsroomLine({
        number: ctx.t.bulletinNumber(b.seq),
        time: formatStamp(new Date(b.publishedAt), now, election.timezone),
        title: bulletinTitle(b.text),
        withdrawn: b.hidden,
      }),
    );
  return ctx.t.latestNewsroom(lines);
}

/**
 * The bulletin a /rettifica or /ritira is about, and the text after the reference: the message it
 * replies to (a delivered copy, a preview, an acknowledgement or a report), else a number or an id
 * first. Undefined when it answered (usage, not found, not the newsroom's, withdrawn).
 */
async function target(ctx: CommandContext, usage: Html): Promise<{ b: StoredBulletin; rest: string } | undefined> {
  const { store } = ctx.app;
  const election = ctx.app.data.current().election.id;
  const replied = ctx.message.reply_to_message;
  let seq = replied ? await store.bulletinByMessage(ctx.chat.id, replied.message_id) : undefined;
  const match: string = ctx.match;
  let rest = match;
  let ref: string | undefined;
  if (seq === undefined) {
    const m = /^(\S+)\s*/.exec(match);
    if (!m) {
      await replyPrivately(ctx, html`${usage}\n\n${await latestList(ctx)}`);
      return undefined;
    }
    const word = m[1]!;
    ref = word;
    rest = match.slice(m[0].length);
    const found = /^\d{1,12}$/.test(word)
      ? await store.bulletin(Number(word))
      : (await store.bulletinsOf(election)).find((b) => b.id === word.toLowerCase());
    seq = found?.election === election ? found.seq : undefined;
  }
  const b = seq === undefined ? undefined : await store.bulletin(seq);
  if (!b || b.election !== election) {
    await replyPrivately(ctx, html`${ctx.t.bulletinNotFound(quoteUser(ref ?? ""))}\n\n${await latestList(ctx)}`);
    return undefined;
  }
  const number = ctx.t.bulletinNumber(b.seq);
  if (b.origin !== "newsroom") {
    await replyPrivately(ctx, ctx.t.notNewsroomBulletin(number));
    return undefined;
  }
  if (b.hidden) {
    await replyPrivately(ctx, ctx.t.alreadyWithdrawn(number));
    return undefined;
  }
  return { b, rest };
}

newsroom.filter(command("rettifica"), async (ctx) => {
  const found = await target(ctx, ctx.t.correctUsage);
  if (!found) return;
  const { b, rest } = found;
  const r = composeBulletin(ctx.message, startOf(ctx, rest), ctx.app.data.current());
  if (!(await refuse(ctx, r, "correct", b.seq)) || !r.ok) return;
  if (r.text === b.text && r.html === b.html && r.comuni.join("\n") === b.comuni.join("\n")) {
    await replyPrivately(ctx, ctx.t.correctionUnchanged);
    return;
  }
  if (!atOnce(ctx)) {
    await preview(ctx, "correct", r, b.seq);
    return;
  }
  const content = { text: r.text, comuni: r.comuni, ...(r.html !== undefined ? { html: r.html } : {}) };
  const done = await ctx.app.publisher.amend(
    b.seq,
    { kind: "correct", content },
    { requestedBy: ctx.from.id, lang: ctx.lang },
  );
  if (done) record(ctx.app, editor(ctx), "correct", `#${b.seq} ${bulletinTitle(r.text)}`);
  const sent = await replyPrivately(
    ctx,
    done ? ctx.t.correctionStarted({ number: b.seq, ...done }) : ctx.t.alreadyWithdrawn(ctx.t.bulletinNumber(b.seq)),
  );
  if (sent) await ctx.app.store.recordNewsroomMessage(sent.chat.id, sent.message_id, b.seq);
});

newsroom.filter(command("ritira"), async (ctx) => {
  const found = await target(ctx, ctx.t.withdrawUsage);
  if (!found) return;
  const { b } = found;
  if (!atOnce(ctx)) {
    await preview(ctx, "withdraw", { text: b.text, comuni: b.comuni }, b.seq);
    return;
  }
  const done = await ctx.app.publisher.amend(b.seq, { kind: "withdraw" }, { requestedBy: ctx.from.id, lang: ctx.lang });
  if (done) record(ctx.app, editor(ctx), "withdraw", `#${b.seq} ${bulletinTitle(b.text)}`);
  const sent = await replyPrivately(
    ctx,
    done
      ? ctx.t.withdrawalStarted({ number: b.seq, copies: done.copies, queued: done.queued })
      : ctx.t.alreadyWithdrawn(ctx.t.bulletinNumber(b.seq)),
  );
  if (sent) await ctx.app.store.recordNewsroomMessage(sent.chat.id, sent.message_id, b.seq);
});

// ----- the preview's buttons ---------------------------------------------------

/** Edits the preview's message; a double tap that asks for the same text is no error. */
async function editPreview(ctx: BotContext, markup: Html, keyboard?: ReturnType<typeof draftKeyboard>) {
  try {
    await ctx.editMessageText(markup, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
  } catch (err) {
    if (!(err instanceof GrammyError && /message is not modified|message to edit not found/i.test(err.description)))
      throw err;
  }
}

/**
 * The draft a button under it names, if the one who pressed may act on it (the editor who wrote it, still
 * in the newsroom); otherwise the press is answered with why not, and undefined.
 */
async function pressedDraft(
  ctx: BotContext & { from: { id: number } },
  id: number | undefined,
): Promise<Draft | undefined> {
  const d = id === undefined ? undefined : await ctx.app.store.draft(id);
  if (!d) {
    await ctx.answerCallbackQuery({ text: ctx.t.toastGone });
    return undefined;
  }
  if (!isNewsroom(ctx)) {
    await ctx.answerCallbackQuery({ text: ctx.t.notAdmin });
    return undefined;
  }
  if (d.userId !== ctx.from.id) {
    await ctx.answerCallbackQuery({ text: ctx.t.toastNotYours });
    return undefined;
  }
  return d;
}

newsroom.callbackQuery(draftData.filter(), async (ctx) => {
  const press = draftData.unpack(ctx.callbackQuery.data);
  const { store } = ctx.app;
  const d = await pressedDraft(ctx, press?.id);
  if (!press || !d) return;
  const t = messages(d.lang);
  const now = ctx.app.now().getTime();

  // A tag still waiting for the editor's choice: nothing is shown as ready, nothing goes out.
  const pending = d.kind === "withdraw" ? [] : pendingAmbiguity(ctx.app.data.current(), d.text, d.comuni);
  if (press.action !== "cancel" && d.state === "open" && d.expiresAt > now && pending.length) {
    await ctx.answerCallbackQuery();
    const ask = whichComune(d, pending[0]!);
    await editPreview(ctx, ask.text, ask.keyboard);
    return;
  }

  if (press.action === "preview") {
    // The suggested tags taken: the preview, with the usual buttons (the draft stays open).
    if (d.state === "open" && d.expiresAt > now) {
      await ctx.answerCallbackQuery();
      await editPreview(ctx, await draftMessage(ctx.app, d, await draftReach(ctx.app, d)), draftKeyboard(d));
      return;
    }
  }

  // Here the draft is not both open and unexpired for a "preview" press: settling finds out which.
  const settled = await settleDraft(ctx.app, editor(ctx), d.id, press.action === "send" ? "done" : "cancelled");
  const after = settled.draft ?? d;
  if (settled.ok) {
    const done = after.state === "done";
    await ctx.answerCallbackQuery({ text: done ? t.toastDone : t.toastCancelled });
    // Replying to the preview with /rettifica or /ritira then finds the bulletin.
    const message = ctx.callbackQuery.message;
    if (done && message && settled.result !== undefined)
      await store.recordNewsroomMessage(
        message.chat.id,
        message.message_id,
        d.kind === "publish" ? settled.result : (d.target ?? 0),
      );
    await editPreview(ctx, await draftMessage(ctx.app, after, done && settled.line ? settled.line : t.draftCancelled));
    return;
  }
  // Not open any more: say why, and never do it twice.
  switch (after.state) {
    case "expired":
      await ctx.answerCallbackQuery({ text: t.toastExpired });
      await editPreview(ctx, await draftMessage(ctx.app, after, t.draftExpired));
      return;
    case "done":
      await ctx.answerCallbackQuery({ text: t.toastAlreadyDone });
      return;
    case "cancelled":
      await ctx.answerCallbackQuery({ text: t.toastAlreadyCancelled });
      return;
    default:
      await ctx.answerCallbackQuery({ text: t.toastGone });
  }
});

/** Which comune an ambiguous tag means: the choice is added to the draft, then the next tag or the preview. */
newsroom.callbackQuery(draftTagData.filter(), async (ctx) => {
  const press = draftTagData.unpack(ctx.callbackQuery.data);
  const { store } = ctx.app;
  const d = await pressedDraft(ctx, press?.id);
  if (!press || !d) return;
  const t = messages(d.lang);
  const now = ctx.app.now().getTime();
  if (d.state !== "open" || d.expiresAt <= now) {
    // Settling finds it expired (and says so), or already closed.
    const settled = await store.settleDraft(d.id, now, "cancelled");
    const expired = settled.draft?.state === "expired";
    await ctx.answerCallbackQuery({ text: expired ? t.toastExpired : t.toastGone });
    if (expired) await editPreview(ctx, await draftMessage(ctx.app, settled.draft!, t.draftExpired));
    return;
  }
  const pack = ctx.app.data.current();
  const chosen = pendingAmbiguity(pack, d.text, d.comuni)
    .flatMap((a) => a.comuni)
    .find((c) => codeOf(c) === press.code);
  await ctx.answerCallbackQuery();
  const comuni = chosen ? [...d.comuni, codeOf(chosen)] : d.comuni;
  if (chosen) await store.setDraftComuni(d.id, comuni);
  const updated = { ...d, comuni };
  const next = pendingAmbiguity(pack, d.text, comuni)[0];
  if (next) {
    const ask = whichComune(updated, next);
    await editPreview(ctx, ask.text, ask.keyboard);
    return;
  }
  await editPreview(
    ctx,
    await draftMessage(ctx.app, updated, await draftReach(ctx.app, updated)),
    draftKeyboard(updated),
  );
});

// ----- /stato ------------------------------------------------------------------

newsroom.filter(command("stato"), async (ctx) => {
  const { store } = ctx.app;
  const pack = ctx.app.data.pack();
  const now = ctx.app.now();
  const sends = ctx.app.sendStats?.();
  // Without the database, /stato says so and shows what this instance has in memory.
  const fromStore = await Promise.all([
    store.subscriberStats(),
    store.lastPush(),
    store.pendingCount(),
    store.bulletinCount(),
  ]).catch((err: unknown) => {
    ctx.app.logger.warn({ err }, "/stato: the database does not answer");
    return undefined;
  });
  const cluster = await clusterBlock(ctx);
  if (!fromStore) {
    const feedBlock = await feedStatusBlock(ctx.app, ctx.t).catch(() => undefined);
    await replyPrivately(
      ctx,
      joinHtml([ctx.t.statusDatabaseDown, ...(cluster ? [cluster] : []), ...(feedBlock ? [feedBlock] : [])], "\n\n"),
    );
    return;
  }
  const [stats, last, pending, bulletins] = fromStore;
  const lastLine =
    last &&
    ctx.t.lastPush({
      title: bulletinTitle(last.bulletinText),
      number: last.seq,
      time: formatStamp(new Date(last.startedAt), now, pack.election.timezone),
      delivered: last.delivered,
      total: last.total,
      removed: last.removed,
      failed: last.failed,
      running: last.finishedAt === null,
    });
  const feedBlock = await feedStatusBlock(ctx.app, ctx.t);
  const tz = pack.election.timezone;
  const actions = ctx.app.journal.latest(5);
  const journal = actions.length
    ? joinHtml([ctx.t.journalTitle, ...actions.map((a) => ctx.t.journalLine({ ...a, at: new Date(a.at), tz }))], "\n")
    : undefined;
  await replyPrivately(
    ctx,
    joinHtml(
      [
        ctx.t.statusBody({
          subscribers: stats.subscriptions,
          chats: stats.chats,
          pending,
          bulletins,
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
        ...(cluster ? [cluster] : []),
        ...(feedBlock ? [feedBlock] : []),
        ...(journal ? [journal] : []),
      ],
      "\n\n",
    ),
  );
});

/** Several instances: who is alive and who holds which lease (undefined with one process, or no answer). */
async function clusterBlock(ctx: BotContext): Promise<Html | undefined> {
  const status = await ctx.app.cluster?.status().catch(() => undefined);
  if (!status) return undefined;
  const now = Date.now();
  const holder = (name: string) => status.leases.find((l) => l.name === name && l.expiresAt > now)?.holder;
  return ctx.t.statusCluster({
    instances: status.instances.map((i) => ({
      id: i.id,
      self: i.id === status.id,
      leader: holder("leader") === i.id,
      updates: holder("updates") === i.id,
    })),
    leases: status.leases.map((l) => ({
      name: l.name,
      holder: l.holder,
      expiresInS: Math.max(0, Math.ceil((l.expiresAt - now) / 1000)),
    })),
  });
}

// ----- /desk -------------------------------------------------------------------

newsroom.filter(command("desk"), async (ctx) => {
  const link = ctx.app.deskLink?.(ctx.from.id);
  await replyPrivately(ctx, link ? ctx.t.deskLink(link, 10) : ctx.t.deskOff);
});
