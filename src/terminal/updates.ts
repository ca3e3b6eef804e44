/**
 * Updates shaped as Telegram sends them, to feed the bot without Telegram: the terminal chat, the
 * tests' harness and the benchmarks build theirs here.
 */
import type { Chat, MessageEntity, Update, User } from "grammy/types";

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
   * entities a client would send (bold, links…) and the message it replies to.
   */
  message(text: string, who: Speaker, extra: { entities?: MessageEntity[]; replyTo?: number } = {}): Update {
    const id = ++this.updateId;
    const command = /^\/\S+/.exec(text);
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
        ...(who.senderChat && chat.type !== "private" ? { sender_chat: chat } : {}),
        ...(entities.length ? { entities } : {}),
        ...(extra.replyTo !== undefined
          ? { reply_to_message: { message_id: extra.replyTo, date: now(), chat, text: "" } }
          : {}),
      },
    } as Update;
  }

  /** A press of an inline button carrying `data`, under the bot's message `messageId`. */
  callback(data: string, who: Speaker, messageId: number): Update {
    const id = ++this.updateId;
    const chat = this.chat(who);
    return {
      update_id: id,
      callback_query: {
        id: String(id),
        from: this.user(who),
        chat_instance: String(chat.id),
        data,
        message: { message_id: messageId, date: now(), chat, text: "" },
      },
    } as Update;
  }

  /** An inline query (`@bot query`) typed in a private chat. */
  inlineQuery(query: string, who: Speaker): Update {
    const id = ++this.updateId;
    return {
      update_id: id,
      inline_query: { id: String(id), from: this.user(who), query, offset: "", chat_type: "private" },
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
