/**
 * The store's contract, on every engine (see ../engines.ts): bulletin identity, /ultime's order,
 * subscriptions and unsubscribing, quiet hours, groups migrated to supergroups, the outbox when
 * Telegram is down.
 */
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../../src/data/model.js";
import { NATIONAL, type NewBulletin, type Storage, type Subscription } from "../../../src/store/store.js";
import { closeStores, engines } from "../engines.js";

afterEach(closeStores);

const bulletin = (over: Partial<NewBulletin> = {}): NewBulletin => ({
  election: "comunali-2017",
  id: "affluenza-12",
  publishedAt: "2017-06-11T12:55:00+02:00",
  text: "Affluenza alle ore 12: 19,36%.",
  comuni: [],
  origin: "pack",
  ...over,
});

describe.each(engines)("$name", (engine) => {
  function memoryStore(now = () => Date.parse("2022-06-12T10:00:00Z"), fewPostponed?: number): Storage {
    return engine.open({ clock: now, fewPostponed });
  }

  describe("bulletin identity", () => {
    it("the same id is a different bulletin under another election", async () => {
      const store = memoryStore();
      await store.addBulletin(bulletin());
      await store.addBulletin(bulletin({ election: "comunali-2022", publishedAt: "2022-06-12T12:55:00+02:00" }));
      expect((await store.bulletinsOf("comunali-2017")).map((b) => b.id)).toEqual(["affluenza-12"]);
      expect((await store.bulletinsOf("comunali-2022")).map((b) => [b.id, b.publishedAt])).toEqual([
        ["affluenza-12", "2022-06-12T12:55:00+02:00"],
      ]);
      await expect(store.addBulletin(bulletin())).rejects.toThrow();
    });
  });

  describe("/ultime's order", () => {
    it("orders bulletins by instant, whatever offset their timestamp was written with", async () => {
      const store = memoryStore();
      await store.setMeta("election", "comunali-2017");
      // 11:45 in Rome from the pack; 12:00 in Rome from the newsroom, written in UTC.
      await store.addBulletin(bulletin({ id: "pack-1145", publishedAt: "2017-06-11T11:45:00+02:00" }));
      await store.addBulletin(
        bulletin({ id: "redazione-1200", publishedAt: "2017-06-11T10:00:00.000Z", origin: "newsroom" }),
      );
      await store.addBulletin(bulletin({ id: "pack-1130", publishedAt: "2017-06-11T11:30:00+02:00" }));
      expect((await store.latestBulletins(1)).map((b) => b.id)).toEqual(["redazione-1200"]);
      expect((await store.latestBulletins(5)).map((b) => b.id)).toEqual(["redazione-1200", "pack-1145", "pack-1130"]);
    });

    it("/ultime Genova: only the bulletins naming the comune, newest first, hidden ones left out", async () => {
      const store = memoryStore();
      await store.setMeta("election", "comunali-2017");
      await store.addBulletin(
        bulletin({ id: "a", publishedAt: "2017-06-11T20:00:00+02:00", comuni: [kc("Genova"), kc("Parma")] }),
      );
      await store.addBulletin(bulletin({ id: "b", publishedAt: "2017-06-11T21:00:00+02:00", comuni: [] }));
      await store.addBulletin(bulletin({ id: "c", publishedAt: "2017-06-11T22:00:00+02:00", comuni: [kc("Genova")] }));
      const { seq } = await store.addBulletin(
        bulletin({ id: "d", publishedAt: "2017-06-11T23:00:00+02:00", comuni: [kc("Genova")] }),
      );
      await store.addBulletin(
        bulletin({ id: "e", publishedAt: "2017-06-11T23:30:00+02:00", comuni: [kc("Genova Nervi")] }),
      );
      await store.withdrawBulletin(seq);
      expect((await store.latestBulletinsAbout(kc("Genova"), 5)).map((b) => b.id)).toEqual(["c", "a"]);
      expect((await store.latestBulletinsAbout(kc("Genova"), 1)).map((b) => b.id)).toEqual(["c"]);
      expect((await store.latestBulletinsAbout(kc("Parma"), 5)).map((b) => b.id)).toEqual(["a"]);
      expect(await store.latestBulletinsAbout(kc("Pavia"), 5)).toEqual([]);
    });
  });

  describe("unsubscribing", () => {
    const push = { requestedBy: 42, lang: "it" as const };
    const pendingOf = async (store: Storage, chatId: number) =>
      Promise.all(
        (await store.dueDeliveries(null, Date.now(), 100))
          .filter((d) => d.chatId === chatId)
          .map(async (d) => (await store.bulletin(d.seq))!.id),
      );
    /** Every pending row of a chat, not only its first (a chat's later bulletins wait for its first). */
    const queuedFor = (store: Storage, chatId: number) => engine.inspect(store).queuedFor(chatId);

    it("from everything drops the chat's queued deliveries and counts them as removed", async () => {
      const store = memoryStore();
      await store.subscribe(1, null, "it");
      await store.subscribe(2, null, "it");
      await store.addBulletin(bulletin({ id: "a" }), push);
      await store.addBulletin(bulletin({ id: "b", comuni: [kc("Genova")] }), push);
      expect(await queuedFor(store, 1)).toEqual(["a", "b"]);
      await store.unsubscribe(1, "*");
      expect(await queuedFor(store, 1)).toEqual([]);
      expect(await pendingOf(store, 2)).toEqual(["a"]);
      expect(await store.lastPush()).toMatchObject({ total: 2, removed: 1, delivered: 0 });
    });

    it("from one comune drops only what no remaining subscription asks for", async () => {
      const store = memoryStore();
      await store.subscribe(1, kc("Genova"), "it");
      await store.subscribe(1, kc("Verona"), "it");
      await store.subscribe(3, null, "it");
      await store.subscribe(3, kc("Genova"), "it");
      await store.addBulletin(bulletin({ id: "genova", comuni: [kc("Genova")] }), push);
      await store.addBulletin(bulletin({ id: "verona", comuni: [kc("Verona")] }), push);
      await store.addBulletin(bulletin({ id: "genova-verona", comuni: [kc("Genova"), kc("Verona")] }), push);
      await store.addBulletin(bulletin({ id: "nazionale", comuni: [] }), push);
      await store.unsubscribe(1, kc("Genova"));
      expect(await queuedFor(store, 1)).toEqual(["verona", "genova-verona", "nazionale"]);
      // Chat 3 still follows everything: nothing of it goes.
      await store.unsubscribe(3, kc("Genova"));
      expect(await queuedFor(store, 3)).toEqual(["genova", "verona", "genova-verona", "nazionale"]);
      await store.unsubscribe(1, kc("Verona"));
      expect(await queuedFor(store, 1)).toEqual([]);
    });
  });

  describe("kinds of subscription", () => {
    const push = { requestedBy: null, lang: "it" as const };
    const recipients = (store: Storage, seq: number) => engine.inspect(store).recipients(seq);

    it("national only gets the bulletins naming no comune; a comune's gets its own and the national ones", async () => {
      const store = memoryStore();
      await store.subscribe(1, null, "it");
      await store.subscribe(2, NATIONAL, "it");
      await store.subscribe(3, kc("Genova"), "it");
      await store.subscribe(4, kc("Parma"), "it");
      await store.subscribe(4, NATIONAL, "it");
      const national = await store.addBulletin(bulletin({ id: "nazionale" }), push);
      const genova = await store.addBulletin(bulletin({ id: "genova", comuni: [kc("Genova")] }), push);
      const both = await store.addBulletin(bulletin({ id: "genova-parma", comuni: [kc("Genova"), kc("Parma")] }), push);
      expect(await recipients(store, national.seq)).toEqual([1, 2, 3, 4]);
      expect(await recipients(store, genova.seq)).toEqual([1, 3]);
      expect(await recipients(store, both.seq)).toEqual([1, 3, 4]);
      expect(both.recipients).toBe(3);
    });

    it("the same during an outage, when new rows look up their chat's due time", async () => {
      const store = memoryStore(undefined, 0);
      await store.subscribe(1, null, "it");
      await store.subscribe(2, NATIONAL, "it");
      await store.subscribe(3, kc("Genova"), "it");
      const first = await store.addBulletin(bulletin({ id: "nazionale" }), push);
      await store.postpone({ seq: first.seq, chatId: 2 }, Date.parse("2030-01-01T00:00:00Z"), "down");
      const genova = await store.addBulletin(bulletin({ id: "genova", comuni: [kc("Genova")] }), push);
      expect(await recipients(store, genova.seq)).toEqual([1, 3]);
    });

    it("are listed everything first, then national, then the comuni; each is added and removed on its own", async () => {
      const store = memoryStore();
      expect(await store.subscribe(1, kc("Parma"), "it")).toBe(true);
      expect(await store.subscribe(1, NATIONAL, "it")).toBe(true);
      expect(await store.subscribe(1, NATIONAL, "it")).toBe(false);
      expect(await store.subscribe(1, kc("Genova"), "it")).toBe(true);
      expect(await store.subscribe(1, null, "it")).toBe(true);
      expect(await store.subscriptionsOf(1)).toEqual([null, NATIONAL, kc("Genova"), kc("Parma")]);
      expect(await store.unsubscribe(1, NATIONAL)).toBe(1);
      expect(await store.unsubscribe(1, NATIONAL)).toBe(0);
      expect(await store.subscriptionsOf(1)).toEqual([null, kc("Genova"), kc("Parma")]);
    });

    it("unsubscribing from a comune keeps the queued national bulletins of a chat that follows national ones", async () => {
      const store = memoryStore();
      await store.subscribe(1, kc("Genova"), "it");
      await store.subscribe(1, NATIONAL, "it");
      await store.addBulletin(bulletin({ id: "genova", comuni: [kc("Genova")] }), push);
      await store.addBulletin(bulletin({ id: "nazionale" }), push);
      await store.unsubscribe(1, kc("Genova"));
      const queued = await engine.inspect(store).queuedIds();
      expect(queued).toEqual(["nazionale"]);
    });
  });

  describe("many subscriptions at once", () => {
    const push = { requestedBy: null, lang: "it" as const };

    it("the same rows as one by one, in one transaction, counting only the new ones", async () => {
      const store = memoryStore();
      const added = await store.subscribeMany([
        { chatId: 1, what: null, lang: "it" },
        { chatId: 1, what: kc("Genova"), lang: "en" },
        { chatId: 2, what: NATIONAL, lang: "it" },
        { chatId: 2, what: NATIONAL, lang: "it" },
        { chatId: 3, what: kc("Parma"), lang: "it" },
      ]);
      expect(added).toBe(4);
      expect(await store.subscriptionsOf(1)).toEqual([null, kc("Genova")]);
      expect(await store.subscriptionsOf(2)).toEqual([NATIONAL]);
      expect(await store.subscriberStats()).toEqual({ subscriptions: 4, chats: 3 });
      expect(await store.subscribeMany([{ chatId: 3, what: kc("Parma"), lang: "it" }])).toBe(0);
      const national = await store.addBulletin(bulletin({ id: "nazionale" }), push);
      const parma = await store.addBulletin(bulletin({ id: "parma", comuni: [kc("Parma")] }), push);
      const inspect = engine.inspect(store);
      expect(await inspect.recipients(national.seq)).toEqual([1, 2, 3]);
      expect(await inspect.recipients(parma.seq)).toEqual([1, 3]);
      // Every subscription of a chat takes the last language given for it, as with subscribe.
      expect(await inspect.queuedChats(national.seq)).toEqual([
        { chat_id: 1, lang: "en" },
        { chat_id: 2, lang: "it" },
        { chat_id: 3, lang: "it" },
      ]);
    });

    it("from a generator, all or nothing", async () => {
      const store = memoryStore();
      function* rows(broken: boolean) {
        for (let id = 1; id <= 1000; id++) yield { chatId: id, what: null as Subscription, lang: "it" as const };
        // A comune with no code is no subscription the store can hold: the whole batch goes.
        if (broken) yield { chatId: 1001, what: kc(""), lang: "it" as const };
      }
      await expect(store.subscribeMany(rows(true))).rejects.toThrow();
      expect(await store.subscriberStats()).toEqual({ subscriptions: 0, chats: 0 });
      expect(await store.subscribeMany(rows(false))).toBe(1000);
      expect(await store.recipientCount([])).toBe(1000);
    });
  });

  describe("quiet hours", () => {
    it("are kept per chat, replaced, cleared, dropped with the chat, and follow a migrated group", async () => {
      const store = memoryStore();
      expect(await store.quietHoursOf(1)).toBeUndefined();
      await store.setQuietHours(1, { from: 23 * 60, to: 7 * 60 });
      await store.setQuietHours(1, { from: 23 * 60 + 30, to: 7 * 60 });
      expect(await store.quietHoursOf(1)).toEqual({ from: 1410, to: 420 });
      await store.setQuietHours(1, undefined);
      expect(await store.quietHoursOf(1)).toBeUndefined();

      await store.setQuietHours(2, { from: 0, to: 360 });
      await store.subscribe(2, null, "it");
      await store.removeChat(2);
      expect(await store.quietHoursOf(2)).toBeUndefined();

      await store.setQuietHours(-500, { from: 1320, to: 480 });
      await store.subscribe(-500, null, "it");
      await store.migrateChat(-500, -100500);
      expect(await store.quietHoursOf(-100500)).toEqual({ from: 1320, to: 480 });
      expect(await store.quietHoursOf(-500)).toBeUndefined();
    });

    it("refuses an empty or impossible span", async () => {
      const store = memoryStore();
      await expect(store.setQuietHours(1, { from: 60, to: 60 })).rejects.toThrow();
      await expect(store.setQuietHours(1, { from: 0, to: 1440 })).rejects.toThrow();
    });
  });

  describe("a push's report", () => {
    it("counts nothing as possibly duplicated when one instance claims, checks, postpones and sends its own rows", async () => {
      const now = Date.parse("2022-06-12T10:00:00Z");
      const store = memoryStore(() => now);
      for (const chatId of [1, 2, 3]) await store.subscribe(chatId, null, "it");
      const { seq } = await store.addBulletin(bulletin({ id: "a" }), { requestedBy: 42, lang: "it" });
      const [d1, d2, d3] = await store.dueDeliveries(null, now, 10);
      expect(await store.isDue(d1!, now)).toBe(true);
      await store.postpone(d1!, now + 1000, "429: retry after 1");
      expect(await store.isDue(d2!, now)).toBe(true);
      // Read and checked again long after: still this instance's own rows, not taken over.
      const later = now + 10 * 60_000;
      expect((await store.dueDeliveries(null, later, 10)).map((d) => d.chatId)).toEqual([1, 2, 3]);
      for (const d of [d1!, d2!, d3!]) expect(await store.isDue(d, later)).toBe(true);
      await store.complete(d1!, "delivered");
      await store.complete(d2!, "failed");
      await store.complete(d3!, "skipped");
      expect(await store.unreportedFinishedPushes()).toMatchObject([
        { seq, total: 3, delivered: 1, failed: 1, skipped: 1, removed: 0, possiblyDuplicated: 0 },
      ]);
    });
  });

  describe("a group migrated to a supergroup", () => {
    const push = { requestedBy: 42, lang: "it" as const };

    it("a bulletin the supergroup already received is not moved to it again; the record lasts only while the push runs", async () => {
      const store = memoryStore();
      await store.subscribe(-500, null, "it");
      await store.subscribe(-100500, null, "it");
      await store.subscribe(7, null, "it");
      const { seq } = await store.addBulletin(bulletin({ id: "a" }), push);
      await store.complete({ seq, chatId: -100500 }, "delivered");
      await store.migrateChat(-500, -100500);
      expect((await store.dueDeliveries(null, Date.now(), 10)).map((d) => d.chatId)).toEqual([7]);
      expect(await store.lastPush()).toMatchObject({ delivered: 1, removed: 1, finishedAt: null });
      await store.complete({ seq, chatId: 7 }, "delivered");
      expect((await store.lastPush())!.finishedAt).not.toBeNull();
      expect(await engine.inspect(store).deliveredRecord()).toEqual({ n: 0 });
    });

    it("a bulletin the supergroup has not had yet follows the group", async () => {
      const store = memoryStore();
      await store.subscribe(-500, null, "it");
      const { seq } = await store.addBulletin(bulletin({ id: "a" }), push);
      await store.migrateChat(-500, -100500);
      expect(await store.dueDeliveries(null, Date.now(), 10)).toMatchObject([{ seq, chatId: -100500 }]);
      expect(await store.subscriptionsOf(-100500)).toEqual([null]);
    });
  });

  describe("the outbox when Telegram is down", () => {
    const push = { requestedBy: null, lang: "it" as const };
    const NOW = Date.parse("2022-06-12T10:00:00Z");

    it.each([
      ["few postponed: fixed up after the insert", undefined],
      ["many postponed: looked up while inserting", 0],
    ])(
      "a chat's later bulletins wait for its postponed first one, also those queued after the postponement (%s)",
      async (_, few) => {
        const store = memoryStore(() => NOW, few);
        await store.subscribe(1, null, "it");
        await store.subscribe(2, null, "it");
        const a = (await store.addBulletin(bulletin({ id: "a" }), push)).seq;
        const b = (await store.addBulletin(bulletin({ id: "b" }), push)).seq;
        await store.postpone({ seq: a, chatId: 1 }, NOW + 60_000, "502 Bad Gateway");
        await store.postpone({ seq: a, chatId: 2 }, NOW + 30_000, "502 Bad Gateway");
        const c = (await store.addBulletin(bulletin({ id: "c" }), push)).seq;
        for (const seq of [b, c]) {
          expect(await store.isDue({ seq, chatId: 1 }, NOW + 59_000)).toBe(false);
          expect(await store.isDue({ seq, chatId: 1 }, NOW + 60_000)).toBe(true);
          expect(await store.isDue({ seq, chatId: 2 }, NOW + 30_000)).toBe(true);
        }
        expect(await store.dueDeliveries(null, NOW, 10)).toEqual([]);
        expect(await store.nextDueAt()).toBe(NOW + 30_000);
        expect(await store.dueDeliveries(null, NOW + 30_000, 10)).toMatchObject([{ seq: a, chatId: 2 }]);
      },
    );
  });
});
