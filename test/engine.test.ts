/** The delivery engine on its own: an in-memory store and a scripted send, no HTTP. */
import { GrammyError } from "grammy";
import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { DeliveryEngine } from "../src/delivery/engine/index.js";
import { Pacer, type Pacing } from "../src/delivery/pacer.js";
import { html } from "../src/format/html.js";
import { SqliteStore } from "../src/store/sqlite.js";

async function setup(chats: number, send: (chatId: number) => Promise<void>, perSecond = 1000) {
  const store = new SqliteStore(":memory:");
  for (let i = 1; i <= chats; i++) await store.subscribe(i, null, "it");
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
    const { store, engine, counts } = await setup(
      300,
      (chatId) => new Promise((r) => setTimeout(r, (chatId * 7) % 23)),
    );
    engine.start();
    for (let b = 0; b < 3; b++)
      await store.addBulletin(
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
    expect((await store.lastPush())!.delivered).toBe(300);
  });

  it("a 429 pause does not make rows that were in flight go out again", async () => {
    // Chat 1 is throttled once: the next pass starts with it and waits out retry_after, while the
    // rest of that pass's rows (read while still in flight) complete in the meantime.
    let throttled = false;
    const { store, engine, counts } = await setup(
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
    await store.addBulletin(
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
    const { store, engine } = await setup(10, async () => undefined);
    engine.start();
    await store.addBulletin(
      { election: "e", id: "x", publishedAt: new Date().toISOString(), text: "t", comuni: [], origin: "newsroom" },
      { requestedBy: 1, lang: "it" },
    );
    engine.wake();
    await engine.drained(5);
    await engine.stop();
    const p = (await store.lastPush())!;
    expect(p).toMatchObject({ total: 10, delivered: 10, removed: 0, failed: 0 });
    expect(p.finishedAt).not.toBeNull();
    expect(await store.unreportedFinishedPushes()).toEqual([]);
  });

  it("a push queued while the loop is between reading an empty outbox and going to sleep starts at once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const sent: number[] = [];
      const { store, engine } = await setup(3, async (chatId) => {
        sent.push(chatId);
      });
      // Started, and at once a bulletin: its transaction holds the loop's first reads at the store's
      // gate, and the wake-up arrives before the loop sleeps.
      engine.start();
      await store.addBulletin(
        { election: "e", id: "z", publishedAt: new Date().toISOString(), text: "t", comuni: [], origin: "newsroom" },
        { requestedBy: null, lang: "it" },
      );
      engine.wake();
      // Well short of the loop's idle sleep (1 s).
      for (let ms = 0; ms < 200 && sent.length < 3; ms += 5) await vi.advanceTimersByTimeAsync(5);
      expect(sent.sort()).toEqual([1, 2, 3]);
      const stopped = engine.stop();
      await vi.advanceTimersByTimeAsync(5000);
      await stopped;
    } finally {
      vi.useRealTimers();
    }
  });

  it("at paid rates (rows checked ahead, outcomes recorded in batches) a withdrawal mid-push leaves no copy standing", async () => {
    // At 1,000/s one stillDue answers for the next 50 rows and outcomes are committed together: the
    // withdrawal lands between a row's check and its send. Every copy that went out must be deleted.
    const store = new SqliteStore(":memory:");
    const chats = Array.from({ length: 400 }, (_, i) => i + 1);
    for (const c of chats) await store.subscribe(c, null, "it");
    const sent: number[] = [];
    const deleted: number[] = [];
    let withdraw: (() => void) | undefined;
    const engine = new DeliveryEngine({
      store,
      pacer: new Pacer({ perSecond: 1000, privateGapMs: 0 }),
      logger: pino({ level: "silent" }),
      render: () => html`x`,
      send: async (chatId) => {
        sent.push(chatId);
        if (sent.length === 40) withdraw?.();
        await new Promise((r) => setTimeout(r, 15));
        return { message_id: 1000 + chatId };
      },
      amend: async (job, markup) => {
        expect(markup).toBeUndefined();
        expect(job.messageId).toBe(1000 + job.chatId);
        deleted.push(job.chatId);
      },
      concurrency: 64,
    });
    engine.start();
    const { seq } = await store.addBulletin(
      { election: "e", id: "w", publishedAt: new Date().toISOString(), text: "t", comuni: [], origin: "newsroom" },
      { requestedBy: 1, lang: "it" },
    );
    const withdrawn = new Promise<void>((resolve) => {
      withdraw = () => {
        withdraw = undefined;
        void store.amendBulletin(seq, { kind: "withdraw" }, { requestedBy: 1, lang: "it" }).then(() => resolve());
      };
    });
    engine.wake();
    await withdrawn;
    await engine.drained(5);
    await engine.stop();
    expect(sent.length).toBeGreaterThanOrEqual(40);
    expect(sent.length).toBeLessThan(400);
    expect(deleted.sort((a, b) => a - b)).toEqual([...sent].sort((a, b) => a - b));
    expect(await store.copyCount(seq)).toEqual({ delivered: 0, queued: 0 });
  });

  it("records the outcomes of a paid push in far fewer transactions than messages, each chat once", async () => {
    const { store, engine, counts } = await setup(500, () => new Promise((r) => setTimeout(r, 5)), 100_000);
    engine.start();
    await store.addBulletin(
      { election: "e", id: "g", publishedAt: new Date().toISOString(), text: "t", comuni: [], origin: "newsroom" },
      { requestedBy: null, lang: "it" },
    );
    engine.wake();
    await engine.drained(5);
    await engine.stop();
    expect(counts.size).toBe(500);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    expect(engine.acknowledger.stats.outcomes).toBe(500);
    expect(engine.acknowledger.stats.commits).toBeLessThan(100);
    expect(await store.lastPush()).toMatchObject({ total: 500, delivered: 500 });
  });

  it("edits and deletions take their slots as sends do: the same pacing calls, and they yield while others wait", async () => {
    const store = new SqliteStore(":memory:");
    const chats = [1, 2, -3];
    for (const c of chats) await store.subscribe(c, null, "it");
    const pacer = new Pacer({ perSecond: 1000, privateGapMs: 0, groupGapMs: 0 });
    // What the engine asks of its pacing, per chat, in order; `yielding` is the budget's push lane
    // while a reply or a newsroom message waits: no slot, come back in a while.
    const calls: string[] = [];
    /** The chat whose slot is being asked for (take follows its chatWait), and each send number's chat. */
    let asking = 0;
    const chatOf = new Map<number, number>();
    let yielding = false;
    let refused = 0;
    const recording: Pacing = {
      perSecond: pacer.perSecond,
      take: () => {
        if (yielding) {
          refused++;
          return 5;
        }
        const wait = pacer.take();
        if (wait === 0) calls.push(`slot ${asking}`);
        return wait;
      },
      get lastTaken() {
        return pacer.lastTaken;
      },
      answered: (n) => {
        calls.push(`answered ${chatOf.get(n)}`);
        pacer.answered(n);
      },
      pause: (ms) => pacer.pause(ms),
      chatWait: (chatId) => {
        asking = chatId;
        calls.push(`chatWait ${chatId}`);
        return pacer.chatWait(chatId);
      },
      sentTo: (chatId) => {
        chatOf.set(pacer.lastTaken, chatId);
        calls.push(`sentTo ${chatId}`);
        pacer.sentTo(chatId);
      },
    };
    const sent: number[] = [];
    const amended: { chatId: number; messageId: number; html: string | undefined }[] = [];
    const engine = new DeliveryEngine({
      store,
      pacer: recording,
      logger: pino({ level: "silent" }),
      render: () => html`x`,
      send: async (chatId) => {
        sent.push(chatId);
        return { message_id: 100 + Math.abs(chatId) };
      },
      amend: async (job, markup) => {
        amended.push({ chatId: job.chatId, messageId: job.messageId, html: markup });
      },
      concurrency: 1,
    });
    engine.start();
    const { seq } = await store.addBulletin(
      { election: "e", id: "n", publishedAt: new Date().toISOString(), text: "t", comuni: [], origin: "newsroom" },
      { requestedBy: null, lang: "it" },
    );
    engine.wake();
    await engine.drained(5);
    const forSends = calls.splice(0);

    yielding = true;
    await store.amendBulletin(
      seq,
      { kind: "correct", content: { text: "t2", comuni: [] }, correctedAt: new Date().toISOString() },
      { requestedBy: null, lang: "it" },
    );
    engine.wake();
    while (refused < 5) await new Promise((r) => setTimeout(r, 5));
    // Held while others wait: nothing edited, no gap started in any chat.
    expect(amended).toEqual([]);
    expect(calls.filter((c) => c.startsWith("sentTo"))).toEqual([]);
    yielding = false;
    engine.wake();
    await engine.drained(5);
    await engine.stop();

    expect(sent.sort()).toEqual([...chats].sort());
    expect(amended.map((a) => [a.chatId, a.messageId, a.html]).sort()).toEqual(
      chats.map((c) => [c, 100 + Math.abs(c), "x"]).sort(),
    );
    // Per chat, what an edit asked of the pacing is what its send asked.
    const perChat = (log: string[], chatId: number) => log.filter((c) => c.endsWith(` ${chatId}`));
    for (const c of chats) {
      expect(perChat(forSends, c)).toEqual([`chatWait ${c}`, `slot ${c}`, `sentTo ${c}`, `answered ${c}`]);
      expect(perChat(calls, c)).toEqual(perChat(forSends, c));
    }
  });
});
