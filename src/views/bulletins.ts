/** /ultime: the latest bulletins, all of them or those about one comune, each with its time. */
import { type Html, escapeHtml as h, html, joinHtml } from "../format/html.js";
import { formatStamp } from "../format/italian.js";
import type { Messages } from "../i18n/index.js";

/** What every view of a bulletin needs, whether it came from the data pack or the newsroom. */
export interface BulletinLike {
  publishedAt: string;
  text: string;
  comuni: string[];
}

/** One bulletin as a message block: its time (with the date when not today), text, comuni. */
export function bulletinBlock(b: BulletinLike, t: Messages, now: Date, timeZone = "Europe/Rome"): Html {
  const stamp = formatStamp(new Date(b.publishedAt), now, timeZone);
  const lines = [html`${t.bulletinHeader(stamp)}\n${h(b.text)}`];
  if (b.comuni.length) lines.push(html`<i>${h(t.concerns)}: ${h(b.comuni.join(", "))}</i>`);
  return joinHtml(lines, "\n");
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
