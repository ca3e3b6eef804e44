/**
 * The council's seats on the night, end to end: the fake Ministry feed on loopback, the real runtime, the
 * fake Bot API. /seggi and the card's 🪑 button answer a projection while counting, labelled as such, and the
 * allocation under the law once the count is complete, set against the Ministry's own seats.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { ComuneIdentity } from "../../src/data/model.js";
import { Backoff, EligendoClient } from "../../src/feed/client.js";
import type { FakeTelegram } from "../support/fake-bot-api/index.js";
import { buildElection, type FakeComune, FakeEligendo } from "../support/fake-eligendo/index.js";
import { ADMIN, type Harness, startHarness } from "../support/harness.js";

const DATE = "2017-06-11";
const VICENZA = "050901160";
const index = (JSON.parse(readFileSync("data/comuni.json", "utf8")) as { comuni: ComuneIdentity[] }).comuni;
const vicenza = index.find((x) => x.eligendo === VICENZA)!;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length)
    await open
      .pop()!
      .close()
      .catch(() => undefined);
});

function shape(c: FakeComune, weights: number[]): void {
  c.tipoComune = "M";
  c.candidates = c.candidates.slice(0, weights.length);
  c.candidates.forEach((k, i) => {
    k.weight = weights[i]!;
    k.pos = i + 1;
  });
}

async function startFake(): Promise<FakeEligendo> {
  const election = buildElection({
    date: DATE,
    places: [{ code: VICENZA, name: vicenza.name.toUpperCase() }],
    seed: 11,
    provinceNames: { "05090": "VICENZA" },
    regionNames: { "05": "VENETO" },
  });
  const fake = await FakeEligendo.start(election);
  open.push(fake);
  Object.assign(fake.comune(VICENZA), { electors: 87225, sections: 112 });
  shape(fake.comune(VICENZA), [5.5, 3.5, 1]); // 55%: elected at the first round
  for (const c of election.comuni) delete c.runoff;
  return fake;
}

async function night(
  o: { fake?: FakeEligendo; dbPath?: string; telegram?: FakeTelegram } = {},
): Promise<{ h: Harness; fake: FakeEligendo; cycle(): Promise<void> }> {
  const fake = o.fake ?? (await startFake());
  const clock = { t: Date.parse("2017-06-11T23:30:00+02:00") };
  const h = await startHarness({
    ...(o.dbPath ? { dbPath: o.dbPath } : {}),
    ...(o.telegram ? { existingFake: o.telegram } : {}),
    runtime: {
      now: () => new Date(clock.t),
      feed: { date: DATE, apiRoot: fake.apiRoot, pollMs: 60_000, maxRps: 500, bulletins: "auto" },
      feedOptions: {
        live: {
          client: new EligendoClient({ apiRoot: fake.apiRoot, timeoutMs: 2_000 }),
          poller: { backoff: new Backoff({ baseMs: 5, maxMs: 20, random: () => 0.5 }) },
          sweepEveryMs: 3_600_000,
        },
      },
    },
  });
  open.push(h);
  h.runtime.engine.start();
  return {
    h,
    fake,
    async cycle() {
      await h.runtime.feed!.live.poller.runCycle();
      await h.runtime.feed!.live.sweep();
      await h.runtime.engine.drained();
      // The newsroom's messages go through the send budget on their own.
      await new Promise((r) => setTimeout(r, 30));
    },
  };
}

describe("/seggi on the night", () => {
  it("a labelled projection while counting, the law's allocation once complete, set against the Ministry's", async () => {
    const n = await night();
    const v = n.fake.comune(VICENZA);
    v.first = { readings: 4, counted: 0, closed: false };
    await n.cycle();
    expect((await n.h.say("/seggi Vicenza"))[0]!.plain).toContain("i voti delle liste non sono nei dati");
    // No list votes: the chart says why in text, and draws nothing.
    expect((await n.h.say("/grafico seggi Vicenza"))[0]!.plain).toContain("i voti delle liste non sono nei dati");
    expect((await n.h.say("/grafico seggi Genova"))[0]!.plain).toContain("i voti delle liste non sono nei dati");
    expect(n.h.fake.photos).toHaveLength(0);

    // One section: "1 sezione".
    v.first = { readings: 4, counted: 1, closed: false };
    await n.cycle();
    expect((await n.h.say("/seggi Vicenza"))[0]!.plain).toContain("con i voti di 1 sezione su 112");

    v.first.counted = 40;
    await n.cycle();
    expect(await n.h.say("/grafico seggi Vicenza")).toHaveLength(0);
    expect(n.h.fake.photos.at(-1)!.caption).toContain("(proiezione sulle sezioni scrutinate)");
    const partial = (await n.h.say("/seggi Vicenza"))[0]!.plain;
    expect(partial).toContain("Proiezione dei seggi con i voti di 40 sezioni su 112");
    expect(partial).toContain("consiglio comunale: 32 seggi oltre al sindaco");
    expect(partial).toContain("(sindaco)");
    expect(partial).not.toContain("Ministero ha pubblicato");

    // The card's 🪑 button answers the same, in English for an English client (/seats too).
    const card = (await n.h.say("/citta Vicenza"))[0]!;
    const rows = (card.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] })
      .inline_keyboard;
    const button = rows.flat().find((b) => b.text === "🪑 Seggi")!;
    expect(button.callback_data).toBe(`s:${vicenza.istat}`);
    const pressed = await n.h.press(button.callback_data, { messageId: card.message_id });
    expect(pressed.at(-1)!.plain).toContain("Proiezione dei seggi con i voti di 40 sezioni su 112");
    expect((await n.h.say("/seats Vicenza", { userId: 1002, lang: "en" }))[0]!.plain).toContain(
      "Projection of the seats on the votes of 40 sections of 112",
    );

    // Complete and closed: no longer a projection; the fake Ministry allocates as the law does, so the
    // two agree, the card has its council line and the newsroom is told nothing.
    v.first = { readings: 4, counted: 112, closed: true };
    await n.cycle();
    const final = (await n.h.say("/seggi Vicenza"))[0]!.plain;
    expect(final).not.toContain("Proiezione");
    expect(final).toContain("Il calcolo del bot secondo la legge dà gli stessi seggi");
    // A group of one seat says "1 seggio".
    expect(final).not.toMatch(/\b1 seggi\b/);
    expect((await n.h.say("/citta Vicenza"))[0]!.plain).toContain("🪑");
    expect(n.h.fake.sentTo(ADMIN).filter((m) => m.plain.includes("seggi"))).toHaveLength(0);
    expect(n.h.runtime.feed!.seatMismatches()).toEqual([]);

    // The chart: a picture with its caption, in English for an English client.
    await n.h.say("/grafico seggi Vicenza");
    const photo = n.h.fake.photos.at(-1)!;
    expect(photo.chat_id).toBe(1001);
    expect(photo.caption).toMatch(
      /<b>Vicenza<\/b>: \d+ seggi su 32 alle liste di .+, maggioranza in consiglio · <code>\/seggi Vicenza<\/code>/,
    );
    expect(photo.caption).not.toContain("proiezione");
    await n.h.say("/chart seats Vicenza", { userId: 1002, lang: "en" });
    expect(n.h.fake.photos.at(-1)!.caption).toMatch(/seats of 32 to the lists of .+, a majority in the council/);
  });
});

describe("the newsroom and the Ministry's seats", () => {
  const told = (h: Harness) => h.fake.sentTo(ADMIN).filter((m) => m.plain.includes("i seggi assegnati dal Ministero"));

  it("is told once per difference, in private, each list's computed and official seats; across a restart too; /stato lists the comune", async () => {
    let n = await night();
    const v = n.fake.comune(VICENZA);
    // The Ministry gives the mayor's first list a seat more than the law, taken from the second group's first.
    v.alterSeats = (law) => {
      const lists = [...law.lists];
      const second = v.candidates[0]!.lists.length;
      lists[0]! += 1;
      lists[second]! -= 1;
      return { ...law, lists };
    };
    v.first = { readings: 4, counted: 40, closed: false };
    await n.cycle();
    expect(told(n.h)).toHaveLength(0); // a projection is never compared

    v.first = { readings: 4, counted: 112, closed: true };
    await n.cycle();
    await n.cycle();
    const notes = told(n.h);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.plain).toContain("Vicenza");
    expect(notes[0]!.plain.match(/• .+: calcolati \d+, Ministero \d+/g)).toHaveLength(2);
    expect(notes[0]!.plain).toContain("/seggi Vicenza");
    // The Ministry's seats differ from the law's: the chart does not draw the law's, it says so in text.
    const photos = n.h.fake.photos.length;
    expect((await n.h.say("/grafico seggi Vicenza"))[0]!.plain).toContain("dà seggi diversi");
    expect(n.h.fake.photos).toHaveLength(photos);
    // Nobody else is told.
    expect(n.h.fake.sent.filter((m) => m.plain.includes("i seggi assegnati dal Ministero"))).toHaveLength(1);
    expect((await n.h.say("/stato", { userId: ADMIN }))[0]!.plain).toContain(
      "Seggi del Ministero diversi dal calcolo: Vicenza",
    );

    // A restart on the same database: the same difference is not told again.
    const dbPath = n.h.dbPath;
    const telegram = n.h.fake;
    const fake = n.fake;
    await n.h.runtime.stop();
    open.splice(open.indexOf(n.h), 1);
    n = await night({ fake, dbPath, telegram });
    await n.cycle();
    await n.h.runtime.feed!.live.sweep();
    expect(told(n.h)).toHaveLength(1);
    expect((await n.h.say("/stato", { userId: ADMIN }))[0]!.plain).toContain("Vicenza");
  });
});
