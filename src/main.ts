/**
 * `npm start`: the bot on Telegram. Long polling by default (grammY runner: chats handled
 * concurrently, each chat in order); webhook mode when WEBHOOK_URL is set.
 */
import { createServer, type Server } from "node:http";
import { pathToFileURL } from "node:url";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { GrammyError, webhookCallback } from "grammy";
import { registerCommands } from "./bot/menu.js";
import { type Config, ConfigError, environment, loadConfig } from "./config.js";
import { DataPackError } from "./data/pack.js";
import { createLogger, type Logger } from "./logger.js";
import { createRuntime, type Runtime } from "./runtime.js";

/** Updates the bot handles; anything else Telegram need not send. */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "my_chat_member"] as const;

export interface Started {
  runtime: Runtime;
  stop(): Promise<void>;
  /** Webhook mode: the HTTP server. */
  server?: Server;
}

/** Health for /healthz: the data pack in use and the database answering. */
export function health(runtime: Runtime): { ok: boolean; data: string; comuni: number; pending: number | null } {
  const pack = runtime.data.current();
  let pending: number | null = null;
  try {
    pending = runtime.store.pendingCount();
  } catch {
    pending = null;
  }
  return { ok: pending !== null, data: pack.election.id, comuni: pack.comuni.length, pending };
}

export async function startBot(config: Config, logger: Logger): Promise<Started> {
  const token = config.BOT_TOKEN!;
  const runtime = await createRuntime({
    token,
    apiRoot: config.TELEGRAM_API_ROOT,
    dataDir: config.DATA_DIR,
    databasePath: config.DATABASE_PATH,
    adminIds: config.ADMIN_IDS,
    sendRate: config.SEND_RATE,
    paidBroadcast: config.PAID_BROADCAST,
    replyMaxWaitMs: config.REPLY_MAX_WAIT * 1000,
    pollCron: config.BULLETIN_POLL_CRON,
    logger,
    sequential: true,
  });
  const { bot } = runtime;
  // Replies need no retry plugin: the send budget obeys every 429 for all sends and retries 5xx
  // (network errors are not retried: the error boundary apologises instead).
  // getUpdates is left to the runner, which retries on its own; its failures are logged here.
  bot.api.config.use(async (prev, method, payload, signal) => {
    if (method !== "getUpdates") return prev(method, payload, signal);
    try {
      return await prev(method, payload, signal);
    } catch (err) {
      if (!signal?.aborted) logger.warn({ err }, "getUpdates failed; the runner retries");
      throw err;
    }
  });

  try {
    await bot.init();
  } catch (err) {
    await runtime.stop();
    if (err instanceof GrammyError && err.error_code === 401)
      throw new ConfigError("Telegram ha rifiutato BOT_TOKEN (401 Unauthorized): controlla il token");
    throw err;
  }
  logger.info(
    {
      username: bot.botInfo.username,
      data: runtime.data.current().election.id,
      subscribers: runtime.store.subscriberStats(),
    },
    "bot ready",
  );
  await registerCommands(bot.api, config.ADMIN_IDS).catch((err: unknown) =>
    logger.warn({ err }, "could not register the command menu"),
  );
  runtime.start();

  if (config.WEBHOOK_URL) {
    const url = new URL(config.WEBHOOK_URL);
    const handle = webhookCallback(bot, "http", {
      secretToken: config.WEBHOOK_SECRET,
      onTimeout: "return",
      timeoutMilliseconds: 9_000,
    });
    const server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method === "GET" && path === "/healthz") {
        const h = health(runtime);
        res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(h));
        return;
      }
      if (req.method === "POST" && path === url.pathname) {
        handle(req, res).catch((err: unknown) => {
          logger.error({ err }, "webhook request failed");
          if (!res.headersSent) res.writeHead(500).end();
        });
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(config.PORT, resolve));
    await bot.api.setWebhook(config.WEBHOOK_URL, {
      secret_token: config.WEBHOOK_SECRET,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    logger.info({ port: config.PORT, path: url.pathname }, "webhook mode: listening");
    return {
      runtime,
      server,
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await runtime.stop();
      },
    };
  }

  await bot.api.deleteWebhook();
  const runner: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, silent: true } });
  runner.task()?.catch((err: unknown) => {
    // 401 or 409 (another instance polling): nothing this process can fix by itself.
    logger.fatal({ err }, "long polling stopped");
    process.exitCode = 1;
  });
  logger.info("long polling started");
  return {
    runtime,
    async stop() {
      if (runner.isRunning()) await runner.stop();
      await runtime.stop();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(environment(), { requireToken: true });
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const logger = createLogger({
    level: config.LOG_LEVEL,
    pretty: config.LOG_PRETTY ?? (process.stdout.isTTY === true && process.env.NODE_ENV !== "production"),
    secrets: [config.BOT_TOKEN, config.WEBHOOK_SECRET],
  });
  let started: Started;
  try {
    started = await startBot(config, logger);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DataPackError) {
      logger.fatal(err.message);
      console.error(err.message);
    } else logger.fatal({ err }, "could not start");
    await new Promise((r) => setTimeout(r, 100));
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      logger.warn("shutdown took too long, exiting");
      process.exit(1);
    }, 8_000);
    force.unref();
    started
      .stop()
      .then(() => {
        logger.info("stopped");
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, "error while stopping");
        process.exit(1);
      });
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
