/**
 * The chats and users the fake knows: the Chat and User objects it answers with, message ids per
 * chat, and the behaviours tests give chats (blocked, not found, migrated, administrators).
 */
import type { UserFromGetMe } from "grammy/types";
import { ApiError, badRequest, intParam, type Params } from "./protocol.js";
import type { PushUserOptions } from "./types.js";

export class Chats {
  private readonly blocked = new Map<number, string>();
  private readonly notFound = new Set<number>();
  private readonly migrated = new Map<number, number>();
  private readonly admins = new Map<number, { ids: number[]; creator?: number }>();
  private readonly info = new Map<number, Record<string, unknown>>();
  private readonly lastMessageIds = new Map<number, number>();

  constructor(private readonly bot: UserFromGetMe) {}

  /** The methods about chats and their members. */
  handlers(): Record<string, (p: Params) => unknown> {
    return {
      getChat: (p) => this.getChat(p),
      getChatAdministrators: (p) => this.getChatAdministrators(p),
      getChatMember: (p) => this.getChatMember(p),
      leaveChat: (p) => this.leaveChat(p),
    };
  }

  // ----- behaviours ----------------------------------------------------------

  /** See FakeTelegram.blockChat. */
  block(chatId: number, description?: string): void {
    let d =
      description ??
      (chatId > 0
        ? "Forbidden: bot was blocked by the user"
        : `Forbidden: bot was kicked from the ${this.chatType(chatId)} chat`);
    if (!d.startsWith("Forbidden")) d = `Forbidden: ${d}`;
    this.blocked.set(chatId, d);
  }

  unblock(chatId: number): void {
    this.blocked.delete(chatId);
  }

  markNotFound(chatId: number): void {
    this.notFound.add(chatId);
  }

  migrate(fromId: number, toId: number): void {
    this.migrated.set(fromId, toId);
    this.notFound.delete(toId);
    this.blocked.delete(toId);
  }

  setAdministrators(chatId: number, userIds: number[], creatorId?: number): void {
    const ids = [...userIds];
    if (creatorId !== undefined && !ids.includes(creatorId)) ids.unshift(creatorId);
    this.admins.set(chatId, { ids, creator: creatorId });
  }

  setInfo(chatId: number, info: Record<string, unknown>): void {
    this.info.set(chatId, { ...(this.info.get(chatId) ?? {}), ...info });
  }

  /** The bot left the group: calls to it answer 403 from now on. */
  left(chatId: number): void {
    this.blocked.set(chatId, `Forbidden: bot is not a member of the ${this.chatType(chatId)} chat`);
  }

  /** Forgets the behaviours; message ids keep increasing. */
  reset(): void {
    this.blocked.clear();
    this.notFound.clear();
    this.migrated.clear();
    this.admins.clear();
    this.info.clear();
  }

  // ----- objects -------------------------------------------------------------

  chatType(chatId: number): "private" | "group" | "supergroup" {
    if (chatId > 0) return "private";
    return chatId <= -1_000_000_000_000 ? "supergroup" : "group";
  }

  chatObject(chatId: number, user?: { first_name: string; username?: string }): Record<string, unknown> {
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
    const extra = this.info.get(chatId);
    return extra ? { ...base, ...extra, id: chatId } : base;
  }

  botUser(): Record<string, unknown> {
    return { id: this.bot.id, is_bot: true, first_name: this.bot.first_name, username: this.bot.username };
  }

  userObject(opts: PushUserOptions): {
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

  memberUser(userId: number): Record<string, unknown> {
    return userId === this.bot.id ? this.botUser() : { id: userId, is_bot: false, first_name: `Utente ${userId}` };
  }

  /** The ChatMember of an administrator, or undefined for anyone else. */
  adminObject(chatId: number, userId: number): Record<string, unknown> | undefined {
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

  administrators(chatId: number): number[] {
    return this.admins.get(chatId)?.ids ?? [];
  }

  // ----- message ids ---------------------------------------------------------

  nextMessageId(chatId: number): number {
    const id = (this.lastMessageIds.get(chatId) ?? 0) + 1;
    this.lastMessageIds.set(chatId, id);
    return id;
  }

  lastMessageId(chatId: number): number | undefined {
    return this.lastMessageIds.get(chatId);
  }

  // ----- checks Telegram makes -----------------------------------------------

  requireChatId(params: Params): number {
    const raw = params.chat_id;
    if (raw === undefined || raw === null || raw === "") throw badRequest("chat_id is empty");
    const id = intParam(raw);
    if (id === undefined || id === 0) throw badRequest("chat not found");
    return id;
  }

  /** Existence checks that Telegram does before looking at the content. */
  checkExists(chatId: number): void {
    if (this.notFound.has(chatId)) throw badRequest("chat not found");
    const to = this.migrated.get(chatId);
    if (to !== undefined) {
      throw new ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: to });
    }
  }

  /** Only "chat not found", for the methods that do not follow migrations. */
  checkFound(chatId: number): void {
    if (this.notFound.has(chatId)) throw badRequest("chat not found");
  }

  checkWritable(chatId: number): void {
    const d = this.blocked.get(chatId);
    if (d !== undefined) throw new ApiError(403, d);
  }

  // ----- methods -------------------------------------------------------------

  private getChat(p: Params): Record<string, unknown> {
    const chatId = this.requireChatId(p);
    this.checkFound(chatId);
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

  private getChatAdministrators(p: Params): Record<string, unknown>[] {
    const chatId = this.requireChatId(p);
    this.checkFound(chatId);
    if (chatId > 0) throw badRequest("there are no administrators in the private chat");
    return this.administrators(chatId)
      .map((id) => this.adminObject(chatId, id))
      .filter((x): x is Record<string, unknown> => x !== undefined);
  }

  private getChatMember(p: Params): Record<string, unknown> {
    const chatId = this.requireChatId(p);
    this.checkFound(chatId);
    const userId = intParam(p.user_id);
    if (userId === undefined || userId <= 0) throw badRequest("invalid user_id specified");
    return this.adminObject(chatId, userId) ?? { status: "member", user: this.memberUser(userId) };
  }

  private leaveChat(p: Params): true {
    const chatId = this.requireChatId(p);
    this.checkFound(chatId);
    if (chatId > 0) throw badRequest("chat member status can't be changed in private chats");
    this.left(chatId);
    return true;
  }
}
