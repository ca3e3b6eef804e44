/**
 * Telegram's HTML parse mode, as the Bot API applies it: the supported tags and attributes, entity
 * decoding, and the error texts Telegram answers for invalid markup. The fake rejects every message
 * whose HTML Telegram would reject.
 */

export interface ParsedEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export interface HtmlParseOptions {
  /** See FakeTelegramOptions.strictHtmlEntities. Default true. */
  strictAmpersand?: boolean;
}

/** Thrown by parseTelegramHtml/htmlToPlain; `message` is Telegram's reason text. */
export class HtmlParseError extends Error {
  constructor(
    message: string,
    readonly byteOffset?: number,
  ) {
    super(message);
    this.name = "HtmlParseError";
  }
}

const SUPPORTED_TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "tg-emoji",
  "code",
  "pre",
  "blockquote",
]);

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

interface OpenTag {
  tag: string;
  begin: number;
  outStart: number;
  href?: string;
  language?: string;
  emojiId?: string;
  expandable: boolean;
}

export function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

function byteOffset(s: string, index: number): number {
  return Buffer.byteLength(s.slice(0, index), "utf8");
}

function parseError(reason: string, html: string, index: number): HtmlParseError {
  const off = byteOffset(html, index);
  return new HtmlParseError(`${reason} at byte offset ${off}`, off);
}

function decodeEntity(html: string, pos: number, strict: boolean): { value: string; end: number } {
  const n = html.length;
  let end = pos + 1;
  let value: string | undefined;
  if (html.charCodeAt(end) === 35 /* # */) {
    end++;
    let hex = false;
    const x = html.charCodeAt(end);
    if (x === 120 || x === 88) {
      hex = true;
      end++;
    }
    const digitsStart = end;
    let cp = 0;
    let overflow = false;
    while (end < n) {
      const c = html.charCodeAt(end);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (hex && c >= 97 && c <= 102) d = c - 87;
      else if (hex && c >= 65 && c <= 70) d = c - 55;
      else break;
      cp = cp * (hex ? 16 : 10) + d;
      if (cp > 0x10ffff) overflow = true;
      end++;
    }
    if (end > digitsStart && !overflow && cp !== 0 && !(cp >= 0xd800 && cp <= 0xdfff)) {
      value = String.fromCodePoint(cp);
    }
  } else {
    while (end < n) {
      const c = html.charCodeAt(end);
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) end++;
      else break;
    }
    value = NAMED_ENTITIES[html.slice(pos + 1, end)];
  }
  if (value === undefined) {
    if (!strict) return { value: "&", end: pos + 1 };
    const shownEnd = Math.min(html.charCodeAt(end) === 59 ? end + 1 : end, pos + 32);
    throw parseError(`Unknown HTML entity "${html.slice(pos, shownEnd)}"`, html, pos);
  }
  if (html.charCodeAt(end) === 59 /* ; */) end++;
  return { value, end };
}

function entityFor(open: OpenTag, offset: number, length: number): ParsedEntity | undefined {
  switch (open.tag) {
    case "b":
    case "strong":
      return { type: "bold", offset, length };
    case "i":
    case "em":
      return { type: "italic", offset, length };
    case "u":
    case "ins":
      return { type: "underline", offset, length };
    case "s":
    case "strike":
    case "del":
      return { type: "strikethrough", offset, length };
    case "span":
    case "tg-spoiler":
      return { type: "spoiler", offset, length };
    case "a":
      return { type: "text_link", offset, length, url: open.href ?? "" };
    case "code":
      return { type: "code", offset, length };
    case "pre":
      return open.language ? { type: "pre", offset, length, language: open.language } : { type: "pre", offset, length };
    case "blockquote":
      return { type: open.expandable ? "expandable_blockquote" : "blockquote", offset, length };
    case "tg-emoji":
      return { type: "custom_emoji", offset, length, custom_emoji_id: open.emojiId ?? "" };
    default:
      return undefined;
  }
}

/**
 * Parses text in Telegram's HTML parse mode. Returns the plain text (tags
 * removed, entities decoded, not trimmed) and the message entities with
 * UTF-16 offsets. Throws HtmlParseError with Telegram's reason on invalid input.
 */
export function parseTelegramHtml(
  html: string,
  options: HtmlParseOptions = {},
): { text: string; entities: ParsedEntity[] } {
  const strict = options.strictAmpersand ?? true;
  const n = html.length;
  const stack: OpenTag[] = [];
  const entities: ParsedEntity[] = [];
  let out = "";
  let i = 0;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (c === 38 /* & */) {
      const r = decodeEntity(html, i, strict);
      out += r.value;
      i = r.end;
      continue;
    }
    if (c !== 60 /* < */) {
      let j = i + 1;
      while (j < n) {
        const d = html.charCodeAt(j);
        if (d === 60 || d === 38) break;
        j++;
      }
      out += html.slice(i, j);
      i = j;
      continue;
    }

    const begin = i;
    if (html.charCodeAt(i + 1) !== 47 /* / */) {
      // start tag
      let j = i + 1;
      while (j < n && !isSpaceCode(html.charCodeAt(j)) && html.charCodeAt(j) !== 62) j++;
      if (j >= n) throw parseError("Unclosed start tag", html, begin);
      const tag = html.slice(i + 1, j).toLowerCase();
      if (!SUPPORTED_TAGS.has(tag)) throw parseError(`Unsupported start tag "${tag}"`, html, begin);
      const open: OpenTag = { tag, begin, outStart: 0, expandable: false };
      let spanClass: string | undefined;
      for (;;) {
        while (j < n && isSpaceCode(html.charCodeAt(j))) j++;
        if (j >= n) throw parseError("Unclosed start tag", html, begin);
        if (html.charCodeAt(j) === 62 /* > */) break;
        const attrBegin = j;
        while (j < n) {
          const d = html.charCodeAt(j);
          if (isSpaceCode(d) || d === 61 /* = */ || d === 62) break;
          j++;
        }
        const attr = html.slice(attrBegin, j).toLowerCase();
        if (attr === "") throw parseError(`Empty attribute name in the tag "${tag}"`, html, begin);
        while (j < n && isSpaceCode(html.charCodeAt(j))) j++;
        if (j >= n) throw parseError("Unclosed start tag", html, begin);
        if (html.charCodeAt(j) !== 61) {
          if (tag === "blockquote" && attr === "expandable") {
            open.expandable = true;
            continue;
          }
          throw parseError(`Expected equal sign in declaration of an attribute of the tag "${tag}"`, html, begin);
        }
        j++;
        while (j < n && isSpaceCode(html.charCodeAt(j))) j++;
        if (j >= n) throw parseError("Unclosed start tag", html, begin);
        let value = "";
        const q = html.charCodeAt(j);
        if (q !== 34 && q !== 39) {
          const vb = j;
          while (j < n && !isSpaceCode(html.charCodeAt(j)) && html.charCodeAt(j) !== 62) j++;
          if (j >= n) throw parseError("Unclosed start tag", html, begin);
          value = html.slice(vb, j);
        } else {
          j++;
          while (j < n && html.charCodeAt(j) !== q) {
            if (html.charCodeAt(j) === 38) {
              const r = decodeEntity(html, j, strict);
              value += r.value;
              j = r.end;
            } else {
              value += html[j];
              j++;
            }
          }
          if (j >= n) throw parseError("Unclosed start tag", html, begin);
          j++;
        }
        if (tag === "a" && attr === "href") open.href = value;
        else if (tag === "span" && attr === "class") spanClass = value;
        else if (tag === "code" && attr === "class" && value.startsWith("language-")) {
          open.language = value.slice("language-".length);
        } else if (tag === "tg-emoji" && attr === "emoji-id") open.emojiId = value;
        else if (tag === "blockquote" && attr === "expandable") open.expandable = true;
      }
      j++; // the closing ">"
      if (tag === "span" && spanClass !== "tg-spoiler") {
        throw parseError(`Tag "span" must have class "tg-spoiler"`, html, begin);
      }
      if (tag === "a" && !open.href) throw parseError(`Tag "a" must have attribute "href"`, html, begin);
      if (tag === "tg-emoji" && !open.emojiId) {
        throw parseError(`Tag "tg-emoji" must have attribute "emoji-id"`, html, begin);
      }
      open.outStart = out.length;
      stack.push(open);
      i = j;
    } else {
      // end tag
      let j = i + 2;
      while (j < n && !isSpaceCode(html.charCodeAt(j)) && html.charCodeAt(j) !== 62) j++;
      const endTag = html.slice(i + 2, j).toLowerCase();
      while (j < n && isSpaceCode(html.charCodeAt(j))) j++;
      if (j >= n || html.charCodeAt(j) !== 62) throw parseError("Unclosed end tag", html, begin);
      const open = stack.pop();
      if (open === undefined) throw parseError("Unexpected end tag", html, begin);
      if (endTag !== "" && endTag !== open.tag) {
        throw new HtmlParseError(
          `Unmatched end tag at byte offset ${byteOffset(html, begin)}, expected "</${open.tag}>", found "</${endTag}>"`,
          byteOffset(html, begin),
        );
      }
      const length = out.length - open.outStart;
      const parent = stack[stack.length - 1];
      if (open.tag === "code" && open.language !== undefined && parent?.tag === "pre") {
        parent.language = open.language;
      } else if (length > 0) {
        const e = entityFor(open, open.outStart, length);
        if (e) entities.push(e);
      }
      i = j + 1;
    }
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed !== undefined) {
    throw new HtmlParseError(
      `Can't find end tag corresponding to start tag "${unclosed.tag}"`,
      byteOffset(html, unclosed.begin),
    );
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

/**
 * Parses Telegram HTML and returns the decoded plain text (not trimmed).
 * Throws HtmlParseError (an Error) whose message is Telegram's reason, e.g.
 * `Unsupported start tag "foo" at byte offset 0`.
 */
export function htmlToPlain(html: string, options?: HtmlParseOptions): string {
  return parseTelegramHtml(html, options).text;
}
