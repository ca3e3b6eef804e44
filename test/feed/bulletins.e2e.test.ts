/**
 * The feed in the bot, end to end: the fake Ministry feed over real HTTP on loopback, the real runtime
 * (results source, anomaly gate, automatic bulletins, outbox) and the fake Bot API. Each step moves the
 * fake's night on, runs one polling cycle and the checks, and looks at what reached which chat.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { ComuneIdentity } from "../../src/data/model.js";
import type { FeedSettings } from "../../src/feed/config.js";
import { formatInteger } from "../../src/format/italian.js";
import type { FakeTelegram } from "../support/fake-bot-api/index.js";
import { buildElection, FakeEligendo, firstRoundAnswer } from "../support/fake-eligendo/index.js";
import {
  closeLater,
  closeNights,
  type FeedNight,
  forget,
  minutes,
  shapeCandidates,
  startFeedNight,
} from "../support/feed-night.js";
import { ADMIN } from "../support/harness.js";

const DATE = "2017-06-11"; // the shipped pack's election day
const VICENZA = "050901160";
const PADOVA = "050540600";
const ANDRIA = "161060010";
const BARLETTA = "161060020";
const SMALL = ["050900010", "050900020"]; // Agugliaro, Albettone: comuni of 1,500-ish electors

const index = (JSON.parse(readFileSync("data/comuni.json", "utf8")) as { comuni: ComuneIdentity[] }).comuni.filter(
  (c) => c.eligendo,
);
const places = [VICENZA, PADOVA, ANDRIA, BARLETTA, ...SMALL].map((code) => {
  const c = index.find((x) => x.eligendo === code)!;
  return { code, name: c.name.toUpperCase() };
});

const shape = shapeCandidates;

type Night = FeedNight;

afterEach(closeNights);

async function startFeed(): Promise<FakeEligendo> {
  const election = buildElection({
    date: DATE,
    places,
    seed: 11,
    provinceNames: { "05090": "VICENZA", "05054": "PADOVA", "16106": "BARLETTA-ANDRIA-TRANI" },
    regionNames: { "05": "VENETO", "16": "PUGLIA" },
  });
  const fake = await FakeEligendo.start(election);
  Object.assign(fake.comune(VICENZA), { electors: 87225, sections: 112 });
  Object.assign(fake.comune(ANDRIA), { electors: 83020, sections: 110 });
  Object.assign(fake.comune(BARLETTA), { electors: 80382, sections: 104 });
  shape(fake.comune(VICENZA), "M", [6, 3, 1]); // 60%: elected at the first round
  shape(fake.comune(ANDRIA), "M", [6.5, 2.5, 1]);
  shape(fake.comune(BARLETTA), "M", [4, 3.5, 2.5]); // 40%: runoff
  shape(fake.comune(PADOVA), "M", [4.5, 4, 1.5]);
  for (const code of SMALL) shape(fake.comune(code), "N", [5, 4]);
  for (const c of election.comuni) delete c.runoff;
  return closeLater(fake);
}

async function startNight(
  fake: FakeEligendo,
  o: { mode?: FeedSettings["bulletins"]; dbPath?: string; telegram?: FakeTelegram; clock?: { t: number } } = {},
): Promise<Night> {
  return startFeedNight(fake, { date: DATE, ...o });
}

const FOLLOWER = 2001; // follows Vicenza
const EVERYONE = 2002; // follows everything
const OTHER = 2003; // follows Andria

async function subscribe(n: Night): Promise<void> {
  await n.h.say("/iscriviti Vicenza", { userId: FOLLOWER });
  await n.h.say("/iscriviti", { userId: EVERYONE });
  await n.h.say("/iscriviti Andria", { userId: OTHER });
}

describe("election night from the feed, in the bot", () => {
  it("discovery → turnout → partial count → certain call → final → outcome, each to the right chats, nothing twice across a restart", async () => {
    const fake = await startFeed();
    const e = fake.election;
    let n = await startNight(fake);
    await subscribe(n);
    const v = fake.comune(VICENZA);

    // Discovery: every comune of the feed is known as voting, nothing to announce.
    await n.cycle();
    expect(n.desk.live.poller.snapshot()).toHaveLength(6);
    expect((await n.h.say("/citta Vicenza"))[0]!.plain).toContain("Vicenza è tra i comuni al voto");
    // Padova: the pack's 2017 results serve until the feed has figures.
    expect((await n.h.say("/citta Padova"))[0]!.plain).toContain("Sergio Giordani");

    // 12:00: every comune reports its reading; the election's figure goes to everyone, once.
    for (const c of e.comuni) c.first.readings = 1;
    await n.cycle();
    await n.cycle();
    for (const chat of [FOLLOWER, EVERYONE, OTHER]) {
      const turnout = n.pushes(chat).filter((t) => t.includes("Affluenza alle ore 12:00"));
      expect(turnout, `chat ${chat}`).toHaveLength(1);
      // Once most comuni have it (the provinces answer one at a time).
      expect(turnout[0]).toMatch(/in [4-6] comuni su 6 che l'hanno comunicata/);
    }
    const national = (await n.h.say("/affluenza"))[0]!.plain;
    expect(national).toContain("6 comuni su 6");
    expect(national).toContain("Veneto");
    expect(national).toContain("Puglia");
    expect((await n.h.say("/affluenza Vicenza"))[0]!.plain).toMatch(/12:00 .*%/);
    expect((await n.h.say("/affluenza Puglia"))[0]!.plain).toContain("2 comuni su 2");
    expect((await n.h.say("/affluenza provincia di Vicenza"))[0]!.plain).toContain("3 comuni su 3");

    // The close, and Vicenza's first sections: to its follower only, never to everyone.
    for (const c of e.comuni) c.first.readings = 4;
    v.first.counted = 10;
    await n.cycle();
    expect(n.pushes(FOLLOWER).filter((t) => t.includes("iniziato lo scrutinio"))).toHaveLength(1);
    expect(n.pushes(FOLLOWER).join("\n")).toContain("10 sezioni su 112");
    expect(n.pushes(EVERYONE).join("\n")).not.toContain("Vicenza");
    expect(n.pushes(OTHER).join("\n")).not.toContain("Vicenza");
    const partial = (await n.h.say("/citta Vicenza"))[0]!.plain;
    expect(partial).toContain("Fonte: Ministero dell'Interno · dati parziali: 10 sezioni su 112");
    expect(partial).toContain("In testa:");
    expect(partial).not.toContain("Eletto");

    // More sections five minutes later: no progress bulletin yet (one per 15 minutes).
    n.clock.t += minutes(5);
    v.first.counted = 30;
    await n.cycle();
    const aboutVicenza = () => n.pushes(FOLLOWER).filter((t) => t.includes("Vicenza"));
    expect(aboutVicenza()).toHaveLength(1); // the first sections
    // Sixteen minutes after the first: the latest count goes.
    n.clock.t += minutes(11);
    await n.sweep();
    expect(aboutVicenza()).toHaveLength(2);
    expect(aboutVicenza().at(-1)).toMatch(/Vicenza, 30 sezioni su 112: in testa/);

    // The count moves on until the lead can no longer be overturned: the call goes at once, before the end.
    let counted = 30;
    while (!n.pushes(FOLLOWER).some((t) => t.includes("certo:")) && counted < 111) {
      counted += 8;
      v.first.counted = Math.min(111, counted);
      n.clock.t += minutes(1);
      await n.cycle();
    }
    const call = n.pushes(FOLLOWER).find((t) => t.includes("certo:"))!;
    expect(call).toMatch(/Vicenza: certo: vince al primo turno .+ \(a \d+ sezioni su 112\)/);
    expect(Number(/a (\d+) sezioni/.exec(call)![1])).toBeLessThan(112);
    expect((await n.h.say("/citta Vicenza"))[0]!.plain).toMatch(/Certo: eletto sindaco al primo turno/);

    // The end of the count: complete, with the mayor elected.
    v.first = { readings: 4, counted: 112, closed: true };
    await n.cycle();
    const last = n.pushes(FOLLOWER).at(-1)!;
    expect(last).toMatch(
      /Vicenza: scrutinio completato \(112 sezioni su 112\)\. Eletto sindaco al primo turno .+ con il \d+(,\d+)?%/,
    );
    const final = (await n.h.say("/citta Vicenza"))[0]!.plain;
    expect(final).toContain("dati definitivi");
    expect(final).toContain("Eletto sindaco al primo turno");
    const vicenzaPushes = n.pushes(FOLLOWER).length;
    expect(n.pushes(EVERYONE).join("\n")).not.toContain("Vicenza");
    // Padova now from the feed: the feed wins over the pack.
    fake.comune(PADOVA).first.counted = 5;
    await n.cycle();
    expect((await n.h.say("/citta Padova"))[0]!.plain).toContain("dati parziali: 5 sezioni su");

    // A restart: the same database, a new process. Cards answer at once, before any request…
    const dbPath = n.h.dbPath;
    const telegram = n.h.fake;
    const requests = fake.requests.length;
    const vicenzaAsked = fake.requestsTo("PR/090/CM/1160").length;
    await n.h.runtime.stop();
    forget(n.h);
    n = await startNight(fake, { dbPath, telegram, clock: n.clock });
    expect((await n.h.say("/citta Vicenza", { userId: 3001 }))[0]!.plain).toContain("dati definitivi");
    expect(fake.requests.length).toBe(requests);
    // …and polling again announces nothing twice (the turnout, the call, the outcome).
    await n.sweep();
    await n.cycle();
    await n.sweep();
    expect(n.pushes(FOLLOWER)).toHaveLength(vicenzaPushes);
    expect(n.pushes(EVERYONE).filter((t) => t.includes("Affluenza alla chiusura"))).toHaveLength(1);
    // A final comune is not asked again, after the restart either.
    expect(fake.requestsTo("PR/090/CM/1160")).toHaveLength(vicenzaAsked);
  });

  it("a malformed answer keeps the last good figures; an anomaly holds the comune's bulletins and tells the newsroom once; a release lets them go", async () => {
    const fake = await startFeed();
    const n = await startNight(fake);
    await n.h.say("/iscriviti Barletta", { userId: FOLLOWER });
    for (const c of fake.election.comuni) c.first.readings = 4;
    const b = fake.comune(BARLETTA);
    b.first.counted = 20;
    await n.cycle();
    await n.cycle();
    expect(n.pushes(FOLLOWER).filter((t) => t.includes("Barletta"))).toHaveLength(1);

    // Malformed JSON: logged, the card still shows the last good figures.
    fake.inject("PR/106/CM/0020", { kind: "malformed" }, 1);
    b.first.counted = 30;
    await n.cycle();
    expect((await n.h.say("/citta Barletta"))[0]!.plain).toContain("dati parziali: 20 sezioni su 104");
    await n.cycle();
    expect((await n.h.say("/citta Barletta"))[0]!.plain).toContain("dati parziali: 30 sezioni su 104");

    // A candidate's votes fall (a corrected section, a stale cache): held, the newsroom is told.
    const good = firstRoundAnswer(b, DATE) as { cand: { voti: number }[] };
    const bad = structuredClone(good);
    bad.cand[0]!.voti -= 50;
    fake.inject("PR/106/CM/0020", { kind: "json", body: bad });
    n.clock.t += minutes(20);
    await n.cycle();
    const told = () => n.h.fake.sentTo(ADMIN).filter((m) => m.plain.includes("bollettini automatici sospesi, i dati"));
    expect(told()).toHaveLength(1);
    expect(told()[0]!.plain).toMatch(/Barletta: bollettini automatici sospesi/);
    expect(told()[0]!.plain).toMatch(/scesi da/);
    const card = (await n.h.say("/citta Barletta"))[0]!.plain;
    expect(card).toContain("Nuovi dati in verifica");
    // The last good figures, not the held ones.
    expect(card).toContain(`${formatInteger(good.cand[0]!.voti)} voti`);
    const status = (await n.h.say("/stato", { userId: ADMIN }))[0]!.plain;
    expect(status).toContain("Comuni in verifica");
    expect(status).toContain("Barletta");

    // While held, nothing goes to its followers, and the newsroom is not told again.
    const before = n.pushes(FOLLOWER).length;
    n.clock.t += minutes(20);
    await n.cycle();
    await n.sweep();
    expect(n.pushes(FOLLOWER)).toHaveLength(before);
    expect(told()).toHaveLength(1);

    // The newsroom releases it with the button: the progress goes at once.
    const button = (told()[0]!.reply_markup as { inline_keyboard: { callback_data: string }[][] })
      .inline_keyboard[0]![0]!;
    const answer = await n.h.press(button.callback_data, { userId: ADMIN });
    expect(answer.at(-1)!.plain).toContain("sbloccati");
    await n.h.runtime.engine.drained();
    expect(n.pushes(FOLLOWER).length).toBeGreaterThan(before);
    expect((await n.h.say("/citta Barletta"))[0]!.plain).not.toContain("in verifica");
    // Someone outside the newsroom cannot release.
    expect((await n.h.say("/sblocca Barletta", { userId: 9999 }))[0]!.plain).not.toContain("sbloccati");
  });

  it("review mode: the newsroom gets each draft with buttons, followers get it only once published", async () => {
    const fake = await startFeed();
    const n = await startNight(fake, { mode: "review" });
    await n.h.say("/iscriviti Andria", { userId: OTHER });
    for (const c of fake.election.comuni) c.first.readings = 4;
    fake.comune(ANDRIA).first.counted = 12;
    await n.cycle();
    const drafts = () => n.h.fake.sentTo(ADMIN).filter((m) => m.plain.includes("Bozza di bollettino automatico"));
    const andria = drafts().find((m) => m.plain.includes("Andria: è iniziato lo scrutinio"))!;
    expect(andria).toBeDefined();
    expect(n.pushes(OTHER).filter((t) => t.includes("Andria"))).toHaveLength(0);
    const [publish, drop] = (andria.reply_markup as { inline_keyboard: { callback_data: string }[][] })
      .inline_keyboard[0]!;
    expect(publish!.callback_data).toMatch(/^fd:\d+:p$/);
    expect(drop!.callback_data).toMatch(/^fd:\d+:d$/);
    // Nobody else may press them.
    await n.h.press(publish!.callback_data, { userId: 9999 });
    await n.h.runtime.engine.drained();
    expect(n.pushes(OTHER).filter((t) => t.includes("Andria"))).toHaveLength(0);
    // Published: it reaches the follower; pressed again, nothing more.
    expect((await n.h.press(publish!.callback_data, { userId: ADMIN })).at(-1)!.plain).toContain("Pubblicato");
    await n.h.runtime.engine.drained();
    expect(n.pushes(OTHER).filter((t) => t.includes("Andria: è iniziato lo scrutinio"))).toHaveLength(1);
    expect((await n.h.press(drop!.callback_data, { userId: ADMIN })).at(-1)!.plain).toContain("già stata decisa");
    // Not drafted again on the next cycles.
    const count = drafts().length;
    await n.cycle();
    await n.sweep();
    expect(drafts().length).toBe(count);
  });
});

describe("never a wrong or contradictory announcement", () => {
  it("a call made at 111 sections of 112 is what the complete count says, though both shares are published as 50%", async () => {
    const fake = await startFeed();
    const v = fake.comune(VICENZA);
    shape(v, "M", [1, 1]);
    // 20.001 voters at the close, no blank or invalid ballot: the last section all for the runner-up.
    Object.assign(v, { electors: 40_002, turnout: [0.1, 0.3, 0.45, 0.5] });
    v.exact = { 100: { votes: [9_000, 8_990] }, 111: { votes: [10_001, 9_990] }, 112: { votes: [10_001, 10_000] } };
    const n = await startNight(fake);
    await n.h.say("/iscriviti Vicenza", { userId: FOLLOWER });
    for (const c of fake.election.comuni) c.first.readings = 4;
    await n.cycle();
    v.first.counted = 100;
    await n.cycle();
    const aboutVicenza = () => n.pushes(FOLLOWER).filter((t) => t.includes("Vicenza"));
    expect(aboutVicenza().join("\n")).not.toContain("certo:");

    v.first.counted = 111;
    n.clock.t += minutes(1);
    await n.cycle();
    const call = aboutVicenza().at(-1)!;
    expect(call).toMatch(/Vicenza: certo: vince al primo turno .+ \(a 111 sezioni su 112\)/);
    const mayor = /vince al primo turno (.+) \(a 111/.exec(call)![1]!;
    expect((await n.h.say("/citta Vicenza"))[0]!.plain).toMatch(/Certo: eletto sindaco al primo turno/);

    // Every section counted, before the Ministry marks the mayor: 10.001 of 20.001 is a majority.
    v.first.counted = 112;
    n.clock.t += minutes(1);
    await n.cycle();
    const last = aboutVicenza().at(-1)!;
    expect(last).toContain("Vicenza: scrutinio completato (112 sezioni su 112). Eletto sindaco al primo turno");
    expect(last).toContain(`al primo turno ${mayor} con il 50%`);
    const card = (await n.h.say("/citta Vicenza"))[0]!.plain;
    expect(card).toContain(`Eletto sindaco al primo turno: ${mayor}`);
    expect(card).not.toMatch(/Ballottaggio/);

    // The Ministry marks the mayor: nothing more to say, and never a runoff.
    v.first.closed = true;
    await n.cycle();
    await n.sweep();
    expect(aboutVicenza().join("\n")).not.toMatch(/ballottaggio/i);
    expect(aboutVicenza().filter((t) => t.includes("Eletto sindaco"))).toHaveLength(1);
  });

  it("a comune whose size band the Ministry leaves out: no runoff call, no outcome at the end, until the Ministry names the mayor", async () => {
    const fake = await startFeed();
    const b = fake.comune(BARLETTA); // 40%, 35%, 25%: a runoff above 15.000, the leader elected at or below it
    b.tipoComune = null;
    const n = await startNight(fake);
    await n.h.say("/iscriviti Barletta", { userId: FOLLOWER });
    for (const c of fake.election.comuni) c.first.readings = 4;
    await n.cycle();
    const aboutBarletta = () => n.pushes(FOLLOWER).filter((t) => t.includes("Barletta"));
    for (const counted of [20, 60, 90, 100, 103]) {
      b.first.counted = counted;
      n.clock.t += minutes(16);
      await n.cycle();
    }
    expect(aboutBarletta().length).toBeGreaterThan(1);
    expect(aboutBarletta().join("\n")).not.toContain("certo:");
    expect((await n.h.say("/citta Barletta"))[0]!.plain).toContain("In testa:");

    // Every section counted, the mayor not marked: the count is complete, the outcome waits.
    b.first.counted = 104;
    n.clock.t += minutes(1);
    await n.cycle();
    const complete = aboutBarletta().at(-1)!;
    expect(complete).toMatch(
      /Barletta: scrutinio completato \(104 sezioni su 104\)\. In testa .+ Si attende l'esito ufficiale/,
    );
    expect(complete).not.toContain("Si va al ballottaggio");
    expect(complete).not.toContain("Eletto");
    const card = (await n.h.say("/citta Barletta"))[0]!.plain;
    expect(card).toContain("Esito non ancora definito");
    expect(card).not.toMatch(/Ballottaggio|Eletto sindaco/);

    // The Ministry names the mayor (a small comune): that is announced, once.
    b.first.closed = true;
    const named = firstRoundAnswer(b, DATE) as { int: { fine_rip: string | null }; cand: { eletto: string | null }[] };
    named.cand[0]!.eletto = "S";
    named.int.fine_rip = "S";
    fake.inject("PR/106/CM/0020", { kind: "json", body: named });
    // A complete count the Ministry has not settled is asked again within 5 minutes.
    n.clock.t += minutes(5);
    await n.cycle();
    await n.sweep();
    const elected = aboutBarletta().filter((t) => t.includes("Eletto sindaco"));
    expect(elected).toHaveLength(1);
    expect(elected[0]).toMatch(/✅ Barletta: Eletto sindaco/);
    expect(aboutBarletta().join("\n")).not.toContain("Si va al ballottaggio");
    expect((await n.h.say("/citta Barletta"))[0]!.plain).toContain("Eletto sindaco");
  });
});

describe("a held comune, as citizens see it", () => {
  /** What a chat last received about Barletta: a card sent or edited (the live card, or the answer to /citta). */
  const lastCard = (n: Night, chat: number) =>
    n.h.fake
      .sentTo(chat)
      .filter((m) => m.plain.startsWith("🏛 Barletta"))
      .at(-1)?.plain;
  const inlineDescription = async (n: Night) => {
    await n.h.inline("Barletta", { userId: 3005 });
    const answer = n.h.fake.inlineAnswers.at(-1) as unknown as { results: { title: string; description: string }[] };
    return answer.results.find((r) => r.title.startsWith("Barletta"))!.description;
  };
  /** The leader's votes typed with a digit too many (8.000 → 38.000): the sums no longer add up. */
  const typo = (answer: unknown) => {
    const bad = structuredClone(answer) as { cand: { voti: number }[] };
    bad.cand[0]!.voti += 30_000;
    return bad;
  };

  it("a typo'd answer held by the gate: the live card, /citta and inline mode keep the last good figures, call nothing from the held ones, and say since when new figures are checked; across a restart too", async () => {
    const fake = await startFeed();
    let n = await startNight(fake);
    await n.h.say("/iscriviti Barletta", { userId: FOLLOWER });
    for (const c of fake.election.comuni) c.first.readings = 4;
    const b = fake.comune(BARLETTA);
    b.first.counted = 100;
    await n.cycle();
    await n.cycle();
    await n.h.runtime.liveCards.drained();
    const good = firstRoundAnswer(b, DATE) as { cand: { voti: number }[] };
    const goodVotes = `${formatInteger(good.cand[0]!.voti)} voti`;
    const before = lastCard(n, FOLLOWER)!;
    expect(before).toContain("dati parziali: 100 sezioni su 104");
    expect(before).toContain(goodVotes);
    expect(before).toContain("Certo: ballottaggio tra");

    fake.inject("PR/106/CM/0020", { kind: "json", body: typo(good) });
    n.clock.t = Date.parse("2017-06-11T23:52:00+02:00");
    await n.cycle();
    await n.h.runtime.liveCards.drained();
    const heldVotes = `${formatInteger(good.cand[0]!.voti + 30_000)} voti`;
    const expectGood = (text: string | undefined, what: string) => {
      expect(text, what).toBeDefined();
      expect(text, what).toContain(goodVotes);
      expect(text, what).not.toContain(heldVotes);
      expect(text, what).not.toMatch(/eletto/i);
      expect(text, what).toContain("Certo: ballottaggio tra");
      expect(text, what).toContain("Nuovi dati in verifica dalle 23:52");
      expect(text, what).toContain("la somma dei voti non torna");
    };
    // The follower's live card was edited (the hold is news), with the figures it showed before.
    expectGood(lastCard(n, FOLLOWER), "live card");
    expect(n.h.fake.sentTo(FOLLOWER).at(-1)!.method).toBe("editMessageText");
    expectGood((await n.h.say("/citta Barletta"))[0]!.plain, "/citta");
    expect(await inlineDescription(n)).not.toContain("✅");
    // The newsroom sees the held figures in its notice.
    const told = n.h.fake.sentTo(ADMIN).filter((m) => m.plain.includes("bollettini automatici sospesi, i dati"));
    expect(told.at(-1)!.plain).toContain("Barletta");

    // A restart while the Ministry still serves the typo: the last good figures were kept.
    const dbPath = n.h.dbPath;
    const telegram = n.h.fake;
    await n.h.runtime.stop();
    forget(n.h);
    n = await startNight(fake, { dbPath, telegram, clock: n.clock });
    expectGood((await n.h.say("/citta Barletta", { userId: 3001 }))[0]!.plain, "/citta after a restart");
    await n.cycle();
    expectGood((await n.h.say("/citta Barletta", { userId: 3001 }))[0]!.plain, "/citta after a restart and a cycle");

    // The Ministry corrects it: the new figures show, and the line goes.
    fake.clearInjections();
    b.first.counted = 102;
    await n.cycle();
    await n.h.runtime.liveCards.drained();
    for (const text of [lastCard(n, FOLLOWER), (await n.h.say("/citta Barletta"))[0]!.plain]) {
      expect(text).toContain("dati parziali: 102 sezioni su 104");
      expect(text).not.toContain("in verifica");
    }
  });

  it("a comune held at its first answer shows no figures from it: it says its figures are being checked", async () => {
    const fake = await startFeed();
    const n = await startNight(fake);
    await n.h.say("/iscriviti Barletta", { userId: FOLLOWER });
    for (const c of fake.election.comuni) c.first.readings = 4;
    await n.cycle();
    const b = fake.comune(BARLETTA);
    b.first.counted = 100;
    const heldVotes = `${formatInteger((firstRoundAnswer(b, DATE) as { cand: { voti: number }[] }).cand[0]!.voti + 30_000)}`;
    fake.inject("PR/106/CM/0020", { kind: "json", body: typo(firstRoundAnswer(b, DATE)) });
    n.clock.t = Date.parse("2017-06-11T23:52:00+02:00");
    await n.cycle();
    await n.h.runtime.liveCards.drained();
    const card = (await n.h.say("/citta Barletta"))[0]!.plain;
    expect(card).toContain("Dati in verifica dalle 23:52");
    expect(card).toContain("la somma dei voti non torna");
    expect(card).not.toContain(heldVotes);
    expect(card).not.toMatch(/eletto|Certo|In testa/);
    // No live card with the held figures reached the follower.
    expect(
      n.h.fake
        .sentTo(FOLLOWER)
        .map((m) => m.plain)
        .join("\n"),
    ).not.toContain(heldVotes);
    expect(await inlineDescription(n)).not.toContain("✅");
  });
});
