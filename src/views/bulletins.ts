/** /ultime: the latest bulletins, all of them or those about one comune, each with its time. */

import type { DataPack } from "../data/pack.js";
import type { BulletinNote } from "../data/schema.js";
import {
  type Html,
  escapeHtml as h,
  html,
  joinHtml,
  TELEGRAM_TEXT_LIMIT,
  textLength,
  truncatePlain,
} from "../format/html.js";
import { formatStamp } from "../format/italian.js";
import type { Messages } from "../i18n/index.js";

/** What every view of a bulletin needs, whether it came from the data pack or the newsroom. */
export interface BulletinLike {
  publishedAt: string;
  text: string;
  comuni: string[];
  /** The newsroom's formatting as HTML we built (see format/entities.ts); else the text is escaped. */
  html?: Html;
  /** When the newsroom corrected it (ISO): readers are told. */
  correctedAt?: string;
  /** Figures it gave that were later made final (the pack's `notes`): one line each under it. */
  notes?: readonly BulletinNote[];
}

/**
 * A stored bulletin with the notes the current pack gives it, by its id: only a pack's bulletin of the
 * pack's election has them (the newsroom's and the feed's never do). Attached when shown, so that a note
 * added to the pack later reaches /ultime while the copies already pushed stay as they were sent.
 */
export function withLaterFigures<T extends { id: string; election: string; origin: string }>(
  b: T,
  pack: Pick<DataPack, "election" | "bulletins">,
): T & { notes?: readonly BulletinNote[] } {
  if (b.origin !== "pack" || b.election !== pack.election.id) return b;
  const notes = pack.bulletins.find((x) => x.id === b.id)?.notes;
  return notes?.length ? { ...b, notes } : b;
}

/**
 * How long a bulletin's block may be, as Telegram counts a message (see `textLength`): its limit,
 * less room for what the newsroom's preview puts around the block (its title, what it will reach).
 * A text of BULLETIN_TEXT_MAX characters with its header and a correction's line takes about 3.060;
 * the "Comuni:" line gets the rest.
 */
export const BULLETIN_BLOCK_MAX = TELEGRAM_TEXT_LIMIT - 600;

/** A bulletin's block, and how much of its "Comuni:" line fitted. */
export interface RenderedBulletin {
  html: Html;
  /** The comuni the line names: all of them, or the first ones ("Genova, Parma e altri 78"). */
  listed: number;
  /** How many characters too long the block would be with every comune named (0 when they all are). */
  over: number;
}

/** One bulletin as a message block: its time (with the date when not today), text, comuni, and a correction's time. */
export function bulletinBlock(b: BulletinLike, t: Messages, now: Date, timeZone = "Europe/Rome"): Html {
  return renderBulletin(b, t, now, timeZone).html;
}

/**
 * The block, within `max` (BULLETIN_BLOCK_MAX): when naming every comune would make it longer, the
 * line names as many as fit, in order, and says how many more ("e altri 78"); the text is never cut.
 */
export function renderBulletin(
  b: BulletinLike,
  t: Messages,
  now: Date,
  timeZone = "Europe/Rome",
  max = BULLETIN_BLOCK_MAX,
): RenderedBulletin {
  const stamp = formatStamp(new Date(b.publishedAt), now, timeZone);
  const head = html`${t.bulletinHeader(stamp)}\n${b.html ?? h(b.text)}`;
  const corrected = b.correctedAt && t.bulletinCorrected(formatStamp(new Date(b.correctedAt), now, timeZone));
  const notes = (b.notes ?? []).map((n) => t.bulletinLaterFigure(n.text, n.source));
  const block = (comuni?: string) =>
    joinHtml(
      [
        head,
        ...(comuni !== undefined ? [html`<i>${h(t.concerns)}: ${h(comuni)}</i>`] : []),
        ...(corrected ? [corrected] : []),
        ...notes,
      ],
      "\n",
    );
  const n = b.comuni.length;
  if (!n) return { html: block(), listed: 0, over: 0 };
  const all = block(b.comuni.join(", "));
  const over = textLength(all) - max;
  if (over <= 0) return { html: all, listed: n, over: 0 };
  // The most names that fit: each one more makes the line longer (a name is longer than a digit).
  const shortened = (k: number) => block(t.concernsMore(b.comuni.slice(0, k), n - k));
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textLength(shortened(mid)) <= max) lo = mid;
    else hi = mid - 1;
  }
  return { html: shortened(lo), listed: lo, over };
}

/**
 * A bulletin's first words, for the newsroom's reports and lists (plain text, not escaped): up to
 * `words` words and `max` characters, with "…" when cut.
 */
export function bulletinTitle(text: string, words = 8, max = 48): string {
  const all = text.replace(/\s+/g, " ").trim().split(" ");
  let title = all.slice(0, words).join(" ");
  let cut = all.length > words;
  if (title.length > max) {
    title = truncatePlain(title, max).slice(0, -1).trimEnd();
    cut = true;
  }
  return cut ? `${title}…` : title;
}

/** What a list of bulletins is about, and what the reader should know about its length. */
export interface LatestOptions {
  /** The comune they name (/ultime Genova): its own title, and its own line when there are none. */
  about?: string;
  /** More were asked for than this many, the most shown: said in one short line. */
  capped?: number;
}

/** Newest first. Returns blocks to pack into messages. */
export function latestView(
  bulletins: readonly BulletinLike[],
  t: Messages,
  now: Date,
  timeZone = "Europe/Rome",
  o: LatestOptions = {},
): Html[] {
  if (!bulletins.length) return [o.about === undefined ? t.noBulletins : t.noBulletinsAbout(o.about)];
  const title = o.about === undefined ? t.latestTitle : t.latestAbout(o.about);
  return [
    o.capped === undefined ? title : html`${title}\n${t.latestCapped(o.capped)}`,
    ...bulletins.map((b) => bulletinBlock(b, t, now, timeZone)),
  ];
}
