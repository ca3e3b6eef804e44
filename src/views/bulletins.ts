/** /ultime: the latest bulletins, all of them or those about one comune, each with its time. */
import { type Html, escapeHtml as h, html, joinHtml, truncatePlain } from "../format/html.js";
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
}

/** One bulletin as a message block: its time (with the date when not today), text, comuni, and a correction's time. */
export function bulletinBlock(b: BulletinLike, t: Messages, now: Date, timeZone = "Europe/Rome"): Html {
  const stamp = formatStamp(new Date(b.publishedAt), now, timeZone);
  const lines = [html`${t.bulletinHeader(stamp)}\n${b.html ?? h(b.text)}`];
  if (b.comuni.length) lines.push(html`<i>${h(t.concerns)}: ${h(b.comuni.join(", "))}</i>`);
  if (b.correctedAt) lines.push(t.bulletinCorrected(formatStamp(new Date(b.correctedAt), now, timeZone)));
  return joinHtml(lines, "\n");
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
