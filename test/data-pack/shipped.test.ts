import { beforeAll, describe, expect, it } from "vitest";
import { type DataPack, loadDataPack } from "../../src/data/pack.js";
import { dayKey, formatPercent, formatTime } from "../../src/format/italian.js";

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

  it("knows the legal population (2011 census) of 7.858 of the 7.978 comuni; the 120 merged away since have none", () => {
    expect(pack.known.filter((c) => c.population !== undefined)).toHaveLength(7858);
    expect(entry("Genova", "GE").population).toBe(586_180);
    expect(entry("Cuneo", "CN").population).toBe(55_013);
    expect(entry("Frosinone", "FR").population).toBe(46_649);
    // Renumbered by ISTAT (Sardinia's provinces): joined through the cadastral code.
    expect(entry("Abbasanta", "OR").population).toBeGreaterThan(0);
    expect(entry("Acquarica del Capo", "LE").population).toBeUndefined();
  });

  it("offers, among equally close names, the larger place first", () => {
    const names = (q: string) => {
      const r = pack.search(q);
      return r.kind === "ambiguous" || r.kind === "not-found" ? r.suggestions.map((c) => c.name) : [];
    };
    // Two edits from each: Cassino (33.658), Fossano (24.710), Ceccano (23.098); not in the index's order.
    expect(names("Cessano")).toEqual(["Cassino", "Fossano", "Ceccano"]);
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
    ["Maria Rita Rossa", 12838, 31.98],
    null,
    ["Gianfranco Cuttica di Revigliasco", 55.68, 18762],
    45.71,
  ],
  ["Asti", "005005", 57.49, ["Maurizio Rasero", 15868, 47.63], null, ["Maurizio Rasero", 54.9, 13218], 41.7],
  ["Cuneo", "004078", 58.76, ["Federico Borgna", null, 59.65], "Federico Borgna", null, null],
  ["Como", "013075", 49.12, ["Mario Landriscina", null, 34.73], null, ["Mario Landriscina", 52.68, null], 35.82],
  ["Lodi", "098031", 60.18, ["Carlo Gendarini", null, 30.62], null, ["Sara Casanova", 56.9, null], 51.35],
  ["Monza", "108033", 51.89, ["Roberto Scanagatti", 19379, 39.92], null, ["Dario Allevi", 51.33, 21869], 45.24],
  ["Belluno", "025006", 50.26, ["Jacopo Massaro", 7555, 46.14], null, ["Jacopo Massaro", 63.15, 8511], 41.17],
  ["Padova", "028060", 60.77, ["Massimo Bitonci", 39413, 40.25], null, ["Sergio Giordani", 51.84, null], 57.03],
  ["Verona", "023091", 58.93, ["Federico Sboarina", null, 29.26], null, ["Federico Sboarina", 58.11, 46962], 42.3],
  ["Gorizia", "031007", 57.9, ["Rodolfo Ziberna", 8543, 49.88], null, ["Rodolfo Ziberna", 59.79, 7774], 44.01],
  ["Genova", "010025", 48.39, ["Marco Bucci", 88781, 38.8], null, ["Marco Bucci", 55.24, null], null],
  [
    "La Spezia",
    "011015",
    55.35,
    ["Pierluigi Peracchini", 13187, 32.62],
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
    ["Alessandro Tambellini", 13922, 37.49],
    null,
    ["Alessandro Tambellini", 50.52, 17453],
    null,
  ],
  ["Pistoia", "047014", 55.62, ["Samuele Bertinelli", null, 37.53], null, ["Alessandro Tomasi", 54.28, 19049], 49.51],
  ["Frosinone", "060038", 72.48, ["Nicola Ottaviani", 15038, 56.39], "Nicola Ottaviani", null, null],
  ["Rieti", "057059", 72.45, ["Antonio Cicchetti", 13138, 47.29], null, ["Antonio Cicchetti", 50.2, 12660], 64.14],
  ["L'Aquila", "066049", 67.77, ["Americo Di Benedetto", null, 47.01], null, ["Pierluigi Biondi", 53.52, 16410], 52.08],
  ["Lecce", "075035", 70.16, ["Mauro Giliberti", null, 45.22], null, ["Carlo Salvemini", 54.76, 22050], 52.75],
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
    // The source has 103 first-round and 32 runoff vote counts, 184 and 43 shares; resolving its conflicts
    // drops 12 first-round counts (Lodi 7, Verona 2, Lecce 3) and 6 shares (Pistoia 5, Trapani's runoff 1),
    // and computes 2 (Asti's Cerruti and Motta).
    expect(all.filter((k) => k.votes !== undefined)).toHaveLength(103 - 12 + 32);
    expect(all.filter((k) => k.percent !== undefined)).toHaveLength(184 - 5 + 2 + 43 - 1);
    // Only Pistoia's five, whose only shares were of a partial count, are left without a figure.
    expect(all.filter((k) => k.votes === undefined && k.percent === undefined).map((k) => k.name)).toEqual([
      "Ginevra Lombardi",
      "Alessandro Sabella",
      "Francesca Barontini",
      "Lorenzo Berti",
      "Alessio Cioni",
    ]);
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

  it("conflicts between sources are kept as details, each resolution with its reason", () => {
    const lecce = comune("Lecce").results.firstRound;
    expect(lecce.provenance.details?.join("\n")).toContain("23.559");
    expect(lecce.provenance.details?.join("\n")).toContain("resolved: votes dropped: 23.887, 15.243 and 8.807");
    expect(lecce.note).toBe("Percentuali a 101 sezioni su 102, le ultime pubblicate per tutti i candidati.");
    const alessandria = comune("Alessandria").results.firstRound;
    expect(alessandria.provenance.details).toContain(
      "Maria Rita Rossa: official figures after check of verbali (ilpiccolo.net 16/06, single source): 12.838 votes",
    );
    expect(alessandria.candidates.slice(0, 5).map((k) => k.votes)).toEqual([12838, 12164, 4931, 4630, 3295]);
  });

  it("the audit's figures, resolved: Trapani 8.732, Savona's runoff without a share, no round previous turnout", () => {
    const trapani = comune("Trapani").results;
    expect(trapani.firstRound.candidates[1]).toMatchObject({ votes: 8732, percent: 26.27 });
    expect(trapani.runoff?.candidates[0]?.percent).toBeUndefined();
    expect(comune("Padova").results.firstRound.previousTurnoutPercent).toBeUndefined();
    expect(comune("Alessandria").results.firstRound.previousTurnoutPercent).toBeUndefined();
    const pistoia = comune("Pistoia").results.firstRound;
    expect(pistoia.candidates.map((k) => k.percent)).toEqual([37.53, 26.79, 11.71, 8.92, ...Array(5).fill(undefined)]);
    expect(pistoia.note).toContain("97 sezioni su 100");
    for (const name of ["Alessandria", "Asti", "Lodi", "Belluno", "Verona", "Pistoia", "Lecce", "Trapani", "Padova"])
      expect(comune(name).results.firstRound.provenance.details?.join("\n"), name).toContain("resolved: ");
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

  it("Cuneo and Frosinone: elected at the first round, above 15.000 inhabitants by the 2011 census", () => {
    for (const name of ["Cuneo", "Frosinone"]) {
      expect(comune(name).results.populationBand, name).toBe("oltre-15000");
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

  it("where a bulletin's figures were later made final, its notes give the pack's final figures", () => {
    const notes = (id: string) => (pack.bulletins.find((b) => b.id === id)?.notes ?? []).map((n) => n.text).join("\n");
    const share = (comune: string, surname: string) => {
      const c = pack.comuni.find((x) => x.name === comune)!;
      const candidate = c.results.firstRound.candidates.find((x) => x.name.endsWith(surname))!;
      expect(c.results.firstRound.provenance.status).toBe("final");
      return formatPercent(candidate.percent!);
    };
    const final = pack.turnout.readings.find((r) => r.final)!;
    expect(final.provenance?.source).toBe("Ministero dell'Interno");
    expect(notes("chiusura-seggi")).toContain(
      `${formatPercent(final.percent)}, contro il ${formatPercent(final.previousPercent!)}`,
    );
    const verona = pack.comuni.find((x) => x.name === "Verona")!.results.runoff!.candidates.map((x) => x.name);
    expect(notes("chiusura-seggi")).toContain(`tra ${verona[0]} (centrodestra) e ${verona[1]} (lista Tosi)`);
    const morning = notes("risultati-capoluoghi");
    for (const [comune, surname] of [
      ["Palermo", "Orlando"],
      ["L'Aquila", "Di Benedetto"],
      ["L'Aquila", "Biondi"],
      ["Catanzaro", "Abramo"],
      ["Catanzaro", "Ciconte"],
    ] as const)
      expect(morning).toContain(`${surname} al ${share(comune, surname)}`);
    // The bulletins whose figures stood have none.
    expect(pack.bulletins.filter((b) => b.notes?.length).map((b) => b.id)).toEqual([
      "chiusura-seggi",
      "risultati-capoluoghi",
    ]);
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
