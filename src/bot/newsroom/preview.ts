/**
 * The preview of a newsroom action before it is confirmed: the bulletin exactly as subscribers will
 * see it (the same renderer as the pushes), what it will reach, and the buttons; once pressed, the
 * same message with what was done instead of the buttons.
 */
import { InlineKeyboard } from "grammy";
import type { App } from "../../app.js";
import { type Html, joinHtml } from "../../format/html.js";
import { messages } from "../../i18n/index.js";
import type { Draft } from "../../store/store.js";
import { type BulletinLike, bulletinBlock } from "../../views/bulletins.js";
import { withComuneNames } from "../../views/common.js";
import { draftData } from "../callback-data/draft.js";

/** How long a preview's buttons work. */
export const DRAFT_TTL_MS = 30 * 60_000;
export const DRAFT_TTL_MINUTES = DRAFT_TTL_MS / 60_000;

/** The bulletin a draft would make (or, for a withdrawal, the one it would remove). */
function draftBulletin(app: App, d: Draft, now: Date): BulletinLike | undefined {
  const text = { text: d.text, comuni: d.comuni, ...(d.html !== undefined ? { html: d.html } : {}) };
  if (d.kind === "publish") {
    // Once sent, the bulletin as it went out.
    const sent = d.result !== undefined ? app.store.bulletin(d.result) : undefined;
    return sent ?? { publishedAt: now.toISOString(), ...text };
  }
  const b = d.target !== undefined ? app.store.bulletin(d.target) : undefined;
  if (!b) return undefined;
  if (d.kind === "correct" && d.state !== "done")
    return { ...text, publishedAt: b.publishedAt, correctedAt: now.toISOString() };
  return b;
}

/** The preview's message: its title, the bulletin, and `footer` (what it will reach, or what was done). */
export function draftMessage(app: App, d: Draft, footer: Html): Html {
  const t = messages(d.lang);
  const now = app.now();
  const number = t.bulletinNumber(d.target ?? d.result ?? 0);
  const title =
    d.kind === "publish"
      ? t.previewPublish
      : d.kind === "correct"
        ? t.previewCorrect(number)
        : t.previewWithdraw(number);
  const b = draftBulletin(app, d, now);
  const pack = app.data.current();
  const block = b && bulletinBlock(withComuneNames(b, pack), t, now, pack.election.timezone);
  return joinHtml(
    [title, block, footer].filter((x): x is Html => Boolean(x)),
    "\n\n",
  );
}

/** What confirming an open draft will reach: chats for a bulletin, copies for a correction or withdrawal. */
export function draftReach(app: App, d: Draft): Html {
  const t = messages(d.lang);
  if (d.kind === "publish") return t.previewReach(app.store.recipientCount(d.comuni), DRAFT_TTL_MINUTES);
  const { delivered, queued } = app.store.copyCount(d.target ?? 0);
  const p = { copies: delivered, queued, minutes: DRAFT_TTL_MINUTES };
  return d.kind === "correct" ? t.previewCorrectReach(p) : t.previewWithdrawReach(p);
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
