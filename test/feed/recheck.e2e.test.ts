/**
 * A count the bot cannot take as settled is asked again, end to end: the fake Ministry feed over real HTTP
 * on loopback, the real runtime (poller, anomaly gate, automatic bulletins, outbox) and the fake Bot API.
 *
 * - A complete count the anomaly gate holds (its sums do not add up) keeps being asked, every few minutes,
 *   until the Ministry corrects it: the hold clears by itself and "scrutinio completato" goes once, with
 *   the corrected figures.
 * - A complete count whose outcome the bot derived (the Ministry has not named the mayor nor closed the
 *   count) is never taken as final: when the Ministry states the outcome, the bot reads it.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import type { ComuneIdentity } from "../../src/data/model.js";
import { Backoff, EligendoClient } from "../../src/feed/client.js";
import type { FeedDesk } from "../../src/feed/desk.js";
import { type Clock, realClock } from "../../src/feed/rate.js";
import { formatPercent } from "../../src/format/italian.js";
import {
  buildElection,
  entiAnswer,
  type FakeComune,
  FakeEligendo,
  firstRoundAnswer,
} from "../support/fake-eligendo/index.js";
import { ADMIN, type Harness, startHarness } from "../support/harness.js";

const DATE = "2017-06-11"; // the shipped pack's election day
const VICENZA = "050901160";
const VICENZA_PATH = "PR/090/CM/1160";
const AGUGLIARO = "050900010"; // a comune of 1,500-ish electors
const AGUGLIARO_PATH = "PR/090/CM/0010";

const index = (JSON.parse(readFileSync("data/comuni.json", "utf8")) as { comuni: ComuneIdentity[] }).comuni.filter(
  (c) => c.eligendo,
);
const places = [VICENZA, AGUGLIARO].map((code) => ({
  code,
  name: index.find((x) => x.eligendo === code)!.name.toUpperCase(),
}));

/** Candidates' strengths fixed, so that each comune's outcome is known in advance. */
function shape(c: FakeComune, tipo: "M" | "N", weights: number[]): void {
  c.tipoComune = tipo;
  while (c.candidates.length < weights.length) {
    const n = c.candidates.length + 1;
    c.candidates.push({
      cogn: `CANDIDATO ${n}`,
      nome: "PROVA",
      pos: n,
      weight: 1,
      lists: [{ pos: 90 + n, name: null, weight: 1 }],
    });
  }
  c.candidates = c.candidates.slice(0, weights.length);
  c.candidates.forEach((k, i) => {
    k.weight = weights[i]!;
    k.pos = i + 1;
  });
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length)
    await open
      .pop()!
      .close()
      .catch(() => undefined);
});

const minutes = (n: number) => n * 60_000;
const FOLLOWER = 2001;

interface Night {
  h: Harness;
  fake: FakeEligendo;
  desk: FeedDesk;
  clock: { t: number };
  /** The night moves on `n` minutes, then one polling cycle, the checks of every comune, every push delivered. */
  cycle(n?: number): Promise<void>;
  pushes(chat: number): string[];
  /** What the newsroom was told in private. */
  newsroom(): string[];
}

async function startNight(): Promise<Night> {
  const election = buildElection({
    date: DATE,
    places,
    seed: 11,
    provinceNames: { "05090": "VICENZA" },
    regionNames: { "05": "VENETO" },
  });
  const fake = await FakeEligendo.start(election);
  open.push(fake);
  Object.assign(fake.comune(VICENZA), { electors: 87225, sections: 112 });
  shape(fake.comune(VICENZA), "M", [6, 3, 1]); // 60%: elected at the first round
  // 40% to the first: elected in a comune of this size, a runoff above 15,000 inhabitants.
  shape(fake.comune(AGUGLIARO), "N", [4, 3.5, 2.5]);
  for (const c of election.comuni) delete c.runoff;

  const clock = { t: Date.parse("2017-06-11T23:30:00+02:00") };
  // The poller's clock follows the night's: real time (for the rate cap) plus the minutes the test skips.
  const origin = performance.now();
  const pollerClock: Clock = { now: () => clock.t + (performance.now() - origin), sleep: realClock.sleep };
  const h = await startHarness({
    runtime: {
      now: () => new Date(clock.t),
      feed: { date: DATE, apiRoot: fake.apiRoot, pollMs: 60_000, maxRps: 500, bulletins: "auto" },
      feedOptions: {
        live: {
          client: new EligendoClient({ apiRoot: fake.apiRoot, timeoutMs: 2_000 }),
          poller: { clock: pollerClock, backoff: new Backoff({ baseMs: 5, maxMs: 20, random: () => 0.5 }) },
          // The tests run the checks themselves.
          sweepEveryMs: 3_600_000,
        },
      },
    },
  });
  open.push(h);
  h.runtime.engine.start();
  const desk = h.runtime.feed!;
  return {
    h,
    fake,
    desk,
    clock,
    async cycle(n = 0) {
      clock.t += minutes(n);
      await desk.live.poller.runCycle();
      await desk.live.sweep();
      await h.runtime.engine.drained();
      // The newsroom's messages go through the send budget on their own.
      await new Promise((r) => setTimeout(r, 30));
    },
    pushes: (chat) =>
      h.fake
        .sentTo(chat)
        .filter((m) => m.plain.startsWith("🕒"))
        .map((m) => m.plain),
    newsroom: () => h.fake.sentTo(ADMIN).map((m) => m.plain),
  };
}

describe("a count the bot cannot take as settled is asked again", () => {
  it("a complete count held for a sum that does not add up is asked every few minutes until the Ministry corrects it; then it is announced once, with the corrected figures", async () => {
    const n = await startNight();
    const { fake } = n;
    await n.h.say("/iscriviti Vicenza", { userId: FOLLOWER });
    const v = fake.comune(VICENZA);
    v.first = { readings: 4, counted: 60, closed: false };
    await n.cycle();
    await n.cycle(1);
    expect(n.pushes(FOLLOWER).filter((t) => t.includes("Vicenza: è iniziato lo scrutinio"))).toHaveLength(1);

    // The last section, the mayor named, the count closed: but the answer's sums do not add up (the leader
    // has 900 votes more than the ballots allow, and a share to match them).
    v.first = { readings: 4, counted: 112, closed: true };
    const good = firstRoundAnswer(v, DATE) as {
      int: { vot_t: number; sk_bianche: number; sk_nulle: number; sk_contestate: number };
      cand: { voti: number; perc: string; eletto: string | null }[];
    };
    expect(good.cand[0]!.eletto).toBe("S");
    const bad = structuredClone(good);
    const valid = good.cand.reduce((s, k) => s + k.voti, 0);
    bad.cand[0]!.voti += 900;
    bad.cand[0]!.perc = ((bad.cand[0]!.voti / (valid + 900)) * 100).toFixed(2).replace(".", ",");
    fake.inject(VICENZA_PATH, { kind: "json", body: bad });
    await n.cycle(1);

    // Held: the newsroom is told, the followers hear nothing, the card says so.
    const held = () => n.newsroom().filter((t) => t.includes("Vicenza: bollettini automatici sospesi"));
    const cleared = () => n.newsroom().filter((t) => t.includes("Vicenza: i dati sono di nuovo coerenti"));
    const completed = () => n.pushes(FOLLOWER).filter((t) => t.includes("scrutinio completato"));
    expect(held()).toHaveLength(1);
    expect(completed()).toHaveLength(0);
    expect((await n.h.say("/citta Vicenza"))[0]!.plain).toMatch(/dati in verifica/i);

    // Five minutes of the night, a cycle a minute: the comune is asked again, not every cycle but once.
    const asked = fake.requestsTo(VICENZA_PATH).length;
    for (let i = 0; i < 5; i++) await n.cycle(1);
    expect(fake.requestsTo(VICENZA_PATH).length - asked).toBe(1);
    // Still the same wrong answer: still held, nothing said, the newsroom not told again.
    expect(held()).toHaveLength(1);
    expect(completed()).toHaveLength(0);

    // The Ministry corrects its answer: at the next look the hold clears by itself…
    fake.clearInjections();
    for (let i = 0; i < 5 && !cleared().length; i++) await n.cycle(1);
    expect(cleared()).toHaveLength(1);
    // …and the count complete goes once, with the corrected figures.
    expect(completed()).toHaveLength(1);
    const share = formatPercent(Number(good.cand[0]!.perc.replace(",", ".")));
    expect(completed()[0]).toMatch(
      /Vicenza: scrutinio completato \(112 sezioni su 112\)\. Eletto sindaco al primo turno/,
    );
    expect(completed()[0]).toContain(`con il ${share}`);
    const card = (await n.h.say("/citta Vicenza"))[0]!.plain;
    expect(card).not.toMatch(/dati in verifica/i);
    expect(card).toContain("dati definitivi");
    expect(card).toContain(share);

    // Consistent, closed, the mayor named by the Ministry: settled, not asked again, nothing said twice.
    const settled = fake.requestsTo(VICENZA_PATH).length;
    for (let i = 0; i < 4; i++) await n.cycle(10);
    expect(fake.requestsTo(VICENZA_PATH)).toHaveLength(settled);
    expect(completed()).toHaveLength(1);
    expect(cleared()).toHaveLength(1);
  });

  it("a complete count whose outcome the bot derived (getentiG without tipo_comune, the mayor not named yet) is asked again until the Ministry names the mayor", async () => {
    const n = await startNight();
    const { fake } = n;
    // The list of comuni voting does not say how large they are.
    const enti = entiAnswer(fake.election, DATE);
    for (const e of enti.enti) e.tipo_comune = null;
    fake.inject("getentiG", { kind: "json", body: enti });
    await n.h.say("/iscriviti Agugliaro", { userId: FOLLOWER });
    const a = fake.comune(AGUGLIARO);
    a.first = { readings: 4, counted: 1, closed: false };
    await n.cycle();
    expect(n.desk.live.poller.comune(AGUGLIARO)!.comune.populationBand).toBeUndefined();

    // Every section counted; the Ministry has not named the mayor, nor closed the count.
    a.first = { readings: 4, counted: a.sections, closed: false };
    await n.cycle(1);
    expect(n.desk.live.poller.comune(AGUGLIARO)!.first.complete).toBe(true);
    // Asked again at a modest pace: in five minutes, once.
    const asked = fake.requestsTo(AGUGLIARO_PATH).length;
    for (let i = 0; i < 5; i++) await n.cycle(1);
    expect(fake.requestsTo(AGUGLIARO_PATH).length - asked).toBe(1);

    // The Ministry names the mayor (40%: a comune at or below 15,000 inhabitants elects at one round).
    a.first = { readings: 4, counted: a.sections, closed: true };
    const elected = (firstRoundAnswer(a, DATE) as { cand: { cogn: string; nome: string; eletto: string | null }[] })
      .cand[0]!;
    expect(elected.eletto).toBe("S");
    const before = fake.requestsTo(AGUGLIARO_PATH).length;
    for (let i = 0; i < 10 && !n.desk.live.poller.comune(AGUGLIARO)!.first.closed; i++) await n.cycle(1);
    // Read within five minutes, in one request.
    expect(fake.requestsTo(AGUGLIARO_PATH).length - before).toBe(1);
    const card = (await n.h.say("/citta Agugliaro"))[0]!.plain;
    expect(card).toMatch(/Eletto sindaco/);
    expect(card).not.toMatch(/ballottaggio/i);
    expect(n.pushes(FOLLOWER).at(-1)).toMatch(/Agugliaro: .*Eletto sindaco/);

    // Stated by the Ministry: settled, not asked again.
    const settled = fake.requestsTo(AGUGLIARO_PATH).length;
    for (let i = 0; i < 4; i++) await n.cycle(10);
    expect(fake.requestsTo(AGUGLIARO_PATH)).toHaveLength(settled);
  });
});
