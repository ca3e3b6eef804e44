/**
 * What Telegram checks in a message before sending it: the text (UTF-8, HTML parse mode, empty after
 * trimming, 4096 characters) and the reply markup (keyboard shapes, one action per button, 64 bytes
 * of callback_data, URLs).
 */
import { HtmlParseError, isSpaceCode, type ParsedEntity, parseTelegramHtml } from "./html.js";
import { badRequest, isRecord, jsonParam, stringParam } from "./protocol.js";

/** Telegram's limit on a message's text, after entities are parsed. */
export const MAX_TEXT_LENGTH = 4096;

const BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
] as const;

export interface FormattedText {
  /** The text as the bot sent it. */
  raw: string;
  /** The text as Telegram shows it: tags removed, entities decoded, trimmed. */
  text: string;
  entities: ParsedEntity[];
}

/** Parses a message's text in its parse mode as Telegram does; throws Telegram's 400 when it would refuse it. */
export function formatText(rawText: unknown, parseMode: unknown, strictEntities: boolean): FormattedText {
  const raw = stringParam(rawText);
  if (raw === undefined || raw.trim() === "") throw badRequest("message text is empty");
  if (!isWellFormed(raw)) throw badRequest("strings must be encoded in UTF-8");
  const mode = parseMode === undefined || parseMode === null ? "" : String(parseMode).toLowerCase();
  let parsed: { text: string; entities: ParsedEntity[] };
  if (mode === "html") {
    try {
      parsed = parseTelegramHtml(raw, { strictAmpersand: strictEntities });
    } catch (err) {
      if (err instanceof HtmlParseError) throw badRequest(`can't parse entities: ${err.message}`);
      throw err;
    }
  } else if (mode === "" || mode === "markdown" || mode === "markdownv2") {
    parsed = { text: raw, entities: [] };
  } else {
    throw badRequest("unsupported parse_mode");
  }
  const trimmed = trimFormatted(parsed.text, parsed.entities);
  if (trimmed.text === "") throw badRequest("message text is empty");
  if (trimmed.text.length > MAX_TEXT_LENGTH) throw badRequest("message is too long");
  return { raw, text: trimmed.text, entities: trimmed.entities };
}

/** Validates reply_markup and returns it as an object (undefined if absent). */
export function validateReplyMarkup(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const markup = jsonParam(value);
  if (!isRecord(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  if ("inline_keyboard" in markup) {
    const rows = markup.inline_keyboard;
    if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    }
    let total = 0;
    for (const row of rows as unknown[][]) {
      for (const button of row) {
        total++;
        validateInlineButton(button);
      }
    }
    if (total > 100) throw badRequest("BUTTONS_TOO_MUCH");
    return markup;
  }
  if ("keyboard" in markup) {
    const rows = markup.keyboard;
    if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
      throw badRequest('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays');
    }
    for (const row of rows as unknown[][]) {
      for (const b of row) {
        const text = typeof b === "string" ? b : isRecord(b) ? b.text : undefined;
        if (typeof text !== "string")
          throw badRequest('can\'t parse keyboard button: Field "text" must be of type String');
      }
    }
    return markup;
  }
  if ("remove_keyboard" in markup || "force_reply" in markup) return markup;
  throw badRequest("can't parse reply keyboard markup JSON object");
}

function validateInlineButton(button: unknown): void {
  if (!isRecord(button)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  if (typeof button.text !== "string") {
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  }
  const actions = BUTTON_ACTIONS.filter((a) => button[a] !== undefined && button[a] !== null);
  if (actions.length === 0)
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  if (actions.length > 1) {
    throw badRequest(
      `can't parse inline keyboard button: exactly one of the optional fields must be used, found ${actions.join(", ")}`,
    );
  }
  if (actions[0] === "callback_data") {
    const data = button.callback_data;
    if (typeof data !== "string" || data.length === 0 || Buffer.byteLength(data, "utf8") > 64) {
      throw badRequest("BUTTON_DATA_INVALID");
    }
  } else if (actions[0] === "url") {
    if (typeof button.url !== "string" || !validButtonUrl(button.url)) throw badRequest("BUTTON_URL_INVALID");
  }
}

function validButtonUrl(url: string): boolean {
  if (url.trim() === "") return false;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`;
  try {
    const u = new URL(withScheme);
    return u.protocol === "http:" || u.protocol === "https:" || u.protocol === "tg:" || u.protocol === "ton:";
  } catch {
    return false;
  }
}

function isWellFormed(s: string): boolean {
  const native = (s as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof native === "function") return native.call(s);
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function trimFormatted(text: string, entities: ParsedEntity[]): { text: string; entities: ParsedEntity[] } {
  let start = 0;
  let end = text.length;
  while (start < end && isSpaceCode(text.charCodeAt(start))) start++;
  while (end > start && isSpaceCode(text.charCodeAt(end - 1))) end--;
  if (start === 0 && end === text.length) return { text, entities };
  const out: ParsedEntity[] = [];
  for (const e of entities) {
    const s = Math.max(e.offset, start);
    const f = Math.min(e.offset + e.length, end);
    if (f > s) out.push({ ...e, offset: s - start, length: f - s });
  }
  return { text: text.slice(start, end), entities: out };
}
