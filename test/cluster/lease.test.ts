import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { LeaseKeeper } from "../../src/cluster/lease.js";
import type { Coordination } from "../../src/store/contract/coordination.js";
import { LocalCoordination } from "../../src/store/memory-coordination.js";

const logger = pino({ level: "silent" });
const keepers: LeaseKeeper[] = [];
afterEach(async () => {
  await Promise.all(keepers.splice(0).map((k) => k.stop()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(5);
  }
}

function keeper(coordination: Coordination, holder: string, events: string[], ttlMs = 120) {
  const k = new LeaseKeeper({
    coordination,
    name: "leader",
    holder,
    ttlMs,
    renewEveryMs: ttlMs / 4,
    logger,
    onGained: () => {
      events.push(`${holder}+`);
    },
    onLost: () => {
      events.push(`${holder}-`);
    },
  });
  keepers.push(k);
  return k;
}

describe("LeaseKeeper", () => {
  it("gives the lease to one instance only, and to the other when the first stops", async () => {
    const c = new LocalCoordination();
    const events: string[] = [];
    const a = keeper(c, "a", events);
    a.start();
    await until(() => a.held);
    const b = keeper(c, "b", events);
    b.start();
    await sleep(300); // more than two leases' length: a renews, b never gets it
    expect(b.held).toBe(false);
    expect(events).toEqual(["a+"]);
    await a.stop();
    await until(() => b.held);
    expect(events).toEqual(["a+", "a-", "b+"]);
  });

  it("is taken over after the holder dies without releasing it, once the lease expires", async () => {
    const c = new LocalCoordination();
    const events: string[] = [];
    // A holder that dies: it takes the lease once and then is never heard of again.
    expect(await c.acquire("leader", "dead", 150)).toBe(true);
    const b = keeper(c, "b", events);
    const t0 = Date.now();
    b.start();
    await sleep(80);
    expect(b.held).toBe(false);
    await until(() => b.held);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await c.leases()).map((l) => l.holder)).toEqual(["b"]);
  });

  it("gives the lease up on its own side before it may expire when the database cannot be reached", async () => {
    const inner = new LocalCoordination();
    let down = false;
    const flaky: Coordination = {
      ...inner,
      acquire: (...a) => (down ? Promise.reject(new Error("connection refused")) : inner.acquire(...a)),
      release: (...a) => inner.release(...a),
      leases: () => inner.leases(),
      heartbeat: (i) => inner.heartbeat(i),
      instances: (w) => inner.instances(w),
      leave: (id) => inner.leave(id),
    };
    const events: string[] = [];
    const a = keeper(flaky, "a", events, 200);
    a.start();
    await until(() => a.held);
    const lostBy = Date.now() + 200; // the lease's end on the database's side, at the latest
    down = true;
    await until(() => !a.held, 1_000);
    expect(Date.now()).toBeLessThan(lostBy);
    // Another instance may take it only after it expires: by then `a` no longer acts as holder.
    const b = keeper(inner, "b", events, 200);
    b.start();
    await until(() => b.held, 1_000);
    expect(events).toEqual(["a+", "a-", "b+"]);
  });

  it("gives the lease up again when its duties fail to start", async () => {
    const c = new LocalCoordination();
    const k = new LeaseKeeper({
      coordination: c,
      name: "updates",
      holder: "a",
      ttlMs: 1_000,
      renewEveryMs: 50,
      logger,
      onGained: () => {
        throw new Error("409 Conflict");
      },
      onLost: () => undefined,
    });
    keepers.push(k);
    k.start();
    await sleep(30);
    expect(k.held).toBe(false);
    expect(await c.leases()).toEqual([]);
  });
});
