/** Pacing under Telegram's limits, on a clock the test controls. */
import { describe, expect, it } from "vitest";
import { Pacer } from "../src/delivery/pacer.js";

function clocked(perSecond: number) {
  let t = 1_000_000;
  const pacer = new Pacer({ perSecond, now: () => t });
  return { pacer, advance: (ms: number) => (t += ms) };
}

/** Sends as fast as the pacer allows for `ms` of simulated time; returns how many went. */
function drive(p: ReturnType<typeof clocked>, ms: number): number {
  let sent = 0;
  for (let elapsed = 0; elapsed < ms; ) {
    const wait = p.pacer.take();
    if (wait === 0) sent++;
    else {
      p.advance(wait);
      elapsed += wait;
    }
  }
  return sent;
}

describe("pacer", () => {
  it("keeps the global rate: never more than the limit in any second", () => {
    for (const rate of [25, 30, 1000]) {
      const p = clocked(rate);
      const sent = drive(p, 10_000);
      expect(sent).toBeGreaterThanOrEqual(rate * 10 - 1);
      expect(sent).toBeLessThanOrEqual(rate * 10 + Math.max(1, rate / 10));
    }
  });

  it("changes its rate (a share of the bot's limit) without a burst: the last second's sends stay counted", () => {
    const p = clocked(30);
    const times: number[] = [];
    let t = 0;
    const send = (ms: number) => {
      for (let elapsed = 0; elapsed < ms; ) {
        const wait = p.pacer.take();
        if (wait === 0) times.push(t);
        else {
          p.advance(wait);
          t += wait;
          elapsed += wait;
        }
      }
    };
    send(5_000); // 30/s
    p.pacer.setRate(15); // a second instance joined
    const switched = t;
    send(5_000);
    p.pacer.setRate(30); // it left
    send(5_000);
    // No sliding second holds more than 30 sends, and none after the switch to 15 (plus the second it
    // needs to drain) more than 15.
    for (const start of times) {
      const n = times.filter((x) => x >= start && x < start + 1000).length;
      expect(n).toBeLessThanOrEqual(30);
      if (start >= switched + 1000 && start + 1000 <= switched + 5000) expect(n).toBeLessThanOrEqual(15);
    }
    const during = times.filter((x) => x >= switched + 1000 && x < switched + 5000).length;
    expect(during).toBeGreaterThanOrEqual(15 * 4 - 2);
    expect(p.pacer.perSecond).toBe(30);
  });

  it("a 429 stops everything until retry_after has passed", () => {
    const p = clocked(30);
    expect(p.pacer.take()).toBe(0);
    p.pacer.pause(5000);
    expect(p.pacer.take()).toBe(5000);
    p.advance(4999);
    expect(p.pacer.take()).toBe(1);
    p.advance(1);
    // After the pause the bucket starts empty: no burst right after a 429.
    const wait = p.pacer.take();
    expect(wait === 0 || wait <= Math.ceil(1000 / 30)).toBe(true);
  });

  it("one message a second to a private chat, one every three seconds to a group", () => {
    const p = clocked(1000);
    p.pacer.sentTo(7);
    p.pacer.sentTo(-100);
    expect(p.pacer.chatWait(7)).toBe(1000);
    expect(p.pacer.chatWait(-100)).toBe(3000);
    expect(p.pacer.chatWait(8)).toBe(0);
    p.advance(1000);
    expect(p.pacer.chatWait(7)).toBe(0);
    expect(p.pacer.chatWait(-100)).toBe(2000);
    p.advance(2000);
    expect(p.pacer.chatWait(-100)).toBe(0);
  });

  it("tells how long until fewer than k sends went in the last second (the free limit under paid broadcast)", () => {
    const p = clocked(1000);
    expect(p.pacer.windowWait(30)).toBe(0);
    for (let i = 0; i < 40; ) {
      const wait = p.pacer.take();
      if (wait === 0) i++;
      else p.advance(wait);
    }
    const w = p.pacer.windowWait(30);
    expect(w).toBeGreaterThan(0);
    p.advance(w);
    expect(p.pacer.windowWait(30)).toBe(0);
  });
});
