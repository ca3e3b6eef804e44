/** What the fake Bot API's users see: its options, what it records, and the bot it pretends to be. */
import type { UserFromGetMe } from "grammy/types";

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

/** What an observer of the fake is told of each message sent or edited (see FakeTelegram.observe). */
export interface ObservedMessage {
  method: "sendMessage" | "editMessageText";
  chat_id: number;
  message_id: number;
  /** Text as Telegram would display it. */
  plain: string;
  /** Date.now() when the call was accepted. */
  at: number;
}

export interface SentPhoto {
  message_id: number;
  chat_id: number;
  /** The PNG was uploaded (multipart); false when sent by a file_id Telegram already had. */
  uploaded: boolean;
  /** The file_id named, or the largest size's of an upload. */
  file_id: string;
  /** Bytes uploaded. */
  bytes?: number;
  /** The largest size Telegram keeps. */
  width: number;
  height: number;
  /** The caption as sent (raw HTML with parse_mode HTML). */
  caption?: string;
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

export interface PushUserOptions {
  /** Sender id. Default 1001. */
  userId?: number;
  /** Chat id. Default: the sender id (private chat). */
  chatId?: number;
  firstName?: string;
  username?: string;
  languageCode?: string;
}

/** Key used in FakeTelegram.commands for a scope and language code. */
export function commandsKey(scope?: BotCommandScopeLike, languageCode?: string): string {
  const s = scope ?? { type: "default" };
  let key = s.type;
  if (s.chat_id !== undefined) key += `:${s.chat_id}`;
  if (s.user_id !== undefined) key += `:${s.user_id}`;
  return `${key}|${languageCode ?? ""}`;
}
