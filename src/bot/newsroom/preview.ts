/**
 * The preview of a newsroom action before it is confirmed: the bulletin exactly as subscribers will
 * see it (the same renderer as the pushes), what it will reach, and the buttons; once pressed, the
 * same message with what was done instead of the buttons.
 */
import { InlineKeyboard } from "grammy";
import type { App } from "../../app.js";
import { type Html, joinHtml } from "../../format/html.js";
import { type Messages, messages } from "../../i18n/index.js";
import type { Draft } from "../../store/store.js";
import { type BulletinLike, type RenderedBulletin, renderBulletin } from "../../views/bulletins.js";
import { withComuneNames } from "../../views/common.js";
import { draftData } from "../callback-data/draft.js";
import { hashtags } from "./compose.js";

/** How long a preview's buttons work. */
export const DRAFT_TTL_MS = 30 * 60_000;
export const DRAFT_TTL_MINUTES = DRAFT_TTL_MS / 60_000;

/** The bulletin a draft would make (or, for a withdrawal, the one it would remove). */
async function draftBulletin(app: App, d: Draft, now: Date): Promise<BulletinLike | undefined> {
  const text = { text: d.text, comuni: d.comuni, ...(d.html !== undefined ? { html: d.html } : {}) };
  if (d.kind === "publish") {
    // Once sent, the bulletin as it went out.
    const sent = d.result !== undefined ? await app.store.bulletin(d.result) : undefined;
    return sent ?? { publishedAt: now.toISOString(), ...text };
  }
  const b = d.target !== undefined ? await app.store.bulletin(d.target) : undefined;
  if (!b) return undefined;
  if (d.kind === "correct" && d.state !== "done")
    return { ...text, publishedAt: b.publishedAt, correctedAt: now.toISOString() };
  return b;
}

/** The preview's message: its title, the bulletin, and `footer` (what it will reach, or what was done). */
export async function draftMessage(app: App, d: Draft, footer: Html): Promise<Html> {
  const t = messages(d.lang);
  const now = app.now();
  const number = t.bulletinNumber(d.target ?? d.result ?? 0);
  const title =
    d.kind === "publish"
      ? t.previewPublish
      : d.kind === "correct"
        ? t.previewCorrect(number)
        : t.previewWithdraw(number);
  const b = await draftBulletin(app, d, now);
  const pack = app.data.current();
  const named = b && withComuneNames(b, pack);
  const r = named && renderBulletin(named, t, now, pack.election.timezone);
  // While it can still be changed: the comuni it will not name, and what to cut to name them all.
  const note =
    r && named && d.state === "open" && r.listed < named.comuni.length ? shortenedNote(t, named, r) : undefined;
  return joinHtml(
    [title, r?.html, note, footer].filter((x): x is Html => Boolean(x)),
    "\n\n",
  );
}

/** The "Comuni:" line names only some: by how much the text, not counting its tags, could shrink to name them all. */
function shortenedNote(t: Messages, b: BulletinLike, r: RenderedBulletin): Html {
  const prose = b.text.length - hashtags(b.text).reduce((sum, tag) => sum + tag.length + 1, 0);
  return t.previewComuniShortened({
    listed: r.listed,
    total: b.comuni.length,
    ...(r.over <= prose ? { cut: r.over } : {}),
  });
}

/**
 * What confirming an open draft will reach: chats for a bulletin; copies for a withdrawal; for a
 * correction, the copies it edits and the chats it newly concerns (its comuni changed).
 */
export async function draftReach(app: App, d: Draft): Promise<Html> {
  const t = messages(d.lang);
  if (d.kind === "publish") return t.previewReach(await app.store.recipientCount(d.comuni), DRAFT_TTL_MINUTES);
  const seq = d.target ?? 0;
  if (d.kind === "correct") {
    const r = (await app.store.correctionReach(seq, d.comuni)) ?? {
      copies: 0,
      stale: 0,
      queued: 0,
      dropped: 0,
      added: 0,
    };
    return t.previewCorrectReach({ ...r, minutes: DRAFT_TTL_MINUTES });
  }
  const { delivered, queued } = await app.store.copyCount(seq);
  return t.previewWithdrawReach({ copies: delivered, queued, minutes: DRAFT_TTL_MINUTES });
}

/** Confirm and cancel, worded for what the draft does. */
export function draftKeyboard(d: Draft): InlineKeyboard {
  const t = messages(d.lang);
  const confirm = d.kind === "publish" ? t.buttonSend : d.kind === "correct" ? t.buttonCorrect : t.buttonWithdraw;
  return new InlineKeyboard()
    .text(confirm, draftData.pack({ action: "send", id: d.id }))
    .text(t.buttonCancel, draftData.pack({ action: "cancel", id: d.id }));
}

/** Under a bulletin whose tags did not resolve: take the suggested ones (and see the preview), or cancel. */
export function suggestionKeyboard(d: Draft, tags: string): InlineKeyboard {
  const t = messages(d.lang);
  return new InlineKeyboard()
    .text(t.useSuggestedTags(tags), draftData.pack({ action: "preview", id: d.id }))
    .text(t.buttonCancel, draftData.pack({ action: "cancel", id: d.id }));
}
