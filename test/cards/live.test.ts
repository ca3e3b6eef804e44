/** Live cards on a clock the test moves: coalescing, lost cards, solo-esiti, the budget's lowest lane, restarts. */
import { GrammyError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { type CardContent, LiveCards, type LiveCardsOptions } from "../../src/cards/live/index.js";
import { asComuneCode as kc } from "../../src/data/model.js";
import { SendBudget } from "../../src/delivery/budget/index.js";
import { trusted } from "../../src/format/html.js";
import type { Logger } from "../../src/logger.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { ManualClock, settle } from "../support/manual-clock.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

const apiError = (code: number, description: string, parameters: Record<string, number> = {}) =>
  new GrammyError(
    `Call to 'editMessageText' failed! (${code}: ${description})`,
    { ok: false, error_code: code, description, parameters },
    "editMessageText",
    {},
  );

interface Call {
  method: "send" | "edit";
  chat: number;
  messageId?: number;
  html: string;
  at: number;
}

function setup(o: { perSecond?: number; live?: boolean; opts?: Partial<LiveCardsOptions> } = {}) {
  const clock = new ManualClock();
  const store = new SqliteStore(":memory:", () => clock.now());
  const cardStore = store.cards;
  const budget = new SendBudget({ perSecond: o.perSecond ?? 10, privateGapMs: 0, groupGapMs: 0, clock });
  /** The figures: each change bumps the version the card shows. */
  const data = { version: 1, live: o.live ?? true };
  const calls: Call[] = [];
  /** Errors the next sends throw, in order. */
  const failures: unknown[] = [];
  let nextMessageId = 100;
  const cards = new LiveCards({
    store: cardStore,
    lane: budget.cards,
    clock,
    now: () => clock.now(),
    logger: silent,
    resolve: (key) =>
      key === "010025" || key === kc("Genova") ? kc("Genova") : key === kc("Parma") ? kc("Parma") : undefined,
    render: (comune, lang): CardContent => ({
      html: trusted(`${comune} v${data.version} ${lang}`),
      live: data.live,
      fingerprint: `${comune}:${data.version}:${lang}`,
    }),
    api: {
      send: async (chat, card) => {
        calls.push({ method: "send", chat, html: card.html, at: clock.now() });
        const f = failures.shift();
        if (f) throw f;
        return { message_id: nextMessageId++ };
      },
      edit: async (chat, messageId, card) => {
        calls.push({ method: "edit", chat, messageId, html: card.html, at: clock.now() });
        const f = failures.shift();
        if (f) throw f;
        return true;
      },
    },
    ...o.opts,
  });
  const follow = async (chat: number, comune = kc("Genova"), lang: "it" | "en" = "it") => {
    await store.subscribe(chat, comune, lang);
  };
  /** A card already shown in the chat. */
  const hasCard = async (chat: number, comune = kc("Genova"), messageId = 50, sentAt = clock.now()) =>
    cardStore.cardSent(chat, comune, messageId, sentAt, `${comune}:${data.version}:it`);
  const run = async (ms = 60_000) => {
    await clock.advance(ms);
    await settle();
  };
  return { clock, store, cardStore, budget, data, calls, failures, cards, follow, hasCard, run };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

describe("live cards", () => {
  it("coalesces: ten changes while an edit waits make one edit, with the latest figures", async () => {
    const t = setup();
    cleanup.push(() => t.store.close());
    await t.follow(7);
    await t.hasCard(7);
    // Telegram said 429: nothing goes for 10 s.
    t.budget.rateLimited(10_000);
    for (let i = 0; i < 10; i++) {
      t.data.version++;
      t.cards.changed(kc("Genova"));
      await t.clock.advance(500);
    }
    expect(t.calls).toEqual([]);
    await t.run();
    expect(t.calls.map((c) => [c.method, c.messageId, c.html])).toEqual([["edit", 50, "Genova v11 it"]]);
    expect((await t.cardStore.card(7, kc("Genova")))?.shown).toBe("Genova:11:it");
    expect(t.cards.idle).toBe(true);
  });

  it("a change mid-lap goes round once more for those already edited, and nobody twice for the same figures", async () => {
    const t = setup({ perSecond: 1 });
    cleanup.push(() => t.store.close());
    for (const chat of [1, 2, 3, 4, 5]) {
      await t.follow(chat);
      await t.hasCard(chat);
    }
    t.data.version = 2;
    t.cards.changed(kc("Genova"));
    await t.clock.advance(1500); // at 1/s two edits have gone: chats 1 and 2
    expect(t.calls.map((c) => c.chat)).toEqual([1, 2]);
    t.data.version = 3;
    t.cards.changed("010025"); // the same comune by its ISTAT code
    await t.run();
    // 3, 4, 5 skip version 2 entirely; 1 and 2 get version 3 after them.
    expect(t.calls.map((c) => `${c.chat}:${c.html}`)).toEqual([
      "1:Genova v2 it",
      "2:Genova v2 it",
      "3:Genova v3 it",
      "4:Genova v3 it",
      "5:Genova v3 it",
      "1:Genova v3 it",
      "2:Genova v3 it",
    ]);
    // One slot a second, never faster.
    for (let i = 1; i < t.calls.length; i++) expect(t.calls[i]!.at - t.calls[i - 1]!.at).toBeGreaterThanOrEqual(1000);
  });

  it("an edit in flight when the figures change is followed by one more edit", async () => {
    const t = setup();
    cleanup.push(() => t.store.close());
    await t.follow(7);
    await t.hasCard(7);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const calls: string[] = [];
    const cards = new LiveCards({
      store: t.cardStore,
      lane: t.budget.cards,
      clock: t.clock,
      now: () => t.clock.now(),
      logger: silent,
      resolve: (k) => kc(k),
      render: (comune) => ({
        html: trusted(`v${t.data.version}`),
        live: true,
        fingerprint: `${comune}:${t.data.version}:it`,
      }),
      api: {
        send: async () => ({ message_id: 1 }),
        edit: async (_chat, _id, card) => {
          calls.push(card.html);
          if (calls.length === 1) await gate;
          return true;
        },
      },
    });
    t.data.version = 2;
    cards.changed(kc("Genova"));
    await t.clock.advance(10);
    expect(calls).toEqual(["v2"]);
    t.data.version = 3;
    cards.changed(kc("Genova"));
    t.data.version = 4;
    cards.changed(kc("Genova"));
    await t.clock.advance(1000);
    expect(calls).toEqual(["v2"]); // still in flight
    release();
    await t.run();
    expect(calls).toEqual(["v2", "v4"]);
  });

  it("a card already showing the latest figures is not edited (after a restart, too)", async () => {
    const t = setup();
    cleanup.push(() => t.store.close());
    await t.follow(1);
    await t.follow(2);
    await t.hasCard(1);
    await t.hasCard(2);
    t.data.version = 2;
    await t.cardStore.cardShown(2, kc("Genova"), "Genova:2:it"); // chat 2 was edited just before a crash
    await t.cards.start(); // the restart: comuni with cards still counting are brought up to date
    await t.run();
    expect(t.calls.map((c) => c.chat)).toEqual([1]);
    expect(t.cards.stats.unchanged).toBe(1);
  });

  it("sends a follower's first card as a new message while the count is open", async () => {
    const t = setup();
    cleanup.push(() => t.store.close());
    await t.follow(9);
    t.cards.changed(kc("Genova"));
    await t.run();
    expect(t.calls.map((c) => c.method)).toEqual(["send"]);
    expect(await t.cardStore.card(9, kc("Genova"))).toMatchObject({ messageId: 100, sentAt: expect.any(Number) });
    // The next change edits that message.
    t.data.version = 2;
    t.cards.changed(kc("Genova"));
    await t.run();
    expect(t.calls.map((c) => [c.method, c.messageId])).toEqual([
      ["send", undefined],
      ["edit", 100],
    ]);
  });

  it("a complete count edits the cards there are, and sends no new ones", async () => {
    const t = setup({ live: false });
    cleanup.push(() => t.store.close());
    await t.follow(1);
    await t.follow(2);
    await t.hasCard(1);
    t.data.version = 2;
    t.cards.changed(kc("Genova"));
    await t.run();
    expect(t.calls.map((c) => [c.method, c.chat])).toEqual([["edit", 1]]);
  });

  for (const description of [
    "Bad Request: message to edit not found",
    "Bad Request: message can't be edited",
    "Bad Request: MESSAGE_ID_INVALID",
  ]) {
    it(`a card answered "${description}" is replaced by a fresh one`, async () => {
      const t = setup();
      cleanup.push(() => t.store.close());
      await t.follow(7);
      await t.hasCard(7, kc("Genova"), 50);
      t.failures.push(apiError(400, description));
      t.data.version = 2;
      t.cards.changed(kc("Genova"));
      await t.run();
      expect(t.calls.map((c) => [c.method, c.messageId, c.html])).toEqual([
        ["edit", 50, "Genova v2 it"],
        ["send", undefined, "Genova v2 it"],
      ]);
      expect((await t.cardStore.card(7, kc("Genova")))?.messageId).toBe(100);
      expect(t.cards.stats.replaced).toBe(1);
      // The new card is the one edited from now on.
      t.data.version = 3;
      t.cards.changed(kc("Genova"));
      await t.run();
      expect(t.calls.at(-1)).toMatchObject({ method: "edit", messageId: 100 });
    });
  }

  it('"message is not modified" is success: no new card, the card counts as current', async () => {
    const t = setup();
    cleanup.push(() => t.store.close());
    await t.follow(7);
    await t.hasCard(7);
    t.failures.push(apiError(400, "Bad Request: message is not modified: specified new message content is the same"));
    t.data.version = 2;
    t.cards.changed(kc("Genova"));
    await t.run();
    expect(t.calls.map((c) => c.method)).toEqual(["edit"]);
    expect((await t.cardStore.card(7, kc("Genova")))?.shown).toBe("Genova:2:it");
    expect(t.cards.stats.notModified).toBe(1);
  });

  it("a card older than 48 hours is not edited: a fresh card goes", async () => {
    const t = setup();
    cleanup.push(() => t.store.close());
    await t.follow(7);
    await t.hasCard(7, kc("Genova"), 50, t.clock.now() - 49 * 3600 * 1000);
    t.data.version = 2;
    t.cards.changed(kc("Genova"));
    await t.run();
    expect(t.calls.map((c) => c.method)).toEqual(["send"]);
    expect(await t.cardStore.card(7, kc("Genova"))).toMatchObject({ messageId: 100, sentAt: t.clock.now() - 60_000 });
  });

  it("solo-esiti: a chat that switched the card off gets no card, and gets it again once on", async () => {
    const t = setup();
    cleanup.push(() => t.store.close());
    await t.follow(1);
    await t.follow(2);
    await t.hasCard(1);
    await t.hasCard(2);
    await t.cardStore.setOff(2, kc("Genova"), true);
    t.data.version = 2;
    t.cards.changed(kc("Genova"));
    await t.run();
    expect(t.calls.map((c) => c.chat)).toEqual([1]);
    await t.cardStore.setOff(2, kc("Genova"), false);
    t.cards.touch(2, kc("Genova"));
    await t.run();
    expect(t.calls.map((c) => [c.method, c.chat])).toEqual([
      ["edit", 1],
      ["edit", 2],
    ]);
  });

  it("a chat that no longer follows the comune gets nothing; another comune's followers are not visited", async () => {
    const t = setup();
    cleanup.push(() => t.store.close());
    await t.follow(1);
    await t.follow(2, kc("Parma"));
    await t.hasCard(1);
    await t.store.unsubscribe(1, kc("Genova"));
    t.cards.changed(kc("Genova"));
    t.cards.changed("Bologna"); // not a comune the engine knows: ignored
    await t.run();
    expect(t.calls).toEqual([]);
  });

  it("a 429 pauses the cards for retry_after and the same card goes again", async () => {
    const t = setup();
    cleanup.push(() => t.store.close());
    await t.follow(7);
    await t.hasCard(7);
    t.failures.push(apiError(429, "Too Many Requests: retry after 5", { retry_after: 5 }));
    t.data.version = 2;
    t.cards.changed(kc("Genova"));
    await t.run();
    expect(t.calls.map((c) => c.method)).toEqual(["edit", "edit"]);
    expect(t.calls[1]!.at - t.calls[0]!.at).toBeGreaterThanOrEqual(5000);
    expect(t.cards.stats.rateLimited).toBe(1);
  });

  it("a chat that blocked the bot is removed; a transient failure is retried later", async () => {
    const gone: number[] = [];
    const t = setup({
      opts: {
        onChatGone: (chat) => {
          gone.push(chat);
        },
      },
    });
    cleanup.push(() => t.store.close());
    await t.follow(1);
    await t.follow(2);
    await t.hasCard(1);
    await t.hasCard(2);
    t.failures.push(apiError(403, "Forbidden: bot was blocked by the user"), apiError(502, "Bad Gateway"));
    t.data.version = 2;
    t.cards.changed(kc("Genova"));
    await t.run();
    expect(gone).toEqual([1]);
    expect(t.calls.map((c) => c.chat)).toEqual([1, 2, 2]);
    expect(t.calls[2]!.at - t.calls[1]!.at).toBeGreaterThanOrEqual(1000);
    expect((await t.cardStore.card(2, kc("Genova")))?.shown).toBe("Genova:2:it");
  });

  it("each chat's card follows its language", async () => {
    const t = setup();
    cleanup.push(() => t.store.close());
    await t.follow(1, kc("Genova"), "en");
    await t.follow(2, kc("Genova"), "it");
    t.cards.changed(kc("Genova"));
    await t.run();
    expect(t.calls.map((c) => c.html)).toEqual(["Genova v1 en", "Genova v1 it"]);
  });
});

describe("live cards in the send budget", () => {
  it("yield to replies and to a push under way, and take the slots left", async () => {
    const t = setup({ perSecond: 10 });
    cleanup.push(() => t.store.close());
    for (const chat of [1, 2, 3]) {
      await t.follow(chat);
      await t.hasCard(chat);
    }
    // A push holds the lane: it asks for a slot whenever one is free, for two seconds.
    const pushes: number[] = [];
    let pushing = true;
    const pushLoop = () => {
      if (!pushing) return;
      const wait = t.budget.push.take();
      if (wait === 0) pushes.push(t.clock.now());
      t.clock.setTimeout(pushLoop, wait || 1);
    };
    pushLoop();
    t.clock.setTimeout(() => (pushing = false), 2000);
    // A reply arrives during the push.
    let replied = -1;
    void t.budget.run({
      chat: 99,
      cls: "reply",
      send: async () => {
        replied = t.clock.now();
        return true;
      },
      verdict: () => ({ kind: "done" }),
    });
    t.data.version = 2;
    t.cards.changed(kc("Genova"));
    await t.clock.advance(1900);
    expect(replied).toBeGreaterThanOrEqual(0);
    expect(t.calls).toEqual([]); // every slot went to the reply and the push
    expect(pushes.length).toBeGreaterThan(15);
    await t.run(10_000);
    expect(t.calls.map((c) => c.chat)).toEqual([1, 2, 3]);
    expect(t.calls[0]!.at).toBeGreaterThanOrEqual(2000);
  });

  it("with paid broadcast, edits (which cannot be paid) stay under the free 30/s", async () => {
    const t = setup({ perSecond: 1000 });
    cleanup.push(() => t.store.close());
    for (let chat = 1; chat <= 90; chat++) {
      await t.follow(chat);
      await t.hasCard(chat);
    }
    t.data.version = 2;
    t.cards.changed(kc("Genova"));
    await t.run(5000);
    expect(t.calls).toHaveLength(90);
    // In any sliding second, at most 30.
    for (let i = 30; i < t.calls.length; i++) expect(t.calls[i]!.at - t.calls[i - 30]!.at).toBeGreaterThanOrEqual(1000);
  });
});
