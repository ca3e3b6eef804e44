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
import { afterEach, describe, expect, it } from "vitest";
import type { ComuneIdentity } from "../../src/data/model.js";
import { formatPercent } from "../../src/format/italian.js";
import { buildElection, entiAnswer, FakeEligendo, firstRoundAnswer } from "../support/fake-eligendo/index.js";
import { closeLater, closeNights, type FeedNight, shapeCandidates, startFeedNight } from "../support/feed-night.js";

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

afterEach(closeNights);

const FOLLOWER = 2001;

type Night = FeedNight;

async function startNight(): Promise<Night> {
  const election = buildElection({
    date: DATE,
    places,
    seed: 11,
    provinceNames: { "05090": "VICENZA" },
    regionNames: { "05": "VENETO" },
  });
  const fake = closeLater(await FakeEligendo.start(election));
  Object.assign(fake.comune(VICENZA), { electors: 87225, sections: 112 });
  shapeCandidates(fake.comune(VICENZA), "M", [6, 3, 1]); // 60%: elected at the first round
  // 40% to the first: elected in a comune of this size, a runoff above 15,000 inhabitants.
  shapeCandidates(fake.comune(AGUGLIARO), "N", [4, 3.5, 2.5]);
  for (const c of election.comuni) delete c.runoff;

  return startFeedNight(fake, { date: DATE });
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
