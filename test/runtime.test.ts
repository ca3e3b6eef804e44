/** The production entry point: long polling, webhook mode with its secret, health, start-up errors, secrets kept out of logs. */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startBot } from "../src/start.js";
import { FakeTelegram } from "./support/fake-bot-api/index.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SECRET = "s3cret-webhook-token_123";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function boot(env: Record<string, string>) {
  const fake = await FakeTelegram.start({ token: TOKEN });
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-main-"));
  const logs = new PassThrough();
  let logText = "";
  logs.on("data", (c: Buffer) => (logText += c.toString()));
  const config = loadConfig(
    {
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_PATH: path.join(dir, "db.sqlite"),
      ADMIN_IDS: "42",
      LOG_LEVEL: "debug",
      ...env,
    },
    { requireToken: true },
  );
  const logger = createLogger({ level: "debug", pretty: false, secrets: [TOKEN, SECRET], destination: logs });
  const started = await startBot(config, logger);
  cleanups.push(
    () => rm(dir, { recursive: true, force: true }),
    () => fake.close(),
    () => started.stop(),
  );
  return { fake, started, logs: () => logText };
}

describe("long polling", () => {
  it("answers users, registers the menu, and stops promptly", async () => {
    const { fake, started, logs } = await boot({});
    fake.pushMessage("/citta Genova", { userId: 77 });
    await fake.waitUntil(() => fake.sentTo(77).length === 1);
    expect(fake.sentTo(77)[0]!.plain).toContain("Marco Bucci");
    expect(fake.getCommands().length).toBeGreaterThan(5);
    expect(fake.getCommands({ type: "chat", chat_id: 42 }).map((c) => c.command)).toContain("pubblica");
    await started.stop();
    // No new long poll starts after stop.
    const calls = fake.callsOf("getUpdates").length;
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.callsOf("getUpdates").length).toBe(calls);
    expect(logs()).toContain("long polling started");
    expect(logs()).not.toContain(TOKEN);
  });
});

describe("webhook mode", () => {
  async function webhook() {
    const b = await boot({ WEBHOOK_URL: "https://bot.example.org/telegram/hook", WEBHOOK_SECRET: SECRET, PORT: "0" });
    const port = (b.started.server!.address() as AddressInfo).port;
    const post = (body: unknown, secret?: string) =>
      fetch(`http://127.0.0.1:${port}/telegram/hook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret !== undefined ? { "x-telegram-bot-api-secret-token": secret } : {}),
        },
        body: JSON.stringify(body),
      });
    return { ...b, port, post };
  }
  const update = (id: number, text: string) => ({
    update_id: id,
    message: {
      message_id: id,
      date: 0,
      chat: { id: 88, type: "private", first_name: "Ada" },
      from: { id: 88, is_bot: false, first_name: "Ada" },
      text,
      entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }],
    },
  });

  it("registers the webhook with the secret and handles a request that carries it", async () => {
    const { fake, post } = await webhook();
    expect(fake.webhookUrl).toBe("https://bot.example.org/telegram/hook");
    expect(fake.callsOf("setWebhook")[0]!.params.secret_token).toBe(SECRET);
    const res = await post(update(1, "/citta Parma"), SECRET);
    expect(res.status).toBe(200);
    await fake.waitUntil(() => fake.sentTo(88).length === 1);
    expect(fake.sentTo(88)[0]!.plain).toContain("Pizzarotti");
  });

  it("refuses requests with a missing or wrong secret, and handles nothing", async () => {
    const { fake, post, port } = await webhook();
    expect((await post(update(2, "/info"))).status).toBe(401);
    expect((await post(update(3, "/info"), "wrong-secret-value-xx")).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/other`, { method: "POST", body: "{}" })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.sentTo(88)).toHaveLength(0);
  });

  it("GET /healthz reports the data pack and the database", async () => {
    const { port } = await webhook();
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, data: "comunali-2017", comuni: 25, pending: 0, database: "ok" });
  });

  it("shuts down gracefully: the port is released", async () => {
    const { started, port } = await webhook();
    await started.stop();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe("start-up errors", () => {
  it("a token Telegram rejects stops the start with a clear error that does not contain it", async () => {
    const fake = await FakeTelegram.start({ token: "999:another-token-entirely-xx" });
    cleanups.push(() => fake.close());
    const dir = await mkdtemp(path.join(tmpdir(), "elezioni-main-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const config = loadConfig(
      { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_PATH: path.join(dir, "db.sqlite") },
      { requireToken: true },
    );
    const logs = new PassThrough();
    const err = await startBot(
      config,
      createLogger({ level: "debug", pretty: false, secrets: [TOKEN], destination: logs }),
    ).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain("BOT_TOKEN");
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it("npm start's entry point exits non-zero with one line naming the variable, never the token", () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
        env: { PATH: process.env.PATH!, ...env },
        encoding: "utf8",
        timeout: 30_000,
        cwd: process.cwd(),
      });
    const missing = run({});
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toContain("BOT_TOKEN");
    const malformed = run({ BOT_TOKEN: "123:short", ADMIN_IDS: "1" });
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toContain("BOT_TOKEN");
    expect(malformed.stderr).not.toContain("123:short");
    const badAdmins = run({ BOT_TOKEN: TOKEN, ADMIN_IDS: "12,abc" });
    expect(badAdmins.status).toBe(1);
    expect(badAdmins.stderr).toContain("ADMIN_IDS");
    expect(badAdmins.stderr + badAdmins.stdout).not.toContain(TOKEN);
  });
});

describe("secrets", () => {
  it("network failures while polling are logged without the token", async () => {
    const { fake, logs } = await boot({});
    fake.failNext(2, 502, "Bad Gateway", "getUpdates");
    fake.dropNext(1, "getUpdates");
    fake.pushMessage("/info", { userId: 99 });
    await fake.waitUntil(() => fake.sentTo(99).length === 1, 15_000);
    expect(logs().length).toBeGreaterThan(0);
    expect(logs()).not.toContain(TOKEN);
    expect(logs()).not.toContain(TOKEN.split(":")[1]);
  });
});
