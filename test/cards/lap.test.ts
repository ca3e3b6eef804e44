/** A lap over a comune's followers: in chat-id order, read a batch at a time, once more round after a change mid-lap. */
import { describe, expect, it } from "vitest";
import { advanceLap, extendLap, newLap } from "../../src/cards/live/index.js";
import { asComuneCode } from "../../src/data/model.js";

const GENOVA = asComuneCode("010025");
const followers = [3, 5, 8, 13, 21];
const store = {
  reads: 0,
  async followers(_: unknown, after: number, limit: number) {
    this.reads++;
    return followers.filter((c) => c > after).slice(0, limit);
  },
};
const walk = async (lap: ReturnType<typeof newLap>, n = Infinity) => {
  const seen: number[] = [];
  for (let chat = await advanceLap(lap, store, 2); chat !== undefined; chat = await advanceLap(lap, store, 2)) {
    seen.push(chat);
    if (seen.length >= n) break;
  }
  return seen;
};

describe("a lap", () => {
  it("visits every follower once, in order, reading two at a time", async () => {
    store.reads = 0;
    expect(await walk(newLap(GENOVA))).toEqual([3, 5, 8, 13, 21]);
    expect(store.reads).toBe(4);
  });

  it("a change mid-lap: the rest get the new figures anyway, and the lap goes round to where it was", async () => {
    const lap = newLap(GENOVA);
    expect(await walk(lap, 3)).toEqual([3, 5, 8]);
    extendLap(lap);
    expect(await walk(lap)).toEqual([13, 21, 3, 5, 8]);
  });

  it("a change before anyone was visited changes nothing: the lap is still whole", async () => {
    const lap = newLap(GENOVA);
    extendLap(lap);
    expect(await walk(lap)).toEqual([3, 5, 8, 13, 21]);
  });
});
