/**
 * Group commit of outcomes (src/delivery/engine/acknowledger.ts): outcomes of one moment recorded in
 * one transaction; a caller's promise settles only once its own outcome is recorded; a refused batch
 * recorded one by one, so that one bad row does not take the others with it; a failing store refused
 * at once rather than one timeout per outcome.
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import { Acknowledger } from "../../src/delivery/engine/acknowledger.js";
import type { Outcome } from "../../src/store/store.js";

const logger = pino({ level: "silent" });
const outcome = (chatId: number): Outcome => ({ d: { seq: 1, chatId }, outcome: "delivered" });

/** A store that records what it is asked, and refuses what `refuse` says. */
function fakeStore(refuse: (chats: number[]) => boolean = () => false) {
  const calls: { many: boolean; chats: number[] }[] = [];
  const recorded: number[] = [];
  return {
    calls,
    recorded,
    async completeMany(os: readonly Outcome[]) {
      const chats = os.map((o) => o.d.chatId);
      calls.push({ many: true, chats });
      await new Promise((r) => setTimeout(r, 1));
      if (refuse(chats)) throw new Error("SQLITE_CONSTRAINT");
      recorded.push(...chats);
    },
    async complete(d: Outcome["d"]) {
      calls.push({ many: false, chats: [d.chatId] });
      await new Promise((r) => setTimeout(r, 1));
      if (refuse([d.chatId])) throw new Error("SQLITE_CONSTRAINT");
      recorded.push(d.chatId);
    },
  };
}

describe("the acknowledger", () => {
  it("records the outcomes of one moment in one transaction, each caller told once its own is recorded", async () => {
    const store = fakeStore();
    const ack = new Acknowledger(store, logger, { lingerMs: 5 });
    const told: number[] = [];
    const all = [1, 2, 3, 4, 5].map((c) =>
      ack.complete(outcome(c)).then(() => {
        expect(store.recorded).toContain(c);
        told.push(c);
      }),
    );
    await Promise.all(all);
    expect(store.calls).toEqual([{ many: true, chats: [1, 2, 3, 4, 5] }]);
    expect(told.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(ack.stats).toEqual({ commits: 1, outcomes: 5 });
  });

  it("outcomes arriving while a commit is written go in the next one; no batch above maxBatch", async () => {
    const store = fakeStore();
    const ack = new Acknowledger(store, logger, { lingerMs: 0, maxBatch: 3 });
    const first = [1, 2, 3, 4].map((c) => ack.complete(outcome(c)));
    await new Promise((r) => setImmediate(r));
    const later = [5, 6].map((c) => ack.complete(outcome(c)));
    await Promise.all([...first, ...later]);
    await ack.idle();
    expect(store.calls.map((c) => c.chats)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("a refused batch is recorded one by one: only the bad outcome is refused", async () => {
    const store = fakeStore((chats) => chats.includes(3));
    const ack = new Acknowledger(store, logger, { lingerMs: 1 });
    const results = await Promise.allSettled([1, 2, 3, 4].map((c) => ack.complete(outcome(c))));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(store.recorded).toEqual([1, 2, 4]);
  });

  it("a store that refuses everything: after two refusals in a row the rest is refused without asking", async () => {
    const store = fakeStore(() => true);
    const ack = new Acknowledger(store, logger, { lingerMs: 1 });
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((c) => ack.complete(outcome(c))));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(store.calls).toEqual([
      { many: true, chats: [1, 2, 3, 4, 5, 6] },
      { many: false, chats: [1] },
      { many: false, chats: [2] },
    ]);
  });

  it("without batching, every outcome is its own transaction (the benchmarks' old path)", async () => {
    const store = fakeStore();
    const ack = new Acknowledger(store, logger, { batch: false });
    await Promise.all([1, 2, 3].map((c) => ack.complete(outcome(c))));
    expect(store.calls.every((c) => !c.many)).toBe(true);
    expect(ack.stats).toEqual({ commits: 3, outcomes: 3 });
  });
});
