/** Installed last: what no feature answered. An unknown command gets a hint, other messages in private what the bot understands, and every button press an answer. */
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { replyHtml } from "../reply.js";

export const unhandled = new Composer<BotContext>();

// A command we do not know, addressed to us (not /x@anotherbot in a group).
unhandled.on("message:entities:bot_command", async (ctx) => {
  const entity = ctx.message.entities.find((e) => e.type === "bot_command" && e.offset === 0);
  if (!entity) return;
  const command = ctx.message.text.slice(entity.offset, entity.offset + entity.length);
  const at = command.indexOf("@");
  if (at !== -1 && command.slice(at + 1).toLowerCase() !== ctx.me.username.toLowerCase()) return;
  await replyHtml(ctx, ctx.t.unknownCommand);
});

// Anything else in a private chat (stickers, photos, voice): say what the bot understands.
unhandled.chatType("private").on("message", async (ctx) => {
  await replyHtml(ctx, ctx.t.onlyText);
});

// A button no feature claims (an old keyboard): answered, so the client stops its spinner.
unhandled.on("callback_query:data", async (ctx) => {
  await ctx.answerCallbackQuery();
});
