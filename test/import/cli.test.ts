/**
 * `npm run import`: a whole import from the file to the pack, in each variant, what it reports, and its
 * exit code — 0 with the pack written, 1 with nothing written when nothing is readable, 2 on wrong usage.
 * The regionali sample is real (Abruzzo 2019, first 40 lines); the other files are written here, with
 * invented candidates and figures.
 */
import { spawnSync } from "node:child_process";
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadDataPack } from "../../src/data/pack.js";
import { regionCoverage, runImport } from "../../src/import/cli.js";
import { PROVINCES } from "../../src/import/provinces.js";
import { ISTAT_SAMPLE, makeZip } from "./support.js";

const SAMPLE = "test/import/fixtures/regionali-20190210-head40.txt";
const ZIP = "test/import/fixtures/comunali-20170611-mini.zip";

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await rm(dirs.pop()!, { recursive: true, force: true });
});
async function tempDir() {
  const d = await mkdtemp(path.join(tmpdir(), "elezioni-import-"));
  dirs.push(d);
  return d;
}

/** Runs the command in-process with no default index (unless given), capturing what it prints. */
async function run(args: string[], defaultIndex?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImport(
    args,
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    defaultIndex ?? "/nessun/indice.json",
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const exists = (f: string) =>
  access(f).then(
    () => true,
    () => false,
  );

async function json(file: string) {
  return JSON.parse(await readFile(file, "utf8"));
}

async function indexFile(dir: string) {
  const f = path.join(dir, "comuni.json");
  await writeFile(f, JSON.stringify(ISTAT_SAMPLE));
  return f;
}

describe("npm run import: files it reads", () => {
  it("imports the real sample (headered UTF-8) into a whole pack", async () => {
    const out = path.join(await tempDir(), "pack");
    const r = await run([SAMPLE, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toContain("regionali-20190210-head40.txt: UTF-8, con intestazione; 39 righe lette su 39");
    expect(r.out).toContain("3 comuni (primo turno 2019-02-10), 0 con ballottaggio (2019-02-24)");
    expect(r.out).toContain("nessun indice dei comuni");
    expect(r.out).toContain("regioni nel file: 1 di 20 (Abruzzo)");
    expect(r.out).toContain(`controllo: npm run validate-data ${out}`);
    const results = await json(path.join(out, "results.json"));
    expect(results.comuni.map((c: { name: string }) => c.name)).toEqual(["Altino", "Archi", "Ari"]);
    expect(results.comuni[0].firstRound.provenance).toEqual({
      source: "Ministero dell'Interno",
      urls: ["https://elezionistorico.interno.gov.it/"],
      status: "final",
      note: "archivio storico delle elezioni, file regionali-20190210-head40.txt",
    });
    const election = await json(path.join(out, "election.json"));
    expect(election).toMatchObject({
      id: "regionali-20190210-head40",
      firstRoundDate: "2019-02-10",
      runoffDate: "2019-02-24",
      comuniVoting: 3,
      votingListComplete: true,
      voters: 2690 + 2736 + 1717,
    });
    expect(await json(path.join(out, "turnout.json"))).toEqual({ readings: [] });
  });

  it("imports a zip (headered Latin-1, two rounds) with the comuni index", async () => {
    const dir = await tempDir();
    const out = path.join(dir, "pack");
    const r = await run([ZIP, "--out", out, "--comuni", await indexFile(dir)]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("comunali-20170611-mini.zip › dati/preferenze-20170611.txt: ignorato");
    expect(r.out).toContain(
      "comunali-20170611-mini.zip › dati/comunali-20170611.txt: Latin-1, con intestazione; 7 righe lette su 7",
    );
    expect(r.out).toContain(
      "2 comuni (primo turno 2017-06-11), 1 con ballottaggio (2017-06-25); 2 riconosciuti nell'indice",
    );
    const results = await json(path.join(out, "results.json"));
    expect(results.comuni.map((c: { name: string; istat: string }) => [c.name, c.istat])).toEqual([
      ["Forlì", "040012"],
      ["Sant'Angelo Lodigiano", "098050"],
    ]);
    expect(results.comuni[0].runoff.outcome).toEqual({ kind: "elected", candidate: "Mario Rossi" });
    // A runoff is held only above the population threshold; without one the band stays unknown.
    expect(results.comuni.map((c: { populationBand?: string }) => c.populationBand)).toEqual([
      "oltre-15000",
      undefined,
    ]);
    expect((await json(path.join(out, "election.json"))).id).toBe("comunali-20170611-mini");
    // The folder is a pack the bot serves as it is: no population or capoluoghi are invented for it.
    const pack = await loadDataPack(out);
    expect(pack.comuni.map((c) => c.name)).toEqual(["Forlì", "Sant'Angelo Lodigiano"]);
    expect(pack.election.population).toBeUndefined();
  });

  it("names comuni from a Latin-1 file without an index, accents and apostrophes right", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "comunali-20170611.txt");
    const text = [
      '"REGIONE";"PROVINCIA";"COMUNE";"ELETTORI";"VOTANTI";"COGNOME";"NOME";"VOTI_CANDIDATO";"LISTA";"VOTI_LISTA"',
      '"EMILIA-ROMAGNA";"FORLÌ-CESENA";"FORLÌ";1000,00;600,00;"ROSSI";"MARIO";500,00;"PER FORLÌ";480,00',
      '"LOMBARDIA";"LODI";"SANT\'ANGELO LODIGIANO";500,00;300,00;"NERI";"NICOLÒ";250,00;"";""',
    ].join("\r\n");
    await writeFile(file, Buffer.from(text, "latin1"));
    const r = await run([file, "--out", path.join(dir, "pack")]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("comunali-20170611.txt: Latin-1, con intestazione; 2 righe lette su 2");
    const results = await json(path.join(dir, "pack", "results.json"));
    expect(
      results.comuni.map(
        (c: { name: string; province: string; istat?: string; firstRound: { candidates: { name: string }[] } }) => [
          c.name,
          c.province,
          c.istat,
          c.firstRound.candidates[0]!.name,
        ],
      ),
    ).toEqual([
      ["Forlì", "FC", undefined, "Mario Rossi"],
      ["Sant'Angelo Lodigiano", "LO", undefined, "Nicolò Neri"],
    ]);
    expect(results.comuni[0].firstRound.candidates[0].lists).toEqual([{ name: "PER FORLÌ", votes: 480, percent: 100 }]);
  });

  it("imports the header-less 16-column variant", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "comunali-20170611.txt");
    await writeFile(
      file,
      '"LIGURIA";"GENOVA";"GENOVA";1000,00;600,00;10,00;"LISTA A";300,00;20,00;"ROSSI";"MARIO";"";"";"M";"S";320,00\n',
    );
    const r = await run([file, "--out", path.join(dir, "pack")]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("senza intestazione, 16 colonne; 1 righe lette su 1");
  });

  it("uses data/comuni.json (or the default index) when --comuni is not given", async () => {
    const dir = await tempDir();
    const r = await run([SAMPLE, "--out", path.join(dir, "pack")], await indexFile(dir));
    expect(r.code).toBe(0);
    expect(r.out).toContain("2 riconosciuti nell'indice");
  });
});

describe("npm run import: what it cannot read", () => {
  it("reports each malformed row with its line and still writes the rest", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "comunali-20170611.txt");
    await writeFile(
      file,
      [
        "COMUNE;PROVINCIA;COGNOME;NOME;VOTI_CANDIDATO",
        "GENOVA;GENOVA;ROSSI;MARIO;300",
        "GENOVA;GENOVA;BIANCHI;ANNA;duecento",
        "GENOVA;GENOVA;VERDI",
        "GENOVA;GENOVA;NERI;PIA;100",
      ].join("\n"),
    );
    const r = await run([file, "--out", path.join(dir, "pack")]);
    expect(r.code).toBe(0);
    expect(r.err.split("\n")).toEqual([
      "2 problemi:",
      "  comunali-20170611.txt, riga 3: voti del candidato «duecento»: non è un numero",
      "  comunali-20170611.txt, riga 4: 3 campi invece di 5",
    ]);
    const results = await json(path.join(dir, "pack", "results.json"));
    expect(results.comuni[0].firstRound.candidates.map((c: { name: string }) => c.name)).toEqual([
      "Mario Rossi",
      "Pia Neri",
    ]);
  });

  it("fails with exit 1, every line reported and nothing written, when no row is readable", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "comunali-20170611.txt");
    await writeFile(file, "COMUNE;COGNOME;VOTI_CANDIDATO\nGENOVA;ROSSI;tanti\n;BIANCHI;3\n");
    const out = path.join(dir, "pack");
    const r = await run([file, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.err.split("\n")).toEqual([
      "2 problemi:",
      "  comunali-20170611.txt, riga 2: voti del candidato «tanti»: non è un numero",
      "  comunali-20170611.txt, riga 3: manca il comune",
      "importazione fallita: nessuna riga leggibile in comunali-20170611.txt; nulla è stato scritto",
    ]);
    expect(await exists(out)).toBe(false);
  });

  it("fails on an empty file and on a file that is not results", async () => {
    const dir = await tempDir();
    const empty = path.join(dir, "vuoto.txt");
    await writeFile(empty, "");
    const r1 = await run([empty, "--out", path.join(dir, "a")]);
    expect(r1.code).toBe(1);
    expect(r1.err).toContain("vuoto.txt: il file è vuoto");
    expect(r1.err).toContain("importazione fallita: nessuna riga leggibile");

    const binary = path.join(dir, "immagine.txt");
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x01]));
    const r2 = await run([binary, "--out", path.join(dir, "b")]);
    expect(r2.code).toBe(1);
    expect(r2.err).toContain("né un'intestazione riconosciuta");
    expect(await exists(path.join(dir, "a"))).toBe(false);
    expect(await exists(path.join(dir, "b"))).toBe(false);
  });

  it("fails when no comune can be placed", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "comunali-20170611.txt");
    await writeFile(file, "COMUNE;PROVINCIA;COGNOME;VOTI_CANDIDATO\nPOSEIDONIA;ATLANTIDE;ROSSI;3\n");
    const r = await run([file, "--out", path.join(dir, "pack")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("riga 2: POSEIDONIA (ATLANTIDE): provincia «ATLANTIDE» sconosciuta");
    expect(r.err).toContain("importazione fallita: nessun comune leggibile");
  });

  it("fails on a missing file, a damaged zip, and a file without any date", async () => {
    const dir = await tempDir();
    expect((await run([path.join(dir, "manca.zip"), "--out", dir])).err).toContain("manca.zip: file inesistente");
    const zip = path.join(dir, "comunali-20170611.zip");
    await writeFile(zip, makeZip([{ name: "a.txt", data: "COMUNE", badCrc: true }]));
    const damaged = await run([zip, "--out", path.join(dir, "pack")]);
    expect(damaged.code).toBe(1);
    expect(damaged.err).toContain("checksum CRC-32 errato");
    const undated = path.join(dir, "risultati.txt");
    await writeFile(undated, "COMUNE;PROVINCIA;COGNOME;VOTI_CANDIDATO\nGENOVA;GENOVA;ROSSI;3\n");
    const r = await run([undated, "--out", path.join(dir, "pack")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("--date AAAA-MM-GG");
    const dated = await run([
      undated,
      "--out",
      path.join(dir, "pack"),
      "--date",
      "2017-06-11",
      "--runoff-date",
      "2017-06-18",
    ]);
    expect(dated.code).toBe(0);
    expect(await json(path.join(dir, "pack", "election.json"))).toMatchObject({
      id: "risultati-20170611",
      runoffDate: "2017-06-18",
    });
  });

  it("leaves an election.json already there as it is, and says so", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "election.json"), '{ "id": "mia" }\n');
    const r = await run([SAMPLE, "--out", dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("election.json c'era già: lasciato com'è");
    expect(r.out).toContain("verificare in election.json: comuniVoting 3, votingListComplete true");
    expect(await readFile(path.join(dir, "election.json"), "utf8")).toBe('{ "id": "mia" }\n');
  });
});

describe("regionCoverage", () => {
  it("names the regions of a small file, and the missing ones of a national file", () => {
    expect(regionCoverage([{ region: "Liguria" }, { region: "Abruzzo" }, { region: "Liguria" }])).toBe(
      "regioni nel file: 2 di 20 (Abruzzo, Liguria)",
    );
    const regions = [...new Set(Object.values(PROVINCES).map(([, r]) => r))];
    const national = regions
      .filter((r) => r !== "Sicilia" && r !== "Friuli-Venezia Giulia")
      .map((region) => ({ region }));
    expect(regionCoverage(national)).toBe("regioni nel file: 18 di 20 (mancano: Friuli-Venezia Giulia, Sicilia)");
    expect(regionCoverage(regions.map((region) => ({ region })))).toBe("regioni nel file: 20 di 20");
  });
});

describe("npm run import: usage", () => {
  it("exits 2 with the usage on wrong arguments, 0 on --help", async () => {
    const noOut = await run([SAMPLE]);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain("servono il file e --out");
    expect(noOut.err).toContain("uso: npm run import");
    expect((await run([SAMPLE, "altro.txt", "--out", "x"])).err).toContain("un solo file per volta");
    expect((await run([SAMPLE, "--out", "x", "--date", "11/06/2017"])).code).toBe(2);
    expect((await run([SAMPLE, "--out", "x", "--runoff-date", "2017-02-30"])).err).toContain(
      "--runoff-date 2017-02-30: serve una data esistente AAAA-MM-GG",
    );
    expect((await run([SAMPLE, "--out", "x", "--source-url", "non un url"])).code).toBe(2);
    expect((await run([SAMPLE, "--out", "x", "--boh"])).code).toBe(2);
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("--runoff-date");
  });

  it("fails on a bad index named with --comuni", async () => {
    const dir = await tempDir();
    const bad = path.join(dir, "comuni.json");
    await writeFile(bad, "[{}]");
    const r = await run([SAMPLE, "--out", dir, "--comuni", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/indice dei comuni .*comuni\.json: 0\.istat/);
  });
});

describe("npm run import: the real command", () => {
  it("runs through npm with its exit codes", async () => {
    const dir = await tempDir();
    const ok = spawnSync("npm", ["run", "-s", "import", "--", SAMPLE, "--out", path.join(dir, "pack")], {
      encoding: "utf8",
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("3 comuni (primo turno 2019-02-10)");
    expect(await exists(path.join(dir, "pack", "results.json"))).toBe(true);

    const empty = path.join(dir, "vuoto.txt");
    await writeFile(empty, "");
    const failed = spawnSync("npm", ["run", "-s", "import", "--", empty, "--out", path.join(dir, "x")], {
      encoding: "utf8",
    });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("importazione fallita: nessuna riga leggibile in vuoto.txt");
    expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
