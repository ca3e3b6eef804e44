/** The one send budget on a clock the test moves: priorities, per-chat order, 429 pauses, bounded waits. */
import { describe, expect, it } from "vitest";
import {
  ReplyDropped,
  SendBudget,
  type SendBudgetOptions,
  type SendClass,
  type Verdict,
} from "../../src/delivery/budget/index.js";
import type { Logger } from "../../src/logger.js";
import { ManualClock, settle } from "../support/manual-clock.js";

interface Sent {
  label: string;
  chat: number | string | undefined;
  at: number;
  cls: SendClass | "push";
}

/** Answers as Telegram would, shaped like grammY's raw results. */
type Answer = { ok: true } | { ok: false; error_code: number; retry_after?: number };

function setup(opts: Partial<SendBudgetOptions> = {}) {
  const clock = new ManualClock();
  const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
  const logger = {
    warn: (obj: Record<string, unknown>, msg: string) => warnings.push({ obj, msg }),
  } as unknown as Logger;
  const budget = new SendBudget({
    perSecond: 10,
    privateGapMs: 0,
    groupGapMs: 0,
    logger,
    clock,
    ...opts,
  });
  const sent: Sent[] = [];
  /** Queues one message; `answers` are what Telegram says to each attempt (default: ok), `latency` ms each. */
  const send = (
    label: string,
    chat: number | string | undefined,
    cls: SendClass = "reply",
    o: { answers?: Answer[]; latency?: number } = {},
  ) => {
    const answers = [...(o.answers ?? [])];
    const p = budget.run<Answer>({
      chat,
      cls,
      send: async () => {
        sent.push({ label, chat, at: clock.now(), cls });
        const a = answers.shift() ?? { ok: true };
        if (o.latency) await new Promise<void>((r) => clock.setTimeout(r, o.latency!));
        return a;
      },
      verdict: (r): Verdict =>
        r.ok
          ? { kind: "done" }
          : r.error_code === 429
            ? { kind: "rate-limited", retryAfterMs: (r.retry_after ?? 1) * 1000 }
            : { kind: "done" },
    });
    const outcome: { value?: Answer; error?: unknown } = {};
    p.then(
      (v) => (outcome.value = v),
      (e: unknown) => (outcome.error = e),
    );
    return outcome;
  };
  /** The push lane takes every slot it can (as the engine does), with no latency. */
  const pushUntilBlocked = (chat = 900_000) => {
    let n = 0;
    while (budget.push.take() === 0) {
      const sendNumber = budget.push.lastTaken;
      budget.push.sentTo(chat + n);
      sent.push({ label: `push${n}`, chat: chat + n, at: clock.now(), cls: "push" });
      budget.push.answered(sendNumber);
      n++;
    }
    return n;
  };
  return { clock, budget, sent, send, pushUntilBlocked, warnings };
}

/** Most sends in any sliding second. */
function peakPerSecond(sent: Sent[]): number {
  const at = sent.map((s) => s.at).sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

describe("send budget", () => {
  it("takes its share of the bot's limit when instances share it: replies and pushes together stay under it", async () => {
    const { clock, budget, sent, send, pushUntilBlocked } = setup({ perSecond: 20 });
    budget.setShare(0.5); // one of two instances, neither busier
    expect(budget.perSecond).toBe(10);
    expect(budget.push.perSecond).toBe(10);
    for (let i = 0; i < 30; i++) send(`r${i}`, i + 1);
    await clock.advance(1000);
    const replies = () => sent.filter((s) => s.cls === "reply").length;
    // Within a second: at most 10 (this instance's share), replies before the push.
    expect(replies()).toBeLessThanOrEqual(11);
    expect(replies()).toBeGreaterThanOrEqual(9);
    await clock.advance(3000);
    expect(replies()).toBe(30);
    budget.setShare(1); // the other instance left
    await clock.advance(1000);
    const before = sent.length;
    for (let k = 0; k < 10; k++) {
      pushUntilBlocked();
      await clock.advance(100);
    }
    expect(sent.length - before).toBeGreaterThanOrEqual(18);
    expect(sent.length - before).toBeLessThanOrEqual(22);
  });

  it("replies go first, the newsroom next, pushes only when neither waits", async () => {
    const { clock, budget, sent, send, pushUntilBlocked } = setup();
    pushUntilBlocked(); // the push holds every slot there is
    send("news", 5, "newsroom");
    send("r1", 1);
    send("r2", 2);
    expect(budget.push.take()).toBeGreaterThan(0);
    await clock.advance(1000);
    expect(sent.filter((s) => s.cls !== "push").map((s) => s.label)).toEqual(["r1", "r2", "news"]);
    // Everything queued has gone: the push has the slots again.
    await clock.advance(200);
    expect(pushUntilBlocked()).toBeGreaterThan(0);
  });

  it("the cards' lane is the lowest: it waits for replies, for a push under way, and takes what is left", async () => {
    const { clock, budget, send, pushUntilBlocked } = setup();
    send("r1", 1);
    expect(budget.cards.take()).toBeGreaterThan(0); // a reply waits
    await clock.advance(200);
    pushUntilBlocked(); // a push takes every slot and asks for more
    expect(budget.cards.take()).toBeGreaterThan(0);
    await clock.advance(20);
    expect(budget.cards.take()).toBeGreaterThan(0); // the push would take the next slot
    // The push is done (it stops asking): after its demand lapses, the cards get slots.
    await clock.advance(1000);
    expect(budget.cards.take()).toBe(0);
    // And a card never makes a push or a reply wait longer than one slot.
    expect(budget.push.take()).toBeLessThanOrEqual(budget.slotMs);
  });

  it("keeps a chat's messages in order, one in flight, with the chat's gap between them", async () => {
    const { clock, sent, send } = setup({ perSecond: 100, privateGapMs: 1000, groupGapMs: 3000 });
    send("a1", 1, "reply", { latency: 300 });
    send("a2", 1);
    send("g1", -100);
    send("g2", -100);
    send("b1", 2);
    send("a3", 1);
    await clock.advance(10_000);
    const to = (chat: number) => sent.filter((s) => s.chat === chat);
    expect(to(1).map((s) => s.label)).toEqual(["a1", "a2", "a3"]);
    expect(to(-100).map((s) => s.label)).toEqual(["g1", "g2"]);
    // a1 was answered 300 ms after it went: a2 waits a full gap from that answer.
    expect(to(1)[1]!.at - to(1)[0]!.at).toBeGreaterThanOrEqual(1300);
    expect(to(1)[2]!.at - to(1)[1]!.at).toBeGreaterThanOrEqual(1000);
    expect(to(-100)[1]!.at - to(-100)[0]!.at).toBeGreaterThanOrEqual(3000);
    // Another chat is not held up by chat 1's gap.
    expect(to(2)[0]!.at - to(1)[0]!.at).toBeLessThan(100);
  });

  it("a push to a chat waits for the replies queued to it", async () => {
    const { clock, budget, send } = setup({ perSecond: 100, privateGapMs: 1000 });
    send("r1", 7);
    send("r2", 7);
    expect(budget.push.chatWait(7)).toBeGreaterThan(0);
    expect(budget.push.chatWait(8)).toBe(0);
    await clock.advance(5000);
    expect(budget.push.chatWait(7)).toBe(0);
  });

  it("a 429 on a reply pauses everyone for retry_after; the reply goes again and nothing is dropped", async () => {
    const { clock, budget, sent, send } = setup();
    const r1 = send("r1", 1, "reply", { answers: [{ ok: false, error_code: 429, retry_after: 5 }] });
    const r2 = send("r2", 2);
    await clock.advance(10);
    expect(sent.map((s) => s.label)).toEqual(["r1"]);
    // Neither the other reply nor a push goes during the pause.
    await clock.advance(4900);
    expect(budget.push.take()).toBeGreaterThan(0);
    expect(sent.map((s) => s.label)).toEqual(["r1"]);
    await clock.advance(1000);
    expect(sent.map((s) => s.label)).toEqual(["r1", "r1", "r2"]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(5000);
    expect(r1.value).toEqual({ ok: true });
    expect(r2.value).toEqual({ ok: true });
    expect(budget.stats()).toMatchObject({ rateLimited: 1, droppedWaited: 0, droppedOverflow: 0, replies: 2 });
  });

  it("a 429 on a push pauses the replies too", async () => {
    const { clock, budget, sent, send } = setup();
    budget.push.pause(3000);
    send("r1", 1);
    await clock.advance(2900);
    expect(sent).toHaveLength(0);
    await clock.advance(200);
    expect(sent.map((s) => s.label)).toEqual(["r1"]);
    expect(budget.stats().rateLimited).toBe(1);
  });

  it("drops a reply that waited longer than the bound, with a log line and a count", async () => {
    const { clock, budget, sent, send, warnings } = setup({ perSecond: 1, replyMaxWaitMs: 5000 });
    const outcomes = Array.from({ length: 10 }, (_, i) => send(`r${i}`, i + 1));
    await clock.advance(20_000);
    const answered = outcomes.filter((o) => o.value).length;
    const dropped = outcomes.filter((o) => o.error instanceof ReplyDropped);
    // One a second for five seconds (plus the one that went at once), the rest dropped.
    expect(answered).toBeGreaterThanOrEqual(5);
    expect(answered).toBeLessThanOrEqual(6);
    expect(answered + dropped.length).toBe(10);
    expect(sent).toHaveLength(answered);
    expect(dropped.every((o) => (o.error as ReplyDropped).reason === "waited")).toBe(true);
    expect(dropped.every((o) => (o.error as ReplyDropped).waitedMs > 5000)).toBe(true);
    // Dropped as soon as the bound passed, not when a slot came.
    expect(Math.max(...dropped.map((o) => (o.error as ReplyDropped).waitedMs))).toBeLessThan(5100);
    expect(budget.stats()).toMatchObject({ droppedWaited: dropped.length, queued: 0 });
    expect(warnings.filter((w) => w.obj.reason === "waited")).toHaveLength(dropped.length);
  });

  it("bounds the queue: past the bound the oldest reply is dropped, counted and logged", async () => {
    const { clock, budget, send, pushUntilBlocked, warnings } = setup({ perSecond: 1, replyQueueMax: 3 });
    pushUntilBlocked();
    const o = Array.from({ length: 5 }, (_, i) => send(`r${i}`, i + 1));
    await settle();
    expect(o[0]!.error).toBeInstanceOf(ReplyDropped);
    expect(o[1]!.error).toBeInstanceOf(ReplyDropped);
    expect((o[0]!.error as ReplyDropped).reason).toBe("overflow");
    expect(budget.stats()).toMatchObject({ droppedOverflow: 2, queued: 3, peakQueued: 4 });
    expect(warnings.filter((w) => w.obj.reason === "overflow")).toHaveLength(2);
    await clock.advance(10_000);
    expect(o.slice(2).every((x) => x.value)).toBe(true);
  });

  it("the newsroom's messages are never dropped for waiting", async () => {
    const { clock, budget, send, pushUntilBlocked } = setup({ perSecond: 1, replyMaxWaitMs: 1000 });
    pushUntilBlocked();
    const replies = Array.from({ length: 4 }, (_, i) => send(`r${i}`, i + 1));
    const news = send("news", 99, "newsroom");
    await clock.advance(30_000);
    expect(news.value).toEqual({ ok: true });
    expect(replies.filter((r) => r.error).length).toBeGreaterThan(0);
    expect(budget.stats().newsroom).toBe(1);
  });

  it("a push in progress never delays a reply by more than one send slot", async () => {
    const { clock, budget, sent, send } = setup({ perSecond: 30, privateGapMs: 1000 });
    // The engine: takes a slot whenever the lane gives one, to a new chat each time.
    let chat = 500_000;
    const engine = () => {
      const wait = budget.push.take();
      if (wait === 0) {
        const n = budget.push.lastTaken;
        budget.push.sentTo(chat);
        sent.push({ label: "push", chat: chat++, at: clock.now(), cls: "push" });
        budget.push.answered(n);
        clock.setTimeout(engine, 0);
      } else clock.setTimeout(engine, wait);
    };
    engine();
    // Replies arrive at uneven moments while the push runs.
    const arrivals: { at: number; label: string }[] = [];
    for (let i = 0; i < 60; i++) {
      const at = 1000 + i * 137 + ((i * 7919) % 97);
      arrivals.push({ at, label: `r${i}` });
      clock.setTimeout(() => send(`r${i}`, 1 + i), at);
    }
    const start = clock.now();
    await clock.advance(12_000);
    const slot = Math.ceil(1000 / 30);
    for (const a of arrivals) {
      const s = sent.find((x) => x.label === a.label)!;
      expect(s.at - (start + a.at)).toBeLessThanOrEqual(slot);
    }
    // The push had everything else, and the whole never went over the limit.
    expect(sent.filter((s) => s.cls === "push").length).toBeGreaterThan(11 * 30 - 60 - 10);
    expect(peakPerSecond(sent)).toBeLessThanOrEqual(30);
  });

  it("with paid broadcast, a reply waits until the last second holds fewer than the free limit", async () => {
    const { clock, budget, sent, send } = setup({ perSecond: 1000, freePerSecond: 30 });
    let chat = 500_000;
    const engine = () => {
      const wait = budget.push.take();
      if (wait === 0) {
        const n = budget.push.lastTaken;
        sent.push({ label: "push", chat: chat++, at: clock.now(), cls: "push" });
        budget.push.answered(n);
        clock.setTimeout(engine, 0);
      } else clock.setTimeout(engine, wait);
    };
    engine();
    clock.setTimeout(() => send("r", 1), 2000);
    await clock.advance(4000);
    const i = sent.findIndex((s) => s.label === "r");
    const r = sent[i]!;
    const before = sent.slice(0, i).filter((s) => s.at > r.at - 1000);
    expect(before.length).toBeLessThan(30);
    // The push yields at once and goes on after the reply.
    expect(sent.filter((s) => s.cls === "push" && s.at > r.at).length).toBeGreaterThan(500);
  });

  it("a message without a chat (an inline message) goes without a gap and leaves no state behind", async () => {
    const { clock, budget, sent, send } = setup({ privateGapMs: 1000 });
    send("i1", undefined);
    send("i2", undefined);
    await clock.advance(1000);
    expect(sent.map((s) => s.label)).toEqual(["i1", "i2"]);
    expect(budget.push.chatWait(0)).toBe(0);
  });

  it("an abort signal takes a queued message off the queue", async () => {
    const { clock, budget, sent, pushUntilBlocked } = setup({ perSecond: 1 });
    pushUntilBlocked();
    const ac = new AbortController();
    const p = budget.run({
      chat: 1,
      cls: "reply",
      signal: ac.signal,
      send: async () => {
        sent.push({ label: "x", chat: 1, at: clock.now(), cls: "reply" });
        return { ok: true };
      },
      verdict: () => ({ kind: "done" }),
    });
    ac.abort(new Error("gone"));
    await expect(p).rejects.toThrow("gone");
    await clock.advance(5000);
    expect(sent.filter((s) => s.cls === "reply")).toHaveLength(0);
    expect(budget.stats().queued).toBe(0);
  });

  it("close rejects what still waits", async () => {
    const { budget, send, pushUntilBlocked } = setup({ perSecond: 1 });
    pushUntilBlocked();
    const o = send("r", 1);
    budget.close();
    await settle();
    expect(String(o.error)).toMatch(/stopping/);
  });
});
