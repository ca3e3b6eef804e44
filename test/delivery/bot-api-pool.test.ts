/**
 * The engine's own HTTP path (undici Pool) against grammY's client: every failure the fake Bot API can
 * give, and a few only a network gives, must classify the same on both, and the token must show up in
 * no error and no log line.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { Api, GrammyError, HttpError } from "grammy";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiPool } from "../../src/delivery/bot-api/index.js";
import { amendmentOutcome, classifyFailure } from "../../src/delivery/classify.js";
import { type Html, html } from "../../src/format/html.js";
import { FakeTelegram } from "../support/fake-bot-api/index.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SECRET = TOKEN.split(":")[1]!;
const TEXT = html`🕒 <b>19:05</b>\nAffluenza alle 19: 42,35%`;

/** One call through either path; the three methods the engine uses. */
interface Client {
  send(chatId: number, text: Html, signal?: AbortSignal): Promise<unknown>;
  edit(chatId: number, messageId: number, text: Html): Promise<unknown>;
  remove(chatId: number, messageId: number): Promise<unknown>;
  close(): Promise<void>;
}

function grammyClient(apiRoot: string, timeoutSeconds = 30): Client {
  const api = new Api(TOKEN, { apiRoot, timeoutSeconds });
  return {
    send: (chatId, text, signal) =>
      api.sendMessage(
        chatId,
        text,
        { parse_mode: "HTML", link_preview_options: { is_disabled: true } },
        signal as Parameters<typeof api.sendMessage>[3],
      ),
    edit: (chatId, messageId, text) =>
      api.editMessageText(chatId, messageId, text, { parse_mode: "HTML", link_preview_options: { is_disabled: true } }),
    remove: (chatId, messageId) => api.deleteMessage(chatId, messageId),
    close: async () => undefined,
  };
}

function poolClient(apiRoot: string, timeoutSeconds = 30): Client {
  const pool = new BotApiPool({ token: TOKEN, apiRoot, timeoutSeconds, connections: 4 });
  return {
    send: (chatId, text, signal) => pool.sendMessage(chatId, text, {}, signal),
    edit: (chatId, messageId, text) => pool.editMessageText(chatId, messageId, text),
    remove: (chatId, messageId) => pool.deleteMessage(chatId, messageId),
    close: () => pool.close(),
  };
}

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("the call succeeded");
}

/** What the engine reads of a failure: its classification, what it means for an amendment, its type and message. */
function reading(err: unknown) {
  return {
    failure: classifyFailure(err),
    amendment: amendmentOutcome(err),
    type: err instanceof GrammyError ? "GrammyError" : err instanceof HttpError ? "HttpError" : "other",
    message: err instanceof Error ? err.message : String(err),
    ...(err instanceof GrammyError ? { code: err.error_code, parameters: err.parameters } : {}),
  };
}

/** Everything a log line could show of an error: pino's serialisation, with the cause's message and stack. */
function logged(err: unknown): string {
  let out = "";
  const sink = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  pino({ level: "info" }, sink).error({ err }, "delivery failed");
  const cause = (err as { error?: unknown }).error;
  return `${out}\n${String(err)}\n${(err as Error).stack}\n${cause instanceof Error ? `${cause.message}\n${cause.stack}` : String(cause)}`;
}

interface Case {
  name: string;
  /** Prepares the fake (or a server of its own) and makes the call; `c` is the path under test. */
  run(c: Client, fake: FakeTelegram): Promise<unknown>;
  /** What it must classify as, on both paths. */
  expected: Partial<ReturnType<typeof reading>>;
  /** Its own apiRoot / client (a server that is not the fake). */
  client?: (make: (apiRoot: string, timeoutSeconds?: number) => Client, fake: FakeTelegram) => Promise<Client>;
}

let proxy: Server;
let proxyRoot: string;
let refusedRoot: string;
let slow: FakeTelegram;

beforeAll(async () => {
  // A proxy in front of the Bot API answering 502 with an HTML page: no JSON at all.
  proxy = createServer((req, res) => {
    req.resume();
    res.writeHead(502, { "content-type": "text/html" }).end("<html><body>502 Bad Gateway</body></html>");
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyRoot = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  // A port nobody listens on: connection refused.
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
  refusedRoot = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((r) => closed.close(r));
  slow = await FakeTelegram.start({ token: TOKEN, latencyMs: 1500 });
});

afterAll(async () => {
  await new Promise((r) => proxy.close(r));
  await slow.close();
});

const CASES: Case[] = [
  {
    name: "429 with retry_after",
    run: (c, f) => {
      f.tooManyNext(1, 7, "sendMessage");
      return c.send(1, TEXT);
    },
    expected: { failure: { kind: "rate-limited", retryAfterMs: 7000 }, code: 429 },
  },
  {
    name: "403 blocked by the user",
    run: (c, f) => {
      f.blockChat(2);
      return c.send(2, TEXT);
    },
    expected: { failure: { kind: "gone", reason: "Forbidden: bot was blocked by the user" }, code: 403 },
  },
  {
    name: "403 kicked from a group",
    run: (c, f) => {
      f.blockChat(-1003, "Forbidden: bot was kicked from the group chat");
      return c.send(-1003, TEXT);
    },
    expected: { failure: { kind: "gone", reason: "Forbidden: bot was kicked from the group chat" }, code: 403 },
  },
  {
    name: "400 chat not found",
    run: (c, f) => {
      f.notFoundChat(4);
      return c.send(4, TEXT);
    },
    expected: { failure: { kind: "gone", reason: "Bad Request: chat not found" }, code: 400 },
  },
  {
    name: "400 migrate_to_chat_id",
    run: (c, f) => {
      f.migrateChat(-500, -100500500);
      return c.send(-500, TEXT);
    },
    expected: { failure: { kind: "migrated", to: -100500500 }, code: 400 },
  },
  {
    name: "400 not enough rights",
    run: (c, f) => {
      f.failNext(1, 400, "Bad Request: not enough rights to send text messages to the chat", "sendMessage");
      return c.send(6, TEXT);
    },
    expected: {
      failure: { kind: "no-rights", reason: "Bad Request: not enough rights to send text messages to the chat" },
    },
  },
  {
    name: "400 message is not modified (an edit)",
    run: async (c) => {
      const m = (await c.send(7, TEXT)) as { message_id: number };
      return c.edit(7, m.message_id, TEXT);
    },
    expected: { amendment: "done", code: 400 },
  },
  {
    name: "400 message to edit not found",
    run: async (c, f) => {
      const m = (await c.send(8, TEXT)) as { message_id: number };
      f.deleteMessage(8, m.message_id);
      return c.edit(8, m.message_id, html`altro`);
    },
    expected: { amendment: "gone", code: 400 },
  },
  {
    name: "400 message can't be edited",
    run: async (c, f) => {
      const m = (await c.send(9, TEXT)) as { message_id: number };
      f.freezeMessage(9, m.message_id);
      return c.edit(9, m.message_id, html`altro`);
    },
    expected: { amendment: "failed", code: 400 },
  },
  {
    name: "400 message to delete not found",
    run: (c) => c.remove(10, 999_999),
    expected: { amendment: "gone", code: 400 },
  },
  {
    name: "502 from the Bot API (JSON)",
    run: (c, f) => {
      f.failNext(1, 502, "Bad Gateway", "sendMessage");
      return c.send(11, TEXT);
    },
    expected: { failure: { kind: "transient", reason: "502 Bad Gateway" }, type: "GrammyError" },
  },
  {
    name: "502 from a proxy (an HTML page)",
    client: async (make) => make(proxyRoot),
    run: (c) => c.send(12, TEXT),
    expected: {
      failure: { kind: "transient", reason: "Network request for 'sendMessage' failed!" },
      type: "HttpError",
    },
  },
  {
    name: "connection reset",
    run: (c, f) => {
      f.dropNext(1, "sendMessage");
      return c.send(13, TEXT);
    },
    expected: {
      failure: { kind: "transient", reason: "Network request for 'sendMessage' failed!" },
      type: "HttpError",
    },
  },
  {
    name: "connection refused",
    client: async (make) => make(refusedRoot),
    run: (c) => c.send(14, TEXT),
    expected: {
      failure: { kind: "transient", reason: "Network request for 'sendMessage' failed!" },
      type: "HttpError",
    },
  },
  {
    name: "timeout",
    client: async (make) => make(slow.apiRoot, 0.3),
    run: (c) => c.send(15, TEXT),
    expected: {
      failure: { kind: "transient", reason: "Network request for 'sendMessage' failed!" },
      type: "HttpError",
    },
  },
  {
    name: "aborted (the engine stopping)",
    client: async (make) => make(slow.apiRoot),
    run: (c) => c.send(16, TEXT, AbortSignal.timeout(100)),
    expected: {
      failure: { kind: "transient", reason: "Network request for 'sendMessage' failed!" },
      type: "HttpError",
    },
  },
];

describe("the pool path fails as grammY's client does", () => {
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await FakeTelegram.start({ token: TOKEN });
  });
  afterAll(() => fake.close());

  it.each(CASES)("$name classifies the same on both paths", async (c) => {
    const readings = [];
    for (const make of [grammyClient, poolClient]) {
      fake.reset();
      const client = c.client ? await c.client(make, fake) : make(fake.apiRoot);
      try {
        const err = await failureOf(c.run(client, fake));
        // grammY's cause (node-fetch's error) names the URL, token included: only the logger's redaction
        // keeps it out of the logs. The pool's errors carry it nowhere.
        if (make === poolClient) expect(logged(err)).not.toContain(SECRET);
        readings.push(reading(err));
      } finally {
        await client.close();
      }
    }
    expect(readings[1]).toEqual(readings[0]);
    expect(readings[0]).toMatchObject(c.expected);
  });

  it("answers with Telegram's Message: the engine keeps its message_id", async () => {
    const pool = poolClient(fake.apiRoot);
    try {
      const m = (await pool.send(21, TEXT)) as { message_id: number; chat: { id: number } };
      expect(m.chat.id).toBe(21);
      expect(fake.sentTo(21).at(-1)).toMatchObject({ message_id: m.message_id });
      expect(fake.sentTo(21).at(-1)!.plain).toBe("🕒 19:05\nAffluenza alle 19: 42,35%");
    } finally {
      await pool.close();
    }
  });

  it("sends what grammY sends: parse_mode HTML, no link preview, quiet and paid when asked", async () => {
    const pool = new BotApiPool({ token: TOKEN, apiRoot: fake.apiRoot, paidBroadcast: true });
    try {
      await pool.sendMessage(22, html`<b>"virgolette"</b> \\ e a capo\n`, { silent: true });
      const call = fake.callsOf("sendMessage").at(-1)!;
      expect(call.params).toMatchObject({
        chat_id: 22,
        text: '<b>"virgolette"</b> \\ e a capo\n',
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        disable_notification: true,
        allow_paid_broadcast: true,
      });
    } finally {
      await pool.close();
    }
  });

  it("texts in two languages interleaved each go out as they are", async () => {
    const pool = new BotApiPool({ token: TOKEN, apiRoot: fake.apiRoot });
    const en = html`🕒 <b>19:05</b>\nTurnout at 19:00: 42.35%`;
    try {
      for (const [chat, text] of [
        [31, TEXT],
        [32, en],
        [33, TEXT],
        [34, en],
      ] as const)
        await pool.sendMessage(chat, text, {});
      expect([31, 32, 33, 34].map((c) => fake.sentTo(c).at(-1)!.plain)).toEqual([
        "🕒 19:05\nAffluenza alle 19: 42,35%",
        "🕒 19:05\nTurnout at 19:00: 42.35%",
        "🕒 19:05\nAffluenza alle 19: 42,35%",
        "🕒 19:05\nTurnout at 19:00: 42.35%",
      ]);
    } finally {
      await pool.close();
    }
  });

  it("an apiRoot with a path keeps it, as grammY's client does", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? "");
      req.resume();
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true,"result":true}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const pool = new BotApiPool({
      token: TOKEN,
      apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tg/`,
    });
    try {
      await pool.deleteMessage(1, 2);
      expect(seen).toEqual([`/tg/bot${TOKEN}/deleteMessage`]);
    } finally {
      await pool.close();
      await new Promise((r) => server.close(r));
    }
  });
});
