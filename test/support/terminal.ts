/**
 * The terminal chat as `npm run chat` runs it, for tests: a session on the shipped data pack (or another),
 * an in-memory database, the newsroom's first user, the engine started. What it prints is collected.
 */
import path from "node:path";
import { pino } from "pino";
import { createRuntime, type Runtime } from "../../src/runtime.js";
import { FIRST_USER, TERMINAL_BOT, TerminalSession } from "../../src/terminal/session.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface Terminal {
  session: TerminalSession;
  runtime: Runtime;
  /** Every line printed so far; tests may empty it. */
  printed: string[];
}

/** Starts one; the caller stops `runtime` when done. */
export async function startTerminal(o: { now?: () => Date; dataDir?: string } = {}): Promise<Terminal> {
  const printed: string[] = [];
  const session = new TerminalSession({ out: (l) => printed.push(l), color: false, newsroom: new Set([FIRST_USER]) });
  const runtime = await createRuntime({
    token: "0:terminal",
    dataDir: o.dataDir ?? path.join(ROOT, "data"),
    databasePath: ":memory:",
    adminIds: new Set([FIRST_USER]),
    sendRate: 1000,
    paidBroadcast: false,
    logger: pino({ level: "silent" }),
    botInfo: TERMINAL_BOT,
    rateLimit: false,
    transformers: [session.api(TERMINAL_BOT.id)],
    ...(o.now ? { now: o.now } : {}),
  });
  session.connect(runtime);
  await runtime.bot.init();
  runtime.start();
  return { session, runtime, printed };
}
