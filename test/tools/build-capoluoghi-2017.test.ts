import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { resultsInconsistencies } from "../../src/data/consistency.js";
import { ComuneResultsSchema, ComuneResultsSchema as Schema } from "../../src/data/model.js";
import { loadDataPack } from "../../src/data/pack.js";
import { formatInteger } from "../../src/format/italian.js";
import {
  build,
  buildFrom,
  computeShares,
  convertComune,
  italianCoalition,
  publishers,
  RESOLUTIONS,
  resolveRound,
  type SourceComune,
  type SourceNational,
  samePerson,
} from "../../tools/build-capoluoghi-2017.js";
import { formatJson } from "../../tools/json-format.js";
import { HAVE_SOURCES, SOURCES } from "./sources.js";

const page = (n: number) => `https://www.giornale${n}.it/articolo`;

function source(over: Partial<SourceComune> = {}): SourceComune {
  return {
    name: "Borgo",
    province: "XX",
    region: "Lazio",
    notes: "notes of the research",
    sources: [page(1), page(9)],
    firstRound: {
      date: "2017-06-11",
      turnoutPercent: 55.5,
      turnoutSources: [page(3)],
      turnoutNote: "conflict: 55,5 vs 55,6",
      previousTurnoutPercent: null,
      candidates: [
        {
          name: "Anna (Annina) Bianchi",
          coalition: "centrosinistra (9 lists)",
          votes: 100,
          percent: 45,
          sources: [page(1)],
        },
        {
          name: "Bruno Verdi",
          coalition: null,
          votes: null,
          percent: 40,
          sources: [page(2)],
          conflicts: ["percent: 40 vs 41"],
          singleSource: ["percent"],
        },
        { name: "Carla Neri", coalition: "civica", votes: null, percent: 15, sources: [page(2)], note: "a note" },
      ],
    },
    runoff: {
      date: "2017-06-25",
      turnoutPercent: null,
      winner: "Anna Bianchi",
      candidates: [
        { name: "Anna Bianchi", coalition: "centrosinistra", votes: 900, percent: 52, sources: [page(4)] },
        { name: "Bruno Verdi", coalition: "centrodestra", votes: 830, percent: 48, sources: [page(4)] },
      ],
    },
    ...over,
  };
}

describe("convertComune", () => {
  const c = convertComune(source(), "012345");

  it("is valid results, for the schema every pack is checked against", () => {
    expect(ComuneResultsSchema.safeParse(c).success).toBe(true);
  });

  it("keeps the stored figures only: no share or vote the source lacks", () => {
    expect(c.firstRound.candidates).toEqual([
      { name: "Anna (Annina) Bianchi", coalition: "centrosinistra (9 liste)", votes: 100, percent: 45 },
      { name: "Bruno Verdi", percent: 40 },
      { name: "Carla Neri", coalition: "civica", percent: 15 },
    ]);
    expect(c.firstRound).not.toHaveProperty("previousTurnoutPercent");
    expect(c.runoff).not.toHaveProperty("turnoutPercent");
  });

  it("names a person once across the rounds, and states the outcomes", () => {
    expect(c.firstRound.outcome).toEqual({ kind: "runoff", candidates: ["Anna (Annina) Bianchi", "Bruno Verdi"] });
    expect(c.runoff?.candidates.map((k) => [k.name, k.elected])).toEqual([
      ["Anna (Annina) Bianchi", true],
      ["Bruno Verdi", undefined],
    ]);
    expect(c.runoff?.outcome).toEqual({ kind: "elected", candidate: "Anna (Annina) Bianchi" });
    expect(c.populationBand).toBe("oltre-15000");
    expect(c.capoluogo).toBe(true);
    expect(c.istat).toBe("012345");
  });

  it("gives each round its provenance: publishers, pages, final, the conflicts as details", () => {
    expect(c.firstRound.provenance).toEqual({
      source: "giornale3.it, giornale1.it, giornale2.it, giornale9.it",
      urls: [page(3), page(1), page(2), page(9)],
      status: "final",
      note: "notes of the research",
      details: [
        "Bruno Verdi: conflict: percent: 40 vs 41",
        "Bruno Verdi: single source for percent",
        "Carla Neri: a note",
      ],
    });
    expect(c.firstRound.turnoutProvenance).toEqual({
      source: "giornale3.it",
      urls: [page(3)],
      status: "final",
      note: "conflict: 55,5 vs 55,6",
    });
    expect(c.runoff?.provenance).toMatchObject({ source: "giornale4.it", urls: [page(4)], status: "final" });
  });

  it("a comune decided at the first round has no runoff, and no band without a source for it", () => {
    const first = convertComune(
      source({ runoff: null, firstRound: { ...source().firstRound, electedAtFirstRound: "Anna (Annina) Bianchi" } }),
      undefined,
    );
    expect(first.firstRound.outcome).toEqual({ kind: "elected", candidate: "Anna (Annina) Bianchi" });
    expect(first.firstRound.candidates[0]).toMatchObject({ elected: true });
    expect(first).not.toHaveProperty("runoff");
    expect(first).not.toHaveProperty("populationBand");
    expect(first).not.toHaveProperty("istat");
  });

  it("a runoff without a winner needs its reason written down", () => {
    const r = source().runoff!;
    expect(() => convertComune(source({ runoff: { ...r, winner: null } }), undefined)).toThrow(/VOID_RUNOFFS/);
  });
});

describe("helpers", () => {
  it("samePerson ignores a name in brackets", () => {
    expect(samePerson("Gianni (Giovanni) Crivello", "Gianni Crivello")).toBe(true);
    expect(samePerson("Gianni Crivello", "Marco Bucci")).toBe(false);
  });

  it("publishers are the pages' hosts, once each", () => {
    expect(publishers(["https://www.money.it/a", "https://money.it/b", "http://ilpiccolo.net/c"])).toBe(
      "money.it, ilpiccolo.net",
    );
  });

  it("coalitions are rendered in Italian; English left over stops the conversion", () => {
    expect(italianCoalition("centrosinistra (supported by Franco Sebastio)")).toBe(
      "centrosinistra (sostenuto da Franco Sebastio)",
    );
    expect(() => italianCoalition("centrodestra (two lists)")).toThrow(/English/);
  });

  it("formatJson keeps short objects on one line and stays JSON", () => {
    const value = { comuni: [{ name: "A", percent: 1 }], note: "x".repeat(150) };
    const text = formatJson(value, 60);
    expect(text).toContain('{ "name": "A", "percent": 1 }');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe.runIf(HAVE_SOURCES)("the shipped results.json and turnout.json", () => {
  it("are what the tool builds from capoluoghi-2017.json and national-2017.json", async () => {
    const built = await buildFrom(SOURCES, "data");
    expect(JSON.parse(await readFile("data/results.json", "utf8"))).toEqual(built.results);
    expect(JSON.parse(await readFile("data/turnout.json", "utf8"))).toEqual(built.turnout);
  });
});

describe("resolving figures that do not agree", () => {
  const f = source().firstRound;

  it("replaces or drops the figures a resolution names, and says why", () => {
    const r = resolveRound("Borgo", "firstRound", f, [
      { comune: "Borgo", round: "firstRound", reason: "two counts", votes: { "Anna (Annina) Bianchi": null } },
      {
        comune: "Borgo",
        round: "firstRound",
        reason: "list share",
        percent: { "Bruno Verdi": 41 },
        readerNote: "Nota.",
      },
    ]);
    expect(r.round.candidates.map((k) => [k.votes, k.percent])).toEqual([
      [null, 45],
      [null, 41],
      [null, 15],
    ]);
    expect(r.reasons).toEqual(["resolved: two counts", "resolved: list share"]);
    expect(r.readerNotes).toEqual(["Nota."]);
    // The research stays as it is.
    expect(f.candidates[0]!.votes).toBe(100);
    expect(() =>
      resolveRound("Borgo", "firstRound", f, [
        { comune: "Borgo", round: "firstRound", reason: "x", votes: { Nessuno: 1 } },
      ]),
    ).toThrow(/no candidate "Nessuno"/);
  });

  it("computes the shares where every candidate has votes, saying which changed; never a sole candidate's", () => {
    const all = { ...f, candidates: f.candidates.map((k, i) => ({ ...k, votes: [15868, 9000, 8448][i]! })) };
    const c = computeShares(all);
    expect(c.round.candidates.map((k) => k.percent)).toEqual([47.63, 27.01, 25.36]);
    expect(c.changed[0]).toBe(
      "Anna (Annina) Bianchi: share computed from the votes (33316 valid): 47.63 (research: 45)",
    );
    expect(computeShares(f).changed).toEqual([]);
    const sole = { ...f, candidates: [{ ...f.candidates[0]!, votes: 14536, percent: 91.51 }] };
    expect(computeShares(sole).round.candidates[0]!.percent).toBe(91.51);
  });

  it("a resolution's note for readers goes into the round's note, its reason into the provenance", () => {
    const c = convertComune(source(), "012345", [
      { comune: "Borgo", round: "firstRound", reason: "partial shares", readerNote: "Percentuali parziali." },
    ]);
    expect(c.firstRound.note).toBe("Percentuali parziali.");
    expect(c.firstRound.provenance.details).toContain("resolved: partial shares");
  });
});

const italian = (n: number) => (Number.isInteger(n) ? formatInteger(n) : String(n).replace(".", ","));

describe.runIf(HAVE_SOURCES)("the resolutions against the research", () => {
  const research = async () =>
    JSON.parse(await readFile(`${SOURCES}/capoluoghi-2017/capoluoghi-2017.json`, "utf8")) as SourceComune[];

  it("every figure a resolution puts in is one the research gives for that candidate", async () => {
    const all = await research();
    let checked = 0;
    for (const x of RESOLUTIONS) {
      const round = all.find((c) => c.name === x.comune)?.[x.round];
      expect(round, `${x.comune} ${x.round}`).toBeTruthy();
      for (const [name, value] of [...Object.entries(x.votes ?? {}), ...Object.entries(x.percent ?? {})]) {
        const k = round!.candidates.find((c) => c.name === name);
        expect(k, `${x.comune}: ${name}`).toBeDefined();
        if (value === null) continue;
        const text = [...(k!.conflicts ?? []), k!.note ?? ""].join(" ");
        expect(text, `${x.comune}: ${name}: ${value}`).toContain(italian(value));
        checked++;
      }
    }
    // Alessandria's five verified counts, Belluno's two candidate shares, Trapani's 8.732.
    expect(checked).toBe(8);
  });

  it("without them the research fails the consistency check where the audit found it; with them it passes", async () => {
    const all = await research();
    const national = JSON.parse(
      await readFile(`${SOURCES}/capoluoghi-2017/national-2017.json`, "utf8"),
    ) as SourceNational;
    const index = JSON.parse(await readFile("data/comuni.json", "utf8")).comuni;
    const rules = (await loadDataPack("data")).election.rules;
    const built = (resolutions: typeof RESOLUTIONS) =>
      build(all, national, index, resolutions).results.comuni.map((c) => Schema.parse(c));
    const failing = (resolutions: typeof RESOLUTIONS) =>
      resultsInconsistencies(built(resolutions), rules).map((i) => i.message.split(":")[0]);
    expect(new Set(failing([]))).toEqual(new Set(["Belluno", "Verona", "Pistoia", "Lecce", "Trapani"]));
    expect(failing(RESOLUTIONS)).toEqual([]);
    // Lodi's partial votes would pass, by replacing the final shares with their own: the resolution drops them.
    const gendarini = (resolutions: typeof RESOLUTIONS) =>
      built(resolutions).find((c) => c.name === "Lodi")!.firstRound.candidates[0]!;
    expect(gendarini([])).toMatchObject({ votes: 5703, percent: 30.64 });
    expect(gendarini(RESOLUTIONS)).toEqual(expect.objectContaining({ percent: 30.62 }));
    expect(gendarini(RESOLUTIONS).votes).toBeUndefined();
  });
});

describe.runIf(HAVE_SOURCES)("election.json's electors against the research", () => {
  it("keeps its own figure and gives each of the research's others, with their pages", async () => {
    const national = JSON.parse(await readFile(`${SOURCES}/capoluoghi-2017/national-2017.json`, "utf8")) as {
      electors: { values: Record<string, string>; sources: string[] };
    };
    const { election } = await loadDataPack("data");
    const others = election.provenance?.otherFigures?.voters ?? [];
    expect(others.map((o) => String(o.value)).sort()).toEqual(Object.keys(national.electors.values).sort());
    expect(Object.keys(national.electors.values)).not.toContain(String(election.voters));
    for (const o of others) for (const url of o.urls) expect(national.electors.sources).toContain(url);
  });
});
