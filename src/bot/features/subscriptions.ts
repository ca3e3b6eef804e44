/**
 * Following: /iscriviti and /disiscriviti (everything, national updates only, or several comuni at
 * once), /iscrizioni, /silenzioso (quiet hours), the suggestion buttons that follow or stop
 * following a comune, and leaving chats that blocked or removed the bot. In groups only
 * administrators change the group's subscriptions and quiet hours; replies speak to the group.
 */
import { Composer, InlineKeyboard } from "grammy";
import { nameKey } from "../../data/lookup.js";
import type { DataPack } from "../../data/pack.js";
import { codeOf, hasResults, type KnownComune } from "../../data/places.js";
import { clockTime } from "../../delivery/quiet.js";
import { type Html, escapeHtml as h, html, htmlToText, joinHtml, quoteUser, stripControl } from "../../format/html.js";
import type { FollowState, Topics } from "../../i18n/follow.js";
import { NATIONAL, type Subscription } from "../../store/store.js";
import { coverageLine, noResultsLine } from "../../views/city.js";
import { followData } from "../callback-data/follow.js";
import { updateCardButtons } from "../card.js";
import { command } from "../commands.js";
import { type BotContext, GROUP_ANONYMOUS_BOT } from "../context.js";
import { replyHtml } from "../reply.js";
import { lookupReadings, MAX_QUERY, notComune, placeName, readingsOf } from "../resolve-city.js";
import { readEverything, readNational, readQuietHours, splitNames } from "./subscriptions-input.js";

/** At most this many names are read from one command (each may take a typo-forgiving search). */
export const MAX_NAMES = 20;

/**
 * A chat may manage its subscriptions: a private chat, or a group's administrator. Being in the
 * newsroom gives no say over someone else's group: an editor manages it only as its administrator.
 */
export async function mayManageChat(ctx: BotContext): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat || chat.type === "private" || chat.type === "channel") return true;
  const from = ctx.from;
  if (!from) return false;
  if (from.id === GROUP_ANONYMOUS_BOT && ctx.message?.sender_chat?.id === chat.id) return true;
  const member = await ctx.getChatMember(from.id);
  return member.status === "creator" || member.status === "administrator";
}

/** Something a chat may follow, as read from what was typed. */
type Target = { kind: "all" } | { kind: "national" } | { kind: "comune"; comune: KnownComune };

/** A name that found no single comune, with the closest ones. */
interface Unresolved {
  query: string;
  ambiguous: boolean;
  suggestions: readonly KnownComune[];
}

interface FollowRequest {
  targets: Target[];
  unresolved: Unresolved[];
  /** More than MAX_NAMES names were given; the rest were not read. */
  truncated: boolean;
  /** Regions, provinces or the country named where only comuni can be followed ("Regione Liguria"). */
  notComuni?: string[];
}

/** Reads the text after /iscriviti or /disiscriviti: nothing or "tutti" is everything. */
function readRequest(ctx: BotContext, raw: string): FollowRequest {
  const text = stripControl(raw).trim();
  if (!text || readEverything(text)) return { targets: [{ kind: "all" }], unresolved: [], truncated: false };
  if (readNational(text)) return { targets: [{ kind: "national" }], unresolved: [], truncated: false };
  const pack = ctx.app.data.current();
  const index = pack.index;
  const names = splitNames(
    text,
    (s) => index.exactly(s).length > 0 || readEverything(s) || readNational(s),
    (s) => s.length <= MAX_QUERY && index.lookup(s).kind === "found",
  );
  const request: FollowRequest = { targets: [], unresolved: [], truncated: names.length > MAX_NAMES };
  const seen = new Set<string>();
  for (const name of names.slice(0, MAX_NAMES)) {
    let target: Target;
    if (readEverything(name)) target = { kind: "all" };
    else if (readNational(name)) target = { kind: "national" };
    else {
      // "Genoa" is Genova (its Italian name is tried first); "Liguria" is a region, never Lauria.
      const readings = readingsOf(name, ctx.lang);
      const other = notComune(pack, readings);
      if (other) {
        request.notComuni = [...(request.notComuni ?? []), placeName(ctx, other, name)];
        continue;
      }
      const r =
        name.length > MAX_QUERY ? { kind: "not-found" as const, suggestions: [] } : lookupReadings(pack, readings);
      if (r.kind !== "found") {
        request.unresolved.push({ query: name, ambiguous: r.kind === "ambiguous", suggestions: r.suggestions });
        continue;
      }
      // Alone, "gen" is Genova; a scrap of three letters cut out of a longer text is only a guess.
      if (!r.exact && names.length > 1 && nameKey(name).length < 4) {
        request.unresolved.push({ query: name, ambiguous: false, suggestions: [r.item] });
        continue;
      }
      target = { kind: "comune", comune: r.item };
    }
    const key = target.kind === "comune" ? `c:${codeOf(target.comune)}` : target.kind;
    if (seen.has(key)) continue;
    seen.add(key);
    request.targets.push(target);
  }
  return request;
}

const subscriptionOf = (t: Target): Subscription =>
  t.kind === "all" ? null : t.kind === "national" ? NATIONAL : codeOf(t.comune);

/** The comuni (escaped, homonyms with their province) and whether national updates are among some targets. */
function topicsOf(targets: readonly Target[]): Topics {
  return {
    comuni: targets.flatMap((t) => (t.kind === "comune" ? [h(t.comune.label)] : [])),
    national: targets.some((t) => t.kind === "national"),
  };
}

/** What the chat receives, its comuni named as readers tell them apart ("Castro (BG)"), alphabetically. */
function stateOf(pack: DataPack, subs: readonly Subscription[]): FollowState {
  return {
    all: subs.includes(null),
    national: subs.includes(NATIONAL),
    comuni: subs
      .filter((s) => s !== null && s !== NATIONAL)
      .map((code) => pack.byKey(code)?.label ?? code)
      .sort((a, b) => a.localeCompare(b, "it"))
      .map((label) => h(label)),
  };
}

const inGroup = (ctx: BotContext) => ctx.chat !== undefined && ctx.chat.type !== "private";

/** The lines and buttons that answer names that found no single comune. */
function suggest(ctx: BotContext, unresolved: readonly Unresolved[], follow: boolean) {
  const t = ctx.t.follow;
  const lines = unresolved.map((u) => (u.ambiguous ? t.ambiguousName : t.unknownName)(quoteUser(u.query)));
  const comuni = [...new Map(unresolved.flatMap((u) => u.suggestions).map((c) => [codeOf(c), c])).values()];
  if (!comuni.length) return { lines, keyboard: undefined };
  const keyboard = new InlineKeyboard();
  const perRow = comuni.length > 6 ? 2 : 1;
  comuni.forEach((c, i) => {
    keyboard.text(`${follow ? "🔔" : "🔕"} ${c.label}`, followData.pack({ follow, key: codeOf(c) }));
    if (i % perRow === perRow - 1) keyboard.row();
  });
  return { lines: [...lines, follow ? t.pickToFollow : t.pickToUnfollow], keyboard };
}

/** Subscribes the chat to what was asked, and says what it now receives. */
async function follow(ctx: BotContext, request: FollowRequest): Promise<void> {
  const t = ctx.t.follow;
  const { store } = ctx.app;
  const pack = ctx.app.data.current();
  const chatId = ctx.chat!.id;
  const group = inGroup(ctx);
  const lines: Html[] = [];
  const followsAll = (await store.subscriptionsOf(chatId)).includes(null);
  if (request.targets.some((x) => x.kind === "all")) {
    // Everything covers the comuni and the national updates: their rows would only add lines to /iscrizioni.
    const added = await store.transaction(async () => {
      const added = await store.subscribe(chatId, null, ctx.lang);
      for (const s of await store.subscriptionsOf(chatId)) if (s !== null) await store.unsubscribe(chatId, s);
      return added;
    });
    lines.push(added ? html`${t.subscribed(stateOf(pack, [null]), group)} ${t.stopHint()}` : t.alreadyAll(group));
  } else if (request.targets.length) {
    if (followsAll) lines.push(t.alreadyCovered(topicsOf(request.targets), group));
    else {
      const added: Target[] = [];
      for (const x of request.targets) if (await store.subscribe(chatId, subscriptionOf(x), ctx.lang)) added.push(x);
      lines.push(
        added.length
          ? html`${t.subscribed(stateOf(pack, await store.subscriptionsOf(chatId)), group)}\n${t.stopHint(topicsOf(added))}`
          : t.alreadyFollowing(topicsOf(request.targets), group),
      );
    }
  }
  // A comune followed without results in the data (/iscriviti Roma): say so, and what the data covers.
  const v = ctx.view();
  for (const x of request.targets)
    if (x.kind === "comune" && !hasResults(x.comune) && !x.comune.voting && coverageLine(v))
      lines.push(noResultsLine(x.comune, v));
  for (const place of request.notComuni ?? []) lines.push(ctx.t.notAComune(place));
  const { lines: hints, keyboard } = suggest(ctx, request.unresolved, true);
  lines.push(...hints);
  if (!request.targets.length && !keyboard && !request.notComuni) lines.push(t.followUsage);
  if (request.truncated) lines.push(t.tooMany(MAX_NAMES));
  await replyHtml(ctx, joinHtml(lines, "\n"), keyboard);
}

/** Unsubscribes the chat from what was asked, and says what it still receives. */
async function unfollow(ctx: BotContext, request: FollowRequest): Promise<void> {
  const t = ctx.t.follow;
  const { store } = ctx.app;
  const chatId = ctx.chat!.id;
  const group = inGroup(ctx);
  const lines: Html[] = [];
  if (request.targets.some((x) => x.kind === "all")) {
    const removed = await store.unsubscribe(chatId, "*");
    await replyHtml(ctx, removed ? t.unsubscribedAll(group) : t.notSubscribed(group));
    return;
  }
  if (request.targets.length) {
    const followsAll = (await store.subscriptionsOf(chatId)).includes(null);
    const removed: Target[] = [];
    const missing: Target[] = [];
    for (const x of request.targets)
      ((await store.unsubscribe(chatId, subscriptionOf(x))) > 0 ? removed : missing).push(x);
    const gone = topicsOf(removed);
    const now = stateOf(ctx.app.data.current(), await store.subscriptionsOf(chatId));
    if (gone.comuni.length) lines.push(t.unsubscribed(gone.comuni));
    // National updates come with any comune followed: stopping them alone changes nothing then.
    if (gone.national) lines.push(now.comuni.length ? t.nationalComeWithComuni(group) : t.unsubscribedNational);
    if (followsAll) lines.push(t.stillAll(topicsOf(request.targets), group));
    else {
      if (missing.length) lines.push(t.notFollowing(topicsOf(missing), group));
      lines.push(t.receives(now, group));
    }
  }
  for (const place of request.notComuni ?? []) lines.push(ctx.t.notAComune(place));
  const { lines: hints, keyboard } = suggest(ctx, request.unresolved, false);
  lines.push(...hints);
  if (request.truncated) lines.push(t.tooMany(MAX_NAMES));
  await replyHtml(ctx, joinHtml(lines, "\n"), keyboard);
}

/** /iscriviti and its words ("segui Genova e Parma"): in a group, for administrators only. */
export async function followFromText(ctx: BotContext, text: string): Promise<void> {
  if (!(await mayManageChat(ctx))) return replyHtml(ctx, ctx.t.follow.adminsOnly);
  await follow(ctx, readRequest(ctx, text));
}

/** /disiscriviti and its words ("non seguire Parma"): in a group, for administrators only. */
export async function unfollowFromText(ctx: BotContext, text: string): Promise<void> {
  if (!(await mayManageChat(ctx))) return replyHtml(ctx, ctx.t.follow.adminsOnly);
  await unfollow(ctx, readRequest(ctx, text));
}

export const subscriptions = new Composer<BotContext>();

subscriptions.filter(command("iscriviti"), (ctx) => followFromText(ctx, ctx.match));

subscriptions.filter(command("disiscriviti"), (ctx) => unfollowFromText(ctx, ctx.match));

/** A suggestion button: the same as typing the comune after /iscriviti or /disiscriviti. */
subscriptions.callbackQuery(followData.filter(), async (ctx) => {
  const value = followData.unpack(ctx.callbackQuery.data);
  const comune = value && ctx.app.data.askedFor(value.key);
  if (!value || !comune) {
    await ctx.answerCallbackQuery({ text: htmlToText(ctx.t.follow.unknownName(h(value?.key ?? ""))) });
    return;
  }
  if (!(await mayManageChat(ctx))) {
    await ctx.answerCallbackQuery({ text: htmlToText(ctx.t.follow.adminsOnly), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  const request: FollowRequest = { targets: [{ kind: "comune", comune }], unresolved: [], truncated: false };
  await (value.follow ? follow(ctx, request) : unfollow(ctx, request));
  // Pressed under the comune's card: its button now says the other thing.
  await updateCardButtons(ctx, comune);
});

/** Blocked in a private chat, or removed from a group: nothing more can reach that chat. */
subscriptions.on("my_chat_member", async (ctx) => {
  const status = ctx.myChatMember.new_chat_member.status;
  if (status === "kicked" || status === "left") {
    const removed = await ctx.app.store.removeChat(ctx.chat.id);
    if (removed)
      ctx.logger.info({ chat: ctx.chat.id, status, removed }, "bot removed from chat: subscriptions dropped");
  }
});

/** /iscrizioni ("cosa seguo?"): what the chat receives, and its quiet hours. */
export async function showSubscriptions(ctx: BotContext): Promise<void> {
  const t = ctx.t.follow;
  const chatId = ctx.chat!.id;
  const group = inGroup(ctx);
  const subs = await ctx.app.store.subscriptionsOf(chatId);
  const quiet = await ctx.app.store.quietHoursOf(chatId);
  const lines = subs.length
    ? [t.subscriptionsTitle, t.receives(stateOf(ctx.app.data.current(), subs), group)]
    : [t.noSubscriptions(group)];
  if (quiet) lines.push(t.quietLine(clockTime(quiet.from), clockTime(quiet.to)));
  else if (subs.length) lines.push(t.quietHint);
  await replyHtml(ctx, joinHtml(lines, "\n"));
}

subscriptions.filter(command("iscrizioni"), showSubscriptions);

/**
 * /silenzioso and its words ("silenzioso 23-7"): alone it shows the quiet hours (anyone may look);
 * changing them is, in a group, for administrators.
 */
export async function quietFromText(ctx: BotContext, text: string): Promise<void> {
  const t = ctx.t.follow;
  const { store } = ctx.app;
  const chatId = ctx.chat!.id;
  const group = inGroup(ctx);
  const current = await store.quietHoursOf(chatId);
  if (!text.trim()) {
    const now = current ? t.quietLine(clockTime(current.from), clockTime(current.to)) : t.quietNone;
    await replyHtml(ctx, joinHtml([now, t.quietUsage], "\n"));
    return;
  }
  if (!(await mayManageChat(ctx))) return replyHtml(ctx, t.adminsOnly);
  const asked = readQuietHours(stripControl(text));
  if (asked === undefined) {
    await replyHtml(ctx, t.quietUsage);
    return;
  }
  if (asked === "off") {
    await store.setQuietHours(chatId, undefined);
    await replyHtml(ctx, current ? t.quietOff(group) : t.quietNone);
    return;
  }
  await store.setQuietHours(chatId, asked);
  const lines = [t.quietSet(clockTime(asked.from), clockTime(asked.to), group)];
  if (!(await store.subscriptionsOf(chatId)).length) lines.push(t.quietNotSubscribed(group));
  await replyHtml(ctx, joinHtml(lines, "\n"));
}

subscriptions.filter(command("silenzioso"), (ctx) => quietFromText(ctx, ctx.match));
