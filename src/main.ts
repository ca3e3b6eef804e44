/**
 * `npm start`: the bot on Telegram. Reads the configuration, starts (src/start.ts), and shuts down
 * cleanly on SIGINT/SIGTERM (exit 0) or when Telegram stops giving it updates (exit 1, so that a
 * supervisor restarts it).
 */
import { type BotConfig, ConfigError, environment, loadConfig } from "./config.js";
import { DataPackError } from "./data/pack.js";
import { createLogger, type Logger } from "./logger.js";
import { type Started, startBot } from "./start.js";
import { secretsOf } from "./store/postgres/connection.js";

/** At worst this long from the signal to the exit; sends in flight get 4 s of it. */
const SHUTDOWN_LIMIT_MS = 8_000;

function readConfig(): BotConfig {
  try {
    return loadConfig(environment(), { requireToken: true });
  } catch (err) {
    // One line naming the variable, never its value; the logger is not set up yet.
    console.error((err as Error).message);
    process.exit(1);
  }
}

async function start(config: BotConfig, logger: Logger): Promise<Started> {
  try {
    return await startBot(config, logger);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DataPackError) {
      logger.fatal(err.message);
      console.error(err.message);
    } else logger.fatal({ err }, "could not start");
    // Let the log line reach its destination.
    await new Promise((r) => setTimeout(r, 100));
    process.exit(1);
  }
}

/** Stops once, whatever asks first; exits with the code of the first reason. */
function onShutdown(started: Started, logger: Logger): void {
  let stopping = false;
  const shutdown = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "shutting down");
    const force = setTimeout(() => {
      logger.warn("shutdown took too long, exiting");
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    started
      .stop()
      .then(() => {
        logger.info("stopped");
        process.exit(exitCode);
      })
      .catch((err: unknown) => {
        logger.error({ err }, "error while stopping");
        process.exit(1);
      });
  };
  process.once("SIGINT", () => shutdown("SIGINT", 0));
  process.once("SIGTERM", () => shutdown("SIGTERM", 0));
  void started.failure.then(() => shutdown("updates stopped", 1));
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({
    level: config.LOG_LEVEL,
    pretty: config.LOG_PRETTY ?? (process.stdout.isTTY === true && process.env.NODE_ENV !== "production"),
    secrets: [config.BOT_TOKEN, config.WEBHOOK_SECRET, ...(config.DATABASE_URL ? secretsOf(config.DATABASE_URL) : [])],
  });
  onShutdown(await start(config, logger), logger);
}

void main();
