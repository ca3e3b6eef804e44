/**
 * What each follower saw of a count, counted on the fake Bot API's side (bench/fake-server.ts): for
 * every message sent or edited, the count it shows ("412 sezioni su 653"), and from that the delay
 * between each change and the moment each follower's chat showed it (or something newer).
 */
import { percentile } from "./util.js";

/** The count a message shows: its "N sezioni su M". */
const COUNT = /([\d.]+) sezioni su/;

export interface CardChange {
  /** Date.now() when the change was taken in by the bot. */
  at: number;
  /** Sections counted after it. */
  version: number;
}

export interface CardTallyInput {
  ids: number[];
  blocked: number[];
  changes: CardChange[];
}

export interface CardTally {
  followers: number;
  /** New messages and edits that showed a count. */
  sends: number;
  edits: number;
  /** Messages (new or edited) per minute, from the first change to the last message. */
  perMinute: number;
  /** Over every (follower, change): delay until the follower's chat showed that change or a newer one. */
  followerP50S: number;
  followerP99S: number;
  followerMaxS: number;
  /** Pairs that were never shown (superseded counts shown instead are counted as shown). */
  missedPairs: number;
  /** Per change: delay until the last follower showed it; over the changes every follower saw. */
  lastP50S: number;
  lastP99S: number;
  lastMaxS: number;
  /** Changes that every follower saw before the end of the run. */
  changesSeenByAll: number;
  /** Followers whose chat shows the last count at the end. */
  showingLatest: number;
  /** New messages per follower (the notifications they got). */
  newMessagesPerFollower: number;
}

/** Follows what each chat shows; fed by the fake's observer. */
export class CardWatcher {
  /** Per chat: [count, at, count, at, …], counts rising. */
  private readonly shown = new Map<number, number[]>();
  private sends = 0;
  private edits = 0;
  private lastAt = -Infinity;

  observe(m: { method: string; chat_id: number; plain: string; at: number }): void {
    const match = COUNT.exec(m.plain);
    if (!match) return;
    const count = Number(match[1]!.replace(/\./g, ""));
    if (m.method === "sendMessage") this.sends++;
    else this.edits++;
    this.lastAt = Math.max(this.lastAt, m.at);
    let list = this.shown.get(m.chat_id);
    if (!list) {
      list = [];
      this.shown.set(m.chat_id, list);
    }
    if (!list.length || count > list[list.length - 2]!) list.push(count, m.at);
  }

  reset(): void {
    this.shown.clear();
    this.sends = 0;
    this.edits = 0;
    this.lastAt = -Infinity;
  }

  tally(input: CardTallyInput): CardTally {
    const blocked = new Set(input.blocked);
    const followers = input.ids.filter((id) => !blocked.has(id));
    const changes = input.changes;
    const pairDelays: number[] = [];
    const lastDelay = changes.map(() => 0);
    const seenByAll = changes.map(() => true);
    let missed = 0;
    let latest = 0;
    const final = changes.at(-1)?.version;
    for (const id of followers) {
      const list = this.shown.get(id) ?? [];
      let j = 0;
      changes.forEach((c, k) => {
        while (j < list.length && list[j]! < c.version) j += 2;
        if (j >= list.length) {
          missed++;
          seenByAll[k] = false;
          return;
        }
        const d = list[j + 1]! - c.at;
        pairDelays.push(d);
        if (d > lastDelay[k]!) lastDelay[k] = d;
      });
      if (final !== undefined && list.length && list[list.length - 2] === final) latest++;
    }
    const sorted = Float64Array.from(pairDelays).sort();
    const lasts = Float64Array.from(lastDelay.filter((_, k) => seenByAll[k])).sort();
    const first = changes[0]?.at ?? 0;
    const minutes = Math.max(1e-9, (this.lastAt - first) / 60_000);
    return {
      followers: followers.length,
      sends: this.sends,
      edits: this.edits,
      perMinute: (this.sends + this.edits) / minutes,
      followerP50S: percentile(sorted, 50) / 1000,
      followerP99S: percentile(sorted, 99) / 1000,
      followerMaxS: (sorted[sorted.length - 1] ?? Number.NaN) / 1000,
      missedPairs: missed,
      lastP50S: percentile(lasts, 50) / 1000,
      lastP99S: percentile(lasts, 99) / 1000,
      lastMaxS: (lasts[lasts.length - 1] ?? Number.NaN) / 1000,
      changesSeenByAll: seenByAll.filter(Boolean).length,
      showingLatest: latest,
      newMessagesPerFollower: followers.length ? this.sends / followers.length : 0,
    };
  }
}
