import { escapeHtml as h } from "../format/html.js";
import { formatStamp } from "../format/italian.js";
import type { Messages } from "../i18n/index.js";

/** What every view of a bulletin needs, whether it came from the data pack or the newsroom. */
export interface BulletinLike {
  publishedAt: string;
  text: string;
  comuni: string[];
}

/** One bulletin as a message block: its time (with the date when not today), text, comuni. */
export function bulletinBlock(b: BulletinLike, t: Messages, now: Date, timeZone = "Europe/Rome"): string {
  const stamp = formatStamp(new Date(b.publishedAt), now, timeZone);
  const lines = [`${t.bulletinHeader(stamp)}\n${h(b.text)}`];
  if (b.comuni.length) lines.push(`<i>${t.concerns}: ${h(b.comuni.join(", "))}</i>`);
  return lines.join("\n");
}

/** Newest first. Returns blocks to pack into messages. */
export function latestView(
  bulletins: readonly BulletinLike[],
  t: Messages,
  now: Date,
  timeZone = "Europe/Rome",
): string[] {
  if (!bulletins.length) return [t.noBulletins];
  return [t.latestTitle, ...bulletins.map((b) => bulletinBlock(b, t, now, timeZone))];
}
