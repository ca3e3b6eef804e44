/** pino logger that can never print the bot token. */
import { type Logger, pino } from "pino";

export type { Logger };

/** Replaces every occurrence of the secrets in a string. */
export function scrubber(secrets: readonly (string | undefined)[]): (s: string) => string {
  const list = secrets.filter((s): s is string => !!s && s.length >= 8);
  if (!list.length) return (s) => s;
  return (s) => list.reduce((acc, secret) => acc.split(secret).join("[REDACTED]"), s);
}

/** What an error's line says: its kind, code and message on one line; its cause (or grammY's `error`) likewise. */
export function briefError(err: unknown, depth = 0): Record<string, unknown> | string {
  if (!(err instanceof Error)) return String(err).replace(/\s*\n\s*/g, " ");
  const e = err as Error & { code?: unknown; error_code?: unknown; error?: unknown };
  const out: Record<string, unknown> = { type: e.name, message: e.message.replace(/\s*\n\s*/g, " ") };
  const code = e.error_code ?? e.code;
  if (code !== undefined) out.code = code;
  const cause = e.cause ?? e.error;
  if (cause !== undefined && depth < 3) out.cause = briefError(cause, depth + 1);
  return out;
}

/**
 * Operators' log lines are one line each: an error is logged with its kind, code and message, and its
 * stack only when the level is debug or trace (a failed getMe retried every few seconds must not
 * print a 2 KB stack each time).
 */
export function createLogger(opts: {
  level: string;
  pretty: boolean;
  secrets: readonly (string | undefined)[];
  destination?: NodeJS.WritableStream;
}): Logger {
  const scrub = scrubber(opts.secrets);
  let logger: Logger | undefined;
  const err = (e: unknown) => (logger?.isLevelEnabled("debug") ? pino.stdSerializers.err(e as Error) : briefError(e));
  const options = {
    level: opts.level,
    base: undefined,
    serializers: { err },
    redact: { paths: ["token", "*.token", "config.BOT_TOKEN", "BOT_TOKEN"], censor: "[REDACTED]" },
    hooks: { streamWrite: scrub },
  };
  if (opts.destination) logger = pino(options, opts.destination as pino.DestinationStream);
  else if (opts.pretty) {
    logger = pino({
      ...options,
      transport: {
        target: "pino-pretty",
        options: { colorize: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" },
      },
    });
  } else logger = pino(options);
  return logger;
}
