/** Subscriptions, publishing and paced delivery against the loopback fake Bot API, with Telegram's faults. */
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../src/data/model.js";
import { ADMIN, type Harness, type HarnessOptions, startHarness } from "./support/harness.js";

const fast: HarnessOptions["runtime"] = { engine: { backoffMs: () => 20, privateGapMs: 30, groupGapMs: 60 } };
const open: Harness[] = [];
async function openHarness(o: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ ...o, runtime: { ...fast, ...o.runtime } });
  open.push(h);
  return h;
}
const harness = openHarness;
afterEach(async () => {
  while (open.length)
    await open
      .pop()!
      .close()
      .catch(() => undefined);
});

const pushesTo = (h: Harness, chatId: number) => h.fake.sentTo(chatId).filter((m) => m.plain.startsWith("🕒"));

describe("subscribing", () => {
  it("subscribes to one comune or to everything, lists, re-subscribes harmlessly, and undoes", async () => {
    const h = await harness();
    expect((await h.say("/iscriviti Genova"))[0]!.plain).toContain(
      "Iscrizione fatta: riceverai gli aggiornamenti su Genova e quelli nazionali.",
    );
    expect((await h.say("/iscriviti genvoa"))[0]!.plain).toContain("Sei già iscritto agli aggiornamenti su Genova");
    expect((await h.say("/iscrizioni"))[0]!.plain).toContain("Ricevi gli aggiornamenti su Genova e quelli nazionali.");
    expect((await h.say("/disiscriviti Genova"))[0]!.plain).toContain("niente più aggiornamenti su Genova");
    expect((await h.say("/disiscriviti Genova"))[0]!.plain).toContain("Non eri iscritto");
    expect((await h.say("/iscriviti"))[0]!.plain).toContain("Iscrizione fatta");
    expect((await h.say("/iscriviti"))[0]!.plain).toContain("Sei già iscritto");
    expect((await h.say("/iscriviti Genova"))[0]!.plain).toContain(
      "Ricevi già tutti gli aggiornamenti, anche quelli su Genova.",
    );
    const list = (await h.say("/iscrizioni"))[0]!.plain;
    expect(list).toContain("Ricevi tutti gli aggiornamenti.");
    expect(list).not.toContain(kc("Genova"));
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual([null]);
    expect((await h.say("/disiscriviti"))[0]!.plain).toContain("non riceverai più aggiornamenti");
    expect((await h.say("/iscrizioni"))[0]!.plain).toContain("Nessuna iscrizione");
    expect((await h.say("/iscriviti Atlantide"))[0]!.plain).toContain("Non trovo");
    expect(await h.runtime.store.subscriptionsOf(1001)).toEqual([]);
  });

  it("/disiscriviti stops the bulletins already queued for the chat", async () => {
    const h = await harness();
    await h.say("/iscriviti", { userId: 5 });
    await h.say("/iscriviti", { userId: 6 });
    for (const n of [1, 2, 3])
      await h.runtime.publisher.publish({ text: `Aggiornamento ${n}`, comuni: [], requestedBy: ADMIN, lang: "it" });
    expect(await h.runtime.store.pendingCount()).toBe(6);
    await h.say("/disiscriviti", { userId: 5 });
    h.runtime.start();
    await h.runtime.engine.drained();
    expect(pushesTo(h, 5)).toHaveLength(0);
    expect(pushesTo(h, 6)).toHaveLength(3);
  });

  it("in groups only administrators manage the group's subscriptions", async () => {
    const h = await harness();
    const group = -100777;
    h.fake.setChatAdministrators(group, [11], 10);
    expect((await h.say("/iscriviti", { chatId: group, userId: 12 }))[0]!.plain).toContain("solo gli amministratori");
    expect(await h.runtime.store.subscriptionsOf(group)).toEqual([]);
    expect((await h.say("/iscriviti", { chatId: group, userId: 11 }))[0]!.plain).toContain(
      "Iscrizione fatta: il gruppo riceverà ogni nuovo aggiornamento",
    );
    expect((await h.say("/disiscriviti", { chatId: group, userId: 12 }))[0]!.plain).toContain(
      "solo gli amministratori",
    );
    expect((await h.say("/iscriviti Parma", { chatId: group, userId: 10 }))[0]!.plain).toContain(
      "Il gruppo riceve già tutti gli aggiornamenti, anche quelli su Parma",
    );
    expect(await h.runtime.store.subscriptionsOf(group)).toEqual([null]);
    // Anyone may look.
    expect((await h.say("/iscrizioni", { chatId: group, userId: 12 }))[0]!.plain).toContain(
      "Il gruppo riceve tutti gli aggiornamenti.",
    );
  });
});

describe("publishing", () => {
  it("refuses anyone not in ADMIN_IDS and publishes nothing", async () => {
    const h = await harness();
    h.runtime.start();
    await h.say("/iscriviti", { userId: 1 });
    expect((await h.say("/pubblica Affluenza 99%", { userId: 7 }))[0]!.plain).toBe(
      "Questo comando è riservato alla redazione.",
    );
    expect((await h.say("/stato", { userId: 7 }))[0]!.plain).toBe("Questo comando è riservato alla redazione.");
    expect(await h.runtime.store.bulletinCount()).toBe(6);
    expect(await h.runtime.store.pendingCount()).toBe(0);
  });

  it("pushes to the right subscribers, once, with the time; the admin gets a report", async () => {
    const h = await harness();
    h.runtime.start();
    await h.say("/iscriviti", { userId: 1 }); // everything
    await h.say("/iscriviti Genova", { userId: 2 }); // Genova and national
    await h.say("/iscriviti Verona", { userId: 3 }); // Verona and national
    await h.say("/iscriviti", { userId: 4, lang: "en" });

    const ack = (await h.say("/pubblica! Affluenza alle 19 a Genova: 42,35% <forte> & #Genova", { userId: ADMIN }))[0]!
      .plain;
    expect(ack).toContain("comuni: Genova");
    expect(ack).toContain("3 chat");
    await h.runtime.engine.drained();
    await h.fake.waitUntil(() => h.fake.sentTo(ADMIN).some((m) => m.plain.includes("Resoconto")));

    for (const chat of [1, 2, 4]) {
      const got = pushesTo(h, chat);
      expect(got).toHaveLength(1);
      expect(got[0]!.plain).toContain("Affluenza alle 19 a Genova: 42,35% <forte> & #Genova");
      expect(got[0]!.plain).toMatch(/^🕒 \d\d:\d\d\n/);
    }
    expect(pushesTo(h, 3)).toHaveLength(0);
    const report = h.fake.sentTo(ADMIN).find((m) => m.plain.includes("Resoconto"))!.plain;
    expect(report).toMatch(/consegnati: 3/);
    expect(report).toMatch(/rimossi .*: 0/);

    await h.say("/pubblica! Seggi chiusi: 61,5%", { userId: ADMIN });
    await h.runtime.engine.drained();
    for (const chat of [1, 2, 3, 4]) expect(pushesTo(h, chat).at(-1)!.plain).toContain("Seggi chiusi: 61,5%");

    // The second push's report may land in the same chat while /stato is answered.
    const status = (await h.say("/stato", { userId: ADMIN })).find((m) => m.plain.includes("Stato"))!.plain;
    expect(status).toContain("iscrizioni: 4 in 4 chat");
    expect(status).toContain("invii in attesa: 0");
    expect(status).toContain("aggiornamenti pubblicati: 8");
  });

  it("rejects unknown comune tags and empty or over-long text", async () => {
    const h = await harness();
    expect((await h.say("/pubblica Risultati #Atlantide", { userId: ADMIN }))[0]!.plain).toContain("#Atlantide");
    expect((await h.say("/pubblica", { userId: ADMIN }))[0]!.plain).toContain("Scrivi il testo");
    expect((await h.say(`/pubblica ${"x".repeat(3001)}`, { userId: ADMIN }))[0]!.plain).toContain("troppo lungo");
    expect(await h.runtime.store.bulletinCount()).toBe(6);
  });
});

// Every fault on both of the engine's paths to the Bot API: its own pool (the default) and grammY's client.
describe.each(["pool", "grammy"] as const)("delivery under Telegram's faults (%s path)", (sendPath) => {
  const harness = (o: HarnessOptions = {}) => openHarness({ ...o, runtime: { sendPath, ...o.runtime } });
  async function withSubscribers(h: Harness, ids: number[]) {
    for (const id of ids) await h.runtime.store.subscribe(id, null, "it");
  }

  it("429: pauses for retry_after, then delivers everything exactly once", async () => {
    const h = await harness({ fake: { globalPerSecond: 40 } });
    const ids = Array.from({ length: 120 }, (_, i) => 10_000 + i);
    await withSubscribers(h, ids);
    h.runtime.start();
    h.fake.tooManyNext(2, 1, "sendMessage");
    await h.runtime.publisher.publish({
      text: "Affluenza alle 12: 19,36%",
      comuni: [],
      requestedBy: ADMIN,
      lang: "it",
    });
    await h.runtime.engine.drained();
    expect(h.runtime.engine.stats.rateLimited).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect(h.fake.deliveredPerChat.get(id)).toBe(1);
    expect((await h.runtime.store.subscriberStats()).chats).toBe(120);
  });

  it("403 and 'chat not found' remove the subscriber; 5xx and dropped connections are retried", async () => {
    const h = await harness();
    const ids = [1, 2, 3, 4, 5, -100500];
    await withSubscribers(h, ids);
    h.fake.blockChat(2);
    h.fake.blockChat(-100500);
    h.fake.notFoundChat(3);
    h.runtime.start();
    h.fake.failNext(2, 502, "Bad Gateway", "sendMessage");
    h.fake.dropNext(1, "sendMessage");
    await h.runtime.publisher.publish({ text: "Prova", comuni: [], requestedBy: ADMIN, lang: "it" });
    await h.runtime.engine.drained();
    for (const id of [1, 4, 5]) expect(h.fake.deliveredPerChat.get(id)).toBe(1);
    for (const id of [2, 3, -100500]) expect(await h.runtime.store.subscriptionsOf(id)).toEqual([]);
    expect((await h.runtime.store.subscriberStats()).chats).toBe(3);
    expect(h.runtime.engine.stats.retried).toBeGreaterThanOrEqual(3);
    await h.fake.waitUntil(() => h.fake.sentTo(ADMIN).length > 0);
    const report = h.fake.sentTo(ADMIN)[0]!.plain;
    expect(report).toMatch(/consegnati: 3/);
    expect(report).toMatch(/rimossi .*: 3/);
    expect(report).toMatch(/non consegnati: 0/);
  });

  it("a group where the bot may not write tonight is skipped for that bulletin and stays subscribed", async () => {
    const h = await harness();
    const group = -100600;
    await h.runtime.store.subscribe(group, null, "it");
    h.runtime.start();
    h.fake.failNext(1, 400, "Bad Request: not enough rights to send text messages to the chat", "sendMessage");
    await h.runtime.publisher.publish({ text: "Sola lettura", comuni: [], requestedBy: ADMIN, lang: "it" });
    await h.runtime.engine.drained();
    await h.fake.waitUntil(() => h.fake.sentTo(ADMIN).length > 0);
    const report = h.fake.sentTo(ADMIN)[0]!.plain;
    expect(report).toMatch(/consegnati: 0/);
    expect(report).toMatch(/saltati .*: 1/);
    expect(report).toMatch(/rimossi .*: 0/);
    expect(await h.runtime.store.subscriptionsOf(group)).toEqual([null]);

    // Writable again: the next bulletin arrives.
    await h.runtime.publisher.publish({ text: "Di nuovo", comuni: [], requestedBy: ADMIN, lang: "it" });
    await h.runtime.engine.drained();
    expect(pushesTo(h, group).map((m) => m.plain.split("\n")[1])).toEqual(["Di nuovo"]);
  });

  it("follows a group migrated to a supergroup", async () => {
    const h = await harness();
    await h.runtime.store.subscribe(-500, kc("Genova"), "it");
    h.fake.migrateChat(-500, -100500500);
    h.runtime.start();
    await h.runtime.publisher.publish({
      text: "Genova al ballottaggio",
      comuni: [kc("Genova")],
      requestedBy: null as unknown as number,
      lang: "it",
    });
    await h.runtime.engine.drained();
    expect(h.fake.deliveredPerChat.get(-100500500)).toBe(1);
    expect(await h.runtime.store.subscriptionsOf(-100500500)).toEqual([kc("Genova")]);
    expect(await h.runtime.store.subscriptionsOf(-500)).toEqual([]);
  });

  it("a group migrated to a supergroup that is subscribed too gets each bulletin once", async () => {
    const h = await harness();
    // The supergroup's own row goes first (its id is lower), then the old group's send is refused.
    await h.runtime.store.subscribe(-500, kc("Genova"), "it");
    await h.runtime.store.subscribe(-100500500, null, "it");
    h.fake.migrateChat(-500, -100500500);
    h.runtime.start();
    await h.runtime.publisher.publish({
      text: "Genova al ballottaggio",
      comuni: [kc("Genova")],
      requestedBy: ADMIN,
      lang: "it",
    });
    await h.runtime.engine.drained();
    expect(h.fake.deliveredPerChat.get(-100500500)).toBe(1);
    expect(await h.runtime.store.subscriptionsOf(-100500500)).toEqual([null, kc("Genova")]);
    expect(await h.runtime.store.lastPush()).toMatchObject({ total: 2, delivered: 1, removed: 1 });
  });

  it("gives up on a delivery only after repeated transient failures, and says so in the report", async () => {
    const h = await harness({ runtime: { engine: { backoffMs: () => 5, maxAttempts: 3 } } });
    await withSubscribers(h, [1]);
    h.fake.failNext(10, 503, "Service Unavailable", "sendMessage");
    h.runtime.start();
    await h.runtime.publisher.publish({ text: "x", comuni: [], requestedBy: ADMIN, lang: "it" });
    await h.runtime.engine.drained();
    expect(h.runtime.engine.stats.failed).toBe(1);
    expect(h.fake.deliveredPerChat.get(1)).toBeUndefined();
    expect(await h.runtime.store.subscriptionsOf(1)).toEqual([null]);
  });

  it("keeps publication order per chat", async () => {
    const h = await harness({ runtime: { engine: { privateGapMs: 100 } } });
    await withSubscribers(h, [1, 2]);
    h.runtime.start();
    for (const n of [1, 2, 3, 4])
      await h.runtime.publisher.publish({ text: `Aggiornamento ${n}`, comuni: [], requestedBy: ADMIN, lang: "it" });
    await h.runtime.engine.drained();
    for (const chat of [1, 2]) {
      const got = pushesTo(h, chat);
      expect(got.map((m) => m.plain.split("\n")[1])).toEqual([
        "Aggiornamento 1",
        "Aggiornamento 2",
        "Aggiornamento 3",
        "Aggiornamento 4",
      ]);
    }
  });

  it("replies to people's commands are not held up by a running push", async () => {
    const h = await harness({ runtime: { sendRate: 20 } });
    await withSubscribers(
      h,
      Array.from({ length: 200 }, (_, i) => 40_000 + i),
    );
    h.runtime.start();
    await h.runtime.publisher.publish({ text: "Lungo invio", comuni: [], requestedBy: ADMIN, lang: "it" });
    await h.fake.waitUntil(() => h.fake.sentCount >= 5);
    const reply = await h.say("/citta Genova", { userId: 9 });
    expect(reply[0]!.plain).toContain("Marco Bucci");
    // The push (200 messages at 20/s) is still far from done when the reply has gone out.
    expect(await h.runtime.store.pendingCount()).toBeGreaterThan(100);
  });

  it("a user who blocks the bot is unsubscribed at once (my_chat_member)", async () => {
    const h = await harness();
    await h.say("/iscriviti Genova", { userId: 61 });
    await h.runtime.bot.handleUpdate({
      update_id: 999_001,
      my_chat_member: {
        chat: { id: 61, type: "private", first_name: "Ada" },
        from: { id: 61, is_bot: false, first_name: "Ada" },
        date: 0,
        old_chat_member: { status: "member", user: h.fake.botInfo },
        new_chat_member: { status: "kicked", user: h.fake.botInfo, until_date: 0 },
      },
    } as never);
    expect(await h.runtime.store.subscriptionsOf(61)).toEqual([]);
  });

  it("paid broadcast mode sets allow_paid_broadcast", async () => {
    const h = await harness({ runtime: { paidBroadcast: true } });
    await withSubscribers(h, [1]);
    h.runtime.start();
    await h.runtime.publisher.publish({ text: "x", comuni: [], requestedBy: ADMIN, lang: "it" });
    await h.runtime.engine.drained();
    expect(h.fake.sentTo(1)[0]!.params.allow_paid_broadcast).toBe(true);
  });
});

describe("crashes and restarts", () => {
  it("after a crash mid-push, a new instance on the same database delivers the rest; duplicates at most the sends in flight", async () => {
    const first = await harness({ fake: { latencyMs: 5 } });
    const ids = Array.from({ length: 200 }, (_, i) => 20_000 + i);
    for (const id of ids) await first.runtime.store.subscribe(id, null, "it");
    first.runtime.start();
    await first.runtime.publisher.publish({ text: "Risultati", comuni: [], requestedBy: ADMIN, lang: "it" });
    await first.fake.waitUntil(() => first.fake.sentCount >= 60);
    // The process dies: nothing more is recorded, in-flight sends are lost to it.
    const inFlight = first.runtime.engine.inFlight;
    (first.runtime.store as unknown as { db: { close(): void } }).db.close();
    const delivered = first.fake.sentCount;
    expect(delivered).toBeLessThan(200);

    const second = await startHarness({ existingFake: first.fake, dbPath: first.dbPath, runtime: fast });
    open.push(second);
    second.runtime.start();
    await second.runtime.engine.drained();
    const counts = ids.map((id) => first.fake.deliveredPerChat.get(id) ?? 0);
    expect(counts.every((c) => c >= 1)).toBe(true);
    const duplicates = counts.reduce((s, c) => s + c - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(inFlight + 1);
  });

  it("a normal restart re-sends nothing", async () => {
    const first = await harness();
    for (const id of [1, 2, 3]) await first.runtime.store.subscribe(id, null, "it");
    first.runtime.start();
    await first.runtime.publisher.publish({ text: "Uno", comuni: [], requestedBy: ADMIN, lang: "it" });
    await first.runtime.engine.drained();
    await first.runtime.stop();
    const before = first.fake.sentCount;
    const second = await startHarness({ existingFake: first.fake, dbPath: first.dbPath, runtime: fast });
    open.push(second);
    second.runtime.start();
    await second.runtime.poll();
    await new Promise((r) => setTimeout(r, 200));
    expect(first.fake.sentCount).toBe(before);
    expect(await second.runtime.store.pendingCount()).toBe(0);
  });

  it("stopping mid-push parks what is left; the next start finishes it, each chat once", async () => {
    const h = await harness({ fake: { latencyMs: 2 }, runtime: { sendRate: 100 } });
    const ids = Array.from({ length: 150 }, (_, i) => 30_000 + i);
    for (const id of ids) await h.runtime.store.subscribe(id, null, "it");
    h.runtime.start();
    await h.runtime.publisher.publish({ text: "Parziale", comuni: [], requestedBy: ADMIN, lang: "it" });
    await h.fake.waitUntil(() => h.fake.sentCount >= 20);
    await h.runtime.stop();
    const left = h.runtime.store;
    void left;
    const second = await startHarness({ existingFake: h.fake, dbPath: h.dbPath, runtime: fast });
    open.push(second);
    expect(await second.runtime.store.pendingCount()).toBeGreaterThan(0);
    second.runtime.start();
    await second.runtime.engine.drained();
    for (const id of ids) expect(h.fake.deliveredPerChat.get(id)).toBe(1);
  });
});

describe("the data pack as a newsroom feed", () => {
  async function packCopy(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "elezioni-pack-"));
    for (const f of ["election.json", "turnout.json", "results.json", "bulletins.json"])
      await copyFile(path.join("data", f), path.join(dir, f));
    return dir;
  }

  it("bulletins in the pack at first start are history; ones added later are pushed once; edits are served without restart; a broken file keeps the last good data", async () => {
    const dir = await packCopy();
    try {
      const h = await harness({ runtime: { dataDir: dir } });
      await h.runtime.store.subscribe(1, null, "it");
      h.runtime.start();
      await h.runtime.poll();
      await h.runtime.engine.drained();
      expect(pushesTo(h, 1)).toHaveLength(0);

      const bulletins = JSON.parse(await readFile(path.join(dir, "bulletins.json"), "utf8"));
      bulletins.bulletins.push({
        id: "ballottaggio-genova",
        publishedAt: "2017-06-25T23:30:00+02:00",
        text: "Genova: Bucci avanti nello spoglio.",
        comuni: [kc("Genova")],
      });
      await writeFile(path.join(dir, "bulletins.json"), JSON.stringify(bulletins));
      await h.runtime.poll();
      await h.runtime.poll();
      await h.runtime.engine.drained();
      expect(pushesTo(h, 1)).toHaveLength(1);
      expect(pushesTo(h, 1)[0]!.plain).toContain("25/06/2017 23:30");

      const results = JSON.parse(await readFile(path.join(dir, "results.json"), "utf8"));
      const genova = results.comuni.find((c: { name: string }) => c.name === kc("Genova"));
      genova.firstRound.candidates[0].percent = 38.9;
      await writeFile(path.join(dir, "results.json"), JSON.stringify(results));
      await h.runtime.poll();
      expect((await h.say("/citta Genova"))[0]!.plain).toContain("Marco Bucci — 38,9%");

      await writeFile(path.join(dir, "results.json"), "{ broken");
      await h.runtime.poll();
      expect((await h.say("/citta Genova"))[0]!.plain).toContain("Marco Bucci — 38,9%");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
