/** pino logger that can never print the bot token. */
import { type Logger, pino } from "pino";

export type { Logger };

/** Replaces every occurrence of the secrets in a string. */
export function scrubber(secrets: readonly (string | undefined)[]): (s: string) => string {
  const list = secrets.filter((s): s is string => !!s && s.length >= 8);
  if (!list.length) return (s) => s;
  return (s) => list.reduce((acc, secret) => acc.split(secret).join("[REDACTED]"), s);
}

export function createLogger(opts: {
  level: string;
  pretty: boolean;
  secrets: readonly (string | undefined)[];
  destination?: NodeJS.WritableStream;
}): Logger {
  const scrub = scrubber(opts.secrets);
  const options = {
    level: opts.level,
    base: undefined,
    redact: { paths: ["token", "*.token", "config.BOT_TOKEN", "BOT_TOKEN"], censor: "[REDACTED]" },
    hooks: { streamWrite: scrub },
  };
  if (opts.destination) return pino(options, opts.destination as pino.DestinationStream);
  if (opts.pretty) {
    return pino({
      ...options,
      transport: {
        target: "pino-pretty",
        options: { colorize: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" },
      },
    });
  }
  return pino(options);
}
