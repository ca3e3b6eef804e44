/** The fake Bot API itself: HTML parse mode, validation, limits, faults, long polling and webhooks behave as Telegram does. */
import { Bot, GrammyError, HttpError, InputFile } from "grammy";
import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegram, htmlToPlain, parseTelegramHtml } from "./support/fake-bot-api/index.js";

function makeBot(fake: FakeTelegram): Bot {
  return new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
}

async function grammyError(promise: Promise<unknown>): Promise<GrammyError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GrammyError) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}

describe("htmlToPlain", () => {
  it("removes tags and decodes entities", () => {
    expect(htmlToPlain("<b>Roma</b> &amp; <i>Milano</i> &lt;3 &#65;&#x42; &quot;ok&quot;")).toBe(
      'Roma & Milano <3 AB "ok"',
    );
    expect(htmlToPlain('<a href="https://example.org/?a=1&amp;b=2">link</a>')).toBe("link");
    expect(htmlToPlain('<span class="tg-spoiler">x</span><tg-spoiler>y</tg-spoiler>')).toBe("xy");
    expect(htmlToPlain("<blockquote expandable>q</blockquote>")).toBe("q");
    expect(htmlToPlain('<pre><code class="language-ts">let a = 1;</code></pre>')).toBe("let a = 1;");
    expect(htmlToPlain("a > b")).toBe("a > b");
  });

  it("produces entities with UTF-16 offsets", () => {
    const { text, entities } = parseTelegramHtml('😀 <b>Sì</b> <a href="https://x.it">x</a>');
    expect(text).toBe("😀 Sì x");
    expect(entities).toEqual([
      { type: "bold", offset: 3, length: 2 },
      { type: "text_link", offset: 6, length: 1, url: "https://x.it" },
    ]);
  });

  it("rejects invalid markup with Telegram's reasons", () => {
    expect(() => htmlToPlain("<b>x")).toThrow(`Can't find end tag corresponding to start tag "b"`);
    expect(() => htmlToPlain("a < b")).toThrow(`Unsupported start tag "" at byte offset 2`);
    expect(() => htmlToPlain("<foo>x</foo>")).toThrow(`Unsupported start tag "foo" at byte offset 0`);
    expect(() => htmlToPlain("<b>x</i>")).toThrow(
      /Unmatched end tag at byte offset 4, expected "<\/b>", found "<\/i>"/,
    );
    expect(() => htmlToPlain("x</b>")).toThrow("Unexpected end tag at byte offset 1");
    expect(() => htmlToPlain("<span>x</span>")).toThrow(`Tag "span" must have class "tg-spoiler"`);
    expect(() => htmlToPlain("<a>x</a>")).toThrow(`Tag "a" must have attribute "href"`);
    expect(() => htmlToPlain("è &nbsp; x")).toThrow(`Unknown HTML entity "&nbsp;" at byte offset 3`);
    expect(() => htmlToPlain("AT&T")).toThrow(/Unknown HTML entity/);
    expect(htmlToPlain("AT&T", { strictAmpersand: false })).toBe("AT&T");
  });
});

describe("FakeTelegram with grammY", () => {
  let fake: FakeTelegram;
  let bot: Bot;

  beforeEach(async () => {
    fake = await FakeTelegram.start();
    bot = makeBot(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  it("answers getMe through bot.init()", async () => {
    await bot.init();
    expect(bot.botInfo).toMatchObject({
      id: 123456,
      is_bot: true,
      first_name: "Elezioni",
      username: "ElezioniTestBot",
      can_join_groups: true,
      supports_inline_queries: true,
    });
    expect(fake.calls.map((c) => c.method)).toEqual(["getMe"]);
  });

  it("sends valid HTML and records it", async () => {
    const msg = await bot.api.sendMessage(42, "<b>Roma</b>: affluenza 45,3% &amp; in crescita", { parse_mode: "HTML" });
    expect(msg.message_id).toBe(1);
    expect(msg.chat).toMatchObject({ id: 42, type: "private" });
    expect(msg.from?.username).toBe("ElezioniTestBot");
    expect(msg.text).toBe("Roma: affluenza 45,3% & in crescita");
    expect(msg.entities).toEqual([{ type: "bold", offset: 0, length: 4 }]);
    const second = await bot.api.sendMessage(42, "ancora");
    expect(second.message_id).toBe(2);
    const group = await bot.api.sendMessage(-1001234567890, "gruppo");
    expect(group.message_id).toBe(1);
    expect(group.chat.type).toBe("supergroup");

    expect(fake.sentCount).toBe(3);
    expect(fake.deliveredPerChat.get(42)).toBe(2);
    expect(fake.sentTo(42).map((m) => m.text)).toEqual(["<b>Roma</b>: affluenza 45,3% &amp; in crescita", "ancora"]);
    expect(fake.sent[0]).toMatchObject({
      method: "sendMessage",
      chat_id: 42,
      parse_mode: "HTML",
      plain: "Roma: affluenza 45,3% & in crescita",
    });
  });

  it.each([
    ["<b>x", `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`],
    ["a < b", `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`],
    ["<foo>x</foo>", `Bad Request: can't parse entities: Unsupported start tag "foo" at byte offset 0`],
  ])("rejects malformed HTML %j", async (text, description) => {
    const err = await grammyError(bot.api.sendMessage(42, text, { parse_mode: "HTML" }));
    expect(err.error_code).toBe(400);
    expect(err.description).toBe(description);
    expect(fake.sentCount).toBe(0);
    expect(fake.calls).toHaveLength(1);
  });

  it("validates chat_id and text", async () => {
    const noChat = await grammyError(bot.api.raw.sendMessage({ text: "x" } as never));
    expect(noChat.description).toBe("Bad Request: chat_id is empty");
    for (const text of ["", "   \n "]) {
      const err = await grammyError(bot.api.sendMessage(42, text));
      expect(err.description).toBe("Bad Request: message text is empty");
    }
    const onlyTags = await grammyError(bot.api.sendMessage(42, "<b> </b>", { parse_mode: "HTML" }));
    expect(onlyTags.description).toBe("Bad Request: message text is empty");
  });

  it("enforces the 4096 limit on the parsed text", async () => {
    const tooLong = await grammyError(bot.api.sendMessage(42, "a".repeat(4097)));
    expect(tooLong.error_code).toBe(400);
    expect(tooLong.description).toBe("Bad Request: message is too long");

    await expect(bot.api.sendMessage(42, "a".repeat(4096))).resolves.toMatchObject({ message_id: 1 });

    const html = `<b>${"a".repeat(4000)}</b> ${"&amp;".repeat(95)}`;
    expect(html.length).toBeGreaterThan(4096);
    expect(htmlToPlain(html).length).toBe(4096);
    await expect(bot.api.sendMessage(42, html, { parse_mode: "HTML" })).resolves.toMatchObject({ message_id: 2 });

    const tooLongHtml = await grammyError(bot.api.sendMessage(42, `${html}x`, { parse_mode: "HTML" }));
    expect(tooLongHtml.description).toBe("Bad Request: message is too long");
  });

  it("validates inline keyboards", async () => {
    const ok = await bot.api.sendMessage(42, "scegli", {
      reply_markup: {
        inline_keyboard: [
          [
            { text: "Roma", callback_data: "city:roma" },
            { text: "Sito", url: "https://example.org" },
          ],
        ],
      },
    });
    expect(ok.reply_markup?.inline_keyboard[0]).toHaveLength(2);

    const tooMuchData = await grammyError(
      bot.api.sendMessage(42, "scegli", {
        reply_markup: { inline_keyboard: [[{ text: "x", callback_data: "é".repeat(33) }]] },
      }),
    );
    expect(tooMuchData.description).toBe("Bad Request: BUTTON_DATA_INVALID");

    const noAction = await grammyError(
      bot.api.sendMessage(42, "scegli", { reply_markup: { inline_keyboard: [[{ text: "x" } as never]] } }),
    );
    expect(noAction.description).toMatch(/^Bad Request: can't parse inline keyboard button/);
  });

  it("reports blocked, unknown and migrated chats", async () => {
    fake.blockChat(7);
    const blocked = await grammyError(bot.api.sendMessage(7, "ciao"));
    expect(blocked.error_code).toBe(403);
    expect(blocked.description).toBe("Forbidden: bot was blocked by the user");
    await expect(bot.api.sendChatAction(7, "typing")).rejects.toMatchObject({ error_code: 403 });
    expect(fake.stats.forbidden).toBe(2);

    fake.notFoundChat(8);
    const missing = await grammyError(bot.api.sendMessage(8, "ciao"));
    expect(missing.description).toBe("Bad Request: chat not found");

    fake.migrateChat(-555, -1009999999999);
    const migrated = await grammyError(bot.api.sendMessage(-555, "ciao"));
    expect(migrated.error_code).toBe(400);
    expect(migrated.description).toBe("Bad Request: group chat was upgraded to a supergroup chat");
    expect(migrated.parameters.migrate_to_chat_id).toBe(-1009999999999);
    await expect(bot.api.sendMessage(-1009999999999, "ciao")).resolves.toMatchObject({ chat: { id: -1009999999999 } });
  });

  it("injects 5xx, 429 and dropped connections", async () => {
    fake.failNext(1);
    const failed = await grammyError(bot.api.sendMessage(42, "ciao"));
    expect(failed.error_code).toBe(502);
    expect(failed.description).toBe("Bad Gateway");

    fake.tooManyNext(2, 7);
    for (let i = 0; i < 2; i++) {
      const limited = await grammyError(bot.api.sendMessage(42, "ciao"));
      expect(limited.error_code).toBe(429);
      expect(limited.description).toBe("Too Many Requests: retry after 7");
      expect(limited.parameters.retry_after).toBe(7);
    }

    fake.dropNext(1);
    await expect(bot.api.sendMessage(42, "ciao")).rejects.toBeInstanceOf(HttpError);

    fake.failNext(1, 503, undefined, "sendMessage");
    await expect(bot.api.getMe()).resolves.toMatchObject({ id: 123456 });
    await expect(bot.api.sendMessage(42, "ciao")).rejects.toMatchObject({ error_code: 503 });

    await expect(bot.api.sendMessage(42, "ciao")).resolves.toMatchObject({ message_id: 1 });
    expect(fake.stats).toMatchObject({ serverErrors: 2, tooManyRequests: 2, dropped: 1 });
    expect(fake.sentCount).toBe(1);
    expect(fake.callsOf("sendMessage")).toHaveLength(6);
  });

  it("edits messages and detects unchanged content", async () => {
    const msg = await bot.api.sendMessage(42, "<b>Affluenza</b> 10%", { parse_mode: "HTML" });
    const same = await grammyError(
      bot.api.editMessageText(42, msg.message_id, "<strong>Affluenza</strong> 10%", { parse_mode: "HTML" }),
    );
    expect(same.description).toMatch(/^Bad Request: message is not modified: /);
    const edited = await bot.api.editMessageText(42, msg.message_id, "<b>Affluenza</b> 20%", { parse_mode: "HTML" });
    expect(edited).toMatchObject({ message_id: msg.message_id, text: "Affluenza 20%" });
    const missing = await grammyError(bot.api.editMessageText(42, 99, "x"));
    expect(missing.description).toBe("Bad Request: message to edit not found");
    expect(fake.sentTo(42).map((m) => m.method)).toEqual(["sendMessage", "editMessageText"]);
  });

  it("deletes the messages it delivered, with Telegram's answers for missing and too old ones", async () => {
    const a = await bot.api.sendMessage(42, "uno");
    const b = await bot.api.sendMessage(42, "due");
    expect(await bot.api.deleteMessage(42, a.message_id)).toBe(true);
    expect(fake.isDeleted(42, a.message_id)).toBe(true);
    expect(fake.deleted.map((d) => [d.chat_id, d.message_id])).toEqual([[42, a.message_id]]);
    const again = await grammyError(bot.api.deleteMessage(42, a.message_id));
    expect(again.description).toBe("Bad Request: message to delete not found");
    const edit = await grammyError(bot.api.editMessageText(42, a.message_id, "tre"));
    expect(edit.description).toBe("Bad Request: message to edit not found");
    const unknown = await grammyError(bot.api.deleteMessage(42, 999));
    expect(unknown.description).toBe("Bad Request: message to delete not found");
    // Telegram lets a bot delete a message for everyone only within 48 hours.
    fake.ageMessage(42, b.message_id, 48 * 3600);
    const old = await grammyError(bot.api.deleteMessage(42, b.message_id));
    expect(old.description).toBe("Bad Request: message can't be deleted for everyone");
    fake.blockChat(42);
    expect((await grammyError(bot.api.deleteMessage(42, b.message_id))).error_code).toBe(403);
  });

  it("validates callback and inline answers", async () => {
    await bot.api.answerCallbackQuery("q1", { text: "ok" });
    expect(fake.callbackAnswers[0]).toMatchObject({ callback_query_id: "q1", text: "ok" });
    const tooLong = await grammyError(bot.api.answerCallbackQuery("q2", { text: "x".repeat(201) }));
    expect(tooLong.description).toBe("Bad Request: MESSAGE_TOO_LONG");

    const article = (id: string, text = "Roma") => ({
      type: "article" as const,
      id,
      title: id,
      input_message_content: { message_text: text, parse_mode: "HTML" as const },
    });
    await bot.api.answerInlineQuery("i1", [article("a"), article("b")]);
    expect(fake.inlineAnswers[0]?.results).toHaveLength(2);
    const tooMany = await grammyError(
      bot.api.answerInlineQuery(
        "i2",
        Array.from({ length: 51 }, (_, i) => article(`r${i}`)),
      ),
    );
    expect(tooMany.description).toBe("Bad Request: RESULTS_TOO_MUCH");
    const dup = await grammyError(bot.api.answerInlineQuery("i3", [article("a"), article("a")]));
    expect(dup.description).toBe("Bad Request: RESULT_ID_DUPLICATE");
    const badId = await grammyError(bot.api.answerInlineQuery("i4", [article("x".repeat(65))]));
    expect(badId.description).toBe("Bad Request: RESULT_ID_INVALID");
    const badHtml = await grammyError(bot.api.answerInlineQuery("i5", [article("a", "<b>Roma")]));
    expect(badHtml.description).toMatch(/^Bad Request: can't parse entities: /);
  });

  it("stores commands per scope and language", async () => {
    await bot.api.setMyCommands([{ command: "start", description: "Avvia" }]);
    await bot.api.setMyCommands([{ command: "risultati", description: "Risultati" }], {
      language_code: "it",
      scope: { type: "all_private_chats" },
    });
    expect(fake.getCommands()).toEqual([{ command: "start", description: "Avvia" }]);
    expect(fake.getCommands({ type: "all_private_chats" }, "it")).toEqual([
      { command: "risultati", description: "Risultati" },
    ]);
    await expect(
      bot.api.getMyCommands({ language_code: "it", scope: { type: "all_private_chats" } }),
    ).resolves.toHaveLength(1);
    const bad = await grammyError(bot.api.setMyCommands([{ command: "Start", description: "x" }]));
    expect(bad.description).toBe("Bad Request: BOT_COMMAND_INVALID");
    await bot.api.deleteMyCommands();
    await expect(bot.api.getMyCommands()).resolves.toEqual([]);
  });

  it("answers chat administrator queries", async () => {
    fake.setChatAdministrators(-100, [5], 4);
    const admins = await bot.api.getChatAdministrators(-100);
    expect(admins.map((a) => [a.user.id, a.status])).toEqual([
      [4, "creator"],
      [5, "administrator"],
    ]);
    await expect(bot.api.getChatMember(-100, 5)).resolves.toMatchObject({ status: "administrator" });
    await expect(bot.api.getChatMember(-100, 6)).resolves.toMatchObject({ status: "member" });
  });

  it("rejects a wrong token, an unknown method and multipart bodies", async () => {
    const wrong = new Bot("999:wrong", { client: { apiRoot: fake.apiRoot } });
    const unauthorized = await grammyError(wrong.api.getMe());
    expect(unauthorized.error_code).toBe(401);
    expect(unauthorized.description).toBe("Unauthorized");

    const raw = bot.api.raw as unknown as Record<string, (payload: object) => Promise<unknown>>;
    const notFound = await grammyError(raw.noSuchMethod!({}));
    expect(notFound.error_code).toBe(404);
    expect(notFound.description).toBe("Not Found");

    const bad = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: "not a multipart body",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error_code: 400 });
  });

  it("reads multipart bodies as Telegram does", async () => {
    const form = new FormData();
    form.set("chat_id", "42");
    form.set("text", "ciao");
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, result: { text: "ciao" } });
  });

  it("takes a photo uploaded, answers its sizes, and takes their file_ids later", async () => {
    const png = new PNG({ width: 1080, height: 1926 });
    const sent = await bot.api.sendPhoto(42, new InputFile(PNG.sync.write(png), "grafico.png"), {
      caption: "<b>Genova</b>",
      parse_mode: "HTML",
    });
    expect(sent.photo.map((p) => [p.width, p.height])).toEqual([
      [50, 90],
      [179, 320],
      [449, 800],
      [718, 1280],
      [1080, 1926],
    ]);
    expect(sent.caption).toBe("Genova");
    expect(fake.photosTo(42)).toMatchObject([{ uploaded: true, width: 1080, height: 1926, caption: "<b>Genova</b>" }]);
    // Any size's file_id sends the photo again, without an upload.
    const again = await bot.api.sendPhoto(43, sent.photo.at(-1)!.file_id);
    expect(again.photo).toEqual(sent.photo);
    expect(fake.photosTo(43)).toMatchObject([{ uploaded: false, file_id: sent.photo.at(-1)!.file_id }]);
    // A file_id Telegram does not have, a file that is not an image, a caption too long.
    expect((await grammyError(bot.api.sendPhoto(42, "AgACAgQAAxkBAAnope"))).description).toBe(
      "Bad Request: wrong file identifier/HTTP URL specified",
    );
    expect((await grammyError(bot.api.sendPhoto(42, new InputFile(Buffer.from("GIF89a..."))))).description).toBe(
      "Bad Request: IMAGE_PROCESS_FAILED",
    );
    expect(
      (await grammyError(bot.api.sendPhoto(42, sent.photo[0]!.file_id, { caption: "x".repeat(1025) }))).description,
    ).toBe("Bad Request: message caption is too long");
    fake.forgetFiles();
    expect((await grammyError(bot.api.sendPhoto(42, sent.photo[0]!.file_id))).error_code).toBe(400);
    // A photo has no text to edit.
    expect((await grammyError(bot.api.editMessageText(42, sent.message_id, "x"))).description).toBe(
      "Bad Request: there is no text in the message to edit",
    );
  });

  it("answers edits of a deleted message and of one too old to edit as Telegram does", async () => {
    const a = await bot.api.sendMessage(42, "a");
    const b = await bot.api.sendMessage(42, "b");
    fake.deleteMessage(42, a.message_id);
    fake.freezeMessage(42, b.message_id);
    expect((await grammyError(bot.api.editMessageText(42, a.message_id, "x"))).description).toBe(
      "Bad Request: message to edit not found",
    );
    expect((await grammyError(bot.api.editMessageText(42, b.message_id, "x"))).description).toBe(
      "Bad Request: message can't be edited",
    );
  });

  it("returns a pushed update to a pending long poll", async () => {
    const poll = bot.api.getUpdates({ timeout: 30 });
    await fake.waitUntil(() => fake.isPolling);
    const pushed = fake.pushMessage("/start", { userId: 77 });
    const updates = await poll;
    expect(updates).toHaveLength(1);
    expect(updates[0]?.update_id).toBe(pushed.update_id);
    expect(updates[0]?.message?.text).toBe("/start");

    // Not confirmed yet: returned again; confirmed by offset: gone.
    await expect(bot.api.getUpdates({ timeout: 0 })).resolves.toHaveLength(1);
    await expect(bot.api.getUpdates({ offset: (pushed.update_id as number) + 1, timeout: 0 })).resolves.toEqual([]);
    expect(fake.pendingUpdates).toBe(0);
  });

  it("runs a polling bot end to end", async () => {
    bot.command("start", (ctx) => ctx.reply("<b>Benvenuto</b>", { parse_mode: "HTML" }));
    const running = bot.start({ drop_pending_updates: true });
    await fake.waitUntil(() => fake.isPolling);
    fake.pushMessage("/start", { userId: 77 });
    await fake.waitForSent(1);
    await bot.stop();
    await running;
    expect(fake.sentTo(77).map((m) => m.plain)).toEqual(["Benvenuto"]);
    expect(fake.pendingUpdates).toBe(0);
  });

  it("close() releases a pending long poll", async () => {
    const other = await FakeTelegram.start();
    const otherBot = makeBot(other);
    // A timeout longer than the test timeout: only a prompt close lets this finish.
    const poll = otherBot.api.getUpdates({ timeout: 60 });
    await other.waitUntil(() => other.isPolling);
    await other.close();
    await expect(poll).resolves.toEqual([]);
    expect(other.isPolling).toBe(false);
  });

  it("answers 409 to a superseded long poll and while a webhook is set", async () => {
    const first = bot.api.getUpdates({ timeout: 30 });
    await fake.waitUntil(() => fake.isPolling);
    const second = bot.api.getUpdates({ timeout: 0 });
    const conflict = await grammyError(first);
    expect(conflict.error_code).toBe(409);
    expect(conflict.description).toMatch(/^Conflict: terminated by other getUpdates request/);
    await expect(second).resolves.toEqual([]);

    await bot.api.setWebhook("https://example.org/hook");
    await expect(bot.api.getWebhookInfo()).resolves.toMatchObject({ url: "https://example.org/hook" });
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
    await bot.api.deleteWebhook();
    await expect(bot.api.getUpdates()).resolves.toEqual([]);
  });

  it("applies latency and still closes promptly", async () => {
    const slow = await FakeTelegram.start({ latencyMs: 60_000 });
    const slowBot = makeBot(slow);
    const call = slowBot.api.getMe();
    await slow.waitUntil(() => slow.calls.length === 1);
    await slow.close();
    await expect(call).rejects.toBeInstanceOf(HttpError);
  });

  it("reset() clears records and behaviours", async () => {
    fake.blockChat(1);
    await bot.api.sendMessage(2, "x");
    fake.reset();
    expect(fake.sent).toHaveLength(0);
    expect(fake.calls).toHaveLength(0);
    expect(fake.sentCount).toBe(0);
    expect(fake.stats.requests).toBe(0);
    await expect(bot.api.sendMessage(1, "x")).resolves.toBeDefined();
  });
});

describe("flood limits", () => {
  let fake: FakeTelegram | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it("enforces globalPerSecond in a sliding window", async () => {
    let now = 0;
    fake = await FakeTelegram.start({ globalPerSecond: 5, clock: () => now });
    const bot = makeBot(fake);
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => bot.api.sendMessage(100 + i, "x")));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    const err = rejected[0]?.reason as GrammyError;
    expect(err).toBeInstanceOf(GrammyError);
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBe(1);
    expect(err.description).toBe("Too Many Requests: retry after 1");
    expect(fake.sentCount).toBe(5);
    expect(fake.stats.tooManyRequests).toBe(1);

    now = 999;
    await expect(bot.api.sendMessage(1, "x")).rejects.toMatchObject({ error_code: 429 });
    now = 1000;
    await expect(bot.api.sendMessage(1, "x")).resolves.toBeDefined();
  });

  it("enforces globalPerSecond with the real clock", async () => {
    fake = await FakeTelegram.start({ globalPerSecond: 3 });
    const bot = makeBot(fake);
    const results = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => bot.api.sendMessage(200 + i, "x")));
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    expect(fake.sentCount).toBe(3);
  });

  it("counts edits against the limits, never as paid broadcasts", async () => {
    const now = 0;
    fake = await FakeTelegram.start({ globalPerSecond: 2, paidGlobalPerSecond: 4, clock: () => now });
    const bot = makeBot(fake);
    const msg = await bot.api.sendMessage(1, "x", { allow_paid_broadcast: true });
    await bot.api.editMessageText(1, msg.message_id, "y");
    await expect(bot.api.editMessageText(1, msg.message_id, "z")).rejects.toMatchObject({ error_code: 429 });
    await bot.api.sendMessage(2, "x", { allow_paid_broadcast: true });
  });

  it("uses the paid limit for allow_paid_broadcast", async () => {
    const now = 0;
    fake = await FakeTelegram.start({ globalPerSecond: 2, paidGlobalPerSecond: 4, clock: () => now });
    const bot = makeBot(fake);
    await bot.api.sendMessage(1, "x");
    await bot.api.sendMessage(2, "x");
    await expect(bot.api.sendMessage(3, "x")).rejects.toMatchObject({ error_code: 429 });
    await bot.api.sendMessage(3, "x", { allow_paid_broadcast: true });
    await bot.api.sendMessage(4, "x", { allow_paid_broadcast: true });
    await expect(bot.api.sendMessage(5, "x", { allow_paid_broadcast: true })).rejects.toMatchObject({
      error_code: 429,
    });
  });

  it("enforces per-chat and per-group limits", async () => {
    let now = 0;
    fake = await FakeTelegram.start({ perChatPerSecond: 1, perGroupPerMinute: 2, clock: () => now });
    const bot = makeBot(fake);
    await bot.api.sendMessage(1, "x");
    await bot.api.sendMessage(2, "x");
    await expect(bot.api.sendMessage(1, "x")).rejects.toMatchObject({
      error_code: 429,
      parameters: { retry_after: 1 },
    });
    now = 1000;
    await bot.api.sendMessage(1, "x");

    await bot.api.sendMessage(-50, "x");
    now = 2000;
    await bot.api.sendMessage(-50, "x");
    now = 3000;
    const err = await grammyError(bot.api.sendMessage(-50, "x"));
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBe(58);
    now = 61_000;
    await bot.api.sendMessage(-50, "x");
    expect(fake.deliveredPerChat.get(-50)).toBe(3);
  });

  it("keeps limiter memory bounded", async () => {
    let now = 0;
    fake = await FakeTelegram.start({ perChatPerSecond: 1, recordSent: false, clock: () => now });
    const bot = makeBot(fake);
    for (let i = 1; i <= 50; i++) await bot.api.sendMessage(i, "x");
    expect(fake.limiterKeys).toBe(50);
    now = 5000;
    await bot.api.sendMessage(999, "x");
    expect(fake.limiterKeys).toBe(1);
    expect(fake.sent).toHaveLength(0);
    expect(fake.calls).toHaveLength(0);
    expect(fake.sentCount).toBe(51);
  });
});
