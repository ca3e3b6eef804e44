/**
 * The terminal chat's session: inline mode (`:inline`), switching users (`:utente`) and chats
 * (`:chat`), with the real bot answering through the in-process Bot API.
 */
import type { UserFromGetMe } from "grammy/types";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, type Runtime } from "../../src/runtime.js";
import { FIRST_USER, TerminalSession } from "../../src/terminal/session.js";
import { UpdateFactory } from "../../src/terminal/updates.js";

const BOT = {
  id: 7000000001,
  is_bot: true,
  first_name: "Elezioni",
  username: "ElezioniBot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
} as UserFromGetMe;

const runtimes: Runtime[] = [];
afterEach(async () => {
  while (runtimes.length) await runtimes.pop()!.stop();
});

/** A session on the shipped data pack; `say` types lines and returns what was printed meanwhile. */
async function session() {
  let lines: string[] = [];
  const s = new TerminalSession({ out: (l) => lines.push(l), color: false, newsroom: new Set([FIRST_USER]) });
  const runtime = await createRuntime({
    token: "0:terminal",
    dataDir: "data",
    databasePath: ":memory:",
    adminIds: new Set([FIRST_USER]),
    sendRate: 1000,
    paidBroadcast: false,
    logger: pino({ level: "silent" }),
    botInfo: BOT,
    rateLimit: false,
    transformers: [s.api(BOT.id)],
  });
  runtimes.push(runtime);
  s.connect(runtime);
  const say = async (...typed: string[]) => {
    for (const t of typed) await s.line(t);
    const out = lines.join("\n");
    lines = [];
    return out;
  };
  return { say, runtime };
}

describe(":inline", () => {
  it("lists the results numbered; choosing one posts the card in the chat via the bot, and the bot does not answer it", async () => {
    const { say } = await session();
    const list = await say(":inline gen");
    expect(list).toContain("🔎 @ElezioniBot gen");
    expect(list).toMatch(/^ {2}\[1\] Genova — ✅ Marco Bucci/m);
    expect(list).toMatch(/^ {2}\[2\] /m);
    const posted = await say("1");
    expect(posted.startsWith("👤 via @ElezioniBot\n🏛 Genova (GE) · Liguria · capoluogo")).toBe(true);
    expect(posted).toContain("Eletto sindaco al ballottaggio: Marco Bucci");
    // Telegram hands the posted message to the bot too: it is the bot's own card, not a question.
    expect(posted).not.toContain("🤖");
  });

  it("an empty query offers the runoffs; nothing found says so; a number then presses nothing stale", async () => {
    const { say } = await session();
    expect(await say(":inline")).toContain("[1] Ballottaggio: Alessandria");
    const none = await say(":inline zzzzqqq");
    expect(none).toContain("(nessun risultato)");
    // With no results listed, a number is a message like any other.
    expect(await say("7")).toContain("🤖");
  });

  it("a press under a posted inline message carries its inline_message_id", async () => {
    const u = new UpdateFactory().inlineCallback("c:010025", { userId: 5 }, "inline-1");
    expect(u.callback_query).toMatchObject({ data: "c:010025", inline_message_id: "inline-1", from: { id: 5 } });
    expect(u.callback_query && "message" in u.callback_query).toBe(false);
  });
});

describe(":utente and :chat", () => {
  it(":utente N speaks from N's private chat", async () => {
    const { say, runtime } = await session();
    expect(await say(":utente 7")).toContain("(ora scrivi come utente 7, dalla sua chat privata)");
    const reply = await say("/iscriviti Genova");
    expect(reply).toContain("🤖\n🔔 Iscrizione fatta: riceverai");
    expect(await runtime.store.subscriptionsOf(7)).toEqual(["010025"]);
    expect(await runtime.store.subscriptionsOf(FIRST_USER)).toEqual([]);
    await say(`:utente ${FIRST_USER}`, "/iscriviti Parma");
    expect(await runtime.store.subscriptionsOf(FIRST_USER)).toEqual(["034027"]);
  });

  it("unless :chat chose a group: then :utente N speaks there", async () => {
    const { say, runtime } = await session();
    await say(":chat -100", ":admin");
    expect(await say(":utente 8")).toContain("(ora scrivi come utente 8, nel gruppo -100)");
    // User 8 is not an administrator of the group; user 1001 (who ran :admin) is.
    expect(await say("/iscriviti")).toContain("solo gli amministratori");
    await say(`:utente ${FIRST_USER}`);
    expect(await say("/iscriviti")).toContain("il gruppo riceverà ogni nuovo aggiornamento");
    expect(await runtime.store.subscriptionsOf(-100)).toEqual([null]);
    // Back to a private chat with :chat: :utente moves again.
    await say(":chat 1001");
    expect(await say(":utente 9")).toContain("dalla sua chat privata");
  });
});
