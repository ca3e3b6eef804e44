/** One source of results: the shipped pack with the fake Ministry feed over it (real HTTP on loopback). */
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { hasResults } from "../../src/data/places.js";
import { ResultsSource } from "../../src/data/results-source.js";
import { DataSource } from "../../src/data/source.js";
import { EligendoClient } from "../../src/feed/client.js";
import { LiveFeed } from "../../src/feed/live.js";
import { messages } from "../../src/i18n/index.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { cityTitle, comuneAnswer } from "../../src/views/city.js";
import { runoffsView } from "../../src/views/runoffs.js";
import { inlineSummary } from "../../src/views/search.js";
import { buildElection, FakeEligendo, firstRoundAnswer } from "../support/fake-eligendo/index.js";

const DATE = "2017-06-11";
const VICENZA = "050901160"; // ISTAT 024116
const PADOVA = "050540600"; // ISTAT 028060, with 2017 results in the pack
const NEW_COMUNE = "050909990"; // not in the comuni index

const open: { close(): unknown }[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function setup(sourceLabel?: string) {
  const election = buildElection({
    date: DATE,
    places: [
      { code: VICENZA, name: "VICENZA" },
      { code: PADOVA, name: "PADOVA" },
      { code: NEW_COMUNE, name: "BORGO NUOVO DEL BRENTA" },
    ],
    seed: 3,
    provinceNames: { "05090": "VICENZA", "05054": "PADOVA" },
    regionNames: { "05": "VENETO" },
  });
  for (const c of election.comuni) delete c.runoff;
  const fake = await FakeEligendo.start(election);
  open.push(fake);
  const store = new SqliteStore(":memory:");
  open.push(store);
  const data = await DataSource.open("data");
  const index = data.current().known.flatMap((k) =>
    k.istat && k.provinceName && k.eligendo
      ? [
          {
            istat: k.istat,
            name: k.name,
            province: k.province,
            provinceName: k.provinceName,
            region: k.region,
            eligendo: k.eligendo,
          },
        ]
      : [],
  );
  const feedOn = () =>
    LiveFeed.open({
      settings: { date: DATE, apiRoot: fake.apiRoot, pollMs: 60_000, maxRps: 500, bulletins: "off" },
      index,
      rules: data.current().election.rules,
      store: store.feed,
      logger: pino({ level: "silent" }),
      now: () => new Date("2017-06-11T23:30:00+02:00"),
      client: new EligendoClient({ apiRoot: fake.apiRoot, timeoutMs: 2_000 }),
    });
  const night = {
    live: await feedOn(),
    results: undefined as unknown as ResultsSource,
  };
  night.results = new ResultsSource(data, night.live, sourceLabel ? { sourceLabel } : {});
  const cycle = async () => {
    await night.live.poller.runCycle();
    await night.live.sweep();
  };
  /** A new process on the same database: what was saved is read back. */
  const restart = async () => {
    await night.live.stop();
    night.live = await feedOn();
    night.results = new ResultsSource(data, night.live);
    await night.live.sweep();
    return night.results;
  };
  return { fake, data, live: night.live, results: night.results, cycle, restart };
}

describe("ResultsSource", () => {
  it("is the pack before the feed has anything, then the feed wins where it has figures", async () => {
    const { fake, data, results, cycle } = await setup();
    expect(results.current().comuni).toHaveLength(data.current().comuni.length);
    // Discovered: known as voting, the pack's own results still serve Padova.
    await cycle();
    const pack = results.current();
    expect(pack.byKey("024116")).toMatchObject({ name: "Vicenza", voting: true, eligendo: VICENZA });
    expect(hasResults(pack.byKey("024116")!)).toBe(false);
    expect(pack.byKey(PADOVA)!.results!.firstRound.provenance.source).not.toBe("Ministero dell'Interno");

    for (const c of fake.election.comuni) c.first = { readings: 4, counted: 3, closed: false };
    await cycle();
    const merged = results.current();
    const vicenza = merged.byKey("024116")!;
    expect(vicenza.results!.firstRound.sections).toEqual({ counted: 3, total: fake.comune(VICENZA).sections });
    expect(vicenza.results!.firstRound.provenance.source).toBe("Ministero dell'Interno");
    expect(vicenza.live).toMatchObject({ round: "first", held: false, countingOpen: true });
    expect(vicenza.capoluogo).toBe(true); // named like its province
    // Padova: the feed's figures over the pack's, in the pack's place in the list.
    const padova = merged.byKey("028060")!;
    expect(padova.results!.firstRound.provenance.source).toBe("Ministero dell'Interno");
    expect(merged.comuni.indexOf(padova as never)).toBe(data.current().comuni.findIndex((c) => c.istat === "028060"));
    // Palermo: not in the feed (Sicily runs its own elections), still the pack's.
    expect(merged.byKey("082053")!.results!.firstRound.provenance.source).not.toBe("Ministero dell'Interno");
    expect(merged.search("Palermo")).toMatchObject({ kind: "comune", comune: { name: "Palermo" } });
    // Every comune with results: the pack's 25 and the two new ones from the feed.
    expect(merged.comuni).toHaveLength(data.current().comuni.length + 2);
    // The same merged pack while nothing changes.
    expect(results.current()).toBe(merged);
  });

  it("serves a comune the index lacks under the feed's name, and finds the feed's candidates and areas", async () => {
    const { fake, results, cycle } = await setup();
    await cycle();
    for (const c of fake.election.comuni) c.first = { readings: 4, counted: 2, closed: false };
    await cycle();
    const pack = results.current();
    const found = pack.search("Borgo Nuovo del Brenta");
    expect(found).toMatchObject({ kind: "comune", comune: { name: "Borgo Nuovo del Brenta", eligendo: NEW_COMUNE } });
    expect(pack.byKey(NEW_COMUNE)).toBe(found.kind === "comune" ? found.comune : undefined);
    const candidate = fake.comune(VICENZA).candidates[0]!;
    const surname = candidate.cogn.toLowerCase();
    const r = pack.search(surname);
    expect(r.kind).toBe("candidate");
    if (r.kind === "candidate") expect(r.matches.map((m) => m.comune.name)).toContain("Vicenza");
    const veneto = pack.search("Veneto");
    expect(veneto.kind).toBe("area");
    if (veneto.kind === "area")
      expect(veneto.withResults.map((c) => c.name)).toEqual(expect.arrayContaining(["Vicenza", "Padova"]));
    expect(pack.index.lookup("vicenza")).toMatchObject({ kind: "found", item: { eligendo: VICENZA } });
  });

  it("tells the live cards which comune changed, by the key byKey takes", async () => {
    const { fake, results, cycle } = await setup();
    const changed: string[] = [];
    results.onComuneChanged((key) => changed.push(key));
    await cycle();
    changed.length = 0;
    fake.comune(VICENZA).first = { readings: 4, counted: 5, closed: false };
    await cycle();
    expect(changed).toContain("024116");
    expect(results.current().byKey("024116")!.results!.firstRound.sections!.counted).toBe(5);
  });

  it("a simulated night says so in every card's source", async () => {
    const { fake, results, cycle } = await setup("SIMULAZIONE");
    await cycle();
    fake.comune(VICENZA).first = { readings: 4, counted: 5, closed: false };
    await cycle();
    expect(results.current().byKey("024116")!.results!.firstRound.provenance.source).toBe("SIMULAZIONE");
    expect(results.live?.simulated).toBe(true);
  });

  it("while the gate holds a comune, its results are its last good figures, after a restart too", async () => {
    const { fake, results, cycle, restart } = await setup();
    await cycle();
    const v = fake.comune(VICENZA);
    v.first = { readings: 4, counted: 5, closed: false };
    await cycle();
    const shown = () => results.current().byKey("024116")!;
    const good = shown().results!.firstRound;
    expect(good.sections?.counted).toBe(5);
    // A restart with nothing held, then a typo'd answer: held, the figures from before it still shown.
    const after = await restart();
    const answer = firstRoundAnswer(v, DATE) as { int: { sz_p_sind: number }; cand: { voti: number }[] };
    answer.cand[0]!.voti += 30_000;
    answer.int.sz_p_sind = 6;
    fake.inject("PR/090/CM/1160", { kind: "json", body: answer });
    await cycle();
    const held = after.current().byKey("024116")!;
    expect(held.live).toMatchObject({ held: true, checking: expect.arrayContaining(["sum-mismatch"]) });
    expect(held.results!.firstRound).toEqual(good);
  });

  it("the card of a feed comune the index lacks leaves out the province it does not know", async () => {
    const { fake, results, cycle } = await setup();
    // Three candidates, nobody near a majority: to the runoff once counted.
    const c = fake.comune(NEW_COMUNE);
    c.tipoComune = "M";
    c.candidates = [4, 3.5, 2.5].map((weight, i) => ({
      cogn: `CANDIDATO ${i + 1}`,
      nome: "PROVA",
      pos: i + 1,
      weight,
      lists: [{ pos: 90 + i, name: null, weight: 1 }],
    }));
    await cycle();
    for (const c of fake.election.comuni) c.first = { readings: 4, counted: 2, closed: false };
    await cycle();
    const pack = results.current();
    const v = { pack, t: messages("it"), now: new Date("2017-06-11T23:30:00+02:00") };
    const borgo = pack.byKey(NEW_COMUNE)!;
    expect(comuneAnswer(borgo, v).split("\n")[0]).toBe("🏛 <b>Borgo Nuovo del Brenta</b> Veneto");
    expect(cityTitle({ ...borgo, region: "" }, v)).toBe("🏛 <b>Borgo Nuovo del Brenta</b>");
    expect(inlineSummary({ ...borgo, results: undefined }, v)).toBe("Veneto");
    expect(cityTitle(pack.byKey("024116")!, v)).toBe("🏛 <b>Vicenza</b> (VI) · Veneto · capoluogo");
    // Counted to the end: in /ballottaggi as well.
    c.first = { readings: 4, counted: c.sections, closed: true };
    await cycle();
    const listed = runoffsView({ ...v, pack: results.current() }).join("\n");
    expect(listed).toContain("🏛 <b>Borgo Nuovo del Brenta</b>\n");
    expect(listed).not.toContain("()");
  });

  it("puts the comuni someone asked about first for a while", async () => {
    const { results, cycle } = await setup();
    await cycle();
    expect(results.recentlyAsked(VICENZA)).toBe(false);
    results.current().search("Vicenza");
    expect(results.recentlyAsked(VICENZA)).toBe(true);
  });

  it("a button's key is asked about; naming, rendering or resolving a comune by its key is not", async () => {
    const { results, cycle } = await setup();
    await cycle();
    // What the push renderer, the live cards and the newsroom's lists do: plain lookups.
    expect(results.current().byKey("024116")?.name).toBe("Vicenza");
    expect(results.current().byKey(VICENZA)?.name).toBe("Vicenza");
    expect(results.recentlyAsked(VICENZA)).toBe(false);
    // A press on a card's button.
    expect(results.askedFor("024116")?.name).toBe("Vicenza");
    expect(results.recentlyAsked(VICENZA)).toBe(true);
  });
});
