/**
 * The fake Ministry's council seats: allocated as the law does (src/data/seats.ts), so that the bot's own
 * computation agrees with them by default. A comune's `alterSeats` gives a deliberate difference (a test of
 * what the bot does when the Ministry's seats are not the law's).
 */
import { allocateMajoritarian, allocateSmall, type GroupInput } from "../../../src/data/seats.js";

export interface FakeSeats {
  /** Seats of every list, in the candidates' order then their lists'. */
  lists: number[];
  /** Per candidate: a defeated candidate seated in the council (`eletto: "C"`). */
  seated: boolean[];
}

/**
 * The seats under the law: `listVotes` per candidate, `mayor` the elected candidate's index; `round` the
 * runoff when the mayor was elected there (the lists as they ran at the first round). Undefined on a tie
 * (the Ministry would draw lots).
 */
export function lawSeats(input: {
  seats: number;
  listVotes: readonly (readonly number[])[];
  mayor: number;
  small: boolean;
  round: "first" | "runoff";
}): FakeSeats | undefined {
  const groups: GroupInput[] = input.listVotes.map((votes, i) => ({
    candidate: String(i),
    lists: votes.map((v) => ({ votes: v })),
  }));
  const r = input.small
    ? allocateSmall({ seats: input.seats, groups, mayor: input.mayor })
    : allocateMajoritarian({ seats: input.seats, groups, mayor: input.mayor, round: input.round });
  if (r.kind !== "allocation") return undefined;
  return {
    lists: r.groups.flatMap((g) => g.lists.map((l) => l.seats)),
    seated: r.groups.map((g) => g.candidateSeated),
  };
}
