/** The coordination contract (leases, heartbeats) on both engines: in memory (SQLite's one process) and PostgreSQL. */
import { afterAll, describe, expect, it } from "vitest";
import type { Coordination } from "../../src/store/contract/coordination.js";
import { LocalCoordination } from "../../src/store/memory-coordination.js";
import { PgDatabase } from "../../src/store/postgres/connection.js";
import { PgCoordination } from "../../src/store/postgres/coordination.js";
import { migrate } from "../../src/store/postgres/migrations.js";
import { freshSchema } from "../support/postgres.js";

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const engines: { name: string; open(): Promise<Coordination> }[] = [
  { name: "memory", open: async () => new LocalCoordination() },
  {
    name: "postgres",
    async open() {
      const s = await freshSchema();
      const db = new PgDatabase(s.url, { schema: s.schema });
      await migrate(db);
      cleanup.push(
        () => s.drop(),
        () => db.close(),
      );
      return new PgCoordination(db);
    },
  },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(engines)("coordination on $name", (engine) => {
  it("grants a lease to one holder until it expires, renews it for its holder, and releases it", async () => {
    const c = await engine.open();
    expect(await c.acquire("leader", "a", 300)).toBe(true);
    expect(await c.acquire("leader", "b", 300)).toBe(false);
    expect(await c.acquire("leader", "a", 300)).toBe(true); // renewed
    expect(await c.acquire("updates", "b", 300)).toBe(true); // another lease
    const leases = await c.leases();
    expect(leases.map((l) => [l.name, l.holder])).toEqual([
      ["leader", "a"],
      ["updates", "b"],
    ]);
    await sleep(350);
    expect(await c.acquire("leader", "b", 300)).toBe(true); // expired: b takes it
    expect(await c.acquire("leader", "a", 300)).toBe(false);
    await c.release("leader", "a"); // not a's any more: nothing happens
    expect(await c.acquire("leader", "a", 300)).toBe(false);
    await c.release("leader", "b");
    expect(await c.acquire("leader", "a", 300)).toBe(true);
  });

  it("gives a contended lease to exactly one of many holders asking at once", async () => {
    const c = await engine.open();
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => c.acquire("leader", `h${i}`, 5_000)));
    expect(got.filter(Boolean)).toHaveLength(1);
  });

  it("counts the instances seen recently, and forgets one that left", async () => {
    const c = await engine.open();
    await c.heartbeat({ id: "a", host: "h1", pid: 1, startedAt: 1, waiting: 0 });
    await c.heartbeat({ id: "b", host: "h2", pid: 2, startedAt: 2, waiting: 7 });
    expect((await c.instances(5_000)).map((i) => [i.id, i.waiting])).toEqual([
      ["a", 0],
      ["b", 7],
    ]);
    await c.heartbeat({ id: "b", host: "h2", pid: 2, startedAt: 2, waiting: 3 });
    expect((await c.instances(5_000)).map((i) => i.waiting)).toEqual([0, 3]);
    await c.leave("a");
    expect((await c.instances(5_000)).map((i) => i.id)).toEqual(["b"]);
    await sleep(120);
    await c.heartbeat({ id: "c", host: "h3", pid: 3, startedAt: 3, waiting: 0 });
    expect((await c.instances(100)).map((i) => i.id)).toEqual(["c"]);
  });
});
