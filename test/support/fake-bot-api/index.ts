/**
 * A fake Telegram Bot API for tests and benchmarks: a server on loopback that answers like
 * api.telegram.org and rejects what Telegram rejects (HTML it cannot parse, lengths, keyboards,
 * flood limits). Import it from here.
 *
 * - server.ts: `FakeTelegram`, the HTTP server, fault injection and inspection
 * - methods.ts: messages and answers; validation.ts: text and keyboards; html.ts: HTML parse mode
 * - updates.ts: getUpdates, long polling, the webhook; chats.ts: chats, users, behaviours; menu.ts: commands
 * - limits.ts: Telegram's flood limits; protocol.ts: error answers and parameters; types.ts: public types
 */
export { HtmlParseError, type HtmlParseOptions, htmlToPlain, type ParsedEntity, parseTelegramHtml } from "./html.js";
export { FakeTelegram } from "./server.js";
export {
  type BotCommandEntry,
  type BotCommandScopeLike,
  botUser,
  type CallbackAnswer,
  commandsKey,
  DEFAULT_BOT_USERNAME,
  DEFAULT_TOKEN,
  type FakeCall,
  type FakeStats,
  type FakeTelegramOptions,
  type InlineAnswer,
  type ObservedMessage,
  type PushUserOptions,
  type SentMessage,
  type SentPhoto,
} from "./types.js";
