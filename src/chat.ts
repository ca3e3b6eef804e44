/**
 * `npm run chat`: the real bot in the terminal, with no token and no network.
 * Type what you would type in Telegram; buttons are listed and pressed by number.
 * Lines starting with ":" steer the session (":aiuto" lists them). Piped input works too.
 */
import { pino } from "pino";
import { type Config, ConfigError, environment, loadConfig } from "./config.js";
import { DataPackError } from "./data/pack.js";
import { feedSettings } from "./feed/config.js";
import { createRuntime, type Runtime } from "./runtime.js";
import { FIRST_USER, TERMINAL_BOT, TerminalSession } from "./terminal/session.js";

const out = (s: string) => process.stdout.write(`${s}\n`);

/** The bot, wired to the session's in-process Bot API, with an in-memory database. */
async function startRuntime(
  session: TerminalSession,
  config: Config,
  newsroom: ReadonlySet<number>,
  logLevel: string,
): Promise<Runtime> {
  const runtime = await createRuntime({
    token: "0:terminal",
    dataDir: config.DATA_DIR,
    databasePath: ":memory:",
    adminIds: newsroom,
    sendRate: config.SEND_RATE,
    paidBroadcast: false,
    pollCron: config.BULLETIN_POLL_CRON,
    logger: pino({ level: logLevel, base: undefined }, pino.destination(2)),
    botInfo: TERMINAL_BOT,
    // One person typing (or a script piping) is not a flood.
    rateLimit: false,
    transformers: [session.api(TERMINAL_BOT.id)],
    // With ELIGENDO_DATE set, the terminal chat follows the Ministry's feed like the bot does.
    feed: feedSettings(config),
  });
  session.connect(runtime);
  await runtime.bot.init();
  runtime.start();
  return runtime;
}

/** Reads lines until the end of the input or `:esci`. */
async function converse(session: TerminalSession, runtime: Runtime): Promise<void> {
  const tty = process.stdin.isTTY === true;
  if (tty) {
    const hint = session.dim(":aiuto per i comandi della sessione.");
    out(
      `Elezioni Bot — chat nel terminale (${runtime.data.current().election.name}).\nProva /start, /citta Genova, /affluenza. ${hint}\n`,
    );
  }
  await session.readLines(process.stdin, tty);
}

async function main(): Promise<void> {
  const env = environment();
  const config = loadConfig(env, { requireToken: false });
  const newsroom = new Set([...config.ADMIN_IDS, FIRST_USER]);
  const session = new TerminalSession({ out, color: process.stdout.isTTY === true && !process.env.NO_COLOR, newsroom });
  // Logs go to stderr, quiet by default: the conversation is on stdout.
  const runtime = await startRuntime(session, config, newsroom, env.LOG_LEVEL ?? "warn");
  await converse(session, runtime);
  await session.drain();
  await runtime.stop();
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataPackError) console.error(err.message);
  else console.error("Errore inatteso:", err instanceof Error ? err.message : err);
  process.exit(1);
});
