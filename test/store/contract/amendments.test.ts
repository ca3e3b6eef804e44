/**
 * The store's newsroom side, on every engine (see ../engines.ts): the message id of every delivery,
 * corrections and withdrawals as outbox rows with their bookkeeping, drafts waiting for confirmation.
 */
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../../src/data/model.js";
import { html } from "../../../src/format/html.js";
import { NATIONAL, type NewBulletin, type NewDraft, type Storage } from "../../../src/store/store.js";
import { closeStores, engines } from "../engines.js";

afterEach(closeStores);

let clock = Date.parse("2017-06-11T21:00:00Z");

const newsroom = (over: Partial<NewBulletin> = {}): NewBulletin => ({
  election: "comunali-2017",
  id: "redazione-1",
  publishedAt: "2017-06-11T21:00:00.000Z",
  text: "Affluenza alle 19: 42,53%",
  comuni: [],
  origin: "newsroom",
  ...over,
});

const by = { requestedBy: 42, lang: "it" as const };

/** A bulletin pushed to `chats`, each delivered with message id 100 + chat. */
async function delivered(store: Storage, chats: number[], over: Partial<NewBulletin> = {}): Promise<number> {
  for (const c of chats) await store.subscribe(c, null, "it");
  const { seq } = await store.addBulletin(newsroom(over), by);
  for (const c of chats)
    await store.complete({ seq, chatId: c }, "delivered", { messageId: 100 + c, version: 0, lang: "it" });
  return seq;
}

/** A bulletin waiting for its editor's confirmation. */
const draft = (over: Partial<NewDraft> = {}): NewDraft => ({
  kind: "publish",
  userId: 42,
  chatId: 42,
  lang: "it",
  text: "Seggi chiusi",
  comuni: [kc("Genova")],
  createdAt: clock,
  expiresAt: clock + 30 * 60_000,
  ...over,
});

describe.each(engines)("$name", (engine) => {
  async function memoryStore(): Promise<Storage> {
    clock = Date.parse("2017-06-11T21:00:00Z");
    const store = engine.open({ clock: () => clock });
    await store.setMeta("election", "comunali-2017");
    return store;
  }

  describe("copies and amendments", () => {
    it("a correction queues an edit of every delivered copy, with its message id, and counts how they end", async () => {
      const store = await memoryStore();
      const seq = await delivered(store, [1, 2, 3]);
      expect(await store.copyCount(seq)).toEqual({ delivered: 3, queued: 0 });
      const r = (await store.amendBulletin(
        seq,
        {
          kind: "correct",
          content: { text: "Affluenza alle 19: 42,35%", html: html`<b>42,35%</b>`, comuni: [kc("Genova")] },
          correctedAt: "2017-06-11T21:05:00.000Z",
        },
        by,
      ))!;
      expect(r).toMatchObject({ copies: 3, queued: 0 });
      const b = (await store.bulletin(seq))!;
      expect(b).toMatchObject({
        text: "Affluenza alle 19: 42,35%",
        html: "<b>42,35%</b>",
        comuni: [kc("Genova")],
        version: 1,
      });
      expect(b.correctedAt).toBe("2017-06-11T21:05:00.000Z");
      expect(b.publishedAt).toBe("2017-06-11T21:00:00.000Z");
      const jobs = await store.dueAmendmentJobs(null, clock, 10);
      expect(jobs.map((j) => [j.kind, j.chatId, j.messageId])).toEqual([
        ["correct", 1, 101],
        ["correct", 2, 102],
        ["correct", 3, 103],
      ]);
      expect(await store.pendingCount()).toBe(3);
      await store.completeAmendmentJob(jobs[0]!, "done", 1);
      await store.postponeAmendmentJob(jobs[1]!, clock + 5000, "502 Bad Gateway");
      expect((await store.dueAmendmentJobs(null, clock, 10)).map((j) => j.chatId)).toEqual([3]);
      expect(await store.nextDueAt()).toBe(clock + 5000);
      await store.completeAmendmentJob(jobs[2]!, "gone");
      expect(await store.unreportedFinishedAmendments()).toEqual([]);
      await store.completeAmendmentJob(jobs[1]!, "failed");
      // Settling twice changes nothing.
      await store.completeAmendmentJob(jobs[1]!, "done");
      const [report] = await store.unreportedFinishedAmendments();
      expect(report).toMatchObject({ kind: "correct", seq, total: 3, done: 1, gone: 1, failed: 1, superseded: 0 });
      expect(report!.bulletinText).toBe("Affluenza alle 19: 42,35%");
      await store.markAmendmentReported(report!.id);
      expect(await store.unreportedFinishedAmendments()).toEqual([]);
      // The copy that is gone is forgotten; the edited one is at the new version.
      expect((await store.copyCount(seq)).delivered).toBe(2);
    });

    it("a withdrawal hides the bulletin, stops its queued deliveries, and supersedes pending edits", async () => {
      const store = await memoryStore();
      const seq = await delivered(store, [1, 2]);
      const other = (await store.addBulletin(newsroom({ id: "redazione-2" }), by)).seq;
      await store.amendBulletin(
        seq,
        { kind: "correct", content: { text: "x", comuni: [] }, correctedAt: "2017-06-11T21:01:00Z" },
        by,
      );
      const first = await store.dueAmendmentJobs(null, clock, 10);
      await store.completeAmendmentJob(first[0]!, "done", 1);
      const w = (await store.amendBulletin(seq, { kind: "withdraw" }, by))!;
      expect(w).toMatchObject({ copies: 2, queued: 0 });
      expect((await store.bulletin(seq))!.hidden).toBe(true);
      expect((await store.latestBulletins(10)).map((b) => b.seq)).toEqual([other]);
      // The correction's edit still pending went to the withdrawal, which deletes both copies.
      const jobs = await store.dueAmendmentJobs(null, clock, 10);
      expect(jobs.map((j) => [j.kind, j.chatId])).toEqual([
        ["withdraw", 1],
        ["withdraw", 2],
      ]);
      const [correction] = await store.unreportedFinishedAmendments();
      expect(correction).toMatchObject({ kind: "correct", done: 1, superseded: 1 });
      // Nothing more to do to a withdrawn bulletin.
      expect(await store.amendBulletin(seq, { kind: "withdraw" }, by)).toBeUndefined();
      expect(await store.amendBulletin(999, { kind: "withdraw" }, by)).toBeUndefined();
      for (const j of jobs) await store.completeAmendmentJob(j, "done");
      expect((await store.copyCount(seq)).delivered).toBe(0);
    });

    it("a copy sent while its bulletin was corrected or withdrawn is taken by that amendment", async () => {
      const store = await memoryStore();
      await store.subscribe(1, null, "it");
      await store.subscribe(2, null, "it");
      const { seq } = await store.addBulletin(newsroom(), by);
      // Both sends were rendered at version 0 and are in flight when the correction lands.
      const r = (await store.amendBulletin(
        seq,
        { kind: "correct", content: { text: "Nuovo", comuni: [] }, correctedAt: "2017-06-11T21:01:00Z" },
        by,
      ))!;
      expect(r).toMatchObject({ copies: 0, queued: 2 });
      // Nothing to edit yet: finished at once, and reported at once (the editor was told).
      expect(await store.unreportedFinishedAmendments()).toEqual([]);
      await store.complete({ seq, chatId: 1 }, "delivered", { messageId: 11, version: 0, lang: "it" });
      await store.complete({ seq, chatId: 2 }, "delivered", { messageId: 12, version: 1, lang: "it" });
      expect((await store.dueAmendmentJobs(null, clock, 10)).map((j) => [j.chatId, j.messageId])).toEqual([[1, 11]]);
      // A withdrawal while a send is in flight: its row is gone, yet the message it made is deleted too.
      await store.subscribe(3, null, "it");
      const second = (await store.addBulletin(newsroom({ id: "redazione-2" }), by)).seq;
      await store.amendBulletin(second, { kind: "withdraw" }, by);
      await store.complete({ seq: second, chatId: 3 }, "delivered", { messageId: 13, version: 0, lang: "it" });
      expect((await store.dueAmendmentJobs(null, clock, 10)).map((j) => [j.kind, j.chatId, j.messageId])).toEqual([
        ["correct", 1, 11],
        ["withdraw", 3, 13],
      ]);
    });

    it("finds the bulletin a message is about: a delivered copy, or the newsroom's own message", async () => {
      const store = await memoryStore();
      const seq = await delivered(store, [5]);
      await store.recordNewsroomMessage(42, 7, seq);
      expect(await store.bulletinByMessage(5, 105)).toBe(seq);
      expect(await store.bulletinByMessage(42, 7)).toBe(seq);
      expect(await store.bulletinByMessage(5, 999)).toBeUndefined();
      // Another election's bulletins are not found.
      await store.setMeta("election", "comunali-2022");
      expect(await store.bulletinByMessage(5, 105)).toBeUndefined();
    });

    it("counts the chats a bulletin would reach, and forgets old message ids", async () => {
      const store = await memoryStore();
      await store.subscribe(1, null, "it");
      await store.subscribe(2, kc("Genova"), "it");
      await store.subscribe(2, kc("Parma"), "it");
      await store.subscribe(3, kc("Verona"), "it");
      expect(await store.recipientCount([])).toBe(3);
      expect(await store.recipientCount([kc("Genova")])).toBe(2);
      expect(await store.recipientCount([kc("Genova"), kc("Parma")])).toBe(2);
      expect(await store.recipientCount([kc("Palermo")])).toBe(1);
      const seq = await delivered(store, [1]);
      expect(await store.forgetCopiesBefore(Date.parse("2017-06-11T20:00:00Z"))).toBe(0);
      expect(await store.forgetCopiesBefore(Date.parse("2017-06-20T00:00:00Z"))).toBe(1);
      expect((await store.copyCount(seq)).delivered).toBe(0);
    });
  });
  describe("a correction's comuni decide again who gets it", () => {
    const correct = (comuni: string[]) => ({
      kind: "correct" as const,
      content: { text: "Corretto", comuni: comuni.map(kc) },
      correctedAt: "2017-06-11T21:05:00.000Z",
    });
    /** 1 follows Genova, 2 Parma, 3 everything, 4 the national bulletins only, 5 Genova and Parma. */
    async function followers(store: Storage) {
      await store.subscribe(1, kc("Genova"), "it");
      await store.subscribe(2, kc("Parma"), "en");
      await store.subscribe(3, null, "it");
      await store.subscribe(4, NATIONAL, "it");
      await store.subscribe(5, kc("Genova"), "it");
      await store.subscribe(5, kc("Parma"), "it");
    }
    const queuedChats = (store: Storage, seq: number) => engine.inspect(store).queuedChats(seq);

    it("delivered: every copy is edited, the chats it now concerns get it, its push goes on", async () => {
      const store = await memoryStore();
      await followers(store);
      const { seq, recipients } = await store.addBulletin(newsroom({ comuni: [kc("Genova")] }), by);
      expect(recipients).toBe(3);
      for (const c of [1, 3, 5])
        await store.complete({ seq, chatId: c }, "delivered", { messageId: 100 + c, version: 0, lang: "it" });
      expect(await store.lastPush()).toMatchObject({ total: 3, delivered: 3 });
      expect((await store.lastPush())!.finishedAt).not.toBeNull();
      await store.markReported(seq);

      // The preview's figures, then the same done.
      expect(await store.correctionReach(seq, [kc("Parma")])).toEqual({
        copies: 3,
        stale: 1,
        queued: 0,
        dropped: 0,
        added: 1,
      });
      expect(await store.amendBulletin(seq, correct(["Parma"]), by)).toMatchObject({
        copies: 3,
        queued: 0,
        added: 1,
        dropped: 0,
      });
      expect(await queuedChats(store, seq)).toEqual([{ chat_id: 2, lang: "en" }]);
      expect((await store.dueAmendmentJobs(null, clock, 10)).map((j) => j.chatId)).toEqual([1, 3, 5]);
      // The push counts it, and reports again once it is delivered.
      expect(await store.lastPush()).toMatchObject({ total: 4, delivered: 3, finishedAt: null });
      await store.complete({ seq, chatId: 2 }, "delivered", { messageId: 102, version: 1, lang: "en" });
      expect(await store.unreportedFinishedPushes()).toMatchObject([{ seq, total: 4, delivered: 4 }]);

      // Back to Genova: nobody new (each concerned chat has a copy), and national: the national-only chat too.
      expect(await store.correctionReach(seq, [kc("Genova")])).toEqual({
        copies: 4,
        stale: 1,
        queued: 0,
        dropped: 0,
        added: 0,
      });
      expect(await store.correctionReach(seq, [])).toMatchObject({ stale: 0, added: 1 });
    });

    it("queued: copies for chats it no longer concerns are not sent (removed), the others go out corrected", async () => {
      const store = await memoryStore();
      await followers(store);
      const { seq } = await store.addBulletin(newsroom({ comuni: [kc("Genova")] }), by);
      expect(await store.correctionReach(seq, [kc("Parma")])).toEqual({
        copies: 0,
        stale: 0,
        queued: 2,
        dropped: 1,
        added: 1,
      });
      expect(await store.amendBulletin(seq, correct(["Parma"]), by)).toMatchObject({
        copies: 0,
        queued: 2,
        added: 1,
        dropped: 1,
      });
      expect((await queuedChats(store, seq)).map((r) => r.chat_id)).toEqual([2, 3, 5]);
      expect(await store.lastPush()).toMatchObject({ total: 4, removed: 1, finishedAt: null });
      for (const c of [2, 3, 5])
        await store.complete({ seq, chatId: c }, "delivered", { messageId: 100 + c, version: 1, lang: "it" });
      expect(await store.unreportedFinishedPushes()).toMatchObject([{ seq, total: 4, delivered: 3, removed: 1 }]);
      // Nothing left for the copies already right.
      expect(await store.dueAmendmentJobs(null, clock, 10)).toEqual([]);
    });

    it("the chats its old comuni concerned are not sent it again, even once their copies are forgotten", async () => {
      const store = await memoryStore();
      await followers(store);
      const { seq } = await store.addBulletin(newsroom({ comuni: [kc("Genova")] }), by);
      for (const c of [1, 3, 5])
        await store.complete({ seq, chatId: c }, "delivered", { messageId: 100 + c, version: 0, lang: "it" });
      await store.forgetCopiesBefore(Date.parse("2017-06-20T00:00:00Z"));
      expect(await store.amendBulletin(seq, correct(["Genova", "Parma"]), by)).toMatchObject({ copies: 0, added: 1 });
      expect((await queuedChats(store, seq)).map((r) => r.chat_id)).toEqual([2]);
    });

    it("a bulletin for a comune's followers stays theirs: following everything is not enough", async () => {
      const store = await memoryStore();
      await followers(store);
      const { seq, recipients } = await store.addBulletin(
        newsroom({ comuni: [kc("Genova")], audience: "followers" }),
        by,
      );
      expect(recipients).toBe(2);
      expect(await store.correctionReach(seq, [kc("Parma")])).toEqual({
        copies: 0,
        stale: 0,
        queued: 1,
        dropped: 1,
        added: 1,
      });
    });

    it("a chat with postponed deliveries gets the added one in order: after its older ones, before its newer ones", async () => {
      const store = await memoryStore();
      await store.subscribe(2, kc("Parma"), "it");
      const older = (await store.addBulletin(newsroom({ id: "a", comuni: [kc("Parma")] }), by)).seq;
      const seq = (await store.addBulletin(newsroom({ id: "b", comuni: [kc("Genova")] }), by)).seq;
      const newer = (await store.addBulletin(newsroom({ id: "c", comuni: [kc("Parma")] }), by)).seq;
      await store.postpone({ seq: older, chatId: 2 }, clock + 60_500, "429");
      await store.amendBulletin(seq, correct(["Parma"]), by);
      const due = await engine.inspect(store).dueTimes(2);
      expect(due.map((r) => r.seq)).toEqual([older, seq, newer]);
      expect(due[1]!.due_at).toBeGreaterThanOrEqual(due[0]!.due_at);
      expect(due[2]!.due_at).toBeGreaterThanOrEqual(due[1]!.due_at);
      // Nothing is due before the postponed one: the engine may sleep until then.
      expect(await store.dueDeliveries(null, clock + 60_000, 10)).toEqual([]);
      expect(await store.nextDueAt()).toBe(clock + 60_500);
    });
  });
  describe("drafts", () => {
    it("is done once, with what confirming made, atomically", async () => {
      const store = await memoryStore();
      const d = await store.createDraft(draft({ html: html`<b>Seggi</b> chiusi` }));
      expect(await store.draft(d.id)).toMatchObject({
        state: "open",
        html: "<b>Seggi</b> chiusi",
        comuni: [kc("Genova")],
      });
      await store.setDraftMessage(d.id, 77);
      let runs = 0;
      const act = async () => ++runs * 10;
      expect(await store.settleDraft(d.id, clock, "done", act)).toMatchObject({ ok: true, result: 10 });
      expect(await store.settleDraft(d.id, clock, "done", act)).toMatchObject({
        ok: false,
        draft: { state: "done", result: 10 },
      });
      expect(await store.settleDraft(d.id, clock, "cancelled")).toMatchObject({ ok: false, draft: { state: "done" } });
      expect(runs).toBe(1);
      expect((await store.draft(d.id))!.messageId).toBe(77);
    });

    it("expires; an act that throws leaves it open; a day later it is forgotten", async () => {
      const store = await memoryStore();
      const d = await store.createDraft(draft());
      await expect(
        store.settleDraft(d.id, clock, "done", async () => {
          throw new Error("database is busy");
        }),
      ).rejects.toThrow("database is busy");
      expect((await store.draft(d.id))!.state).toBe("open");
      expect(await store.settleDraft(d.id, clock + 30 * 60_000, "done", async () => 1)).toMatchObject({
        ok: false,
        draft: { state: "expired" },
      });
      expect(await store.settleDraft(999, clock, "cancelled")).toEqual({ ok: false, draft: undefined });
      clock += 25 * 3600_000;
      await store.createDraft(draft({ createdAt: clock, expiresAt: clock + 1 }));
      expect(await store.draft(d.id)).toBeUndefined();
    });
  });
  describe("how many chats a bulletin would reach (the preview's count)", () => {
    it("counts what a push would queue: national-only chats get national bulletins, not a comune's", async () => {
      const store = await memoryStore();
      await store.subscribe(1, null, "it");
      await store.subscribe(2, kc("Genova"), "it");
      await store.subscribe(2, kc("Parma"), "it");
      await store.subscribe(3, NATIONAL, "it");
      await store.subscribe(4, kc("Parma"), "en");
      expect(await store.recipientCount([kc("Genova")])).toBe(2);
      expect(await store.recipientCount([kc("Genova"), kc("Parma")])).toBe(3);
      expect(await store.recipientCount([kc("Verona")])).toBe(1);
      expect(await store.recipientCount([])).toBe(4);
      // The count is the push's own.
      expect((await store.addBulletin(newsroom({ comuni: [kc("Genova"), kc("Parma")] }), by)).recipients).toBe(3);
      expect((await store.addBulletin(newsroom({ id: "redazione-2" }), by)).recipients).toBe(4);
    });
  });
});
