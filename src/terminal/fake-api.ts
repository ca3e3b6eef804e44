/**
 * An in-process stand-in for the Bot API, as a grammY transformer: every call the bot makes
 * is answered here with Telegram's result shapes, and messages are handed to `show`. A photo
 * (a chart) is saved as a PNG file in the system's temporary folder, and shown as a line naming it.
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputFile, type Transformer } from "grammy";
import type { InlineKeyboardButton, InlineQueryResult } from "grammy/types";
import { escapeHtml, type Html, html, trusted } from "../format/html.js";

export interface ShownMessage {
  chatId: number;
  messageId: number;
  html: Html;
  buttons: InlineKeyboardButton[][];
  edited?: boolean;
  /** A message posted through inline mode (edited by this id, not by chat and message). */
  inlineMessageId?: string;
}

export interface TerminalApiOptions {
  show(m: ShownMessage): void;
  /** Shows callback answers with text (toasts). */
  toast(text: string): void;
  /** Shows that a message was deleted (a newsroom withdrawal). */
  deleted?(chatId: number, messageId: number): void;
  /** Which users administer which group chats. */
  isGroupAdmin(chatId: number, userId: number): boolean;
  /** The results the bot answered an inline query with. */
  inlineResults(results: InlineQueryResult[]): void;
  /** A message posted through inline mode, by its id (to show the bot's edits of it). */
  inlineMessage(inlineMessageId: string): ShownMessage | undefined;
  botId: number;
}

export function terminalApi(o: TerminalApiOptions): Transformer {
  let messageId = 0;
  const messages = new Map<string, ShownMessage>();
  /** Photos by file_id: where they were saved, and their size. */
  const photos = new Map<string, { file: string; width: number; height: number; bytes: number }>();
  return async (_prev, method, payload) => {
    const p = payload as Record<string, unknown>;
    const chatId = Number(p.chat_id);
    const markup =
      (p.reply_markup as { inline_keyboard?: InlineKeyboardButton[][] } | undefined)?.inline_keyboard ?? [];
    const ok = (result: unknown) => ({ ok: true as const, result }) as never;
    // What the bot sent as HTML is shown as HTML; plain text (a reply without parse mode) as the text it is.
    const text = (): Html => (p.parse_mode === "HTML" ? trusted(String(p.text)) : escapeHtml(String(p.text)));
    switch (method) {
      case "sendMessage": {
        const m: ShownMessage = { chatId, messageId: ++messageId, html: text(), buttons: markup };
        messages.set(`${chatId}:${m.messageId}`, m);
        o.show(m);
        return ok({
          message_id: m.messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: chatId < 0 ? "supergroup" : "private" },
          text: m.html,
        });
      }
      case "sendPhoto": {
        let photo = typeof p.photo === "string" ? photos.get(p.photo) : undefined;
        if (p.photo instanceof InputFile) {
          const raw = await p.photo.toRaw();
          const data = raw instanceof Uint8Array ? Buffer.from(raw) : Buffer.alloc(0);
          const file = path.join(tmpdir(), `elezioni-grafico-${process.pid}-${photos.size + 1}.png`);
          writeFileSync(file, data);
          const isPng = data.length >= 24 && data.toString("latin1", 12, 16) === "IHDR";
          photo = {
            file,
            width: isPng ? data.readUInt32BE(16) : 0,
            height: isPng ? data.readUInt32BE(20) : 0,
            bytes: data.length,
          };
          photos.set(`terminal-photo-${photos.size + 1}`, photo);
        }
        if (!photo)
          return {
            ok: false as const,
            error_code: 400,
            description: "Bad Request: wrong file identifier/HTTP URL specified",
          } as never;
        const fileId = [...photos.entries()].find(([, v]) => v === photo)![0];
        const kb = Math.round(photo.bytes / 1024);
        // The caption was sent with parse_mode HTML.
        const caption = typeof p.caption === "string" ? html`\n${trusted(p.caption)}` : "";
        const m: ShownMessage = {
          chatId,
          messageId: ++messageId,
          html: html`🖼 [PNG ${photo.width}×${photo.height}, ${kb} KB: ${escapeHtml(photo.file)}]${caption}`,
          buttons: markup,
        };
        o.show(m);
        return ok({
          message_id: m.messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: chatId < 0 ? "supergroup" : "private" },
          photo: [{ file_id: fileId, file_unique_id: fileId, width: photo.width, height: photo.height }],
        });
      }
      case "editMessageText":
      case "editMessageReplyMarkup": {
        if (typeof p.inline_message_id === "string") {
          const prev = o.inlineMessage(p.inline_message_id);
          if (!prev) return { ok: false, error_code: 400, description: "Bad Request: message not found" } as never;
          o.show({
            ...prev,
            html: method === "editMessageText" ? trusted(String(p.text)) : prev.html,
            buttons: markup,
            edited: true,
          });
          return ok(true);
        }
        const key = `${chatId}:${Number(p.message_id)}`;
        const prev = messages.get(key);
        const m: ShownMessage = {
          chatId,
          messageId: Number(p.message_id),
          html: method === "editMessageText" ? text() : (prev?.html ?? html``),
          buttons: markup,
          edited: true,
        };
        messages.set(key, m);
        o.show(m);
        return ok(true);
      }
      case "deleteMessage": {
        const key = `${chatId}:${Number(p.message_id)}`;
        if (!messages.delete(key))
          return { ok: false, error_code: 400, description: "Bad Request: message to delete not found" } as never;
        o.deleted?.(chatId, Number(p.message_id));
        return ok(true);
      }
      case "answerCallbackQuery":
        if (typeof p.text === "string" && p.text) o.toast(p.text);
        return ok(true);
      case "getChatMember": {
        const userId = Number(p.user_id);
        const status = o.isGroupAdmin(chatId, userId) ? "administrator" : "member";
        return ok({ status, user: { id: userId, is_bot: false, first_name: "Utente" } });
      }
      case "answerInlineQuery":
        o.inlineResults((p.results as InlineQueryResult[] | undefined) ?? []);
        return ok(true);
      default:
        return ok(true);
    }
  };
}
