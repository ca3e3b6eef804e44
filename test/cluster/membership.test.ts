import pino from "pino";
import { describe, expect, it } from "vitest";
import { Membership } from "../../src/cluster/membership.js";
import { LocalCoordination } from "../../src/store/memory-coordination.js";

const logger = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Membership", () => {
  it("counts the instances alive: a newcomer within a heartbeat, one that died after three", async () => {
    const c = new LocalCoordination();
    const counts: Record<string, number[]> = { a: [], b: [] };
    const a = new Membership({ coordination: c, id: "a", everyMs: 40, logger, onCount: (n) => counts.a!.push(n) });
    const b = new Membership({ coordination: c, id: "b", everyMs: 40, logger, onCount: (n) => counts.b!.push(n) });
    await a.start();
    expect(a.count).toBe(1);
    await b.start();
    expect(b.count).toBe(2); // it sees `a` at once
    await sleep(60);
    expect(a.count).toBe(2); // `a` sees it within a heartbeat
    expect(b.warmUpMs).toBe(80);
    // `b` dies without leaving: `a` keeps counting it until its heartbeat is three periods old.
    (b as unknown as { running: boolean }).running = false;
    clearTimeout((b as unknown as { timer: NodeJS.Timeout }).timer);
    await sleep(70);
    expect(a.count).toBe(2);
    await sleep(150);
    expect(a.count).toBe(1);
    expect(counts.a).toEqual([2, 1]);
    await a.stop();
    expect(await c.instances(10_000)).toEqual([expect.objectContaining({ id: "b" })]);
  });
});
