import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
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

describe("the shipped data pack against the source", () => {
  it("loads, with its four parts", () => {
    expect(pack.dir).toBe(DATA);
    expect(pack.comuni.length).toBeGreaterThan(0);
    expect(pack.turnout.readings.length).toBeGreaterThan(0);
    expect(pack.bulletins.length).toBeGreaterThan(0);
    expect(pack.index.size).toBe(pack.comuni.length);
  });

  it("has the election's key figures", () => {
    const e = pack.election;
    expect(e.comuniVoting).toBe(1004);
    expect(e.capoluoghiVoting).toBe(25);
    expect(e.voters).toBe(9_172_026);
    expect(e.population).toBe(10_584_797);
    expect(e.firstRoundDate).toBe("2017-06-11");
    expect(e.runoffDate).toBe("2017-06-25");
    expect(e.pollsOpen).toBe("07:00");
    expect(e.pollsClose).toBe("23:00");
    expect(e.timezone).toBe(ROME);
    expect(e.rules.runoffPopulationThreshold).toBe(15000);
    expect(e.rules.majorityPercent).toBe(50);
    expect(e.rules.regionalFirstRoundPercent).toEqual({ Sicilia: 40 });
  });

  it("has every turnout figure, with the 12:00 estimate marked approximate", () => {
    const r = pack.turnout.readings;
    expect(r).toHaveLength(4);
    const at12 = r.filter((x) => x.at === "12:00");
    expect(at12).toHaveLength(2);
    const estimate = at12.find((x) => x.approximate);
    expect(estimate).toMatchObject({ percent: 15, approximate: true, coverage: "311 comuni su 849", final: false });
    expect(formatTime(new Date(estimate!.publishedAt), ROME)).toBe("12:15");
    const full12 = at12.find((x) => !x.approximate);
    expect(full12).toMatchObject({ percent: 19.36, final: false });
    expect(formatTime(new Date(full12!.publishedAt), ROME)).toBe("12:55");
    const at19 = r.filter((x) => x.at === "19:00");
    expect(at19).toHaveLength(1);
    expect(at19[0]).toMatchObject({ percent: 42.35, approximate: false, final: false });
    expect(formatTime(new Date(at19[0]!.publishedAt), ROME)).toBe("19:55");
    const at23 = r.filter((x) => x.at === "23:00");
    expect(at23).toHaveLength(1);
    expect(at23[0]).toMatchObject({ percent: 61.5, previousPercent: 67, final: true, approximate: false });
    expect(formatTime(new Date(at23[0]!.publishedAt), ROME)).toBe("23:15");
    for (const x of r) expect(dayKey(new Date(x.publishedAt), ROME)).toBe("2017-06-11");
  });

  const shares: [comune: string, candidate: string, percent: number | undefined, coalition: string | undefined][] = [
    ["Genova", "Marco Bucci", 38.8, "centrodestra"],
    ["Genova", "Gianni Crivello", 33.39, "centrosinistra"],
    ["Verona", "Federico Sboarina", 29.26, "centrodestra"],
    ["Verona", "Patrizia Bisinella", 23.54, "lista Tosi"],
    ["Parma", "Federico Pizzarotti", 34.78, undefined],
    ["Parma", "Paolo Scarpa", 32.73, "centrosinistra"],
    ["L'Aquila", "Americo Di Benedetto", 47.04, "centrosinistra"],
    ["L'Aquila", "Pierluigi Biondi", 35.8, "centrodestra"],
    ["Catanzaro", "Sergio Abramo", 40.07, "centrodestra"],
    ["Catanzaro", "Vincenzo Ciconte", 31.24, "centrosinistra"],
    ["Palermo", "Leoluca Orlando", 46.08, undefined],
    ["Palermo", "Ugo Forello", undefined, "Movimento 5 Stelle"],
  ];

  it.each(shares)("%s: %s", (city, name, percent, coalition) => {
    const k = comune(city).candidates.find((x) => x.name === name);
    expect(k, `${name} in ${city}`).toBeDefined();
    expect(k!.percent).toBe(percent);
    if (coalition !== undefined) expect(k!.coalition).toBe(coalition);
    // each candidate appears in one comune only
    expect(pack.comuni.filter((c) => c.candidates.some((x) => x.name === name)).map((c) => c.name)).toEqual([city]);
  });

  it("has exactly the six comuni the source reports on, with their stated outcomes", () => {
    expect(pack.comuni.map((c) => c.name).sort()).toEqual([
      "Catanzaro",
      "Genova",
      "L'Aquila",
      "Palermo",
      "Parma",
      "Verona",
    ]);
    expect(pack.comuni.every((c) => c.capoluogo && c.populationBand === "oltre-15000")).toBe(true);
    expect(comune("Palermo").region).toBe("Sicilia");
    expect(comune("Catanzaro").region).toBe("Calabria");
    expect(comune("Palermo").outcome).toEqual({ kind: "elected", candidate: "Leoluca Orlando" });
    for (const [city, a, b] of [
      ["Genova", "Marco Bucci", "Gianni Crivello"],
      ["Verona", "Federico Sboarina", "Patrizia Bisinella"],
      ["Parma", "Federico Pizzarotti", "Paolo Scarpa"],
      ["L'Aquila", "Americo Di Benedetto", "Pierluigi Biondi"],
      ["Catanzaro", "Sergio Abramo", "Vincenzo Ciconte"],
    ] as const) {
      expect(comune(city).outcome, city).toEqual({ kind: "runoff", candidates: [a, b] });
    }
  });

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

  it("bulletins name their comuni by the pack's names", () => {
    const last = pack.bulletins[pack.bulletins.length - 1]!;
    expect(last.comuni).toEqual(["Genova", "Verona", "Parma", "L'Aquila", "Catanzaro", "Palermo"]);
    const national = pack.bulletins.filter((b) => b.comuni.length === 0);
    expect(national).toHaveLength(3);
  });
});

// ---------------------------------------------------------------------------
// Invalid packs
// ---------------------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: test fixtures are edited as free-form JSON
type Json = Record<string, any>;

const FILES = ["election.json", "turnout.json", "results.json", "bulletins.json"] as const;
const tmpDirs: string[] = [];

async function copyPack(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "elezioni-pack-"));
  tmpDirs.push(dir);
  for (const f of FILES) await writeFile(path.join(dir, f), await readFile(path.join(DATA, f)));
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

describe("invalid packs", () => {
  it("a copy of the shipped pack loads (the fixture itself is sound)", async () => {
    const dir = await copyPack();
    const p = await loadDataPack(dir);
    expect(p.comuni.length).toBe(pack.comuni.length);
  });

  it("a missing file", async () => {
    const dir = await copyPack();
    await unlink(path.join(dir, "turnout.json"));
    const err = await packError(dir);
    expect(err.issues).toEqual([{ file: "turnout.json", path: "", message: "file mancante" }]);
    expect(err.message).toContain("turnout.json");
  });

  it("a directory that does not exist lists every file", async () => {
    const err = await packError(path.join(os.tmpdir(), `elezioni-pack-does-not-exist-${process.pid}`));
    expect(err.issues.map((i) => i.file).sort()).toEqual([...FILES].sort());
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
      j.comuni[0].candidates[0].percent = 120;
    });
    const err = await packError(dir);
    const issue = err.issues.find((i) => i.path === "comuni[0].candidates[0].percent");
    expect(issue?.file).toBe("results.json");
    expect(err.message).toContain("results.json: comuni[0].candidates[0].percent: ");
  });

  it("a turnout percentage out of range names its reading", async () => {
    const dir = await copyPack();
    await edit(dir, "turnout.json", (j) => {
      j.readings[2].percent = -1;
    });
    const err = await packError(dir);
    expect(err.message).toContain("turnout.json: readings[2].percent: ");
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

  it("a publication time without a time zone", async () => {
    const dir = await copyPack();
    await edit(dir, "bulletins.json", (j) => {
      j.bulletins[1].publishedAt = "2017-06-11 12:55";
    });
    const err = await packError(dir);
    expect(err.message).toContain("bulletins.json: bulletins[1].publishedAt: ");
  });

  it("a bulletin naming an unknown comune", async () => {
    const dir = await copyPack();
    await edit(dir, "bulletins.json", (j) => {
      j.bulletins[3].comuni.push("Roma");
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      { file: "bulletins.json", path: "bulletins[3].comuni[4]", message: expect.stringContaining("Roma") },
    ]);
  });

  it("a bulletin may name a comune by alias or with other spelling", async () => {
    const dir = await copyPack();
    await edit(dir, "bulletins.json", (j) => {
      j.bulletins[3].comuni.push("Aquila", "GENOVA");
    });
    const p = await loadDataPack(dir);
    expect(p.bulletins.find((b) => b.id === "chiusura-seggi")!.comuni).toEqual([
      "Genova",
      "Verona",
      "Parma",
      "Palermo",
      "L'Aquila",
    ]);
  });

  it("a duplicate comune", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni.push({ ...j.comuni[1], name: "VERONA" });
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      { file: "results.json", path: "comuni[6].name", message: expect.stringContaining("ripetuto") },
    ]);
  });

  it("two comuni whose names fold to the same key", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni.push({ ...j.comuni[0], name: "Ge-nova" });
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      { file: "results.json", path: "comuni[6].name", message: expect.stringContaining("Genova") },
    ]);
  });

  it("an elected outcome naming someone who is not a candidate", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[5].outcome.candidate = "Fabrizio Ferrandelli";
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      {
        file: "results.json",
        path: "comuni[5].outcome.candidate",
        message: expect.stringContaining("Fabrizio Ferrandelli"),
      },
    ]);
  });

  it("a runoff naming someone who is not a candidate", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[0].outcome.candidates[1] = "Luca Pirondini";
    });
    const err = await packError(dir);
    expect(err.message).toContain("results.json: comuni[0].outcome.candidates[1]: ");
    expect(err.message).toContain("Luca Pirondini");
  });

  it("a runoff between a candidate and himself", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[0].outcome.candidates = ["Marco Bucci", "Marco Bucci"];
    });
    const err = await packError(dir);
    expect(err.issues).toEqual([
      { file: "results.json", path: "comuni[0].outcome.candidates[1]", message: expect.any(String) },
    ]);
  });

  it("reports every problem of every file at once", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[2].candidates[1].coalition = " ";
      j.comuni[3].province = "aq";
    });
    await edit(dir, "election.json", (j) => {
      j.pollsOpen = "7";
    });
    const err = await packError(dir);
    const lines = err.message.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^results\.json: comuni\[2\]\.candidates\[1\]\.coalition: /),
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
    expect(r.stdout).not.toContain("avviso");
  });

  it("exits non-zero on a broken pack, printing the file and field", async () => {
    const dir = await copyPack();
    await edit(dir, "results.json", (j) => {
      j.comuni[0].candidates[0].percent = 120;
    });
    const r = run(dir);
    expect(r.error).toBeUndefined();
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stderr).toContain("results.json: comuni[0].candidates[0].percent: ");
  });
});
