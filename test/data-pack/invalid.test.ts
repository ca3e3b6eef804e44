/** Packs with some files only, invalid packs (every message names the file and the field), and the validate-data command. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DataPack, DataPackError, loadDataPack } from "../../src/data/pack.js";

const DATA = "data";

let pack: DataPack;
beforeAll(async () => {
  pack = await loadDataPack(DATA);
});

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

/** Index in the shipped results.json of a comune. */
const RESULT_NAMES = (
  JSON.parse(readFileSync(path.join(DATA, "results.json"), "utf8")) as { comuni: { name: string }[] }
).comuni.map((c) => c.name);
const at = (name: string) => RESULT_NAMES.indexOf(name);

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
        message: "le percentuali sommano a 153,48, oltre 100",
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

  it("a bulletin's note on a later figure needs its text and source; another source's figure must differ", async () => {
    const dir = await copyPack();
    await edit(dir, "bulletins.json", (j) => {
      j.bulletins[3].notes[0].text = " ";
      j.bulletins[5].notes.push({ text: "Orlando al 46,28%" });
    });
    await edit(dir, "election.json", (j) => {
      j.provenance.otherFigures.voters.push({ value: 9172026, source: "repubblica.it" });
    });
    const paths = (await packError(dir)).issues.map((i) => `${i.file}: ${i.path}`);
    expect(paths.sort()).toEqual([
      "bulletins.json: bulletins[3].notes[0].text",
      "bulletins.json: bulletins[5].notes[3].source",
      "election.json: provenance.otherFigures.voters[2].value",
    ]);
  });

  it("another source's figure for a figure the pack leaves out", async () => {
    const dir = await copyPack();
    await edit(dir, "election.json", (j) => {
      delete j.voters;
    });
    expect((await packError(dir)).issues).toEqual([
      {
        file: "election.json",
        path: "provenance.otherFigures.voters",
        message: "altre fonti per un dato assente: manca voters",
      },
    ]);
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
        message: '"Castro" indica più comuni (Castro (LE), Castro (BG))',
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

  it("exits non-zero on figures that do not agree, one line each naming the file and field", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      // The research's Trapani and Verona, as the pack shipped them before the audit.
      j.comuni[at("Trapani")].firstRound.candidates[1].votes = 8714;
      j.comuni[at("Trapani")].runoff.candidates[0].percent = 91.51;
      j.comuni[at("Verona")].firstRound.candidates[0].votes = 33440;
      j.comuni[at("Verona")].firstRound.candidates[1].votes = 26946;
    });
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain("valido");
    expect(r.stderr.trim().split("\n")).toEqual([
      `${dir}: dati incoerenti (3 problemi):`,
      expect.stringMatching(
        new RegExp(
          `^  results\\.json: comuni\\[${at("Verona")}\\]\\.firstRound\\.candidates\\[1\\]\\.votes: Verona: 26\\.946 voti con 23,54% danno 114\\.469`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^  results\\.json: comuni\\[${at("Trapani")}\\]\\.firstRound\\.candidates\\[1\\]\\.votes: Trapani: 8\\.714 voti con 26,27%`,
        ),
      ),
      `  results.json: comuni[${at("Trapani")}].runoff.candidates[0].percent: Trapani: un candidato unico ha tutti i voti validi: 91,51% non è una quota dei voti`,
    ]);
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
