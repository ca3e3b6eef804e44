/**
 * Following, through the bot and the fake Bot API: several comuni at once, everything, national
 * updates only, suggestions that do not lose what was found, /iscrizioni in one sentence, quiet
 * hours on the wire, and replies addressed to a group.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MAX_NAMES } from "../../../src/bot/features/subscriptions.js";
import { asComuneCode } from "../../../src/data/model.js";
import { NATIONAL } from "../../../src/store/store.js";
import type { SentMessage } from "../../support/fake-bot-api/index.js";
import { ADMIN, type Harness, type HarnessOptions, startHarness } from "../../support/harness.js";

const fast: HarnessOptions["runtime"] = { engine: { backoffMs: () => 20, privateGapMs: 30, groupGapMs: 60 } };
const open: Harness[] = [];
async function harness(runtime: HarnessOptions["runtime"] = {}): Promise<Harness> {
  const h = await startHarness({ runtime: { ...fast, ...runtime } });
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

const only = (replies: SentMessage[]) => {
  expect(replies).toHaveLength(1);
  return replies[0]!.plain;
};
const buttons = (m: SentMessage) =>
  (
    (m.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined)
      ?.inline_keyboard ?? []
  ).flat();
/** The bulletins pushed to a chat: their text (the line after the time) and whether they were silent. */
const pushesTo = (h: Harness, chatId: number) =>
  h.fake
    .sentTo(chatId)
    .filter((m) => m.plain.startsWith("🕒"))
    .map((m) => ({ text: m.plain.split("\n")[1], silent: m.params.disable_notification === true }));

describe("several comuni in one command", () => {
  it.each(["Genova, Parma", "Genova e Parma", "Genova Parma", "genova;PARMA", "Genova and Parma"])(
    "/iscriviti %s follows both",
    async (list) => {
      const h = await harness();
      expect(only(await h.say(`/iscriviti ${list}`))).toBe(
        "🔔 Iscrizione fatta: riceverai gli aggiornamenti su Genova e Parma, e quelli nazionali.\nPer smettere: /disiscriviti Genova, Parma",
      );
      expect(await h.runtime.store.subscriptionsOf(1001)).toEqual(["010025", "034027"]);
    },
  );

  it("a name that matches no single comune gets suggestions as buttons, and the names that did match are followed", async () => {
    const h = await harness();
    const [reply] = await h.say("/iscriviti Genova, Paduva");
    expect(reply!.plain).toContain("riceverai gli aggiornamenti su Genova e quelli nazionali.");
    expect(reply!.plain).toContain("«Paduva» può indicare più comuni.\nTocca quello da seguire:");
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual(["010025"]);
    const padova = buttons(reply!).find((b) => b.text === "🔔 Padova")!;
    expect(padova).toBeDefined();
    const [after] = await h.press(padova.callback_data!);
    expect(after!.plain).toContain("riceverai gli aggiornamenti su Genova e Padova, e quelli nazionali.");
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual(["010025", "028060"]);
  });

  it("homonyms are offered with their province; a name split out of a longer text is not guessed from three letters", async () => {
    const h = await harness();
    const [reply] = await h.say("/iscriviti Castro");
    expect(reply!.plain).toContain("«Castro» può indicare più comuni.");
    expect(buttons(reply!).map((b) => b.text)).toEqual(["🔔 Castro (LE)", "🔔 Castro (BG)"]);
    const [scrap] = await h.say("/iscriviti Genova, amp");
    expect(scrap!.plain).toContain("Non trovo il comune «amp».");
    expect(buttons(scrap!).map((b) => b.text)).toEqual(["🔔 Ampezzo"]);
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual(["010025"]);
  });

  it(`reads at most ${MAX_NAMES} names and says so`, async () => {
    const h = await harness();
    const reply = only(
      await h.say(
        `/iscriviti ${Array(MAX_NAMES + 1)
          .fill("Genova")
          .join(", ")}`,
      ),
    );
    expect(reply).toContain(`Al massimo ${MAX_NAMES} comuni per volta`);
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual(["010025"]);
  });

  it("/disiscriviti takes the same lists, says what still arrives, and suggests for what it cannot find", async () => {
    const h = await harness();
    await h.say("/iscriviti Genova, Parma, Verona");
    expect(only(await h.say("/disiscriviti Genova e Parma"))).toBe(
      "🔕 Fatto: niente più aggiornamenti su Genova e Parma.\nRicevi gli aggiornamenti su Verona e quelli nazionali.",
    );
    expect(only(await h.say("/disiscriviti Genova, Verona"))).toBe(
      "🔕 Fatto: niente più aggiornamenti su Verona.\nNon eri iscritto agli aggiornamenti su Genova.\nNon ricevi aggiornamenti.",
    );
    await h.say("/iscriviti Padova");
    const [reply] = await h.say("/disiscriviti Paduva");
    expect(reply!.plain).toContain("«Paduva» può indicare più comuni.\nTocca quello da togliere:");
    const [after] = await h.press(buttons(reply!).find((b) => b.text === "🔕 Padova")!.callback_data!);
    expect(after!.plain).toContain("niente più aggiornamenti su Padova");
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual([]);
  });
});

describe("everything, and national updates only", () => {
  it.each(["", "tutti", "tutto", "all", "Tutti gli aggiornamenti"])(
    "/iscriviti %s follows everything, and replaces the comuni it covers",
    async (word) => {
      const h = await harness();
      await h.say("/iscriviti Genova, nazionali");
      expect(only(await h.say(`/iscriviti ${word}`.trim()))).toBe(
        "🔔 Iscrizione fatta: riceverai ogni nuovo aggiornamento. Per smettere: /disiscriviti",
      );
      expect(await h.runtime.store.subscriptionsOf(1001)).toEqual([null]);
      expect(only(await h.say("/disiscriviti tutti"))).toContain("non riceverai più aggiornamenti");
      expect(await h.runtime.store.subscriptionsOf(1001)).toEqual([]);
    },
  );

  it("national only: bulletins naming no comune arrive, the comuni's do not", async () => {
    const h = await harness();
    expect(only(await h.say("/iscriviti nazionali", { userId: 2001 }))).toBe(
      "🔔 Iscrizione fatta: riceverai gli aggiornamenti nazionali, quelli che non riguardano un singolo comune.\nPer smettere: /disiscriviti nazionali",
    );
    await h.say("/iscriviti solo nazionali", { userId: 2001 });
    expect(await h.runtime.store.subscriptionsOf(2001)).toEqual([NATIONAL]);
    await h.say("/iscriviti Genova", { userId: 2002 });
    await h.say("/iscriviti", { userId: 2003 });
    h.runtime.start();
    for (const [text, comuni] of [
      ["Affluenza alle 12", []],
      ["Genova al ballottaggio", [asComuneCode("010025")]],
      ["Parma, Pizzarotti rieletto", [asComuneCode("034027")]],
    ] as const)
      await h.runtime.publisher.publish({ text, comuni: [...comuni], requestedBy: ADMIN, lang: "it" });
    await h.runtime.engine.drained();
    expect(pushesTo(h, 2001).map((p) => p.text)).toEqual(["Affluenza alle 12"]);
    expect(pushesTo(h, 2002).map((p) => p.text)).toEqual(["Affluenza alle 12", "Genova al ballottaggio"]);
    expect(pushesTo(h, 2003)).toHaveLength(3);
    expect(only(await h.say("/iscrizioni", { userId: 2001 }))).toBe(
      "🔔 Le iscrizioni di questa chat\nRicevi solo gli aggiornamenti nazionali, quelli che non riguardano un singolo comune.\nPer riceverli senza suono di notte: /silenzioso 23-7",
    );
  });

  it("asking for what everything already covers changes nothing; stopping national updates says they still come with a comune", async () => {
    const h = await harness();
    await h.say("/iscriviti");
    expect(only(await h.say("/iscriviti nazionali"))).toBe(
      "Ricevi già tutti gli aggiornamenti, anche quelli nazionali. 👍",
    );
    expect(only(await h.say("/disiscriviti Genova"))).toContain(
      "Ricevi tutti gli aggiornamenti, anche quelli su Genova. Per smettere: /disiscriviti",
    );
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual([null]);
    await h.say("/disiscriviti");
    await h.say("/iscriviti nazionali, Parma");
    expect(only(await h.say("/disiscriviti nazionali"))).toBe(
      "🔕 Fatto. Gli aggiornamenti nazionali però arrivano a chi segue un comune: li riceverai finché ne segui uno.\nRicevi gli aggiornamenti su Parma e quelli nazionali.",
    );
  });
});

describe("/iscrizioni", () => {
  it("says what the chat receives in one sentence, without the comuni everything already covers", async () => {
    const h = await harness();
    // As an older version could leave it: everything, and comuni besides.
    await h.runtime.store.subscribe(1001, null, "it");
    await h.runtime.store.subscribe(1001, asComuneCode("010025"), "it");
    expect(only(await h.say("/iscrizioni"))).toBe(
      "🔔 Le iscrizioni di questa chat\nRicevi tutti gli aggiornamenti.\nPer riceverli senza suono di notte: /silenzioso 23-7",
    );
    await h.say("/silenzioso 23:30-07:00");
    expect(only(await h.say("/iscrizioni"))).toBe(
      "🔔 Le iscrizioni di questa chat\nRicevi tutti gli aggiornamenti.\n🌙 Silenzioso dalle 23:30 alle 07:00: in quelle ore gli aggiornamenti arrivano senza suono.",
    );
    expect(only(await h.say("/subscriptions", { lang: "en" }))).toBe(
      "🔔 This chat's subscriptions\nYou get every update.\n🌙 Quiet from 23:30 to 07:00: updates arriving then come without sound.",
    );
  });
});

describe("quiet hours", () => {
  it("pushes in the chat's quiet hours go out with disable_notification, outside them with sound", async () => {
    let clock = new Date("2017-06-11T23:30:00+02:00");
    const h = await harness({ now: () => clock });
    await h.say("/iscriviti", { userId: 1 });
    expect(only(await h.say("/silenzioso 23-7", { userId: 1 }))).toBe(
      "🌙 Fatto: dalle 23:00 alle 07:00 (ora italiana) gli aggiornamenti ti arriveranno senza suono. Per toglierlo: /silenzioso off",
    );
    await h.say("/iscriviti", { userId: 2 });
    h.runtime.start();
    const publish = async (text: string, at: string) => {
      clock = new Date(at);
      await h.runtime.publisher.publish({ text, comuni: [], requestedBy: ADMIN, lang: "it" });
      await h.runtime.engine.drained();
    };
    await publish("Notte", "2017-06-11T23:30:00+02:00");
    await publish("Alba", "2017-06-12T06:59:00+02:00");
    await publish("Mattina", "2017-06-12T07:00:00+02:00");
    await publish("Sera", "2017-06-12T22:59:00+02:00");
    expect(pushesTo(h, 1)).toEqual([
      { text: "Notte", silent: true },
      { text: "Alba", silent: true },
      { text: "Mattina", silent: false },
      { text: "Sera", silent: false },
    ]);
    // A chat without quiet hours hears every push.
    expect(pushesTo(h, 2).map((p) => p.silent)).toEqual([false, false, false, false]);
    expect(h.fake.sentTo(2).every((m) => !("disable_notification" in m.params))).toBe(true);

    expect(only(await h.say("/silenzioso off", { userId: 1 }))).toBe(
      "🔔 Fatto: gli aggiornamenti ti arriveranno con il suono a ogni ora.",
    );
    await publish("Notte fonda", "2017-06-13T01:00:00+02:00");
    expect(pushesTo(h, 1).at(-1)).toEqual({ text: "Notte fonda", silent: false });
  });

  it("takes the ways people write hours, refuses the rest with an example, and shows the setting", async () => {
    const h = await harness();
    expect(only(await h.say("/silenzioso"))).toContain("Nessun orario silenzioso");
    expect(only(await h.say("/silenzioso dalle 22 alle 6"))).toContain("dalle 22:00 alle 06:00");
    expect(await h.runtime.store.quietHoursOf(1001)).toEqual({ from: 1320, to: 360 });
    expect(only(await h.say("/silenzioso"))).toContain("🌙 Silenzioso dalle 22:00 alle 06:00");
    expect(only(await h.say("/silenzioso 25-3"))).toContain("per esempio /silenzioso 23-7");
    expect(only(await h.say("/silenzioso 7-7"))).toContain("per esempio /silenzioso 23-7");
    expect(await h.runtime.store.quietHoursOf(1001)).toEqual({ from: 1320, to: 360 });
    expect(only(await h.say("/silenzioso no"))).toContain("con il suono a ogni ora");
    expect(only(await h.say("/silenzioso no"))).toContain("Nessun orario silenzioso");
    expect(await h.runtime.store.quietHoursOf(1001)).toBeUndefined();
    // Set before subscribing: kept, with a word on how to subscribe.
    expect(only(await h.say("/silenzioso 23-7", { userId: 4 }))).toContain("Non sei ancora iscritto: /iscriviti");
    expect(only(await h.say("/quiet 23:30-07:00", { userId: 5, lang: "en" }))).toBe(
      "🌙 Done: from 23:30 to 07:00 (Italian time) updates will reach you without sound. To undo: /quiet off\nYou are not subscribed yet: /subscribe to get the updates.",
    );
  });
});

describe("in a group", () => {
  const group = -100321;

  it("an editor who is not the group's administrator cannot subscribe it; as its administrator, can", async () => {
    const h = await harness();
    h.fake.setChatAdministrators(group, [11], 10);
    expect(only(await h.say("/iscriviti Genova", { chatId: group, userId: ADMIN }))).toContain(
      "solo gli amministratori",
    );
    expect(await h.runtime.store.subscriptionsOf(group)).toEqual([]);
    h.fake.setChatAdministrators(group, [11, ADMIN], 10);
    expect(only(await h.say("/iscriviti Genova", { chatId: group, userId: ADMIN }))).toContain("il gruppo riceverà");
  });

  it("replies speak to the group; only administrators change anything, anyone may look", async () => {
    const h = await harness();
    h.fake.setChatAdministrators(group, [11], 10);
    const admin = { chatId: group, userId: 11 };
    const member = { chatId: group, userId: 12 };
    expect(only(await h.say("/iscriviti Genova, Parma", admin))).toBe(
      "🔔 Iscrizione fatta: il gruppo riceverà gli aggiornamenti su Genova e Parma, e quelli nazionali.\nPer smettere: /disiscriviti Genova, Parma",
    );
    expect(only(await h.say("/iscriviti Genova", admin))).toBe(
      "Il gruppo è già iscritto agli aggiornamenti su Genova. 👍",
    );
    expect(only(await h.say("/silenzioso 23-7", admin))).toContain(
      "gli aggiornamenti arriveranno al gruppo senza suono",
    );
    expect(only(await h.say("/silenzioso off", member))).toContain("solo gli amministratori");
    expect(only(await h.say("/silenzioso", member))).toContain("🌙 Silenzioso dalle 23:00 alle 07:00");
    expect(only(await h.say("/iscrizioni", member))).toContain(
      "Il gruppo riceve gli aggiornamenti su Genova e Parma, e quelli nazionali.",
    );
    expect(only(await h.say("/subscribe all", { ...admin, lang: "en" }))).toBe(
      "🔔 Subscribed: the group will get every new update. To stop: /unsubscribe",
    );

    // A member pressing a suggestion gets told, and nothing changes.
    await h.say("/disiscriviti", admin);
    const [reply] = await h.say("/iscriviti Paduva", admin);
    const data = buttons(reply!).find((b) => b.text === "🔔 Padova")!.callback_data!;
    expect(await h.press(data, member)).toHaveLength(0);
    expect(h.fake.callbackAnswers.at(-1)).toMatchObject({ show_alert: true });
    expect(h.fake.callbackAnswers.at(-1)!.text).toContain("solo gli amministratori");
    expect(await h.runtime.store.subscriptionsOf(group)).toEqual([]);
    expect(only(await h.press(data, admin))).toContain("il gruppo riceverà gli aggiornamenti su Padova");
    expect(only(await h.say("/disiscriviti", admin))).toBe(
      "🔕 Fatto: il gruppo non riceverà più aggiornamenti. Per tornare: /iscriviti",
    );
  });
});
