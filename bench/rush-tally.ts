/**
 * Counting a rush's outcome inside the fake's process, from what the fake recorded: who among the
 * citizens got their answer and how long after writing, who got an apology or nothing, who got an
 * answer twice; and the push: delivered, lost, duplicated.
 */
import { percentile } from "./util.js";

/** What the fake process needs to start the rush by itself. */
export interface RushArm {
  /** Start once this many messages were delivered (the push is under way). */
  afterSends: number;
  citizens: number[];
  text: string;
  spreadMs: number;
}

export interface RushTallyInput {
  citizens: number[];
  subscribers: number[];
  blocked: number[];
  /** Text every push message contains. */
  pushMarker: string;
  /** Text every right answer contains. */
  answerMarker: string;
  /** Text the bot's apology starts with. */
  apologyMarker: string;
}

export interface RushTally {
  answered: number;
  apologised: number;
  /** Citizens who got the answer more than once. */
  duplicatedReplies: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  pushDelivered: number;
  /** Subscribers who did not block the bot and got no push. */
  pushLost: number;
  pushDuplicated: number;
}

interface Sent {
  plain: string;
  at: number;
}

export function rushTally(
  sentTo: (chatId: number) => readonly Sent[],
  rushAt: ReadonlyMap<number, number>,
  input: RushTallyInput,
): RushTally {
  let answered = 0;
  let apologised = 0;
  let duplicatedReplies = 0;
  const latencies: number[] = [];
  for (const id of input.citizens) {
    const answers = sentTo(id).filter((m) => m.plain.includes(input.answerMarker));
    if (answers.length) {
      answered++;
      const at = rushAt.get(id);
      if (at !== undefined) latencies.push(answers[0]!.at - at);
    }
    if (answers.length > 1) duplicatedReplies++;
    if (sentTo(id).some((m) => m.plain.startsWith(input.apologyMarker))) apologised++;
  }
  const blocked = new Set(input.blocked);
  let pushDelivered = 0;
  let pushLost = 0;
  let pushDuplicated = 0;
  for (const id of input.subscribers) {
    const n = sentTo(id).filter((m) => m.plain.includes(input.pushMarker)).length;
    pushDelivered += n;
    if (n === 0 && !blocked.has(id)) pushLost++;
    if (n > 1) pushDuplicated++;
  }
  const sorted = Float64Array.from(latencies).sort();
  return {
    answered,
    apologised,
    duplicatedReplies,
    latencyP50Ms: percentile(sorted, 50),
    latencyP99Ms: percentile(sorted, 99),
    latencyMaxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    pushDelivered,
    pushLost,
    pushDuplicated,
  };
}
