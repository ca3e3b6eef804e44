/** Start-up by mode, and long polling that Telegram refuses after the start: the failure is reported, not swallowed. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startBot } from "../src/start.js";
import { FakeTelegram } from "./support/fake-bot-api/index.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function polling() {
  const fake = await FakeTelegram.start({ token: TOKEN });
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-start-"));
  cleanups.push(
    () => rm(dir, { recursive: true, force: true }),
    () => fake.close(),
  );
  const config = loadConfig(
    { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_PATH: path.join(dir, "db.sqlite") },
    { requireToken: true },
  );
  const logs = new PassThrough();
  let logText = "";
  logs.on("data", (c: Buffer) => (logText += c.toString()));
  const logger = createLogger({ level: "info", pretty: false, secrets: [TOKEN], destination: logs });
  return { fake, config, logger, logs: () => logText };
}

describe("configuration by mode", () => {
  it("a token alone is long polling; WEBHOOK_URL with its secret is webhook mode", () => {
    expect(loadConfig({ BOT_TOKEN: TOKEN }, { requireToken: true }).mode).toBe("polling");
    const webhook = loadConfig(
      { BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://bot.example.org/hook", WEBHOOK_SECRET: "s3cret-webhook-token_123" },
      { requireToken: true },
    );
    expect(webhook.mode).toBe("webhook");
    if (webhook.mode === "webhook") expect(new URL(webhook.WEBHOOK_URL).pathname).toBe("/hook");
  });
});

describe("long polling refused after the start", () => {
  it.each([
    [
      409,
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      /another instance is polling/,
    ],
    [401, "Unauthorized", /refused BOT_TOKEN/],
  ] as const)("getUpdates %i: `failure` settles with it and the log says why", async (code, description, said) => {
    const { fake, config, logger, logs } = await polling();
    fake.failNext(1, code, description, "getUpdates");
    const started = await startBot(config, logger);
    cleanups.push(() => started.stop());
    const err = (await started.failure) as Error & { error_code?: number };
    expect(err.error_code).toBe(code);
    expect(logs()).toMatch(said);
    expect(logs()).not.toContain(TOKEN);
  });
});
