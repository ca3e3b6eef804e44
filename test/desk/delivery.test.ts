/** The desk's delivery panel: the latest push's figures, with the deliveries that may have gone out twice. */
import { expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { DeliveryMeter } from "../../src/desk/delivery.js";
import type { PushReport } from "../../src/store/store.js";

const push: PushReport = {
  seq: 12,
  bulletinId: "chiusura",
  bulletinText: "Seggi chiusi",
  requestedBy: 42,
  lang: "it",
  startedAt: 1_000,
  finishedAt: null,
  total: 3000,
  delivered: 2500,
  removed: 3,
  skipped: 2,
  failed: 1,
  possiblyDuplicated: 4,
};

it("the latest push carries its count of possibly duplicated deliveries", async () => {
  const app = { store: { lastPush: async () => push, pendingCount: async () => 494 } } as unknown as App;
  const meter = new DeliveryMeter(app, {
    engine: { stats: { sent: 0, failed: 0, rateLimited: 0 } },
    liveCards: { stats: { laps: 0, edited: 0, sent: 0, failed: 0, rateLimited: 0 } },
    sendRate: 25,
  });
  const stats = await meter.read();
  expect(stats.push).toMatchObject({ seq: 12, total: 3000, done: 2506, delivered: 2500, possiblyDuplicated: 4 });
  expect(stats.queued).toBe(494);
});
