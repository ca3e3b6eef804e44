import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DataPack, DataPackError, loadDataPack } from "../src/data/pack.js";
import { dayKey, formatTime } from "../src/format/italian.js";

const DATA = "data";
const ROME = "Europe/Rome";

let pack: DataPack;
beforeAll(async () => {
  pack = await loadDataPack(DATA);
});

const comune = (name: string) => {
  const c = pack.comuni.find((x) => x.name === name);
  if (!c) throw new Error(`${name} missing from the pack`);
  return c;
};

describe("the shipped data pack against its sources", () => {
  it("loads, with its five parts", () => {
    expect(pack.dir).toBe(DATA);
    expect(pack.known).toHaveLength(7978);
    expect(pack.comuni).toHaveLength(25);
    expect(pack.turnout.readings).toHaveLength(3);
    expect(pack.turnout.runoff?.readings).toHaveLength(3);
    expect(pack.bulletins).toHaveLength(6);
    expect(pack.index.size).toBe(7978);
    expect(pack.indexSource).toMatch(/^ISTAT, elenco dei comuni al luglio 2017/);
    expect(pack.indexSource).toContain("Ministero dell'Interno");
  });

  it("has the election's key figures, with their provenance", () => {
    const e = pack.election;
    expect(e.comuniVoting).toBe(1004);
    expect(e.capoluoghiVoting).toBe(25);
    expect(e.voters).toBe(9_172_026);
    expect(e.population).toBe(10_584_797);
    expect(e.runoffComuniVoting).toBe(111);
    expect(e.firstRoundDate).toBe("2017-06-11");
    expect(e.runoffDate).toBe("2017-06-25");
    expect(e.pollsOpen).toBe("07:00");
    expect(e.pollsClose).toBe("23:00");
    expect(e.timezone).toBe(ROME);
    // Only the 25 capoluoghi have results: the list of comuni voting is not complete.
    expect(e.votingListComplete).toBe(false);
    expect(e.votingComuni).toEqual([]);
    expect(e.provenance?.urls.length).toBeGreaterThan(0);
    expect(e.provenance?.status).toBe("final");
  });
});

describe("the comuni index (ISTAT, July 2017, joined to the Ministry's codes)", () => {
  const entry = (name: string, province: string) => {
    const c = pack.known.find((x) => x.name === name && x.province === province);
    if (!c) throw new Error(`${name} (${province}) missing from the index`);
    return c;
  };

  it("has every comune of ISTAT's list, once", () => {
    expect(new Set(pack.known.map((c) => c.istat)).size).toBe(7978);
    expect(new Set(pack.known.map((c) => c.region)).size).toBe(20);
  });

  it("joins the Ministry's electoral code through the ISTAT code: Genova is 070340250 (region 07, province 034)", () => {
    expect(entry("Genova", "GE")).toMatchObject({
      istat: "010025",
      provinceName: "Genova",
      region: "Liguria",
      eligendo: "070340250",
    });
    expect(entry("Monza", "MB")).toMatchObject({
      istat: "108033",
      provinceName: "Monza e della Brianza",
      eligendo: "031040330",
    });
    expect(entry("Palermo", "PA")).toMatchObject({ istat: "082053", region: "Sicilia" });
  });

  it("joins through the cadastral code where ISTAT renumbered the comune (Sardinia's provinces)", () => {
    expect(entry("Abbasanta", "OR")).toMatchObject({ istat: "095001", eligendo: "200950010" });
  });

  it("leaves the code out for a comune merged away since 2017", () => {
    expect(entry("Acquarica del Capo", "LE").eligendo).toBeUndefined();
    expect(pack.known.filter((c) => c.eligendo === undefined)).toHaveLength(136);
  });

  it("finds a comune by its ISTAT code, its Ministry code or its name's key (buttons, the feed's discovery)", () => {
    expect(pack.byKey("010025")?.name).toBe("Genova");
    expect(pack.byKey("070340250")?.name).toBe("Genova");
    expect(pack.byKey("laquila")?.name).toBe("L'Aquila");
    expect(pack.byKey("aquila")?.name).toBe("L'Aquila");
    expect(pack.byKey("000000")).toBeUndefined();
  });

  it("keeps homonyms apart, labelled with their province", () => {
    expect(entry("Castro", "BG").label).toBe("Castro (BG)");
    expect(entry("Castro", "LE").label).toBe("Castro (LE)");
    expect(entry("Genova", "GE").label).toBe("Genova");
  });
});

/**
 * Each capoluogo against capoluoghi-2017.json: ISTAT code, first-round turnout, the first-ranked
 * candidate's figures, who was elected at the first round, the runoff's winner with share and votes,
 * the runoff's turnout. null where the source has no figure.
 */
const CAPOLUOGHI: [
  name: string,
  istat: string,
  turnout: number,
  first: [candidate: string, votes: number | null, percent: number],
  electedAtFirstRound: string | null,
  runoff: [winner: string | null, percent: number | null, votes: number | null] | null,
  runoffTurnout: number | null,
][] = [
  [
    "Alessandria",
    "006003",
    54.9,
    ["Maria Rita Rossa", 12821, 31.94],
    null,
    ["Gianfranco Cuttica di Revigliasco", 55.68, 18762],
    45.71,
  ],
  ["Asti", "005005", 57.49, ["Maurizio Rasero", 15868, 47.67], null, ["Maurizio Rasero", 54.9, 13218], 41.7],
  ["Cuneo", "004078", 58.76, ["Federico Borgna", null, 59.65], "Federico Borgna", null, null],
  ["Como", "013075", 49.12, ["Mario Landriscina", null, 34.73], null, ["Mario Landriscina", 52.68, null], 35.82],
  ["Lodi", "098031", 60.18, ["Carlo Gendarini", 5703, 30.62], null, ["Sara Casanova", 56.9, null], 51.35],
  ["Monza", "108033", 51.89, ["Roberto Scanagatti", 19379, 39.91], null, ["Dario Allevi", 51.33, 21869], 45.24],
  ["Belluno", "025006", 50.26, ["Jacopo Massaro", 7555, 46.19], null, ["Jacopo Massaro", 63.15, 8511], 41.17],
  ["Padova", "028060", 60.77, ["Massimo Bitonci", 39413, 40.25], null, ["Sergio Giordani", 51.84, null], 57.03],
  ["Verona", "023091", 58.93, ["Federico Sboarina", 33440, 29.26], null, ["Federico Sboarina", 58.11, 46962], 42.3],
  ["Gorizia", "031007", 57.9, ["Rodolfo Ziberna", 8543, 49.88], null, ["Rodolfo Ziberna", 59.79, 7774], 44.01],
  ["Genova", "010025", 48.39, ["Marco Bucci", 88781, 38.8], null, ["Marco Bucci", 55.24, null], null],
  [
    "La Spezia",
    "011015",
    55.35,
    ["Pierluigi Peracchini", 13187, 32.61],
    null,
    ["Pierluigi Peracchini", 59.98, null],
    46.5,
  ],
  ["Parma", "034027", 53.65, ["Federico Pizzarotti", 26496, 34.78], null, ["Federico Pizzarotti", 57.87, 37157], 45.18],
  ["Piacenza", "033032", 56.39, ["Patrizia Barbieri", 14625, 34.78], null, ["Patrizia Barbieri", 58.54, 20500], 46.96],
  [
    "Lucca",
    "046017",
    49.35,
    ["Alessandro Tambellini", 13922, 37.48],
    null,
    ["Alessandro Tambellini", 50.52, 17453],
    null,
  ],
  ["Pistoia", "047014", 55.62, ["Samuele Bertinelli", null, 37.53], null, ["Alessandro Tomasi", 54.28, 19049], 49.51],
  ["Frosinone", "060038", 72.48, ["Nicola Ottaviani", 15038, 56.39], "Nicola Ottaviani", null, null],
  ["Rieti", "057059", 72.45, ["Antonio Cicchetti", 13138, 47.29], null, ["Antonio Cicchetti", 50.2, 12660], 64.14],
  ["L'Aquila", "066049", 67.77, ["Americo Di Benedetto", null, 47.01], null, ["Pierluigi Biondi", 53.52, 16410], 52.08],
  ["Lecce", "075035", 70.16, ["Mauro Giliberti", 23887, 45.22], null, ["Carlo Salvemini", 54.76, 22050], 52.75],
  ["Taranto", "073027", 58.51, ["Stefania Baldassari", null, 22.27], null, ["Rinaldo Melucci", 50.91, 26913], 32.87],
  ["Catanzaro", "079023", 72.44, ["Sergio Abramo", null, 39.72], null, ["Sergio Abramo", 64.39, 21963], 47.04],
  ["Oristano", "095038", 61.94, ["Andrea Lutzu", 4955, 29.6], null, ["Andrea Lutzu", 65.29, null], 43.91],
  ["Palermo", "082053", 52.6, ["Leoluca Orlando", 125913, 46.28], "Leoluca Orlando", null, null],
  ["Trapani", "081021", 58.94, ["Girolamo (Mimmo) Fazio", 10566, 31.79], null, [null, null, null], 26.75],
];

describe("the 25 capoluoghi of 2017 against capoluoghi-2017.json", () => {
  it("are exactly the 25 of the source, in its order, all capoluoghi joined to the index", () => {
    expect(pack.comuni.map((c) => c.name)).toEqual(CAPOLUOGHI.map(([n]) => n));
    for (const c of pack.comuni) {
      expect(c.capoluogo, c.name).toBe(true);
      expect(c.results.capoluogo, c.name).toBe(true);
      expect(c.eligendo, c.name).toMatch(/^\d{9}$/);
      expect(c.voting, c.name).toBe(true);
    }
  });

  it.each(CAPOLUOGHI)("%s", (name, istat, turnout, [top, votes, percent], elected, runoff, runoffTurnout) => {
    const c = comune(name);
    expect(c.istat).toBe(istat);
    expect(c.results.istat).toBe(istat);
    const f = c.results.firstRound;
    expect(f.date).toBe("2017-06-11");
    expect(f.turnoutPercent).toBe(turnout);
    const k = f.candidates[0]!;
    expect(k.name).toBe(top);
    expect(k.percent).toBe(percent);
    expect(k.votes).toBe(votes ?? undefined);
    if (elected) {
      expect(f.outcome).toEqual({ kind: "elected", candidate: elected });
      expect(f.candidates.find((x) => x.elected)?.name).toBe(elected);
      expect(c.results.runoff).toBeUndefined();
    } else {
      expect(f.candidates.some((x) => x.elected)).toBe(false);
    }
    if (!runoff) return;
    const r = c.results.runoff!;
    expect(r.date).toBe("2017-06-25");
    expect(r.turnoutPercent).toBe(runoffTurnout ?? undefined);
    const [winner, share, won] = runoff;
    if (winner === null) {
      expect(r.outcome?.kind).toBe("void");
      return;
    }
    expect(r.outcome).toEqual({ kind: "elected", candidate: winner });
    const w = r.candidates.find((x) => x.name === winner)!;
    expect(w.elected).toBe(true);
    expect(w.percent).toBe(share);
    expect(w.votes).toBe(won ?? undefined);
    expect(r.candidates).toHaveLength(2);
    // The two runoff candidates are the first round's pair.
    if (f.outcome?.kind === "runoff")
      expect([...f.outcome.candidates].sort()).toEqual(r.candidates.map((x) => x.name).sort());
  });

  it("every candidate of the source, with no figure the source lacks", () => {
    const counts = Object.fromEntries(pack.comuni.map((c) => [c.name, c.results.firstRound.candidates.length]));
    expect(counts).toEqual({
      Alessandria: 8,
      Asti: 8,
      Cuneo: 7,
      Como: 7,
      Lodi: 7,
      Monza: 7,
      Belluno: 7,
      Padova: 7,
      Verona: 9,
      Gorizia: 9,
      Genova: 9,
      "La Spezia": 12,
      Parma: 10,
      Piacenza: 7,
      Lucca: 8,
      Pistoia: 9,
      Frosinone: 6,
      Rieti: 5,
      "L'Aquila": 7,
      Lecce: 6,
      Taranto: 10,
      Catanzaro: 4,
      Oristano: 6,
      Palermo: 6,
      Trapani: 5,
    });
    const all = pack.comuni.flatMap((c) => [
      ...c.results.firstRound.candidates,
      ...(c.results.runoff?.candidates ?? []),
    ]);
    expect(all).toHaveLength(186 + 43);
    // The source has 103 first-round and 32 runoff vote counts, 184 and 43 shares.
    expect(all.filter((k) => k.votes !== undefined)).toHaveLength(103 + 32);
    expect(all.filter((k) => k.percent !== undefined)).toHaveLength(184 + 43);
    for (const k of all) expect(k.votes !== undefined || k.percent !== undefined, k.name).toBe(true);
  });

  it("every round says where its figures come from: publishers, pages, final", () => {
    for (const c of pack.comuni) {
      for (const r of [c.results.firstRound, c.results.runoff]) {
        if (!r) continue;
        expect(r.provenance.status, c.name).toBe("final");
        expect(r.provenance.urls.length, c.name).toBeGreaterThan(0);
        for (const u of r.provenance.urls)
          expect(r.provenance.source, `${c.name} ${u}`).toContain(new URL(u).hostname.replace(/^www\./, ""));
      }
      expect(c.results.firstRound.turnoutProvenance?.urls.length, c.name).toBeGreaterThan(0);
      expect(c.results.firstRound.provenance.note, c.name).toBeDefined();
    }
  });

  it("conflicts between sources are kept as details, the stored value used (Lecce: 23.887 over 23.559)", () => {
    const lecce = comune("Lecce").results.firstRound;
    expect(lecce.candidates[0]!.votes).toBe(23887);
    expect(lecce.provenance.details?.join("\n")).toContain("23.559");
    const alessandria = comune("Alessandria").results.firstRound;
    expect(alessandria.provenance.details).toContain(
      "Maria Rita Rossa: official figures after check of verbali (ilpiccolo.net 16/06, single source): 12.838 votes",
    );
  });

  it("Genova lists all nine candidates; the runoff has shares but no votes or turnout, as the source", () => {
    const g = comune("Genova").results;
    expect(g.firstRound.candidates.map((k) => k.name)).toEqual([
      "Marco Bucci",
      "Gianni (Giovanni) Crivello",
      "Luca Pirondini",
      "Paolo Putti",
      "Arcangelo Merella",
      "Marika Cassimatis",
      "Cinzia Ronzitti",
      "Marco Mori",
      "Stefano Arrighi",
    ]);
    expect(g.firstRound.candidates[1]).toMatchObject({ votes: 76407, percent: 33.39 });
    expect(g.firstRound.previousTurnoutPercent).toBe(55.57);
    expect(g.runoff?.candidates.map((k) => [k.name, k.percent, k.votes])).toEqual([
      ["Marco Bucci", 55.24, undefined],
      ["Gianni (Giovanni) Crivello", 44.76, undefined],
    ]);
    expect(g.runoff?.turnoutPercent).toBeUndefined();
  });
});

describe("the special cases, as facts", () => {
  it("Palermo: Orlando elected at the first round with 46,28% (125.913 votes), Ferrandelli second with 31,19%", () => {
    const p = comune("Palermo").results;
    expect(p.region).toBe("Sicilia");
    expect(p.populationBand).toBe("oltre-15000");
    expect(p.firstRound.candidates.slice(0, 3).map((k) => [k.name, k.percent])).toEqual([
      ["Leoluca Orlando", 46.28],
      ["Fabrizio Ferrandelli", 31.19],
      ["Ugo Forello", 16.27],
    ]);
    expect(p.firstRound.candidates[0]!.votes).toBe(125913);
    expect(p.runoff).toBeUndefined();
  });

  it("Cuneo and Frosinone: elected at the first round, no population band the sources give", () => {
    for (const name of ["Cuneo", "Frosinone"]) {
      expect(comune(name).results.populationBand, name).toBeUndefined();
      expect(comune(name).results.runoff, name).toBeUndefined();
    }
  });

  it("Gorizia: Friuli-Venezia Giulia's region, Ziberna 22 votes short of the majority, elected at the runoff", () => {
    const g = comune("Gorizia").results;
    expect(g.region).toBe("Friuli-Venezia Giulia");
    expect(pack.election.rules.regions[g.region]).toBeDefined();
    expect(g.firstRound.note).toContain("22 voti");
    expect(g.runoff?.outcome).toEqual({ kind: "elected", candidate: "Rodolfo Ziberna" });
  });

  it("Asti: after the recount Cerruti (5.099) is six votes ahead of Motta (5.093) and goes to the runoff", () => {
    const a = comune("Asti").results;
    const votes = Object.fromEntries(a.firstRound.candidates.map((k) => [k.name, k.votes]));
    expect(votes["Massimo Cerruti"]).toBe(5099);
    expect(votes["Angela Motta"]).toBe(5093);
    expect(a.firstRound.outcome).toEqual({ kind: "runoff", candidates: ["Maurizio Rasero", "Massimo Cerruti"] });
    expect(a.firstRound.note).toContain("6 voti");
    expect(a.runoff?.candidates.map((k) => k.name)).toEqual(["Maurizio Rasero", "Massimo Cerruti"]);
  });

  it("Trapani: the runoff had one candidate and missed its quorum: void, no mayor", () => {
    const t = comune("Trapani").results;
    expect(t.firstRound.outcome).toBeUndefined();
    expect(t.firstRound.note).toContain("Fazio");
    expect(t.runoff?.candidates).toEqual([
      {
        name: "Pietro (Piero) Savona",
        coalition: "centrosinistra (unico candidato)",
        votes: 14536,
        percent: 91.51,
        lists: [],
      },
    ]);
    expect(t.runoff?.turnoutPercent).toBe(26.75);
    expect(t.runoff?.outcome?.kind).toBe("void");
    expect(t.runoff?.outcome?.kind === "void" && t.runoff.outcome.note).toContain("commissario");
  });
});

describe("national turnout against national-2017.json", () => {
  it("first round: 19,36% at 12, 42,35% at 19, 60,07% at 23 over 849 comuni, against 13%, 37,7%, 66,85%", () => {
    expect(pack.turnout.readings.map((r) => [r.at, r.percent, r.previousPercent, r.final])).toEqual([
      ["12:00", 19.36, 13, false],
      ["19:00", 42.35, 37.7, false],
      ["23:00", 60.07, 66.85, true],
    ]);
    for (const r of pack.turnout.readings) {
      expect(r.coverage).toMatch(/^849 comuni/);
      expect(r.provenance).toMatchObject({ source: "Ministero dell'Interno", status: "final" });
      expect(r.provenance?.urls.length).toBeGreaterThan(0);
    }
  });

  it("runoff: 14,9% at 12, 31,4% at 19, 46,03% at 23 over 103 comuni, against the first round's 18,65% and 40,66%", () => {
    expect(pack.turnout.runoff?.readings.map((r) => [r.at, r.percent, r.firstRoundPercent, r.final])).toEqual([
      ["12:00", 14.9, 18.65, false],
      ["19:00", 31.4, 40.66, false],
      ["23:00", 46.03, undefined, true],
    ]);
    for (const r of pack.turnout.runoff!.readings) {
      expect(r.coverage).toMatch(/^103 comuni/);
      expect(r.provenance?.status).toBe("final");
    }
  });
});

describe("the night's bulletins, as they were said", () => {
  const bulletinFigures: [time: string, day: string, figures: (string | RegExp)[]][] = [
    ["12:15", "2017-06-11", ["311 comuni su 849", "15%"]],
    ["12:55", "2017-06-11", ["19,36%", "ore 12"]],
    ["19:55", "2017-06-11", ["42,35%", "ore 19"]],
    [
      "23:15",
      "2017-06-11",
      ["61,5%", "67%", "Genova", "Verona", "Parma", "Pizzarotti", "Scarpa", "Palermo", "Orlando", "Forello"],
    ],
    ["00:45", "2017-06-12", ["Palermo", "40%", /15(\.000|mila)/, "5 regioni"]],
    [
      "11:45",
      "2017-06-12",
      [
        "38,8%",
        "33,39%",
        "29,26%",
        "23,54%",
        "34,78%",
        "32,73%",
        "47,04%",
        "35,8%",
        "40,07%",
        "31,24%",
        "46,08%",
        "25 giugno",
      ],
    ],
  ];

  it("has the six bulletins, oldest first, at the source's Rome times", () => {
    expect(
      pack.bulletins.map(
        (b) => `${dayKey(new Date(b.publishedAt), ROME)} ${formatTime(new Date(b.publishedAt), ROME)}`,
      ),
    ).toEqual(bulletinFigures.map(([t, d]) => `${d} ${t}`));
    expect(new Set(pack.bulletins.map((b) => b.id)).size).toBe(6);
  });

  it.each(bulletinFigures)("the %s bulletin carries its paragraph's figures", (time, _day, figures) => {
    const b = pack.bulletins.find((x) => formatTime(new Date(x.publishedAt), ROME) === time)!;
    for (const f of figures) {
      if (typeof f === "string") expect(b.text, time).toContain(f);
      else expect(b.text, time).toMatch(f);
    }
    // Italian decimals only: no "38.8%"
    expect(b.text).not.toMatch(/\d\.\d{1,2}%/);
  });

  it("bulletins name their comuni by the pack's names, kept by their codes", () => {
    const last = pack.bulletins[pack.bulletins.length - 1]!;
    const names = (codes: readonly string[]) => codes.map((c) => pack.byKey(c)!.name);
    expect(last.comuni).toEqual(["010025", "023091", "034027", "066049", "079023", "082053"]);
    expect(names(last.comuni)).toEqual(["Genova", "Verona", "Parma", "L'Aquila", "Catanzaro", "Palermo"]);
    const national = pack.bulletins.filter((b) => b.comuni.length === 0);
    expect(national).toHaveLength(3);
  });
});

// ---------------------------------------------------------------------------
// Invalid packs
// ---------------------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: test fixtures are edited as free-form JSON
type Json = Record<string, any>;

const FILES = ["election.json", "comuni.json", "turnout.json", "results.json", "bulletins.json"] as const;
const tmpDirs: string[] = [];

async function copyPack(files: readonly (typeof FILES)[number][] = FILES): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "elezioni-pack-"));
  tmpDirs.push(dir);
  for (const f of files) await writeFile(path.join(dir, f), await readFile(path.join(DATA, f)));
  return dir;
}

async function edit(dir: string, file: (typeof FILES)[number], change: (j: Json) => void): Promise<void> {
  const p = path.join(dir, file);
  const j = JSON.parse(await readFile(p, "utf8")) as Json;
  change(j);
  await writeFile(p, JSON.stringify(j, null, 2));
}

async function packError(dir: string): Promise<DataPackError> {
  const err = await loadDataPack(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataPackError);
  return err as DataPackError;
}

afterEach(async () => {
  await Promise.all(tmpDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Index in results.json of a capoluogo. */
const at = (name: string) => CAPOLUOGHI.findIndex(([n]) => n === name);

describe("packs with some files only", () => {
  it("election.json alone is a valid pack: an election before its night", async () => {
    const dir = await copyPack(["election.json"]);
    const p = await loadDataPack(dir);
    expect(p.comuni).toEqual([]);
    expect(p.known).toEqual([]);
    expect(p.turnout.readings).toEqual([]);
    expect(p.bulletins).toEqual([]);
    expect(p.indexSource).toBeUndefined();
    expect(p.search("Genova")).toEqual({ kind: "not-found", suggestions: [] });
  });

  it("election.json and the index: every comune known, none with results", async () => {
    const p = await loadDataPack(await copyPack(["election.json", "comuni.json"]));
    expect(p.known).toHaveLength(7978);
    expect(p.comuni).toEqual([]);
    expect(p.search("Genova")).toMatchObject({ kind: "comune", comune: { name: "Genova", voting: false } });
  });

  it("results without the index: the comuni with results are known, from their results", async () => {
    const p = await loadDataPack(await copyPack(["election.json", "results.json", "bulletins.json"]));
    expect(p.known).toHaveLength(25);
    expect(p.comuni).toHaveLength(25);
    const genova = p.known.find((c) => c.name === "Genova");
    expect(genova).toMatchObject({ istat: "010025", province: "GE", region: "Liguria" });
    expect(genova).not.toHaveProperty("provinceName");
    expect(genova).not.toHaveProperty("eligendo");
  });

  it("without election.json there is no pack", async () => {
    const dir = await copyPack(["results.json"]);
    const err = await packError(dir);
    expect(err.issues).toEqual([{ file: "election.json", path: "", message: "file mancante" }]);
  });

  it("a directory that does not exist: election.json is missing", async () => {
    const err = await packError(path.join(os.tmpdir(), `elezioni-pack-does-not-exist-${process.pid}`));
    expect(err.issues).toEqual([{ file: "election.json", path: "", message: "file mancante" }]);
  });

  it("the comuni voting listed in election.json are known to be voting; a code the index lacks is reported", async () => {
    const dir = await copyPack(["election.json", "comuni.json"]);
    await edit(dir, "election.json", (j) => {
      j.votingComuni = ["108033"];
      j.votingListComplete = true;
    });
    const p = await loadDataPack(dir);
    expect(p.known.find((c) => c.name === "Monza")?.voting).toBe(true);
    expect(p.known.find((c) => c.name === "Genova")?.voting).toBe(false);
    await edit(dir, "election.json", (j) => {
      j.votingComuni = ["108033", "999999"];
    });
    expect((await packError(dir)).issues).toEqual([
      { file: "election.json", path: "votingComuni[1]", message: "codice ISTAT 999999 assente da comuni.json" },
    ]);
  });
});

describe("invalid packs", () => {
  it("a copy of the shipped pack loads (the fixture itself is sound)", async () => {
    const dir = await copyPack();
    const p = await loadDataPack(dir);
    expect(p.comuni.length).toBe(pack.comuni.length);
    expect(p.known.length).toBe(pack.known.length);
  });

  it("broken JSON", async () => {
    const dir = await copyPack();
    await writeFile(path.join(dir, "results.json"), '{"comuni": [ {"name": "Genova", } ');
    const err = await packError(dir);
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ file: "results.json", path: "" });
    expect(err.issues[0]!.message).toMatch(/^JSON non valido/);
    expect(err.message).toMatch(/^results\.json: /);
  });

  it("a percentage of 120", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[0].firstRound.candidates[0].percent = 120;
    });
    const err = await packError(dir);
    const issue = err.issues.find((i) => i.path === "comuni[0].firstRound.candidates[0].percent");
    expect(issue?.file).toBe("results.json");
    expect(err.message).toContain("results.json: comuni[0].firstRound.candidates[0].percent: ");
  });

  it("shares that add up to well over 100", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[0].firstRound.candidates[1].percent = 83.8;
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      {
        file: "results.json",
        path: "comuni[0].firstRound.candidates",
        message: "le percentuali sommano a 153,54, oltre 100",
      },
    ]);
  });

  it("negative votes, a runoff with three candidates, a round without candidates", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[0].firstRound.candidates[2].votes = -5;
      j.comuni[0].runoff.candidates.push({ name: "Michelangelo Serra", percent: 1 });
      j.comuni[1].firstRound.candidates = [];
    });
    const paths = (await packError(dir)).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "comuni[0].firstRound.candidates[2].votes",
        "comuni[0].runoff.candidates",
        "comuni[1].firstRound.candidates",
      ]),
    );
  });

  it("a turnout percentage out of range names its reading", async () => {
    const dir = await copyPack();
    await edit(dir, "turnout.json", (j) => {
      j.readings[2].percent = -1;
      j.runoff.readings[0].at = "06:00";
    });
    const err = await packError(dir);
    expect(err.message).toContain("turnout.json: readings[2].percent: ");
  });

  it("a runoff reading outside polling hours", async () => {
    const dir = await copyPack();
    await edit(dir, "turnout.json", (j) => {
      j.runoff.readings[0].at = "06:00";
    });
    expect((await packError(dir)).issues).toEqual([
      { file: "turnout.json", path: "runoff.readings[0].at", message: "fuori dall'orario dei seggi (07:00–23:00)" },
    ]);
  });

  it("a wrong date format", async () => {
    const dir = await copyPack();
    await edit(dir, "election.json", (j) => {
      j.firstRoundDate = "11/06/2017";
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      { file: "election.json", path: "firstRoundDate", message: expect.stringContaining("AAAA-MM-GG") },
    ]);
    expect(err.message).toBe(`election.json: firstRoundDate: ${err.issues[0]!.message}`);
  });

  it.each([
    ["runoffDate", "2017-06-31"],
    ["runoffDate", "2017-13-01"],
    ["firstRoundDate", "2017-02-29"],
  ])("a date that does not exist (%s %s)", async (field, day) => {
    const dir = await copyPack();
    await edit(dir, "election.json", (j) => {
      j[field] = day;
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      { file: "election.json", path: field, message: expect.stringContaining("AAAA-MM-GG") },
    ]);
  });

  it("a regional rule with a share over 100 and a quorum without its turnout", async () => {
    const dir = await copyPack();
    await edit(dir, "election.json", (j) => {
      j.rules.regions.Sicilia.firstRoundPercent = 140;
      delete j.rules.regions.Sicilia.singleCandidateRunoff.minTurnoutPercent;
    });
    const paths = (await packError(dir)).issues.map((i) => `${i.file}: ${i.path}`);
    expect(paths.sort()).toEqual([
      "election.json: rules.regions.Sicilia.firstRoundPercent",
      "election.json: rules.regions.Sicilia.singleCandidateRunoff.minTurnoutPercent",
    ]);
  });

  it("a publication time without a time zone", async () => {
    const dir = await copyPack();
    await edit(dir, "bulletins.json", (j) => {
      j.bulletins[1].publishedAt = "2017-06-11 12:55";
    });
    const err = await packError(dir);
    expect(err.message).toContain("bulletins.json: bulletins[1].publishedAt: ");
  });

  it("a bulletin naming an unknown comune, or a name two comuni share", async () => {
    const dir = await copyPack();
    await edit(dir, "bulletins.json", (j) => {
      j.bulletins[3].comuni.push("Atlantide", "Castro");
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      { file: "bulletins.json", path: "bulletins[3].comuni[4]", message: 'comune "Atlantide" sconosciuto' },
      {
        file: "bulletins.json",
        path: "bulletins[3].comuni[5]",
        message: '"Castro" indica più comuni (Castro (BG), Castro (LE))',
      },
    ]);
  });

  it("a bulletin may name any known comune, by alias or with other spelling", async () => {
    const dir = await copyPack();
    await edit(dir, "bulletins.json", (j) => {
      j.bulletins[3].comuni.push("Aquila", "GENOVA", "monza");
    });
    const p = await loadDataPack(dir);
    expect(p.bulletins.find((b) => b.id === "chiusura-seggi")!.comuni.map((c) => p.byKey(c)!.name)).toEqual([
      "Genova",
      "Verona",
      "Parma",
      "Palermo",
      "L'Aquila",
      "Monza",
    ]);
  });

  it("a duplicate comune", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni.push({ ...j.comuni[at("Verona")], name: "VERONA" });
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      {
        file: "results.json",
        path: "comuni[25].name",
        message: `comune ripetuto: "VERONA" è Verona, già all'indice ${at("Verona")}`,
      },
    ]);
  });

  it("two comuni whose names fold to the same key, in one province", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      const { istat: _, ...genova } = j.comuni[at("Genova")];
      j.comuni.push({ ...genova, name: "Ge-nova" });
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      { file: "results.json", path: "comuni[25].name", message: expect.stringContaining("Genova") },
    ]);
  });

  it("results that do not match the index: ISTAT code, name, province, region", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[0].istat = "999999";
      j.comuni[1].name = "Asti Nuova";
      j.comuni[2].province = "TO";
      j.comuni[3].region = "Piemonte";
    });
    expect((await packError(dir)).issues).toEqual([
      { file: "results.json", path: "comuni[0].istat", message: "codice ISTAT 999999 assente da comuni.json" },
      {
        file: "results.json",
        path: "comuni[1].name",
        message: '"Asti Nuova" non è il nome del comune 005005 in comuni.json (Asti)',
      },
      { file: "results.json", path: "comuni[2].province", message: "TO, ma comuni.json mette Cuneo in provincia CN" },
      { file: "results.json", path: "comuni[3].region", message: "Piemonte, ma comuni.json mette Como in Lombardia" },
    ]);
  });

  it("an alias that is another comune's name", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[at("Genova")].aliases = ["Savona"];
    });
    expect((await packError(dir)).issues).toEqual([
      { file: "results.json", path: `comuni[${at("Genova")}].aliases[0]`, message: '"Savona" si confonde con Savona' },
    ]);
  });

  it("an elected outcome naming someone who is not a candidate", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[at("Palermo")].firstRound.outcome.candidate = "Fabrizio Ferandelli";
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      {
        file: "results.json",
        path: `comuni[${at("Palermo")}].firstRound.outcome.candidate`,
        message: '"Fabrizio Ferandelli" non è tra i candidati',
      },
      {
        file: "results.json",
        path: `comuni[${at("Palermo")}].firstRound.candidates[0].elected`,
        message: "eletto secondo il candidato, ma l'esito del turno dice altro (elected)",
      },
    ]);
  });

  it("a runoff naming someone who is not a candidate", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[at("Genova")].firstRound.outcome.candidates[1] = "Luca Pirondinni";
    });
    const err = await packError(dir);
    expect(err.message).toContain(`results.json: comuni[${at("Genova")}].firstRound.outcome.candidates[1]: `);
    expect(err.message).toContain("Luca Pirondinni");
  });

  it("a runoff between a candidate and himself", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[at("Genova")].firstRound.outcome.candidates = ["Marco Bucci", "Marco Bucci"];
    });
    const err = await packError(dir);
    expect(err.issues).toContainEqual({
      file: "results.json",
      path: `comuni[${at("Genova")}].firstRound.outcome.candidates[1]`,
      message: expect.any(String),
    });
  });

  it("a runoff candidate who did not run, or was not in the pair; a runoff before the first round", async () => {
    const dir = await copyPack();
    const g = at("Genova");
    await edit(dir, "results.json", (j) => {
      j.comuni[g].runoff.candidates[1].name = "Luca Pirondini";
      j.comuni[at("Verona")].runoff.candidates[1].name = "Nessuno";
      j.comuni[at("Parma")].runoff.date = "2017-06-04";
    });
    expect((await packError(dir)).issues).toEqual(
      expect.arrayContaining([
        {
          file: "results.json",
          path: `comuni[${g}].runoff.candidates[1].name`,
          message: '"Luca Pirondini" non è tra i due ammessi al ballottaggio dal primo turno',
        },
        {
          file: "results.json",
          path: `comuni[${at("Verona")}].runoff.candidates[1].name`,
          message: '"Nessuno" non è tra i candidati del primo turno',
        },
        {
          file: "results.json",
          path: `comuni[${at("Parma")}].runoff.date`,
          message: "il ballottaggio segue il primo turno",
        },
      ]),
    );
  });

  it("a runoff after an election at the first round, in a comune up to 15,000", async () => {
    const dir = await copyPack();
    const p = at("Palermo");
    await edit(dir, "results.json", (j) => {
      const c = j.comuni[p];
      c.populationBand = "fino-15000";
      c.runoff = { ...j.comuni[at("Genova")].runoff, candidates: [{ name: "Leoluca Orlando", percent: 100 }] };
      delete c.runoff.outcome;
    });
    expect((await packError(dir)).issues).toEqual([
      {
        file: "results.json",
        path: `comuni[${p}].populationBand`,
        message: "un comune che va al ballottaggio non è nella fascia fino-15000",
      },
      {
        file: "results.json",
        path: `comuni[${p}].runoff`,
        message: "un ballottaggio dopo l'elezione al primo turno di Leoluca Orlando",
      },
    ]);
  });

  it("a round without provenance, or with an unknown status", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      delete j.comuni[0].firstRound.provenance;
      j.comuni[1].runoff.provenance.status = "quasi";
    });
    const paths = (await packError(dir)).issues.map((i) => i.path);
    expect(paths).toEqual(["comuni[0].firstRound.provenance", "comuni[1].runoff.provenance.status"]);
  });

  it("an index with a bad code, a repeated code, a lowercase province", async () => {
    const dir = await copyPack(["election.json", "comuni.json"]);
    await edit(dir, "comuni.json", (j) => {
      j.comuni[0].istat = "28001";
      j.comuni[2].province = "lc";
      j.comuni[3].eligendo = "12345";
    });
    const issues = (await packError(dir)).issues;
    expect(issues.map((i) => `${i.file}: ${i.path}`)).toEqual([
      "comuni.json: comuni[0].istat",
      "comuni.json: comuni[2].province",
      "comuni.json: comuni[3].eligendo",
    ]);
    await edit(dir, "comuni.json", (j) => {
      j.comuni[0].istat = "028001";
      j.comuni[2].province = "LC";
      j.comuni[3].eligendo = "520010001";
      j.comuni[5].istat = j.comuni[4].istat;
    });
    expect((await packError(dir)).issues).toEqual([
      { file: "comuni.json", path: "comuni[5].istat", message: `codice ISTAT ripetuto (${pack.known[4]!.istat})` },
    ]);
  });

  it("reports every problem of every file at once", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[2].firstRound.candidates[1].coalition = " ";
      j.comuni[3].province = "co";
    });
    await edit(dir, "election.json", (j) => {
      j.pollsOpen = "7";
    });
    const err = await packError(dir);
    const lines = err.message.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^results\.json: comuni\[2\]\.firstRound\.candidates\[1\]\.coalition: /),
        expect.stringMatching(/^results\.json: comuni\[3\]\.province: /),
        expect.stringMatching(/^election\.json: pollsOpen: /),
      ]),
    );
  });
});

describe("validate-data CLI", () => {
  const tsx = path.join("node_modules", ".bin", "tsx");
  const run = (dir: string) => spawnSync(tsx, ["src/validate-data.ts", dir], { encoding: "utf8", timeout: 15_000 });

  it("exits 0 on the shipped pack", () => {
    const r = run(DATA);
    expect(r.error).toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("valido");
    expect(r.stdout).toContain(
      "25 comuni con risultati su 7.978 nell'elenco dei comuni, 6 rilevazioni di affluenza, 6 bollettini",
    );
    expect(r.stdout).not.toContain("avviso");
  });

  it("exits non-zero on a broken pack, printing the file and field", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[0].firstRound.candidates[0].percent = 120;
    });
    const r = run(dir);
    expect(r.error).toBeUndefined();
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stderr).toContain("results.json: comuni[0].firstRound.candidates[0].percent: ");
  });
});
