/**
 * The newsroom end to end, through the harness and the loopback fake Bot API: the preview and its
 * buttons, what is refused, formatting by Telegram's entities, corrections and withdrawals of every
 * delivered copy (also across a restart and a 429), and answers kept out of groups.
 */
import { Api } from "grammy";
import type { MessageEntity } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { tagFor } from "../../../src/bot/newsroom/compose.js";
import { codeOf } from "../../../src/data/places.js";
import { messages } from "../../../src/i18n/index.js";
import { bulletinBlock } from "../../../src/views/bulletins.js";
import { parseTelegramHtml, type SentMessage } from "../../support/fake-bot-api/index.js";
import { ADMIN, type Harness, type HarnessOptions, startHarness } from "../../support/harness.js";

const fast: HarnessOptions["runtime"] = { engine: { backoffMs: () => 20, privateGapMs: 0, groupGapMs: 0 } };
const open: Harness[] = [];
async function harness(o: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ ...o, runtime: { ...fast, ...o.runtime } });
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

/** The bulletins as subscribers got them (pushes, not replies). */
const pushesTo = (h: Harness, chatId: number) =>
  h.fake.sentTo(chatId).filter((m) => m.method === "sendMessage" && m.plain.startsWith("🕒"));

/** The callback data of a message's button whose label contains `label`. */
function button(m: SentMessage, label: string): string {
  const rows = (m.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] } | undefined)
    ?.inline_keyboard;
  const b = rows?.flat().find((x) => x.text.includes(label));
  if (!b) throw new Error(`no button "${label}" under: ${m.plain}`);
  return b.callback_data;
}

const lastAnswer = (h: Harness) => h.fake.callbackAnswers.at(-1)?.text;
const reportsTo = (h: Harness, chatId: number, word: string) =>
  h.fake.sentTo(chatId).filter((m) => m.plain.includes(word));

/** Chats following everything, or one comune (by name: kept by its code). */
async function subscribers(h: Harness, ids: number[], comune: string | null = null) {
  const code = comune === null ? null : codeOf(h.runtime.data.current().byKey(comune)!);
  for (const id of ids) await h.runtime.store.subscribe(id, code, "it");
}

/** Publishes at once (`/pubblica!`), waits for the push and its report, and returns the bulletin's number. */
async function published(h: Harness, text: string): Promise<number> {
  const before = await h.runtime.store.bulletinCount();
  const reports = reportsTo(h, ADMIN, "Resoconto").length;
  await h.say(`/pubblica! ${text}`, { userId: ADMIN });
  expect(await h.runtime.store.bulletinCount()).toBe(before + 1);
  await h.runtime.engine.drained();
  const push = (await h.runtime.store.lastPush())!;
  if (push.total > 0) await h.fake.waitUntil(() => reportsTo(h, ADMIN, "Resoconto").length > reports);
  return push.seq;
}

describe("/pubblica shows a preview first", () => {
  it("shows the bulletin as subscribers will see it and whom it reaches; Invia sends it once", async () => {
    const h = await harness();
    await subscribers(h, [1]);
    await subscribers(h, [2], "Genova");
    await subscribers(h, [3], "Verona");
    h.runtime.start();
    const bulletins = await h.runtime.store.bulletinCount();

    const [preview, ...more] = await h.say("/pubblica Affluenza alle 19 a Genova: 42,35% #Genova", { userId: ADMIN });
    expect(more).toHaveLength(0);
    expect(preview!.plain).toContain("Anteprima");
    expect(preview!.plain).toContain("Affluenza alle 19 a Genova: 42,35% #Genova");
    expect(preview!.plain).toContain("Comuni: Genova");
    expect(preview!.plain).toContain("Lo riceveranno 2 chat");
    expect(await h.runtime.store.bulletinCount()).toBe(bulletins);
    expect(await h.runtime.store.pendingCount()).toBe(0);

    const edited = await h.press(button(preview!, "Invia"), { userId: ADMIN, messageId: preview!.message_id });
    expect(lastAnswer(h)).toBe("Fatto.");
    expect(edited.at(-1)!.method).toBe("editMessageText");
    expect(edited.at(-1)!.plain).toMatch(/Pubblicato \(n\. \d+\): invio in corso a 2 chat/);
    expect(edited.at(-1)!.reply_markup).toBeUndefined();
    await h.runtime.engine.drained();

    // The same renderer: the preview's block is what arrived.
    const push = pushesTo(h, 1)[0]!;
    const block = push.plain;
    expect(preview!.plain).toContain(block.slice(block.indexOf("\n") + 1));
    expect(pushesTo(h, 2)).toHaveLength(1);
    expect(pushesTo(h, 3)).toHaveLength(0);
    expect(await h.runtime.store.bulletinCount()).toBe(bulletins + 1);

    // The report is titled with the bulletin's first words.
    await h.fake.waitUntil(() => reportsTo(h, ADMIN, "Resoconto").length > 0);
    const report = reportsTo(h, ADMIN, "Resoconto")[0]!.plain;
    expect(report).toContain("Resoconto invio «Affluenza alle 19 a Genova: 42,35% #Genova»");
    expect(report).not.toContain("redazione-");
    expect(report).toMatch(/consegnati: 2/);
    expect(report).toMatch(/durata: \d+,\d s/);
  });

  it("an English-speaking editor gets the report in English, seconds written the English way", async () => {
    const h = await harness();
    await subscribers(h, [1]);
    h.runtime.start();
    await h.say("/pubblica! Seggi chiusi", { userId: ADMIN, lang: "en" });
    await h.runtime.engine.drained();
    await h.fake.waitUntil(() => reportsTo(h, ADMIN, "Delivery report").length > 0);
    const report = reportsTo(h, ADMIN, "Delivery report")[0]!.plain;
    expect(report).toContain("Delivery report «Seggi chiusi»");
    expect(report).toMatch(/took: \d+\.\d s/);
  });

  it("Annulla publishes nothing, and a later Invia on the same preview does nothing", async () => {
    const h = await harness();
    await subscribers(h, [1]);
    h.runtime.start();
    const bulletins = await h.runtime.store.bulletinCount();
    const [preview] = await h.say("/pubblica Seggi chiusi", { userId: ADMIN });
    const edited = await h.press(button(preview!, "Annulla"), { userId: ADMIN, messageId: preview!.message_id });
    expect(lastAnswer(h)).toBe("Annullato.");
    expect(edited.at(-1)!.plain).toContain("Annullato: non ho fatto nulla.");
    await h.press(button(preview!, "Invia"), { userId: ADMIN, messageId: preview!.message_id });
    expect(lastAnswer(h)).toBe("Questa anteprima è stata annullata.");
    expect(await h.runtime.store.bulletinCount()).toBe(bulletins);
    expect(await h.runtime.store.pendingCount()).toBe(0);
  });

  it("after 30 minutes the preview has expired: it says so and sends nothing", async () => {
    let clock = Date.parse("2017-06-11T21:00:00+02:00");
    const h = await harness({ runtime: { now: () => new Date(clock) } });
    await subscribers(h, [1]);
    const bulletins = await h.runtime.store.bulletinCount();
    const [preview] = await h.say("/pubblica Seggi chiusi", { userId: ADMIN });
    clock += 29 * 60_000;
    // Still valid at 29 minutes: cancelling works.
    const [other] = await h.say("/pubblica Seggi chiusi davvero", { userId: ADMIN });
    clock += 2 * 60_000;
    const edited = await h.press(button(preview!, "Invia"), { userId: ADMIN, messageId: preview!.message_id });
    expect(lastAnswer(h)).toBe("Anteprima scaduta: scrivi di nuovo il comando.");
    expect(edited.at(-1)!.plain).toContain("Anteprima scaduta: non ho fatto nulla.");
    expect(edited.at(-1)!.reply_markup).toBeUndefined();
    await h.press(button(other!, "Invia"), { userId: ADMIN, messageId: other!.message_id });
    expect(lastAnswer(h)).toBe("Fatto.");
    expect(await h.runtime.store.bulletinCount()).toBe(bulletins + 1);
    expect(
      (await h.runtime.store.latestBulletins(20)).filter((b) => b.origin === "newsroom").map((b) => b.text),
    ).toEqual(["Seggi chiusi davvero"]);
  });

  it("a double tap publishes once; someone else's press does nothing", async () => {
    const h = await harness({ runtime: { adminIds: new Set([ADMIN, 43]) } });
    await subscribers(h, [1, 2]);
    h.runtime.start();
    const bulletins = await h.runtime.store.bulletinCount();
    const [preview] = await h.say("/pubblica Affluenza alle 23: 60,07%", { userId: ADMIN });
    const send = button(preview!, "Invia");
    await h.press(send, { userId: 43, messageId: preview!.message_id });
    expect(lastAnswer(h)).toBe("Questa anteprima è di un altro redattore.");
    await h.press(send, { userId: 7, messageId: preview!.message_id });
    expect(lastAnswer(h)).toBe("Questo comando è riservato alla redazione.");
    expect(await h.runtime.store.bulletinCount()).toBe(bulletins);

    await Promise.all([
      h.press(send, { userId: ADMIN, messageId: preview!.message_id }),
      h.press(send, { userId: ADMIN, messageId: preview!.message_id }),
    ]);
    expect(h.fake.callbackAnswers.slice(-2).map((a) => a.text)).toEqual(
      expect.arrayContaining(["Fatto.", "Già fatto: non lo ripeto."]),
    );
    await h.runtime.engine.drained();
    expect(await h.runtime.store.bulletinCount()).toBe(bulletins + 1);
    for (const id of [1, 2]) expect(pushesTo(h, id)).toHaveLength(1);
  });

  it("the buttons work after a restart: the draft is in the database", async () => {
    const first = await harness();
    await subscribers(first, [1]);
    const [preview] = await first.say("/pubblica Dopo il riavvio", { userId: ADMIN });
    await first.runtime.stop();
    const second = await harness({ existingFake: first.fake, dbPath: first.dbPath });
    second.runtime.start();
    await second.press(button(preview!, "Invia"), { userId: ADMIN, messageId: preview!.message_id });
    expect(lastAnswer(second)).toBe("Fatto.");
    await second.runtime.engine.drained();
    expect(pushesTo(second, 1).map((m) => m.plain)).toEqual([expect.stringContaining("Dopo il riavvio")]);
  });

  it("/pubblica! skips the preview, and /aiuto says how", async () => {
    const h = await harness();
    await subscribers(h, [1]);
    h.runtime.start();
    const [ack] = await h.say("/pubblica! Seggi chiusi", { userId: ADMIN });
    expect(ack!.plain).toMatch(/^📣 Pubblicato \(n\. \d+\)\. Invio in corso a 1 chat/);
    await h.runtime.engine.drained();
    expect(pushesTo(h, 1)).toHaveLength(1);
    const help = (await h.say("/aiuto", { userId: ADMIN }))[0]!.plain;
    expect(help).toContain("/pubblica! — pubblica subito, senza anteprima");
    expect(help).toContain("/rettifica");
    expect(help).toContain("/ritira");
  });
});

describe("what /pubblica refuses", () => {
  it("a text that is only tags or punctuation", async () => {
    const h = await harness();
    const bulletins = await h.runtime.store.bulletinCount();
    for (const text of [
      "/pubblica #",
      "/pubblica #Genova",
      "/pubblica ...",
      "/pubblica! #Genova #Parma",
      "/pubblica 🗳️ !",
    ]) {
      const [r] = await h.say(text, { userId: ADMIN });
      expect(r!.plain, text).toContain("Il testo è fatto solo di tag o punteggiatura");
      expect(r!.reply_markup, text).toBeUndefined();
    }
    expect((await h.say("/pubblica", { userId: ADMIN }))[0]!.plain).toContain("Scrivi il testo");
    expect(await h.runtime.store.bulletinCount()).toBe(bulletins);
  });

  it("a misspelt tag: offers the closest comune, and nothing goes out until the tags resolve", async () => {
    const h = await harness();
    await subscribers(h, [2], "Genova");
    h.runtime.start();
    const bulletins = await h.runtime.store.bulletinCount();
    const [offer] = await h.say("/pubblica Seggi chiusi a #Genva", { userId: ADMIN });
    expect(offer!.plain).toBe(
      "Non riconosco questi comuni: #Genva (forse #Genova?). Correggi i tag e riprova; non ho pubblicato nulla.",
    );
    expect(await h.runtime.store.bulletinCount()).toBe(bulletins);
    const [preview] = await h.press(button(offer!, "Usa #Genova"), { userId: ADMIN, messageId: offer!.message_id });
    expect(preview!.plain).toContain("Seggi chiusi a #Genova");
    expect(preview!.plain).toContain("Comuni: Genova");
    expect(preview!.plain).toContain("Lo riceverà 1 chat");
    expect(await h.runtime.store.bulletinCount()).toBe(bulletins);
    await h.press(button(preview!, "Invia"), { userId: ADMIN, messageId: offer!.message_id });
    await h.runtime.engine.drained();
    expect(pushesTo(h, 2).map((m) => m.plain)).toEqual([expect.stringContaining("Seggi chiusi a #Genova")]);

    // No comune near enough: nothing offered.
    // (The push's report may arrive in the same chat meanwhile.)
    const none = (await h.say("/pubblica Risultati #Atlantide e #Genva", { userId: ADMIN })).find((m) =>
      m.plain.startsWith("Non riconosco"),
    );
    expect(none!.plain).toContain("#Atlantide, #Genva (forse #Genova?)");
    expect(none!.reply_markup).toBeUndefined();
  });
});

describe("formatting by Telegram's entities", () => {
  it("bold, italics and http(s) links reach subscribers as safe HTML, after emoji; a javascript: link does not", async () => {
    const h = await harness();
    await subscribers(h, [1]);
    h.runtime.start();
    const text =
      "/pubblica 🗳️👨‍👩‍👧 Affluenza alle 19: 42,35% (fonte: Viminale, dettagli) <b>non grassetto</b> & #Genova";
    const at = (part: string) => text.indexOf(part);
    const entities: MessageEntity[] = [
      { type: "bold", offset: at("42,35%"), length: "42,35%".length },
      { type: "italic", offset: at("Viminale"), length: "Viminale".length },
      { type: "text_link", offset: at("Viminale"), length: "Viminale".length, url: "https://elezioni.interno.gov.it/" },
      { type: "text_link", offset: at("dettagli"), length: "dettagli".length, url: "javascript:alert(1)" },
    ];
    const [preview] = await h.say(text, { userId: ADMIN, entities });
    await h.press(button(preview!, "Invia"), { userId: ADMIN, messageId: preview!.message_id });
    await h.runtime.engine.drained();
    const push = pushesTo(h, 1)[0]!;
    expect(push.text).toContain(
      '🗳️👨‍👩‍👧 Affluenza alle 19: <b>42,35%</b> (fonte: <a href="https://elezioni.interno.gov.it/"><i>Viminale</i></a>, dettagli) &lt;b&gt;non grassetto&lt;/b&gt; &amp; #Genova',
    );
    expect(push.text).not.toContain("javascript");
    // Telegram shows the bold exactly over the figure.
    const shown = parseTelegramHtml(push.text);
    const bold = shown.entities.find(
      (e) => e.type === "bold" && shown.text.slice(e.offset, e.offset + e.length) !== "",
    );
    const bolds = shown.entities
      .filter((e) => e.type === "bold")
      .map((e) => shown.text.slice(e.offset, e.offset + e.length));
    expect(bold).toBeDefined();
    expect(bolds).toContain("42,35%");
    // /ultime shows it the same way.
    const latest = (await h.say("/ultime 1"))[0]!;
    expect(latest.text).toContain("<b>42,35%</b>");
  });
});

describe("/rettifica edits every delivered copy", () => {
  it("after a preview: every copy edited in place, /ultime shows the new text, and a report", async () => {
    const h = await harness();
    const ids = [1, 2, 3, -1001234];
    await subscribers(h, ids);
    h.runtime.start();
    const n = await published(h, "Affluenza alle 19: 42,53% #Genova");
    const copies = new Map(ids.map((id) => [id, pushesTo(h, id)[0]!.message_id]));

    const [preview] = await h.say(`/rettifica ${n} Affluenza alle 19: <b>42,35%</b> #Genova`, {
      userId: ADMIN,
    });
    expect(preview!.plain).toContain(`Rettifica di n. ${n}`);
    expect(preview!.plain).toContain("Affluenza alle 19: <b>42,35%</b> #Genova");
    expect(preview!.plain).toContain("Correggerò 4 copie già consegnate");
    expect(h.fake.editCount).toBe(0);
    await h.press(button(preview!, "Correggi"), { userId: ADMIN, messageId: preview!.message_id });
    await h.runtime.engine.drained();

    for (const id of ids) {
      const edits = h.fake.sentTo(id).filter((m) => m.method === "editMessageText");
      expect(edits, String(id)).toHaveLength(1);
      expect(edits[0]!.message_id).toBe(copies.get(id));
      expect(edits[0]!.plain).toContain("Affluenza alle 19: <b>42,35%</b> #Genova");
      expect(edits[0]!.plain).toMatch(/✏️ rettificato alle \d\d:\d\d/);
    }
    expect((await h.say("/ultime 1"))[0]!.plain).toContain("42,35%");
    await h.fake.waitUntil(() => reportsTo(h, ADMIN, "Rettifica «").length > 0);
    const report = reportsTo(h, ADMIN, "Rettifica «")[0]!.plain;
    expect(report).toContain(`Rettifica «Affluenza alle 19: <b>42,35%</b> #Genova» (n. ${n})`);
    expect(report).toContain("corrette: 4");
    expect(report).toContain("non riuscite (Telegram non le lascia modificare): 0");
  });

  it("by replying to the report; 'message is not modified' is success; a message the reader deleted is counted", async () => {
    const now = new Date("2017-06-11T23:30:00+02:00");
    const h = await harness({ runtime: { now: () => now } });
    await subscribers(h, [1, 2, ADMIN]);
    h.runtime.start();
    const n = await published(h, "Seggi chiusi alle 23");
    await h.fake.waitUntil(() => reportsTo(h, ADMIN, "Resoconto").length > 0);
    const report = reportsTo(h, ADMIN, "Resoconto")[0]!;
    // Chat 2 deleted its copy (as a reader can); chat 1's copy already reads exactly the corrected text.
    const api = new Api(h.fake.token, { apiRoot: h.fake.apiRoot });
    await api.deleteMessage(2, pushesTo(h, 2)[0]!.message_id);
    const corrected = "Seggi chiusi alle 23: affluenza 60,07%";
    const b = (await h.runtime.store.bulletin(n))!;
    const html = bulletinBlock({ ...b, text: corrected, correctedAt: now.toISOString() }, messages("it"), now);
    await api.editMessageText(1, pushesTo(h, 1)[0]!.message_id, html, { parse_mode: "HTML" });

    const [ack] = await h.say(`/rettifica! ${corrected}`, { userId: ADMIN, replyTo: report.message_id });
    expect(ack!.plain).toContain(`Rettifica di n. ${n} fatta`);
    expect(ack!.plain).toContain("correggo 3 copie consegnate");
    await h.runtime.engine.drained();
    await h.fake.waitUntil(() => reportsTo(h, ADMIN, "Rettifica «").length > 0);
    const amended = reportsTo(h, ADMIN, "Rettifica «")[0]!.plain;
    expect(amended).toContain("corrette: 2");
    expect(amended).toContain("non più presenti (messaggio cancellato, bot bloccato o chat inesistente): 1");
    expect(amended).toContain("non riuscite (Telegram non le lascia modificare): 0");
    expect(h.fake.sentTo(1).filter((m) => m.method === "editMessageText")).toHaveLength(1); // ours only

    // The same text again, by replying to the copy in the editor's own chat: refused as unchanged.
    const mine = pushesTo(h, ADMIN)[0]!;
    const [same] = await h.say(`/rettifica! ${corrected}`, { userId: ADMIN, replyTo: mine.message_id });
    expect(same!.plain).toBe("Il testo è uguale a quello pubblicato: non c'è nulla da correggere.");
  });

  it("refuses an unknown number, a bulletin of the data pack, and shows the latest with their numbers", async () => {
    const h = await harness();
    h.runtime.start();
    const n = await published(h, "Affluenza alle 12: 19,36%");
    const usage = (await h.say("/rettifica", { userId: ADMIN }))[0]!.plain;
    expect(usage).toContain("Scrivi il numero dell'aggiornamento");
    expect(usage).toContain(`n. ${n} ·`);
    expect(usage).toContain("«Affluenza alle 12: 19,36%»");
    expect((await h.say("/rettifica 99999 testo", { userId: ADMIN }))[0]!.plain).toContain(
      "Non trovo l'aggiornamento «99999»",
    );
    const pack = (await h.runtime.store.latestBulletins(20)).find((b) => b.origin === "pack")!;
    expect((await h.say(`/rettifica ${pack.seq} testo`, { userId: ADMIN }))[0]!.plain).toContain(
      "viene dai dati (bulletins.json)",
    );
    expect((await h.say(`/rettifica ${n}`, { userId: ADMIN }))[0]!.plain).toContain("Scrivi il numero");
    expect((await h.say(`/rettifica ${n} #Genova`, { userId: ADMIN }))[0]!.plain).toContain("solo di tag");
    expect((await h.say("/rettifica 1 x", { userId: 7 }))[0]!.plain).toBe("Questo comando è riservato alla redazione.");
  });

  it("a 429 during a correction pauses the edits, then every copy is corrected once", async () => {
    // One edit at a time, so that "after the 429" is well defined.
    const h = await harness({ runtime: { engine: { ...fast!.engine, concurrency: 1 } } });
    const ids = Array.from({ length: 10 }, (_, i) => 500 + i);
    await subscribers(h, ids);
    h.runtime.start();
    const n = await published(h, "Affluenza alle 19: 42,53%");
    h.fake.tooManyNext(1, 1, "editMessageText");
    await h.say(`/rettifica! ${n} Affluenza alle 19: 42,35%`, { userId: ADMIN });
    await h.runtime.engine.drained();
    expect(h.runtime.engine.stats.rateLimited).toBe(1);
    const edits = h.fake.callsOf("editMessageText");
    expect(edits).toHaveLength(ids.length + 1);
    // Nothing was tried during the pause Telegram asked for (retry_after: 1 s).
    expect(edits[1]!.at - edits[0]!.at).toBeGreaterThanOrEqual(950);
    for (const id of ids)
      expect(
        h.fake.sentTo(id).filter((m) => m.method === "editMessageText"),
        String(id),
      ).toHaveLength(1);
  });

  it("survives a crash mid-correction: a new instance on the same database corrects the rest", async () => {
    const first = await harness({ fake: { latencyMs: 5 }, runtime: { sendRate: 200 } });
    const ids = Array.from({ length: 120 }, (_, i) => 700 + i);
    await subscribers(first, ids);
    first.runtime.start();
    const n = await published(first, "Risultati parziali a Genova");
    const editsBefore = first.fake.editCount;
    await first.say(`/rettifica! ${n} Risultati definitivi a Genova`, { userId: ADMIN });
    await first.fake.waitUntil(() => first.fake.editCount >= editsBefore + 30);
    // The process dies: nothing more is recorded.
    (first.runtime.store as unknown as { db: { close(): void } }).db.close();
    expect(first.fake.editCount).toBeLessThan(editsBefore + ids.length);

    const second = await startHarness({ existingFake: first.fake, dbPath: first.dbPath, runtime: fast });
    open.push(second);
    second.runtime.start();
    await second.runtime.engine.drained();
    for (const id of ids) {
      const last = first.fake.sentTo(id).at(-1)!;
      expect(last.method, String(id)).toBe("editMessageText");
      expect(last.plain).toContain("Risultati definitivi a Genova");
    }
    await first.fake.waitUntil(() => reportsTo(first, ADMIN, "Rettifica «").length > 0);
    expect(reportsTo(first, ADMIN, "Rettifica «")[0]!.plain).toContain(`corrette: `);
  });

  it("a copy sent while the correction is made is corrected too", async () => {
    const h = await harness({ fake: { latencyMs: 30 } });
    await subscribers(h, [1, 2, 3]);
    h.runtime.start();
    await h.runtime.publisher.publish({ text: "In volo", comuni: [], requestedBy: ADMIN, lang: "it" });
    const seq = (await h.runtime.store.lastPush())!.seq;
    // The sends are in flight (the fake answers after 30 ms) when the correction lands.
    await h.fake.waitUntil(() => h.fake.callsOf("sendMessage").length >= 1);
    await h.runtime.publisher.amend(
      seq,
      { kind: "correct", content: { text: "Corretto", comuni: [] } },
      { requestedBy: ADMIN, lang: "it" },
    );
    await h.runtime.engine.drained();
    for (const id of [1, 2, 3]) expect(h.fake.sentTo(id).at(-1)!.plain, String(id)).toContain("Corretto");
    // At least the send that was in flight went out with the old text, and was edited.
    expect(h.fake.editCount).toBeGreaterThanOrEqual(1);
  });
});

describe("a bulletin tagging many comuni still fits one Telegram message", () => {
  /**
   * `count` comuni with names of 17 letters or so, each the only comune of its name (so its tag
   * resolves), Genova first: their tags and some text make a text near the limit, and their names a
   * "Comuni:" line longer than the room a message has left.
   */
  function manyComuni(h: Harness, count: number): string[] {
    const pack = h.runtime.data.current();
    const names = pack.known
      .map((c) => c.name)
      .filter((n) => n !== "Genova" && n.length <= 17 && /^[A-Za-z ]+$/.test(n) && pack.index.exactly(n).length === 1)
      .sort((a, b) => b.length - a.length || a.localeCompare(b));
    return ["Genova", ...names.slice(0, count - 1)];
  }
  const tags = (names: string[]) => names.map((n) => tagFor(n)).join(" ");
  /** A text of `length` characters before the tags. */
  const body = (length: number) => "Affluenza definitiva nei comuni al voto. ".repeat(80).slice(0, length).trimEnd();

  it("/pubblica with 80 tags: the preview says the line is shortened and what to cut; a follower gets it", async () => {
    const h = await harness();
    const comuni = manyComuni(h, 80);
    const last = comuni.at(-1)!;
    await subscribers(h, [1], "Genova");
    await subscribers(h, [2], last);
    h.runtime.start();
    const text = `${body(1400)} ${tags(comuni)}`;
    expect(text.length).toBeLessThanOrEqual(3000);

    const [preview] = await h.say(`/pubblica ${text}`, { userId: ADMIN });
    expect(preview, "the preview itself must fit").toBeDefined();
    expect(preview!.plain.length).toBeLessThanOrEqual(4096);
    const line = /Comuni: (.*)/.exec(preview!.plain)![1]!;
    const listed = /^Genova, (.*) e altri (\d+)$/.exec(line);
    expect(listed, line).not.toBeNull();
    const more = Number(listed![2]);
    expect(line.split(", ").length + more).toBe(80);
    const cut = /accorcia il testo di ([\d.]+) caratteri/.exec(preview!.plain);
    expect(cut, preview!.plain).not.toBeNull();
    expect(preview!.plain).toContain(`Lo riceveranno 2 chat`);

    await h.press(button(preview!, "Invia"), { userId: ADMIN, messageId: preview!.message_id });
    await h.runtime.engine.drained();
    for (const id of [1, 2]) {
      const [push] = pushesTo(h, id);
      expect(push, String(id)).toBeDefined();
      expect(push!.plain.length).toBeLessThanOrEqual(4096);
      expect(push!.plain).toContain(text);
      expect(push!.plain).toContain(`Comuni: ${line}`);
    }

    // The figure is exact: that many characters fewer, and every comune is named.
    const shorter = `${body(1400 - Number(cut![1]!.replace(/\./g, "")))} ${tags(comuni)}`;
    const again = (await h.say(`/pubblica ${shorter}`, { userId: ADMIN })).find((m) => m.plain.includes("Anteprima"));
    expect(again!.plain).toContain(`Comuni: ${comuni.join(", ")}`);
    expect(again!.plain).not.toContain("accorcia");
  });

  it("/pubblica! and an English reader: the line says 'and N more'", async () => {
    const h = await harness();
    const comuni = manyComuni(h, 80);
    await h.runtime.store.subscribe(3, codeOf(h.runtime.data.current().byKey("Genova")!), "en");
    h.runtime.start();
    await published(h, `${body(1400)} ${tags(comuni)}`);
    const [push] = pushesTo(h, 3);
    expect(push).toBeDefined();
    expect(push!.plain.length).toBeLessThanOrEqual(4096);
    expect(push!.plain).toMatch(/Comuni: Genova, .* and \d+ more$/m);
  });

  it("/rettifica to a text tagging 80 comuni: the delivered copy is edited within the limit", async () => {
    const h = await harness();
    const comuni = manyComuni(h, 80);
    await subscribers(h, [1], "Genova");
    h.runtime.start();
    const n = await published(h, "Affluenza alle 19: 42,53% #Genova");
    const text = `${body(1400)} ${tags(comuni)}`;
    const [preview] = await h.say(`/rettifica ${n} ${text}`, { userId: ADMIN });
    expect(preview!.plain.length).toBeLessThanOrEqual(4096);
    expect(preview!.plain).toMatch(/Comuni: Genova, .* e altri \d+/);
    await h.press(button(preview!, "Correggi"), { userId: ADMIN, messageId: preview!.message_id });
    await h.runtime.engine.drained();
    const edits = h.fake.sentTo(1).filter((m) => m.method === "editMessageText");
    expect(edits).toHaveLength(1);
    expect(edits[0]!.plain).toContain(text);
    expect(edits[0]!.plain).toMatch(/e altri \d+\n✏️ rettificato alle/);
  });
});

describe("a correction that changes the tags changes who receives the bulletin", () => {
  it("delivered copies are all edited; followers of the comune now tagged get it as a new delivery", async () => {
    const h = await harness();
    await subscribers(h, [11], "Genova");
    await subscribers(h, [12], "Parma");
    await subscribers(h, [13]);
    await subscribers(h, [14], "Verona");
    h.runtime.start();
    const n = await published(h, "Affluenza alle 19: 42,53% #Genova");
    expect(pushesTo(h, 11)).toHaveLength(1);
    expect(pushesTo(h, 12)).toHaveLength(0);

    const [preview] = await h.say(`/rettifica ${n} Affluenza alle 19: 42,53% #Parma`, { userId: ADMIN });
    // Two copies to edit (one in a chat it no longer concerns), one new delivery.
    expect(preview!.plain).toContain("Correggerò 2 copie già consegnate");
    expect(preview!.plain).toContain("1 in una chat che non riguarda più");
    expect(preview!.plain).toContain("la manderò a 1 chat che ora riguarda");
    await h.press(button(preview!, "Correggi"), { userId: ADMIN, messageId: preview!.message_id });
    await h.runtime.engine.drained();

    // Genova's follower sees the corrected text in place of the wrong one, not a stale copy.
    for (const id of [11, 13]) {
      const edits = h.fake.sentTo(id).filter((m) => m.method === "editMessageText");
      expect(edits, String(id)).toHaveLength(1);
      expect(edits[0]!.plain).toContain("Comuni: Parma");
      expect(pushesTo(h, id), String(id)).toHaveLength(1);
    }
    // Parma's follower gets the corrected bulletin, once.
    const parma = pushesTo(h, 12);
    expect(parma).toHaveLength(1);
    expect(parma[0]!.plain).toContain("Affluenza alle 19: 42,53% #Parma");
    expect(parma[0]!.plain).toContain("Comuni: Parma");
    expect(parma[0]!.plain).toMatch(/✏️ rettificato alle/);
    expect(h.fake.sentTo(14)).toHaveLength(0);
    // The push went on: its report comes again, counting the new delivery.
    await h.fake.waitUntil(() => reportsTo(h, ADMIN, "Resoconto").length > 1);
    expect(reportsTo(h, ADMIN, "Resoconto")[1]!.plain).toMatch(/consegnati: 3/);

    // A second correction edits Parma's copy too, and sends nothing new.
    const ack = (await h.say(`/rettifica! ${n} Affluenza alle 19: 42,35% #Parma`, { userId: ADMIN })).find((m) =>
      m.plain.includes("Rettifica di"),
    );
    expect(ack!.plain).toContain("correggo 3 copie consegnate");
    expect(ack!.plain).not.toContain("chat che ora riguarda");
    await h.runtime.engine.drained();
    expect(pushesTo(h, 12)).toHaveLength(1);
    expect(h.fake.sentTo(12).filter((m) => m.method === "editMessageText")).toHaveLength(1);
  });

  it("queued copies for chats no longer concerned are dropped; the rest go out corrected, the new ones too", async () => {
    const h = await harness();
    await subscribers(h, [11], "Genova");
    await subscribers(h, [12], "Parma");
    await subscribers(h, [13]);
    // Not started: the push waits in the outbox when the correction comes.
    await h.say("/pubblica! Affluenza alle 19: 42,53% #Genova", { userId: ADMIN });
    const n = (await h.runtime.store.lastPush())!.seq;
    expect(await h.runtime.store.pendingCount()).toBe(2);

    const [preview] = await h.say(`/rettifica ${n} Affluenza alle 19: 42,53% #Parma`, { userId: ADMIN });
    expect(preview!.plain).toContain("la manderò a 1 chat che ora riguarda");
    expect(preview!.plain).toContain("1 ancora in coda partirà corretta");
    expect(preview!.plain).toContain("1 in coda non partirà");
    await h.press(button(preview!, "Correggi"), { userId: ADMIN, messageId: preview!.message_id });
    h.runtime.start();
    await h.runtime.engine.drained();

    expect(h.fake.sentTo(11)).toHaveLength(0);
    for (const id of [12, 13]) {
      const pushes = pushesTo(h, id);
      expect(pushes, String(id)).toHaveLength(1);
      expect(pushes[0]!.plain).toContain("#Parma");
    }
    await h.fake.waitUntil(() => reportsTo(h, ADMIN, "Resoconto").length > 0);
    const report = reportsTo(h, ADMIN, "Resoconto")[0]!.plain;
    expect(report).toMatch(/consegnati: 2/);
    expect(report).toMatch(/rimossi[^:]*: 1/);
  });
});

describe("/ritira deletes every delivered copy", () => {
  it("after a preview: every copy deleted, gone from /ultime; a copy older than 48 hours is counted, not retried", async () => {
    const h = await harness();
    const ids = [1, 2, 3];
    await subscribers(h, ids);
    h.runtime.start();
    const n = await published(h, "Notizia sbagliata");
    const copies = new Map(ids.map((id) => [id, pushesTo(h, id)[0]!.message_id]));
    h.fake.ageMessage(3, copies.get(3)!, 49 * 3600);

    const [preview] = await h.say(`/ritira ${n}`, { userId: ADMIN });
    expect(preview!.plain).toContain(`Ritiro di n. ${n}`);
    expect(preview!.plain).toContain("Notizia sbagliata");
    expect(preview!.plain).toContain("Cancellerò 3 copie");
    await h.press(button(preview!, "Ritira"), { userId: ADMIN, messageId: preview!.message_id });
    await h.runtime.engine.drained();

    for (const id of [1, 2]) expect(h.fake.isDeleted(id, copies.get(id)!), String(id)).toBe(true);
    expect(h.fake.isDeleted(3, copies.get(3)!)).toBe(false);
    expect(h.fake.callsOf("deleteMessage").filter((c) => Number(c.params.chat_id) === 3)).toHaveLength(1);
    expect((await h.say("/ultime 20"))[0]!.plain).not.toContain("Notizia sbagliata");
    await h.fake.waitUntil(() => reportsTo(h, ADMIN, "Ritiro «").length > 0);
    const report = reportsTo(h, ADMIN, "Ritiro «")[0]!.plain;
    expect(report).toContain("cancellate: 2");
    expect(report).toContain("non riuscite (oltre 48 ore, o senza permessi nel gruppo): 1");
    // Once withdrawn, it cannot be withdrawn or corrected again.
    expect((await h.say(`/ritira ${n}`, { userId: ADMIN }))[0]!.plain).toContain("è già stato ritirato");
    expect((await h.say(`/rettifica ${n} x`, { userId: ADMIN }))[0]!.plain).toContain("è già stato ritirato");
  });

  it("withdrawing during the push stops the copies still queued and deletes those delivered", async () => {
    const h = await harness({ runtime: { sendRate: 20 } });
    const ids = Array.from({ length: 60 }, (_, i) => 900 + i);
    await subscribers(h, ids);
    h.runtime.start();
    await h.runtime.publisher.publish({ text: "Troppo presto", comuni: [], requestedBy: ADMIN, lang: "it" });
    const seq = (await h.runtime.store.lastPush())!.seq;
    await h.fake.waitUntil(() => h.fake.sentCount >= 5);
    // The push ends with the withdrawal: its report may arrive with the acknowledgement.
    const ack = (await h.say(`/ritira! ${seq}`, { userId: ADMIN })).find((m) => m.plain.startsWith("🗑"));
    expect(ack!.plain).toContain(`Ritiro di n. ${seq} fatto`);
    expect(ack!.plain).toMatch(/copie in coda non partiranno; cancello \d+ copie consegnate/);
    await h.runtime.engine.drained();
    for (const id of ids) {
      const got = pushesTo(h, id);
      for (const m of got) expect(h.fake.isDeleted(id, m.message_id), String(id)).toBe(true);
    }
    expect(pushesTo(h, ids.at(-1)!)).toHaveLength(0);
  });
});

describe("in a group, the newsroom answers privately", () => {
  const group = -1001777;

  it("/stato, /pubblica and /ritira typed in a group answer in the editor's private chat", async () => {
    const h = await harness();
    await subscribers(h, [1]);
    h.runtime.start();
    expect(await h.say("/stato", { chatId: group, userId: ADMIN })).toHaveLength(0);
    expect(h.fake.sentTo(ADMIN).at(-1)!.plain).toContain("Stato");

    // Even with `!`, a group gets a preview, in private: the editor surely sees what happens.
    expect(await h.say("/pubblica! Seggi chiusi", { chatId: group, userId: ADMIN })).toHaveLength(0);
    const preview = h.fake.sentTo(ADMIN).at(-1)!;
    expect(preview.plain).toContain("Anteprima");
    expect(preview.plain).toContain("Lo riceverà 1 chat.");
    await h.press(button(preview, "Invia"), { userId: ADMIN, messageId: preview.message_id });
    await h.runtime.engine.drained();
    await h.fake.waitUntil(() => reportsTo(h, ADMIN, "Resoconto").length > 0);
    expect(h.fake.sentTo(group)).toHaveLength(0);

    // /aiuto in a group does not list the newsroom's commands.
    const help = (await h.say("/aiuto", { chatId: group, userId: ADMIN }))[0]!.plain;
    expect(help).not.toContain("/pubblica");
  });

  it("an editor who never started the bot gets a neutral note in the group, without figures", async () => {
    const h = await harness();
    await subscribers(h, [1, 2, 3]);
    h.fake.blockChat(ADMIN, "Forbidden: bot can't initiate conversation with a user");
    for (const text of ["/stato", "/pubblica Seggi chiusi", "/ritira 1"]) {
      const [note, ...more] = await h.say(text, { chatId: group, userId: ADMIN });
      expect(more).toHaveLength(0);
      expect(note!.plain).toBe(
        "I comandi della redazione rispondono in chat privata: apri @ElezioniTestBot, premi Avvia e riprova.",
      );
    }
    expect(await h.runtime.store.pendingCount()).toBe(0);
    // Anyone else is told privately that the command is the newsroom's; the group sees nothing.
    const inGroupBefore = h.fake.sentTo(group).length;
    for (const text of ["/stato", "/pubblica Seggi chiusi"]) {
      expect(await h.say(text, { chatId: group, userId: 7 })).toHaveLength(0);
      expect(h.fake.sentTo(7).at(-1)!.plain).toBe("Questo comando è riservato alla redazione.");
    }
    // One the bot cannot write to privately: silence.
    h.fake.blockChat(8, "Forbidden: bot can't initiate conversation with a user");
    expect(await h.say("/pubblica Seggi chiusi", { chatId: group, userId: 8 })).toHaveLength(0);
    expect(h.fake.sentTo(group)).toHaveLength(inGroupBefore);
  });
});
