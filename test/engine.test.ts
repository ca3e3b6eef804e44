/** The delivery engine on its own: an in-memory store and a scripted send, no HTTP. */
import { GrammyError } from "grammy";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { DeliveryEngine } from "../src/delivery/engine.js";
import { Pacer } from "../src/delivery/pacer.js";
import { html } from "../src/format/html.js";
import { SqliteStore } from "../src/store/sqlite.js";

function setup(chats: number, send: (chatId: number) => Promise<void>, perSecond = 1000) {
  const store = new SqliteStore(":memory:");
  for (let i = 1; i <= chats; i++) store.subscribe(i, null, "it");
  const counts = new Map<number, number>();
  const engine = new DeliveryEngine({
    store,
    pacer: new Pacer({ perSecond, privateGapMs: 0 }),
    logger: pino({ level: "silent" }),
    render: () => html`x`,
    send: async (chatId) => {
      await send(chatId);
      counts.set(chatId, (counts.get(chatId) ?? 0) + 1);
    },
    concurrency: 16,
  });
  return { store, engine, counts };
}

describe("delivery engine", () => {
  it("never re-sends a row that settled while the loop was waiting for the pacer", async () => {
    // Sends of uneven length finish while later batches, read while they were in flight, are walked.
    const { store, engine, counts } = setup(300, (chatId) => new Promise((r) => setTimeout(r, (chatId * 7) % 23)));
    engine.start();
    for (let b = 0; b < 3; b++)
      store.addBulletin(
        {
          election: "e",
          id: `b${b}`,
          publishedAt: new Date().toISOString(),
          text: "t",
          comuni: [],
          origin: "newsroom",
        },
        { requestedBy: null, lang: "it" },
      );
    engine.wake();
    await engine.drained(5);
    await engine.stop();
    expect([...counts.values()].every((c) => c === 3)).toBe(true);
    expect(counts.size).toBe(300);
    expect(store.lastPush()!.delivered).toBe(300);
  });

  it("a 429 pause does not make rows that were in flight go out again", async () => {
    // Chat 1 is throttled once: the next pass starts with it and waits out retry_after, while the
    // rest of that pass's rows (read while still in flight) complete in the meantime.
    let throttled = false;
    const { store, engine, counts } = setup(
      80,
      async (chatId) => {
        if (chatId === 1 && !throttled) {
          throttled = true;
          throw new GrammyError(
            "429",
            {
              ok: false,
              error_code: 429,
              description: "Too Many Requests: retry after 1",
              parameters: { retry_after: 1 },
            },
            "sendMessage",
            {},
          );
        }
        await new Promise((r) => setTimeout(r, 40));
      },
      400,
    );
    engine.start();
    store.addBulletin(
      { election: "e", id: "r", publishedAt: new Date().toISOString(), text: "t", comuni: [], origin: "newsroom" },
      { requestedBy: null, lang: "it" },
    );
    engine.wake();
    await engine.drained(5);
    await engine.stop();
    expect(engine.stats.rateLimited).toBe(1);
    expect(counts.size).toBe(80);
    expect([...counts.entries()].filter(([, c]) => c !== 1)).toEqual([]);
  });

  it("counts a push as finished once, with every outcome", async () => {
    const { store, engine } = setup(10, async () => undefined);
    engine.start();
    store.addBulletin(
      { election: "e", id: "x", publishedAt: new Date().toISOString(), text: "t", comuni: [], origin: "newsroom" },
      { requestedBy: 1, lang: "it" },
    );
    engine.wake();
    await engine.drained(5);
    await engine.stop();
    const p = store.lastPush()!;
    expect(p).toMatchObject({ total: 10, delivered: 10, removed: 0, failed: 0 });
    expect(p.finishedAt).not.toBeNull();
    expect(store.unreportedFinishedPushes()).toEqual([]);
  });
});
