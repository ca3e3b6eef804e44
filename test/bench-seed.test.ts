/**
 * The benchmarks seed their audiences through these helpers: run them against a fresh store, so that a
 * change of the store's schema or API breaks a test here rather than `npm run bench` weeks later.
 */
import { afterEach, describe, expect, it } from "vitest";
import { fillSubscribers, SCALE_COMUNI, subscribeEveryone } from "../bench/seed.js";
import { makeAudience } from "../bench/util.js";
import type { ComuneCode } from "../src/data/model.js";
import { SqliteStore } from "../src/store/sqlite.js";

const stores: SqliteStore[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()!.close();
});
function freshStore(): SqliteStore {
  const store = new SqliteStore(":memory:");
  stores.push(store);
  return store;
}
const news = (comuni: ComuneCode[] = []) => ({
  election: "bench",
  id: `bench-${comuni.join("-") || "all"}`,
  publishedAt: "2026-06-08T17:05:00Z",
  text: "Affluenza alle 19: 42,35%",
  comuni,
  origin: "newsroom" as const,
});
const push = { requestedBy: null, lang: "it" as const };

describe("the benchmarks' audiences", () => {
  it("everyone subscribed to everything: a push reaches every chat once", async () => {
    const store = freshStore();
    const { ids } = makeAudience(500);
    expect(await subscribeEveryone(store, ids)).toBe(500);
    expect(await store.subscriberStats()).toEqual({ subscriptions: 500, chats: 500 });
    expect((await store.addBulletin(news(), push)).recipients).toBe(500);
  });

  it("the scale audience: one in ten also follows a comune, and still gets one copy", async () => {
    const store = freshStore();
    // Batches smaller than the audience, as the million is written.
    const rows = await fillSubscribers(store, 1000, 300);
    expect(rows).toBe(1100);
    expect(await store.subscriberStats()).toEqual({ subscriptions: 1100, chats: 1000 });
    expect((await store.addBulletin(news(), push)).recipients).toBe(1000);
    expect((await store.addBulletin(news([SCALE_COMUNI[0]!]), push)).recipients).toBe(1000);
  });
});
