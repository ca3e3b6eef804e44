/** Configuration from the environment (and `.env` when present), validated with zod. */
import { existsSync, readFileSync } from "node:fs";
import cron from "node-cron";
import { FeedConfigShape, refineFeedConfig } from "./feed/config.js";
import { z } from "./validation.js";

/** zod's own messages in English, for this schema only (the global locale is Italian, for the data pack). */
const english = z.locales.en().localeError;

const boolFlag = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .default("false")
  .transform((v) => v === "true" || v === "1" || v === "yes");

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

export const ConfigSchema = z
  .object({
    BOT_TOKEN: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "does not look like a token from BotFather (123456:ABC…)")
        .optional(),
    ),
    TELEGRAM_API_ROOT: z.preprocess(
      emptyAsUndefined,
      z.url({ protocol: /^https?$/ }).default("https://api.telegram.org"),
    ),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
    DATABASE_PATH: z.preprocess(emptyAsUndefined, z.string().default("./var/elezioni.sqlite")),
    /**
     * PostgreSQL (postgres://user:password@host:5432/db), shared by every instance of the bot; without it,
     * SQLite at DATABASE_PATH. Checked for its shape only: never echoed (it holds the password).
     */
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine((s) => {
          try {
            const u = new URL(s);
            return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "";
          } catch {
            return false;
          }
        }, "must be a PostgreSQL URL: postgres://user:password@host:5432/database")
        .optional(),
    ),
    ADMIN_IDS: z
      .string()
      .default("")
      .refine(
        (s) => s.split(",").every((x) => x.trim() === "" || /^\d+$/.test(x.trim())),
        "must be a comma-separated list of numeric ids",
      )
      .transform(
        (s) =>
          new Set(
            s
              .split(",")
              .map((x) => x.trim())
              .filter(Boolean)
              .map(Number),
          ),
      ),
    LOG_LEVEL: z.preprocess(
      emptyAsUndefined,
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ),
    LOG_PRETTY: z.preprocess(emptyAsUndefined, boolFlag.optional()),
    BULLETIN_POLL_CRON: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .default("*/20 * * * * *")
        .refine((s) => cron.validate(s), "is not a valid cron expression"),
    ),
    /** The account's limit, messages per second for everything the bot sends (default below). */
    SEND_RATE: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(1000).optional()),
    /** Deprecated: read as SEND_RATE when that is not set. */
    BROADCAST_RATE: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(1000).optional()),
    PAID_BROADCAST: z.preprocess(emptyAsUndefined, boolFlag),
    /** How the delivery engine reaches the Bot API: its own connection pool, or grammY's client (the old path, for comparison). */
    SEND_PATH: z.preprocess(emptyAsUndefined, z.enum(["pool", "grammy"]).default("pool")),
    /** Connections of the pool path; default as many as the engine keeps in flight (see runtime.ts). */
    SEND_CONNECTIONS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1024).optional()),
    /**
     * Several instances: "shared", each sends at its share of SEND_RATE, by the replies waiting at each;
     * "equal", 1/n each whatever the demand (the earlier split, kept for comparison); "single"
     * (experimental), the leader sends for all and the others hand it their replies through the database.
     */
    SEND_BUDGET: z.preprocess(emptyAsUndefined, z.enum(["shared", "equal", "single"]).default("shared")),
    /** Seconds a reply may wait for a send slot before it is dropped (and counted in /stato). */
    REPLY_MAX_WAIT: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(3600).default(60)),
    WEBHOOK_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https$/ }).optional()),
    WEBHOOK_SECRET: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16–256 characters among A-Z, a-z, 0-9, _ and -")
        .optional(),
    ),
    PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(8080)),
    /**
     * Long polling: the port of the HTTP server that serves the newsroom's desk (and /healthz); PORT when
     * only that is set; no server when neither is. Webhook mode serves the desk on PORT.
     */
    DESK_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).optional()),
    /** The desk's public address (its links, the Mini App): default the webhook's origin, else http://localhost:<port>. */
    DESK_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
    /** The Ministry's live results feed (src/feed/config.ts): on whenever ELIGENDO_DATE is set. */
    ...FeedConfigShape,
  })
  .superRefine((c, ctx) => {
    refineFeedConfig(c, ctx);
    if (c.WEBHOOK_URL && !c.WEBHOOK_SECRET)
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_SECRET"],
        message: "is required when WEBHOOK_URL is set",
      });
  })
  // Telegram's limit is about 30 messages a second, 1000 with paid broadcast.
  .transform((c) => ({ ...c, SEND_RATE: c.SEND_RATE ?? c.BROADCAST_RATE ?? (c.PAID_BROADCAST ? 1000 : 30) }));

/** Everything the environment may say; what `npm run chat` reads (no token needed). */
export type Config = z.infer<typeof ConfigSchema>;

type Shared = Omit<Config, "BOT_TOKEN" | "WEBHOOK_URL" | "WEBHOOK_SECRET">;

/** `npm start` with long polling: a token, no webhook. */
export interface PollingConfig extends Shared {
  mode: "polling";
  BOT_TOKEN: string;
  WEBHOOK_URL?: undefined;
  WEBHOOK_SECRET?: string;
}

/** `npm start` in webhook mode: WEBHOOK_URL set, and with it its secret. */
export interface WebhookConfig extends Shared {
  mode: "webhook";
  BOT_TOKEN: string;
  WEBHOOK_URL: string;
  WEBHOOK_SECRET: string;
}

/** The configuration of the bot on Telegram, narrowed by `mode`: nothing in it needs a `!`. */
export type BotConfig = PollingConfig | WebhookConfig;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses KEY=VALUE lines; values may be quoted; `#` starts a comment. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2]!.trim();
    // A quoted value, possibly followed by a comment: KEY="a # b" # note
    const quoted = /^(["'])(.*?)\1(?:\s+#.*)?$/.exec(v);
    out[m[1]!] = quoted ? quoted[2]! : v.replace(/\s+#.*$/, "");
  }
  return out;
}

/** The environment with `.env` underneath it (real variables win). */
export function environment(
  env: NodeJS.ProcessEnv = process.env,
  dotEnvPath = ".env",
): Record<string, string | undefined> {
  const fromFile = existsSync(dotEnvPath) ? parseDotEnv(readFileSync(dotEnvPath, "utf8")) : {};
  return { ...fromFile, ...env };
}

/**
 * Validates the configuration; throws ConfigError with one line naming the variable (never its value).
 * With `requireToken`, the token must be there and the result says which mode to start in.
 */
export function loadConfig(env: Record<string, string | undefined>, opts: { requireToken: true }): BotConfig;
export function loadConfig(env: Record<string, string | undefined>, opts: { requireToken: boolean }): Config;
export function loadConfig(
  env: Record<string, string | undefined>,
  opts: { requireToken: boolean },
): Config | BotConfig {
  // Operators read these messages: English, like the logs and the docs (the data pack's stay Italian).
  const r = ConfigSchema.safeParse(env, { error: english });
  if (!r.success) {
    const first = r.error.issues[0]!;
    const name = String(first.path[0] ?? "configuration");
    throw new ConfigError(`Invalid configuration: ${name} ${first.message}`);
  }
  // PORT set on its own in long polling serves the desk too.
  if (r.data.DESK_PORT === undefined && (env.PORT ?? "") !== "") r.data.DESK_PORT = r.data.PORT;
  if (!opts.requireToken) return r.data;
  const { BOT_TOKEN, WEBHOOK_URL, WEBHOOK_SECRET } = r.data;
  if (!BOT_TOKEN) {
    throw new ConfigError(
      "Invalid configuration: BOT_TOKEN is missing (get one from @BotFather and put it in .env or the environment)",
    );
  }
  // The schema already requires the secret with the URL.
  if (WEBHOOK_URL && WEBHOOK_SECRET) return { ...r.data, mode: "webhook", BOT_TOKEN, WEBHOOK_URL, WEBHOOK_SECRET };
  return { ...r.data, mode: "polling", BOT_TOKEN, WEBHOOK_URL: undefined };
}
