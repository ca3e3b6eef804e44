import { beforeAll, describe, expect, it } from "vitest";
import { type DataPack, loadDataPack } from "../src/data/pack.js";
import type { Comune } from "../src/data/schema.js";
import { packMessages, TELEGRAM_TEXT_LIMIT } from "../src/format/html.js";
import { type Lang, messages } from "../src/i18n/index.js";
import { latestView } from "../src/views/bulletins.js";
import { cityCard, outcomeLines } from "../src/views/city.js";
import type { ViewContext } from "../src/views/common.js";
import { infoView } from "../src/views/info.js";
import { runoffsOf, runoffsView } from "../src/views/runoffs.js";
import { turnoutTimeline, turnoutView } from "../src/views/turnout.js";
import { htmlToPlain } from "./support/fake-bot-api/index.js";

let pack: DataPack;
beforeAll(async () => {
  pack = await loadDataPack("data");
});

/** The morning after, in Rome. */
const NOW = new Date("2017-06-12T12:00:00+02:00");
const view = (lang: Lang = "it"): ViewContext => ({ pack, t: messages(lang), now: NOW });
const comune = (name: string): Comune => pack.comuni.find((c) => c.name === name)!;

/** Parses like Telegram (throws on malformed HTML) and checks the length limit. */
function plain(html: string): string {
  const text = htmlToPlain(html);
  expect(text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
  expect(text.trim().length).toBeGreaterThan(0);
  return text;
}

/** A view made of blocks, as the bot sends it: packed into messages, each parsed. */
function plainBlocks(blocks: string[]): string {
  const parts = packMessages(blocks);
  expect(parts.length).toBeGreaterThan(0);
  return parts.map(plain).join("\n\n");
}

/** Every view the bot can send, for one language. */
function allViews(lang: Lang): [string, string[]][] {
  const v = view(lang);
  const newestFirst = [...pack.bulletins].reverse();
  return [
    ...pack.comuni.map((c): [string, string[]] => [`city ${c.name}`, [cityCard(c, v)]]),
    ["turnout", [turnoutView(v)]],
    ["runoffs", runoffsView(v)],
    ["info", [infoView(v)]],
    ["latest", latestView(newestFirst, v.t, NOW, pack.election.timezone)],
    ["latest (empty)", latestView([], v.t, NOW)],
  ];
}

describe("city card (Italian)", () => {
  it("Genova: Bucci before Crivello, with their shares, and the runoff on Sunday 25 June with the reason", () => {
    const text = plain(cityCard(comune("Genova"), view()));
    expect(text).toContain("Genova");
    expect(text).toContain("(GE)");
    expect(text).toContain("capoluogo");
    expect(text).toContain("domenica 11 giugno 2017");
    const bucci = text.indexOf("Marco Bucci");
    const crivello = text.indexOf("Gianni Crivello");
    expect(bucci).toBeGreaterThan(-1);
    expect(crivello).toBeGreaterThan(bucci);
    expect(text).toMatch(/1\. Marco Bucci — 38,8%/);
    expect(text).toMatch(/2\. Gianni Crivello — 33,39%/);
    expect(text).toContain("centrodestra");
    expect(text).toContain("centrosinistra");
    expect(text).toContain("Ballottaggio domenica 25 giugno: Marco Bucci contro Gianni Crivello");
    expect(text).toContain("Nessuno ha superato il 50% dei voti in un comune sopra i 15.000 abitanti.");
    expect(text).not.toContain("Eletto");
  });

  it("Palermo: elected at the first round under the 40% rule, Forello without a share", () => {
    const text = plain(cityCard(comune("Palermo"), view()));
    expect(text).toContain("Eletto sindaco al primo turno: Leoluca Orlando");
    expect(text).toContain("40%");
    expect(text).toContain("Sicilia");
    expect(text).toMatch(/1\. Leoluca Orlando — 46,08%/);
    expect(text).toMatch(/2\. Ugo Forello — n\.d\./);
    expect(text).toContain("Movimento 5 Stelle");
    expect(text).not.toContain("Ballottaggio");
  });

  it("Catanzaro: 40,07% is not enough outside Sicily", () => {
    const text = plain(cityCard(comune("Catanzaro"), view()));
    expect(text).toContain("40,07%");
    expect(text).toContain("Ballottaggio domenica 25 giugno: Sergio Abramo contro Vincenzo Ciconte");
    expect(text).toContain("Nessuno ha superato il 50%");
  });

  it("outcome lines escape what they show", () => {
    const c: Comune = {
      ...comune("Genova"),
      name: "Prova <&>",
      candidates: [
        { name: "A & <B>", percent: 60 },
        { name: "C", percent: 40 },
      ],
      outcome: undefined,
    };
    const lines = outcomeLines(c, view());
    expect(() => htmlToPlain(lines.join("\n"))).not.toThrow();
    expect(htmlToPlain(lines.join("\n"))).toContain("A & <B>");
    expect(plain(cityCard(c, view()))).toContain("Prova <&>");
  });
});

describe("turnout view (Italian)", () => {
  it("shows 12:00 19,36% with the earlier estimate, 19:00 42,35%, 23:00 61,5% against 67%", () => {
    const text = plain(turnoutView(view()));
    const lines = text.split("\n");
    const line = (at: string) => lines.findIndex((l) => l.startsWith(at));
    const i12 = line("12:00");
    const i19 = line("19:00");
    const i23 = line("23:00");
    expect(i12).toBeGreaterThan(-1);
    expect(i19).toBeGreaterThan(i12);
    expect(i23).toBeGreaterThan(i19);
    expect(lines[i12]).toContain("19,36%");
    expect(lines[i12]).not.toContain("15%");
    const notes12 = lines.slice(i12 + 1, i19).join(" ");
    expect(notes12).toContain("circa 15%");
    expect(notes12).toContain("311 comuni su 849");
    expect(notes12).toContain("12:15");
    expect(lines[i19]).toContain("42,35%");
    expect(lines[i23]).toContain("61,5%");
    expect(lines[i23]).toContain("definitivo");
    const notes23 = lines.slice(i23 + 1).join(" ");
    expect(notes23).toContain("67%");
    expect(notes23).toContain("−5,5");
    expect(text).toContain("dalle 07:00 alle 23:00");
  });

  it("timeline keeps the latest reading per time, earlier ones as notes", () => {
    const t = turnoutTimeline(pack.turnout.readings);
    expect(t.map((x) => x.at)).toEqual(["12:00", "19:00", "23:00"]);
    expect(t[0]!.latest.percent).toBe(19.36);
    expect(t[0]!.earlier.map((x) => x.percent)).toEqual([15]);
    // order in the file does not matter
    const shuffled = turnoutTimeline([...pack.turnout.readings].reverse());
    expect(shuffled[0]!.latest.percent).toBe(19.36);
  });
});

describe("runoffs view (Italian)", () => {
  it("lists exactly the five runoffs, then Palermo as elected", () => {
    expect(runoffsOf(view()).map((r) => r.comune.name)).toEqual(["Genova", "Verona", "Parma", "L'Aquila", "Catanzaro"]);
    const text = plainBlocks(runoffsView(view()));
    expect(text).toContain("Ballottaggi di domenica 25 giugno 2017");
    expect(text.match(/ contro /g)).toHaveLength(5);
    for (const [a, b] of [
      ["Marco Bucci (centrodestra, 38,8%)", "Gianni Crivello (centrosinistra, 33,39%)"],
      ["Federico Sboarina (centrodestra, 29,26%)", "Patrizia Bisinella (lista Tosi, 23,54%)"],
      ["34,78%)", "Paolo Scarpa (centrosinistra, 32,73%)"],
      ["Americo Di Benedetto (centrosinistra, 47,04%)", "Pierluigi Biondi (centrodestra, 35,8%)"],
      ["Sergio Abramo (centrodestra, 40,07%)", "Vincenzo Ciconte (centrosinistra, 31,24%)"],
    ]) {
      expect(text).toContain(`${a} contro ${b}`);
    }
    expect(text).toMatch(/Parma \(PR\)\nFederico Pizzarotti \([^)]*34,78%\) contro Paolo Scarpa/);
    const elected = text.slice(text.indexOf("Eletti al primo turno"));
    expect(text.indexOf("Eletti al primo turno")).toBeGreaterThan(text.lastIndexOf(" contro "));
    expect(elected).toContain("Palermo (PA): Leoluca Orlando (46,08%)");
    expect(elected.match(/🏛/g)).toHaveLength(1);
  });
});

describe("info view (Italian)", () => {
  it("has the key figures written the Italian way", () => {
    const text = plain(infoView(view()));
    for (const s of [
      "1.004",
      "25",
      "9.172.026",
      "10.584.797",
      "07:00",
      "23:00",
      "domenica 11 giugno 2017",
      "domenica 25 giugno 2017",
      "15.000",
      "50%",
      "40%",
      "Sicilia",
    ]) {
      expect(text).toContain(s);
    }
    expect(text).toContain("Comuni al voto: 1.004, di cui 25 capoluoghi");
    expect(text).toContain("Elettori: 9.172.026 su una popolazione di 10.584.797");
  });
});

describe("latest bulletins view", () => {
  it("keeps the order given, dating the bulletins of another day", () => {
    const newestFirst = [...pack.bulletins].reverse();
    const text = plainBlocks(latestView(newestFirst, messages("it"), NOW, "Europe/Rome"));
    const i1145 = text.indexOf("🕒 11:45");
    const i0045 = text.indexOf("🕒 00:45");
    const i2315 = text.indexOf("🕒 11/06 23:15");
    const i1215 = text.indexOf("🕒 11/06 12:15");
    expect(i1145).toBeGreaterThan(-1);
    expect(i0045).toBeGreaterThan(i1145);
    expect(i2315).toBeGreaterThan(i0045);
    expect(i1215).toBeGreaterThan(i2315);
    expect(text).toContain("Comuni: Genova, Verona, Parma, L'Aquila, Catanzaro, Palermo");
    expect(text).toContain("«mascherate»");
  });

  it("says so when there is nothing", () => {
    expect(plainBlocks(latestView([], messages("it"), NOW))).toBe(htmlToPlain(messages("it").noBulletins));
  });
});

describe.each(["it", "en"] as const)("every view is valid Telegram HTML within the limit (%s)", (lang) => {
  it("parses and fits", () => {
    for (const [name, blocks] of allViews(lang)) {
      const parts = packMessages(blocks);
      expect(parts.length, name).toBeGreaterThan(0);
      for (const p of parts) {
        let text = "";
        expect(() => (text = htmlToPlain(p)), `${name}: ${p.slice(0, 80)}`).not.toThrow();
        expect(text.length, name).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
        expect(p.length, name).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      }
      // a single-message view must fit on its own
      if (blocks.length === 1) expect(parts, name).toHaveLength(1);
    }
  });
});

describe("English views", () => {
  it("translate the interface but keep the data", () => {
    const v = view("en");
    const genova = plain(cityCard(comune("Genova"), v));
    expect(genova).toContain("Runoff on Sunday 25 June: Marco Bucci vs Gianni Crivello");
    expect(genova).toContain("38,8%");
    const palermo = plain(cityCard(comune("Palermo"), v));
    expect(palermo).toContain("Elected mayor at the first round: Leoluca Orlando");
    expect(palermo).toContain("n/a");
    expect(palermo).toContain("40%");
    const turnout = plain(turnoutView(v));
    expect(turnout).toContain("61,5%");
    expect(turnout).toContain("−5,5");
    expect(turnout).toContain("first estimate");
    const info = plain(infoView(v));
    expect(info).toContain("1.004");
    expect(info).toContain("9.172.026");
    expect(plainBlocks(runoffsView(v)).match(/ vs /g)).toHaveLength(5);
  });
});
