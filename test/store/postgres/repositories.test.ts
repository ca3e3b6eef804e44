/**
 * The PostgreSQL repositories of this engine's core (meta, subscriptions, feed, live cards, drafts), run
 * side by side with SQLite's: the same calls, the same answers, and the same rows left in the outbox's
 * tables where a subscription's change settles queued deliveries.
 */
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../../src/data/model.js";
import { trusted } from "../../../src/format/html.js";
import type { Lang } from "../../../src/i18n/index.js";
import type { LiveCardStore } from "../../../src/store/contract/cards.js";
import type { DraftRepository } from "../../../src/store/contract/drafts.js";
import type { FeedStore } from "../../../src/store/contract/feed.js";
import type { MetaRepository } from "../../../src/store/contract/meta.js";
import { NATIONAL, type Subscription, type SubscriptionRepository } from "../../../src/store/contract/subscriptions.js";
import { PgLiveCardStore } from "../../../src/store/postgres/cards.js";
import { PgDatabase, toNumber } from "../../../src/store/postgres/connection.js";
import { PgDrafts } from "../../../src/store/postgres/drafts.js";
import { PgFeedStore } from "../../../src/store/postgres/feed.js";
import { PgMeta } from "../../../src/store/postgres/meta.js";
import { migrate } from "../../../src/store/postgres/migrations.js";
import { PgSubscriptions } from "../../../src/store/postgres/subscriptions.js";
import { SqliteStore } from "../../../src/store/sqlite.js";
import { freshSchema } from "../../support/postgres.js";

/** The repositories under test, and a way to seed and read the outbox's tables the contract hides. */
interface Core {
  meta: MetaRepository;
  subs: SubscriptionRepository;
  feed: FeedStore;
  cards: LiveCardStore;
  drafts: DraftRepository;
  /** Stores a bulletin (comuni by code) and queues it for `chats`, with its push. */
  seedPush(seq: number, comuni: string[], chats: number[], delivered?: number[]): Promise<void>;
  outbox(): Promise<{ deliveries: string[]; pushes: string[]; delivered: string[] }>;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const NOW = 1_765_000_000_000;

async function sqlite(): Promise<Core> {
  const store = new SqliteStore(":memory:", () => NOW);
  cleanup.push(async () => {
    await store.close();
  });
  const db = store.db;
  const all = (sql: string) => db.prepare(sql).all() as Record<string, unknown>[];
  return {
    meta: store as unknown as MetaRepository,
    subs: store as unknown as SubscriptionRepository,
    feed: store.feed as unknown as FeedStore,
    cards: store.cards as unknown as LiveCardStore,
    drafts: store as unknown as DraftRepository,
    async seedPush(seq, comuni, chats, delivered = []) {
      db.prepare(
        "INSERT INTO bulletins (seq, election, id, published_at, text, comuni, origin) VALUES (?, 'e', ?, 'x', 't', ?, 'pack')",
      ).run(seq, `b${seq}`, JSON.stringify(comuni));
      for (const c of chats) db.prepare("INSERT INTO deliveries (seq, chat_id, lang) VALUES (?, ?, 'it')").run(seq, c);
      for (const c of delivered) db.prepare("INSERT INTO delivered (seq, chat_id) VALUES (?, ?)").run(seq, c);
      const n = chats.length + delivered.length;
      db.prepare(
        "INSERT INTO pushes (seq, lang, started_at, total, remaining, delivered) VALUES (?, 'it', 0, ?, ?, ?)",
      ).run(seq, n, chats.length, delivered.length);
    },
    async outbox() {
      return {
        deliveries: all("SELECT seq, chat_id FROM deliveries ORDER BY seq, chat_id").map(
          (r) => `${r.seq}:${r.chat_id}`,
        ),
        pushes: all("SELECT * FROM pushes ORDER BY seq").map(
          (r) =>
            `${r.seq}: ${r.remaining} left, ${r.delivered} delivered, ${r.removed} removed, finished ${r.finished_at}`,
        ),
        delivered: all("SELECT seq, chat_id FROM delivered ORDER BY seq, chat_id").map((r) => `${r.seq}:${r.chat_id}`),
      };
    },
  };
}

async function postgres(): Promise<Core> {
  const s = await freshSchema();
  cleanup.push(() => s.drop());
  const db = new PgDatabase(s.url, { schema: s.schema, max: 4 });
  cleanup.push(() => db.close());
  await migrate(db);
  const all = (sql: string) => db.query<Record<string, string | number | null>>(sql);
  return {
    meta: new PgMeta(db),
    subs: new PgSubscriptions(db, () => NOW),
    feed: new PgFeedStore(db),
    cards: new PgLiveCardStore(db),
    drafts: new PgDrafts(db),
    async seedPush(seq, comuni, chats, delivered = []) {
      await db.query(
        "INSERT INTO bulletins (seq, election, id, published_at, text, comuni, origin) VALUES ($1, 'e', $2, 'x', 't', $3, 'pack')",
        [seq, `b${seq}`, comuni],
      );
      for (const c of chats)
        await db.query("INSERT INTO deliveries (seq, chat_id, lang) VALUES ($1, $2, 'it')", [seq, c]);
      for (const c of delivered) await db.query("INSERT INTO delivered (seq, chat_id) VALUES ($1, $2)", [seq, c]);
      await db.query(
        "INSERT INTO pushes (seq, lang, started_at, total, remaining, delivered) VALUES ($1, 'it', 0, $2, $3, $4)",
        [seq, chats.length + delivered.length, chats.length, delivered.length],
      );
    },
    async outbox() {
      const n = (v: string | number | null | undefined) => (v === null || v === undefined ? null : toNumber(v));
      return {
        deliveries: (await all("SELECT seq, chat_id FROM deliveries ORDER BY seq, chat_id")).map(
          (r) => `${r.seq}:${n(r.chat_id)}`,
        ),
        pushes: (await all("SELECT * FROM pushes ORDER BY seq")).map(
          (r) =>
            `${r.seq}: ${r.remaining} left, ${r.delivered} delivered, ${r.removed} removed, finished ${n(r.finished_at)}`,
        ),
        delivered: (await all("SELECT seq, chat_id FROM delivered ORDER BY seq, chat_id")).map(
          (r) => `${r.seq}:${n(r.chat_id)}`,
        ),
      };
    },
  };
}

const GENOVA = kc("010025");
const PARMA = kc("034027");
const BIG_GROUP = -1_001_234_567_890;

describe.each([
  { name: "sqlite", open: sqlite },
  { name: "postgres", open: postgres },
])("$name", ({ open }) => {
  it("meta: reads what it wrote, the last value winning", async () => {
    const { meta } = await open();
    expect(await meta.getMeta("election")).toBeUndefined();
    await meta.setMeta("election", "a");
    await meta.setMeta("election", "b");
    expect(await meta.getMeta("election")).toBe("b");
  });

  describe("subscriptions", () => {
    it("subscribe: new or not, every subscription of the chat in its last language, listed in order", async () => {
      const { subs } = await open();
      expect(await subs.subscribe(BIG_GROUP, PARMA, "it")).toBe(true);
      expect(await subs.subscribe(BIG_GROUP, GENOVA, "it")).toBe(true);
      expect(await subs.subscribe(BIG_GROUP, GENOVA, "it")).toBe(false);
      expect(await subs.subscribe(BIG_GROUP, NATIONAL, "it")).toBe(true);
      expect(await subs.subscribe(BIG_GROUP, null, "en")).toBe(true);
      expect(await subs.subscriptionsOf(BIG_GROUP)).toEqual([null, NATIONAL, GENOVA, PARMA]);
      expect(await subs.subscriptionsOf(1)).toEqual([]);
      expect(await subs.subscriberStats()).toEqual({ subscriptions: 4, chats: 1 });
    });

    it("subscribeMany: counts the new ones; a chat takes the last language given", async () => {
      const { subs, cards } = await open();
      await subs.subscribe(1, GENOVA, "it");
      const entries = function* (): Generator<{ chatId: number; what: Subscription; lang: Lang }> {
        yield { chatId: 1, what: GENOVA, lang: "it" as const };
        yield { chatId: 2, what: GENOVA, lang: "it" as const };
        yield { chatId: 2, what: GENOVA, lang: "it" as const };
        yield { chatId: 2, what: PARMA, lang: "en" as const };
        yield { chatId: 3, what: null, lang: "en" as const };
        yield { chatId: 1, what: NATIONAL, lang: "en" as const };
      };
      expect(await subs.subscribeMany(entries())).toBe(4);
      expect(await subs.subscriberStats()).toEqual({ subscriptions: 5, chats: 3 });
      expect((await cards.card(2, GENOVA))?.lang).toBe("en");
      expect((await cards.card(1, GENOVA))?.lang).toBe("en");
      expect(await subs.subscribeMany([])).toBe(0);
    });

    it("subscribeMany: all or nothing", async () => {
      const { subs } = await open();
      const bad = [
        { chatId: 1, what: GENOVA, lang: "it" as const },
        { chatId: 2, what: kc(""), lang: "it" as const }, // a comune subscription without a comune
      ];
      await expect(subs.subscribeMany(bad)).rejects.toThrow();
      expect(await subs.subscriberStats()).toEqual({ subscriptions: 0, chats: 0 });
    });

    it("recipientCount: the chats a push about these comuni would reach", async () => {
      const { subs } = await open();
      await subs.subscribe(1, GENOVA, "it");
      await subs.subscribe(1, PARMA, "it");
      await subs.subscribe(2, PARMA, "it");
      await subs.subscribe(3, null, "it");
      await subs.subscribe(4, NATIONAL, "it");
      expect(await subs.recipientCount([GENOVA])).toBe(2);
      expect(await subs.recipientCount([GENOVA, PARMA])).toBe(3);
      expect(await subs.recipientCount([kc("999999")])).toBe(1);
      expect(await subs.recipientCount([])).toBe(4);
    });

    it("quiet hours: set, replaced, cleared", async () => {
      const { subs } = await open();
      expect(await subs.quietHoursOf(BIG_GROUP)).toBeUndefined();
      await subs.setQuietHours(BIG_GROUP, { from: 23 * 60, to: 7 * 60 });
      await subs.setQuietHours(BIG_GROUP, { from: 22 * 60, to: 6 * 60 });
      expect(await subs.quietHoursOf(BIG_GROUP)).toEqual({ from: 22 * 60, to: 6 * 60 });
      await subs.setQuietHours(BIG_GROUP, undefined);
      expect(await subs.quietHoursOf(BIG_GROUP)).toBeUndefined();
    });

    it("unsubscribe: drops the queued bulletins no remaining subscription asks for, counted as removed", async () => {
      const core = await open();
      const { subs } = core;
      await subs.subscribe(5, GENOVA, "it");
      await subs.subscribe(5, PARMA, "it");
      await subs.subscribe(6, GENOVA, "it");
      await core.seedPush(1, [GENOVA], [5, 6]);
      await core.seedPush(2, [PARMA], [5]);
      await core.seedPush(3, [], [5]); // national: every subscribed chat wants it
      expect(await subs.unsubscribe(5, NATIONAL)).toBe(0);
      expect(await subs.unsubscribe(5, PARMA)).toBe(1);
      expect(await core.outbox()).toEqual({
        deliveries: ["1:5", "1:6", "3:5"],
        pushes: [
          "1: 2 left, 0 delivered, 0 removed, finished null",
          `2: 0 left, 0 delivered, 1 removed, finished ${NOW}`,
          "3: 1 left, 0 delivered, 0 removed, finished null",
        ],
        delivered: [],
      });
      expect(await subs.unsubscribe(5, "*")).toBe(1);
      expect(await subs.subscriptionsOf(5)).toEqual([]);
      expect((await core.outbox()).deliveries).toEqual(["1:6"]);
      expect((await core.outbox()).pushes[2]).toBe(`3: 0 left, 0 delivered, 1 removed, finished ${NOW}`);
    });

    it("removeChat: subscriptions, quiet hours and queued deliveries go; a finished push forgets its delivered groups", async () => {
      const core = await open();
      const { subs } = core;
      await subs.subscribe(BIG_GROUP, GENOVA, "it");
      await subs.subscribe(BIG_GROUP, null, "it");
      await subs.setQuietHours(BIG_GROUP, { from: 0, to: 60 });
      await core.seedPush(1, [GENOVA], [BIG_GROUP], [-7]);
      await core.seedPush(2, [GENOVA], [BIG_GROUP, 9]);
      expect(await subs.removeChat(BIG_GROUP)).toBe(2);
      expect(await subs.quietHoursOf(BIG_GROUP)).toBeUndefined();
      expect(await core.outbox()).toEqual({
        deliveries: ["2:9"],
        pushes: [
          `1: 0 left, 1 delivered, 1 removed, finished ${NOW}`,
          "2: 1 left, 0 delivered, 1 removed, finished null",
        ],
        delivered: [],
      });
      expect(await subs.removeChat(BIG_GROUP)).toBe(0);
    });

    it("migrateChat: everything follows the supergroup, except bulletins it already had", async () => {
      const core = await open();
      const { subs } = core;
      const group = -4242;
      await subs.subscribe(group, GENOVA, "en");
      await subs.subscribe(group, NATIONAL, "en");
      await subs.subscribe(BIG_GROUP, GENOVA, "en");
      await subs.setQuietHours(group, { from: 60, to: 120 });
      await core.seedPush(1, [GENOVA], [group]); // moves
      await core.seedPush(2, [GENOVA], [group, BIG_GROUP]); // already queued for the supergroup
      await core.seedPush(3, [GENOVA], [group], [BIG_GROUP]); // already delivered to it
      await subs.migrateChat(group, BIG_GROUP);
      expect(await subs.subscriptionsOf(group)).toEqual([]);
      expect(await subs.subscriptionsOf(BIG_GROUP)).toEqual([NATIONAL, GENOVA]);
      expect(await subs.quietHoursOf(BIG_GROUP)).toEqual({ from: 60, to: 120 });
      expect(await subs.quietHoursOf(group)).toBeUndefined();
      expect(await core.outbox()).toEqual({
        deliveries: [`1:${BIG_GROUP}`, `2:${BIG_GROUP}`],
        pushes: [
          "1: 1 left, 0 delivered, 0 removed, finished null",
          "2: 1 left, 0 delivered, 1 removed, finished null",
          `3: 0 left, 1 delivered, 1 removed, finished ${NOW}`,
        ],
        delivered: [],
      });
    });
  });

  describe("feed", () => {
    it("state entries by prefix, in key order; written and deleted in one go, the last value winning", async () => {
      const { feed } = await open();
      await feed.saveState([
        { key: "poll:b", value: "1" },
        { key: "poll:a", value: "2" },
        { key: "gate:x", value: "3" },
        { key: "poll:a", value: "4" },
      ]);
      expect(await feed.stateEntries("poll:")).toEqual([
        { key: "poll:a", value: "4" },
        { key: "poll:b", value: "1" },
      ]);
      await feed.saveState([{ key: "poll:c", value: "5" }], ["poll:a", "gate:x", "nothing"]);
      expect(await feed.stateEntries("poll:")).toEqual([
        { key: "poll:b", value: "1" },
        { key: "poll:c", value: "5" },
      ]);
      expect(await feed.stateEntries("")).toHaveLength(2);
      expect(await feed.stateEntries("gate:")).toEqual([]);
    });

    it("many state entries in one call", async () => {
      const { feed } = await open();
      const many = Array.from({ length: 12_000 }, (_, i) => ({
        key: `poll:${String(i).padStart(5, "0")}`,
        value: `${i}`,
      }));
      await feed.saveState(many);
      expect(await feed.stateEntries("poll:")).toHaveLength(12_000);
      await feed.saveState(
        [],
        many.map((e) => e.key),
      );
      expect(await feed.stateEntries("poll:")).toEqual([]);
    });

    it("announcements: recorded once (the first kept), by prefix, the latest of some kinds", async () => {
      const { feed } = await open();
      expect(await feed.lastAnnouncedAt("050901160", ["complete"])).toBeUndefined();
      await feed.recordAnnouncements([
        { key: "2026-05-24:1t:050901160:started", comune: "050901160", kind: "started", at: NOW },
        {
          key: "2026-05-24:1t:050901160:complete",
          comune: "050901160",
          kind: "complete",
          at: NOW + 10,
          bulletin: "b1",
        },
        { key: "2026-05-24:1t:050901160:complete", comune: "050901160", kind: "complete", at: NOW + 99 },
        { key: "2026-05-24:turnout:12", comune: "", kind: "turnout", at: NOW + 5, draft: 3 },
        { key: "2026-06-07:1t:050901160:started", comune: "050901160", kind: "started", at: NOW + 50 },
      ]);
      await feed.recordAnnouncements([
        { key: "2026-05-24:1t:050901160:started", comune: "050901160", kind: "started", at: NOW + 500 },
      ]);
      expect([...(await feed.announcedKeys("2026-05-24:"))].sort()).toEqual([
        "2026-05-24:1t:050901160:complete",
        "2026-05-24:1t:050901160:started",
        "2026-05-24:turnout:12",
      ]);
      expect(await feed.lastAnnouncedAt("050901160", ["complete", "started"])).toBe(NOW + 50);
      expect(await feed.lastAnnouncedAt("050901160", ["complete"])).toBe(NOW + 10);
      expect(await feed.lastAnnouncedAt("050901160", [])).toBeUndefined();
    });

    it("review drafts: added pending, decided once, listed while pending", async () => {
      const { feed } = await open();
      const a = await feed.addDraft({
        bulletinId: "f1",
        text: "A",
        comuni: [GENOVA],
        audience: "followers",
        createdAt: NOW,
      });
      const b = await feed.addDraft({
        bulletinId: "f2",
        text: "B",
        comuni: [],
        audience: "everyone",
        createdAt: NOW + 1,
      });
      expect(await feed.draft(a)).toEqual({
        id: a,
        bulletinId: "f1",
        text: "A",
        comuni: [GENOVA],
        audience: "followers",
        createdAt: NOW,
        status: "pending",
      });
      expect((await feed.pendingDrafts()).map((d) => d.id)).toEqual([a, b]);
      expect(await feed.decideDraft(a, "published", 123_456_789_012, NOW + 2)).toBe(true);
      expect(await feed.decideDraft(a, "dropped", 1, NOW + 3)).toBe(false);
      expect(await feed.draft(a)).toMatchObject({
        status: "published",
        decidedBy: 123_456_789_012,
        decidedAt: NOW + 2,
      });
      expect((await feed.pendingDrafts()).map((d) => d.id)).toEqual([b]);
      expect(await feed.draft(999)).toBeUndefined();
    });

    it("followed comuni; a transaction keeps all or nothing", async () => {
      const { feed, subs } = await open();
      await subs.subscribe(1, GENOVA, "it");
      await subs.subscribe(2, NATIONAL, "it");
      expect([...(await feed.followedComuni())]).toEqual([GENOVA]);
      await expect(
        feed.transaction(async () => {
          await feed.saveState([{ key: "k", value: "v" }]);
          await subs.subscribe(3, PARMA, "it");
          throw new Error("no");
        }),
      ).rejects.toThrow("no");
      expect(await feed.stateEntries("k")).toEqual([]);
      expect(await subs.subscriptionsOf(3)).toEqual([]);
    });
  });

  describe("live cards", () => {
    it("walks a comune's followers by chat id, leaving out those who switched the card off", async () => {
      const { subs, cards } = await open();
      for (const chat of [30, BIG_GROUP, 10, 20]) await subs.subscribe(chat, GENOVA, "it");
      await subs.subscribe(40, PARMA, "it");
      await subs.subscribe(50, null, "it");
      await cards.setOff(20, GENOVA, true);
      expect(await cards.followers(GENOVA, Number.NEGATIVE_INFINITY, 10)).toEqual([BIG_GROUP, 10, 30]);
      expect(await cards.followers(GENOVA, 10, 10)).toEqual([30]);
      expect(await cards.followers(GENOVA, Number.NEGATIVE_INFINITY, 2)).toEqual([BIG_GROUP, 10]);
      await cards.setOff(20, GENOVA, false);
      expect(await cards.followers(GENOVA, Number.NEGATIVE_INFINITY, 10)).toEqual([BIG_GROUP, 10, 20, 30]);
    });

    it("keeps a card's message, time, fingerprint and language; forgets the message when lost", async () => {
      const { subs, cards } = await open();
      await subs.subscribe(7, GENOVA, "en");
      expect(await cards.card(7, GENOVA)).toEqual({ lang: "en", off: false });
      expect(await cards.card(8, GENOVA)).toBeUndefined();
      await cards.cardSent(7, GENOVA, 55, NOW, "a");
      await cards.cardShown(7, GENOVA, "b");
      expect(await cards.card(7, GENOVA)).toEqual({ lang: "en", messageId: 55, sentAt: NOW, shown: "b", off: false });
      expect(await cards.comuniWithCards()).toEqual([GENOVA]);
      await cards.cardLost(7, GENOVA);
      expect(await cards.card(7, GENOVA)).toEqual({ lang: "en", off: false });
      expect(await cards.comuniWithCards()).toEqual([]);
      await cards.cardSent(7, GENOVA, 56, NOW + 1, "c");
      await cards.setOff(7, GENOVA, true);
      expect(await cards.card(7, GENOVA)).toMatchObject({ messageId: 56, off: true });
      expect(await cards.isOff(7, GENOVA)).toBe(true);
      expect(await cards.comuniWithCards()).toEqual([]);
      await cards.forgetChat(7);
      expect(await cards.isOff(7, GENOVA)).toBe(false);
    });
  });

  describe("drafts", () => {
    const draft = (createdAt: number) => ({
      kind: "publish" as const,
      userId: 123_456_789_012,
      chatId: 123_456_789_012,
      lang: "it" as const,
      text: "Testo",
      html: trusted("<b>Testo</b>"),
      comuni: [GENOVA],
      createdAt,
      expiresAt: createdAt + 600_000,
    });

    it("created open, with its message and comuni; forgotten after a day", async () => {
      const { drafts } = await open();
      const old = await drafts.createDraft(draft(NOW - 25 * 3600_000));
      const d = await drafts.createDraft(draft(NOW));
      expect(d).toEqual({ id: d.id, ...draft(NOW), state: "open" });
      expect(await drafts.draft(old.id)).toBeUndefined();
      await drafts.setDraftMessage(d.id, 77);
      await drafts.setDraftComuni(d.id, [PARMA, GENOVA]);
      expect(await drafts.draft(d.id)).toMatchObject({ messageId: 77, comuni: [PARMA, GENOVA] });
    });

    it("settled once: done with what act made, then refused; cancelled; expired", async () => {
      const { drafts, meta } = await open();
      const a = await drafts.createDraft(draft(NOW));
      const done = await drafts.settleDraft(a.id, NOW + 1, "done", async (d) => {
        await meta.setMeta("made", d.text);
        return 42;
      });
      expect(done).toEqual({ ok: true, draft: { ...a, state: "done", result: 42 }, result: 42 });
      expect(await meta.getMeta("made")).toBe("Testo");
      expect(await drafts.settleDraft(a.id, NOW + 2, "done", async () => 43)).toEqual({
        ok: false,
        draft: { ...a, state: "done", result: 42 },
      });
      const b = await drafts.createDraft(draft(NOW));
      expect(await drafts.settleDraft(b.id, NOW, "cancelled")).toEqual({
        ok: true,
        draft: { ...b, state: "cancelled" },
        result: undefined,
      });
      const c = await drafts.createDraft(draft(NOW));
      expect(await drafts.settleDraft(c.id, c.expiresAt, "done", async () => 1)).toEqual({
        ok: false,
        draft: { ...c, state: "expired" },
      });
      expect((await drafts.draft(c.id))?.state).toBe("expired");
      expect(await drafts.settleDraft(999, NOW, "done")).toEqual({ ok: false, draft: undefined });
    });

    it("a failing act leaves the draft open and keeps nothing it wrote", async () => {
      const { drafts, meta } = await open();
      const a = await drafts.createDraft(draft(NOW));
      await expect(
        drafts.settleDraft(a.id, NOW, "done", async () => {
          await meta.setMeta("made", "x");
          throw new Error("telegram down");
        }),
      ).rejects.toThrow("telegram down");
      expect(await meta.getMeta("made")).toBeUndefined();
      expect((await drafts.draft(a.id))?.state).toBe("open");
    });
  });
});

describe("postgres only", () => {
  it("chats unsubscribed at once, sharing pushes: every queued delivery counted once", async () => {
    const s = await freshSchema();
    cleanup.push(() => s.drop());
    const db = new PgDatabase(s.url, { schema: s.schema, max: 8 });
    cleanup.push(() => db.close());
    await migrate(db);
    const subs = new PgSubscriptions(db, () => NOW);
    const chats = Array.from({ length: 24 }, (_, i) => i + 1);
    for (const c of chats) await subs.subscribe(c, GENOVA, "it");
    const seqs = Array.from({ length: 40 }, (_, i) => i + 1);
    await db.query(
      `INSERT INTO bulletins (seq, election, id, published_at, text, comuni, origin)
       SELECT seq, 'e', 'b' || seq, 'x', 't', $1, 'pack' FROM unnest($2::int[]) AS seq`,
      [[GENOVA], seqs],
    );
    await db.query(
      "INSERT INTO deliveries (seq, chat_id, lang) SELECT seq, chat, 'it' FROM unnest($1::int[]) AS seq, unnest($2::bigint[]) AS chat",
      [seqs, chats],
    );
    await db.query(
      "INSERT INTO pushes (seq, lang, started_at, total, remaining) SELECT seq, 'it', 0, $2, $2 FROM unnest($1::int[]) AS seq",
      [seqs, chats.length],
    );
    const removed = await Promise.all(chats.map((c) => (c % 2 ? subs.unsubscribe(c, GENOVA) : subs.removeChat(c))));
    expect(removed).toEqual(chats.map(() => 1));
    const pushes = await db.query<{ remaining: number; removed: number; finished: boolean }>(
      "SELECT remaining, removed, finished_at IS NOT NULL AS finished FROM pushes",
    );
    expect(pushes).toHaveLength(seqs.length);
    for (const p of pushes) expect(p).toEqual({ remaining: 0, removed: chats.length, finished: true });
    expect(await db.query("SELECT 1 FROM deliveries")).toEqual([]);
  });

  it("migrateChat releases the claim of the deliveries it moves", async () => {
    const s = await freshSchema();
    cleanup.push(() => s.drop());
    const db = new PgDatabase(s.url, { schema: s.schema, max: 2 });
    cleanup.push(() => db.close());
    await migrate(db);
    const subs = new PgSubscriptions(db, () => NOW);
    await subs.subscribe(-5, GENOVA, "it");
    await db.query(
      "INSERT INTO bulletins (seq, election, id, published_at, text, comuni, origin) VALUES (1, 'e', 'b1', 'x', 't', $1, 'pack')",
      [[GENOVA]],
    );
    await db.query(
      "INSERT INTO deliveries (seq, chat_id, lang, claimed_by, claimed_until, sending) VALUES (1, -5, 'it', 'a', $1, true)",
      [NOW + 30_000],
    );
    await subs.migrateChat(-5, BIG_GROUP);
    const row = await db.one<{
      chat_id: string;
      claimed_by: string | null;
      claimed_until: string | null;
      sending: boolean;
    }>("SELECT chat_id, claimed_by, claimed_until, sending FROM deliveries");
    expect(row).toEqual({ chat_id: String(BIG_GROUP), claimed_by: null, claimed_until: null, sending: false });
  });

  it("two instances settling one draft at once: one act, one success", async () => {
    const s = await freshSchema();
    cleanup.push(() => s.drop());
    const dbs = [1, 2].map(() => new PgDatabase(s.url, { schema: s.schema, max: 2 }));
    for (const db of dbs) cleanup.push(() => db.close());
    await migrate(dbs[0]!);
    const [one, two] = dbs.map((db) => new PgDrafts(db));
    const d = await one!.createDraft({
      kind: "withdraw",
      userId: 1,
      chatId: 1,
      lang: "it",
      text: "x",
      comuni: [],
      target: 3,
      createdAt: NOW,
      expiresAt: NOW + 1000,
    });
    let acts = 0;
    const act = async () => {
      acts++;
      await new Promise((r) => setTimeout(r, 50));
      return acts;
    };
    const results = await Promise.all([
      one!.settleDraft(d.id, NOW, "done", act),
      two!.settleDraft(d.id, NOW, "done", act),
    ]);
    expect(acts).toBe(1);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
  });
});
