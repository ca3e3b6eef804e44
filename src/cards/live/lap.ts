/**
 * A lap: a walk over a comune's followers in chat-id order, round and round until every one has been
 * visited once after the latest change. What the engine holds per comune is this cursor, not a queue per
 * follower; the followers are read from the store a batch at a time.
 */
import type { ComuneCode } from "../../data/model.js";
import type { LiveCardStore } from "../store.js";

/** A walk over a comune's followers in chat-id order, round and round until every one is current. */
export interface Lap {
  comune: ComuneCode;
  /** The last follower handed out. */
  pos: number;
  /** Where the lap ends once it has wrapped: the position at the latest change. */
  endAt: number;
  /** The lap must go past the end of the list and start again from the first follower. */
  mustWrap: boolean;
  buffer: number[];
  /** The last follower read into the buffer. */
  cursor: number;
}

/** A lap over a comune's followers from the first. */
export function newLap(comune: ComuneCode): Lap {
  return { comune, pos: -Infinity, endAt: -Infinity, mustWrap: false, buffer: [], cursor: -Infinity };
}

/** The comune changed again mid-lap: whoever was handed out after this point shows the new figures; the rest go once more. */
export function extendLap(lap: Lap): void {
  lap.endAt = lap.pos;
  lap.mustWrap = lap.pos !== -Infinity;
}

/** The lap's next follower, or undefined when the lap is over. */
export async function advanceLap(
  lap: Lap,
  store: Pick<LiveCardStore, "followers">,
  batchSize: number,
): Promise<number | undefined> {
  for (;;) {
    if (!lap.buffer.length) {
      lap.buffer = await store.followers(lap.comune, lap.cursor, batchSize);
      if (lap.buffer.length) lap.cursor = lap.buffer[lap.buffer.length - 1]!;
    }
    if (!lap.buffer.length) {
      if (!lap.mustWrap) return undefined;
      lap.mustWrap = false;
      lap.cursor = -Infinity;
      continue;
    }
    const chat = lap.buffer[0]!;
    if (!lap.mustWrap && lap.endAt !== -Infinity && chat > lap.endAt) return undefined;
    lap.buffer.shift();
    lap.pos = chat;
    return chat;
  }
}
