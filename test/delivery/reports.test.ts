/** The newsroom's push report: marked as reported only once it has been sent, so none is lost. */
import { GrammyError } from "grammy";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { DeliveryEngine, type EngineOptions } from "../../src/delivery/engine/index.js";
import { Pacer } from "../../src/delivery/pacer.js";
import { html } from "../../src/format/html.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { PushReport } from "../../src/store/store.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

async function setup(onPushFinished: EngineOptions["onPushFinished"], extra: Partial<EngineOptions> = {}) {
  const store = new SqliteStore(":memory:");
  for (const id of [1, 2, 3]) await store.subscribe(id, null, "it");
  const engine = new DeliveryEngine({
    store,
    pacer: new Pacer({ perSecond: 1000, privateGapMs: 0 }),
    logger: pino({ level: "silent" }),
    render: () => html`x`,
    send: async () => undefined,
    onPushFinished,
    reportRetryMs: 20,
    ...extra,
  });
  stops.push(async () => {
    await engine.stop(200);
    await store.close();
  });
  const publish = () =>
    store.addBulletin(
      {
        election: "e",
        id: `b${Math.random()}`,
        publishedAt: new Date().toISOString(),
        text: "t",
        comuni: [],
        origin: "newsroom",
      },
      { requestedBy: 42, lang: "it" },
    );
  return { store, engine, publish };
}

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const networkDown = () =>
  new GrammyError(
    "Call to 'sendMessage' failed! (502: Bad Gateway)",
    { ok: false, error_code: 502, description: "Bad Gateway" },
    "sendMessage",
    {},
  );

describe("push reports", () => {
  it("a report whose send failed stays unreported and is sent again later", async () => {
    const attempts: PushReport[] = [];
    const { store, engine, publish } = await setup(async (r) => {
      attempts.push(r);
      if (attempts.length === 1) throw networkDown();
    });
    engine.start();
    await publish();
    engine.wake();
    await engine.drained(5);
    await until(() => attempts.length >= 2);
    await until(async () => (await store.unreportedFinishedPushes()).length === 0);
    expect(attempts.map((r) => r.delivered)).toEqual([3, 3]);
  });

  it("a report Telegram will never accept (the newsroom member blocked the bot) is not retried for ever", async () => {
    let attempts = 0;
    const { store, engine, publish } = await setup(async () => {
      attempts++;
      throw new GrammyError(
        "Call to 'sendMessage' failed! (403: Forbidden: bot was blocked by the user)",
        { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
        "sendMessage",
        {},
      );
    });
    engine.start();
    await publish();
    engine.wake();
    await engine.drained(5);
    await until(async () => (await store.unreportedFinishedPushes()).length === 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(attempts).toBe(1);
  });

  it("stop() waits for a report being sent, and it is marked only once sent", async () => {
    let sent = false;
    const { store, engine, publish } = await setup(async () => {
      await new Promise((r) => setTimeout(r, 50));
      sent = true;
    });
    engine.start();
    await publish();
    engine.wake();
    await until(() => engine.stats.sent === 3);
    // The push finished; its report may be on its way: stopping must not cut it off.
    await engine.stop();
    expect(sent).toBe(true);
    expect(await store.unreportedFinishedPushes()).toEqual([]);
  });

  it("a report left unsent by the previous run (a crash, a failed send) goes out when the engine starts", async () => {
    const reports: PushReport[] = [];
    const { store, engine, publish } = await setup(async (r) => {
      reports.push(r);
    });
    // The previous run settled every delivery, then died before sending the report.
    const { seq } = await publish();
    for (const chatId of [1, 2, 3]) await store.complete({ seq, chatId }, "delivered");
    expect(await store.unreportedFinishedPushes()).toHaveLength(1);
    engine.start();
    await until(() => reports.length === 1);
    await until(async () => (await store.unreportedFinishedPushes()).length === 0);
    expect(reports[0]).toMatchObject({ seq, delivered: 3 });
  });
});
