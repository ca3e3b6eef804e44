import pino from "pino";
import { describe, expect, it } from "vitest";
import { FLOOR, Membership, shareOf } from "../../src/cluster/membership.js";
import { LocalCoordination } from "../../src/store/memory-coordination.js";

const logger = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (3 s at most) until `ok`, then asserts it. */
async function until(ok: () => boolean): Promise<void> {
  for (let t = 0; t < 3000 && !ok(); t += 5) await sleep(5);
  expect(ok()).toBe(true);
}

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

  it("splits the limit by demand, above a floor, never more than the whole", () => {
    expect(shareOf(0, [])).toBe(1);
    expect(shareOf(500, [])).toBe(1);
    expect(shareOf(0, [0])).toBeCloseTo(0.5);
    expect(shareOf(0, [0, 0, 0])).toBeCloseTo(0.25);
    // An uneven rush: the instance with 600 replies waiting gets nearly all of it, the other its floor.
    const busy = shareOf(600, [0]);
    const idle = shareOf(0, [600]);
    expect(busy).toBeGreaterThan(0.94);
    expect(idle).toBeGreaterThanOrEqual(FLOOR / 2);
    expect(idle).toBeLessThan(0.06);
    for (const demand of [
      [0, 0],
      [3, 0],
      [600, 0],
      [10, 20, 30],
      [0, 0, 5000, 1],
    ]) {
      const sum = demand.reduce(
        (s, w, i) =>
          s +
          shareOf(
            w,
            demand.filter((_, j) => j !== i),
          ),
        0,
      );
      expect(sum).toBeCloseTo(1, 9);
    }
  });

  it("follows demand: the others lower their share at once, the busy one raises it only later; the sum never exceeds the limit", async () => {
    const c = new LocalCoordination();
    const waiting: Record<string, number> = { a: 0, b: 0 };
    const share: Record<string, number> = { a: 1, b: 1 };
    let worst = 0;
    const onShare = (id: string) => (s: number) => {
      share[id] = s;
      worst = Math.max(worst, share.a! + share.b!);
    };
    const member = (id: string) =>
      new Membership({ coordination: c, id, everyMs: 100, logger, waiting: () => waiting[id]!, onShare: onShare(id) });
    const a = member("a");
    const b = member("b");
    await a.start();
    await b.start();
    await until(() => Math.abs(share.a! - 0.5) < 1e-9 && Math.abs(share.b! - 0.5) < 1e-9);
    worst = 0;
    // A rush reaches `a` only: 600 replies wait there.
    waiting.a = 600;
    // `b` gives way at its next heartbeat; `a` has not raised its share by then.
    await until(() => share.b! < 0.06);
    expect(share.a).toBeCloseTo(0.5);
    await until(() => share.a! > 0.94);
    // The rush is answered: `b` gets its half back, `a` gives the rest back.
    waiting.a = 0;
    await until(() => Math.abs(share.a! - 0.5) < 1e-9 && Math.abs(share.b! - 0.5) < 1e-9);
    expect(worst).toBeLessThanOrEqual(1 + 1e-9);
    await a.stop();
    await b.stop();
  });

  it("a rush reaching both evenly leaves the split even (nothing wasted); a newcomer starts at its floor; a departure frees its share at once", async () => {
    const c = new LocalCoordination();
    const waiting: Record<string, number> = { a: 0, b: 0, c: 0 };
    const share: Record<string, number> = { a: 1, b: 1, c: 1 };
    let lowest = 1;
    const member = (id: string) =>
      new Membership({
        coordination: c,
        id,
        everyMs: 100,
        logger,
        waiting: () => waiting[id]!,
        onShare: (s) => {
          share[id] = s;
          if (id !== "c") lowest = Math.min(lowest, s);
        },
      });
    const a = member("a");
    const b = member("b");
    await a.start();
    await b.start();
    await until(() => Math.abs(share.a! - 0.5) < 1e-9 && Math.abs(share.b! - 0.5) < 1e-9);
    lowest = 1;
    waiting.a = 600;
    waiting.b = 600;
    await sleep(350);
    // Both answer theirs at the same pace: 30 a heartbeat, as two instances at 15/s with a 2 s heartbeat.
    for (let left = 600; left >= 300; left -= 30) {
      waiting.a = left;
      waiting.b = left - 10;
      await sleep(100);
    }
    // Each kept about half all along: a common rush takes nothing from either. (Each reads the other's
    // demand a heartbeat late: while both drain, each counts the other a little busier than it is.
    // Near the end of a rush, when a few replies are left, that costs more of the limit, for seconds.)
    expect(lowest).toBeGreaterThan(0.45);
    waiting.a = 0;
    waiting.b = 0;
    // A newcomer sends at its floor until the others have seen it.
    const n = member("c");
    await n.start();
    expect(share.c).toBeCloseTo(FLOOR / 3);
    await until(() => Math.abs(share.c! - 1 / 3) < 0.02);
    // It dies without leaving: once its heartbeat is three periods old, the others take its share at once.
    (n as unknown as { running: boolean }).running = false;
    clearTimeout((n as unknown as { timer: NodeJS.Timeout }).timer);
    await until(() => a.count === 2);
    await sleep(5);
    expect(share.a! + share.b!).toBeGreaterThan(0.95);
    await a.stop();
    await b.stop();
  });
});
