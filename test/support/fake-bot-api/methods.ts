/**
 * The Bot API methods about messages, with Telegram's checks and answers: send (text and photos,
 * uploaded or by file_id), edit (text and keyboard; a message the user deleted or too old to edit is
 * refused as Telegram refuses it), chat actions, callback and inline query answers. What the bot
 * sent is recorded here for the tests to read. Chats (chats.ts), the command menu (menu.ts) and
 * updates (updates.ts) answer their own methods.
 */
import type { UserFromGetMe } from "grammy/types";
import type { Chats } from "./chats.js";
import type { ParsedEntity } from "./html.js";
import type { FloodLimits } from "./limits.js";
import {
  badRequest,
  boolParam,
  intParam,
  isRecord,
  jsonParam,
  type Params,
  stringParam,
  UploadedFile,
} from "./protocol.js";
import type { CallbackAnswer, InlineAnswer, ObservedMessage, SentMessage, SentPhoto } from "./types.js";
import { type FormattedText, formatText, validateReplyMarkup } from "./validation.js";

/** A method's handler: the result, a Described result, or a thrown ApiError. */
export type Handler = (params: Params) => unknown;

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

interface StoredMessage {
  date: number;
  signature: string;
  /** A photo: its caption can be edited, not its text. */
  photo?: boolean;
}

/** A photo as Telegram keeps it: its sizes, each with a file_id any later send may use. */
interface StoredPhoto {
  sizes: PhotoSizeObject[];
}

interface PhotoSizeObject {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
}

/** Telegram's limits on a photo (sendPhoto's documentation). */
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const CAPTION_MAX = 1024;
/** The sides Telegram scales a photo to (s, m, x, y, w): each smaller one a thumbnail. */
const PHOTO_SIDES = [90, 320, 800, 1280, 2560];

/** Width and height of a PNG (from its IHDR chunk), or undefined when the bytes are not a PNG. */
function pngSize(data: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (data.length < 24 || !data.subarray(0, 8).equals(signature) || data.toString("latin1", 12, 16) !== "IHDR")
    return undefined;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** Telegram lets a bot delete a message for everyone only within 48 hours of sending it. */
const DELETE_WINDOW_S = 48 * 3600;

export interface MethodsOptions {
  botInfo: UserFromGetMe;
  chats: Chats;
  limits: FloodLimits;
  /** Monotonic milliseconds for the flood limits. */
  clock: () => number;
  recordSent: boolean;
  strictEntities: boolean;
}

export class BotApiMethods {
  readonly sent: SentMessage[] = [];
  /** Successful sendMessage calls per chat (kept even when recordSent is false). */
  readonly deliveredPerChat = new Map<number, number>();
  readonly inlineAnswers: InlineAnswer[] = [];
  readonly callbackAnswers: CallbackAnswer[] = [];
  /** Keyboard edits (e.g. paging through a list of buttons), newest last. */
  readonly markupEdits: { chat_id: number; message_id: number; reply_markup: unknown }[] = [];
  /** Messages deleted with deleteMessage, oldest first. */
  readonly deleted: { chat_id: number; message_id: number; at: number }[] = [];
  /** Every successful sendPhoto, oldest first (needs recordSent). */
  readonly photos: SentPhoto[] = [];
  /** Told of every successful sendMessage and editMessageText, also without recordSent (benchmarks). */
  observer: ((m: ObservedMessage) => void) | undefined;
  sentCount = 0;
  editCount = 0;
  photoCount = 0;

  private readonly chats: Chats;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly sentByChat = new Map<number, SentMessage[]>();
  private readonly answeredCallbacks = new Set<string>();
  private readonly answeredInline = new Set<string>();
  private readonly lastMarkup = new Map<string, string>();
  /** `chat:message` of deleted messages: editing or deleting them again is "not found". */
  private readonly gone = new Set<string>();
  /** Photos Telegram keeps, by the file_id of each of their sizes. */
  private readonly files = new Map<string, StoredPhoto>();
  private nextFile = 1;
  /** Messages that can no longer be edited (too old). */
  private readonly frozen = new Set<string>();

  constructor(private readonly o: MethodsOptions) {
    this.chats = o.chats;
  }

  /** The methods about messages and answers. */
  handlers(): Record<string, Handler> {
    return {
      getMe: () => this.o.botInfo,
      sendMessage: (p) => this.sendMessage(p),
      sendPhoto: (p) => this.sendPhoto(p),
      editMessageText: (p) => this.editMessageText(p),
      editMessageReplyMarkup: (p) => this.editMessageReplyMarkup(p),
      deleteMessage: (p) => this.deleteMessage(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      answerInlineQuery: (p) => this.answerInlineQuery(p),
      sendChatAction: (p) => this.sendChatAction(p),
      close: () => true,
      logOut: () => true,
    };
  }

  /** Successful sendMessage/editMessageText to chatId (needs recordSent). */
  sentTo(chatId: number): SentMessage[] {
    return [...(this.sentByChat.get(chatId) ?? [])];
  }

  /**
   * Makes a message the bot sent look `seconds` older (Telegram refuses to delete one older than
   * 48 hours). Needs recordSent.
   */
  age(chatId: number, messageId: number, seconds: number): void {
    const m = this.messages.get(`${chatId}:${messageId}`);
    if (!m) throw new Error(`no message ${messageId} in chat ${chatId}`);
    m.date -= seconds;
  }

  /** Whether the message was deleted with deleteMessage. */
  isDeleted(chatId: number, messageId: number): boolean {
    return this.gone.has(`${chatId}:${messageId}`);
  }

  /** The photos sent to chatId (needs recordSent). */
  photosTo(chatId: number): SentPhoto[] {
    return this.photos.filter((p) => p.chat_id === chatId);
  }

  /** The user deleted a message: editing it answers "message to edit not found". */
  userDeletes(chatId: number, messageId: number): void {
    this.gone.add(`${chatId}:${messageId}`);
  }

  /** A message that can no longer be edited (too old): editing it answers "message can't be edited". */
  freezeMessage(chatId: number, messageId: number): void {
    this.frozen.add(`${chatId}:${messageId}`);
  }

  /** Telegram no longer knows any file_id given so far (as for another bot's): sends by file_id are refused. */
  forgetFiles(): void {
    this.files.clear();
  }

  /** Forgets what was sent and answered (not the keyboard edits); message ids keep increasing. */
  reset(): void {
    this.deleted.length = 0;
    this.gone.clear();
    this.sent.length = 0;
    this.photos.length = 0;
    this.photoCount = 0;
    this.frozen.clear();
    this.sentCount = 0;
    this.editCount = 0;
    this.deliveredPerChat.clear();
    this.inlineAnswers.length = 0;
    this.callbackAnswers.length = 0;
    this.messages.clear();
    this.sentByChat.clear();
    this.answeredCallbacks.clear();
    this.answeredInline.clear();
  }

  private formatSignature(text: string, entities: ParsedEntity[], markup: Record<string, unknown> | undefined): string {
    const inline = markup && "inline_keyboard" in markup ? markup : null;
    return `${text}\u0000${JSON.stringify(entities)}\u0000${JSON.stringify(inline)}`;
  }

  private messageObject(
    chatId: number,
    messageId: number,
    date: number,
    formatted: Pick<FormattedText, "text" | "entities">,
    markup: Record<string, unknown> | undefined,
  ): Record<string, unknown> {
    const msg: Record<string, unknown> = {
      message_id: messageId,
      from: this.chats.botUser(),
      chat: this.chats.chatObject(chatId),
      date,
      text: formatted.text,
    };
    if (formatted.entities.length > 0) msg.entities = formatted.entities;
    if (markup && "inline_keyboard" in markup) msg.reply_markup = { inline_keyboard: markup.inline_keyboard };
    return msg;
  }

  private recordSentMessage(entry: SentMessage): void {
    if (!this.o.recordSent) return;
    this.sent.push(entry);
    let list = this.sentByChat.get(entry.chat_id);
    if (!list) {
      list = [];
      this.sentByChat.set(entry.chat_id, list);
    }
    list.push(entry);
  }

  private sendMessage(p: Params): Record<string, unknown> {
    const chatId = this.chats.requireChatId(p);
    this.chats.checkExists(chatId);
    const formatted = formatText(p.text, p.parse_mode, this.o.strictEntities);
    const markup = validateReplyMarkup(p.reply_markup);
    this.chats.checkWritable(chatId);
    this.o.limits.admit(chatId, boolParam(p.allow_paid_broadcast), this.o.clock());

    const messageId = this.chats.nextMessageId(chatId);
    const date = Math.floor(Date.now() / 1000);
    this.sentCount++;
    this.deliveredPerChat.set(chatId, (this.deliveredPerChat.get(chatId) ?? 0) + 1);
    this.observer?.({
      method: "sendMessage",
      chat_id: chatId,
      message_id: messageId,
      plain: formatted.text,
      at: Date.now(),
    });
    if (this.o.recordSent) {
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

  /** The photo a sendPhoto names: an upload (a file part, or attach://name) or a file_id Telegram has. */
  private photoParam(p: Params): { stored: StoredPhoto; upload?: UploadedFile; fileId?: string } {
    let photo = p.photo;
    if (typeof photo === "string" && photo.startsWith("attach://")) photo = p[photo.slice("attach://".length)];
    if (photo instanceof UploadedFile) {
      if (photo.data.length === 0) throw badRequest("file must be non-empty");
      if (photo.data.length > PHOTO_MAX_BYTES) throw badRequest("file is too big");
      const size = pngSize(photo.data);
      if (!size) throw badRequest("IMAGE_PROCESS_FAILED");
      const { width, height } = size;
      if (width < 1 || height < 1 || width + height > 10_000 || Math.max(width, height) / Math.min(width, height) > 20)
        throw badRequest("PHOTO_INVALID_DIMENSIONS");
      const unique = `AQAD${this.nextFile++}`;
      const longest = Math.max(width, height);
      const largest = Math.min(longest, PHOTO_SIDES.at(-1)!);
      const sides = [...PHOTO_SIDES.filter((s) => s < largest), largest];
      const sizes = sides.map((side, i) => {
        const scale = Math.min(1, side / longest);
        const w = Math.max(1, Math.round(width * scale));
        const h = Math.max(1, Math.round(height * scale));
        return {
          file_id: `AgACAgQAAxkBAA${unique}-${i}`,
          file_unique_id: `${unique}-${i}`,
          width: w,
          height: h,
          file_size: Math.max(1, Math.round((photo.data.length * w * h) / (width * height))),
        };
      });
      const stored = { sizes };
      for (const s of sizes) this.files.set(s.file_id, stored);
      return { stored, upload: photo };
    }
    const id = stringParam(photo);
    if (id === undefined || id === "") throw badRequest("there is no photo in the request");
    const stored = this.files.get(id);
    if (!stored) throw badRequest("wrong file identifier/HTTP URL specified");
    return { stored, fileId: id };
  }

  private sendPhoto(p: Params): Record<string, unknown> {
    const chatId = this.chats.requireChatId(p);
    this.chats.checkExists(chatId);
    const caption = p.caption === undefined ? undefined : formatText(p.caption, p.parse_mode, this.o.strictEntities);
    if (caption && caption.text.length > CAPTION_MAX) throw badRequest("message caption is too long");
    const markup = validateReplyMarkup(p.reply_markup);
    const { stored, upload, fileId } = this.photoParam(p);
    this.chats.checkWritable(chatId);
    this.o.limits.admit(chatId, boolParam(p.allow_paid_broadcast), this.o.clock());

    const messageId = this.chats.nextMessageId(chatId);
    const date = Math.floor(Date.now() / 1000);
    this.photoCount++;
    const largest = stored.sizes.at(-1)!;
    if (this.o.recordSent) {
      this.messages.set(`${chatId}:${messageId}`, { date, signature: "", photo: true });
      this.photos.push({
        message_id: messageId,
        chat_id: chatId,
        uploaded: upload !== undefined,
        file_id: fileId ?? largest.file_id,
        bytes: upload?.data.length,
        width: largest.width,
        height: largest.height,
        caption: caption?.raw,
        params: p,
        at: Date.now(),
      });
    }
    const msg: Record<string, unknown> = {
      message_id: messageId,
      from: this.chats.botUser(),
      chat: this.chats.chatObject(chatId),
      date,
      photo: stored.sizes,
    };
    if (caption) {
      msg.caption = caption.text;
      if (caption.entities.length) msg.caption_entities = caption.entities;
    }
    if (markup && "inline_keyboard" in markup) msg.reply_markup = { inline_keyboard: markup.inline_keyboard };
    return msg;
  }

  private editMessageText(p: Params): unknown {
    const inlineId = stringParam(p.inline_message_id);
    if (inlineId !== undefined && inlineId !== "") {
      formatText(p.text, p.parse_mode, this.o.strictEntities);
      validateReplyMarkup(p.reply_markup);
      this.editCount++;
      return true;
    }
    const chatId = this.chats.requireChatId(p);
    const messageId = intParam(p.message_id);
    if (messageId === undefined) throw badRequest("message identifier is not specified");
    this.chats.checkExists(chatId);
    const formatted = formatText(p.text, p.parse_mode, this.o.strictEntities);
    const markup = validateReplyMarkup(p.reply_markup);
    this.chats.checkWritable(chatId);
    // An edit counts against the flood limits like a message (and cannot be a paid broadcast).
    this.o.limits.admit(chatId, false, this.o.clock());
    const key = `${chatId}:${messageId}`;
    if (messageId <= 0 || messageId > (this.chats.lastMessageId(chatId) ?? 0) || this.gone.has(key))
      throw badRequest("message to edit not found");
    if (this.frozen.has(key)) throw badRequest("message can't be edited");
    const stored = this.messages.get(key);
    if (stored?.photo) throw badRequest("there is no text in the message to edit");
    const signature = this.formatSignature(formatted.text, formatted.entities, markup);
    if (stored && stored.signature === signature) {
      throw badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    const now = Math.floor(Date.now() / 1000);
    const date = stored?.date ?? now;
    this.editCount++;
    this.observer?.({
      method: "editMessageText",
      chat_id: chatId,
      message_id: messageId,
      plain: formatted.text,
      at: Date.now(),
    });
    if (this.o.recordSent) {
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

  private editMessageReplyMarkup(p: Params): true {
    const chatId = this.chats.requireChatId(p);
    const messageId = intParam(p.message_id);
    if (messageId === undefined) throw badRequest("message identifier is not specified");
    this.chats.checkExists(chatId);
    const markup = validateReplyMarkup(p.reply_markup);
    this.chats.checkWritable(chatId);
    if (messageId <= 0 || messageId > (this.chats.lastMessageId(chatId) ?? 0))
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

  private deleteMessage(p: Params): true {
    const chatId = this.chats.requireChatId(p);
    const messageId = intParam(p.message_id);
    if (messageId === undefined) throw badRequest("message identifier is not specified");
    this.chats.checkExists(chatId);
    this.chats.checkWritable(chatId);
    const key = `${chatId}:${messageId}`;
    if (messageId <= 0 || messageId > (this.chats.lastMessageId(chatId) ?? 0) || this.gone.has(key))
      throw badRequest("message to delete not found");
    const stored = this.messages.get(key);
    if (stored && Math.floor(Date.now() / 1000) - stored.date >= DELETE_WINDOW_S)
      throw badRequest("message can't be deleted for everyone");
    this.gone.add(key);
    this.messages.delete(key);
    this.deleted.push({ chat_id: chatId, message_id: messageId, at: Date.now() });
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
        formatText(content.message_text, content.parse_mode, this.o.strictEntities);
      }
      if (r.reply_markup !== undefined) validateReplyMarkup(r.reply_markup);
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
    const chatId = this.chats.requireChatId(p);
    this.chats.checkExists(chatId);
    const action = stringParam(p.action);
    if (action === undefined || !CHAT_ACTIONS.has(action)) throw badRequest("wrong parameter action in request");
    this.chats.checkWritable(chatId);
    return true;
  }
}
