/**
 * Live cards end to end, against the fake Bot API: a results edit moves the followers' cards in place,
 * a deleted card is replaced, /iscriviti … solo-esiti and the card's switch turn it off and on.
 */
import { copyFile, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { liveCardData } from "../../../src/bot/callback-data/live-card.js";
import { readOutcomesOnly } from "../../../src/bot/features/live-cards.js";
import { asComuneCode } from "../../../src/data/model.js";
import type { SentMessage } from "../../support/fake-bot-api/index.js";
import { type Harness, startHarness } from "../../support/harness.js";

const GENOVA = "010025";
/** The first round's night: cards show the first round. */
const NIGHT = new Date("2017-06-11T23:45:00+02:00");

let dir: string;
let h: Harness;
let stamp = 0;

/** Genova counting: `counted` sections of 653, the stated outcome not yet there. */
async function genovaCounting(counted: number, total = 653): Promise<void> {
  const file = path.join(dir, "results.json");
  const results = JSON.parse(await readFile(file, "utf8"));
  const genova = results.comuni.find((c: { name: string }) => c.name === "Genova");
  genova.firstRound.sections = { counted, total };
  genova.firstRound.provenance.status = counted < total ? "partial" : "final";
  if (counted < total) delete genova.firstRound.outcome;
  delete genova.runoff;
  await writeFile(file, JSON.stringify(results));
  // Each edit gets its own modification time: the watcher compares size and time.
  const t = new Date(Date.UTC(2017, 5, 11, 21, 0, ++stamp));
  await utimes(file, t, t);
  await h.runtime.poll();
  await h.runtime.liveCards.drained();
}

const cardsTo = (chat: number): SentMessage[] =>
  h.fake.sentTo(chat).filter((m) => m.plain.includes("Scheda in diretta") || m.method === "editMessageText");

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "elezioni-cards-"));
  for (const f of ["election.json", "comuni.json", "turnout.json", "results.json", "bulletins.json"])
    await copyFile(path.join("data", f), path.join(dir, f));
  h = await startHarness({ runtime: { dataDir: dir, now: () => NIGHT } });
});

afterEach(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

describe("live cards", () => {
  it("a follower gets one card when the count moves, edited in place, silently", async () => {
    await h.say("/iscriviti Genova");
    await h.say("/iscriviti Parma", { userId: 2002 });
    const before = h.fake.sentTo(1001).length;
    await genovaCounting(100);
    const first = h.fake.sentTo(1001).slice(before);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ method: "sendMessage" });
    expect(first[0]!.params.disable_notification).toBe(true);
    expect(first[0]!.plain).toContain("100 sezioni su 653");
    expect(first[0]!.plain).toContain("Scheda in diretta");
    const buttons = (
      first[0]!.reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons.map((b) => b.callback_data)).toEqual(["g:010025", liveCardData.pack({ on: false, key: GENOVA })]);

    await genovaCounting(250);
    await genovaCounting(400);
    const after = h.fake.sentTo(1001).slice(before);
    expect(after.map((m) => [m.method, m.message_id])).toEqual([
      ["sendMessage", first[0]!.message_id],
      ["editMessageText", first[0]!.message_id],
      ["editMessageText", first[0]!.message_id],
    ]);
    expect(after.at(-1)!.plain).toContain("400 sezioni su 653");
    // Parma's follower hears nothing of Genova.
    expect(h.fake.sentTo(2002).filter((m) => m.plain.includes("Genova"))).toHaveLength(0);

    // The complete count: the card shows it, and says no more that it moves.
    await genovaCounting(653);
    expect(h.fake.sentTo(1001).at(-1)).toMatchObject({ method: "editMessageText", message_id: first[0]!.message_id });
    expect(h.fake.sentTo(1001).at(-1)!.plain).not.toContain("Scheda in diretta");
    // Nothing left to switch off: the finished card keeps its chart, not "🔕 Solo esiti".
    const done = (
      h.fake.sentTo(1001).at(-1)!.reply_markup as { inline_keyboard: { text: string }[][] }
    ).inline_keyboard.flat();
    expect(done.map((b) => b.text)).toEqual(["📊 Grafico"]);
  });

  it("a card the user deleted is replaced by a fresh one", async () => {
    await h.say("/iscriviti Genova");
    await genovaCounting(100);
    const card = h.fake.sentTo(1001).at(-1)!;
    h.fake.deleteMessage(1001, card.message_id);
    await genovaCounting(200);
    const fresh = h.fake.sentTo(1001).at(-1)!;
    expect(fresh).toMatchObject({ method: "sendMessage" });
    expect(fresh.message_id).not.toBe(card.message_id);
    expect(fresh.plain).toContain("200 sezioni su 653");
    expect(h.fake.stats.tooManyRequests).toBe(0);
    await genovaCounting(300);
    expect(h.fake.sentTo(1001).at(-1)).toMatchObject({ method: "editMessageText", message_id: fresh.message_id });
  });

  it("a new follower of a comune counting gets its card at once", async () => {
    await genovaCounting(100);
    const replies = await h.say("/iscriviti Genova");
    await h.runtime.liveCards.drained();
    expect(replies[0]!.plain).toContain("Genova");
    expect(h.fake.sentTo(1001).at(-1)!.plain).toContain("100 sezioni su 653");
  });

  it("/iscriviti Genova solo-esiti: the outcomes only, no card; /iscriviti Genova turns it back on", async () => {
    await h.say("/iscriviti Genova");
    await genovaCounting(100);
    const card = h.fake.sentTo(1001).at(-1)!;
    const [reply] = await h.say("/iscriviti Genova solo-esiti");
    expect(reply!.plain).toContain("riceverai solo gli esiti");
    // The card says it no longer moves, and offers to switch it back on.
    const retired = h.fake.sentTo(1001).at(-1)!;
    expect(retired).toMatchObject({ method: "editMessageText", message_id: card.message_id });
    expect(retired.plain).toContain("Scheda in diretta spenta");
    const n = h.fake.sentTo(1001).length;
    await genovaCounting(200);
    expect(h.fake.sentTo(1001)).toHaveLength(n);
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual(["010025"]);

    const [on] = await h.say("/iscriviti Genova");
    expect(on!.plain).toContain("Scheda in diretta accesa");
    await h.runtime.liveCards.drained();
    expect(h.fake.sentTo(1001).at(-1)).toMatchObject({ method: "editMessageText", message_id: card.message_id });
    expect(h.fake.sentTo(1001).at(-1)!.plain).toContain("200 sezioni su 653");
  });

  it("switched off and on again with no figure moving in between, the card shows the live view again", async () => {
    await h.say("/iscriviti Genova");
    await genovaCounting(100);
    const card = h.fake.sentTo(1001).at(-1)!;
    await h.press(liveCardData.pack({ on: false, key: GENOVA }), { messageId: card.message_id });
    expect(h.fake.sentTo(1001).at(-1)!.plain).toContain("Scheda in diretta spenta");
    await h.say("/iscriviti Genova");
    await h.runtime.liveCards.drained();
    const back = h.fake.sentTo(1001).at(-1)!;
    expect(back).toMatchObject({ method: "editMessageText", message_id: card.message_id });
    expect(back.plain).toContain("Scheda in diretta: questo messaggio si aggiorna");

    await h.say("/iscriviti Genova solo-esiti");
    await h.say("/iscriviti Genova");
    await h.runtime.liveCards.drained();
    expect(h.fake.sentTo(1001).at(-1)!.plain).toContain("Scheda in diretta: questo messaggio si aggiorna");
  });

  it("a new follower may start with the outcomes only", async () => {
    await genovaCounting(100);
    const [reply] = await h.say("/iscriviti Genova solo-esiti", { lang: "en" });
    expect(reply!.plain).toContain("outcomes only");
    await h.runtime.liveCards.drained();
    await genovaCounting(200);
    expect(cardsTo(1001)).toHaveLength(0);
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual(["010025"]);
    expect((await h.say("/iscriviti solo-esiti"))[0]!.plain).toContain("/iscriviti Genova solo-esiti");
  });

  it("the card's switch turns it off and on again", async () => {
    await h.say("/iscriviti Genova");
    await genovaCounting(100);
    const card = h.fake.sentTo(1001).at(-1)!;
    await h.press(liveCardData.pack({ on: false, key: GENOVA }), { messageId: card.message_id });
    expect(h.fake.callbackAnswers.at(-1)!.text).toContain("solo gli esiti");
    const off = h.fake.sentTo(1001).at(-1)!;
    expect(off).toMatchObject({ method: "editMessageText", message_id: card.message_id });
    const offButtons = (off.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat();
    expect(offButtons.map((b) => b.callback_data)).toContain(liveCardData.pack({ on: true, key: GENOVA }));
    const n = h.fake.sentTo(1001).length;
    await genovaCounting(200);
    expect(h.fake.sentTo(1001)).toHaveLength(n);

    await h.press(liveCardData.pack({ on: true, key: GENOVA }), { messageId: card.message_id });
    await h.runtime.liveCards.drained();
    const on = h.fake.sentTo(1001).at(-1)!;
    expect(on).toMatchObject({ method: "editMessageText", message_id: card.message_id });
    expect(on.plain).toContain("200 sezioni su 653");
    await genovaCounting(300);
    expect(h.fake.sentTo(1001).at(-1)).toMatchObject({ method: "editMessageText", message_id: card.message_id });
  });

  it("in a group only administrators switch the card", async () => {
    await h.say("/iscriviti Genova", { userId: 5, chatId: -100 });
    expect(await h.runtime.store.subscriptionsOf(-100)).toEqual([]);
    h.fake.setChatAdministrators(-100, [5]);
    await h.say("/iscriviti Genova", { userId: 5, chatId: -100 });
    await genovaCounting(100);
    const card = h.fake.sentTo(-100).at(-1)!;
    await h.press(liveCardData.pack({ on: false, key: GENOVA }), {
      userId: 6,
      chatId: -100,
      messageId: card.message_id,
    });
    expect(h.fake.callbackAnswers.at(-1)!.text).toContain("amministratori");
    expect(await h.runtime.app.cards.store.isOff(-100, asComuneCode(GENOVA))).toBe(false);
  });
});

describe("readOutcomesOnly", () => {
  const words = ["solo-esiti", "solo esiti", "outcomes-only"];
  it("takes the word off the end, in any capitalisation", async () => {
    expect(readOutcomesOnly("Genova solo-esiti", words)).toEqual({ rest: "Genova", outcomesOnly: true });
    expect(readOutcomesOnly("  Reggio Emilia  Solo Esiti ", words)).toEqual({
      rest: "Reggio Emilia",
      outcomesOnly: true,
    });
    expect(readOutcomesOnly("solo-esiti", words)).toEqual({ rest: "", outcomesOnly: true });
    expect(readOutcomesOnly("Genova", words)).toEqual({ rest: "Genova", outcomesOnly: false });
    expect(readOutcomesOnly("Genovasolo-esiti", words)).toEqual({ rest: "Genovasolo-esiti", outcomesOnly: false });
  });
});
