/** The data pack as a newsroom feed, through the real runtime and the fake Bot API: what a new, edited or removed bulletin does. */
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
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

/** A logger whose JSON lines the test can read. */
function capturedLogger() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
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
    await second.runtime.store.subscribe(1, null, "it");
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

describe("editing bulletins.json while the bot runs", () => {
  /** A running bot on a copy of the pack, one subscriber (chat 1), the first sync done. */
  async function running() {
    const pack = await packCopy();
    const log = capturedLogger();
    const h = await harness({ runtime: { dataDir: pack.dir, logger: log.logger } });
    await h.runtime.store.subscribe(1, null, "it");
    h.runtime.start();
    await h.runtime.poll();
    const ultime = async () => (await h.say("/ultime 20"))[0]!.plain;
    /** Polls once and lets the engine send whatever that queued. */
    const sync = async () => {
      await h.runtime.poll();
      await h.runtime.engine.drained();
    };
    return { pack, h, log, ultime, sync };
  }

  it("a changed text or time of a known id corrects the bulletin in /ultime, and is not pushed again", async () => {
    const { pack, h, ultime, sync } = await running();
    const list = await pack.bulletins();
    const i = list.findIndex((b) => b.id === "affluenza-19");
    list[i] = {
      ...list[i]!,
      text: "Affluenza alle ore 19: 42,4% (dato corretto).",
      publishedAt: "2017-06-11T20:05:00+02:00",
    };
    await pack.setBulletins(list);
    await sync();
    const shown = await ultime();
    expect(shown).toContain("Affluenza alle ore 19: 42,4% (dato corretto).");
    expect(shown).toContain("11/06/2017 20:05");
    expect(shown).not.toContain("42,35%");
    expect(pushesTo(h, 1)).toHaveLength(0);
  });

  it("a queued delivery of a corrected bulletin goes out corrected", async () => {
    const { pack, h, sync } = await running();
    await h.runtime.engine.stop();
    const list = await pack.bulletins();
    const added = {
      id: "spoglio-genova",
      publishedAt: "2017-06-12T01:10:00+02:00",
      text: "Genova: Bucci al 38%.",
      comuni: ["Genova"],
    };
    await pack.setBulletins([...list, added]);
    await h.runtime.poll();
    expect(await h.runtime.store.pendingCount()).toBe(1);
    await pack.setBulletins([...list, { ...added, text: "Genova: Bucci al 38,8%." }]);
    await h.runtime.poll();
    h.runtime.engine.start();
    await sync();
    expect(pushesTo(h, 1).map((m) => m.plain.split("\n")[1])).toEqual(["Genova: Bucci al 38,8%."]);
  });

  it("a removed id is hidden from /ultime but kept; its queued deliveries stop; put back, it shows again without a push", async () => {
    const { pack, h, ultime, sync } = await running();
    const list = await pack.bulletins();
    await pack.setBulletins(list.filter((b) => b.id !== "affluenza-19"));
    await sync();
    expect(await ultime()).not.toContain("42,35%");
    expect((await h.runtime.store.bulletinsOf("comunali-2017")).find((b) => b.id === "affluenza-19")).toMatchObject({
      hidden: true,
    });

    // Withdrawn while its push is queued: the rest of the push is not sent.
    await h.runtime.engine.stop();
    const added = { id: "errore", publishedAt: "2017-06-12T01:00:00+02:00", text: "Testo sbagliato", comuni: [] };
    await pack.setBulletins([...list, added]);
    await h.runtime.poll();
    expect(await h.runtime.store.pendingCount()).toBe(1);
    await pack.setBulletins(list);
    await h.runtime.poll();
    expect(await h.runtime.store.pendingCount()).toBe(0);
    expect(await h.runtime.store.lastPush()).toMatchObject({ total: 1, skipped: 1, delivered: 0 });
    h.runtime.engine.start();
    await sync();
    expect(await ultime()).toContain("42,35%");
    expect(await ultime()).not.toContain("Testo sbagliato");
    expect(pushesTo(h, 1)).toHaveLength(0);
  });

  it("a renamed id is a new bulletin, and the log warns that it repeats a known one", async () => {
    const { pack, h, log, ultime, sync } = await running();
    const list = await pack.bulletins();
    const i = list.findIndex((b) => b.id === "affluenza-19");
    list[i] = { ...list[i]!, id: "affluenza-ore-19" };
    await pack.setBulletins(list);
    await sync();
    const warning = log.lines.find((l) => l.level === 40 && l.bulletin === "affluenza-ore-19");
    expect(warning).toMatchObject({ like: "affluenza-19" });
    expect(warning!.msg).toMatch(/renamed/);
    expect(pushesTo(h, 1)).toHaveLength(1);
    // The old id left the file: shown once, not twice.
    expect((await ultime()).split("42,35%")).toHaveLength(2);
  });
});

describe("a sync that fails", () => {
  it("a new pack bulletin is published by the next poll when storing it failed once", async () => {
    const pack = await packCopy();
    const h = await harness({ runtime: { dataDir: pack.dir } });
    await h.runtime.store.subscribe(1, null, "it");
    h.runtime.start();
    await h.runtime.poll();
    await pack.setBulletins([
      ...(await pack.bulletins()),
      { id: "spoglio", publishedAt: "2017-06-12T01:10:00+02:00", text: "Spoglio al 50%.", comuni: [] },
    ]);
    // The database is busy once, as when another process holds the write lock past busy_timeout.
    const store = h.runtime.store;
    const addBulletin = store.addBulletin.bind(store);
    let failures = 1;
    store.addBulletin = (...args) => {
      if (failures-- > 0) throw new Error("database is locked");
      return addBulletin(...args);
    };
    await expect(h.runtime.poll()).rejects.toThrow("database is locked");
    await h.runtime.poll();
    await h.runtime.engine.drained();
    expect(pushesTo(h, 1).map((m) => m.plain.split("\n")[1])).toEqual(["Spoglio al 50%."]);
  });
});
