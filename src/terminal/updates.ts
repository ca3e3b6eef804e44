/**
 * Updates shaped as Telegram sends them, to feed the bot without Telegram: the terminal chat, the
 * tests' harness and the benchmarks build theirs here.
 */
import type { Chat, InlineKeyboardMarkup, MessageEntity, Update, User } from "grammy/types";

/** Who speaks, and where. */
export interface Speaker {
  userId: number;
  /** Default: the user's private chat. Negative: a group (a supergroup). */
  chatId?: number;
  /** The client's language_code. Default "it". */
  lang?: string;
  isBot?: boolean;
  /** In a group, sent on behalf of it (an anonymous group admin): sets sender_chat. */
  senderChat?: boolean;
}

export interface UpdateFactoryOptions {
  /** The people's first name. Default "Ada". */
  firstName?: string;
  /** The groups' title. Default "Gruppo". */
  groupTitle?: string;
  /** The update_id before the first one. Default 0. */
  lastUpdateId?: number;
}

/** Numbers updates (and messages) in order, as Telegram does. */
export class UpdateFactory {
  private updateId: number;
  private readonly firstName: string;
  private readonly groupTitle: string;

  constructor(o: UpdateFactoryOptions = {}) {
    this.updateId = o.lastUpdateId ?? 0;
    this.firstName = o.firstName ?? "Ada";
    this.groupTitle = o.groupTitle ?? "Gruppo";
  }

  /**
   * A text message; a leading `/command` gets its bot_command entity. `extra` adds the formatting
   * entities a client would send (bold, links…) and the message it replies to; with `viaBot`, it is
   * the message a person posted by choosing a result of that bot's inline mode (Telegram delivers it
   * to the bot too).
   */
  message(
    text: string,
    who: Speaker,
    extra: { entities?: MessageEntity[]; replyTo?: number; viaBot?: User } = {},
  ): Update {
    const { viaBot } = extra;
    const id = ++this.updateId;
    const command = viaBot ? null : /^\/\S+/.exec(text);
    const chat = this.chat(who);
    const entities: MessageEntity[] = [
      ...(command ? [{ type: "bot_command" as const, offset: 0, length: command[0].length }] : []),
      ...(extra.entities ?? []),
    ];
    return {
      update_id: id,
      message: {
        message_id: id,
        date: now(),
        chat,
        from: this.user(who),
        text,
        ...(viaBot ? { via_bot: viaBot } : {}),
        ...(who.senderChat && chat.type !== "private" ? { sender_chat: chat } : {}),
        ...(entities.length ? { entities } : {}),
        ...(extra.replyTo !== undefined
          ? { reply_to_message: { message_id: extra.replyTo, date: now(), chat, text: "" } }
          : {}),
      },
    } as Update;
  }

  /**
   * A press of an inline button carrying `data`, under the bot's message `messageId`; `markup` is
   * that message's keyboard, which Telegram sends with the press.
   */
  callback(data: string, who: Speaker, messageId: number, markup?: InlineKeyboardMarkup): Update {
    const id = ++this.updateId;
    const chat = this.chat(who);
    return {
      update_id: id,
      callback_query: {
        id: String(id),
        from: this.user(who),
        chat_instance: String(chat.id),
        data,
        message: { message_id: messageId, date: now(), chat, text: "", ...(markup ? { reply_markup: markup } : {}) },
      },
    } as Update;
  }

  /**
   * A press of an inline button under a message posted through inline mode: such a message is
   * not the bot's, so the press carries its `inline_message_id` instead of the message.
   */
  inlineCallback(data: string, who: Speaker, inlineMessageId: string): Update {
    const id = ++this.updateId;
    const chat = this.chat(who);
    return {
      update_id: id,
      callback_query: {
        id: String(id),
        from: this.user(who),
        chat_instance: String(chat.id),
        data,
        inline_message_id: inlineMessageId,
      },
    } as Update;
  }

  /**
   * An inline query (`@bot query`) typed in the speaker's chat: in a group, or in the private chat
   * with the bot (Telegram's chat_type "sender").
   */
  inlineQuery(query: string, who: Speaker): Update {
    const id = ++this.updateId;
    const chatType = this.chat(who).type === "private" ? "sender" : "supergroup";
    return {
      update_id: id,
      inline_query: { id: String(id), from: this.user(who), query, offset: "", chat_type: chatType },
    } as Update;
  }

  private chat(who: Speaker): Chat.PrivateChat | Chat.SupergroupChat {
    const id = who.chatId ?? who.userId;
    return id < 0
      ? { id, type: "supergroup", title: this.groupTitle }
      : { id, type: "private", first_name: this.firstName };
  }

  private user(who: Speaker): User {
    return { id: who.userId, is_bot: who.isBot ?? false, first_name: this.firstName, language_code: who.lang ?? "it" };
  }
}

const now = () => Math.floor(Date.now() / 1000);
