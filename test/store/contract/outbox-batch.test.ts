/**
 * The outbox's batch calls, on every engine (see ../engines.ts): completeMany records exactly what the
 * same outcomes recorded one by one with complete would (counters, the delivered record, copies, late
 * copies taken by an amendment, rows already gone), and stillDue answers isDue for several rows at once.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { NewBulletin, Outcome, Storage } from "../../../src/store/store.js";
import { closeStores, type Engine, engines } from "../engines.js";

afterEach(closeStores);

const T = Date.parse("2017-06-11T21:00:00Z");
const by = { requestedBy: 42, lang: "it" as const };
const newsroom = (id: string): NewBulletin => ({
  election: "comunali-2017",
  id,
  publishedAt: "2017-06-11T21:00:00.000Z",
  text: `Bollettino ${id}`,
  comuni: [],
  origin: "newsroom",
});
const copy = (messageId: number, version = 0) => ({ messageId, version, lang: "it" as const });

/**
 * Two pushes to five chats (one a group), a correction of the first while its sends are in flight,
 * a third bulletin withdrawn while its one send is in flight; then every outcome, recorded by `record`.
 * Returns what the store shows afterwards.
 */
async function night(engine: Engine, record: (store: Storage, outcomes: Outcome[]) => Promise<void>) {
  const store = engine.open({ clock: () => T });
  for (const chat of [1, 2, -3, 4, 5]) await store.subscribe(chat, null, "it");
  const x = (await store.addBulletin(newsroom("x"), by)).seq;
  const y = (await store.addBulletin(newsroom("y"), by)).seq;
  await store.amendBulletin(
    x,
    { kind: "correct", content: { text: "x corretto", comuni: [] }, correctedAt: "2017-06-11T21:01:00Z" },
    by,
  );
  await store.unsubscribe(5, "*");
  await store.subscribe(6, null, "it");
  const z = (await store.addBulletin(newsroom("z"), by)).seq;
  await store.amendBulletin(z, { kind: "withdraw" }, by);
  const outcomes: Outcome[] = [
    { d: { seq: x, chatId: 1 }, outcome: "delivered", sent: copy(11) }, // rendered before the correction
    { d: { seq: x, chatId: 2 }, outcome: "delivered", sent: copy(12, 1) }, // after it
    { d: { seq: x, chatId: -3 }, outcome: "delivered", sent: copy(13, 1) },
    { d: { seq: x, chatId: 4 }, outcome: "failed" },
    { d: { seq: y, chatId: 1 }, outcome: "delivered", sent: copy(21) },
    { d: { seq: y, chatId: 2 }, outcome: "skipped" },
    { d: { seq: y, chatId: 5 }, outcome: "delivered", sent: copy(25) }, // unsubscribed meanwhile: row gone
    { d: { seq: z, chatId: 6 }, outcome: "delivered", sent: copy(36) }, // withdrawn meanwhile: row gone
  ];
  await record(store, outcomes);
  const inspect = engine.inspect(store);
  return {
    pushes: (await store.unreportedFinishedPushes()).map((p) => ({
      ...p,
      startedAt: 0,
      finishedAt: p.finishedAt && 1,
    })),
    last: await store.lastPush(),
    copies: [await store.copyCount(x), await store.copyCount(y), await store.copyCount(z)],
    jobs: (await store.dueAmendmentJobs(null, T, 50)).map((j) => [j.kind, j.seq, j.chatId, j.messageId]),
    pending: await store.pendingCount(),
    queued: await inspect.queuedIds(),
    groups: await inspect.deliveredRecord(),
  };
}

describe.each(engines)("$name", (engine) => {
  it("completeMany records what complete records one outcome at a time", async () => {
    const oneByOne = await night(engine, async (store, outcomes) => {
      for (const o of outcomes) await store.complete(o.d, o.outcome, o.sent);
    });
    const batched = await night(engine, (store, outcomes) => store.completeMany(outcomes));
    expect(batched).toEqual(oneByOne);
    // And what that is: y is still queued for the two chats that have no outcome yet…
    expect(batched.queued).toEqual(["y", "y"]);
    expect(batched.jobs).toEqual([
      ["correct", 1, 1, 11],
      ["withdraw", 3, 6, 36],
    ]);
    expect(batched.pushes.map((p) => [p.bulletinId, p.delivered, p.failed, p.skipped, p.removed])).toEqual([
      ["x", 3, 1, 0, 1], // chat 5 unsubscribed before its send
      ["z", 0, 0, 5, 0], // withdrawn: every queued delivery skipped
    ]);
  });

  it("completeMany of nothing does nothing; of one, what complete does", async () => {
    const store = engine.open({ clock: () => T });
    await store.subscribe(1, null, "it");
    const { seq } = await store.addBulletin(newsroom("x"), by);
    await store.completeMany([]);
    expect(await store.pendingCount()).toBe(1);
    await store.completeMany([{ d: { seq, chatId: 1 }, outcome: "delivered", sent: copy(7) }]);
    expect(await store.pendingCount()).toBe(0);
    expect(await store.lastPush()).toMatchObject({ total: 1, delivered: 1 });
  });

  it("stillDue: of several rows, those still queued and due, in the order asked", async () => {
    const store = engine.open({ clock: () => T });
    for (const chat of [1, 2, 3, 4]) await store.subscribe(chat, null, "it");
    const { seq } = await store.addBulletin(newsroom("x"), by);
    await store.postpone({ seq, chatId: 2 }, T + 60_000, "502 Bad Gateway");
    await store.complete({ seq, chatId: 3 }, "delivered", copy(3));
    const ask = [4, 3, 2, 1].map((chatId) => ({ seq, chatId }));
    expect(await store.stillDue(ask, T)).toEqual([
      { seq, chatId: 4 },
      { seq, chatId: 1 },
    ]);
    expect(await store.stillDue(ask, T + 60_000)).toEqual([
      { seq, chatId: 4 },
      { seq, chatId: 2 },
      { seq, chatId: 1 },
    ]);
    expect(await store.stillDue([], T)).toEqual([]);
  });
});
