/**
 * The ambient unit of work, on every engine (see ../engines.ts): what `transaction` writes is kept
 * together or not at all, across repositories; a transaction inside one joins it; a call made from
 * elsewhere while one is open is not part of it and sees what it committed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../../src/data/model.js";
import type { NewBulletin } from "../../../src/store/store.js";
import { closeStores, engines } from "../engines.js";

afterEach(closeStores);

const GENOVA = kc("010025");
const bulletin = (id: string): NewBulletin => ({
  election: "comunali-2026",
  id,
  publishedAt: "2026-05-25T15:00:00+02:00",
  text: `Bollettino ${id}`,
  comuni: [GENOVA],
  origin: "newsroom",
});

describe.each(engines)("$name", (engine) => {
  it("commits what the function wrote, across repositories, and resolves to what it returned", async () => {
    const store = engine.open();
    const r = await store.transaction(async () => {
      await store.subscribe(1, GENOVA, "it");
      await store.setMeta("election", "comunali-2026");
      await store.feed.recordAnnouncements([{ key: "k1", comune: "010025", kind: "complete", at: 1 }]);
      return (await store.addBulletin(bulletin("b1"), { requestedBy: null, lang: "it" })).recipients;
    });
    expect(r).toBe(1);
    expect(await store.subscriptionsOf(1)).toEqual([GENOVA]);
    expect(await store.getMeta("election")).toBe("comunali-2026");
    expect(await store.feed.announcedKeys("k")).toEqual(new Set(["k1"]));
    expect(await store.pendingCount()).toBe(1);
  });

  it("keeps nothing of several repositories' writes when the function throws, and rejects with its error", async () => {
    const store = engine.open();
    await store.subscribe(1, GENOVA, "it");
    const failing = store.transaction(async () => {
      await store.setMeta("election", "comunali-2026");
      await store.addBulletin(bulletin("b1"), { requestedBy: null, lang: "it" });
      await store.feed.recordAnnouncements([{ key: "k1", comune: "010025", kind: "complete", at: 1 }]);
      await store.cards.setOff(1, GENOVA, true);
      throw new Error("boom");
    });
    await expect(failing).rejects.toThrow("boom");
    expect(await store.getMeta("election")).toBeUndefined();
    expect(await store.bulletinCount()).toBe(0);
    expect(await store.pendingCount()).toBe(0);
    expect(await store.feed.announcedKeys("k")).toEqual(new Set());
    expect(await store.cards.isOff(1, GENOVA)).toBe(false);
    // The store works on afterwards.
    await store.setMeta("election", "x");
    expect(await store.getMeta("election")).toBe("x");
  });

  it("joins a transaction inside a transaction: the outer one's failure undoes the inner one's writes", async () => {
    const store = engine.open();
    await expect(
      store.transaction(async () => {
        await store.setMeta("a", "1");
        const inner = await store.feed.transaction(async () => {
          await store.setMeta("b", "2");
          return "inner";
        });
        expect(inner).toBe("inner");
        expect(await store.getMeta("b")).toBe("2");
        throw new Error("outer fails");
      }),
    ).rejects.toThrow("outer fails");
    expect(await store.getMeta("a")).toBeUndefined();
    expect(await store.getMeta("b")).toBeUndefined();
  });

  it("settleDraft commits the draft and what its act wrote together; if act throws, the draft stays open", async () => {
    const store = engine.open();
    const d = await store.createDraft({
      kind: "publish",
      userId: 1,
      chatId: 1,
      lang: "it",
      text: "x",
      comuni: [],
      createdAt: 0,
      expiresAt: 60_000,
    });
    await expect(
      store.settleDraft(d.id, 1, "done", async () => {
        await store.addBulletin(bulletin("b1"));
        throw new Error("publish failed");
      }),
    ).rejects.toThrow("publish failed");
    expect(await store.bulletinCount()).toBe(0);
    expect((await store.draft(d.id))?.state).toBe("open");
    const ok = await store.settleDraft(d.id, 1, "done", async () => (await store.addBulletin(bulletin("b2"))).seq);
    expect(ok).toMatchObject({ ok: true, draft: { state: "done" } });
    expect(await store.bulletinCount()).toBe(1);
  });

  it("a call from elsewhere while a transaction awaits is not part of it, and sees what it committed", async () => {
    const store = engine.open();
    let release!: () => void;
    const paused = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    const tx = store.transaction(async () => {
      await store.setMeta("k", "from the transaction");
      inside();
      await paused;
      throw new Error("rolled back");
    });
    await started;
    // Another task writes and reads meanwhile: neither undone with the transaction nor seeing its writes.
    const outsideWrite = store.setMeta("other", "from outside");
    const outsideRead = store.getMeta("k");
    release();
    await expect(tx).rejects.toThrow("rolled back");
    await outsideWrite;
    expect(await outsideRead).toBeUndefined();
    expect(await store.getMeta("other")).toBe("from outside");
    expect(await store.getMeta("k")).toBeUndefined();

    // And committed: the outside read made meanwhile answers with the value committed when it ran
    // (after the transaction on an engine that makes it wait, before it on one that does not: there the
    // read is awaited before the transaction goes on, or its connection could run it after the commit).
    let release2!: () => void;
    const paused2 = new Promise<void>((r) => (release2 = r));
    let inside2!: () => void;
    const started2 = new Promise<void>((r) => (inside2 = r));
    const tx2 = store.transaction(async () => {
      await store.setMeta("k", "committed");
      inside2();
      await paused2;
    });
    await started2;
    const read = store.getMeta("k");
    if (!engine.waitsForTransactions) expect(await read).toBeUndefined();
    release2();
    await tx2;
    if (engine.waitsForTransactions) expect(await read).toBe("committed");
    expect(await store.getMeta("k")).toBe("committed");
  });
});
