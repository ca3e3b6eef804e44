/**
 * Start-up of the bot on Telegram: what both modes share (runtime, bounded retries, getMe, the command
 * menu, the delivery engine), then long polling (grammY runner: chats handled concurrently, each chat
 * in order) or the webhook server.
 */
import type { Server } from "node:http";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { GrammyError } from "grammy";
import { ALLOWED_UPDATES } from "./bot/index.js";
import { registerCommands } from "./bot/menu.js";
import type { Duty } from "./cluster/cluster.js";
import { type BotConfig, ConfigError, type WebhookConfig } from "./config.js";
import { createDesk, type Desk } from "./desk/index.js";
import { feedSettings } from "./feed/config.js";
import type { Logger } from "./logger.js";
import { createRuntime, type Runtime } from "./runtime.js";
import { close, createDeskServer, createWebhookServer, listen } from "./server.js";

export interface Started {
  runtime: Runtime;
  /** Takes no more updates, parks what is in flight (the outbox keeps it), closes the store. */
  stop(): Promise<void>;
  /** Webhook mode: the HTTP server. */
  server?: Server;
  /**
   * Settles with the reason when updates stop arriving on their own (Telegram refused long polling:
   * 401, or 409 because another instance polls with this token). Never settles otherwise.
   */
  failure: Promise<Error>;
}

/** Starts the bot in the mode the configuration says. */
export async function startBot(config: BotConfig, logger: Logger): Promise<Started> {
  // Long polling with several instances: only the holder of the `updates` lease polls (see below).
  const updates = config.mode === "polling" && config.DATABASE_URL ? new LateDuty() : undefined;
  const runtime = await prepare(config, logger, updates);
  if (config.mode === "webhook") return startWebhook(runtime, config, logger);
  const started = updates ? startStandbyPolling(runtime, logger, updates) : await startPolling(runtime, logger);
  if (config.DESK_PORT === undefined) return started;
  // The desk (and /healthz) on their own server: the webhook's, without the webhook.
  const desk = await deskFor(runtime, config, logger, config.DESK_PORT);
  const server = createDeskServer({ runtime, desk, logger });
  await listen(server, config.DESK_PORT);
  logger.info({ port: config.DESK_PORT, url: desk.url }, "desk: listening");
  return {
    ...started,
    server,
    async stop() {
      desk.close();
      await close(server);
      await started.stop();
    },
  };
}

/**
 * The newsroom's desk for this runtime: `/desk` answers with its links from now on, and each editor's
 * menu button opens it as a Mini App when its address is HTTPS (Telegram requires it).
 */
export async function deskFor(runtime: Runtime, config: BotConfig, logger: Logger, port: number): Promise<Desk> {
  const publicUrl =
    config.DESK_URL ?? (config.WEBHOOK_URL ? new URL(config.WEBHOOK_URL).origin : `http://localhost:${port}`);
  const desk = createDesk({
    app: runtime.app,
    botToken: config.BOT_TOKEN,
    delivery: {
      engine: runtime.engine,
      liveCards: runtime.liveCards,
      ...(runtime.budget ? { budget: runtime.budget } : {}),
      sendRate: config.SEND_RATE,
    },
    logger,
    publicUrl,
  });
  runtime.app.deskLink = (id) => desk.link(id);
  if (publicUrl.startsWith("https:"))
    for (const id of config.ADMIN_IDS)
      await runtime.bot.api
        .setChatMenuButton({ chat_id: id, menu_button: { type: "web_app", text: "Desk", web_app: { url: desk.url } } })
        .catch((err: unknown) => logger.warn({ err, chat: id }, "desk: could not set an editor's menu button"));
  return desk;
}

/** A duty whose work is given once the runtime exists; a lease gained before that waits for it. */
class LateDuty implements Duty {
  private work: Duty | undefined;
  private held = false;
  set(work: Duty): Promise<void> | void {
    this.work = work;
    if (this.held) return work.gained();
  }
  gained(): Promise<void> | void {
    this.held = true;
    return this.work?.gained();
  }
  lost(): Promise<void> | void {
    this.held = false;
    return this.work?.lost();
  }
}

/** What both modes share: the runtime, its API's retries, getMe, the menu; the engine and watcher running. */
async function prepare(config: BotConfig, logger: Logger, updates?: Duty): Promise<Runtime> {
  const runtime = await createRuntime({
    token: config.BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    dataDir: config.DATA_DIR,
    databasePath: config.DATABASE_PATH,
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
    ...(updates ? { updates } : {}),
    adminIds: config.ADMIN_IDS,
    sendRate: config.SEND_RATE,
    paidBroadcast: config.PAID_BROADCAST,
    replyMaxWaitMs: config.REPLY_MAX_WAIT * 1000,
    sendBudgetMode: config.SEND_BUDGET,
    sendPath: config.SEND_PATH,
    ...(config.SEND_CONNECTIONS ? { sendConnections: config.SEND_CONNECTIONS } : {}),
    pollCron: config.BULLETIN_POLL_CRON,
    logger,
    sequential: true,
    feed: feedSettings(config),
  });
  const { bot } = runtime;
  // Replies need no retry plugin: the send budget obeys every 429 for all sends and retries 5xx
  // (network errors are not retried: the error boundary apologises instead).
  // getUpdates is left to the runner, and getMe to grammY's init, which both retry on their own
  // (init without end while Telegram cannot be reached): each failure is logged here, never silent.
  bot.api.config.use(async (prev, method, payload, signal) => {
    if (method !== "getUpdates" && method !== "getMe") return prev(method, payload, signal);
    try {
      return await prev(method, payload, signal);
    } catch (err) {
      if (!signal?.aborted)
        logger.warn(
          { err },
          method === "getMe" ? "Telegram not reachable (getMe); retrying" : "getUpdates failed; the runner retries",
        );
      throw err;
    }
  });

  try {
    await bot.init();
  } catch (err) {
    await runtime.stop();
    if (err instanceof GrammyError && err.error_code === 401)
      throw new ConfigError("Telegram refused BOT_TOKEN (401 Unauthorized): check the token");
    throw err;
  }
  logger.info(
    {
      username: bot.botInfo.username,
      data: runtime.data.current().election.id,
      subscribers: await runtime.store.subscriberStats(),
    },
    "bot ready",
  );
  await registerCommands(bot.api, config.ADMIN_IDS).catch((err: unknown) =>
    logger.warn({ err }, "could not register the command menu"),
  );
  runtime.start();
  return runtime;
}

/** Long polling with the runner. */
export async function startPolling(runtime: Runtime, logger: Logger): Promise<Started> {
  const { bot } = runtime;
  await bot.api.deleteWebhook();
  const runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, silent: true } });
  // The runner gives up on 401 and 409 (another instance polling): nothing this process can fix by
  // itself, so it must end (and let systemd restart it) rather than live on answering nobody.
  const failure = new Promise<Error>((resolve) => {
    runner.task()?.catch((err: unknown) => {
      logger.fatal({ err }, pollingStopped(err));
      resolve(err instanceof Error ? err : new Error(String(err)));
    });
  });
  logger.info("long polling started");
  return {
    runtime,
    failure,
    async stop() {
      if (runner.isRunning()) await runner.stop();
      await runtime.stop();
    },
  };
}

/**
 * Long polling with several instances on one database: this instance polls only while it holds the
 * `updates` lease (Telegram answers 409 to a second poller); the others stand by and one of them takes
 * over within the lease's length when the poller dies. Updates are never lost meanwhile: Telegram
 * keeps them until an instance asks.
 */
export function startStandbyPolling(runtime: Runtime, logger: Logger, updates: LateDuty): Started {
  const { bot } = runtime;
  let runner: RunnerHandle | undefined;
  let holding = false;
  let retry: NodeJS.Timeout | undefined;
  let fatal: (err: Error) => void = () => undefined;
  const failure = new Promise<Error>((resolve) => (fatal = resolve));
  const begin = async (): Promise<void> => {
    await bot.api.deleteWebhook();
    const r = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, silent: true } });
    runner = r;
    logger.info("long polling started (this instance holds the updates lease)");
    r.task()?.catch((err: unknown) => {
      if (err instanceof GrammyError && err.error_code === 401) {
        logger.fatal({ err }, pollingStopped(err));
        fatal(err);
        return;
      }
      // 409: the previous poller is still finishing its request; try again while the lease is ours.
      logger.warn({ err }, `${pollingStopped(err)}; retrying in 5 s`);
      if (holding && runner === r)
        retry = setTimeout(() => {
          if (holding && runner === r)
            begin().catch((e: unknown) => logger.error({ err: e }, "long polling: restart failed"));
        }, 5_000);
    });
  };
  const set = updates.set({
    gained: async () => {
      holding = true;
      await begin();
    },
    lost: async () => {
      holding = false;
      clearTimeout(retry);
      const r = runner;
      runner = undefined;
      if (r?.isRunning()) await r.stop();
      logger.info("long polling stopped: another instance holds the updates lease");
    },
  });
  Promise.resolve(set).catch((err: unknown) => logger.error({ err }, "long polling: start failed"));
  logger.info("long polling on standby: the instance holding the updates lease polls");
  return {
    runtime,
    failure,
    async stop() {
      holding = false;
      clearTimeout(retry);
      if (runner?.isRunning()) await runner.stop();
      await runtime.stop();
    },
  };
}

/** Why long polling ended, for the log. */
function pollingStopped(err: unknown): string {
  const code = err instanceof GrammyError ? err.error_code : undefined;
  if (code === 409) return "long polling stopped: another instance is polling with this token (409 Conflict)";
  if (code === 401) return "long polling stopped: Telegram refused BOT_TOKEN (401 Unauthorized)";
  return "long polling stopped";
}

/** The webhook server on PORT, then the webhook registered with Telegram. */
export async function startWebhook(runtime: Runtime, config: WebhookConfig, logger: Logger): Promise<Started> {
  const { bot } = runtime;
  const path = new URL(config.WEBHOOK_URL).pathname;
  const desk = await deskFor(runtime, config, logger, config.PORT);
  const server = createWebhookServer({ bot, runtime, path, secret: config.WEBHOOK_SECRET, logger, desk });
  await listen(server, config.PORT);
  await bot.api.setWebhook(config.WEBHOOK_URL, {
    secret_token: config.WEBHOOK_SECRET,
    allowed_updates: [...ALLOWED_UPDATES],
  });
  logger.info({ port: config.PORT, path }, "webhook mode: listening");
  return {
    runtime,
    server,
    failure: new Promise<Error>(() => undefined),
    async stop() {
      desk.close();
      await close(server);
      await runtime.stop();
    },
  };
}
