/** The feed's store, on every engine (see ../engines.ts): bulletins for a comune's followers only, state, announcements, drafts. */
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../../src/data/model.js";
import type { NewBulletin, Storage } from "../../../src/store/store.js";
import { closeStores, engines } from "../engines.js";

afterEach(closeStores);

const bulletin = (over: Partial<NewBulletin> = {}): NewBulletin => ({
  election: "comunali-2026",
  id: "x",
  publishedAt: "2026-05-24T23:10:00+02:00",
  text: "Vicenza: iniziato lo scrutinio.",
  comuni: [kc("Vicenza")],
  origin: "feed",
  ...over,
});

describe.each(engines)("$name", (engine) => {
  function memoryStore(): Storage {
    return engine.open({ clock: () => Date.parse("2026-05-24T21:00:00Z") });
  }

  describe("a comune's bulletins for its followers only", () => {
    it("reach the chats following the comune, not those following everything; /ultime leaves them out", async () => {
      const store = memoryStore();
      await store.subscribe(1, kc("Vicenza"), "it");
      await store.subscribe(2, null, "it");
      await store.subscribe(3, kc("Padova"), "it");
      await store.setMeta("election", "comunali-2026");
      const followers = await store.addBulletin(bulletin({ id: "a", audience: "followers" }), {
        requestedBy: null,
        lang: "it",
      });
      expect(followers.recipients).toBe(1);
      expect((await store.dueDeliveries(null, Date.now(), 10)).map((d) => d.chatId)).toEqual([1]);
      // The same bulletin for everyone reaches the chats following everything too.
      const everyone = await store.addBulletin(bulletin({ id: "b" }), { requestedBy: null, lang: "it" });
      expect(everyone.recipients).toBe(2);
      expect((await store.latestBulletins(10)).map((b) => b.id)).toEqual(["b"]);
      expect(await store.bulletin(followers.seq)).toMatchObject({ audience: "followers" });
    });
  });
  describe("the feed's store", () => {
    it("keeps state entries by prefix, writing and deleting in one go", async () => {
      const feed = memoryStore().feed;
      await feed.saveState([
        { key: "2026-05-24:poller", value: "{}" },
        { key: "2026-05-24:comune:050901160", value: '{"a":1}' },
        { key: "2021-10-03:poller", value: "{}" },
      ]);
      expect((await feed.stateEntries("2026-05-24:")).map((e) => e.key)).toEqual([
        "2026-05-24:comune:050901160",
        "2026-05-24:poller",
      ]);
      await feed.saveState([{ key: "2026-05-24:poller", value: '{"v":2}' }], ["2026-05-24:comune:050901160"]);
      expect(await feed.stateEntries("2026-05-24:")).toEqual([{ key: "2026-05-24:poller", value: '{"v":2}' }]);
    });

    it("records each announcement once, and says when a comune last had one of a kind", async () => {
      const feed = memoryStore().feed;
      await feed.recordAnnouncements([
        { key: "2026-05-24:1t:050901160:started", comune: "050901160", kind: "1t:progress", at: 1000 },
        { key: "2026-05-24:1t:050901160:progress:40", comune: "050901160", kind: "1t:progress", at: 2000 },
        { key: "2026-05-24:1t:turnout:12:00", comune: "", kind: "1t:turnout", at: 500 },
      ]);
      await feed.recordAnnouncements([
        { key: "2026-05-24:1t:050901160:started", comune: "050901160", kind: "1t:progress", at: 9999 },
      ]);
      expect((await feed.announcedKeys("2026-05-24:")).size).toBe(3);
      expect((await feed.announcedKeys("2021-")).size).toBe(0);
      expect(await feed.lastAnnouncedAt("050901160", ["1t:progress"])).toBe(2000);
      expect(await feed.lastAnnouncedAt("050901160", ["1t:call"])).toBeUndefined();
    });

    it("settles a draft once: a second press finds it decided", async () => {
      const feed = memoryStore().feed;
      const id = await feed.addDraft({
        bulletinId: "k",
        text: "t",
        comuni: [kc("Vicenza")],
        audience: "followers",
        createdAt: 1,
      });
      expect((await feed.pendingDrafts()).map((d) => d.id)).toEqual([id]);
      expect(await feed.decideDraft(id, "published", 42, 2)).toBe(true);
      expect(await feed.decideDraft(id, "dropped", 43, 3)).toBe(false);
      expect(await feed.draft(id)).toMatchObject({ status: "published", decidedBy: 42, comuni: [kc("Vicenza")] });
      expect(await feed.pendingDrafts()).toEqual([]);
    });

    it("knows which comuni are followed", async () => {
      const store = memoryStore();
      await store.subscribe(1, kc("Vicenza"), "it");
      await store.subscribe(2, null, "it");
      expect([...(await store.feed.followedComuni())]).toEqual([kc("Vicenza")]);
    });
  });
});
