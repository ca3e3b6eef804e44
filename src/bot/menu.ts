/** The command menu Telegram shows, registered at start from the command registry, as /aiuto lists it. */
import type { Api } from "grammy";
import type { Lang } from "../i18n/index.js";
import { type CommandScope, listed, nameIn } from "./commands.js";

/** setMyCommands' list for a language and the scopes shown, under the names of that language (`/city`). */
export function menu(lang: Lang, scopes: readonly CommandScope[]): { command: string; description: string }[] {
  return scopes.flatMap(listed).map((c) => ({ command: nameIn(c, lang), description: c.help[lang].description }));
}

export async function registerCommands(api: Api, adminIds: Iterable<number>): Promise<void> {
  await api.setMyCommands(menu("it", ["everyone"]));
  await api.setMyCommands(menu("en", ["everyone"]), { language_code: "en" });
  // The newsroom sees its commands too, in its private chats with the bot.
  for (const id of adminIds) {
    await api.setMyCommands(menu("it", ["everyone", "newsroom"]), { scope: { type: "chat", chat_id: id } });
  }
}
