/** The min-heap behind the send budget's and the live cards' timers: always the smallest time first. */
import { describe, expect, it } from "vitest";
import { MinHeap } from "../../src/delivery/min-heap.js";

describe("MinHeap", () => {
  it("gives back every value by time, smallest first, whatever the order they went in", () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const h = new MinHeap<number>();
    const times = Array.from({ length: 500 }, () => Math.floor(rnd() * 100));
    for (const [i, t] of times.entries()) h.push(t, i);
    expect(h.size).toBe(500);
    const out: number[] = [];
    for (let e = h.pop(); e; e = h.pop()) {
      expect(times[e.value]).toBe(e.at);
      out.push(e.at);
    }
    expect(out).toEqual([...times].sort((a, b) => a - b));
    expect(h.size).toBe(0);
  });

  it("peeks without taking, and clears", () => {
    const h = new MinHeap<string>();
    expect(h.peek()).toBeUndefined();
    h.push(3, "c");
    h.push(1, "a");
    expect(h.peek()).toEqual({ at: 1, value: "a" });
    expect(h.size).toBe(2);
    h.clear();
    expect(h.pop()).toBeUndefined();
  });
});
