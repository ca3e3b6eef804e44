/**
 * The newsroom's formatting, taken from Telegram's own message entities: an editor types
 * `/pubblica` and makes words bold, italic or a link in the client, and the message arrives as plain
 * text plus entities. Here a stretch of that text becomes the bulletin's Telegram HTML, built by us:
 * every character escaped, only the tags below, links only to http(s) addresses.
 *
 * Offsets are in UTF-16 code units, as Telegram counts them and as JavaScript strings are indexed,
 * relative to the whole message text (the command included).
 */
import { escapeHtml, type Html, trusted } from "./html.js";

/** The part of Telegram's MessageEntity read here. */
export interface TextEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
}

/** A stretch of a message as the bulletin keeps it: the text subscribers read, and its HTML. */
export interface FormattedText {
  /** The visible text, control characters removed. */
  plain: string;
  /** The same text in Telegram HTML, with the formatting the editor gave it. */
  html: Html;
}

interface Tag {
  open: string;
  close: string;
  start: number;
  end: number;
  /** Tie-break between tags over the same stretch: a stable order keeps the output stable. */
  rank: number;
}

/** Entity types kept as formatting, and their tags; every other type (mentions, hashtags…) stays plain text. */
const TAGS: Record<string, { name: string; rank: number }> = {
  bold: { name: "b", rank: 1 },
  italic: { name: "i", rank: 2 },
  underline: { name: "u", rank: 3 },
  strikethrough: { name: "s", rank: 4 },
  spoiler: { name: "tg-spoiler", rank: 5 },
  // A code block becomes code on each of its lines (tags never span lines, see below).
  code: { name: "code", rank: 6 },
  pre: { name: "code", rank: 6 },
};

/** The address of a link the bulletin may carry: http or https only, else undefined. */
export function safeLink(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  return u.protocol === "http:" || u.protocol === "https:" ? u.href : undefined;
}

/** Whether an entity becomes formatting here (the others, mentions, hashtags…, stay plain text). */
export function isFormatting(e: TextEntity): boolean {
  return e.type === "text_link" || Object.hasOwn(TAGS, e.type);
}

function tagOf(e: TextEntity, start: number, end: number): Tag | undefined {
  if (e.type === "text_link") {
    const href = safeLink(e.url);
    return href ? { open: `<a href="${escapeHtml(href)}">`, close: "</a>", start, end, rank: 0 } : undefined;
  }
  const t = TAGS[e.type];
  return t && { open: `<${t.name}>`, close: `</${t.name}>`, start, end, rank: t.rank };
}

/**
 * Control and invisible characters dropped from bulletins, as `stripControl` does, except the zero
 * width joiners (U+200C, U+200D), which hold emoji sequences such as 👨‍👩‍👧 together.
 */
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u200E\u200F\u2028-\u202E\u2066-\u2069\uFEFF]/g;

/** The text without the characters a bulletin must not carry (see CONTROL). */
export function cleanText(text: string): string {
  return text.replace(CONTROL, "");
}

/**
 * The stretch from `start` to `end` without the blanks and invisible characters at its ends: what
 * the bulletin keeps of it, so that neither its text nor its HTML starts or ends with nothing.
 */
export function visibleRange(text: string, start = 0, end = text.length): { start: number; end: number } {
  const blank = (c: string) => /\s/u.test(c) || cleanText(c) === "";
  let s = start;
  let e = end;
  while (s < e && blank(text[s]!)) s++;
  while (e > s && blank(text[e - 1]!)) e--;
  return { start: s, end: e };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * The text from `start` to `end` (UTF-16 offsets into `text`) with its entities as Telegram HTML.
 *
 * Tags are closed before every line break and opened again after it, so a tag never spans lines
 * (messages are split at line breaks when too long). Entities that overlap without nesting are
 * closed and reopened where needed, so the HTML is always well formed; formatting inside code is
 * dropped (Telegram shows none there).
 */
export function entitiesToHtml(
  text: string,
  entities: readonly TextEntity[] = [],
  start = 0,
  end = text.length,
): FormattedText {
  // A boundary between the two halves of a surrogate pair would cut a character in two.
  const snap = (i: number) =>
    i > 0 && i < text.length && isLow(text.charCodeAt(i)) && isHigh(text.charCodeAt(i - 1)) ? i + 1 : i;
  const tags: Tag[] = [];
  for (const e of entities) {
    const s = snap(Math.max(start, e.offset));
    const f = snap(Math.min(end, e.offset + e.length));
    if (f <= s) continue;
    const tag = tagOf(e, s, f);
    if (tag) tags.push(tag);
  }
  // Outer first: earlier start, then longer, then a fixed rank.
  tags.sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);

  const cuts = new Set<number>([start, end]);
  for (const t of tags) cuts.add(t.start).add(t.end);
  for (let i = text.indexOf("\n", start); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) cuts.add(i).add(i + 1);
  const points = [...cuts].filter((p) => p >= start && p <= end).sort((a, b) => a - b);

  let plain = "";
  let html = "";
  let open: Tag[] = [];
  const moveTo = (want: Tag[]) => {
    let keep = 0;
    while (keep < open.length && keep < want.length && open[keep] === want[keep]) keep++;
    for (let i = open.length - 1; i >= keep; i--) html += open[i]!.close;
    for (let i = keep; i < want.length; i++) html += want[i]!.open;
    open = want;
  };
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    const piece = cleanText(text.slice(a, b));
    if (piece === "\n" || piece === "") {
      moveTo([]);
      plain += piece;
      html += piece;
      continue;
    }
    // Every boundary of every tag is a cut: a tag covers a piece whole or not at all.
    let active = tags.filter((t) => t.start <= a && t.end >= b);
    const code = active.find((t) => t.open === "<code>");
    if (code) active = [code];
    moveTo(active);
    plain += piece;
    html += escapeHtml(piece);
  }
  moveTo([]);
  // Safe as Telegram HTML: every character of the text went through escapeHtml, the tags are the
  // fixed ones of TAGS (and <a> with an escaped http(s) address), opened and closed here in order.
  return { plain, html: trusted(html) };
}
