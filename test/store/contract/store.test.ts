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
    it("the same id is a different bulletin under another election", () => {
      const store = memoryStore();
      store.addBulletin(bulletin());
      store.addBulletin(bulletin({ election: "comunali-2022", publishedAt: "2022-06-12T12:55:00+02:00" }));
      expect(store.bulletinsOf("comunali-2017").map((b) => b.id)).toEqual(["affluenza-12"]);
      expect(store.bulletinsOf("comunali-2022").map((b) => [b.id, b.publishedAt])).toEqual([
        ["affluenza-12", "2022-06-12T12:55:00+02:00"],
      ]);
      expect(() => store.addBulletin(bulletin())).toThrow(/UNIQUE/);
    });
  });

  describe("/ultime's order", () => {
    it("orders bulletins by instant, whatever offset their timestamp was written with", () => {
      const store = memoryStore();
      store.setMeta("election", "comunali-2017");
      // 11:45 in Rome from the pack; 12:00 in Rome from the newsroom, written in UTC.
      store.addBulletin(bulletin({ id: "pack-1145", publishedAt: "2017-06-11T11:45:00+02:00" }));
      store.addBulletin(
        bulletin({ id: "redazione-1200", publishedAt: "2017-06-11T10:00:00.000Z", origin: "newsroom" }),
      );
      store.addBulletin(bulletin({ id: "pack-1130", publishedAt: "2017-06-11T11:30:00+02:00" }));
      expect(store.latestBulletins(1).map((b) => b.id)).toEqual(["redazione-1200"]);
      expect(store.latestBulletins(5).map((b) => b.id)).toEqual(["redazione-1200", "pack-1145", "pack-1130"]);
    });

    it("/ultime Genova: only the bulletins naming the comune, newest first, hidden ones left out", () => {
      const store = memoryStore();
      store.setMeta("election", "comunali-2017");
      store.addBulletin(
        bulletin({ id: "a", publishedAt: "2017-06-11T20:00:00+02:00", comuni: [kc("Genova"), kc("Parma")] }),
      );
      store.addBulletin(bulletin({ id: "b", publishedAt: "2017-06-11T21:00:00+02:00", comuni: [] }));
      store.addBulletin(bulletin({ id: "c", publishedAt: "2017-06-11T22:00:00+02:00", comuni: [kc("Genova")] }));
      const { seq } = store.addBulletin(
        bulletin({ id: "d", publishedAt: "2017-06-11T23:00:00+02:00", comuni: [kc("Genova")] }),
      );
      store.addBulletin(bulletin({ id: "e", publishedAt: "2017-06-11T23:30:00+02:00", comuni: [kc("Genova Nervi")] }));
      store.withdrawBulletin(seq);
      expect(store.latestBulletinsAbout(kc("Genova"), 5).map((b) => b.id)).toEqual(["c", "a"]);
      expect(store.latestBulletinsAbout(kc("Genova"), 1).map((b) => b.id)).toEqual(["c"]);
      expect(store.latestBulletinsAbout(kc("Parma"), 5).map((b) => b.id)).toEqual(["a"]);
      expect(store.latestBulletinsAbout(kc("Pavia"), 5)).toEqual([]);
    });
  });

  describe("unsubscribing", () => {
    const push = { requestedBy: 42, lang: "it" as const };
    const pendingOf = (store: Storage, chatId: number) =>
      store
        .dueDeliveries(null, Date.now(), 100)
        .filter((d) => d.chatId === chatId)
        .map((d) => store.bulletin(d.seq)!.id);
    /** Every pending row of a chat, not only its first (a chat's later bulletins wait for its first). */
    const queuedFor = (store: Storage, chatId: number) => engine.inspect(store).queuedFor(chatId);

    it("from everything drops the chat's queued deliveries and counts them as removed", () => {
      const store = memoryStore();
      store.subscribe(1, null, "it");
      store.subscribe(2, null, "it");
      store.addBulletin(bulletin({ id: "a" }), push);
      store.addBulletin(bulletin({ id: "b", comuni: [kc("Genova")] }), push);
      expect(queuedFor(store, 1)).toEqual(["a", "b"]);
      store.unsubscribe(1, "*");
      expect(queuedFor(store, 1)).toEqual([]);
      expect(pendingOf(store, 2)).toEqual(["a"]);
      expect(store.lastPush()).toMatchObject({ total: 2, removed: 1, delivered: 0 });
    });

    it("from one comune drops only what no remaining subscription asks for", () => {
      const store = memoryStore();
      store.subscribe(1, kc("Genova"), "it");
      store.subscribe(1, kc("Verona"), "it");
      store.subscribe(3, null, "it");
      store.subscribe(3, kc("Genova"), "it");
      store.addBulletin(bulletin({ id: "genova", comuni: [kc("Genova")] }), push);
      store.addBulletin(bulletin({ id: "verona", comuni: [kc("Verona")] }), push);
      store.addBulletin(bulletin({ id: "genova-verona", comuni: [kc("Genova"), kc("Verona")] }), push);
      store.addBulletin(bulletin({ id: "nazionale", comuni: [] }), push);
      store.unsubscribe(1, kc("Genova"));
      expect(queuedFor(store, 1)).toEqual(["verona", "genova-verona", "nazionale"]);
      // Chat 3 still follows everything: nothing of it goes.
      store.unsubscribe(3, kc("Genova"));
      expect(queuedFor(store, 3)).toEqual(["genova", "verona", "genova-verona", "nazionale"]);
      store.unsubscribe(1, kc("Verona"));
      expect(queuedFor(store, 1)).toEqual([]);
    });
  });

  describe("kinds of subscription", () => {
    const push = { requestedBy: null, lang: "it" as const };
    const recipients = (store: Storage, seq: number) => engine.inspect(store).recipients(seq);

    it("national only gets the bulletins naming no comune; a comune's gets its own and the national ones", () => {
      const store = memoryStore();
      store.subscribe(1, null, "it");
      store.subscribe(2, NATIONAL, "it");
      store.subscribe(3, kc("Genova"), "it");
      store.subscribe(4, kc("Parma"), "it");
      store.subscribe(4, NATIONAL, "it");
      const national = store.addBulletin(bulletin({ id: "nazionale" }), push);
      const genova = store.addBulletin(bulletin({ id: "genova", comuni: [kc("Genova")] }), push);
      const both = store.addBulletin(bulletin({ id: "genova-parma", comuni: [kc("Genova"), kc("Parma")] }), push);
      expect(recipients(store, national.seq)).toEqual([1, 2, 3, 4]);
      expect(recipients(store, genova.seq)).toEqual([1, 3]);
      expect(recipients(store, both.seq)).toEqual([1, 3, 4]);
      expect(both.recipients).toBe(3);
    });

    it("the same during an outage, when new rows look up their chat's due time", () => {
      const store = memoryStore(undefined, 0);
      store.subscribe(1, null, "it");
      store.subscribe(2, NATIONAL, "it");
      store.subscribe(3, kc("Genova"), "it");
      const first = store.addBulletin(bulletin({ id: "nazionale" }), push);
      store.postpone({ seq: first.seq, chatId: 2 }, Date.parse("2030-01-01T00:00:00Z"), "down");
      const genova = store.addBulletin(bulletin({ id: "genova", comuni: [kc("Genova")] }), push);
      expect(recipients(store, genova.seq)).toEqual([1, 3]);
    });

    it("are listed everything first, then national, then the comuni; each is added and removed on its own", () => {
      const store = memoryStore();
      expect(store.subscribe(1, kc("Parma"), "it")).toBe(true);
      expect(store.subscribe(1, NATIONAL, "it")).toBe(true);
      expect(store.subscribe(1, NATIONAL, "it")).toBe(false);
      expect(store.subscribe(1, kc("Genova"), "it")).toBe(true);
      expect(store.subscribe(1, null, "it")).toBe(true);
      expect(store.subscriptionsOf(1)).toEqual([null, NATIONAL, kc("Genova"), kc("Parma")]);
      expect(store.unsubscribe(1, NATIONAL)).toBe(1);
      expect(store.unsubscribe(1, NATIONAL)).toBe(0);
      expect(store.subscriptionsOf(1)).toEqual([null, kc("Genova"), kc("Parma")]);
    });

    it("unsubscribing from a comune keeps the queued national bulletins of a chat that follows national ones", () => {
      const store = memoryStore();
      store.subscribe(1, kc("Genova"), "it");
      store.subscribe(1, NATIONAL, "it");
      store.addBulletin(bulletin({ id: "genova", comuni: [kc("Genova")] }), push);
      store.addBulletin(bulletin({ id: "nazionale" }), push);
      store.unsubscribe(1, kc("Genova"));
      const queued = engine.inspect(store).queuedIds();
      expect(queued).toEqual(["nazionale"]);
    });
  });

  describe("many subscriptions at once", () => {
    const push = { requestedBy: null, lang: "it" as const };

    it("the same rows as one by one, in one transaction, counting only the new ones", () => {
      const store = memoryStore();
      const added = store.subscribeMany([
        { chatId: 1, what: null, lang: "it" },
        { chatId: 1, what: kc("Genova"), lang: "en" },
        { chatId: 2, what: NATIONAL, lang: "it" },
        { chatId: 2, what: NATIONAL, lang: "it" },
        { chatId: 3, what: kc("Parma"), lang: "it" },
      ]);
      expect(added).toBe(4);
      expect(store.subscriptionsOf(1)).toEqual([null, kc("Genova")]);
      expect(store.subscriptionsOf(2)).toEqual([NATIONAL]);
      expect(store.subscriberStats()).toEqual({ subscriptions: 4, chats: 3 });
      expect(store.subscribeMany([{ chatId: 3, what: kc("Parma"), lang: "it" }])).toBe(0);
      const national = store.addBulletin(bulletin({ id: "nazionale" }), push);
      const parma = store.addBulletin(bulletin({ id: "parma", comuni: [kc("Parma")] }), push);
      const inspect = engine.inspect(store);
      expect(inspect.recipients(national.seq)).toEqual([1, 2, 3]);
      expect(inspect.recipients(parma.seq)).toEqual([1, 3]);
      // Every subscription of a chat takes the last language given for it, as with subscribe.
      expect(inspect.queuedChats(national.seq)).toEqual([
        { chat_id: 1, lang: "en" },
        { chat_id: 2, lang: "it" },
        { chat_id: 3, lang: "it" },
      ]);
    });

    it("from a generator, all or nothing", () => {
      const store = memoryStore();
      function* rows(broken: boolean) {
        for (let id = 1; id <= 1000; id++) yield { chatId: id, what: null as Subscription, lang: "it" as const };
        // A comune with no code is no subscription the store can hold: the whole batch goes.
        if (broken) yield { chatId: 1001, what: kc(""), lang: "it" as const };
      }
      expect(() => store.subscribeMany(rows(true))).toThrow();
      expect(store.subscriberStats()).toEqual({ subscriptions: 0, chats: 0 });
      expect(store.subscribeMany(rows(false))).toBe(1000);
      expect(store.recipientCount([])).toBe(1000);
    });
  });

  describe("quiet hours", () => {
    it("are kept per chat, replaced, cleared, dropped with the chat, and follow a migrated group", () => {
      const store = memoryStore();
      expect(store.quietHoursOf(1)).toBeUndefined();
      store.setQuietHours(1, { from: 23 * 60, to: 7 * 60 });
      store.setQuietHours(1, { from: 23 * 60 + 30, to: 7 * 60 });
      expect(store.quietHoursOf(1)).toEqual({ from: 1410, to: 420 });
      store.setQuietHours(1, undefined);
      expect(store.quietHoursOf(1)).toBeUndefined();

      store.setQuietHours(2, { from: 0, to: 360 });
      store.subscribe(2, null, "it");
      store.removeChat(2);
      expect(store.quietHoursOf(2)).toBeUndefined();

      store.setQuietHours(-500, { from: 1320, to: 480 });
      store.subscribe(-500, null, "it");
      store.migrateChat(-500, -100500);
      expect(store.quietHoursOf(-100500)).toEqual({ from: 1320, to: 480 });
      expect(store.quietHoursOf(-500)).toBeUndefined();
    });

    it("refuses an empty or impossible span", () => {
      const store = memoryStore();
      expect(() => store.setQuietHours(1, { from: 60, to: 60 })).toThrow(/CHECK/);
      expect(() => store.setQuietHours(1, { from: 0, to: 1440 })).toThrow(/CHECK/);
    });
  });

  describe("a group migrated to a supergroup", () => {
    const push = { requestedBy: 42, lang: "it" as const };

    it("a bulletin the supergroup already received is not moved to it again; the record lasts only while the push runs", () => {
      const store = memoryStore();
      store.subscribe(-500, null, "it");
      store.subscribe(-100500, null, "it");
      store.subscribe(7, null, "it");
      const { seq } = store.addBulletin(bulletin({ id: "a" }), push);
      store.complete({ seq, chatId: -100500 }, "delivered");
      store.migrateChat(-500, -100500);
      expect(store.dueDeliveries(null, Date.now(), 10).map((d) => d.chatId)).toEqual([7]);
      expect(store.lastPush()).toMatchObject({ delivered: 1, removed: 1, finishedAt: null });
      store.complete({ seq, chatId: 7 }, "delivered");
      expect(store.lastPush()!.finishedAt).not.toBeNull();
      expect(engine.inspect(store).deliveredRecord()).toEqual({ n: 0 });
    });

    it("a bulletin the supergroup has not had yet follows the group", () => {
      const store = memoryStore();
      store.subscribe(-500, null, "it");
      const { seq } = store.addBulletin(bulletin({ id: "a" }), push);
      store.migrateChat(-500, -100500);
      expect(store.dueDeliveries(null, Date.now(), 10)).toMatchObject([{ seq, chatId: -100500 }]);
      expect(store.subscriptionsOf(-100500)).toEqual([null]);
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
      (_, few) => {
        const store = memoryStore(() => NOW, few);
        store.subscribe(1, null, "it");
        store.subscribe(2, null, "it");
        const a = store.addBulletin(bulletin({ id: "a" }), push).seq;
        const b = store.addBulletin(bulletin({ id: "b" }), push).seq;
        store.postpone({ seq: a, chatId: 1 }, NOW + 60_000, "502 Bad Gateway");
        store.postpone({ seq: a, chatId: 2 }, NOW + 30_000, "502 Bad Gateway");
        const c = store.addBulletin(bulletin({ id: "c" }), push).seq;
        for (const seq of [b, c]) {
          expect(store.isDue({ seq, chatId: 1 }, NOW + 59_000)).toBe(false);
          expect(store.isDue({ seq, chatId: 1 }, NOW + 60_000)).toBe(true);
          expect(store.isDue({ seq, chatId: 2 }, NOW + 30_000)).toBe(true);
        }
        expect(store.dueDeliveries(null, NOW, 10)).toEqual([]);
        expect(store.nextDueAt()).toBe(NOW + 30_000);
        expect(store.dueDeliveries(null, NOW + 30_000, 10)).toMatchObject([{ seq: a, chatId: 2 }]);
      },
    );
  });
});
