/** The citizens' commands end to end: grammY's real HTTP client against the loopback fake Bot API. */

import { run } from "@grammyjs/runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCommands } from "../src/bot/menu.js";
import { ADMIN, type Harness, startHarness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const only = (msgs: { plain: string }[]) => {
  expect(msgs).toHaveLength(1);
  return msgs[0]!.plain;
};

describe("queries", () => {
  it("/start welcomes and points to the commands", async () => {
    const text = only(await h.say("/start"));
    expect(text).toContain("Ciao Ada!");
    expect(text).toContain("/citta");
    expect(text).toContain("/aiuto");
  });

  it("/aiuto and /help list every public command with an example; only the newsroom sees its own", async () => {
    const citizen = only(await h.say("/aiuto"));
    for (const c of [
      "/citta",
      "/affluenza",
      "/ballottaggi",
      "/ultime",
      "/info",
      "/iscriviti",
      "/disiscriviti",
      "/iscrizioni",
    ])
      expect(citizen).toContain(c);
    expect(citizen).toContain("/citta Genova");
    expect(citizen).not.toContain("/pubblica");
    expect(only(await h.say("/help"))).toBe(citizen);
    const admin = only(await h.say("/aiuto", { userId: ADMIN }));
    expect(admin).toContain("/pubblica");
    expect(admin).toContain("/stato");
  });

  it("/citta Genova: candidates by share, coalition, runoff with date and reason", async () => {
    const text = only(await h.say("/citta Genova"));
    expect(text.indexOf("Marco Bucci")).toBeLessThan(text.indexOf("Gianni Crivello"));
    expect(text).toContain("Marco Bucci — 38,8%");
    expect(text).toContain("Gianni Crivello — 33,39%");
    expect(text).toContain("centrodestra");
    expect(text).toContain("Ballottaggio domenica 25 giugno: Marco Bucci contro Gianni Crivello");
    expect(text).toContain("50%");
  });

  it("/citta Palermo: elected at the first round under the Sicilian 40% rule", async () => {
    const text = only(await h.say("/citta palermo"));
    expect(text).toContain("Eletto sindaco al primo turno: Leoluca Orlando");
    expect(text).toContain("40%");
    expect(text).toContain("Sicilia");
  });

  it("forgives the source's own typo and other spellings", async () => {
    for (const q of ["L'Aquilia", "laquila", "L’AQUILA", "l aquila"]) {
      expect(only(await h.say(`/citta ${q}`))).toContain("Americo Di Benedetto — 47,04%");
    }
  });

  it("unknown and ambiguous names get suggestions as buttons", async () => {
    const [unknown] = await h.say("/citta Milano");
    expect(unknown!.plain).toContain("Non trovo il comune «Milano»");
    const [amb] = await h.say("/citta pa");
    expect(amb!.plain).toContain("Forse cercavi");
    const buttons = (
      amb!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons.map((b) => b.text).sort()).toEqual(["Palermo", "Parma"]);
    const card = only(await h.press(buttons.find((b) => b.text === "Parma")!.callback_data));
    expect(card).toContain("Federico Pizzarotti — 34,78%");
  });

  it("/citta without a name offers the cities as buttons; a tap shows the card", async () => {
    const [list] = await h.say("/citta");
    const buttons = (
      list!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(["Catanzaro", "Genova", "L'Aquila", "Palermo", "Parma", "Verona"]);
    const card = only(await h.press(buttons[0]!.callback_data));
    expect(card).toContain("Sergio Abramo — 40,07%");
    expect(h.fake.callsOf("answerCallbackQuery").length).toBeGreaterThan(0);
  });

  it("a stale button is answered, not ignored", async () => {
    const before = h.fake.callbackAnswers.length;
    expect(await h.press("c:atlantide")).toHaveLength(0);
    expect(h.fake.callbackAnswers.length).toBe(before + 1);
  });

  it("a city name typed in a private chat answers like /citta; in a group it is left alone", async () => {
    expect(only(await h.say("verona"))).toContain("Federico Sboarina — 29,26%");
    expect(await h.say("verona", { chatId: -100200, userId: 7 })).toHaveLength(0);
  });

  it("/affluenza: the 12/19/23 timeline with coverage and the previous election", async () => {
    const text = only(await h.say("/affluenza"));
    expect(text).toMatch(/12:00 ▓+░+ 19,36%/);
    expect(text).toContain("311 comuni su 849");
    expect(text).toContain("circa 15%");
    expect(text).toMatch(/19:00 ▓+░+ 42,35%/);
    expect(text).toMatch(/23:00 ▓+░+ 61,5%/);
    expect(text).toContain("67%");
    expect(text).toContain("−5,5");
  });

  it("/affluenza <nome> says when the comune has no figure of its own", async () => {
    const text = only(await h.say("/affluenza Genova"));
    expect(text).toContain("Genova");
    expect(text).toContain("nessun dato per questo comune");
  });

  it("/ballottaggi lists the five runoffs with their pairs and the date", async () => {
    const text = (await h.say("/ballottaggi")).map((m) => m.plain).join("\n");
    expect(text).toContain("domenica 25 giugno 2017");
    for (const [a, b] of [
      ["Marco Bucci", "Gianni Crivello"],
      ["Federico Sboarina", "Patrizia Bisinella"],
      ["Federico Pizzarotti", "Paolo Scarpa"],
      ["Americo Di Benedetto", "Pierluigi Biondi"],
      ["Sergio Abramo", "Vincenzo Ciconte"],
    ]) {
      expect(text).toMatch(new RegExp(`${a} \\([^)]*\\) contro ${b}`));
    }
    expect(text).toContain("Leoluca Orlando");
  });

  it("/ultime: newest first with date and time; a count; bad counts get a hint", async () => {
    const text = only(await h.say("/ultime"));
    expect(text.indexOf("12/06/2017 11:45")).toBeLessThan(text.indexOf("12/06/2017 00:45"));
    expect(text).toContain("11/06/2017 23:15");
    const two = only(await h.say("/ultime 2"));
    expect(two.match(/🕒/g)).toHaveLength(2);
    const all = only(await h.say("/ultime 20"));
    expect(all.match(/🕒/g)).toHaveLength(6);
    expect(all).toContain("11/06/2017 12:15");
    for (const bad of ["0", "abc", "999", "-1", "2.5"])
      expect(only(await h.say(`/ultime ${bad}`))).toContain("Indica un numero da 1 a 20");
  });

  it("/info: the election at a glance", async () => {
    const text = only(await h.say("/info"));
    for (const s of ["1.004", "25", "9.172.026", "10.584.797", "07:00", "23:00", "15.000", "40%"])
      expect(text).toContain(s);
  });
});

describe("groups and other bots", () => {
  it("commands work in groups, also addressed as /citta@botname; other bots' commands are ignored", async () => {
    const g = { chatId: -100300, userId: 8 };
    expect(only(await h.say(`/citta@${h.fake.botInfo.username} Genova`, g))).toContain("Marco Bucci");
    expect(await h.say("/citta@AltroBot Genova", g)).toHaveLength(0);
    expect(await h.say("/sconosciuto@AltroBot", g)).toHaveLength(0);
    expect(only(await h.say(`/sconosciuto@${h.fake.botInfo.username}`, g))).toContain("/aiuto");
  });

  it("unknown commands get a one-line hint", async () => {
    expect(only(await h.say("/boh"))).toBe("Non conosco questo comando. Scrivi /aiuto per l'elenco.");
  });

  it("updates from other bots get no answer", async () => {
    expect(await h.say("/citta Genova", { userId: 555, isBot: true })).toHaveLength(0);
  });
});

describe("hostile input", () => {
  const inputs = [
    "<b>Genova</b>",
    "<script>alert(1)</script> & &amp; &#0; </i>",
    "a".repeat(5000),
    "Gen\u0000ova\u0007\u202e",
    "🗳️🇮🇹👨‍👩‍👧‍👦".repeat(300),
    "\u200f\u200eשלום مرحبا",
    "'; DROP TABLE subscriptions; --",
  ];
  it.each(inputs.map((s, i) => [i, s] as const))(
    "input %i gets a polite answer that Telegram accepts",
    async (i, input) => {
      const userId = 5000 + i;
      for (const text of [
        `/citta ${input}`,
        input,
        `/affluenza ${input}`,
        `/iscriviti ${input}`,
        `/ultime ${input}`,
        `/pubblica ${input}`,
      ]) {
        const replies = await h.say(text, { userId });
        expect(replies.length).toBeGreaterThan(0);
        for (const r of replies) {
          expect(r.plain).not.toContain("qualcosa è andato storto");
          expect(r.plain.length).toBeLessThanOrEqual(4096);
        }
      }
      // Nothing but a recognisable "Genova" may subscribe anyone to anything; nothing is published.
      const subs = h.runtime.store.subscriptionsOf(userId);
      expect(subs).toEqual(/gen/i.test(input.replace(/[^a-z]/gi, "")) ? ["Genova"] : []);
      expect(h.runtime.store.bulletinCount()).toBe(6);
    },
  );
});

describe("errors", () => {
  it("a failing reply is logged and the user gets a short apology; the bot keeps going", async () => {
    // A 5xx is sent again by the send budget; an error Telegram will not take back is not.
    h.fake.failNext(1, 400, "Bad Request: can't parse entities", "sendMessage");
    const replies = await h.say("/info");
    expect(only(replies)).toBe("Scusa, qualcosa è andato storto. Riprova tra poco.");
    expect(only(await h.say("/info"))).toContain("9.172.026");
  });
});

describe("language", () => {
  it("clients in another language get the interface in English, the data stays Italian", async () => {
    const text = only(await h.say("/citta Genova", { lang: "en", userId: 2002 }));
    expect(text).toContain("Runoff on Sunday 25 June: Marco Bucci vs Gianni Crivello");
    expect(text).toContain("centrodestra");
    expect(only(await h.say("/start", { lang: "de", userId: 2003 }))).toContain("Hi Ada!");
    expect(only(await h.say("/start", { lang: "it-IT", userId: 2004 }))).toContain("Ciao Ada!");
  });
});

describe("inline mode", () => {
  it("offers matching comuni; choosing one posts the card; an empty query offers the runoffs", async () => {
    await h.inline("gen");
    const answer = h.fake.inlineAnswers.at(-1)! as unknown as {
      results: { title: string; input_message_content: { message_text: string } }[];
      params: { cache_time?: number };
    };
    expect(answer.results.map((r) => r.title)).toEqual(["Genova"]);
    expect(answer.results[0]!.input_message_content.message_text).toContain("Marco Bucci");
    expect(answer.params.cache_time).toBeGreaterThan(0);
    await h.inline("");
    const empty = h.fake.inlineAnswers.at(-1)! as unknown as { results: { title: string }[] };
    expect(empty.results).toHaveLength(5);
    await h.inline("laquilia");
    const typo = h.fake.inlineAnswers.at(-1)! as unknown as { results: { title: string }[] };
    expect(typo.results.map((r) => r.title)).toContain("L'Aquila");
  });
});

describe("command menu", () => {
  it("registers Italian, English and newsroom menus from the /aiuto list", async () => {
    await registerCommands(h.runtime.bot.api, [ADMIN]);
    const itMenu = h.fake.getCommands().map((c) => c.command);
    expect(itMenu).toContain("citta");
    expect(itMenu).not.toContain("pubblica");
    expect(h.fake.getCommands(undefined, "en").find((c) => c.command === "citta")?.description).toBe(
      "Results of a comune",
    );
    expect(h.fake.getCommands({ type: "chat", chat_id: ADMIN }).map((c) => c.command)).toContain("pubblica");
  });
});

describe("flood limit", () => {
  it("answers a flood with one polite notice, then silence", async () => {
    const limited = await startHarness({ runtime: { rateLimit: { limit: 3, timeFrameMs: 60_000 } } });
    try {
      const replies = [];
      for (let i = 0; i < 7; i++) replies.push(...(await limited.say("/info", { userId: 3003 })));
      expect(replies.filter((r) => r.plain.includes("9.172.026"))).toHaveLength(3);
      expect(replies.filter((r) => r.plain.includes("troppo in fretta"))).toHaveLength(1);
      expect(replies).toHaveLength(4);
      // Another user is not affected.
      expect(await limited.say("/info", { userId: 3004 })).toHaveLength(1);
      // Inline queries, one per keystroke, have a wider limit of their own: typing a name goes through.
      const answered = limited.fake.inlineAnswers.length;
      for (const q of ["g", "ge", "gen", "geno", "genov", "genova"]) await limited.inline(q, { userId: 3003 });
      expect(limited.fake.inlineAnswers.length).toBe(answered + 6);
      // The newsroom is never throttled.
      for (let i = 0; i < 7; i++) expect(await limited.say("/info", { userId: ADMIN })).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });
});

describe("long polling", () => {
  it("the runner fetches updates from the API and answers them", async () => {
    const polled = await startHarness();
    const runner = run(polled.runtime.bot);
    try {
      polled.fake.pushMessage("/citta Verona", { userId: 4004 });
      await polled.fake.waitUntil(() => polled.fake.sentTo(4004).length === 1);
      expect(polled.fake.sentTo(4004)[0]!.plain).toContain("Federico Sboarina");
    } finally {
      await runner.stop();
      await polled.close();
    }
  });
});

describe("city list with many comuni", () => {
  it("pages through the buttons twelve at a time; a page button edits the keyboard in place", async () => {
    const { copyFile, mkdtemp, readFile, rm, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = await mkdtemp(path.join(tmpdir(), "elezioni-pages-"));
    for (const f of ["election.json", "turnout.json", "results.json", "bulletins.json"])
      await copyFile(path.join("data", f), path.join(dir, f));
    const results = JSON.parse(await readFile(path.join(dir, "results.json"), "utf8"));
    for (let i = 1; i <= 20; i++) {
      results.comuni.push({
        name: `Borgo Prova ${String(i).padStart(2, "0")}`,
        province: "XX",
        region: "Lazio",
        populationBand: "fino-15000",
        candidates: [{ name: `Candidata ${i}`, percent: 55 }],
      });
    }
    await writeFile(path.join(dir, "results.json"), JSON.stringify(results));
    const paged = await startHarness({ runtime: { dataDir: dir } });
    try {
      type Kb = { inline_keyboard: { text: string; callback_data: string }[][] };
      const [list] = await paged.say("/citta", { userId: 5005 });
      const first = (list!.reply_markup as Kb).inline_keyboard.flat();
      // Capoluoghi first, then alphabetical; 12 cities and a "more" button.
      expect(first.slice(0, 6).map((b) => b.text)).toEqual([
        "Catanzaro",
        "Genova",
        "L'Aquila",
        "Palermo",
        "Parma",
        "Verona",
      ]);
      expect(first).toHaveLength(13);
      const more = first.find((b) => b.text === "Altri ▶")!;
      await paged.press(more.callback_data, { userId: 5005, messageId: list!.message_id });
      const edit = paged.fake.markupEdits.at(-1)!;
      expect(edit.message_id).toBe(list!.message_id);
      const second = (edit.reply_markup as Kb).inline_keyboard.flat().map((b) => b.text);
      expect(second).toContain("Borgo Prova 07");
      expect(second).toContain("◀ Indietro");
      expect(second).toContain("Altri ▶");
      // A double tap on the same page button changes nothing and shows no error.
      const edits = paged.fake.markupEdits.length;
      expect(await paged.press(more.callback_data, { userId: 5005, messageId: list!.message_id })).toHaveLength(0);
      expect(paged.fake.markupEdits.length).toBe(edits);
      expect(
        paged.fake
          .callsOf("answerCallbackQuery")
          .filter((c) => String(c.params.text ?? "").includes("qualcosa è andato storto")),
      ).toEqual([]);
      const card = await paged.press(
        (edit.reply_markup as Kb).inline_keyboard.flat().find((b) => b.text === "Borgo Prova 07")!.callback_data,
        { userId: 5005 },
      );
      expect(card[0]!.plain).toContain("Comune fino a 15.000 abitanti");
    } finally {
      await paged.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
