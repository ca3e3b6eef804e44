import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { Backoff, EligendoClient } from "../../src/feed/client.js";
import { paths } from "../../src/feed/codes.js";
import { type FeedEvent, FeedPoller, type PollerOptions } from "../../src/feed/poller/index.js";
import { realClock } from "../../src/feed/rate.js";
import {
  buildElection,
  entiAnswer,
  type FakeComune,
  type FakeElection,
  FakeEligendo,
  firstRoundAnswer,
  firstRoundWinner,
  syntheticPlaces,
  turnoutAnswer,
} from "../support/fake-eligendo/index.js";
import { VirtualClock } from "../support/virtual-clock.js";
import { comuniIndex, RULES } from "./fixtures.js";
import { ComuneResultsSchemaCheck } from "./results-check.js";

const DATE = "2026-05-24";
const RUNOFF = "2026-06-07";
const ANDRIA = "161060010";
const BARLETTA = "161060020";
const TRINITAPOLI = "161060100";
const VICENZA = "050901160";
const PADOVA = "050540600";

const index = comuniIndex();
/** The index lacks Trinitapoli: it must still be served, under the feed's name. */
const partialIndex = index.filter((c) => c.eligendo !== TRINITAPOLI);
const places = index
  .filter((c) => c.eligendo!.startsWith("16106") || c.eligendo === VICENZA || c.eligendo === PADOVA)
  .map((c) => ({ code: c.eligendo!, name: c.name.toUpperCase() }));

let fake: FakeEligendo | undefined;
let poller: FeedPoller | undefined;
afterEach(async () => {
  await poller?.stop();
  await fake?.close();
  poller = undefined;
  fake = undefined;
});

/** Sets a comune's size and its candidates' strengths so that its outcome is known in advance. */
function shape(c: FakeComune, tipo: "M" | "N", weights: number[]): void {
  c.tipoComune = tipo;
  c.candidates = c.candidates.slice(0, weights.length);
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
  c.candidates.forEach((k, i) => {
    k.weight = weights[i]!;
    k.pos = i + 1;
  });
}

function logCapture() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

async function setup(opts: { runoff?: boolean; maxRps?: number; extra?: Partial<PollerOptions> } = {}) {
  const election = buildElection({
    date: DATE,
    runoffDate: opts.runoff ? RUNOFF : undefined,
    places,
    seed: 7,
    provinceNames: { "16106": "BARLETTA-ANDRIA-TRANI", "05090": "VICENZA", "05054": "PADOVA" },
    regionNames: { "16": "PUGLIA", "05": "VENETO" },
  });
  election.entiPublished = false;
  fake = await FakeEligendo.start(election);
  // Real sizes for the comuni the tests look at closely.
  Object.assign(fake.comune(ANDRIA), { electors: 83020, sections: 110 });
  Object.assign(fake.comune(BARLETTA), { electors: 80382, sections: 104 });
  Object.assign(fake.comune(VICENZA), { electors: 87225, sections: 112 });
  shape(fake.comune(ANDRIA), "M", [6, 3, 1]); // 60%: elected at the first round
  shape(fake.comune(BARLETTA), "M", [4, 3.5, 2.5]); // 40%: runoff
  for (const c of election.comuni) if (c.tipoComune === "N") shape(c, "N", [5, 4]);
  for (const c of election.comuni) delete c.runoff;
  if (opts.runoff) {
    const b = fake.comune(BARLETTA);
    b.runoff = {
      positions: [1, 2],
      weights: [4, 5],
      turnout: [0.1, 0.3, 0.4, 0.45],
      progress: { readings: 0, counted: 0, closed: false },
    };
  }
  const { logger, lines } = logCapture();
  const events: FeedEvent[] = [];
  poller = new FeedPoller({
    settings: { date: DATE, runoffDate: opts.runoff ? RUNOFF : undefined, pollMs: 60_000, maxRps: opts.maxRps ?? 500 },
    client: new EligendoClient({ apiRoot: fake.apiRoot, timeoutMs: 500 }),
    index: partialIndex,
    rules: RULES,
    logger,
    backoff: new Backoff({ baseMs: 5, maxMs: 20, random: () => 0.5 }),
    ...opts.extra,
  });
  poller.on((e) => events.push(e));
  return { fake: fake!, poller: poller!, events, lines, election };
}

/** What the fake would answer for a path (first round only), without a server. */
function answerFor(e: FakeElection, path: string): unknown {
  const seg = path.split("/");
  if (seg[1] === "getentiG") return entiAnswer(e, DATE);
  const region = e.comuni.find((c) => c.code.slice(2, 5) === seg[7])?.code.slice(0, 2);
  if (seg[1] === "votanti") return turnoutAnswer(e, DATE, `${region}${seg[7]}`);
  const c = e.comuni.find((x) => x.code === `${region}${seg[7]}${seg[9]}`);
  return c && firstRoundAnswer(c, DATE);
}

const ofType = <T extends FeedEvent["type"]>(events: FeedEvent[], type: T) =>
  events.filter((e): e is Extract<FeedEvent, { type: T }> => e.type === type);

describe("the poller against the fake feed, through a night", () => {
  it("discovery → turnout → partial count → final → outcome, and nothing twice after a restart", async () => {
    const { fake, poller, events, election } = await setup();
    const all = election.comuni;

    // Before anything is published: the list of places is not there yet, quietly.
    await poller.runCycle();
    expect(poller.snapshot()).toEqual([]);
    expect(events).toEqual([]);

    // The places voting: every comune, joined to the index; Trinitapoli by the feed's name.
    election.entiPublished = true;
    await poller.runCycle();
    expect(ofType(events, "discovered")).toEqual([{ type: "discovered", round: "first", comuni: 12, unknown: 1 }]);
    const andria = poller.comune(ANDRIA)!.comune;
    expect(andria).toMatchObject({
      name: "Andria",
      provinceSigla: "BT",
      provinceName: "Barletta-Andria-Trani",
      regionName: "Puglia",
      populationBand: "oltre-15000",
      identity: { istat: "110001" },
    });
    expect(poller.comune(TRINITAPOLI)!.comune).toMatchObject({
      name: "Trinitapoli",
      identity: undefined,
      provinceName: "Barletta-Andria-Trani",
      regionName: "Puglia",
    });
    expect(poller.status().warnings).toContainEqual({ kind: "unknown-comune", code: TRINITAPOLI, name: "Trinitapoli" });

    // 12:00: every comune's first reading, and the election's total from counts.
    for (const c of all) c.first.readings = 1;
    events.length = 0;
    await poller.runCycle();
    const readings = ofType(events, "turnout-reading");
    expect(readings).toHaveLength(12);
    expect(readings.every((e) => e.first && e.point.at === "12:00")).toBe(true);
    // A province at a time, the total grows; the last one has every comune in.
    const progress = ofType(events, "turnout-progress").at(-1);
    expect(ofType(events, "turnout-progress").map((e) => e.total.comuni.reported)).toEqual([1, 2, 12]);
    const voters = all.reduce((s, c) => s + Math.round(c.electors * c.turnout[0]), 0);
    const electors = all.reduce((s, c) => s + c.electors, 0);
    expect(progress!.total).toMatchObject({
      at: "12:00",
      final: false,
      voters,
      electors,
      comuni: { reported: 12, total: 12 },
    });
    expect(progress!.total.percent).toBe(Math.round((voters / electors) * 10_000) / 100);
    const totals = poller.turnoutTotals();
    expect(totals.regions.map((r) => r.name)).toEqual(["Puglia", "Veneto"]);
    expect(totals.provinces.find((p) => p.key === "106")).toMatchObject({ sigla: "BT", name: "Barletta-Andria-Trani" });
    expect(totals.provinces.find((p) => p.key === "106")!.points[0]!.comuni).toEqual({ reported: 10, total: 10 });

    // 19:00, with Andria's sections still reporting: in its own readings, not yet in the total.
    for (const c of all) c.first.readings = 2;
    fake.comune(ANDRIA).first.readingSections = 3;
    events.length = 0;
    await poller.runCycle();
    expect(poller.comune(ANDRIA)!.first.turnout[1]!.sections).toEqual({
      counted: 3,
      total: fake.comune(ANDRIA).sections,
    });
    expect(ofType(events, "turnout-progress").at(-1)!.total.comuni).toEqual({ reported: 11, total: 12 });
    fake.comune(ANDRIA).first.readingSections = undefined;
    events.length = 0;
    await poller.runCycle();
    expect(ofType(events, "turnout-reading").map((e) => [e.comune.code, e.first])).toEqual([[ANDRIA, false]]);
    expect(ofType(events, "turnout-progress").at(-1)!.total.comuni).toEqual({ reported: 12, total: 12 });

    // The close, and the first sections counted.
    for (const c of all) c.first.readings = 4;
    const a = fake.comune(ANDRIA);
    a.first.counted = Math.ceil(a.sections / 3);
    events.length = 0;
    await poller.runCycle();
    const [started] = ofType(events, "count-started");
    expect(started).toMatchObject({
      round: "first",
      comune: { code: ANDRIA },
      sections: { counted: a.first.counted, total: a.sections },
    });
    expect(started!.outcome).toMatchObject({ kind: "counting", leader: expect.any(String) });
    expect(started!.result.provenance.status).toBe("partial");
    const card = poller.toComuneResults(ANDRIA, { capoluogo: true })!;
    expect(card).toMatchObject({
      name: "Andria",
      province: "BT",
      region: "Puglia",
      capoluogo: true,
      populationBand: "oltre-15000",
    });
    expect(card.firstRound.turnout.map((p) => p.at)).toEqual(["12:00", "19:00", "23:00", "23:15"]);
    expect(card.firstRound.previousTurnoutPercent).toBe(Number(a.previous[3].toFixed(2)));
    ComuneResultsSchemaCheck(card);
    expect(poller.toComuneResults(VICENZA)).toBeUndefined(); // nothing counted yet

    // More sections.
    a.first.counted = a.sections - 1;
    events.length = 0;
    await poller.runCycle();
    expect(
      ofType(events, "count-progress").map((e) => [e.comune.code, e.previous?.counted, e.sections?.counted]),
    ).toEqual([[ANDRIA, Math.ceil(a.sections / 3), a.sections - 1]]);

    // The night ends: every count complete and closed.
    for (const c of all) c.first = { readings: 4, counted: c.sections, closed: true };
    events.length = 0;
    await poller.runCycle();
    expect(ofType(events, "count-complete")).toHaveLength(12);
    const outcomes = new Map(ofType(events, "outcome").map((e) => [e.comune.code, e.outcome]));
    expect(outcomes.get(ANDRIA)).toMatchObject({ kind: "elected", reason: "majority" });
    expect(outcomes.get(BARLETTA)).toMatchObject({ kind: "runoff", reason: "no-majority" });
    expect(outcomes.get(TRINITAPOLI)).toMatchObject({ kind: "elected", reason: "single-round" });
    expect(outcomes.size).toBe(12);
    const andriaRound = poller.comune(ANDRIA)!.first;
    expect(andriaRound).toMatchObject({ complete: true, closed: true, final: true });
    expect(andriaRound.result!.provenance.status).toBe("final");
    expect(andriaRound.result!.candidates[0]!.elected).toBe(true);
    expect(andriaRound.warnings).toEqual([]);
    // A runoff due is the bot's reading of the figures, not the Ministry's word: not settled.
    expect(poller.comune(BARLETTA)!.first).toMatchObject({ complete: true, closed: false, final: false });
    const settled = all.filter((c) => firstRoundWinner(c) !== undefined).length;
    expect(settled).toBeLessThan(12);
    expect(poller.status().comuni).toEqual({ total: 12, unknown: 1, counting: 0, complete: 12, final: settled });

    // Settled counts and final turnout are not asked again; the others not at every cycle either.
    const before = fake.requests.length;
    events.length = 0;
    await poller.runCycle();
    expect(fake.requests.length).toBe(before);
    expect(events).toEqual([]);

    // A restart after the night: only the counts not settled are asked again, nothing is announced again.
    const restarted = new FeedPoller({
      settings: { date: DATE, pollMs: 60_000, maxRps: 500 },
      client: new EligendoClient({ apiRoot: fake.apiRoot }),
      index: partialIndex,
      rules: RULES,
      state: JSON.parse(JSON.stringify(poller.exportState())),
    });
    expect(restarted.comune(ANDRIA)!.first.outcome).toMatchObject({ kind: "elected" });
    expect(restarted.toComuneResults(ANDRIA)).toEqual(poller.toComuneResults(ANDRIA));
    const quiet: FeedEvent[] = [];
    restarted.on((e) => quiet.push(e));
    const asked = fake.requests.length;
    const andriaAsked = fake.requestsTo("PR/106/CM/0010").length;
    await restarted.runCycle();
    expect(fake.requests.length - asked).toBe(12 - settled);
    expect(fake.requestsTo("PR/106/CM/0010")).toHaveLength(andriaAsked);
    expect(quiet).toEqual([]);
  });

  it("a restart in the middle of the count answers at once and announces nothing twice", async () => {
    const { fake, poller, events, election } = await setup();
    election.entiPublished = true;
    for (const c of election.comuni) c.first = { readings: 4, counted: 2, closed: false };
    await poller.runCycle();
    await poller.runCycle();
    expect(ofType(events, "count-started")).toHaveLength(12);
    const saved = JSON.parse(JSON.stringify(poller.exportState()));
    await poller.stop();

    const restarted = new FeedPoller({
      settings: { date: DATE, pollMs: 60_000, maxRps: 500 },
      client: new EligendoClient({ apiRoot: fake.apiRoot }),
      index: partialIndex,
      rules: RULES,
      state: saved,
    });
    // Answers at once, from the saved figures.
    expect(restarted.comune(ANDRIA)!.first.result!.sections).toEqual({ counted: 2, total: 110 });
    expect(restarted.turnoutTotals().election.points.at(-1)!.comuni).toEqual({ reported: 12, total: 12 });
    const after: FeedEvent[] = [];
    restarted.on((e) => after.push(e));
    await restarted.runCycle();
    expect(after).toEqual([]);
    // And resumes: the next sections are progress, not a new start.
    fake.comune(ANDRIA).first.counted = 50;
    await restarted.runCycle();
    expect(after.map((e) => e.type)).toEqual(["count-progress"]);
  });

  it("follows the runoff with its first-round figures", async () => {
    const { fake, poller, events, election } = await setup({ runoff: true });
    election.entiPublished = true;
    for (const c of election.comuni) c.first = { readings: 4, counted: c.sections, closed: true };
    await poller.runCycle();
    expect(ofType(events, "discovered").map((e) => [e.round, e.comuni])).toEqual([
      ["first", 12],
      ["runoff", 1],
    ]);
    expect(poller.comune(BARLETTA)!.comune.runoff).toBe(true);
    expect(poller.comune(BARLETTA)!.first.outcome).toMatchObject({ kind: "runoff" });

    const b = fake.comune(BARLETTA);
    b.runoff!.progress = { readings: 4, counted: b.sections, closed: true };
    events.length = 0;
    await poller.runCycle();
    const outcome = ofType(events, "outcome").find((e) => e.round === "runoff")!;
    expect(outcome.comune.code).toBe(BARLETTA);
    expect(outcome.outcome).toMatchObject({ kind: "elected", reason: "runoff-winner" });
    // The second of the first round wins the runoff (weights 4 against 5).
    const firstRound = poller.comune(BARLETTA)!.first.result!;
    expect(outcome.outcome.kind === "elected" && outcome.outcome.candidate).toBe(firstRound.candidates[1]!.name);
    const snap = poller.comune(BARLETTA)!.runoff!;
    expect(snap.result!.candidates).toHaveLength(2);
    expect(snap.firstRoundFromRunoff!.candidates.map((c) => [c.name, c.votes])).toEqual(
      firstRound.candidates.map((c) => [c.name, c.votes]),
    );
    expect(snap.turnout.at(-1)).toMatchObject({ final: true });
    const card = poller.toComuneResults(BARLETTA)!;
    expect(card.runoff?.date).toBe(RUNOFF);
    ComuneResultsSchemaCheck(card);
  });
});

describe("the poller and what the feed gets wrong", () => {
  async function counted() {
    const s = await setup();
    for (const c of s.election.comuni) c.first = { readings: 1, counted: 1, closed: false };
    s.election.entiPublished = true;
    await s.poller.runCycle();
    await s.poller.runCycle();
    s.events.length = 0;
    return s;
  }
  const vicenzaPath = paths.results(DATE, "090", "1160");

  it("keeps the last good figures when an answer does not validate, and says what is wrong once", async () => {
    const { fake, poller, events, lines } = await counted();
    const good = structuredClone(poller.comune(VICENZA)!.first.result);
    const c = fake.comune(VICENZA);
    c.first.counted = 2;
    fake.inject(vicenzaPath, {
      kind: "json",
      body: { int: { f_elet: "SCRUTINI", sz_p_sind: 3, sz_tot: 2 }, cand: "x" },
    });
    await poller.runCycle();
    await poller.runCycle();
    expect(poller.comune(VICENZA)!.first.result).toEqual(good);
    const warnings = ofType(events, "warning").map((e) => e.warning);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: "invalid-response", path: vicenzaPath });
    expect(warnings[0]!.kind === "invalid-response" && warnings[0]!.issues).toContain(
      "cand: Input non valido: atteso vettore, ricevuto string",
    );
    expect(lines.filter((l) => l.msg.startsWith("feed: invalid answer"))).toHaveLength(1);
    // Once the feed is right again, the figures move on.
    fake.clearInjections();
    await poller.runCycle();
    expect(poller.comune(VICENZA)!.first.result!.sections!.counted).toBe(2);
  });

  it("ignores malformed JSON, an oversize body and a null body, keeping the last good figures", async () => {
    const { fake, poller, events } = await counted();
    const good = structuredClone(poller.comune(VICENZA)!.first.result);
    fake.comune(VICENZA).first.counted = 2;
    for (const answer of [
      { kind: "malformed" },
      { kind: "oversize", bytes: 5 * 1024 * 1024 + 1 },
      { kind: "json", body: null },
      { kind: "json", body: [] },
    ] as const) {
      fake.inject(vicenzaPath, answer, 1);
      await poller.runCycle();
      expect(poller.comune(VICENZA)!.first.result).toEqual(good);
    }
    expect(ofType(events, "warning").map((e) => e.warning.kind)).toEqual([
      "malformed",
      "too-large",
      "invalid-response",
      "invalid-response",
    ]);
  });

  it("logs a syntax error once per path, however many cycles it lasts", async () => {
    const { fake, poller, lines, events } = await counted();
    fake.inject(vicenzaPath, { kind: "syntax-error" });
    for (let i = 0; i < 3; i++) await poller.runCycle();
    expect(lines.filter((l) => l.msg.startsWith("feed: syntax error") && l.level === 50)).toHaveLength(1);
    expect(ofType(events, "warning").map((e) => e.warning)).toEqual([{ kind: "syntax-error", path: vicenzaPath }]);
    expect(poller.status().outcomes["syntax-error"]).toBe(3);
  });

  it("backs off after Access Denied, a 5xx or a timeout, and comes back", async () => {
    const { fake, poller, lines } = await counted();
    for (const answer of [{ kind: "access-denied" }, { kind: "status", status: 502 }, { kind: "hang" }] as const) {
      fake.comune(VICENZA).first.counted++;
      fake.inject(vicenzaPath, answer, 1);
      const r = await poller.runCycle();
      expect(r.outcomes).toMatchObject({
        [answer.kind === "access-denied" ? "blocked" : answer.kind === "status" ? "server-error" : "timeout"]: 1,
      });
      await poller.runCycle();
      expect(poller.comune(VICENZA)!.first.result!.sections!.counted).toBe(fake.comune(VICENZA).first.counted);
    }
    const pauses = lines.filter((l) => l.msg.startsWith("feed: the Ministry refuses"));
    expect(pauses.map((l) => l.kind)).toEqual(["blocked", "server-error", "timeout"]);
    // Each came after a success: the backoff had started again from its base.
    expect(pauses.map((l) => l.failures)).toEqual([1, 1, 1]);
    expect(poller.status().backoff.failures).toBe(0);
  });

  it("waits between requests while the Ministry keeps refusing, doubling the wait", async () => {
    const { fake, poller, lines } = await counted();
    fake.inject(() => true, { kind: "access-denied" });
    await poller.runCycle();
    const waits = lines.filter((l) => l.msg.startsWith("feed: the Ministry refuses")).map((l) => l.waitMs);
    expect(waits.slice(0, 4)).toEqual([4, 8, 15, 15]); // base 5 ms, at most 20, jitter at 3/4 of each ceiling
    expect(poller.status().backoff.failures).toBeGreaterThanOrEqual(4);
  });

  it("nothing thrown by a listener or the priority hook stops the poller", async () => {
    const { poller, events, election, lines } = await setup({
      extra: {
        priority: () => {
          throw new Error("boom");
        },
      },
    });
    poller.on(() => {
      throw new Error("listener boom");
    });
    election.entiPublished = true;
    for (const c of election.comuni) c.first.readings = 1;
    await poller.runCycle();
    await poller.runCycle();
    expect(ofType(events, "turnout-reading")).toHaveLength(12);
    expect(lines.some((l) => l.msg.startsWith("feed: an event listener"))).toBe(true);
    expect(lines.some((l) => l.msg.startsWith("feed: the priority function"))).toBe(true);
  });
});

describe("the poller's pace", () => {
  it("asks the comuni with followers first, then the capoluoghi, then the rest", async () => {
    const { fake, poller, election } = await setup({
      extra: { concurrency: 1, priority: (c) => (c.code === PADOVA ? 2 : c.code === VICENZA ? 1 : 0) },
    });
    election.entiPublished = true;
    await poller.runCycle();
    const from = fake.requests.length;
    for (const c of election.comuni) c.first = { readings: 1, counted: 1, closed: false };
    await poller.runCycle();
    const cycle = fake.requests.slice(from).map((r) => r.path.replace("/siel/PX", ""));
    // Padova's province turnout and its results first, then Vicenza's, then the rest (turnout first).
    expect(cycle.slice(0, 5)).toEqual([
      paths.turnout(DATE, "054"),
      paths.results(DATE, "054", "0600"),
      paths.turnout(DATE, "090"),
      paths.results(DATE, "090", "1160"),
      paths.turnout(DATE, "106"),
    ]);
    expect(cycle.slice(5)).toEqual(
      election.comuni.filter((c) => c.code.startsWith("16106")).map((c) => paths.results(DATE, "106", c.code.slice(5))),
    );
  });

  it("the priority's reading (the followed comuni from the store) is awaited before each cycle asks it", async () => {
    let first = PADOVA;
    const { fake, poller, election } = await setup({
      extra: {
        concurrency: 1,
        beforeCycle: async () => {
          await new Promise((r) => setTimeout(r, 5));
          first = VICENZA; // followed since the last cycle
        },
        priority: (c) => (c.code === first ? 1 : 0),
      },
    });
    election.entiPublished = true;
    await poller.runCycle();
    const from = fake.requests.length;
    for (const c of election.comuni) c.first = { readings: 1, counted: 1, closed: false };
    await poller.runCycle();
    const cycle = fake.requests.slice(from).map((r) => r.path.replace("/siel/PX", ""));
    expect(cycle.slice(0, 2)).toEqual([paths.turnout(DATE, "090"), paths.results(DATE, "090", "1160")]);
  });

  it("never goes above ELIGENDO_MAX_RPS in any second", async () => {
    const { fake, poller, election } = await setup({ maxRps: 8 });
    election.entiPublished = true;
    for (const c of election.comuni) c.first = { readings: 1, counted: 1, closed: false };
    const report = await poller.runCycle();
    expect(report.requests).toBe(16); // the list, 3 provinces, 12 comuni
    expect(fake.requests).toHaveLength(16);
    expect(fake.maxInWindow(1000)).toBeLessThanOrEqual(8);
    // The cap held and the cycle still got through: every comune has its figures.
    expect(poller.snapshot().every((s) => s.first.result?.sections?.counted === 1)).toBe(true);
  });

  it("start() polls on its own every pollMs until stop()", async () => {
    const { fake, poller, election } = await setup({ extra: {} });
    election.entiPublished = true;
    (poller as unknown as { settings: { pollMs: number } }).settings.pollMs = 50;
    poller.start();
    poller.start();
    expect(poller.running).toBe(true);
    while (poller.status().cycles < 3) await new Promise((r) => setTimeout(r, 20));
    await poller.stop();
    expect(poller.running).toBe(false);
    // Requests already on the wire may still reach the fake (it shares this process); then nothing more.
    const asked = poller.status().requests;
    await new Promise((r) => setTimeout(r, 100));
    const n = fake.requests.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.requests.length).toBe(n);
    expect(poller.status().requests).toBe(asked);
  });
});

describe("the poller's pace on an injected clock", () => {
  it("asks a complete count again until the Ministry settles it: every 5 minutes while doubted, less often while still, never once settled", async () => {
    // Real time for the rate cap's spacing, plus the minutes the test skips.
    const origin = performance.now();
    const clock = { t: 0, now: () => clock.t + (performance.now() - origin), sleep: realClock.sleep };
    let doubtTrinitapoli = true;
    const { fake, poller, election } = await setup({
      extra: { clock, doubted: (code) => doubtTrinitapoli && code === TRINITAPOLI },
    });
    election.entiPublished = true;
    for (const c of election.comuni) c.first = { readings: 4, counted: c.sections, closed: true };
    // The Ministry's last answer for Vicenza: closed, the mayor named, but its sums do not add up.
    const v = fake.comune(VICENZA);
    shape(v, "M", [6, 3, 1]);
    const good = firstRoundAnswer(v, DATE) as { cand: { voti: number }[] };
    const bad = structuredClone(good);
    bad.cand[0]!.voti += 500;
    fake.inject("PR/090/CM/1160", { kind: "json", body: bad });
    await poller.runCycle();

    const first = (code: string) => poller.comune(code)!.first;
    expect(first(ANDRIA)).toMatchObject({ complete: true, closed: true, final: true });
    expect(first(BARLETTA)).toMatchObject({ complete: true, closed: false, final: false }); // a runoff due
    expect(first(VICENZA)).toMatchObject({ complete: true, closed: true, final: false }); // sums wrong
    expect(first(VICENZA).warnings.map((w) => w.kind)).toEqual(["sum-mismatch"]);
    expect(first(TRINITAPOLI)).toMatchObject({ closed: true, final: true }); // settled, but doubted

    const askedAt = new Map<string, number[]>();
    const minute = async (m: number) => {
      clock.t = m * 60_000;
      const from = fake.requests.length;
      await poller.runCycle();
      for (const r of fake.requests.slice(from)) {
        const code = election.comuni.find((c) => r.path.endsWith(`PR/${c.code.slice(2, 5)}/CM/${c.code.slice(5)}`));
        if (code) askedAt.set(code.code, [...(askedAt.get(code.code) ?? []), m]);
      }
    };
    for (let m = 1; m <= 180; m++) await minute(m);
    const every5 = Array.from({ length: 36 }, (_, i) => (i + 1) * 5);
    expect(askedAt.get(ANDRIA)).toBeUndefined();
    expect(askedAt.get(VICENZA)).toEqual(every5);
    expect(askedAt.get(TRINITAPOLI)).toEqual(every5);
    // Barletta's answer never changes: every 5 minutes at first, then a quarter of the time it has been still.
    const b = askedAt.get(BARLETTA)!;
    expect(b.slice(0, 3)).toEqual([5, 10, 15]);
    const gaps = b.slice(1).map((m, i) => m - b[i]!);
    expect(gaps.every((g, i) => i === 0 || g >= gaps[i - 1]!)).toBe(true);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60);

    // The Ministry corrects Vicenza, and Trinitapoli's doubt is gone: read once more, then never again.
    fake.clearInjections();
    doubtTrinitapoli = false;
    askedAt.clear();
    for (let m = 181; m <= 240; m++) await minute(m);
    expect(askedAt.get(VICENZA)).toEqual([185]);
    expect(first(VICENZA)).toMatchObject({ final: true, warnings: [] });
    expect(askedAt.get(TRINITAPOLI)).toBeUndefined();
  });

  it("holds the cap over a cycle of 300 comuni, and backs off on the clock it is given", async () => {
    const clock = new VirtualClock();
    const election = buildElection({ date: DATE, places: syntheticPlaces(300), seed: 3 });
    for (const c of election.comuni) c.first = { readings: 1, counted: 1, closed: false };
    const asked: { path: string; at: number }[] = [];
    let refuseNext = 0;
    // The client's fetch answers from the fake's election in-process, at the virtual clock's time.
    const fetchOnClock = (async (url: string | URL | Request) => {
      const path = String(url).replace("http://feed.test/siel/PX", "");
      asked.push({ path, at: clock.now() });
      if (refuseNext > 0) {
        refuseNext--;
        return new Response("<HTML><TITLE>Access Denied</TITLE></HTML>", {
          status: 403,
          headers: { "content-type": "text/html" },
        });
      }
      const body = answerFor(election, path);
      return new Response(JSON.stringify(body ?? { Error: { id: "200", desc: "Dati non trovati" } }), {
        headers: { "content-type": "application/json" },
      });
    }) as typeof fetch;
    const p = new FeedPoller({
      settings: { date: DATE, pollMs: 60_000, maxRps: 5 },
      client: new EligendoClient({ apiRoot: "http://feed.test/siel/PX", fetch: fetchOnClock }),
      index: [],
      rules: RULES,
      clock,
      backoff: new Backoff({ baseMs: 2000, maxMs: 60_000, random: () => 0 }),
    });
    const report = await clock.run(p.runCycle());
    expect(report.requests).toBe(1 + 30 + 300); // the list, 30 provinces, 300 comuni
    const times = asked.map((a) => a.at);
    let worst = 0;
    for (let i = 0; i < times.length; i++)
      worst = Math.max(worst, times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length);
    expect(worst).toBe(5);
    // 331 requests, 5 in each 1.1 s (the cap and its margin): nothing else slows the cycle.
    expect(report.durationMs).toBeGreaterThan(66_000);
    expect(report.durationMs).toBeLessThanOrEqual((331 / 5) * 1100);
    expect(p.snapshot().filter((s) => s.first.result).length).toBe(300);

    // Two refusals in a row: the next request waits 1 s, the one after it 2 s (base 2 s, jitter at its
    // lowest), on the poller's clock; then the cycle goes on at the capped pace.
    for (const c of election.comuni) c.first.counted = 2;
    refuseNext = 2;
    asked.length = 0;
    await clock.run(p.runCycle());
    const t = asked.map((x) => x.at - asked[0]!.at);
    expect(t[1]).toBeGreaterThanOrEqual(1000);
    expect(t[2]! - t[1]!).toBeGreaterThanOrEqual(2000);
    expect(t[3]! - t[2]!).toBeLessThan(1000);
    expect(p.status().backoff.failures).toBe(0);
    expect(p.status().outcomes.blocked).toBe(2);
  });
});
