/**
 * Telegram HTML: a type for it, escaping, and keeping messages within Telegram's limits.
 *
 * `Html` is a string the compiler knows to be Telegram HTML: every plain value in it went through
 * `escapeHtml`. It is made only here (`html`, `escapeHtml`, `joinHtml`, `quoteUser`, `packMessages`,
 * and `trusted` for markup known in advance), so a plain string handed to a send with
 * `parse_mode: "HTML"` is a type error rather than a message Telegram refuses or misreads.
 *
 * The brand exists only in types: at run time an `Html` is the string itself, so it goes to grammY, to
 * logs and to tests as any string does. For the same reason the `html` tag cannot tell a plain string
 * from an `Html` one at run time, and does not guess: it accepts only `Html` (and numbers) in its
 * holes, and plain text goes in through `escapeHtml` (imported as `h`), which the compiler checks.
 */

export const TELEGRAM_TEXT_LIMIT = 4096;

declare const brand: unique symbol;

/** Telegram HTML: tags we wrote, and text escaped by `escapeHtml`. A string at run time. */
export type Html = string & { readonly [brand]: "Html" };

/**
 * Text that is not HTML: any string but an `Html` one. Functions that escape what they are given take
 * this, so that passing them HTML already escaped (which would show `&amp;amp;` to the user) does not compile.
 */
export type PlainText = string & { readonly [brand]?: never };

/** What the `html` tag accepts in its holes: HTML, numbers (nothing to escape), and the empty string. */
export type HtmlPart = Html | number | "" | readonly Html[];

/**
 * Builds Telegram HTML. The template's own text is markup written here; the holes take `Html`
 * (arrays of it are joined with nothing between), numbers and `""`. A plain string in a hole does not
 * compile: write `${h(text)}`.
 *
 * @example html`🏛 <b>${h(comune.name)}</b>: ${count} comuni`
 */
export function html(strings: TemplateStringsArray, ...parts: HtmlPart[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    out += (typeof part === "object" ? part.join("") : String(part)) + strings[i + 1];
  }
  return out as Html;
}

/** Escapes text for Telegram's HTML parse mode. */
export function escapeHtml(text: PlainText): Html {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;") as Html;
}

/** Joins HTML with a plain separator ("\n", " · "), which is escaped. */
export function joinHtml(parts: readonly Html[], sep: PlainText): Html {
  return parts.join(escapeHtml(sep)) as Html;
}

/**
 * Markup taken as it is, unchecked: only for text whose markup is known when it is written (a constant,
 * or what a sender already marked as HTML). Keep its uses few; `grep -rn "trusted("` lists them.
 */
export function trusted(markup: string): Html {
  return markup as Html;
}

/**
 * How long Telegram counts a message of this HTML against TELEGRAM_TEXT_LIMIT: its text after the
 * entities are parsed (tags dropped, character references decoded), in UTF-16 units.
 */
export function textLength(markup: Html): number {
  return htmlToText(markup).length;
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** Decodes the character references Telegram's HTML mode knows: &lt; &gt; &amp; &quot; and numeric ones. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot);/gi, (_, e: string) => {
    if (e[0] === "#")
      return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return NAMED[e.toLowerCase()] ?? _;
  });
}

/**
 * The text a reader sees in some HTML: tags dropped, entities decoded. For the places Telegram shows
 * plain text (a callback answer) when the message is one of the HTML ones.
 */
export function htmlToText(markup: Html): string {
  return decodeEntities(markup.replace(/<[^>]*>/g, ""));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2066-\u2069\uFEFF]/g;

/** Drops control characters (keeps newlines and tabs) so echoed input never breaks a message. */
export function stripControl(text: string): string {
  return text.replace(CONTROL, "");
}

/** Shortens plain text to at most max characters (UTF-16 units), ending in "…", never splitting a surrogate pair. */
export function truncatePlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** User-supplied text made safe to echo: control characters removed, shortened, escaped. */
export function quoteUser(text: string, max = 60): Html {
  return escapeHtml(truncatePlain(stripControl(text).replace(/\s+/g, " ").trim(), max));
}

/**
 * Packs HTML blocks (each well-formed on its own) into messages of at most `limit` characters,
 * joining blocks with `sep`. A single block that is too long on its own is cut at a line break
 * where possible; blocks are built by us, so tags never span lines.
 */
export function packMessages(blocks: readonly Html[], limit?: number, sep?: PlainText): Html[];
/** Plain text packs the same way (a plain message has the same limit). */
export function packMessages(blocks: readonly string[], limit?: number, sep?: string): string[];
export function packMessages(blocks: readonly string[], limit = TELEGRAM_TEXT_LIMIT, sep = "\n\n"): string[] {
  const out: string[] = [];
  let cur = "";
  const flush = () => {
    if (cur) out.push(cur);
    cur = "";
  };
  for (const block of blocks.flatMap((b) => (b.length > limit ? splitLongBlock(b, limit) : [b]))) {
    if (!cur) cur = block;
    else if (cur.length + sep.length + block.length <= limit) cur += sep + block;
    else {
      flush();
      cur = block;
    }
  }
  flush();
  return out;
}

function splitLongBlock(block: string, limit: number): string[] {
  const lines = block.split("\n");
  const out: string[] = [];
  let cur = "";
  for (const line of lines) {
    const safe = line.length > limit ? cutEscaped(line, limit) : line;
    if (!cur) cur = safe;
    else if (cur.length + 1 + safe.length <= limit) cur += `\n${safe}`;
    else {
      out.push(cur);
      cur = safe;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Cuts one line of escaped text (no tags) without breaking an entity like &amp;. */
function cutEscaped(line: string, limit: number): string {
  let cut = limit - 1;
  const amp = line.lastIndexOf("&", cut);
  if (amp !== -1 && line.indexOf(";", amp) >= cut) cut = amp;
  const code = line.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${line.slice(0, cut)}…`;
}
