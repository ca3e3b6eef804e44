/**
 * The send budget end to end: the runtime against the loopback fake Bot API enforcing Telegram's
 * limits for the whole bot (30 messages a second, one a second per chat, 20 a minute per group).
 * A rush of citizens writes while a push is going out: every one is answered once, every
 * subscriber gets the push once, the newsroom gets its report, and /stato shows the counters.
 */
import { afterEach, describe, expect, it } from "vitest";
import { UpdateFactory } from "../../src/terminal/updates.js";
import { ADMIN, type Harness, startHarness } from "../support/harness.js";

const updates = new UpdateFactory({ lastUpdateId: 1_000_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const until = async (check: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("one send budget against a Bot API enforcing 30/s for the whole bot", () => {
  it("a rush of replies during a push: every reply delivered, nothing lost or duplicated", async () => {
    h = await startHarness({
      fake: { globalPerSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 20 },
      runtime: { sendRate: 30, engine: { privateGapMs: 1000, groupGapMs: 3000 } },
    });
    const { fake, runtime } = h;
    // 60 subscribers, a few of them groups; the rush comes from 60 people, half of them subscribers.
    const subscribers = Array.from({ length: 60 }, (_, i) => (i % 10 === 9 ? -1_000_000_000_000 - i : 3000 + i));
    for (const id of subscribers) await runtime.store.subscribe(id, null, "it");
    const citizens = Array.from({ length: 60 }, (_, i) => (i < 30 ? 3000 + 2 * i : 5000 + i)).filter((id) => id > 0);
    runtime.start();
    await runtime.publisher.publish({ text: "Affluenza alle 19: 42,35%", comuni: [], requestedBy: ADMIN, lang: "it" });

    const isPush = (plain: string) => plain.includes("Affluenza alle 19");
    await until(() => fake.sent.filter((m) => isPush(m.plain)).length >= 10);
    // Everyone writes at once, as webhooks would hand the updates over.
    await Promise.all(citizens.map((id) => runtime.bot.handleUpdate(updates.message("/citta Genova", { userId: id }))));
    await runtime.engine.drained(10);
    await until(() => fake.sentTo(ADMIN).some((m) => m.plain.includes("Resoconto invio")));
    await until(() => runtime.budget!.stats().newsroom === 1);

    for (const id of citizens) {
      const answers = fake.sentTo(id).filter((m) => !isPush(m.plain));
      expect(answers, `citizen ${id}`).toHaveLength(1);
      expect(answers[0]!.plain).toContain("Genova");
    }
    for (const id of subscribers)
      expect(
        fake.sentTo(id).filter((m) => isPush(m.plain)),
        `subscriber ${id}`,
      ).toHaveLength(1);
    const stats = runtime.budget!.stats();
    expect(stats).toMatchObject({ droppedWaited: 0, droppedOverflow: 0, queued: 0 });
    expect(stats.replies).toBe(citizens.length);
    expect(stats.newsroom).toBe(1);
    // The budget kept the bot under the limit: a 429 now and then from timing jitter at most.
    const sends = fake.callCounts.get("sendMessage") ?? 0;
    expect(fake.stats.tooManyRequests).toBeLessThanOrEqual(Math.ceil(sends * 0.02));
    expect(fake.stats.tooManyRequests).toBe(stats.rateLimited);

    const status = (await h.say("/stato", { userId: ADMIN }))[0]!.plain;
    expect(status).toContain("risposte non inviate: 0 (0 in attesa da oltre 60 s, 0 per coda piena)");
    expect(status).toContain(`429 da Telegram: ${stats.rateLimited}`);
  });

  it("under a rush beyond the limit, replies that waited too long are dropped and counted, never silently", async () => {
    h = await startHarness({
      fake: { globalPerSecond: 30, perChatPerSecond: 1 },
      runtime: { sendRate: 30, replyMaxWaitMs: 1000, engine: { privateGapMs: 1000 } },
    });
    const { fake, runtime } = h;
    const citizens = Array.from({ length: 90 }, (_, i) => 7000 + i);
    await Promise.all(citizens.map((id) => runtime.bot.handleUpdate(updates.message("/citta Genova", { userId: id }))));
    const stats = runtime.budget!.stats();
    const answered = citizens.filter((id) => fake.sentTo(id).length > 0).length;
    // The queue holds what two seconds at 30/s can send (60): the oldest past that went at once
    // as overflow; of the rest, what could not go within a second was dropped for waiting.
    expect(stats.droppedOverflow).toBeGreaterThan(0);
    expect(stats.peakQueued).toBeLessThanOrEqual(61);
    expect(stats.droppedWaited).toBeGreaterThan(0);
    expect(answered + stats.droppedWaited + stats.droppedOverflow).toBe(citizens.length);
    expect(citizens.every((id) => fake.sentTo(id).length <= 1)).toBe(true);
    expect(fake.stats.tooManyRequests).toBe(0);
    const status = (await h.say("/stato", { userId: ADMIN }))[0]!.plain;
    expect(status).toContain(
      `risposte non inviate: ${stats.droppedWaited + stats.droppedOverflow} (${stats.droppedWaited} in attesa da oltre 1 s, ${stats.droppedOverflow} per coda piena)`,
    );
  });
});
