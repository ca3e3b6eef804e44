/**
 * A fake Telegram Bot API server for tests and benchmarks.
 *
 * It listens on loopback and speaks the same HTTP/JSON protocol as
 * api.telegram.org, so grammY's real client can be pointed at it with
 * `new Bot(fake.token, { client: { apiRoot: fake.apiRoot } })`.
 *
 * Responses reproduce Telegram's shapes:
 *   success: {"ok":true,"result":...}
 *   error:   {"ok":false,"error_code":N,"description":"...","parameters":{...}}
 * with the HTTP status equal to error_code.
 *
 * Besides answering calls it records them (`calls`, `sent`), enforces
 * Telegram-like validation (HTML parse mode, lengths, keyboards, inline
 * results) and optional flood limits, and lets tests inject failures
 * (blocked chats, migrations, 5xx, dropped connections, 429).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import type { UserFromGetMe } from "grammy/types";

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export const DEFAULT_TOKEN = "123456:TEST-fake-token";
export const DEFAULT_BOT_USERNAME = "ElezioniTestBot";

/** What getMe answers for a bot with this id and username. */
export function botUser(id: number, username: string): UserFromGetMe {
  return {
    id,
    is_bot: true,
    first_name: "Elezioni",
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: true,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  } as UserFromGetMe;
}

export interface FakeTelegramOptions {
  /** Bot token accepted in the URL. Default "123456:TEST-fake-token". */
  token?: string;
  /** Username returned by getMe. Default "ElezioniTestBot". */
  botUsername?: string;
  /** Bot user id returned by getMe. Default: numeric prefix of the token, else 123456. */
  botId?: number;
  /** More than this many sendMessage calls in any sliding 1 s window -> 429. */
  globalPerSecond?: number;
  /** Per chat_id limit on sendMessage in a sliding 1 s window. */
  perChatPerSecond?: number;
  /** Per group (negative chat_id) limit on sendMessage in a sliding 60 s window. */
  perGroupPerMinute?: number;
  /**
   * Global limit used instead of globalPerSecond for sendMessage calls with
   * allow_paid_broadcast: true. Default 1000 when globalPerSecond is set,
   * otherwise paid broadcasts are unlimited unless this is set.
   */
  paidGlobalPerSecond?: number;
  /** Artificial delay (ms) before each call is processed and answered. Default 0. */
  latencyMs?: number;
  /** Keep every successful sendMessage/editMessageText in `sent`. Default true. */
  recordSent?: boolean;
  /** Keep every call in `calls`. Defaults to the value of recordSent. */
  recordCalls?: boolean;
  /**
   * Reject "&" that does not start &lt; &gt; &amp; &quot; or a numeric
   * reference. Real Telegram leaves such an "&" as literal text; the strict
   * default catches missing escaping. Default true.
   */
  strictHtmlEntities?: boolean;
  /** Monotonic clock in milliseconds used by the flood limiter. Default performance.now. */
  clock?: () => number;
}

export interface SentMessage {
  /** "sendMessage" or "editMessageText". */
  method: "sendMessage" | "editMessageText";
  message_id: number;
  chat_id: number;
  /** Text exactly as sent by the bot (raw HTML when parse_mode is HTML). */
  text: string;
  /** Text as Telegram would display it: tags removed, entities decoded, trimmed. */
  plain: string;
  parse_mode?: string;
  reply_markup?: unknown;
  params: Record<string, unknown>;
  /** Date.now() when the call was accepted. */
  at: number;
}

export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FakeStats {
  /** Every HTTP request, including 401/404 ones. */
  requests: number;
  /** Answers with status 429 (injected or from the flood limiter). */
  tooManyRequests: number;
  /** Answers with status >= 500. */
  serverErrors: number;
  /** Connections destroyed without an answer by dropNext. */
  dropped: number;
  /** Answers with status 403. */
  forbidden: number;
}

export interface BotCommandEntry {
  command: string;
  description: string;
}

export interface BotCommandScopeLike {
  type: string;
  chat_id?: number | string;
  user_id?: number;
}

export interface InlineAnswer {
  inline_query_id: string;
  results: Record<string, unknown>[];
  params: Record<string, unknown>;
  at: number;
}

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  params: Record<string, unknown>;
  at: number;
}

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

export interface PushUserOptions {
  /** Sender id. Default 1001. */
  userId?: number;
  /** Chat id. Default: the sender id (private chat). */
  chatId?: number;
  firstName?: string;
  username?: string;
  languageCode?: string;
}

// ---------------------------------------------------------------------------
// HTML parse mode
// ---------------------------------------------------------------------------

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

function isSpaceCode(c: number): boolean {
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

// ---------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------

type Params = Record<string, unknown>;

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);

/** Success answer carrying Telegram's optional "description" field. */
class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

/** Fixed-size ring of timestamps; gives the k-th most recent one in O(1). */
class TimeRing {
  private readonly buf: Float64Array;
  private head = 0;
  private size = 0;
  constructor(readonly capacity: number) {
    this.buf = new Float64Array(capacity);
  }
  push(t: number): void {
    this.buf[this.head] = t;
    this.head = (this.head + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }
  recent(k: number): number | undefined {
    if (k < 1 || k > this.size) return undefined;
    let idx = this.head - k;
    if (idx < 0) idx += this.capacity;
    return this.buf[idx];
  }
}

/** Sliding-window limiter per key; idle keys are pruned once per window. */
class KeyedLimiter {
  private readonly rings = new Map<number, TimeRing>();
  private lastSweep = Number.NEGATIVE_INFINITY;
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}
  /** Milliseconds to wait before another event for key is allowed (0 = allowed). */
  waitMs(key: number, now: number): number {
    if (now - this.lastSweep >= this.windowMs) this.sweep(now);
    const t = this.rings.get(key)?.recent(this.limit);
    if (t === undefined) return 0;
    const wait = t + this.windowMs - now;
    return Math.max(wait, 0);
  }
  record(key: number, now: number): void {
    let r = this.rings.get(key);
    if (r === undefined) {
      r = new TimeRing(this.limit);
      this.rings.set(key, r);
    }
    r.push(now);
  }
  get trackedKeys(): number {
    return this.rings.size;
  }
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [k, r] of this.rings) {
      const last = r.recent(1);
      if (last === undefined || now - last >= this.windowMs) this.rings.delete(k);
    }
  }
}

interface Fault {
  kind: "fail" | "drop" | "tooMany";
  remaining: number;
  status: number;
  description: string;
  retryAfter: number;
  methods?: Set<string>;
}

interface PendingPoll {
  res: ServerResponse;
  limit: number;
  timer: NodeJS.Timeout;
}

interface StoredMessage {
  date: number;
  signature: string;
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
  reject: (err: Error) => void;
}

const STATUS_TEXT: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

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

const COMMAND_SCOPES = new Set([
  "default",
  "all_private_chats",
  "all_group_chats",
  "all_chat_administrators",
  "chat",
  "chat_administrators",
  "chat_member",
]);

const DEFAULT_EXCLUDED_UPDATES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

const MAX_BODY_BYTES = 20 * 1024 * 1024;
const MAX_TEXT_LENGTH = 4096;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Telegram accepts JSON-serialized objects in any parameter; normalize. */
function jsonParam(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

function intParam(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

function boolParam(v: unknown): boolean {
  return v === true || v === "true" || v === 1 || v === "1";
}

function stringParam(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
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

/** Key used in FakeTelegram.commands for a scope and language code. */
export function commandsKey(scope?: BotCommandScopeLike, languageCode?: string): string {
  const s = scope ?? { type: "default" };
  let key = s.type;
  if (s.chat_id !== undefined) key += `:${s.chat_id}`;
  if (s.user_id !== undefined) key += `:${s.user_id}`;
  return `${key}|${languageCode ?? ""}`;
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

type Handler = (params: Params) => unknown;

export class FakeTelegram {
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  readonly sent: SentMessage[] = [];
  readonly calls: FakeCall[] = [];
  readonly stats: FakeStats = { requests: 0, tooManyRequests: 0, serverErrors: 0, dropped: 0, forbidden: 0 };
  /** Successful sendMessage calls per chat (kept even when recordSent is false). */
  readonly deliveredPerChat = new Map<number, number>();
  /** Number of calls per method name (every call, kept even when recordCalls is false). */
  readonly callCounts = new Map<string, number>();
  /** Commands set via setMyCommands, keyed by commandsKey(scope, language_code). */
  readonly commands = new Map<string, BotCommandEntry[]>();
  readonly inlineAnswers: InlineAnswer[] = [];
  readonly callbackAnswers: CallbackAnswer[] = [];

  private readonly server: Server;
  private readonly opts: FakeTelegramOptions;
  private readonly recordSent: boolean;
  private readonly recordCalls: boolean;
  private readonly strictEntities: boolean;
  private readonly latencyMs: number;
  private readonly clock: () => number;
  private readonly handlers = new Map<string, { name: string; fn: Handler }>();

  private _sentCount = 0;
  private _editCount = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private waiters: Waiter[] = [];

  // behaviours
  private readonly blocked = new Map<number, string>();
  private readonly notFound = new Set<number>();
  private readonly migrated = new Map<number, number>();
  private readonly admins = new Map<number, { ids: number[]; creator?: number }>();
  private readonly chatInfo = new Map<number, Record<string, unknown>>();
  private faults: Fault[] = [];

  // message state
  private readonly lastMessageId = new Map<number, number>();
  private readonly messages = new Map<string, StoredMessage>();
  private readonly sentByChat = new Map<number, SentMessage[]>();
  private readonly answeredCallbacks = new Set<string>();
  private readonly answeredInline = new Set<string>();

  // flood limits
  private globalRing: TimeRing | undefined;
  private perChat: KeyedLimiter | undefined;
  private perGroup: KeyedLimiter | undefined;
  private readonly globalLimit: number | undefined;
  private readonly paidLimit: number | undefined;

  // updates
  private updates: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private poll: PendingPoll | undefined;
  private allowedUpdates: Set<string> | undefined;
  private webhook: { url: string; params: Params } | undefined;
  private nextCallbackId = 1;

  private constructor(server: Server, apiRoot: string, opts: FakeTelegramOptions) {
    this.server = server;
    this.apiRoot = apiRoot;
    this.opts = opts;
    this.token = opts.token ?? DEFAULT_TOKEN;
    this.recordSent = opts.recordSent ?? true;
    this.recordCalls = opts.recordCalls ?? this.recordSent;
    this.strictEntities = opts.strictHtmlEntities ?? true;
    this.latencyMs = Math.max(0, opts.latencyMs ?? 0);
    this.clock = opts.clock ?? (() => performance.now());
    const tokenId = Number(this.token.split(":")[0]);
    this.botInfo = botUser(
      opts.botId ?? (Number.isSafeInteger(tokenId) && tokenId > 0 ? tokenId : 123456),
      opts.botUsername ?? DEFAULT_BOT_USERNAME,
    );
    const positive = (v: number | undefined): number | undefined =>
      v === undefined ? undefined : Math.max(1, Math.floor(v));
    this.globalLimit = positive(opts.globalPerSecond);
    this.paidLimit = positive(opts.paidGlobalPerSecond ?? (opts.globalPerSecond !== undefined ? 1000 : undefined));
    this.resetLimiters();
    this.registerHandlers();
  }

  /** Starts a server on 127.0.0.1 with an ephemeral port. */
  static async start(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    let instance: FakeTelegram | undefined;
    const server = createServer((req, res) => {
      if (instance) void instance.onRequest(req, res);
      else res.destroy();
    });
    // Long polls and idle keep-alive sockets must not be cut by the server.
    server.keepAliveTimeout = 0;
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    instance = new FakeTelegram(server, `http://127.0.0.1:${port}`, opts);
    return instance;
  }

  // ----- counters and inspection -------------------------------------------

  /** Successful sendMessage calls since start/reset. */
  get sentCount(): number {
    return this._sentCount;
  }

  /** Successful editMessageText calls since start/reset. */
  get editCount(): number {
    return this._editCount;
  }

  /** True while a getUpdates long poll is waiting for updates. */
  get isPolling(): boolean {
    return this.poll !== undefined;
  }

  /** Updates queued and not yet confirmed through getUpdates' offset. */
  get pendingUpdates(): number {
    return this.updates.length;
  }

  /** URL set with setWebhook, if any. */
  get webhookUrl(): string | undefined {
    return this.webhook?.url;
  }

  /** Number of keys the flood limiter currently tracks (for memory checks). */
  get limiterKeys(): number {
    return (this.perChat?.trackedKeys ?? 0) + (this.perGroup?.trackedKeys ?? 0);
  }

  /** Successful sendMessage/editMessageText to chatId (needs recordSent). */
  sentTo(chatId: number): SentMessage[] {
    return [...(this.sentByChat.get(chatId) ?? [])];
  }

  /** Commands stored for a scope and language code (empty if none). */
  getCommands(scope?: BotCommandScopeLike, languageCode?: string): BotCommandEntry[] {
    return this.commands.get(commandsKey(scope, languageCode)) ?? [];
  }

  /** Calls recorded for a method (needs recordCalls). */
  callsOf(method: string): FakeCall[] {
    const m = method.toLowerCase();
    return this.calls.filter((c) => c.method.toLowerCase() === m);
  }

  /**
   * Resolves once predicate() is true; it is re-checked when a call arrives,
   * after every answered call and after every pushed update. Rejects after
   * timeoutMs or on close().
   */
  waitUntil(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        check: predicate,
        resolve: () => {
          clearTimeout(timer);
          this.timers.delete(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          this.timers.delete(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`FakeTelegram.waitUntil: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      this.timers.add(timer);
      this.waiters.push(waiter);
    });
  }

  /** Resolves once sentCount >= count. */
  waitForSent(count: number, timeoutMs = 5000): Promise<void> {
    return this.waitUntil(() => this._sentCount >= count, timeoutMs);
  }

  // ----- behaviours ----------------------------------------------------------

  /**
   * Calls to chatId answer 403. Default description: "Forbidden: bot was
   * blocked by the user" for private chats, "Forbidden: bot was kicked from
   * the group chat" / "...supergroup chat" for negative ids.
   */
  blockChat(chatId: number, description?: string): void {
    let d =
      description ??
      (chatId > 0
        ? "Forbidden: bot was blocked by the user"
        : `Forbidden: bot was kicked from the ${this.chatType(chatId)} chat`);
    if (!d.startsWith("Forbidden")) d = `Forbidden: ${d}`;
    this.blocked.set(chatId, d);
  }

  unblockChat(chatId: number): void {
    this.blocked.delete(chatId);
  }

  /** Calls to chatId answer 400 "Bad Request: chat not found". */
  notFoundChat(chatId: number): void {
    this.notFound.add(chatId);
  }

  /** Calls to fromId answer 400 with parameters.migrate_to_chat_id = toId. */
  migrateChat(fromId: number, toId: number): void {
    this.migrated.set(fromId, toId);
    this.notFound.delete(toId);
    this.blocked.delete(toId);
  }

  /**
   * The next n calls answer with a 5xx (default 502 "Bad Gateway").
   * Pass methods to restrict the fault to some methods (e.g. "sendMessage"),
   * otherwise it also hits getUpdates of a polling bot.
   */
  failNext(n: number, status = 502, description?: string, methods?: string | string[]): void {
    this.addFault({
      kind: "fail",
      remaining: n,
      status,
      description: description ?? STATUS_TEXT[status] ?? "Internal Server Error",
      retryAfter: 0,
      methods: methodSet(methods),
    });
  }

  /** The next n calls get their connection destroyed without an answer. */
  dropNext(n: number, methods?: string | string[]): void {
    this.addFault({
      kind: "drop",
      remaining: n,
      status: 0,
      description: "",
      retryAfter: 0,
      methods: methodSet(methods),
    });
  }

  /** The next n calls answer 429 with parameters.retry_after = retryAfter. */
  tooManyNext(n: number, retryAfter: number, methods?: string | string[]): void {
    this.addFault({
      kind: "tooMany",
      remaining: n,
      status: 429,
      description: "",
      retryAfter,
      methods: methodSet(methods),
    });
  }

  /**
   * Administrators of chatId for getChatAdministrators/getChatMember. They
   * get status "administrator"; creatorId (added if missing) gets "creator".
   */
  setChatAdministrators(chatId: number, userIds: number[], creatorId?: number): void {
    const ids = [...userIds];
    if (creatorId !== undefined && !ids.includes(creatorId)) ids.unshift(creatorId);
    this.admins.set(chatId, { ids, creator: creatorId });
  }

  /** Extra fields merged into the Chat object returned for chatId (title, username...). */
  setChatInfo(chatId: number, info: Record<string, unknown>): void {
    this.chatInfo.set(chatId, { ...(this.chatInfo.get(chatId) ?? {}), ...info });
  }

  /** Queues an update for getUpdates; update_id is assigned if missing. Returns it. */
  pushUpdate(update: object): Record<string, unknown> {
    const u = { ...(update as Record<string, unknown>) };
    const given = intParam(u.update_id);
    if (given === undefined) u.update_id = this.nextUpdateId++;
    else {
      u.update_id = given;
      if (given >= this.nextUpdateId) this.nextUpdateId = given + 1;
    }
    const last = this.updates[this.updates.length - 1];
    this.updates.push(u);
    if (last !== undefined && (last.update_id as number) > (u.update_id as number)) {
      this.updates.sort((a, b) => (a.update_id as number) - (b.update_id as number));
    }
    this.servePendingPoll();
    this.runWaiters();
    return u;
  }

  /** Queues a text message from a user (bot_command entity added for "/cmd"). */
  pushMessage(text: string, opts: PushUserOptions = {}): Record<string, unknown> {
    const from = this.userObject(opts);
    const chatId = opts.chatId ?? from.id;
    const message: Record<string, unknown> = {
      message_id: this.nextMessageId(chatId),
      from,
      chat: this.chatObject(chatId, from),
      date: Math.floor(Date.now() / 1000),
      text,
    };
    const cmd = /^\/[^\s]+/.exec(text);
    if (cmd) message.entities = [{ type: "bot_command", offset: 0, length: cmd[0].length }];
    return this.pushUpdate({ message });
  }

  /** Queues a callback_query update for a button press on a bot message. */
  pushCallbackQuery(
    data: string,
    opts: PushUserOptions & { messageId?: number; id?: string } = {},
  ): Record<string, unknown> {
    const from = this.userObject(opts);
    const chatId = opts.chatId ?? from.id;
    const callback_query = {
      id: opts.id ?? String(this.nextCallbackId++),
      from,
      chat_instance: String(chatId),
      data,
      message: {
        message_id: opts.messageId ?? this.lastMessageId.get(chatId) ?? 1,
        from: this.botUser(),
        chat: this.chatObject(chatId, from),
        date: Math.floor(Date.now() / 1000),
        text: "",
      },
    };
    return this.pushUpdate({ callback_query });
  }

  /** Queues an inline_query update. */
  pushInlineQuery(
    query: string,
    opts: Omit<PushUserOptions, "chatId"> & { id?: string; offset?: string } = {},
  ): Record<string, unknown> {
    const inline_query = {
      id: opts.id ?? String(this.nextCallbackId++),
      from: this.userObject(opts),
      query,
      offset: opts.offset ?? "",
      chat_type: "private",
    };
    return this.pushUpdate({ inline_query });
  }

  /**
   * Clears recorded data (sent, calls, stats, counters, commands, answers),
   * behaviours, injected faults, flood-limit windows and queued updates.
   * update_id and message_id counters keep increasing; a pending long poll
   * stays pending.
   */
  reset(): void {
    this.sent.length = 0;
    this.calls.length = 0;
    this.stats.requests = 0;
    this.stats.tooManyRequests = 0;
    this.stats.serverErrors = 0;
    this.stats.dropped = 0;
    this.stats.forbidden = 0;
    this._sentCount = 0;
    this._editCount = 0;
    this.deliveredPerChat.clear();
    this.callCounts.clear();
    this.commands.clear();
    this.inlineAnswers.length = 0;
    this.callbackAnswers.length = 0;
    this.blocked.clear();
    this.notFound.clear();
    this.migrated.clear();
    this.admins.clear();
    this.chatInfo.clear();
    this.faults = [];
    this.messages.clear();
    this.sentByChat.clear();
    this.answeredCallbacks.clear();
    this.answeredInline.clear();
    this.updates = [];
    this.allowedUpdates = undefined;
    this.webhook = undefined;
    this.resetLimiters();
  }

  /** Answers a pending long poll with [], then closes the server and all sockets. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    const p = this.poll;
    if (p) {
      this.poll = undefined;
      clearTimeout(p.timer);
      this.sendOk(p.res, []);
    }
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new Error("FakeTelegram closed"));
    this.closing = new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      setImmediate(() => this.server.closeAllConnections());
    });
    return this.closing;
  }

  // ----- HTTP plumbing -------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests++;
    try {
      await this.handle(req, res);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, "Internal Server Error");
      this.sendError(res, e);
    }
    this.runWaiters();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const m = /^\/bot([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
    if (!m) {
      req.resume();
      throw new ApiError(404, "Not Found");
    }
    if (decodeURIComponent(m[1] ?? "") !== this.token) {
      req.resume();
      throw new ApiError(401, "Unauthorized");
    }
    const requested = m[2] ?? "";
    const handler = this.handlers.get(requested.toLowerCase());
    const method = handler?.name ?? requested;

    let params: Params;
    let parseFailure: ApiError | undefined;
    try {
      params = await this.readParams(req, url);
    } catch (err) {
      params = {};
      parseFailure = err instanceof ApiError ? err : badRequest("invalid request body");
    }

    this.callCounts.set(method, (this.callCounts.get(method) ?? 0) + 1);
    if (this.recordCalls) this.calls.push({ method, params, at: Date.now() });
    this.runWaiters();

    if (parseFailure) throw parseFailure;
    if (!handler) throw new ApiError(404, "Not Found");

    if (this.latencyMs > 0) {
      await this.delay(this.latencyMs);
      if (res.destroyed) return;
    }
    if (this.closed && method !== "getUpdates") throw new ApiError(502, "Bad Gateway");

    const fault = this.takeFault(method.toLowerCase());
    if (fault) {
      if (fault.kind === "drop") {
        this.stats.dropped++;
        req.socket.destroy();
        return;
      }
      if (fault.kind === "fail") throw new ApiError(fault.status, fault.description);
      throw tooMany(fault.retryAfter);
    }

    if (method === "getUpdates") {
      this.handleGetUpdates(params, res);
      return;
    }
    const result = handler.fn(params);
    if (result instanceof Described) this.sendOk(res, result.result, result.description);
    else this.sendOk(res, result);
  }

  private readParams(req: IncomingMessage, url: URL): Promise<Params> {
    const params: Params = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    const contentType = (req.headers["content-type"] ?? "").toLowerCase();
    return new Promise<Params>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      req.on("data", (chunk: Buffer) => {
        if (failed) return;
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          failed = true;
          reject(new ApiError(413, "Request Entity Too Large"));
          return;
        }
        chunks.push(chunk);
      });
      req.on("error", (err) => {
        if (!failed) {
          failed = true;
          reject(err);
        }
      });
      req.on("end", () => {
        if (failed) return;
        if (contentType.startsWith("multipart/form-data")) {
          reject(badRequest("multipart/form-data requests are not supported by this fake server; send JSON"));
          return;
        }
        const body = Buffer.concat(chunks).toString("utf8");
        if (body.trim() === "") {
          resolve(params);
          return;
        }
        if (contentType.startsWith("application/json") || contentType === "") {
          let parsed: unknown;
          try {
            parsed = JSON.parse(body);
          } catch {
            reject(badRequest("can't parse JSON request body"));
            return;
          }
          if (!isRecord(parsed)) {
            reject(badRequest("JSON request body must be an object"));
            return;
          }
          resolve(Object.assign(params, parsed));
          return;
        }
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
          for (const [k, v] of new URLSearchParams(body)) params[k] = v;
          resolve(params);
          return;
        }
        reject(badRequest(`unsupported Content-Type "${contentType}"`));
      });
    });
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private sendOk(res: ServerResponse, result: unknown, description?: string): void {
    const body: Record<string, unknown> = { ok: true, result };
    if (description !== undefined) body.description = description;
    this.write(res, 200, body);
  }

  private sendError(res: ServerResponse, e: ApiError): void {
    if (e.code === 429) this.stats.tooManyRequests++;
    else if (e.code >= 500) this.stats.serverErrors++;
    else if (e.code === 403) this.stats.forbidden++;
    const body: Record<string, unknown> = { ok: false, error_code: e.code, description: e.description };
    if (e.parameters) body.parameters = e.parameters;
    this.write(res, e.code, body);
  }

  private write(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed || res.writableEnded || res.headersSent) return;
    const data = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(data),
    });
    res.end(data);
  }

  private runWaiters(): void {
    if (this.waiters.length === 0) return;
    const remaining: Waiter[] = [];
    for (const w of this.waiters) {
      let done = false;
      try {
        done = w.check();
      } catch {
        done = false;
      }
      if (done) w.resolve();
      else remaining.push(w);
    }
    this.waiters = remaining;
  }

  private addFault(f: Fault): void {
    if (f.remaining > 0) this.faults.push(f);
  }

  private takeFault(method: string): Fault | undefined {
    for (let k = 0; k < this.faults.length; k++) {
      const f = this.faults[k];
      if (f === undefined || (f.methods && !f.methods.has(method))) continue;
      f.remaining--;
      if (f.remaining <= 0) this.faults.splice(k, 1);
      return f;
    }
    return undefined;
  }

  // ----- updates -------------------------------------------------------------

  private handleGetUpdates(params: Params, res: ServerResponse): void {
    if (this.webhook) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = intParam(params.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, intParam(params.limit) ?? 100));
    const timeout = Math.max(0, Number(params.timeout ?? 0) || 0);
    const allowed = jsonParam(params.allowed_updates);
    if (Array.isArray(allowed)) {
      this.allowedUpdates = allowed.length > 0 ? new Set(allowed.map(String)) : undefined;
    }
    this.confirmUpdates(offset);

    const previous = this.poll;
    if (previous) {
      this.poll = undefined;
      clearTimeout(previous.timer);
      this.timers.delete(previous.timer);
      this.sendError(
        previous.res,
        new ApiError(
          409,
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        ),
      );
    }

    const batch = this.takeBatch(limit);
    if (batch.length > 0 || timeout === 0 || this.closed) {
      this.sendOk(res, batch);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.poll === pending) {
        this.poll = undefined;
        this.sendOk(res, []);
      }
    }, timeout * 1000);
    this.timers.add(timer);
    const pending: PendingPoll = { res, limit, timer };
    this.poll = pending;
    res.on("close", () => {
      if (this.poll === pending) {
        this.poll = undefined;
        clearTimeout(timer);
        this.timers.delete(timer);
      }
    });
  }

  private confirmUpdates(offset: number): void {
    if (offset > 0) {
      let idx = 0;
      while (idx < this.updates.length && (this.updates[idx]?.update_id as number) < offset) idx++;
      if (idx > 0) this.updates.splice(0, idx);
    } else if (offset < 0) {
      const keep = -offset;
      if (this.updates.length > keep) this.updates.splice(0, this.updates.length - keep);
    }
  }

  private updateAllowed(u: Record<string, unknown>): boolean {
    for (const key of Object.keys(u)) {
      if (key === "update_id") continue;
      return this.allowedUpdates ? this.allowedUpdates.has(key) : !DEFAULT_EXCLUDED_UPDATES.has(key);
    }
    return true;
  }

  private takeBatch(limit: number): Record<string, unknown>[] {
    const before = this.updates.length;
    this.updates = this.updates.filter((u) => this.updateAllowed(u));
    if (this.updates.length === before && before === 0) return [];
    return this.updates.slice(0, limit);
  }

  private servePendingPoll(): void {
    const p = this.poll;
    if (!p) return;
    const batch = this.takeBatch(p.limit);
    if (batch.length === 0) return;
    this.poll = undefined;
    clearTimeout(p.timer);
    this.timers.delete(p.timer);
    this.sendOk(p.res, batch);
  }

  // ----- chats and users -----------------------------------------------------

  private chatType(chatId: number): "private" | "group" | "supergroup" {
    if (chatId > 0) return "private";
    return chatId <= -1_000_000_000_000 ? "supergroup" : "group";
  }

  private chatObject(chatId: number, user?: { first_name: string; username?: string }): Record<string, unknown> {
    const type = this.chatType(chatId);
    const base: Record<string, unknown> =
      type === "private"
        ? {
            id: chatId,
            first_name: user?.first_name ?? `Utente ${chatId}`,
            ...(user?.username ? { username: user.username } : {}),
            type,
          }
        : { id: chatId, title: `Gruppo ${chatId}`, type };
    const extra = this.chatInfo.get(chatId);
    return extra ? { ...base, ...extra, id: chatId } : base;
  }

  private botUser(): Record<string, unknown> {
    return { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username };
  }

  private userObject(opts: PushUserOptions): {
    id: number;
    is_bot: false;
    first_name: string;
    username?: string;
    language_code: string;
  } {
    const id = opts.userId ?? 1001;
    const u: { id: number; is_bot: false; first_name: string; username?: string; language_code: string } = {
      id,
      is_bot: false,
      first_name: opts.firstName ?? `Utente ${id}`,
      language_code: opts.languageCode ?? "it",
    };
    if (opts.username) u.username = opts.username;
    return u;
  }

  private memberUser(userId: number): Record<string, unknown> {
    return userId === this.botInfo.id ? this.botUser() : { id: userId, is_bot: false, first_name: `Utente ${userId}` };
  }

  private nextMessageId(chatId: number): number {
    const id = (this.lastMessageId.get(chatId) ?? 0) + 1;
    this.lastMessageId.set(chatId, id);
    return id;
  }

  private requireChatId(params: Params): number {
    const raw = params.chat_id;
    if (raw === undefined || raw === null || raw === "") throw badRequest("chat_id is empty");
    const id = intParam(raw);
    if (id === undefined || id === 0) throw badRequest("chat not found");
    return id;
  }

  /** Existence checks that Telegram does before looking at the content. */
  private checkChatExists(chatId: number): void {
    if (this.notFound.has(chatId)) throw badRequest("chat not found");
    const to = this.migrated.get(chatId);
    if (to !== undefined) {
      throw new ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: to });
    }
  }

  private checkChatWritable(chatId: number): void {
    const d = this.blocked.get(chatId);
    if (d !== undefined) throw new ApiError(403, d);
  }

  // ----- validation ----------------------------------------------------------

  private formatText(rawText: unknown, parseMode: unknown): { raw: string; text: string; entities: ParsedEntity[] } {
    const raw = stringParam(rawText);
    if (raw === undefined || raw.trim() === "") throw badRequest("message text is empty");
    if (!isWellFormed(raw)) throw badRequest("strings must be encoded in UTF-8");
    const mode = parseMode === undefined || parseMode === null ? "" : String(parseMode).toLowerCase();
    let parsed: { text: string; entities: ParsedEntity[] };
    if (mode === "html") {
      try {
        parsed = parseTelegramHtml(raw, { strictAmpersand: this.strictEntities });
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
  private validateReplyMarkup(value: unknown): Record<string, unknown> | undefined {
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
          this.validateInlineButton(button);
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

  private validateInlineButton(button: unknown): void {
    if (!isRecord(button))
      throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
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

  private formatSignature(text: string, entities: ParsedEntity[], markup: Record<string, unknown> | undefined): string {
    const inline = markup && "inline_keyboard" in markup ? markup : null;
    return `${text}\u0000${JSON.stringify(entities)}\u0000${JSON.stringify(inline)}`;
  }

  private messageObject(
    chatId: number,
    messageId: number,
    date: number,
    formatted: { text: string; entities: ParsedEntity[] },
    markup: Record<string, unknown> | undefined,
  ): Record<string, unknown> {
    const msg: Record<string, unknown> = {
      message_id: messageId,
      from: this.botUser(),
      chat: this.chatObject(chatId),
      date,
      text: formatted.text,
    };
    if (formatted.entities.length > 0) msg.entities = formatted.entities;
    if (markup && "inline_keyboard" in markup) msg.reply_markup = { inline_keyboard: markup.inline_keyboard };
    return msg;
  }

  private recordSentMessage(entry: SentMessage): void {
    if (!this.recordSent) return;
    this.sent.push(entry);
    let list = this.sentByChat.get(entry.chat_id);
    if (!list) {
      list = [];
      this.sentByChat.set(entry.chat_id, list);
    }
    list.push(entry);
  }

  // ----- flood limits --------------------------------------------------------

  private resetLimiters(): void {
    const cap = Math.max(this.globalLimit ?? 0, this.paidLimit ?? 0);
    this.globalRing = cap > 0 ? new TimeRing(cap) : undefined;
    const perChat = this.opts.perChatPerSecond;
    this.perChat = perChat !== undefined ? new KeyedLimiter(Math.max(1, Math.floor(perChat)), 1000) : undefined;
    const perGroup = this.opts.perGroupPerMinute;
    this.perGroup = perGroup !== undefined ? new KeyedLimiter(Math.max(1, Math.floor(perGroup)), 60_000) : undefined;
  }

  /** Throws 429 if sending to chatId now would exceed a limit; otherwise counts it. */
  private admitSend(chatId: number, paid: boolean): void {
    const now = this.clock();
    let wait = 0;
    const limit = paid ? this.paidLimit : this.globalLimit;
    if (this.globalRing && limit !== undefined) {
      const t = this.globalRing.recent(limit);
      if (t !== undefined && now - t < 1000) wait = Math.max(wait, t + 1000 - now);
    }
    if (this.perChat) wait = Math.max(wait, this.perChat.waitMs(chatId, now));
    if (this.perGroup && chatId < 0) wait = Math.max(wait, this.perGroup.waitMs(chatId, now));
    if (wait > 0) throw tooMany(Math.max(1, Math.ceil(wait / 1000)));
    this.globalRing?.push(now);
    this.perChat?.record(chatId, now);
    if (this.perGroup && chatId < 0) this.perGroup.record(chatId, now);
  }

  // ----- methods -------------------------------------------------------------

  private registerHandlers(): void {
    const h: Record<string, Handler> = {
      getMe: () => this.botInfo,
      deleteWebhook: (p) => this.deleteWebhook(p),
      setWebhook: (p) => this.setWebhook(p),
      getWebhookInfo: () => this.getWebhookInfo(),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => {
        const { key } = this.commandScope(p);
        return this.commands.get(key) ?? [];
      },
      deleteMyCommands: (p) => {
        const { key } = this.commandScope(p);
        this.commands.delete(key);
        return true;
      },
      sendMessage: (p) => this.sendMessage(p),
      editMessageText: (p) => this.editMessageText(p),
      editMessageReplyMarkup: (p) => this.editMessageReplyMarkup(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      answerInlineQuery: (p) => this.answerInlineQuery(p),
      sendChatAction: (p) => this.sendChatAction(p),
      getChat: (p) => this.getChat(p),
      getChatAdministrators: (p) => this.getChatAdministrators(p),
      getChatMember: (p) => this.getChatMember(p),
      leaveChat: (p) => this.leaveChat(p),
      close: () => true,
      logOut: () => true,
      // handled specially in handle(); listed so the name is known
      getUpdates: () => [],
    };
    for (const [name, fn] of Object.entries(h)) this.handlers.set(name.toLowerCase(), { name, fn });
  }

  private deleteWebhook(p: Params): Described {
    if (boolParam(p.drop_pending_updates)) this.updates = [];
    const had = this.webhook !== undefined;
    this.webhook = undefined;
    return new Described(true, had ? "Webhook was deleted" : "Webhook is already deleted");
  }

  private setWebhook(p: Params): Described {
    const url = stringParam(p.url) ?? "";
    if (boolParam(p.drop_pending_updates)) this.updates = [];
    if (url === "") {
      const had = this.webhook !== undefined;
      this.webhook = undefined;
      return new Described(true, had ? "Webhook was deleted" : "Webhook is already deleted");
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest("bad webhook: Failed to resolve host: Name or service not known");
    }
    if (parsed.protocol !== "https:") throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    const same = this.webhook?.url === url;
    this.webhook = { url, params: p };
    return new Described(true, same ? "Webhook is already set" : "Webhook was set");
  }

  private getWebhookInfo(): Record<string, unknown> {
    const info: Record<string, unknown> = {
      url: this.webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: this.updates.length,
    };
    if (this.webhook) {
      info.max_connections = intParam(this.webhook.params.max_connections) ?? 40;
      info.ip_address = "127.0.0.1";
      const allowed = jsonParam(this.webhook.params.allowed_updates);
      if (Array.isArray(allowed)) info.allowed_updates = allowed;
    }
    return info;
  }

  private commandScope(p: Params): { key: string } {
    const rawScope = jsonParam(p.scope);
    let scope: BotCommandScopeLike = { type: "default" };
    if (rawScope !== undefined && rawScope !== null) {
      if (!isRecord(rawScope) || typeof rawScope.type !== "string")
        throw badRequest("can't parse BotCommandScope JSON object");
      if (!COMMAND_SCOPES.has(rawScope.type)) throw badRequest("unsupported bot command scope type");
      scope = { type: rawScope.type };
      if (rawScope.type === "chat" || rawScope.type === "chat_administrators" || rawScope.type === "chat_member") {
        const chatId =
          intParam(rawScope.chat_id) ?? (typeof rawScope.chat_id === "string" ? rawScope.chat_id : undefined);
        if (chatId === undefined) throw badRequest("chat_id is empty");
        scope.chat_id = chatId;
      }
      if (rawScope.type === "chat_member") {
        const userId = intParam(rawScope.user_id);
        if (userId === undefined) throw badRequest("invalid user_id specified");
        scope.user_id = userId;
      }
    }
    const lang = stringParam(p.language_code) ?? "";
    if (lang !== "" && !/^[a-z]{2}$/.test(lang)) throw badRequest("invalid language code specified");
    return { key: commandsKey(scope, lang) };
  }

  private setMyCommands(p: Params): true {
    const commands = jsonParam(p.commands);
    if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object");
    if (commands.length > 100) throw badRequest("BOT_COMMANDS_TOO_MUCH");
    const list: BotCommandEntry[] = [];
    for (const c of commands) {
      if (!isRecord(c)) throw badRequest("can't parse BotCommand JSON object");
      const command = stringParam(c.command) ?? "";
      const description = stringParam(c.description) ?? "";
      if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
      if (description.trim().length === 0 || description.length > 256)
        throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
      list.push({ command, description });
    }
    const { key } = this.commandScope(p);
    if (list.length === 0) this.commands.delete(key);
    else this.commands.set(key, list);
    return true;
  }

  private sendMessage(p: Params): Record<string, unknown> {
    const chatId = this.requireChatId(p);
    this.checkChatExists(chatId);
    const formatted = this.formatText(p.text, p.parse_mode);
    const markup = this.validateReplyMarkup(p.reply_markup);
    this.checkChatWritable(chatId);
    this.admitSend(chatId, boolParam(p.allow_paid_broadcast));

    const messageId = this.nextMessageId(chatId);
    const date = Math.floor(Date.now() / 1000);
    this._sentCount++;
    this.deliveredPerChat.set(chatId, (this.deliveredPerChat.get(chatId) ?? 0) + 1);
    if (this.recordSent) {
      this.messages.set(`${chatId}:${messageId}`, {
        date,
        signature: this.formatSignature(formatted.text, formatted.entities, markup),
      });
      this.recordSentMessage({
        method: "sendMessage",
        message_id: messageId,
        chat_id: chatId,
        text: formatted.raw,
        plain: formatted.text,
        parse_mode: stringParam(p.parse_mode),
        reply_markup: markup,
        params: p,
        at: Date.now(),
      });
    }
    return this.messageObject(chatId, messageId, date, formatted, markup);
  }

  private editMessageText(p: Params): unknown {
    const inlineId = stringParam(p.inline_message_id);
    if (inlineId !== undefined && inlineId !== "") {
      this.formatText(p.text, p.parse_mode);
      this.validateReplyMarkup(p.reply_markup);
      this._editCount++;
      return true;
    }
    const chatId = this.requireChatId(p);
    const messageId = intParam(p.message_id);
    if (messageId === undefined) throw badRequest("message identifier is not specified");
    this.checkChatExists(chatId);
    const formatted = this.formatText(p.text, p.parse_mode);
    const markup = this.validateReplyMarkup(p.reply_markup);
    this.checkChatWritable(chatId);
    if (messageId <= 0 || messageId > (this.lastMessageId.get(chatId) ?? 0))
      throw badRequest("message to edit not found");
    const key = `${chatId}:${messageId}`;
    const stored = this.messages.get(key);
    const signature = this.formatSignature(formatted.text, formatted.entities, markup);
    if (stored && stored.signature === signature) {
      throw badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    const now = Math.floor(Date.now() / 1000);
    const date = stored?.date ?? now;
    this._editCount++;
    if (this.recordSent) {
      this.messages.set(key, { date, signature });
      this.recordSentMessage({
        method: "editMessageText",
        message_id: messageId,
        chat_id: chatId,
        text: formatted.raw,
        plain: formatted.text,
        parse_mode: stringParam(p.parse_mode),
        reply_markup: markup,
        params: p,
        at: Date.now(),
      });
    }
    return { ...this.messageObject(chatId, messageId, date, formatted, markup), edit_date: now };
  }

  /** Keyboard edits (e.g. paging through a list of buttons), newest last. */
  readonly markupEdits: { chat_id: number; message_id: number; reply_markup: unknown }[] = [];
  private readonly lastMarkup = new Map<string, string>();

  private editMessageReplyMarkup(p: Params): true {
    const chatId = this.requireChatId(p);
    const messageId = intParam(p.message_id);
    if (messageId === undefined) throw badRequest("message identifier is not specified");
    this.checkChatExists(chatId);
    const markup = this.validateReplyMarkup(p.reply_markup);
    this.checkChatWritable(chatId);
    if (messageId <= 0 || messageId > (this.lastMessageId.get(chatId) ?? 0))
      throw badRequest("message to edit not found");
    const key = `${chatId}:${messageId}`;
    const signature = JSON.stringify(markup ?? null);
    if (this.lastMarkup.get(key) === signature) {
      throw badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    this.lastMarkup.set(key, signature);
    this.markupEdits.push({ chat_id: chatId, message_id: messageId, reply_markup: markup });
    return true;
  }

  private answerCallbackQuery(p: Params): true {
    const id = stringParam(p.callback_query_id);
    if (!id) throw badRequest("QUERY_ID_INVALID");
    const text = stringParam(p.text);
    if (text !== undefined && text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
    if (this.answeredCallbacks.has(id)) {
      throw badRequest("query is too old and response timeout expired or query ID is invalid");
    }
    this.answeredCallbacks.add(id);
    const answer: CallbackAnswer = { callback_query_id: id, params: p, at: Date.now() };
    if (text !== undefined) answer.text = text;
    if (p.show_alert !== undefined) answer.show_alert = boolParam(p.show_alert);
    const url = stringParam(p.url);
    if (url !== undefined) answer.url = url;
    this.callbackAnswers.push(answer);
    return true;
  }

  private answerInlineQuery(p: Params): true {
    const id = stringParam(p.inline_query_id);
    if (!id) throw badRequest("QUERY_ID_INVALID");
    const results = jsonParam(p.results);
    if (!Array.isArray(results)) throw badRequest("can't parse inline query results JSON object");
    if (results.length > 50) throw badRequest("RESULTS_TOO_MUCH");
    const ids = new Set<string>();
    for (const r of results) {
      if (!isRecord(r)) throw badRequest("can't parse InlineQueryResult JSON object");
      const rid = stringParam(r.id);
      if (rid === undefined || rid.length === 0 || Buffer.byteLength(rid, "utf8") > 64)
        throw badRequest("RESULT_ID_INVALID");
      if (ids.has(rid)) throw badRequest("RESULT_ID_DUPLICATE");
      ids.add(rid);
      if (typeof r.type !== "string" || r.type === "")
        throw badRequest('can\'t parse InlineQueryResult: Field "type" must be of type String');
      const content = r.input_message_content;
      if (isRecord(content) && "message_text" in content) {
        this.formatText(content.message_text, content.parse_mode);
      }
      if (r.reply_markup !== undefined) this.validateReplyMarkup(r.reply_markup);
    }
    const next = stringParam(p.next_offset);
    if (next !== undefined && Buffer.byteLength(next, "utf8") > 64) throw badRequest("NEXT_OFFSET_INVALID");
    if (this.answeredInline.has(id)) {
      throw badRequest("query is too old and response timeout expired or query ID is invalid");
    }
    this.answeredInline.add(id);
    this.inlineAnswers.push({
      inline_query_id: id,
      results: results as Record<string, unknown>[],
      params: p,
      at: Date.now(),
    });
    return true;
  }

  private sendChatAction(p: Params): true {
    const chatId = this.requireChatId(p);
    this.checkChatExists(chatId);
    const action = stringParam(p.action);
    if (action === undefined || !CHAT_ACTIONS.has(action)) throw badRequest("wrong parameter action in request");
    this.checkChatWritable(chatId);
    return true;
  }

  private getChat(p: Params): Record<string, unknown> {
    const chatId = this.requireChatId(p);
    if (this.notFound.has(chatId)) throw badRequest("chat not found");
    return {
      ...this.chatObject(chatId),
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: {
        unlimited_gifts: false,
        limited_gifts: false,
        unique_gifts: false,
        premium_subscription: false,
      },
    };
  }

  private adminObject(chatId: number, userId: number): Record<string, unknown> | undefined {
    const a = this.admins.get(chatId);
    if (!a?.ids.includes(userId)) return undefined;
    const user = this.memberUser(userId);
    if (a.creator === userId) return { status: "creator", user, is_anonymous: false };
    return {
      status: "administrator",
      user,
      can_be_edited: false,
      is_anonymous: false,
      can_manage_chat: true,
      can_delete_messages: true,
      can_manage_video_chats: true,
      can_restrict_members: true,
      can_promote_members: false,
      can_change_info: true,
      can_invite_users: true,
      can_post_stories: false,
      can_edit_stories: false,
      can_delete_stories: false,
      can_pin_messages: true,
    };
  }

  private getChatAdministrators(p: Params): Record<string, unknown>[] {
    const chatId = this.requireChatId(p);
    if (this.notFound.has(chatId)) throw badRequest("chat not found");
    if (chatId > 0) throw badRequest("there are no administrators in the private chat");
    const a = this.admins.get(chatId);
    if (!a) return [];
    return a.ids.map((id) => this.adminObject(chatId, id)).filter((x): x is Record<string, unknown> => x !== undefined);
  }

  private getChatMember(p: Params): Record<string, unknown> {
    const chatId = this.requireChatId(p);
    if (this.notFound.has(chatId)) throw badRequest("chat not found");
    const userId = intParam(p.user_id);
    if (userId === undefined || userId <= 0) throw badRequest("invalid user_id specified");
    return this.adminObject(chatId, userId) ?? { status: "member", user: this.memberUser(userId) };
  }

  private leaveChat(p: Params): true {
    const chatId = this.requireChatId(p);
    if (this.notFound.has(chatId)) throw badRequest("chat not found");
    if (chatId > 0) throw badRequest("chat member status can't be changed in private chats");
    this.blocked.set(chatId, `Forbidden: bot is not a member of the ${this.chatType(chatId)} chat`);
    return true;
  }
}

function tooMany(retryAfter: number): ApiError {
  const s = Math.max(1, Math.ceil(retryAfter));
  return new ApiError(429, `Too Many Requests: retry after ${s}`, { retry_after: s });
}

function methodSet(methods: string | string[] | undefined): Set<string> | undefined {
  if (methods === undefined) return undefined;
  const list = Array.isArray(methods) ? methods : [methods];
  return new Set(list.map((m) => m.toLowerCase()));
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
