/** The data pack as a newsroom feed, through the real runtime and the fake Bot API: what a new, edited or removed bulletin does. */
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, type HarnessOptions, startHarness } from "../support/harness.js";

const fast: HarnessOptions["runtime"] = { engine: { backoffMs: () => 20, privateGapMs: 30, groupGapMs: 60 } };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function harness(o: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ ...o, runtime: { ...fast, ...o.runtime } });
  cleanups.push(() => h.close());
  return h;
}

interface PackBulletin {
  id: string;
  publishedAt: string;
  text: string;
  comuni: string[];
}

/** A copy of the shipped pack in a temp dir, with helpers to edit it as a newsroom would. */
async function packCopy() {
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-pack-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  for (const f of ["election.json", "turnout.json", "results.json", "bulletins.json"])
    await copyFile(path.join("data", f), path.join(dir, f));
  const file = (f: string) => path.join(dir, f);
  return {
    dir,
    async bulletins(): Promise<PackBulletin[]> {
      return JSON.parse(await readFile(file("bulletins.json"), "utf8")).bulletins;
    },
    async setBulletins(list: PackBulletin[]): Promise<void> {
      await writeFile(file("bulletins.json"), JSON.stringify({ bulletins: list }));
    },
    async setElectionId(id: string): Promise<void> {
      const e = JSON.parse(await readFile(file("election.json"), "utf8"));
      await writeFile(file("election.json"), JSON.stringify({ ...e, id }));
    },
  };
}

const pushesTo = (h: Harness, chatId: number) => h.fake.sentTo(chatId).filter((m) => m.plain.startsWith("🕒"));

describe("the next election on the same database", () => {
  it("an id used by a past election is a new bulletin: it is pushed, and /ultime shows it first", async () => {
    const pack = await packCopy();
    const first = await harness({ runtime: { dataDir: pack.dir } });
    await first.runtime.stop();

    // The recipe for the next election: copy the pack, change the election id, start afresh.
    await pack.setElectionId("comunali-2022");
    await pack.setBulletins([]);
    const second = await harness({ runtime: { dataDir: pack.dir }, dbPath: first.dbPath, existingFake: first.fake });
    second.runtime.store.subscribe(1, null, "it");
    second.runtime.start();
    await pack.setBulletins([
      {
        id: "affluenza-12",
        publishedAt: "2022-06-12T12:30:00+02:00",
        text: "Affluenza alle ore 12: 18,2%.",
        comuni: [],
      },
    ]);
    await second.runtime.poll();
    await second.runtime.engine.drained();
    expect(pushesTo(second, 1).map((m) => m.plain.split("\n")[1])).toEqual(["Affluenza alle ore 12: 18,2%."]);
    const latest = (await second.say("/ultime 1"))[0]!.plain;
    expect(latest).toContain("Affluenza alle ore 12: 18,2%.");
  });
});
