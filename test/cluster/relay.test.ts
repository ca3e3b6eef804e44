/**
 * SEND_BUDGET=single (experimental): a counted call handed from one instance to the sending one through
 * PostgreSQL arrives once, and the caller sees what it would have seen calling Telegram itself: the
 * answer, Telegram's errors as GrammyError, a reply the sender's budget dropped as ReplyDropped.
 */
import { Api, GrammyError, InputFile, type Transformer } from "grammy";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { ReplyDropped, SendBudget } from "../../src/delivery/budget/index.js";
import { performer, relayTransformer } from "../../src/delivery/relay-transformer.js";
import { budgetTransformer } from "../../src/delivery/reply-transformer.js";
import { PgDatabase } from "../../src/store/postgres/connection.js";
import { migrate } from "../../src/store/postgres/migrations.js";
import { PgRelay } from "../../src/store/postgres/relay.js";
import { FakeTelegram } from "../support/fake-bot-api/index.js";
import { freshSchema } from "../support/postgres.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A caller instance and a sender instance on one fresh schema, against one fake Bot API. */
async function pair(o: { serve?: boolean; senderTransformer?: Transformer; timeoutMs?: number } = {}) {
  const fake = await FakeTelegram.start({ token: TOKEN });
  cleanup.push(() => fake.close());
  const s = await freshSchema();
  const db = new PgDatabase(s.url, { schema: s.schema });
  await migrate(db);
  cleanup.push(
    () => s.drop(),
    () => db.close(),
  );
  const logger = pino({ level: "silent" });
  const callerRelay = new PgRelay(db, { instance: "caller", logger });
  const senderRelay = new PgRelay(db, { instance: "sender", logger });
  cleanup.push(
    () => callerRelay.close(),
    () => senderRelay.close(),
  );
  const budget = new SendBudget({ perSecond: 30 });
  cleanup.push(async () => budget.close());
  const senderApi = new Api(TOKEN, { apiRoot: fake.apiRoot });
  senderApi.config.use(budgetTransformer(budget, "reply"));
  if (o.senderTransformer) senderApi.config.use(o.senderTransformer);
  const perform = performer({ reply: senderApi, newsroom: senderApi });
  if (o.serve !== false) await senderRelay.serve(perform);
  const callerApi = new Api(TOKEN, { apiRoot: fake.apiRoot });
  callerApi.config.use(
    relayTransformer({ relay: callerRelay, cls: "reply", sending: () => false, timeoutMs: o.timeoutMs ?? 10_000 }),
  );
  const directApi = new Api(TOKEN, { apiRoot: fake.apiRoot });
  return { fake, db, callerApi, directApi, senderRelay, perform, budget };
}

/** A PNG header the fake reads the size of. */
function png(): Buffer {
  const b = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write("IHDR", 12, "latin1");
  b.writeUInt32BE(320, 16);
  b.writeUInt32BE(200, 20);
  return b;
}

describe("calls handed to the sending instance (SEND_BUDGET=single)", () => {
  it("sends a handed-over reply once, through the sender, and returns Telegram's answer", async () => {
    const { fake, db, callerApi } = await pair();
    const msg = await callerApi.sendMessage(501, "<b>Genova</b>: affluenza 45%", { parse_mode: "HTML" });
    expect(msg.chat.id).toBe(501);
    expect(msg.text).toBe("Genova: affluenza 45%");
    const replies = await Promise.all([602, 603, 604].map((c) => callerApi.sendMessage(c, `ciao ${c}`)));
    expect(replies.map((m) => m.text)).toEqual(["ciao 602", "ciao 603", "ciao 604"]);
    await new Promise((r) => setTimeout(r, 200));
    for (const c of [501, 602, 603, 604]) expect(fake.sentTo(c)).toHaveLength(1);
    expect(fake.sent).toHaveLength(4);
    // Each row goes once its caller has the answer.
    await expect.poll(async () => (await db.query("SELECT id FROM relayed_calls")).length).toBe(0);
  });

  it("carries a file (a chart's PNG) and calls that are not counted go straight on", async () => {
    const { fake, callerApi } = await pair();
    const sent = await callerApi.sendPhoto(701, new InputFile(png(), "grafico.png"), { caption: "Genova" });
    expect(sent.photo?.length).toBeGreaterThan(0);
    expect(fake.photosTo(701)).toHaveLength(1);
    expect(fake.photosTo(701)[0]!.uploaded).toBe(true);
    expect((await callerApi.getMe()).is_bot).toBe(true);
  });

  it("gives back Telegram's errors as the same GrammyError a direct call gets", async () => {
    const { fake, callerApi, directApi } = await pair();
    fake.blockChat(801);
    const direct = await directApi.sendMessage(801, "x").catch((e: unknown) => e);
    const relayed = await callerApi.sendMessage(801, "x").catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(GrammyError);
    expect(relayed).toBeInstanceOf(GrammyError);
    const d = direct as GrammyError;
    const r = relayed as GrammyError;
    expect([r.error_code, r.description, r.method]).toEqual([d.error_code, d.description, d.method]);
    expect(r.error_code).toBe(403);
  });

  it("a reply the sender's budget drops comes back as ReplyDropped", async () => {
    const drop: Transformer = (prev, method, payload, signal) =>
      (payload as { chat_id?: number }).chat_id === 901
        ? Promise.reject(new ReplyDropped("waited", 61_000))
        : prev(method, payload, signal);
    const { callerApi } = await pair({ senderTransformer: drop });
    const err = await callerApi.sendMessage(901, "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyDropped);
    expect((err as ReplyDropped).reason).toBe("waited");
    expect((err as ReplyDropped).waitedMs).toBe(61_000);
  });

  it("goes on after the LISTEN connections are cut: each side opens another within a second", async () => {
    const { fake, db, callerApi } = await pair();
    await callerApi.sendMessage(1101, "prima");
    const cut = await db.query<{ ok: boolean }>(
      "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid() AND query LIKE $1",
      [`%${db.schema}%`],
    );
    expect(cut.length).toBe(2);
    await new Promise((r) => setTimeout(r, 100));
    const msg = await callerApi.sendMessage(1102, "dopo");
    expect(msg.text).toBe("dopo");
    expect(fake.sentTo(1102)).toHaveLength(1);
  });

  it("with no sender, the call times out as dropped and never goes later", async () => {
    const { fake, db, callerApi, senderRelay, perform } = await pair({ serve: false, timeoutMs: 300 });
    const err = await callerApi.sendMessage(1001, "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyDropped);
    expect(await db.query("SELECT id FROM relayed_calls")).toHaveLength(0);
    await senderRelay.serve(perform);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sentTo(1001)).toHaveLength(0);
  });
});
