/**
 * Two bot instances' delivery engines on one PostgreSQL database, as in production: each with its own
 * store (pool, instance id) and pacing, a scripted send, no HTTP. Every chat gets every bulletin once and
 * in order, whichever engine sends it, and each push's report goes out once.
 */
import { pino } from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import { DeliveryEngine } from "../../../src/delivery/engine/index.js";
import { Pacer } from "../../../src/delivery/pacer.js";
import { html } from "../../../src/format/html.js";
import type { Lang } from "../../../src/i18n/index.js";
import { PostgresStore } from "../../../src/store/postgres.js";
import type { PushReport } from "../../../src/store/store.js";
import { type FreshSchema, freshSchema } from "../../support/postgres.js";

let schema: FreshSchema;
const stores: PostgresStore[] = [];

beforeEach(async () => {
  schema = await freshSchema();
});

afterEach(async () => {
  while (stores.length) await stores.pop()!.close();
  await schema.drop();
});

it("two engines drain the same pushes: each chat gets each bulletin once, in order, and each report goes out once", async () => {
  const CHATS = 200;
  const BULLETINS = 3;
  /** Per chat, the bulletins it received, in the order they arrived, and who sent them. */
  const received = new Map<number, string[]>();
  const sentBy = new Map<string, number>();
  const reports: PushReport[] = [];
  const engines: DeliveryEngine[] = [];
  for (const name of ["a", "b"]) {
    const store = await PostgresStore.open(schema.url, { schema: schema.schema, instance: name, max: 4 });
    stores.push(store);
    engines.push(
      new DeliveryEngine({
        store,
        pacer: new Pacer({ perSecond: 1000, privateGapMs: 0 }),
        logger: pino({ level: "silent" }),
        render: (d) => html`${d.seq}`,
        send: async (chatId, text) => {
          await new Promise((r) => setTimeout(r, (chatId * 7) % 5));
          received.set(chatId, [...(received.get(chatId) ?? []), String(text)]);
          sentBy.set(name, (sentBy.get(name) ?? 0) + 1);
          return { message_id: 1 };
        },
        // A report takes a while to go out: the other engine looks for unreported pushes meanwhile.
        onPushFinished: async (report) => {
          reports.push(report);
          await new Promise((r) => setTimeout(r, 600));
        },
        concurrency: 8,
        batchSize: 32,
      }),
    );
  }
  const [a] = stores;
  await a!.subscribeMany(Array.from({ length: CHATS }, (_, i) => ({ chatId: i + 1, what: null, lang: "it" as Lang })));
  const seqs: number[] = [];
  for (let i = 0; i < BULLETINS; i++) {
    const b = {
      election: "e",
      id: `b${i}`,
      publishedAt: new Date().toISOString(),
      text: "t",
      comuni: [],
      origin: "newsroom" as const,
    };
    seqs.push((await a!.addBulletin(b, { requestedBy: 42, lang: "it" })).seq);
  }
  for (const e of engines) e.start();
  await Promise.all(engines.map((e) => e.drained(10)));
  // The last report may be on its way from either engine.
  for (let i = 0; i < 300 && reports.length < BULLETINS; i++) await new Promise((r) => setTimeout(r, 10));
  await Promise.all(engines.map((e) => e.stop()));

  expect(received.size).toBe(CHATS);
  const inOrder = seqs.map(String);
  expect([...received.entries()].filter(([, got]) => got.join() !== inOrder.join())).toEqual([]);
  expect(sentBy.get("a")).toBeGreaterThan(0);
  expect(sentBy.get("b")).toBeGreaterThan(0);
  expect((sentBy.get("a") ?? 0) + (sentBy.get("b") ?? 0)).toBe(CHATS * BULLETINS);
  expect(reports.map((r) => r.seq).sort((x, y) => x - y)).toEqual(seqs);
  for (const r of reports) expect(r).toMatchObject({ total: CHATS, delivered: CHATS, failed: 0, removed: 0 });
  expect(await a!.unreportedFinishedPushes()).toEqual([]);
}, 60_000);
