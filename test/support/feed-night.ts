/**
 * An election night for end-to-end tests: the real runtime (poller, anomaly gate, automatic bulletins,
 * outbox, live cards) against the fake Ministry feed and the fake Bot API, both on loopback. The test moves
 * the night's clock and runs the polling cycles itself; the poller's clock follows the night's (real time,
 * for the rate cap, plus the minutes the test skips).
 */
import { performance } from "node:perf_hooks";
import { Backoff, EligendoClient } from "../../src/feed/client.js";
import type { FeedSettings } from "../../src/feed/config.js";
import type { FeedDesk } from "../../src/feed/desk.js";
import { type Clock, realClock } from "../../src/feed/rate.js";
import type { FakeTelegram } from "./fake-bot-api/index.js";
import type { FakeComune, FakeEligendo } from "./fake-eligendo/index.js";
import { ADMIN, type Harness, startHarness } from "./harness.js";

export const minutes = (n: number) => n * 60_000;

export interface FeedNight {
  h: Harness;
  fake: FakeEligendo;
  desk: FeedDesk;
  clock: { t: number };
  /** The night moves on `n` minutes, then one polling cycle, the checks of every comune, every push delivered. */
  cycle(n?: number): Promise<void>;
  /** The periodic check of every comune (a progress bulletin held back by its 15 minutes goes then). */
  sweep(): Promise<void>;
  /** Messages a chat received from the feed (pushes start with the time). */
  pushes(chat: number): string[];
  /** Live cards a chat received (new messages and edits). */
  cards(chat: number): string[];
  /** What the newsroom was told in private. */
  newsroom(): string[];
}

export interface FeedNightOptions {
  date: string;
  mode?: FeedSettings["bulletins"];
  dbPath?: string;
  telegram?: FakeTelegram;
  clock?: { t: number };
  /** Start the live cards' engine too (and wait for it in each cycle). */
  liveCards?: boolean;
}

const open: { close(): Promise<void> }[] = [];

/** Closes every night and fake started since the last call: for afterEach. */
export async function closeNights(): Promise<void> {
  while (open.length)
    await open
      .pop()!
      .close()
      .catch(() => undefined);
}

/** Registers a fake (or anything closable) to be closed by closeNights. */
export function closeLater<T extends { close(): Promise<void> }>(thing: T): T {
  open.push(thing);
  return thing;
}

/** A night's harness stopped by the test itself (a restart that keeps its fake Bot API): not closed again. */
export function forget(thing: { close(): Promise<void> }): void {
  const i = open.indexOf(thing);
  if (i >= 0) open.splice(i, 1);
}

/** The night, polling `fake` at 23:30 of the vote unless `o.clock` says otherwise. */
export async function startFeedNight(fake: FakeEligendo, o: FeedNightOptions): Promise<FeedNight> {
  const clock = o.clock ?? { t: Date.parse(`${o.date}T23:30:00+02:00`) };
  const origin = performance.now();
  const pollerClock: Clock = { now: () => clock.t + (performance.now() - origin), sleep: realClock.sleep };
  const h = await startHarness({
    ...(o.dbPath ? { dbPath: o.dbPath } : {}),
    ...(o.telegram ? { existingFake: o.telegram } : {}),
    runtime: {
      now: () => new Date(clock.t),
      feed: { date: o.date, apiRoot: fake.apiRoot, pollMs: 60_000, maxRps: 500, bulletins: o.mode ?? "auto" },
      feedOptions: {
        live: {
          client: new EligendoClient({ apiRoot: fake.apiRoot, timeoutMs: 2_000 }),
          poller: { clock: pollerClock, backoff: new Backoff({ baseMs: 5, maxMs: 20, random: () => 0.5 }) },
          // The tests run the checks themselves.
          sweepEveryMs: 3_600_000,
        },
      },
    },
  });
  open.push(h);
  h.runtime.engine.start();
  if (o.liveCards) await h.runtime.liveCards.start();
  const desk = h.runtime.feed!;
  const settle = async () => {
    await h.runtime.engine.drained();
    if (o.liveCards) await h.runtime.liveCards.drained();
    // The newsroom's messages go through the send budget on their own.
    await new Promise((r) => setTimeout(r, 30));
  };
  const plain = (chat: number) => h.fake.sentTo(chat);
  return {
    h,
    fake,
    desk,
    clock,
    async cycle(n = 0) {
      clock.t += minutes(n);
      await desk.live.poller.runCycle();
      await desk.live.sweep();
      await settle();
    },
    async sweep() {
      await desk.live.sweep();
      await settle();
    },
    pushes: (chat) =>
      plain(chat)
        .filter((m) => m.plain.startsWith("🕒"))
        .map((m) => m.plain),
    cards: (chat) =>
      plain(chat)
        .filter((m) => m.plain.includes("Scheda in diretta") || m.method === "editMessageText")
        .map((m) => m.plain),
    newsroom: () => plain(ADMIN).map((m) => m.plain),
  };
}

/** Candidates' strengths fixed (`weights`, in ballot order), so that each comune's outcome is known in advance. */
export function shapeCandidates(c: FakeComune, tipo: "M" | "N", weights: number[]): void {
  c.tipoComune = tipo;
  while (c.candidates.length < weights.length) {
    const n = c.candidates.length + 1;
    c.candidates.push({
      cogn: `CANDIDATO ${n}`,
      nome: "PROVA",
      pos: n,
      weight: 1,
      lists: [{ pos: 90 + n, name: null, weight: 1 }],
    });
  }
  c.candidates = c.candidates.slice(0, weights.length);
  c.candidates.forEach((k, i) => {
    k.weight = weights[i]!;
    k.pos = i + 1;
  });
}
