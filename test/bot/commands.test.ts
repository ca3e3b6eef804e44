/** The command registry: names fit Telegram's menu, every name and alias reaches its feature, and /aiuto and the menu list the same. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  COMMANDS,
  type CommandContext,
  type CommandId,
  command,
  inScope,
  listed,
  nameIn,
  namesOf,
  parseCommand,
} from "../../src/bot/commands.js";
import type { BotContext } from "../../src/bot/context.js";
import { helpText } from "../../src/bot/features/help.js";
import { menu } from "../../src/bot/menu.js";
import { messages } from "../../src/i18n/index.js";
import { ADMIN, type Harness, startHarness } from "../support/harness.js";

const ids = Object.keys(COMMANDS) as CommandId[];

/** Just enough of a context for the matcher. */
const message = (text: string) => ({ message: { text }, me: { username: "ElezioniBot" } }) as unknown as BotContext;

describe("the registry", () => {
  it("menu names fit Telegram's rule; descriptions fit; both languages are there", async () => {
    for (const c of [...listed("everyone"), ...listed("newsroom")]) {
      expect(c.name).toMatch(/^[a-z0-9_]{1,32}$/);
      for (const lang of ["it", "en"] as const) {
        expect(c.help[lang].description.length).toBeGreaterThan(0);
        expect(c.help[lang].description.length).toBeLessThanOrEqual(256);
        expect(nameIn(c, lang)).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(c.help[lang].example).toContain(`/${nameIn(c, lang)}`);
      }
    }
  });

  it("the newsroom's commands are /pubblica, /rettifica, /ritira, /stato, /sblocca and /desk; /start is not listed", async () => {
    expect(inScope("newsroom")).toEqual(["pubblica", "rettifica", "ritira", "stato", "sblocca", "desk"]);
    expect(listed("everyone").map((c) => c.name)).not.toContain("start");
    expect(namesOf("aiuto")).toEqual(["aiuto", "help"]);
  });

  it("/aiuto and the menu list the same commands in the same order, in each language", async () => {
    for (const lang of ["it", "en"] as const) {
      const text = helpText(messages(lang), true);
      const inHelp = [...text.matchAll(/^\/(\w+) — (.*)$/gm)].map((m) => ({ command: m[1], description: m[2] }));
      expect(inHelp).toEqual(menu(lang, ["everyone", "newsroom"]));
    }
    expect(menu("en", ["everyone"]).find((c) => c.command === "city")?.description).toBe("Results of a comune");
  });

  it("the English menu lists the English names; the Italian one the Italian names", async () => {
    expect(menu("en", ["everyone"]).map((c) => c.command)).toEqual([
      "city",
      "turnout",
      "chart",
      "seats",
      "runoffs",
      "news",
      "info",
      "subscribe",
      "unsubscribe",
      "subscriptions",
      "quiet",
      "help",
    ]);
    expect(menu("it", ["everyone"]).map((c) => c.command)).toEqual([
      "citta",
      "affluenza",
      "grafico",
      "seggi",
      "ballottaggi",
      "ultime",
      "info",
      "iscriviti",
      "disiscriviti",
      "iscrizioni",
      "silenzioso",
      "aiuto",
    ]);
    expect(menu("en", ["newsroom"]).map((c) => c.command)).toEqual([
      "publish",
      "correct",
      "withdraw",
      "status",
      "release",
      "desk",
    ]);
    expect(menu("it", ["newsroom"]).map((c) => c.command)).toEqual([
      "pubblica",
      "rettifica",
      "ritira",
      "stato",
      "sblocca",
      "desk",
    ]);
    expect(helpText(messages("en"), false)).toContain("<i>/city Genova</i>");
    expect(helpText(messages("it"), false)).toContain("<i>/citta Genova</i>");
  });
});

describe("command(...)", () => {
  const citta = command("citta");

  it("matches the name, sets the rest as ctx.match, and follows /name@bot", async () => {
    const ctx = message("/citta   Reggio Emilia ");
    expect(citta(ctx)).toBe(true);
    expect(ctx.match).toBe("Reggio Emilia ");
    const addressed = message("/citta@ElezioniBot Genova");
    expect(citta(addressed)).toBe(true);
    expect(addressed.match).toBe("Genova");
    expect(citta(message("/citta@elezionibot"))).toBe(true);
    expect(citta(message("/citta@AltroBot Genova"))).toBe(false);
  });

  it("is the whole word, as Telegram's bot_command is", async () => {
    for (const text of ["/cittadini", "/citta_x", "/citta/x", "citta", " /citta", "/ citta", "/affluenza"])
      expect(citta(message(text)), text).toBe(false);
    const dash = message("/citta-x");
    expect(citta(dash)).toBe(true);
    expect(dash.match).toBe("-x");
  });

  it("takes any capitalisation and accents, as phones type them", async () => {
    for (const text of [
      "/Citta Genova",
      "/CITTA Genova",
      "/città Genova",
      "/Città Genova",
      "/CITTÀ Genova",
      "/cittá Genova",
    ]) {
      const ctx = message(text);
      expect(citta(ctx), text).toBe(true);
      expect(ctx.match).toBe("Genova");
    }
    expect(citta(message("/City@ElezioniBot Genova"))).toBe(true);
    expect(command("aiuto")(message("/HELP"))).toBe(true);
    expect(citta(message("/cittadina"))).toBe(false);
  });

  it("reads `!` right after the name, for the commands that take it, as acting without a preview", async () => {
    expect(parseCommand("/pubblica! Seggi chiusi")).toEqual({ name: "pubblica", bang: true, rest: "Seggi chiusi" });
    expect(parseCommand("/pubblica@ElezioniBot! x")).toEqual({
      name: "pubblica",
      target: "ElezioniBot",
      bang: true,
      rest: "x",
    });
    expect(parseCommand("/pubblica !x")).toEqual({ name: "pubblica", rest: "!x" });
    const pubblica = message("/pubblica! Seggi chiusi") as CommandContext;
    expect(command("pubblica")(pubblica)).toBe(true);
    expect([pubblica.match, pubblica.bang]).toEqual(["Seggi chiusi", true]);
    const spaced = message("/pubblica ! Seggi chiusi") as CommandContext;
    expect(command("pubblica")(spaced)).toBe(true);
    expect([spaced.match, spaced.bang]).toEqual(["! Seggi chiusi", false]);
    // A command without a `!` form reads it as nothing more than a slip.
    const citta = message("/citta! Genova") as CommandContext;
    expect(command("citta")(citta)).toBe(true);
    expect([citta.match, citta.bang]).toEqual(["Genova", false]);
  });

  it("reads names Telegram marks no command in (accents), so that such an alias is one line in the registry", async () => {
    expect(parseCommand("/città Genova")).toEqual({ name: "città", rest: "Genova" });
    expect(parseCommand("/città@ElezioniBot")).toEqual({ name: "città", target: "ElezioniBot", rest: "" });
    expect(parseCommand("/CITTA")).toEqual({ name: "CITTA", rest: "" });
    expect(parseCommand("città")).toBeUndefined();
  });

  it("matches aliases, and nothing that is not a message text", async () => {
    expect(command("aiuto")(message("/help"))).toBe(true);
    const english: [CommandId, string][] = [
      ["citta", "/city Genova"],
      ["affluenza", "/turnout"],
      ["ballottaggi", "/runoffs"],
      ["ultime", "/news 3"],
      ["iscriviti", "/subscribe Parma"],
      ["disiscriviti", "/unsubscribe"],
      ["iscrizioni", "/subscriptions"],
      ["silenzioso", "/quiet 23-7"],
    ];
    for (const [id, text] of english) expect(command(id)(message(text)), text).toBe(true);
    expect(citta({ callbackQuery: { data: "/citta" }, me: { username: "ElezioniBot" } } as unknown as BotContext)).toBe(
      false,
    );
  });
});

describe("every name reaches its feature", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it.each(ids.flatMap((id) => namesOf(id).map((name) => [id, name] as const)))("%s as /%s", async (_id, name) => {
    for (const userId of [1001, ADMIN]) {
      const replies = await h.say(`/${name}`, { userId });
      expect(replies.length).toBeGreaterThan(0);
      for (const r of replies) expect(r.plain).not.toContain("Non conosco questo comando");
    }
  });
});

describe("commands as people type them", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it.each(["/città genova", "/Citta genova", "/CITTA genova", "/Città Genova", "/city Genova"])(
    "%s answers with Genova's card",
    async (text) => {
      const [card] = await h.say(text);
      expect(card!.plain).toContain("🏛 Genova (GE)");
      expect(card!.plain).toContain("Marco Bucci");
    },
  );

  it("the English names answer what the Italian ones do, for every client", async () => {
    const pairs = [
      ["/affluenza", "/turnout"],
      ["/ballottaggi", "/runoffs"],
      ["/ultime 3", "/news 3"],
      ["/iscrizioni", "/subscriptions"],
      ["/aiuto", "/help"],
    ];
    for (const lang of ["it", "en"])
      for (const [italian, english] of pairs) {
        const a = (await h.say(italian!, { lang })).map((m) => m.text);
        const b = (await h.say(english!, { lang })).map((m) => m.text);
        expect(b, english).toEqual(a);
      }
    const [sub] = await h.say("/Subscribe Parma", { userId: 3003, lang: "en" });
    expect(sub!.plain).toContain("Parma");
    expect(await h.runtime.store.subscriptionsOf(3003)).toEqual(["034027"]);
  });
});
