/**
 * From rows to the results model: grouping, percentages computed from votes, both rounds, lists, the
 * outcome the file states, and rows that contradict earlier ones refused with their line.
 * The regionali sample is real (Abruzzo 2019, first 40 lines); the other texts are written here, with
 * invented candidates and figures.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Provenance } from "../../src/data/model.js";
import { addDays, BuildError, type BuildOptions, buildResults } from "../../src/import/build.js";
import { ComuniIndex } from "../../src/import/identity.js";
import { parseTable } from "../../src/import/parse.js";
import { readZip } from "../../src/import/zip.js";
import { ISTAT_SAMPLE } from "./support.js";

const PROVENANCE: Provenance = { source: "Ministero dell'Interno", urls: [], status: "final" };
const index = new ComuniIndex(ISTAT_SAMPLE);

function rowsOf(text: string, fileName = "comunali.txt") {
  const t = parseTable({ label: fileName, fileName, text, encoding: "UTF-8" });
  expect(t.problems).toEqual([]);
  return t.rows;
}

function build(text: string, opts: Partial<BuildOptions> = {}, fileName?: string) {
  return buildResults(rowsOf(text, fileName), { index, provenance: PROVENANCE, ...opts });
}

const HEADER =
  "DATAELEZIONE;TURNO;REGIONE;PROVINCIA;COMUNE;ELETTORI;VOTANTI;SCHEDE_BIANCHE;COGNOME;NOME;CODTIPOELETTO;VOTI_CANDIDATO;LISTA;VOTI_LISTA;SEGGI_LISTA";

describe("the real sample", () => {
  const sample = readFileSync("test/import/fixtures/regionali-20190210-head40.txt", "utf8");
  const r = build(sample, { fileDate: "2019-02-10" });

  it("gives one comune per place, with its ISTAT identity", () => {
    expect(r.problems).toEqual([]);
    expect(r.comuni.map((c) => [c.name, c.istat, c.province, c.region])).toEqual([
      ["Altino", "069001", "CH", "Abruzzo"],
      ["Archi", "069002", "CH", "Abruzzo"],
      ["Ari", undefined, "CH", "Abruzzo"], // not in the test's small index: named from the file
    ]);
    expect(r.resolved).toBe(2);
    expect(r.firstRoundDate).toBe("2019-02-10");
    expect(r.runoffDate).toBe("2019-02-24");
  });

  it("reads the totals once and computes turnout and every share from the votes", () => {
    const altino = r.comuni[0]!.firstRound;
    expect(altino).toMatchObject({ date: "2019-02-10", electors: 2690, voters: 1353, blank: 16, turnoutPercent: 50.3 });
    expect(altino.candidates.map((c) => [c.name, c.votes, c.percent])).toEqual([
      ["Marco Marsilio", 566, 43.71],
      ["Giovanni Legnini", 413, 31.89],
      ["Sara Marcozzi", 310, 23.94],
      ["Stefano Flajani", 6, 0.46],
    ]);
    const candidateTotal = 566 + 413 + 310 + 6;
    for (const c of altino.candidates) expect(c.percent).toBe(Math.round((c.votes! / candidateTotal) * 10000) / 100);

    const lines = sample.split("\n").filter((l) => l.includes('"ALTINO"'));
    const listTotal = lines.reduce((s, l) => s + Number(l.split(";")[13]!.replace(",", ".")), 0);
    expect(listTotal).toBe(1251);
    const lists = altino.candidates.flatMap((c) => c.lists);
    expect(lists).toHaveLength(15);
    expect(lists.reduce((s, l) => s + l.votes!, 0)).toBe(listTotal);
    expect(altino.candidates[0]!.lists[3]).toEqual({ name: "LEGA", votes: 275, percent: 21.98 });
    for (const l of lists) expect(l.percent).toBe(Math.round((l.votes! / listTotal) * 10000) / 100);
  });

  it("states no outcome where the file states none, and stamps the provenance", () => {
    for (const c of r.comuni) {
      expect(c.firstRound.outcome).toBeUndefined();
      expect(c.firstRound.candidates.every((k) => k.elected === undefined)).toBe(true);
      expect(c.firstRound.provenance).toEqual(PROVENANCE);
      expect(c.runoff).toBeUndefined();
      expect(c).not.toHaveProperty("populationBand");
      expect(c.capoluogo).toBe(false);
    }
  });
});

describe("two rounds (headered Latin-1 file in a zip)", () => {
  const entry = readZip(readFileSync("test/import/fixtures/comunali-20170611-mini.zip")).find((e) =>
    e.name.endsWith("comunali-20170611.txt"),
  )!;
  const r = build(entry.data.toString("latin1"));

  it("builds the first round, the runoff and the stated outcome of each", () => {
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.firstRoundDate).toBe("2017-06-11");
    expect(r.runoffDate).toBe("2017-06-25");
    const forli = r.comuni.find((c) => c.istat === "040012")!;
    expect(forli.name).toBe("Forlì");
    expect(forli.firstRound.outcome).toEqual({ kind: "runoff", candidates: ["Mario Rossi", "Anna Bianchi"] });
    expect(forli.firstRound.candidates.map((c) => [c.name, c.votes, c.percent, c.elected])).toEqual([
      ["Mario Rossi", 280, 48.28, undefined],
      ["Anna Bianchi", 220, 37.93, undefined],
      ["Luca Verdi", 80, 13.79, undefined],
    ]);
    expect(forli.runoff).toMatchObject({
      date: "2017-06-25",
      electors: 1000,
      voters: 450,
      turnoutPercent: 45,
      outcome: { kind: "elected", candidate: "Mario Rossi" },
    });
    expect(forli.runoff!.candidates.map((c) => [c.name, c.votes, c.percent, c.elected])).toEqual([
      ["Mario Rossi", 230, 52.27, true],
      ["Anna Bianchi", 210, 47.73, false],
    ]);
  });

  it("keeps a list without votes, with its seats and no share", () => {
    const forli = r.comuni.find((c) => c.istat === "040012")!;
    expect(forli.runoff!.candidates[0]!.lists).toEqual([{ name: "LISTA ROSSI", seats: 6 }]);
    expect(forli.firstRound.candidates[0]!.lists).toEqual([{ name: "LISTA ROSSI", votes: 250, percent: 48.08 }]);
  });

  it("marks the mayor elected at the first round", () => {
    const sa = r.comuni.find((c) => c.istat === "098050")!;
    expect(sa.name).toBe("Sant'Angelo Lodigiano");
    expect(sa.runoff).toBeUndefined();
    expect(sa.firstRound.outcome).toEqual({ kind: "elected", candidate: "Nicolò Neri" });
    expect(sa.firstRound.candidates.map((c) => [c.name, c.elected])).toEqual([
      ["Nicolò Neri", true],
      ["Paola Gialli", false],
    ]);
    expect(sa.firstRound.candidates[0]!.lists).toEqual([
      { name: "INSIEME PER SANT'ANGELO", votes: 190, percent: 69.09, seats: 8 },
    ]);
  });
});

describe("the header-less 16-column variant", () => {
  it("builds the same model", () => {
    const text = [
      '"LIGURIA";"GENOVA";"GENOVA";1000,00;600,00;10,00;"LISTA A";300,00;20,00;"ROSSI";"MARIO";"";"";"M";"S";320,00',
      '"LIGURIA";"GENOVA";"GENOVA";1000,00;600,00;10,00;"LISTA B";250,00;9,00;"BIANCHI";"ANNA";"";"";"F";"";270,00',
    ].join("\n");
    const r = build(text, { fileDate: "2017-06-11" });
    expect(r.comuni).toHaveLength(1);
    expect(r.comuni[0]).toMatchObject({ name: "Genova", istat: "010025", province: "GE", region: "Liguria" });
    expect(r.comuni[0]!.firstRound.outcome).toEqual({ kind: "elected", candidate: "Mario Rossi" });
    expect(r.comuni[0]!.firstRound.candidates[0]!.lists).toEqual([
      { name: "LISTA A", votes: 300, percent: 54.55, seats: 20 },
    ]);
  });
});

describe("rows that contradict earlier ones", () => {
  it("refuses them with their line and the line they contradict", () => {
    const text = [
      HEADER, // 1
      "11/06/2017;1;LIGURIA;GENOVA;GENOVA;1000;600;10;ROSSI;MARIO;;300;LISTA A;200;", // 2
      "11/06/2017;1;LIGURIA;GENOVA;GENOVA;1000;600;10;ROSSI;MARIO;;300;LISTA B;90;", // 3
      "11/06/2017;1;LIGURIA;GENOVA;GENOVA;1001;600;10;BIANCHI;ANNA;;250;LISTA C;240;", // 4 other electors
      "11/06/2017;1;LIGURIA;GENOVA;GENOVA;1000;600;10;ROSSI;MARIO;;301;LISTA D;5;", // 5 other candidate votes
      "11/06/2017;1;LIGURIA;GENOVA;GENOVA;1000;600;10;ROSSI;MARIO;;300;LISTA A;200;", // 6 repeats 2
      "11/06/2017;1;LIGURIA;GENOVA;GENOVA;1000;600;10;ROSSI;MARIO;;300;LISTA B;91;", // 7 other list votes
      "12/06/2017;1;LIGURIA;GENOVA;GENOVA;1000;600;10;BIANCHI;ANNA;;250;LISTA C;240;", // 8 other date
      "11/06/2017;1;LIGURIA;GENOVA;GENOVA;1000;600;10;BIANCHI;ANNA;;250;LISTA C;240;", // 9 good
    ].join("\n");
    const r = build(text);
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [4, "elettori 1001 diversi da 1000 della riga 2"],
      [5, "voti del candidato 301 diversi da 300 della riga 2"],
      [6, "ripete la riga 2"],
      [7, "lista «LISTA B»: voti o seggi diversi dalla riga 3"],
      [8, "data 2017-06-12 diversa da 2017-06-11 della riga 2"],
    ]);
    const round = r.comuni[0]!.firstRound;
    expect(round.candidates.map((c) => [c.name, c.votes, c.lists.map((l) => l.votes)])).toEqual([
      ["Mario Rossi", 300, [200, 90]],
      ["Anna Bianchi", 250, [240]],
    ]);
  });
});

describe("comuni it cannot build", () => {
  it("reports a runoff without a first round, and a comune it cannot place, once each with the count of rows", () => {
    const text = [
      HEADER,
      "25/06/2017;2;LIGURIA;GENOVA;GENOVA;1000;450;5;ROSSI;MARIO;S;230;LISTA A;;",
      "25/06/2017;2;LIGURIA;GENOVA;GENOVA;1000;450;5;BIANCHI;ANNA;;210;LISTA B;;",
      "11/06/2017;1;ATLANTIDE;ATLANTIDE;POSEIDONIA;100;60;1;ROSSI;MARIO;S;59;LISTA A;59;",
      "11/06/2017;1;LIGURIA;GENOVA;CAMOGLI;100;60;1;VERDI;LUCA;S;59;LISTA V;59;",
    ].join("\n");
    const r = build(text);
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [2, "GENOVA (GENOVA): ballottaggio senza primo turno (e le altre 1 righe del comune)"],
      [4, "POSEIDONIA (ATLANTIDE): provincia «ATLANTIDE» sconosciuta e comune assente dall'indice"],
    ]);
    expect(r.comuni.map((c) => c.name)).toEqual(["Camogli"]);
  });

  it("refuses a second comune the index says is the same one", () => {
    const text = [
      HEADER,
      "11/06/2017;1;TRENTINO-ALTO ADIGE;BOLZANO;BOLZANO;100;60;1;ROSSI;MARIO;S;59;;;",
      "11/06/2017;1;TRENTINO-ALTO ADIGE;BOLZANO/BOZEN;BOLZANO/BOZEN;100;60;1;ROSSI;MARIO;S;59;;;",
    ].join("\n");
    const r = build(text);
    expect(r.comuni.map((c) => [c.name, c.istat])).toEqual([["Bolzano", "021008"]]);
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [3, "BOLZANO/BOZEN (BOLZANO/BOZEN): è lo stesso comune (ISTAT 021008) di BOLZANO (BOLZANO), già letto"],
    ]);
  });
});

describe("what the file states oddly is said, not guessed", () => {
  it("warns about a runoff of one candidate and about two elected, stating no outcome for them", () => {
    const text = [
      HEADER,
      "11/06/2017;1;LIGURIA;GENOVA;GENOVA;1000;600;10;ROSSI;MARIO;;300;;;",
      "11/06/2017;1;LIGURIA;GENOVA;GENOVA;1000;600;10;BIANCHI;ANNA;;250;;;",
      "25/06/2017;2;LIGURIA;GENOVA;GENOVA;1000;200;10;ROSSI;MARIO;;190;;;",
      "11/06/2017;1;EMILIA-ROMAGNA;PARMA;PARMA;1000;600;10;NERI;PIA;S;300;;;",
      "11/06/2017;1;EMILIA-ROMAGNA;PARMA;PARMA;1000;600;10;BLU;UGO;S;250;;;",
    ].join("\n");
    const r = build(text);
    expect(r.warnings).toEqual([
      "Genova (GE): ballottaggio con 1 candidati (Mario Rossi): nessun esito dichiarato per il primo turno",
      "Parma (PR): più eletti al primo turno (Pia Neri, Ugo Blu)",
    ]);
    const genova = r.comuni.find((c) => c.name === "Genova")!;
    expect(genova.firstRound.outcome).toBeUndefined();
    expect(genova.runoff!.outcome).toBeUndefined();
    expect(genova.firstRound.candidates[0]!.lists).toEqual([]);
    expect(r.comuni.find((c) => c.name === "Parma")!.firstRound.outcome).toBeUndefined();
  });

  it("warns when there are more voters than electors and leaves the turnout out", () => {
    const r = build([HEADER, "11/06/2017;1;LIGURIA;GENOVA;GENOVA;100;120;0;ROSSI;MARIO;S;110;;;"].join("\n"));
    expect(r.warnings).toEqual([
      "Genova (GE): votanti (120) oltre gli elettori (100) alla riga 2: affluenza non calcolata",
    ]);
    expect(r.comuni[0]!.firstRound).not.toHaveProperty("turnoutPercent");
    expect(r.comuni[0]!.firstRound.voters).toBe(120);
  });

  it("warns about homonyms both voting", () => {
    const text = [
      HEADER,
      "11/06/2017;1;LOMBARDIA;BERGAMO;CASTRO;100;60;1;ROSSI;MARIO;S;59;;;",
      "11/06/2017;1;PUGLIA;LECCE;CASTRO;100;60;1;BIANCHI;ANNA;S;59;;;",
    ].join("\n");
    const r = build(text);
    expect(r.comuni.map((c) => [c.name, c.province])).toEqual([
      ["Castro", "BG"],
      ["Castro", "LE"],
    ]);
    expect(r.warnings).toEqual(["comuni omonimi al voto: Castro (BG), Castro (LE)"]);
  });
});

describe("dates", () => {
  const noDates =
    "COMUNE;PROVINCIA;COGNOME;VOTICAND;TURNO\nGENOVA;GENOVA;ROSSI;300;1\nGENOVA;GENOVA;ROSSI;200;2\nGENOVA;GENOVA;BIANCHI;100;2";

  it("takes the first round from the flag, then DATAELEZIONE, then the file's name; the runoff 14 days later", () => {
    expect(build(noDates, { fileDate: "2017-06-11" })).toMatchObject({
      firstRoundDate: "2017-06-11",
      runoffDate: "2017-06-25",
    });
    const r = build(noDates, { fileDate: "2017-06-11", firstRoundDate: "2017-06-04", runoffDate: "2017-06-18" });
    expect(r.comuni[0]!.firstRound.date).toBe("2017-06-04");
    expect(r.comuni[0]!.runoff!.date).toBe("2017-06-18");
  });

  it("says when the file's name and its rows disagree, and believes the rows", () => {
    const r = build([HEADER, "10/06/2018;1;LIGURIA;GENOVA;GENOVA;1000;600;10;ROSSI;MARIO;S;300;;;"].join("\n"), {
      fileDate: "2017-06-11",
    });
    expect(r.firstRoundDate).toBe("2018-06-10");
    expect(r.warnings).toEqual([
      "la data nel nome del file (2017-06-11) non è quella delle righe (2018-06-10): uso 2018-06-10",
    ]);
  });

  it("fails without any date, and with a runoff before the first round", () => {
    expect(() => build(noDates)).toThrow(BuildError);
    expect(() => build(noDates)).toThrow(/--date AAAA-MM-GG/);
    expect(() => build(noDates, { fileDate: "2017-06-11", runoffDate: "2017-06-11" })).toThrow(/deve seguire/);
  });

  it("adds days across months and years", () => {
    expect(addDays("2017-06-11", 14)).toBe("2017-06-25");
    expect(addDays("2020-09-20", 14)).toBe("2020-10-04");
    expect(addDays("2019-12-25", 14)).toBe("2020-01-08");
  });
});
