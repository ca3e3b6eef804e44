import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ComuneResults } from "../src/data/model.js";
import { ElectionSchema } from "../src/data/schema.js";
import { councilSeats } from "../src/data/seats.js";
import { parseResults, parseTurnout } from "../src/feed/parse.js";
import { EntiResponseSchema, ScrutiniResponseSchema, VotantiResponseSchema } from "../src/feed/schema.js";
import {
  buildElection,
  entiAnswer,
  firstRoundAnswer,
  firstRoundNightAt,
  nightTime,
  romeStamp,
  runoffAnswer,
  runoffNightAt,
  sizeByRules,
  syntheticPlaces,
  turnoutAnswer,
} from "./support/fake-eligendo/index.js";

const DATE = "2026-05-24";
const RUNOFF = "2026-06-07";

describe("the fake feed's simulated night", () => {
  const election = buildElection({ date: DATE, runoffDate: RUNOFF, places: syntheticPlaces(40), seed: 11 });

  it("answers in the Ministry's shapes, and its figures add up at every step", () => {
    expect(EntiResponseSchema.parse(entiAnswer(election, DATE)).enti.filter((e) => e.tipo === "CM")).toHaveLength(40);
    let last = new Map<string, { readings: number; counted: number }>();
    for (let t = 0; t <= 1.0001; t += 0.05) {
      firstRoundNightAt(election, t);
      const now = new Map<string, { readings: number; counted: number }>();
      for (const c of election.comuni) {
        const before = last.get(c.code);
        // The night only moves forward.
        expect(c.first.readings).toBeGreaterThanOrEqual(before?.readings ?? 0);
        expect(c.first.counted).toBeGreaterThanOrEqual(before?.counted ?? 0);
        now.set(c.code, { readings: c.first.readings, counted: c.first.counted });
        const answer = firstRoundAnswer(c, DATE);
        if (!answer) {
          expect(c.first.counted).toBe(0);
          continue;
        }
        const parsed = parseResults(ScrutiniResponseSchema.parse(answer), {
          code: c.code,
          name: c.name,
          url: "http://x.test/",
          date: DATE,
        });
        expect(parsed.warnings).toEqual([]);
        expect(parsed.result.sections).toEqual({ counted: c.first.counted, total: c.sections });
      }
      last = now;
      const turnout = turnoutAnswer(election, DATE, election.comuni[0]!.code.slice(0, 5));
      if (turnout) expect(parseTurnout(VotantiResponseSchema.parse(turnout), "01").comuni.length).toBe(10);
    }
    // By the end every count is closed, and every small comune has its mayor.
    expect(election.comuni.every((c) => c.first.closed)).toBe(true);
    for (const c of election.comuni.filter((x) => x.tipoComune === "N")) {
      const r = parseResults(ScrutiniResponseSchema.parse(firstRoundAnswer(c, DATE)), {
        code: c.code,
        name: c.name,
        url: "http://x.test/",
        date: DATE,
      });
      expect(r.result.outcome?.kind).toBe("elected");
    }
  });

  it("runs the runoff in the comuni where nobody passed half, with their first-round figures", () => {
    const inRunoff = election.comuni.filter((c) => c.runoff);
    expect(inRunoff.length).toBeGreaterThan(0);
    expect(EntiResponseSchema.parse(entiAnswer(election, RUNOFF)).enti.filter((e) => e.tipo === "CM")).toHaveLength(
      inRunoff.length,
    );
    runoffNightAt(election, 1);
    for (const c of inRunoff) {
      const r = parseResults(ScrutiniResponseSchema.parse(runoffAnswer(c, RUNOFF)), {
        code: c.code,
        name: c.name,
        url: "http://x.test/",
        date: RUNOFF,
        firstRoundDate: DATE,
      });
      expect(r.round).toBe("runoff");
      expect(r.result.candidates).toHaveLength(2);
      expect(r.warnings).toEqual([]);
      expect(r.result.outcome?.kind).toBe("elected");
      expect(r.firstRound!.candidates).toHaveLength(c.candidates.length);
    }
  });

  it("allocates the council's seats as the law does: the bot's computation agrees in every closed comune, unless a difference is injected", () => {
    firstRoundNightAt(election, 1);
    const rules = ElectionSchema.parse(JSON.parse(readFileSync("data/election.json", "utf8"))).rules;
    const councilOf = (c: (typeof election.comuni)[number]) => {
      const r = parseResults(ScrutiniResponseSchema.parse(firstRoundAnswer(c, DATE)), {
        code: c.code,
        name: c.name,
        url: "http://x.test/",
        date: DATE,
      });
      const comune: ComuneResults = {
        name: c.name,
        province: "XX",
        region: "Lombardia",
        capoluogo: false,
        aliases: [],
        ...(c.tipoComune ? { populationBand: c.tipoComune === "M" ? "oltre-15000" : "fino-15000" } : {}),
        firstRound: r.result,
      };
      return councilSeats(comune, rules);
    };
    const elected = election.comuni.filter((c) => c.tipoComune && !c.runoff);
    expect(elected.length).toBeGreaterThan(10);
    for (const c of elected) {
      const council = councilOf(c);
      expect(council.kind, c.name).toBe("allocation");
      if (council.kind === "allocation") expect(council.official?.matches, c.name).toBe(true);
    }
    const c = elected[0]!;
    c.alterSeats = (law) => ({ ...law, seated: law.seated.map((x) => !x) });
    const council = councilOf(c);
    expect(council.kind === "allocation" && council.official?.matches).toBe(false);
    delete c.alterSeats;
  });

  it("after a runoff, the seats of every group are served, and agree with the law's as the bot computes them", () => {
    runoffNightAt(election, 1);
    const rules = ElectionSchema.parse(JSON.parse(readFileSync("data/election.json", "utf8"))).rules;
    const inRunoff = election.comuni.filter((c) => c.runoff);
    expect(inRunoff.length).toBeGreaterThan(0);
    for (const c of inRunoff) {
      const r = parseResults(ScrutiniResponseSchema.parse(runoffAnswer(c, RUNOFF)), {
        code: c.code,
        name: c.name,
        url: "http://x.test/",
        date: RUNOFF,
        firstRoundDate: DATE,
      });
      const council = councilSeats(
        {
          name: c.name,
          province: "XX",
          region: "Lombardia",
          capoluogo: false,
          aliases: [],
          populationBand: "oltre-15000",
          firstRound: { ...r.firstRound!, councilSeats: r.result.councilSeats },
          runoff: r.result,
        },
        rules,
      );
      expect(council.kind, c.name).toBe("allocation");
      if (council.kind !== "allocation") continue;
      expect(council.round).toBe("runoff");
      expect(council.official?.matches, c.name).toBe(true);
    }
  });
});

describe("a replayed night", () => {
  const rome = (d: Date) =>
    d.toLocaleString("it-IT", { timeZone: "Europe/Rome", day: "2-digit", hour: "2-digit", minute: "2-digit" });

  it("has one clock: the readings' hours, the count from 23:30 to 03:30, the answers stamped by it", () => {
    expect(rome(nightTime(DATE, 0))).toBe("24, 07:00");
    expect(rome(nightTime(DATE, 0.1))).toBe("24, 12:00");
    expect(rome(nightTime(DATE, 0.45))).toBe("24, 23:30");
    expect(rome(nightTime(DATE, 1))).toBe("25, 03:30");
    // December: the same hours in winter time.
    expect(rome(nightTime("2026-12-07", 0.45))).toBe("07, 23:30");

    const e = buildElection({ date: DATE, places: syntheticPlaces(12), seed: 5 });
    for (let t = 0; t <= 1.0001; t += 0.025) {
      const clock = () => nightTime(DATE, t);
      firstRoundNightAt(e, t, clock);
      for (const c of e.comuni) {
        const a = firstRoundAnswer(c, DATE) as { int: { dt_agg: number } } | undefined;
        if (!a) continue;
        // Never later than the night's clock, never before the count began.
        expect(a.int.dt_agg).toBeLessThanOrEqual(romeStamp(clock()));
        expect(a.int.dt_agg).toBeGreaterThanOrEqual(romeStamp(nightTime(DATE, 0.45)));
      }
    }
  });

  it("invents figures the rules would call the same: a capoluogo elects only above 50%, a small comune at one round", () => {
    const e = buildElection({ date: DATE, places: syntheticPlaces(60), seed: 7 });
    const capoluogo = (code: string) => Number(code.slice(-3)) % 30 === 10;
    sizeByRules(e, capoluogo);
    firstRoundNightAt(e, 1);
    let elected = 0;
    for (const c of e.comuni) {
      expect(c.tipoComune).toBe(capoluogo(c.code) ? "M" : "N");
      const a = firstRoundAnswer(c, DATE) as { cand: { voti: number; eletto: string | null; liste: unknown[] }[] };
      const valid = a.cand.reduce((s, k) => s + k.voti, 0);
      const winner = a.cand.find((k) => k.eletto === "S");
      if (c.tipoComune === "N") {
        // One round: the most voted is elected, each with one list.
        expect(winner).toBe(a.cand[0]);
        for (const k of a.cand) expect(k.liste).toHaveLength(1);
      } else if (winner) {
        expect(winner.voti * 2).toBeGreaterThan(valid);
      } else expect(a.cand[0]!.voti * 2).toBeLessThanOrEqual(valid);
      if (winner) elected++;
    }
    expect(elected).toBeGreaterThan(0);
  });
});
