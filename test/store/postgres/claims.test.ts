/**
 * Several bot instances on one PostgreSQL database (postgres/claims.ts): two stores on the same schema
 * drain one outbox at once, each delivery sent by exactly one of them, a chat's bulletins in order; an
 * instance that dies with rows claimed leaves them to the other once the lease is over (those it was
 * sending counted on their push as possibly duplicated); a push's report counts every instance's
 * outcomes, and goes out once.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Lang, messages } from "../../../src/i18n/index.js";
import { settling, TAKEN_OVER } from "../../../src/store/postgres/claims.js";
import { PostgresStore } from "../../../src/store/postgres.js";
import type { Delivery, NewBulletin } from "../../../src/store/store.js";
import { type FreshSchema, freshSchema } from "../../support/postgres.js";

const T = Date.parse("2026-05-24T21:00:00Z");
const LEASE = 30_000;
const CHATS = 300;

let schema: FreshSchema;
let stores: PostgresStore[];

beforeEach(async () => {
  schema = await freshSchema();
  stores = [];
});

afterEach(async () => {
  for (const s of stores) await s.close();
  await schema.drop();
});

/** An instance of the bot on the test's schema. */
async function instance(name: string, clock: () => number = () => T): Promise<PostgresStore> {
  const store = await PostgresStore.open(schema.url, {
    schema: schema.schema,
    instance: name,
    leaseMs: LEASE,
    clock,
    max: 4,
  });
  stores.push(store);
  return store;
}

const bulletin = (id: string): NewBulletin => ({
  election: "comunali-2026",
  id,
  publishedAt: "2026-05-24T23:00:00+02:00",
  text: `Bollettino ${id}`,
  comuni: [],
  origin: "newsroom",
});

const push = { requestedBy: 42, lang: "it" as Lang };

async function subscribers(store: PostgresStore, n = CHATS): Promise<void> {
  await store.subscribeMany(Array.from({ length: n }, (_, i) => ({ chatId: i + 1, what: null, lang: "it" as Lang })));
}

/** What the instances did, in the order they did it (one process: the log's order is the real one). */
type Event = { who: string; kind: "claimed" | "send" | "sent"; seq: number; chatId: number };

/**
 * One instance's engine, reduced to the outbox's protocol: read a batch (claiming it), ask before each
 * send whether the row is still its own to send, send, settle. Ends when the outbox is empty.
 */
async function drain(store: PostgresStore, log: Event[], now = T, batchSize = 16): Promise<void> {
  const who = store.instance;
  let cursor: { seq: number; chatId: number } | null = null;
  for (let passes = 0; passes < 10_000; passes++) {
    const batch: Delivery[] = await store.dueDeliveries(cursor, now, batchSize);
    for (const d of batch) log.push({ who, kind: "claimed", seq: d.seq, chatId: d.chatId });
    if (!batch.length) {
      if (cursor === null && (await store.pendingCount()) === 0) return;
      // The rest is held by the other instance (or waits behind its rows): look again from the start.
      if (cursor === null) await new Promise((r) => setTimeout(r, 2));
      cursor = null;
      continue;
    }
    for (const d of batch) {
      cursor = { seq: d.seq, chatId: d.chatId };
      if (!(await store.isDue(d, now))) continue;
      log.push({ who, kind: "send", seq: d.seq, chatId: d.chatId });
      await new Promise((r) => setImmediate(r)); // the message goes out
      log.push({ who, kind: "sent", seq: d.seq, chatId: d.chatId });
      await store.complete(d, "delivered", { messageId: d.seq * 1000 + d.chatId, version: 0, lang: d.lang });
    }
  }
  throw new Error(`${who} did not drain the outbox`);
}

const key = (e: { seq: number; chatId: number }) => `${e.seq}:${e.chatId}`;

describe("two instances on one outbox", () => {
  it("drain it together: every delivery sent once, by one of them, none claimed by both", async () => {
    const a = await instance("a");
    const b = await instance("b");
    await subscribers(a);
    const { seq, recipients } = await a.addBulletin(bulletin("chiusura-seggi"), push);
    expect(recipients).toBe(CHATS);

    const log: Event[] = [];
    await Promise.all([drain(a, log), drain(b, log)]);

    const sends = log.filter((e) => e.kind === "send");
    expect(sends).toHaveLength(CHATS);
    expect(new Set(sends.map(key)).size).toBe(CHATS);
    // Both took part, and no row was ever handed to both (the lease never ran out).
    const claimedBy = (who: string) => new Set(log.filter((e) => e.kind === "claimed" && e.who === who).map(key));
    const byA = claimedBy("a");
    const byB = claimedBy("b");
    expect(byA.size).toBeGreaterThan(0);
    expect(byB.size).toBeGreaterThan(0);
    expect([...byA].filter((k) => byB.has(k))).toEqual([]);
    expect(byA.size + byB.size).toBe(CHATS);

    expect(await b.pendingCount()).toBe(0);
    expect(await b.lastPush()).toMatchObject({ seq, total: CHATS, delivered: CHATS, failed: 0, removed: 0 });
    expect((await a.lastPush())!.finishedAt).toBe(T);
    expect((await a.copyCount(seq)).delivered).toBe(CHATS);
  });

  it("keep each chat's bulletins in order: a chat's next one is claimed only once its previous one is settled", async () => {
    const a = await instance("a");
    const b = await instance("b");
    await subscribers(a, 100);
    const seqs: number[] = [];
    for (const id of ["affluenza-12", "affluenza-19", "affluenza-23"])
      seqs.push((await a.addBulletin(bulletin(id), push)).seq);

    // a holds every chat's first bulletin: nothing is b's, each chat's next one waits for it.
    const held = await a.dueDeliveries(null, T, 100);
    expect(held.map((d) => d.seq)).toEqual(Array(100).fill(seqs[0]));
    expect(await b.dueDeliveries(null, T, 1000)).toEqual([]);
    const log: Event[] = held.map((d) => ({ who: "a", kind: "claimed", seq: d.seq, chatId: d.chatId }));
    await Promise.all([drain(a, log, T, 8), drain(b, log, T, 8)]);

    expect(log.filter((e) => e.kind === "send")).toHaveLength(300);
    for (let chat = 1; chat <= 100; chat++) {
      const events = log.filter((e) => e.chatId === chat && e.kind !== "claimed").map((e) => `${e.kind} ${e.seq}`);
      // Sent one after the other, whichever instance sent each.
      expect(events).toEqual(seqs.flatMap((s) => [`send ${s}`, `sent ${s}`]));
      // Nobody claimed a later bulletin of the chat before the earlier one had gone out.
      const claims = log.filter((e) => e.chatId === chat && e.kind === "claimed");
      for (const c of claims) {
        const claimedAt = log.indexOf(c);
        const earlier = seqs.filter((s) => s < c.seq);
        for (const s of earlier) {
          const sentAt = log.findIndex((e) => e.chatId === chat && e.kind === "sent" && e.seq === s);
          expect(sentAt).toBeGreaterThanOrEqual(0);
          expect(sentAt).toBeLessThan(claimedAt);
        }
      }
    }
    for (const s of seqs) expect(await a.copyCount(s)).toEqual({ delivered: 100, queued: 0 });
  });

  it("an instance that dies with rows claimed: the other takes them once the lease is over, those in flight counted as attempts", async () => {
    const a = await instance("a");
    const b = await instance("b");
    await subscribers(a);
    const { seq } = await a.addBulletin(bulletin("risultati"), push);

    // a claims a batch, starts sending ten of them, and dies.
    const held = await a.dueDeliveries(null, T, 50);
    expect(held).toHaveLength(50);
    for (const d of held.slice(0, 10)) expect(await a.isDue(d, T)).toBe(true);

    // b sends everything else; a's rows are not b's while the lease lasts.
    const rest = await b.dueDeliveries(null, T + 1000, 1000);
    expect(rest).toHaveLength(CHATS - 50);
    expect(rest.filter((d) => held.some((h) => key(h) === key(d)))).toEqual([]);
    expect(await b.isDue(held[20]!, T + 1000)).toBe(false);
    for (const d of rest) await b.complete(d, "delivered");
    expect(await b.dueDeliveries(null, T + LEASE - 1, 1000)).toEqual([]);
    expect(await b.pendingCount()).toBe(50);

    // The lease is over: b takes them over. The ten a was sending may have gone out: one attempt each.
    const taken = await b.dueDeliveries(null, T + LEASE, 1000);
    expect(taken.map(key).sort()).toEqual(held.map(key).sort());
    const inFlight = new Set(held.slice(0, 10).map(key));
    for (const d of taken) expect(d.attempts).toBe(inFlight.has(key(d)) ? 1 : 0);
    const errors = await b.db.query<{ chat_id: string; last_error: string | null }>(
      "SELECT chat_id, last_error FROM deliveries WHERE seq = $1 AND last_error IS NOT NULL",
      [seq],
    );
    expect(errors.map((r) => Number(r.chat_id)).sort((x, y) => x - y)).toEqual(
      held
        .slice(0, 10)
        .map((d) => d.chatId)
        .sort((x, y) => x - y),
    );
    expect(errors.every((r) => r.last_error === TAKEN_OVER)).toBe(true);

    // a comes back to life: none of them is its to send any more.
    for (const d of held) expect(await a.isDue(d, T + LEASE + 1)).toBe(false);
    expect(await a.dueDeliveries(null, T + LEASE + 1, 1000)).toEqual([]);
    for (const d of taken) {
      expect(await b.isDue(d, T + LEASE + 1)).toBe(true);
      await b.complete(d, "delivered");
    }
    expect(await a.lastPush()).toMatchObject({ total: CHATS, delivered: CHATS });
    expect((await a.lastPush())!.finishedAt).not.toBeNull();
  });

  it("stillDue answers for one instance's own rows only, and claims them for their sends as isDue does", async () => {
    const a = await instance("a");
    const b = await instance("b");
    await subscribers(a, 20);
    await a.addBulletin(bulletin("risultati"), push);
    const mine = await a.dueDeliveries(null, T, 10);
    const theirs = await b.dueDeliveries(null, T, 10);
    expect(mine).toHaveLength(10);
    expect(theirs).toHaveLength(10);
    // a asks about its own rows and b's: only its own are its to send.
    expect((await a.stillDue([...mine, ...theirs], T)).map(key)).toEqual(mine.map(key));
    // Asked rows are in flight: taken over after the lease, each counts as an attempt.
    const taken = await b.dueDeliveries(null, T + LEASE, 100);
    expect(taken.map(key).sort()).toEqual([...mine, ...theirs].map(key).sort());
    const wasMine = new Set(mine.map(key));
    for (const d of taken) expect(d.attempts).toBe(wasMine.has(key(d)) ? 1 : 0);
    expect(await a.stillDue(mine, T + LEASE + 1)).toEqual([]);
    expect(await a.lastPush()).toMatchObject({ possiblyDuplicated: 10 });
  });

  it("a delivery in flight at an instance that died: taken over after the lease, sent again, and reported as possibly duplicated", async () => {
    let now = T;
    const a = await instance("a", () => now);
    const b = await instance("b", () => now);
    await subscribers(a, 1);
    const { seq } = await a.addBulletin(bulletin("scrutinio"), push);

    // a claims the row, asks before the send (the row is now in flight), and dies mid-send.
    const [d] = await a.dueDeliveries(null, now, 10);
    expect(await a.isDue(d!, now)).toBe(true);
    now += LEASE - 1;
    expect(await b.dueDeliveries(null, now, 10)).toEqual([]);
    expect(await b.isDue(d!, now)).toBe(false);
    expect(await b.lastPush()).toMatchObject({ seq, possiblyDuplicated: 0 });

    // The lease is over: b takes it over, in the statement that counts it on the push.
    now += 1;
    const [taken] = await b.dueDeliveries(null, now, 10);
    expect(taken).toMatchObject({ seq, chatId: d!.chatId, attempts: 1 });
    expect(await b.lastPush()).toMatchObject({ seq, possiblyDuplicated: 1 });
    // b's own send check and settlement count nothing more.
    expect(await b.isDue(taken!, now)).toBe(true);
    await b.complete(taken!, "delivered", { messageId: 7, version: 0, lang: "it" });

    const [report] = await b.unreportedFinishedPushes();
    expect(report).toMatchObject({ seq, total: 1, delivered: 1, failed: 0, possiblyDuplicated: 1, finishedAt: now });
    // What the newsroom reads.
    const text = messages("it").pushReport({ ...report!, title: "Scrutinio", number: seq, seconds: "0" });
    expect(text).toContain("consegnati: <b>1</b>");
    expect(text).toContain("forse arrivati due volte");
    expect(text).toMatch(/forse arrivati due volte [^\n]*: <b>1<\/b>/);
  });

  it("a delivery claimed but not in flight when its instance died: taken over, not counted as possibly duplicated", async () => {
    let now = T;
    const a = await instance("a", () => now);
    const b = await instance("b", () => now);
    await subscribers(a, 1);
    const { seq } = await a.addBulletin(bulletin("scrutinio"), push);

    // a claims the row in a batch and dies before asking to send it.
    const [d] = await a.dueDeliveries(null, now, 10);
    expect(d).toBeDefined();
    now += LEASE;
    const [taken] = await b.dueDeliveries(null, now, 10);
    expect(taken).toMatchObject({ seq, attempts: 0 });
    expect(await b.isDue(taken!, now)).toBe(true);
    await b.complete(taken!, "delivered");

    const [report] = await b.unreportedFinishedPushes();
    expect(report).toMatchObject({ seq, delivered: 1, possiblyDuplicated: 0 });
    expect(messages("it").pushReport({ ...report!, title: "Scrutinio", number: seq, seconds: "0" })).not.toContain(
      "due volte",
    );
  });

  it("a row in flight taken over by the send's own check, not by a batch: counted once", async () => {
    let now = T;
    const a = await instance("a", () => now);
    const b = await instance("b", () => now);
    await subscribers(a, 1);
    const { seq } = await a.addBulletin(bulletin("scrutinio"), push);
    const [d] = await a.dueDeliveries(null, now, 10);
    expect(await a.isDue(d!, now)).toBe(true);

    // b read the row in a batch of its own long ago, and asks before sending it once the lease is over.
    now += LEASE;
    expect(await b.isDue(d!, now)).toBe(true);
    expect(await b.lastPush()).toMatchObject({ possiblyDuplicated: 1 });
    // Its next batch finds the row its own, in flight at b: no takeover.
    expect(await b.dueDeliveries(null, now + 1, 10)).toMatchObject([{ seq, attempts: 1 }]);
    expect(await b.isDue(d!, now + 1)).toBe(true);
    await b.complete(d!, "delivered");
    expect(await b.lastPush()).toMatchObject({ delivered: 1, possiblyDuplicated: 1 });
  });

  it("rows taken over from several pushes at once: each push counts its own that were in flight", async () => {
    let now = T;
    const a = await instance("a", () => now);
    const b = await instance("b", () => now);
    await subscribers(a, 6); // chats 1-6
    const first = await a.addBulletin(bulletin("affluenza-19"), push);
    await a.subscribeMany([7, 8, 9, 10].map((chatId) => ({ chatId, what: null, lang: "it" as Lang })));
    const second = await a.addBulletin(bulletin("affluenza-23"), push);

    // a holds chats 1-6 of the first push and 7-10 of the second (1-6 wait for their first one), sends five.
    const held = await a.dueDeliveries(null, now, 100);
    expect(held.map(key)).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((c) => `${first.seq}:${c}`),
      ...[7, 8, 9, 10].map((c) => `${second.seq}:${c}`),
    ]);
    for (const d of held.filter((h) => [1, 2, 3, 7, 8].includes(h.chatId))) expect(await a.isDue(d, now)).toBe(true);

    now += LEASE;
    const log: Event[] = [];
    await drain(b, log, now);
    expect(log.filter((e) => e.kind === "send")).toHaveLength(16);
    const reports = await b.unreportedFinishedPushes();
    expect(reports).toMatchObject([
      { seq: first.seq, total: 6, delivered: 6, possiblyDuplicated: 3 },
      { seq: second.seq, total: 10, delivered: 10, possiblyDuplicated: 2 },
    ]);
  });

  it("two instances taking over a dead one's rows at once: each row in flight counted once, whichever took it", async () => {
    let now = T;
    const a = await instance("a", () => now);
    const b = await instance("b", () => now);
    const c = await instance("c", () => now);
    await subscribers(a);
    const { seq } = await a.addBulletin(bulletin("proclamazione"), push);
    const held = await a.dueDeliveries(null, now, 100);
    const inFlight = held.filter((_, i) => i % 5 < 2);
    for (const d of inFlight) expect(await a.isDue(d, now)).toBe(true);

    now += LEASE;
    const log: Event[] = [];
    await Promise.all([drain(b, log, now, 8), drain(c, log, now, 8)]);
    const sends = log.filter((e) => e.kind === "send");
    expect(sends).toHaveLength(CHATS);
    expect(new Set(sends.map(key)).size).toBe(CHATS);
    expect(await b.lastPush()).toMatchObject({
      seq,
      total: CHATS,
      delivered: CHATS,
      possiblyDuplicated: inFlight.length,
    });
  });

  it("a group's queued delivery claimed by one instance is anyone's once it follows the supergroup", async () => {
    const a = await instance("a");
    const b = await instance("b");
    await a.subscribe(-500, null, "it");
    const { seq } = await a.addBulletin(bulletin("avviso"), push);
    const [d] = await a.dueDeliveries(null, T, 10);
    expect(await a.isDue(d!, T)).toBe(true);
    // Telegram answers a's send: the group is now a supergroup. The old chat's row moves there.
    await b.migrateChat(-500, -100500);
    expect(await a.isDue(d!, T)).toBe(false);
    const moved = await b.dueDeliveries(null, T, 10);
    expect(moved).toEqual([{ seq, chatId: -100500, lang: "it", attempts: 0 }]);
    expect(await b.isDue(moved[0]!, T)).toBe(true);
  });

  it("a push's report counts what every instance did, and is claimed by one of them to be sent once", async () => {
    const a = await instance("a");
    const b = await instance("b");
    await subscribers(a);
    const { seq } = await a.addBulletin(bulletin("ballottaggio"), push);
    const fromA = await a.dueDeliveries(null, T, 150);
    const fromB = await b.dueDeliveries(null, T, 1000);
    expect(fromA.length + fromB.length).toBe(CHATS);
    // a: 100 delivered, 50 skipped; b: 100 delivered, 40 failed, 10 postponed (then sent by a).
    for (const d of fromA.slice(0, 100)) await a.complete(d, "delivered");
    for (const d of fromA.slice(100)) await a.complete(d, "skipped");
    for (const d of fromB.slice(0, 100)) await b.complete(d, "delivered");
    for (const d of fromB.slice(100, 140)) await b.complete(d, "failed");
    for (const d of fromB.slice(140)) await b.postpone(d, T + 5000, "429: retry after 5");
    expect(await a.unreportedFinishedPushes()).toEqual([]);
    // The postponed ones are released: whoever asks once they are due takes them.
    const later = await a.dueDeliveries(null, T + 5000, 1000);
    expect(later.map(key).sort()).toEqual(fromB.slice(140).map(key).sort());
    expect(later.every((d) => d.attempts === 1)).toBe(true);
    for (const d of later) await a.complete(d, "delivered");

    const expected = { seq, total: CHATS, delivered: 210, skipped: 50, failed: 40, removed: 0 };
    expect(await a.lastPush()).toMatchObject(expected);
    expect(await b.lastPush()).toMatchObject(expected);
    // b claims the report; a does not see it while b sends it; b marks it sent.
    expect(await b.unreportedFinishedPushes()).toMatchObject([expected]);
    expect(await a.unreportedFinishedPushes()).toEqual([]);
    expect(await b.unreportedFinishedPushes()).toMatchObject([{ seq }]);
    await b.markReported(seq);
    expect(await b.unreportedFinishedPushes()).toEqual([]);
  });

  it("a report claimed by an instance that died goes out from another after the lease", async () => {
    let now = T;
    const open = async (name: string) => {
      const store = await PostgresStore.open(schema.url, {
        schema: schema.schema,
        instance: name,
        leaseMs: LEASE,
        clock: () => now,
      });
      stores.push(store);
      return store;
    };
    const a = await open("a");
    const b = await open("b");
    await subscribers(a, 3);
    const { seq } = await a.addBulletin(bulletin("affluenza-finale"), push);
    for (const d of await a.dueDeliveries(null, now, 10)) await a.complete(d, "delivered");
    expect(await a.unreportedFinishedPushes()).toMatchObject([{ seq, delivered: 3 }]);
    now += LEASE - 1;
    expect(await b.unreportedFinishedPushes()).toEqual([]);
    now += 1;
    expect(await b.unreportedFinishedPushes()).toMatchObject([{ seq, delivered: 3 }]);
    expect(await a.unreportedFinishedPushes()).toEqual([]);
  });

  it("share the edits of a correction the same way: every copy edited once", async () => {
    const a = await instance("a");
    const b = await instance("b");
    await subscribers(a);
    const { seq } = await a.addBulletin(bulletin("esito"), push);
    const log: Event[] = [];
    await Promise.all([drain(a, log), drain(b, log)]);
    const started = await b.amendBulletin(
      seq,
      { kind: "correct", content: { text: "Esito corretto", comuni: [] }, correctedAt: "2026-05-24T21:05:00Z" },
      push,
    );
    expect(started).toMatchObject({ copies: CHATS, queued: 0 });

    const edits: string[] = [];
    const claimed = new Map<string, string>();
    const edit = async (store: PostgresStore) => {
      let cursor: { amendment: number; chatId: number } | null = null;
      for (let passes = 0; passes < 10_000; passes++) {
        const jobs = await store.dueAmendmentJobs(cursor, T, 16);
        for (const j of jobs) {
          const k = `${j.amendment}:${j.chatId}`;
          expect(claimed.get(k) ?? store.instance).toBe(store.instance);
          claimed.set(k, store.instance);
        }
        if (!jobs.length) {
          if (cursor === null && (await store.pendingCount()) === 0) return;
          if (cursor === null) await new Promise((r) => setTimeout(r, 2));
          cursor = null;
          continue;
        }
        for (const j of jobs) {
          cursor = { amendment: j.amendment, chatId: j.chatId };
          if (!(await store.isAmendmentJobDue(j, T))) continue;
          edits.push(`${j.chatId}:${j.messageId}`);
          await store.completeAmendmentJob(j, "done", 1);
        }
      }
      throw new Error("edits not drained");
    };
    await Promise.all([edit(a), edit(b)]);
    expect(edits).toHaveLength(CHATS);
    expect(new Set(edits).size).toBe(CHATS);
    expect(new Set(claimed.values())).toEqual(new Set(["a", "b"]));
    expect(await a.unreportedFinishedAmendments()).toMatchObject([{ total: CHATS, done: CHATS, failed: 0 }]);
  });

  it("a settlement the server aborts to break a deadlock is run again", async () => {
    const a = await instance("a");
    await a.setMeta("x", "0");
    await a.setMeta("y", "0");
    // Two transactions take the same two rows in opposite orders: the server aborts one of them.
    let locked = 0;
    let bothLocked!: () => void;
    const barrier = new Promise<void>((r) => (bothLocked = r));
    let runs = 0;
    const crossing = (first: string, second: string) =>
      settling(a.db, async () => {
        runs++;
        await a.db.query("UPDATE meta SET value = value || '+' WHERE key = $1", [first]);
        if (++locked === 2) bothLocked();
        await barrier;
        await a.db.query("UPDATE meta SET value = value || '+' WHERE key = $1", [second]);
      });
    await Promise.all([crossing("x", "y"), crossing("y", "x")]);
    expect(runs).toBe(3);
    expect(await a.getMeta("x")).toBe("0++");
    expect(await a.getMeta("y")).toBe("0++");
  });
});
