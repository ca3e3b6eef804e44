/** Writing the pack: validation before writing, the election.json skeleton, readable JSON, files kept. */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RulesSchema } from "../../src/data/schema.js";
import type { ImportedComune } from "../../src/import/build.js";
import {
  DEFAULT_RULES,
  electionId,
  electionSkeleton,
  InvalidResultsError,
  italianDayPhrase,
  readableJson,
  validateResults,
  writePack,
} from "../../src/import/write.js";

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await rm(dirs.pop()!, { recursive: true, force: true });
});
async function tempDir() {
  const d = await mkdtemp(path.join(tmpdir(), "elezioni-write-"));
  dirs.push(d);
  return d;
}

function comune(name: string, electors: number | undefined, extra: Partial<ImportedComune> = {}): ImportedComune {
  return {
    name,
    province: "GE",
    region: "Liguria",
    capoluogo: false,
    aliases: [],
    firstRound: {
      date: "2017-06-11",
      ...(electors !== undefined ? { electors } : {}),
      candidates: [{ name: "Mario Rossi", votes: 10, percent: 100, elected: true, lists: [] }],
      turnout: [],
      provenance: { source: "Ministero dell'Interno", urls: [], status: "final" },
    },
    ...extra,
  };
}

describe("the election.json skeleton", () => {
  it("has the dates, the hours, the comuni imported, the complete list and the shipped rules", () => {
    const s = electionSkeleton({
      fileName: "/downloads/comunali-20170611.zip",
      firstRoundDate: "2017-06-11",
      runoffDate: "2017-06-25",
      comuni: [comune("Genova", 480_000), comune("Camogli", 4_500)],
      capoluoghiKnown: false,
    });
    expect(s).toEqual({
      id: "comunali-20170611",
      name: "Elezioni comunali dell'11 giugno 2017",
      firstRoundDate: "2017-06-11",
      runoffDate: "2017-06-25",
      timezone: "Europe/Rome",
      pollsOpen: "07:00",
      pollsClose: "23:00",
      comuniVoting: 2,
      votingListComplete: true,
      voters: 484_500,
      rules: DEFAULT_RULES,
    });
  });

  it("counts capoluoghi only when the index knows them, and sums electors only when every comune has them", () => {
    const s = electionSkeleton({
      fileName: "comunali.txt",
      firstRoundDate: "2017-06-11",
      runoffDate: "2017-06-25",
      comuni: [comune("Genova", 480_000, { capoluogo: true }), comune("Camogli", undefined)],
      capoluoghiKnown: true,
    });
    expect(s.capoluoghiVoting).toBe(1);
    expect(s).not.toHaveProperty("voters");
  });

  it("uses the rules of the shipped data pack", async () => {
    const shipped = JSON.parse(await readFile("data/election.json", "utf8"));
    // As the pack reads them: the schema's defaults filled in.
    expect(DEFAULT_RULES).toEqual(RulesSchema.parse(shipped.rules));
  });

  it("names the day in Italian and derives the id from the file", () => {
    expect(italianDayPhrase("2017-06-11")).toBe("dell'11 giugno 2017");
    expect(italianDayPhrase("2018-06-08")).toBe("dell'8 giugno 2018");
    expect(italianDayPhrase("2017-06-25")).toBe("del 25 giugno 2017");
    expect(italianDayPhrase("2019-09-01")).toBe("del 1º settembre 2019");
    expect(electionId("Comunali-20170611.zip", "2017-06-11")).toBe("comunali-20170611");
    expect(electionId("dati comunali.TXT", "2017-06-11")).toBe("dati-comunali-20170611");
    expect(electionId("àèì.csv", "2017-06-11")).toBe("aei-20170611");
    expect(electionId("___.txt", "2017-06-11")).toBe("comunali-20170611");
  });
});

describe("readableJson", () => {
  it("puts short objects on one line and opens long ones, and parses back to the same value", () => {
    const value = {
      comuni: [
        {
          name: "Genova",
          lists: [
            { name: "LEGA", votes: 275, percent: 21.98 },
            { name: "FORZA ITALIA", votes: 74 },
          ],
        },
      ],
      empty: [],
      none: {},
    };
    const text = readableJson(value, 60);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('{ "name": "LEGA", "votes": 275, "percent": 21.98 }');
    expect(text.split("\n").every((l) => l.length <= 60)).toBe(true);
    expect(readableJson([1, 2], 60)).toBe("[1, 2]\n");
    expect(readableJson({ a: undefined, b: 1 })).toBe('{ "b": 1 }\n');
  });
});

describe("validateResults", () => {
  it("accepts comuni that fit the model", () => {
    expect(validateResults([comune("Genova", 1000)]).comuni).toHaveLength(1);
  });

  it("lists every problem with its path and comune", () => {
    const bad = comune("Genova", 1000);
    bad.firstRound.candidates[0]!.percent = 120;
    const twice = comune("Camogli", 10, { istat: "010008" });
    const again = comune("Camogli", 10, { istat: "010008", province: "XX1" });
    try {
      validateResults([bad, twice, again]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidResultsError);
      const issues = (err as InvalidResultsError).issues;
      expect(issues).toHaveLength(4);
      expect(issues[0]).toMatch(/^results\.json: comuni\[0\]\.firstRound\.candidates\[0\]\.percent \(Genova\): /);
      expect(issues[1]).toBe(
        "results.json: comuni[0].firstRound.candidates (Genova): le percentuali sommano a 120,00, oltre 100",
      );
      expect(issues[2]).toMatch(/^results\.json: comuni\[2\]\.province \(Camogli\): sigla di provincia/);
      expect(issues[3]).toBe("results.json: comuni[2] (Camogli): comune ripetuto (già all'indice 1)");
    }
  });
});

describe("writePack", () => {
  const skeleton = electionSkeleton({
    fileName: "comunali-20170611.zip",
    firstRoundDate: "2017-06-11",
    runoffDate: "2017-06-25",
    comuni: [comune("Genova", 1000)],
    capoluoghiKnown: false,
  });

  it("writes the four files of a pack into a new folder", async () => {
    const dir = path.join(await tempDir(), "nuovo", "pack");
    const report = await writePack(dir, [comune("Genova", 1000)], skeleton);
    expect(report).toEqual({
      written: [
        { file: "results.json", created: true },
        { file: "election.json", created: true },
        { file: "turnout.json", created: true },
        { file: "bulletins.json", created: true },
      ],
      kept: [],
    });
    expect((await readdir(dir)).sort()).toEqual(["bulletins.json", "election.json", "results.json", "turnout.json"]);
    const results = JSON.parse(await readFile(path.join(dir, "results.json"), "utf8"));
    expect(results.comuni[0].name).toBe("Genova");
    expect(JSON.parse(await readFile(path.join(dir, "election.json"), "utf8"))).toEqual(skeleton);
    expect(JSON.parse(await readFile(path.join(dir, "bulletins.json"), "utf8"))).toEqual({ bulletins: [] });
  });

  it("rewrites results.json but never an election.json, turnout or bulletins already there", async () => {
    const dir = await tempDir();
    const mine = '{ "id": "mia-elezione" }\n';
    await writeFile(path.join(dir, "election.json"), mine);
    await writeFile(path.join(dir, "results.json"), "vecchio");
    const report = await writePack(dir, [comune("Genova", 1000)], skeleton);
    expect(report.kept).toEqual(["election.json"]);
    expect(report.written[0]).toEqual({ file: "results.json", created: false });
    expect(await readFile(path.join(dir, "election.json"), "utf8")).toBe(mine);
    expect(await readFile(path.join(dir, "results.json"), "utf8")).not.toBe("vecchio");
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes nothing when the results do not validate", async () => {
    const dir = await tempDir();
    const bad = comune("Genova", 1000);
    bad.firstRound.candidates = [];
    await expect(writePack(dir, [bad], skeleton)).rejects.toThrow(InvalidResultsError);
    expect(await readdir(dir)).toEqual([]);
  });
});
