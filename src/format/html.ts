/** Telegram HTML: escaping, and keeping messages within Telegram's limits. */

export const TELEGRAM_TEXT_LIMIT = 4096;

/** Escapes text for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
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
export function quoteUser(text: string, max = 60): string {
  return escapeHtml(truncatePlain(stripControl(text).replace(/\s+/g, " ").trim(), max));
}

/**
 * Packs HTML blocks (each well-formed on its own) into messages of at most `limit` characters,
 * joining blocks with `sep`. A single block that is too long on its own is cut at a line break
 * where possible; blocks are built by us, so tags never span lines.
 */
export function packMessages(blocks: string[], limit = TELEGRAM_TEXT_LIMIT, sep = "\n\n"): string[] {
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
