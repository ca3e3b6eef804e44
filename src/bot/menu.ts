/** The command menu Telegram shows: registered at start from the same list /aiuto prints. */
import type { Api } from "grammy";
import { messages } from "../i18n/index.js";

export async function registerCommands(api: Api, adminIds: Iterable<number>): Promise<void> {
  const it = messages("it").commands;
  const en = messages("en").commands;
  const strip = (list: { command: string; description: string }[]) =>
    list.map(({ command, description }) => ({ command, description }));
  await api.setMyCommands(strip(it.public));
  await api.setMyCommands(strip(en.public), { language_code: "en" });
  // The newsroom sees its commands too, in its private chats with the bot.
  for (const id of adminIds) {
    await api.setMyCommands(strip([...it.public, ...it.admin]), { scope: { type: "chat", chat_id: id } });
  }
}
