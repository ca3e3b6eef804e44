/**
 * Suggestions ranked by population, where the comuni index gives it: the shipped pack with a few
 * census populations added, through the bot and the fake Bot API.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SentMessage } from "../../support/fake-bot-api/index.js";
import { type Harness, startHarness } from "../../support/harness.js";

/** 2011 census figures of a few comuni. */
const POPULATION: Record<string, number> = {
  "Sesto San Giovanni": 76_514,
  "Sesto Fiorentino": 47_742,
  "Sesto Calende": 10_720,
  Sesto: 1_883,
  "Sesto al Reghena": 6_226,
  "Sesto Campano": 2_559,
  "Sesto ed Uniti": 3_090,
};

let h: Harness;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "elezioni-population-"));
  await cp("data", dir, { recursive: true });
  const file = path.join(dir, "comuni.json");
  const index = JSON.parse(await readFile(file, "utf8")) as { comuni: { name: string; population?: number }[] };
  for (const c of index.comuni) if (POPULATION[c.name]) c.population = POPULATION[c.name];
  await writeFile(file, JSON.stringify(index));
  h = await startHarness({ runtime: { dataDir: dir } });
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

const buttons = (msgs: SentMessage[]) =>
  msgs.flatMap((m) =>
    ((m.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
      .flat()
      .map((b) => b.text),
  );

describe("with populations in the comuni index", () => {
  it("«Sesto» asks, the most populous first", async () => {
    expect(buttons(await h.say("/citta Sesto"))).toEqual([
      "Sesto San Giovanni",
      "Sesto Fiorentino",
      "Sesto Calende",
      "Sesto al Reghena",
      "Sesto ed Uniti",
      "Sesto Campano",
      "Sesto",
    ]);
  });

  it("inline «sesto»: the exact name, then the longer ones by population", async () => {
    await h.inline("sesto");
    const answer = h.fake.inlineAnswers.at(-1)! as unknown as { results: { title: string }[] };
    expect(answer.results.map((r) => r.title).slice(0, 3)).toEqual(["Sesto", "Sesto San Giovanni", "Sesto Fiorentino"]);
  });
});
