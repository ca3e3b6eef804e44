/**
 * Plain questions through the bot and the fake Bot API: what citizens type without a command, in
 * Italian and English, in a private chat and, when addressed to the bot, in a group.
 */
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SentMessage } from "../../support/fake-bot-api/index.js";
import { ADMIN, type Harness, startHarness } from "../../support/harness.js";

/** A clock that reads `iso` at the start and runs from there. */
function clockAt(iso: string): () => Date {
  const offset = Date.now() - Date.parse(iso);
  return () => new Date(Date.now() - offset);
}

let h: Harness;
beforeAll(async () => {
  // The morning after the first round: the runoffs are still to come.
  h = await startHarness({ runtime: { now: clockAt("2017-06-12T12:00:00+02:00") } });
});
afterAll(async () => {
  await h.close();
});

const only = (msgs: SentMessage[]) => {
  expect(msgs).toHaveLength(1);
  return msgs[0]!.plain;
};
const buttons = (m: SentMessage) =>
  ((m.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);

describe("plain questions in a private chat", () => {
  it("«chi ha vinto a genova?» leads with the outcome, with the card's buttons", async () => {
    const [card] = await h.say("chi ha vinto a genova?");
    expect(card!.plain.split("\n")[0]).toBe(
      "🔁 Ballottaggio domenica 25 giugno: Marco Bucci contro Gianni (Giovanni) Crivello",
    );
    expect(card!.plain).toContain("Genova (GE) · Liguria · capoluogo");
    expect(card!.plain).not.toContain("Marco Bucci — 38,8%");
    expect(buttons(card!)).toEqual([
      "🔔 Segui Genova",
      "🗳 Affluenza",
      "📰 Notizie",
      "🔄 Aggiorna",
      "🔁 Tutti i ballottaggi",
      "📊 Grafico",
    ]);
  });

  it.each([
    ["affluenza parma", "Affluenza: 53,65% (tornata precedente 64,55%)"],
    ["risultati verona", "Federico Sboarina — 29,26%"],
    ["com'è andata all'Aquila?", "Americo Di Benedetto — 47,01%"],
    ["alla spezia chi ha vinto", "Pierluigi Peracchini contro Paolo Manfredini"],
    ["ballottaggi", "Ballottaggi di domenica 25 giugno 2017"],
    ["ballottaggio a Verona", "Ballottaggio domenica 25 giugno: Federico Sboarina contro Patrizia Bisinella"],
    ["who won in Genoa", "Marco Bucci contro Gianni (Giovanni) Crivello"],
    ["come è andata a Genova", "Marco Bucci — 38,8%"],
    ["provincia di Genova", "Provincia di Genova: 1 comune con risultati"],
    ["informazioni", "Comuni al voto: 1.004"],
    ["cerruti", "Asti (AT)"],
  ])("«%s» answers like the command it amounts to", async (question, expected) => {
    const text = (await h.say(question, { userId: 1101 })).map((m) => m.plain).join("\n");
    expect(text).toContain(expected);
  });

  it("«ultime 3 genova»: the bulletins naming Genova, newest first", async () => {
    const text = only(await h.say("ultime 3 genova", { userId: 1102 }));
    expect(text).toMatch(/^📰 Ultimi aggiornamenti su Genova\n/);
    expect(text.match(/🕒/g)).toHaveLength(2);
    expect(text.indexOf("🕒 11:45")).toBeLessThan(text.indexOf("🕒 11/06 23:15"));
    expect(text).not.toContain("Affluenza alle ore 19");
  });

  it("«ciao» is the welcome, «aiuto» the commands, «grazie» a thank-you", async () => {
    const welcome = only(await h.say("ciao", { userId: 1103 }));
    expect(welcome).toContain("Ciao Ada!");
    expect(welcome).toContain("«chi ha vinto a Genova?»");
    expect(only(await h.say("aiuto", { userId: 1103 }))).toContain("/citta — Risultati di un comune");
    expect(only(await h.say("grazie!", { userId: 1103 }))).toBe(
      "Prego! 🗳 Quando vuoi, scrivimi il nome di un comune o /aiuto.",
    );
  });

  it("following and quiet hours in words, as /iscriviti, /iscrizioni and /silenzioso", async () => {
    const u = { userId: 1104 };
    expect(only(await h.say("segui genova e parma", u))).toContain("riceverai gli aggiornamenti su Genova e Parma");
    expect(await h.runtime.store.subscriptionsOf(1104)).toEqual(["010025", "034027"]);
    expect(only(await h.say("cosa seguo?", u))).toContain("Ricevi gli aggiornamenti su Genova e Parma");
    expect(only(await h.say("silenzioso 23-7", u))).toContain("dalle 23:00 alle 07:00");
    expect(only(await h.say("non seguire Parma", u))).toContain("niente più aggiornamenti su Parma");
    expect(await h.runtime.store.subscriptionsOf(1104)).toEqual(["010025"]);
  });

  it("an unknown place asked about gets an honest answer, with near names only", async () => {
    expect(only(await h.say("chi ha vinto a Atlantide?", { userId: 1105 }))).toMatch(
      /^Non trovo il comune «Atlantide»\./,
    );
    const [rma] = await h.say("risultati Rma", { userId: 1105 });
    expect(rma!.plain).toBe("Non trovo «Rma». Forse cercavi uno di questi comuni?");
    expect(buttons(rma!)[0]).toBe("Roma");
    // Padova is a comune of its own: found, never "Genova, Parma".
    expect(only(await h.say("padova", { userId: 1105 }))).toContain("Padova (PD) · Veneto");
  });

  it("what is not a question gets «non ho capito» with examples, not «no such comune»", async () => {
    for (const text of ["blah blah", "che tempo fa domani", "🗳️🗳️"]) {
      const reply = only(await h.say(text, { userId: 1106 }));
      expect(reply, text).toMatch(/^Non ho capito «.*»\. Chiedimi per esempio «chi ha vinto a Genova\?»/);
    }
  });

  it("English clients are answered in English, whatever language they ask in", async () => {
    const en = { userId: 1107, lang: "en" };
    const card = only(await h.say("how did it go in Genoa?", en));
    expect(card).toContain("First round, Sunday 11 June 2017");
    expect(card).toContain("Marco Bucci — 38.8%");
    expect(only(await h.say("who won in Genoa?", en))).toContain("Marco Bucci vs Gianni (Giovanni) Crivello");
    const welcome = only(await h.say("hello", en));
    expect(welcome).toContain("/city Genova");
    expect(welcome).toContain("/help");
    expect(welcome).not.toMatch(/\/(citta|aiuto|affluenza|ultime)\b/);
    expect(only(await h.say("risultati Parma", en))).toContain("Federico Pizzarotti — 34.78%");
    expect(only(await h.say("blah", en))).toMatch(/^I didn't understand «blah»/);
  });
});

describe("answering what was asked, after the runoffs", () => {
  let after: Harness;
  beforeAll(async () => {
    after = await startHarness({ runtime: { now: clockAt("2017-06-26T12:00:00+02:00") } });
  });
  afterAll(async () => {
    await after.close();
  });

  it("«quando si vota il ballottaggio a Genova?» is the day and the pair, in two lines", async () => {
    const [reply] = await after.say("quando si vota il ballottaggio a Genova?");
    expect(reply!.plain).toBe(
      "🔁 Ballottaggio a Genova: domenica 25 giugno 2017\nMarco Bucci contro Gianni (Giovanni) Crivello",
    );
    expect(only(await after.say("when is the runoff in Genoa?", { userId: 1201, lang: "en" }))).toBe(
      "🔁 Runoff in Genova: Sunday 25 June 2017\nMarco Bucci against Gianni (Giovanni) Crivello",
    );
    // Where the first round decided, there is none.
    expect(only(await after.say("quando è il ballottaggio a Palermo?"))).toMatch(
      /^🔁 A Palermo non c'è ballottaggio: il primo turno ha deciso\.\n✅/,
    );
  });

  it("«chi ha vinto a Trapani?» leads with «nessun sindaco eletto»; «com'è andata a Verona» gets the card", async () => {
    const [trapani] = await after.say("chi ha vinto a Trapani?");
    expect(trapani!.plain.split("\n")[0]).toBe("⛔ Nessun sindaco eletto");
    expect(trapani!.plain).toContain("Trapani (TP)");
    expect(buttons(trapani!)).toContain("🔄 Aggiorna");
    expect(only(await after.say("chi ha vinto a Genova?")).split("\n")[0]).toBe(
      "✅ Eletto sindaco al ballottaggio: Marco Bucci",
    );
    const verona = only(await after.say("com'è andata a Verona"));
    expect(verona).toContain("Ballottaggio, domenica 25 giugno 2017");
    expect(verona).toContain("Primo turno, domenica 11 giugno 2017");
  });

  it("/grafico affluenza Genova draws the turnout /affluenza Genova shows", async () => {
    expect(only(await after.say("/affluenza Genova"))).toContain("48,39%");
    await after.say("/grafico affluenza Genova");
    const photo = after.fake.photos.at(-1);
    expect(photo?.caption).toContain("Affluenza</b> · Genova · primo turno");
  });
});

describe("plain questions in a group", () => {
  const group = -100777;
  const member = { chatId: group, userId: 1201 };

  /** A message in the group replying to the bot's message `replyTo`. */
  const replyUpdate = (text: string, replyTo: number): Update =>
    ({
      update_id: 900_001,
      message: {
        message_id: 900_001,
        date: Math.floor(Date.now() / 1000),
        chat: { id: group, type: "supergroup", title: "Gruppo" },
        from: { id: 1201, is_bot: false, first_name: "Ada", language_code: "it" },
        text,
        reply_to_message: {
          message_id: replyTo,
          date: Math.floor(Date.now() / 1000),
          chat: { id: group, type: "supergroup", title: "Gruppo" },
          from: { id: h.fake.botInfo.id, is_bot: true, first_name: h.fake.botInfo.first_name },
          text: "…",
        },
      },
    }) as Update;

  it("the group's own conversation is left alone", async () => {
    expect(await h.say("verona", member)).toHaveLength(0);
    expect(await h.say("chi ha vinto a Genova?", member)).toHaveLength(0);
    expect(await h.say("ciao a tutti", member)).toHaveLength(0);
  });

  it("a message that mentions the bot is a question", async () => {
    const bot = h.fake.botInfo.username;
    expect(only(await h.say(`@${bot} chi ha vinto a Parma?`, member))).toContain("Federico Pizzarotti");
    expect(only(await h.say(`affluenza Genova @${bot.toUpperCase()}`, member))).toContain("Affluenza: 48,39%");
    // Another bot's name is not ours.
    expect(await h.say(`@${bot}x chi ha vinto a Parma?`, member)).toHaveLength(0);
  });

  it("a reply to one of the bot's messages is a question", async () => {
    const before = h.fake.sent.length;
    await h.runtime.bot.handleUpdate(replyUpdate("e a Verona?", 1));
    const replies = h.fake.sent.slice(before).filter((m) => m.chat_id === group);
    expect(only(replies)).toContain("Federico Sboarina");
  });

  it("the welcome, the help and the thanks speak to the group", async () => {
    const bot = h.fake.botInfo.username;
    const welcome = only(await h.say(`@${bot}`, member));
    expect(welcome).toMatch(/^Ciao a tutti!/);
    expect(welcome).toContain(`@${bot} chi ha vinto a Genova?`);
    expect(welcome).toContain("il gruppo riceve");
    expect(only(await h.say("/start", member))).toBe(welcome);
    expect(only(await h.say(`grazie @${bot}`, member))).toMatch(/^Prego! 🗳 Quando volete/);
    const help = only(await h.say("/aiuto", member));
    expect(help).toContain(`In un gruppo rispondo ai comandi e ai messaggi che mi menzionano (@${bot}`);
    expect(help).not.toContain("In chat privata");
  });

  it("the newsroom's commands are never listed in a group, even to the newsroom", async () => {
    const help = only(await h.say("/aiuto", { chatId: group, userId: ADMIN }));
    expect(help).not.toContain("/pubblica");
    expect(only(await h.say("/aiuto", { userId: ADMIN }))).toContain("/pubblica");
  });

  it("following by words in a group is for its administrators, as /iscriviti", async () => {
    const bot = h.fake.botInfo.username;
    expect(only(await h.say(`@${bot} segui Genova`, member))).toBe(
      "In un gruppo solo gli amministratori possono gestire le iscrizioni e gli orari silenziosi.",
    );
    expect(await h.runtime.store.subscriptionsOf(group)).toEqual([]);
  });
});
