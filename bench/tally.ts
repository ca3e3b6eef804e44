/** Counting outcomes per chat: who got the push, who got nothing, who got it twice. */
export interface TallyInput {
  ids: number[];
  blocked: number[];
  /** Only these chats were attempted (a contender stopped early); default: all ids. */
  attempted?: number;
}

export interface Tally {
  /** Successful sends to the audience. */
  delivered: number;
  /** Chats (not blocked, attempted) with no delivery. */
  lost: number;
  /** Chats with more than one delivery. */
  duplicated: number;
  /** Extra copies beyond the first. */
  extraCopies: number;
  /** Blocked chats that still show a delivery (should be 0). */
  blockedDelivered: number;
}

export function tally(delivered: ReadonlyMap<number, number>, input: TallyInput): Tally {
  const blocked = new Set(input.blocked);
  const n = Math.min(input.ids.length, input.attempted ?? input.ids.length);
  let total = 0;
  let lost = 0;
  let duplicated = 0;
  let extraCopies = 0;
  let blockedDelivered = 0;
  for (let i = 0; i < input.ids.length; i++) {
    const id = input.ids[i]!;
    const c = delivered.get(id) ?? 0;
    total += c;
    if (c > 1) {
      duplicated++;
      extraCopies += c - 1;
    }
    if (blocked.has(id)) {
      if (c > 0) blockedDelivered++;
    } else if (c === 0 && i < n) lost++;
  }
  return { delivered: total, lost, duplicated, extraCopies, blockedDelivered };
}
