/** The command menu: setMyCommands, getMyCommands and deleteMyCommands per scope and language, with Telegram's checks. */
import { badRequest, intParam, isRecord, jsonParam, type Params, stringParam } from "./protocol.js";
import { type BotCommandEntry, type BotCommandScopeLike, commandsKey } from "./types.js";

const COMMAND_SCOPES = new Set([
  "default",
  "all_private_chats",
  "all_group_chats",
  "all_chat_administrators",
  "chat",
  "chat_administrators",
  "chat_member",
]);

export class CommandMenu {
  /** Commands set via setMyCommands, keyed by commandsKey(scope, language_code). */
  readonly commands = new Map<string, BotCommandEntry[]>();

  handlers(): Record<string, (p: Params) => unknown> {
    return {
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => this.commands.get(this.commandScope(p).key) ?? [],
      deleteMyCommands: (p) => {
        this.commands.delete(this.commandScope(p).key);
        return true;
      },
    };
  }

  reset(): void {
    this.commands.clear();
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
}
