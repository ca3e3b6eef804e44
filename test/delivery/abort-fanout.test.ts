/** One shared AbortSignal, one listener on it, however many requests are in flight. */
import { describe, expect, it, vi } from "vitest";
import { AbortFanOut } from "../../src/delivery/bot-api/abort-fanout.js";

describe("AbortFanOut", () => {
  it("aborts the requests still in flight when the shared signal aborts, and only those", () => {
    const fan = new AbortFanOut();
    const shared = new AbortController();
    const added = vi.spyOn(shared.signal, "addEventListener");
    const requests = Array.from({ length: 500 }, () => fan.take(shared.signal));
    const heard: number[] = [];
    for (const [i, r] of requests.entries()) r.addEventListener("abort", () => heard.push(i));
    for (const r of requests.slice(0, 100)) fan.release(shared.signal, r);
    expect(added).toHaveBeenCalledTimes(1);
    shared.abort(new Error("stopping"));
    expect(heard).toHaveLength(400);
    expect(heard[0]).toBe(100);
    expect(requests[100]!.aborted).toBe(true);
    expect((requests[100]!.reason as Error).message).toBe("stopping");
    expect(requests[0]!.aborted).toBe(false);
  });

  it("a request taken after the abort starts aborted; a removed listener is not called", () => {
    const fan = new AbortFanOut();
    const shared = new AbortController();
    const r = fan.take(shared.signal);
    const listener = () => {
      throw new Error("not removed");
    };
    r.addEventListener("abort", listener);
    r.removeEventListener("abort", listener);
    shared.abort();
    expect(r.aborted).toBe(true);
    expect(fan.take(shared.signal).aborted).toBe(true);
  });
});
