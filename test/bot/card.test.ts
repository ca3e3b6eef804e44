/**
 * The buttons under a comune's card, through the bot and the fake Bot API: follow and stop following
 * (the card's button turns), turnout, news, refresh in place, every runoff; answered before the work;
 * still working after a restart; in a group, following is for administrators.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cardData } from "../../src/bot/callback-data/card.js";
import { followData } from "../../src/bot/callback-data/follow.js";
import { asComuneCode } from "../../src/data/model.js";
import { UpdateFactory } from "../../src/terminal/updates.js";
import type { SentMessage } from "../support/fake-bot-api/index.js";
import { type Harness, startHarness } from "../support/harness.js";

function clockAt(iso: string): () => Date {
  const offset = Date.now() - Date.parse(iso);
  return () => new Date(Date.now() - offset);
}
const MORNING_AFTER = "2017-06-12T12:00:00+02:00";

const open: Harness[] = [];
async function harness(dbPath?: string): Promise<Harness> {
  const h = await startHarness({ runtime: { now: clockAt(MORNING_AFTER) }, ...(dbPath ? { dbPath } : {}) });
  open.push(h);
  return h;
}
afterEach(async () => {
  while (open.length)
    await open
      .pop()!
      .close()
      .catch(() => undefined);
});

type Button = { text: string; callback_data: string };
type Keyboard = { inline_keyboard: Button[][] };
const keyboard = (m: SentMessage) => m.reply_markup as Keyboard;
const button = (m: SentMessage | Keyboard, text: string) =>
  ("inline_keyboard" in m ? m : keyboard(m)).inline_keyboard.flat().find((b) => b.text === text)!;

/** Sends /citta <name> and returns the card message. */
async function card(h: Harness, name: string, who = {}): Promise<SentMessage> {
  const [m] = await h.say(`/citta ${name}`, who);
  return m!;
}

describe("a card's buttons", () => {
  it("carry the comune's ISTAT code and fit Telegram's 64 bytes", async () => {
    const h = await harness();
    const genova = await card(h, "Genova");
    const data = keyboard(genova)
      .inline_keyboard.flat()
      .map((b) => b.callback_data);
    expect(data).toEqual(["f:+010025", "k:t010025", "k:n010025", "k:r010025", "k:b", "g:010025"]);
    expect(followData.unpack(data[0]!)).toEqual({ follow: true, key: "010025" });
    expect(cardData.unpack(data[1]!)).toEqual({ action: "turnout", key: "010025" });
    expect(cardData.unpack("k:b")).toEqual({ action: "runoffs" });
    for (const bad of ["k:", "k:t", "k:x123", "k:bxyz"]) expect(cardData.unpack(bad), bad).toBeUndefined();
  });

  it("a comune without results has no turnout button", async () => {
    const h = await harness();
    expect(
      keyboard(await card(h, "Pavia"))
        .inline_keyboard.flat()
        .map((b) => b.text),
    ).toEqual(["🔔 Segui Pavia", "📰 Notizie", "🔄 Aggiorna", "🔁 Tutti i ballottaggi"]);
  });

  it("follow turns into unfollow on the card itself, and back", async () => {
    const h = await harness();
    const genova = await card(h, "Genova");
    const follow = button(genova, "🔔 Segui Genova");
    const [reply] = await h.press(follow.callback_data, { messageId: genova.message_id, markup: genova.reply_markup });
    expect(reply!.plain).toContain("riceverai gli aggiornamenti su Genova e quelli nazionali.");
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual(["010025"]);
    const edit = h.fake.markupEdits.at(-1)!;
    expect(edit.message_id).toBe(genova.message_id);
    const unfollow = button(edit.reply_markup as Keyboard, "🔕 Non seguire Genova");
    expect(unfollow.callback_data).toBe("f:-010025");
    await h.press(unfollow.callback_data, { messageId: genova.message_id, markup: edit.reply_markup });
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual([]);
    expect(button(h.fake.markupEdits.at(-1)!.reply_markup as Keyboard, "🔔 Segui Genova")).toBeDefined();
    // A card sent to a chat that follows the comune offers to stop.
    await h.say("/iscriviti Genova");
    expect(button(await card(h, "Genova"), "🔕 Non seguire Genova")).toBeDefined();
  });

  it("a follow button under suggestions leaves that keyboard alone", async () => {
    const h = await harness();
    const [suggestions] = await h.say("/iscriviti Paduva");
    const edits = h.fake.markupEdits.length;
    await h.press(button(suggestions!, "🔔 Padova").callback_data, {
      messageId: suggestions!.message_id,
      markup: suggestions!.reply_markup,
    });
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual(["028060"]);
    expect(h.fake.markupEdits.length).toBe(edits);
  });

  it("turnout, news and every runoff answer with a new message", async () => {
    const h = await harness();
    const genova = await card(h, "Genova");
    const turnout = await h.press(button(genova, "🗳 Affluenza").callback_data);
    expect(turnout.map((m) => m.plain).join("\n")).toContain("Affluenza: 48,39% (tornata precedente 55,57%)");
    const news = (await h.press(button(genova, "📰 Notizie").callback_data)).map((m) => m.plain).join("\n");
    expect(news).toMatch(/^📰 Ultimi aggiornamenti su Genova/);
    expect(news.match(/🕒/g)).toHaveLength(2);
    const runoffs = (await h.press(button(genova, "🔁 Tutti i ballottaggi").callback_data)).map((m) => m.plain);
    expect(runoffs.join("\n").match(/ contro /g)).toHaveLength(22);
  });

  it("refresh edits the card in place; unchanged is fine; the callback is answered first", async () => {
    const h = await harness();
    const genova = await card(h, "Genova");
    const refresh = button(genova, "🔄 Aggiorna");
    const calls = h.fake.calls.length;
    const edited = await h.press(refresh.callback_data, { messageId: genova.message_id, markup: genova.reply_markup });
    // The first refresh of an unchanged card: Telegram says "not modified", and nothing more is sent.
    expect(edited.filter((m) => m.method === "sendMessage")).toHaveLength(0);
    const methods = h.fake.calls.slice(calls).map((c) => c.method);
    expect(methods[0]).toBe("answerCallbackQuery");
    expect(methods).toContain("editMessageText");
    expect(h.fake.callbackAnswers.at(-1)).toMatchObject({ text: "Aggiornato" });
    // Once the chat follows Genova, the same card's edit changes the follow button.
    await h.runtime.store.subscribe(1001, asComuneCode("010025"), "it");
    const [again] = await h.press(refresh.callback_data, { messageId: genova.message_id });
    expect(again!.method).toBe("editMessageText");
    expect(again!.message_id).toBe(genova.message_id);
    expect(again!.plain).toContain("Marco Bucci — 38,8%");
    expect(button(again!, "🔕 Non seguire Genova")).toBeDefined();
    expect(h.fake.callbackAnswers.filter((a) => String(a.text ?? "").includes("qualcosa è andato storto"))).toEqual([]);
  });

  it("a card that can no longer be edited is sent again", async () => {
    const h = await harness();
    const genova = await card(h, "Genova");
    const [fresh] = await h.press(button(genova, "🔄 Aggiorna").callback_data, { messageId: 99_999 });
    expect(fresh!.method).toBe("sendMessage");
    expect(fresh!.plain).toContain("Marco Bucci — 38,8%");
  });

  it("work after a restart: the buttons carry everything they need", async () => {
    const first = await harness();
    const genova = await card(first, "Genova");
    const data = keyboard(genova)
      .inline_keyboard.flat()
      .map((b) => b.callback_data);
    const dbPath = first.dbPath;
    await first.runtime.stop();
    const second = await harness(dbPath);
    await second.press(data[0]!);
    expect(await second.runtime.store.subscriptionsOf(1001)).toEqual(["010025"]);
    expect((await second.press(data[1]!))[0]!.plain).toContain("Affluenza: 48,39%");
    expect((await second.press(data[2]!))[0]!.plain).toContain("Ultimi aggiornamenti su Genova");
  });

  it("a card posted through inline mode has a refresh button, which edits it in place", async () => {
    const h = await harness();
    await h.inline("genova");
    const answer = h.fake.inlineAnswers.at(-1)! as unknown as { results: { reply_markup: Keyboard }[] };
    const markup = answer.results[0]!.reply_markup;
    expect(markup.inline_keyboard.flat()).toEqual([{ text: "🔄 Aggiorna", callback_data: "k:r010025" }]);
    const calls = h.fake.calls.length;
    await h.runtime.bot.handleUpdate(
      new UpdateFactory({ lastUpdateId: 800_000 }).inlineCallback("k:r010025", { userId: 1001 }, "inline-1"),
    );
    const made = h.fake.calls.slice(calls);
    expect(made.map((c) => c.method)).toEqual(["answerCallbackQuery", "editMessageText"]);
    expect(made[1]!.params.inline_message_id).toBe("inline-1");
    expect(String(made[1]!.params.text)).toContain("Marco Bucci");
  });

  it("a button whose comune is gone is answered, not ignored", async () => {
    const h = await harness();
    const answers = h.fake.callbackAnswers.length;
    expect(await h.press("k:tatlantide")).toHaveLength(0);
    expect(h.fake.callbackAnswers.slice(answers)).toEqual([
      expect.objectContaining({ text: "Questo comune non è più nei dati." }),
    ]);
  });

  it("in a group anyone may look; following from a card is for administrators", async () => {
    const h = await harness();
    const group = -100654;
    h.fake.setChatAdministrators(group, [21], 20);
    const member = { chatId: group, userId: 22 };
    const genova = await card(h, "Genova", member);
    expect((await h.press(button(genova, "🗳 Affluenza").callback_data, member))[0]!.plain).toContain("48,39%");
    expect(await h.press(button(genova, "🔔 Segui Genova").callback_data, member)).toHaveLength(0);
    expect(h.fake.callbackAnswers.at(-1)).toMatchObject({ show_alert: true });
    expect(await h.runtime.store.subscriptionsOf(group)).toEqual([]);
    const [done] = await h.press(button(genova, "🔔 Segui Genova").callback_data, { chatId: group, userId: 21 });
    expect(done!.plain).toContain("il gruppo riceverà gli aggiornamenti su Genova");
  });
});
