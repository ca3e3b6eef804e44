/** The citizens' commands end to end: grammY's real HTTP client against the loopback fake Bot API. */

import { run } from "@grammyjs/runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCommands } from "../src/bot/menu.js";
import { ADMIN, type Harness, startHarness } from "./support/harness.js";

/** A clock that reads `iso` at the start and runs from there, as the night would. */
function clockAt(iso: string): () => Date {
  const offset = Date.now() - Date.parse(iso);
  return () => new Date(Date.now() - offset);
}

/** The morning after the first round: the runoff is still to come. */
const MORNING_AFTER = "2017-06-12T12:00:00+02:00";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ runtime: { now: clockAt(MORNING_AFTER) } });
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

  it("/citta Genova: every candidate by share, coalition, runoff with date and reason, the source", async () => {
    const text = only(await h.say("/citta Genova"));
    expect(text.indexOf("Marco Bucci")).toBeLessThan(text.indexOf("Gianni (Giovanni) Crivello"));
    expect(text).toContain("Marco Bucci — 38,8%");
    expect(text).toContain("Gianni (Giovanni) Crivello — 33,39%");
    expect(text).toContain("9. Stefano Arrighi — 0,39%");
    expect(text).toContain("centrodestra");
    expect(text).toContain("Ballottaggio domenica 25 giugno: Marco Bucci contro Gianni (Giovanni) Crivello");
    expect(text).toContain("50%");
    expect(text).toContain("dati definitivi");
  });

  it("/citta Palermo: elected at the first round under the Sicilian 40% rule", async () => {
    const text = only(await h.say("/citta palermo"));
    expect(text).toContain("Eletto sindaco al primo turno: Leoluca Orlando");
    expect(text).toContain("40%");
    expect(text).toContain("Sicilia");
  });

  it("forgives the source's own typo and other spellings", async () => {
    for (const q of ["L'Aquilia", "laquila", "L’AQUILA", "l aquila"]) {
      expect(only(await h.say(`/citta ${q}`))).toContain("Americo Di Benedetto — 47,01%");
    }
  });

  it("unknown and ambiguous names get suggestions as buttons", async () => {
    const [unknown] = await h.say("/citta Atlantide");
    expect(unknown!.plain).toContain("Non trovo il comune «Atlantide»");
    const [amb] = await h.say("/citta pa");
    expect(amb!.plain).toBe("«pa» può indicare più comuni: quale cercavi?");
    const buttons = (
      amb!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(["Palermo", "Padova", "Parma"]);
    const card = only(await h.press(buttons.find((b) => b.text === "Parma")!.callback_data));
    expect(card).toContain("Federico Pizzarotti — 34,78%");
  });

  it("/citta without a name offers the comuni with results as buttons; a tap shows the card", async () => {
    const [list] = await h.say("/citta");
    const buttons = (
      list!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual([
      "Alessandria",
      "Asti",
      "Belluno",
      "Catanzaro",
      "Como",
      "Cuneo",
      "Frosinone",
      "Genova",
      "Gorizia",
      "L'Aquila",
      "La Spezia",
      "Lecce",
      "Altri ▶",
    ]);
    const card = only(await h.press(buttons[3]!.callback_data));
    expect(card).toContain("Sergio Abramo — 39,72%");
    expect(h.fake.callsOf("answerCallbackQuery").length).toBeGreaterThan(0);
  });

  it("a comune without results says so; homonyms are offered with their province", async () => {
    expect(only(await h.say("/citta Pavia"))).toBe(
      "🏛 Pavia (PV) · Lombardia\nPer Pavia non ho risultati in questi dati.\n" +
        "ℹ️ Nota: i risultati caricati sono quelli dei 25 capoluoghi, su 1.004 comuni al voto.",
    );
    const [castro] = await h.say("/citta Castro");
    const buttons = (
      castro!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    // The more populous first: Castro (LE) 2.473 inhabitants, Castro (BG) 1.383 (census 2011).
    expect(buttons.map((b) => b.text)).toEqual(["Castro (LE)", "Castro (BG)"]);
    expect(only(await h.press(buttons[0]!.callback_data))).toContain("Castro (LE) · Puglia");
  });

  it("a region or province answers with its comuni with results as buttons", async () => {
    const [liguria] = await h.say("/citta Liguria");
    expect(liguria!.plain).toBe("📍 Regione Liguria: 2 comuni con risultati");
    const buttons = (
      liguria!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(["Genova", "La Spezia"]);
    expect(only(await h.press(buttons[1]!.callback_data))).toContain("Pierluigi Peracchini — 32,62%");
    expect(only(await h.say("/citta provincia di Monza e della Brianza"))).toContain("1 comune con risultati");
    expect(only(await h.say("/citta Molise"))).toContain("Per Molise non ho risultati in questi dati.");
    expect(only(await h.say("/citta regione Molise"))).toContain("nessun comune con risultati");
  });

  it("a candidate's surname finds the comune: Bucci is Genova", async () => {
    expect(only(await h.say("/citta Bucci"))).toContain("Genova (GE)");
    expect(only(await h.say("cerruti"))).toContain("Asti (AT)");
  });

  it("a stale button is answered, not ignored", async () => {
    const before = h.fake.callbackAnswers.length;
    expect(await h.press("c:atlantide")).toHaveLength(0);
    expect(h.fake.callbackAnswers.length).toBe(before + 1);
  });

  it("a city name typed in a private chat answers like /citta; in a group it is left alone", async () => {
    expect(only(await h.say("verona"))).toContain("Federico Sboarina — 29,26%");
    expect(only(await h.say("liguria"))).toContain("Regione Liguria");
    expect(await h.say("verona", { chatId: -100200, userId: 7 })).toHaveLength(0);
  });

  it("/affluenza: the official 12/19/23 timeline over 849 comuni, the previous election, the source", async () => {
    const text = only(await h.say("/affluenza"));
    expect(text).toMatch(/12:00 ▓+░+ 19,36%/);
    expect(text).toContain("849 comuni");
    expect(text).toMatch(/19:00 ▓+░+ 42,35%/);
    expect(text).toMatch(/23:00 ▓+░+ 60,07% — definitivo/);
    expect(text).toContain("66,85%");
    expect(text).toContain("−6,78");
    expect(text).toContain("Fonte: Ministero dell'Interno · dati definitivi");
  });

  it("/affluenza <nome> gives the comune's own figure and its source", async () => {
    const text = only(await h.say("/affluenza Genova"));
    expect(text).toContain("Genova");
    expect(text).toContain("Affluenza: 48,39% (tornata precedente 55,57%)");
    expect(text).toContain("Fonte:");
    expect(only(await h.say("/affluenza Pavia"))).toContain("Per Pavia non ho risultati");
  });

  it("/ballottaggi lists the 22 runoffs with their pairs and the date", async () => {
    const text = (await h.say("/ballottaggi")).map((m) => m.plain).join("\n");
    expect(text).toContain("domenica 25 giugno 2017");
    for (const [a, b] of [
      ["Marco Bucci", "Gianni \\(Giovanni\\) Crivello"],
      ["Federico Sboarina", "Patrizia Bisinella"],
      ["Federico Pizzarotti", "Paolo Scarpa"],
      ["Americo Di Benedetto", "Pierluigi Biondi"],
      ["Sergio Abramo", "Vincenzo Antonio Ciconte"],
    ]) {
      expect(text).toMatch(new RegExp(`${a} \\(.*\\) contro ${b}`));
    }
    expect(text.match(/ contro /g)).toHaveLength(22);
    expect(text).toContain("Leoluca Orlando");
  });

  it("/ultime: newest first with date and time; a count; bad counts get a hint", async () => {
    const text = only(await h.say("/ultime"));
    // Dated as the clock reads them: today's bulletins by their time, yesterday's with the day.
    expect(text.indexOf("🕒 11:45")).toBeGreaterThan(-1);
    expect(text.indexOf("🕒 11:45")).toBeLessThan(text.indexOf("🕒 00:45"));
    expect(text).toContain("11/06 23:15");
    const two = only(await h.say("/ultime 2"));
    expect(two.match(/🕒/g)).toHaveLength(2);
    const all = only(await h.say("/ultime 20"));
    expect(all.match(/🕒/g)).toHaveLength(6);
    expect(all).toContain("11/06 12:15");
    for (const bad of ["0", "-1", "2.5", "genova 0"])
      expect(only(await h.say(`/ultime ${bad}`))).toContain("Indica un numero da 1 a 20");
    // More than 20: the 20 newest (here all six), said in one line.
    const many = only(await h.say("/ultime 999"));
    expect(many).toContain("Ne mostro al massimo 20.");
    expect(many.match(/🕒/g)).toHaveLength(6);
    expect(only(await h.say("/ultime abc"))).toBe("Non trovo il comune «abc». Controlla come è scritto.");
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
      const subs = await h.runtime.store.subscriptionsOf(userId);
      expect(subs).toEqual(/gen/i.test(input.replace(/[^a-z]/gi, "")) ? ["010025"] : []);
      expect(await h.runtime.store.bulletinCount()).toBe(6);
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
    expect(text).toContain("Runoff on Sunday 25 June: Marco Bucci vs Gianni (Giovanni) Crivello");
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
    expect(answer.results[0]!.title).toBe("Genova");
    expect(answer.results.length).toBeGreaterThan(1);
    expect(answer.results[0]!.input_message_content.message_text).toContain("Marco Bucci");
    expect(answer.params.cache_time).toBeGreaterThan(0);
    await h.inline("");
    const empty = h.fake.inlineAnswers.at(-1)! as unknown as { results: { title: string }[] };
    expect(empty.results).toHaveLength(22);
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
    expect(h.fake.getCommands(undefined, "en").find((c) => c.command === "city")?.description).toBe(
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

describe("after the runoff", () => {
  let after: Harness;
  beforeAll(async () => {
    after = await startHarness({ runtime: { now: clockAt("2017-06-26T10:00:00+02:00") } });
  });
  afterAll(async () => {
    await after.close();
  });

  it("/citta shows the runoff and who was elected, then the first round", async () => {
    const text = only(await after.say("/citta Genova"));
    expect(text).toContain("Ballottaggio, domenica 25 giugno 2017");
    expect(text).toContain("Eletto sindaco al ballottaggio: Marco Bucci");
    expect(text.indexOf("55,24%")).toBeLessThan(text.indexOf("Primo turno"));
    expect(only(await after.say("/citta Trapani"))).toContain("Nessun sindaco eletto");
  });

  it("/ballottaggi gives the winners, /info the outcome at a glance", async () => {
    const runoffs = (await after.say("/ballottaggi")).map((m) => m.plain).join("\n");
    expect(runoffs).toContain("Eletti al ballottaggio");
    expect(runoffs).toContain("Lucca (LU): Alessandro Tambellini (50,52%) su Remo Santini (49,48%)");
    expect(runoffs).not.toContain(" contro ");
    const info = only(await after.say("/info"));
    expect(info).toContain("eletti al ballottaggio: 21");
    expect(info).toContain("senza sindaco: 1 (Trapani)");
  });

  it("/affluenza adds the runoff's readings", async () => {
    expect(only(await after.say("/affluenza"))).toMatch(/23:00 ▓+░+ 46,03% — definitivo/);
  });

  type InlineArticle = { title: string; description: string; input_message_content: { message_text: string } };
  const lastInline = (h: Harness) => (h.fake.inlineAnswers.at(-1)! as unknown as { results: InlineArticle[] }).results;

  it("inline, Trapani's void runoff: no mayor first, the sole candidate's votes and the turnout against the quorum, no share", async () => {
    await after.inline("");
    const runoff = lastInline(after).find((r) => r.title.includes("Trapani"))!;
    expect(runoff.title).toBe("Ballottaggio: Trapani · ⛔ Nessun sindaco eletto");
    expect(runoff.description).toBe(
      "⛔ Nessun sindaco eletto: quorum non raggiunto · Pietro (Piero) Savona, unico candidato: 14.536 voti · affluenza 26,75%, sotto il minimo del 50%",
    );
    expect(runoff.input_message_content.message_text).not.toContain("91,51%");
    await after.inline("trapani");
    const found = lastInline(after)[0]!;
    expect(found.title).toBe("Trapani · ⛔ Nessun sindaco eletto");
    expect(found.description).toMatch(/^⛔ Nessun sindaco eletto: quorum non raggiunto · /);
    expect(found.description).not.toContain("91,51%");
    // A runoff that elected is unchanged: the winner first, then the two shares.
    await after.inline("genova");
    expect(lastInline(after)[0]!.description).toBe(
      "✅ Marco Bucci · Marco Bucci 55,24% · Gianni (Giovanni) Crivello 44,76%",
    );
  });

  it("inline in English: the void runoff said first, in English", async () => {
    await after.inline("trapani", { userId: 5005, lang: "en" });
    const found = lastInline(after)[0]!;
    expect(found.title).toBe("Trapani · ⛔ No mayor elected");
    expect(found.description).toBe(
      "⛔ No mayor elected: quorum not reached · Pietro (Piero) Savona, the only candidate: 14,536 votes · turnout 26.75%, below the 50% minimum",
    );
    expect(found.input_message_content.message_text).not.toContain("91.51%");
  });

  it("/ballottaggi says why Trapani has no mayor: the quorum, the sole candidate's votes, the turnout", async () => {
    const runoffs = (await after.say("/ballottaggi")).map((m) => m.plain).join("\n");
    expect(runoffs).toContain(
      "⛔ Nessun sindaco eletto\n🏛 Trapani (TP): quorum non raggiunto · Pietro (Piero) Savona, unico candidato: 14.536 voti · affluenza 26,75%, sotto il minimo del 50%",
    );
    expect(runoffs).not.toContain("91,51%");
    const english = (await after.say("/runoffs", { userId: 5005, lang: "en" })).map((m) => m.plain).join("\n");
    expect(english).toContain(
      "⛔ No mayor elected\n🏛 Trapani (TP): quorum not reached · Pietro (Piero) Savona, the only candidate: 14,536 votes · turnout 26.75%, below the 50% minimum",
    );
  });
});

describe("city list with many comuni", () => {
  it("pages through the buttons twelve at a time; a page button edits the keyboard in place", async () => {
    const { copyFile, mkdtemp, readFile, rm, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = await mkdtemp(path.join(tmpdir(), "elezioni-pages-"));
    for (const f of ["election.json", "turnout.json", "bulletins.json"])
      await copyFile(path.join("data", f), path.join(dir, f));
    const shipped = JSON.parse(await readFile(path.join("data", "results.json"), "utf8"));
    const genova = shipped.comuni.find((c: { name: string }) => c.name === "Genova");
    const bulletinComuni = ["Verona", "Parma", "L'Aquila", "Catanzaro", "Palermo"];
    const comuni = [genova, ...shipped.comuni.filter((c: { name: string }) => bulletinComuni.includes(c.name))];
    for (let i = 1; i <= 20; i++) {
      comuni.push({
        name: `Borgo Prova ${String(i).padStart(2, "0")}`,
        province: "XX",
        region: "Lazio",
        populationBand: "fino-15000",
        firstRound: {
          date: "2017-06-11",
          candidates: [{ name: `Candidata ${i}`, percent: 55 }],
          provenance: { source: "prova", status: "final" },
        },
      });
    }
    await writeFile(path.join(dir, "results.json"), JSON.stringify({ comuni }));
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
