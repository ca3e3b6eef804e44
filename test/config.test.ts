import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { HttpError } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, environment, loadConfig, parseDotEnv } from "../src/config.js";
import { feedSettings } from "../src/feed/config.js";
import { createLogger, scrubber } from "../src/logger.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SECRET_PART = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

function configError(env: Record<string, string | undefined>, requireToken = true): ConfigError {
  let caught: unknown;
  try {
    loadConfig(env, { requireToken });
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const e = caught as ConfigError;
  expect(e.name).toBe("ConfigError");
  expect(e.message).not.toContain("\n");
  expect(e.message).not.toContain(TOKEN);
  expect(e.message).not.toContain(SECRET_PART);
  return e;
}

describe("loadConfig", () => {
  it("fills in the defaults", () => {
    const c = loadConfig({}, { requireToken: false });
    expect(c.BOT_TOKEN).toBeUndefined();
    expect(c.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
    expect(c.DATA_DIR).toBe("./data");
    expect(c.DATABASE_PATH).toBe("./var/elezioni.sqlite");
    expect([...c.ADMIN_IDS]).toEqual([]);
    expect(c.LOG_LEVEL).toBe("info");
    expect(c.LOG_PRETTY).toBeUndefined();
    expect(c.BULLETIN_POLL_CRON).toBe("*/20 * * * * *");
    expect(c.SEND_RATE).toBe(30);
    expect(c.REPLY_MAX_WAIT).toBe(60);
    expect(c.PAID_BROADCAST).toBe(false);
    expect(c.WEBHOOK_URL).toBeUndefined();
    expect(c.WEBHOOK_SECRET).toBeUndefined();
    expect(c.PORT).toBe(8080);
  });

  it("treats empty variables as unset", () => {
    const c = loadConfig(
      { BOT_TOKEN: "", LOG_LEVEL: "", PORT: "", DATA_DIR: "", WEBHOOK_URL: "", ADMIN_IDS: "" },
      { requireToken: false },
    );
    expect(c.BOT_TOKEN).toBeUndefined();
    expect(c.LOG_LEVEL).toBe("info");
    expect(c.PORT).toBe(8080);
    expect(c.DATA_DIR).toBe("./data");
  });

  it("parses and converts the values it is given", () => {
    const c = loadConfig(
      {
        BOT_TOKEN: TOKEN,
        ADMIN_IDS: " 12, 345 ,,6789 ",
        LOG_LEVEL: "debug",
        LOG_PRETTY: "yes",
        BULLETIN_POLL_CRON: "*/5 * * * *",
        SEND_RATE: "500",
        REPLY_MAX_WAIT: "90",
        PAID_BROADCAST: "1",
        WEBHOOK_URL: "https://elezioni.example.it/hook",
        WEBHOOK_SECRET: "s3cr3t-webhook_value",
        PORT: "3000",
      },
      { requireToken: true },
    );
    expect(c.BOT_TOKEN).toBe(TOKEN);
    expect([...c.ADMIN_IDS].sort((a, b) => a - b)).toEqual([12, 345, 6789]);
    expect(c.LOG_LEVEL).toBe("debug");
    expect(c.LOG_PRETTY).toBe(true);
    expect(c.SEND_RATE).toBe(500);
    expect(c.REPLY_MAX_WAIT).toBe(90);
    expect(c.PAID_BROADCAST).toBe(true);
    expect(c.PORT).toBe(3000);
    expect(c.WEBHOOK_URL).toBe("https://elezioni.example.it/hook");
  });

  it("SEND_RATE defaults to the account's limit: 30, or 1000 with paid broadcast; BROADCAST_RATE still read", () => {
    expect(loadConfig({}, { requireToken: false }).SEND_RATE).toBe(30);
    expect(loadConfig({ PAID_BROADCAST: "true" }, { requireToken: false }).SEND_RATE).toBe(1000);
    expect(loadConfig({ BROADCAST_RATE: "25" }, { requireToken: false }).SEND_RATE).toBe(25);
    expect(loadConfig({ BROADCAST_RATE: "25", SEND_RATE: "28" }, { requireToken: false }).SEND_RATE).toBe(28);
  });

  it("SEND_PATH is the pool by default, grammy on request; SEND_CONNECTIONS is left to the runtime unless set", () => {
    expect(loadConfig({}, { requireToken: false }).SEND_PATH).toBe("pool");
    expect(loadConfig({}, { requireToken: false }).SEND_CONNECTIONS).toBeUndefined();
    expect(loadConfig({ SEND_PATH: "grammy", SEND_CONNECTIONS: "64" }, { requireToken: false })).toMatchObject({
      SEND_PATH: "grammy",
      SEND_CONNECTIONS: 64,
    });
  });

  it("requires BOT_TOKEN only when asked to", () => {
    expect(() => loadConfig({}, { requireToken: false })).not.toThrow();
    const e = configError({}, true);
    expect(e.message).toContain("BOT_TOKEN");
    expect(configError({ BOT_TOKEN: "" }, true).message).toContain("BOT_TOKEN");
  });

  it.each([
    ["a dash instead of the colon", "123456789-AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"],
    ["a space inside", "123456789:AAHdqTcvCH1vGWJxf SeofSAs0K5PALDsaw"],
    ["quotes left around it", `"${TOKEN}"`],
    ["a truncated secret", "123456789:AAHdqTcv"],
  ])("a malformed token (%s) names BOT_TOKEN but never echoes it", (_why, bad) => {
    const e = configError({ BOT_TOKEN: bad });
    expect(e.message).toContain("BOT_TOKEN");
    expect(e.message).not.toContain(bad);
    expect(e.message).not.toContain("AAHdqTcv");
  });

  it.each([
    ["ADMIN_IDS", { ADMIN_IDS: "12,abc" }],
    ["ADMIN_IDS", { ADMIN_IDS: "12;34" }],
    ["LOG_LEVEL", { LOG_LEVEL: "verbose" }],
    ["BULLETIN_POLL_CRON", { BULLETIN_POLL_CRON: "every 20 seconds" }],
    ["BULLETIN_POLL_CRON", { BULLETIN_POLL_CRON: "61 * * * *" }],
    ["WEBHOOK_SECRET", { WEBHOOK_URL: "https://elezioni.example.it/hook" }],
    ["WEBHOOK_URL", { WEBHOOK_URL: "http://elezioni.example.it/hook", WEBHOOK_SECRET: "s3cr3t-webhook_value" }],
    ["PORT", { PORT: "70000" }],
    ["BROADCAST_RATE", { BROADCAST_RATE: "-3" }],
    ["SEND_RATE", { SEND_RATE: "0" }],
    ["SEND_RATE", { SEND_RATE: "5000" }],
    ["REPLY_MAX_WAIT", { REPLY_MAX_WAIT: "soon" }],
    ["SEND_PATH", { SEND_PATH: "fetch" }],
    ["SEND_CONNECTIONS", { SEND_CONNECTIONS: "0" }],
    ["SEND_CONNECTIONS", { SEND_CONNECTIONS: "many" }],
    ["TELEGRAM_API_ROOT", { TELEGRAM_API_ROOT: "ftp://api.telegram.org" }],
  ] as const)("%s: a bad value throws ConfigError naming the variable, with a valid token around", (name, bad) => {
    const e = configError({ BOT_TOKEN: TOKEN, ...bad });
    expect(e.message).toContain(name);
  });

  it("does not echo the token when it was put in the wrong variable", () => {
    for (const name of ["LOG_LEVEL", "WEBHOOK_SECRET", "ADMIN_IDS", "BULLETIN_POLL_CRON", "WEBHOOK_URL", "PORT"]) {
      const e = configError({ [name]: TOKEN }, false);
      expect(e.message).toContain(name);
    }
  });
});

describe("the Ministry's feed in the configuration", () => {
  it("is off by default, and on with ELIGENDO_DATE whatever today's date, with its defaults", () => {
    expect(feedSettings(loadConfig({}, { requireToken: false }))).toBeUndefined();
    const c = loadConfig(
      {
        BOT_TOKEN: TOKEN,
        ELIGENDO_DATE: "2017-06-11",
        ELIGENDO_RUNOFF_DATE: "2017-06-25",
        ELIGENDO_BULLETINS: "Review",
      },
      { requireToken: true },
    );
    expect(feedSettings(c)).toEqual({
      date: "2017-06-11",
      runoffDate: "2017-06-25",
      apiRoot: "https://eleapi.interno.gov.it/siel/PX",
      pollMs: 60_000,
      maxRps: 5,
      bulletins: "review",
    });
  });

  it("a bad feed variable stops the start with one line naming it", () => {
    expect(configError({ ELIGENDO_DATE: "2017-02-30" }, false).message).toMatch(
      /^Invalid configuration: ELIGENDO_DATE /,
    );
    expect(configError({ ELIGENDO_DATE: "2017-06-11", ELIGENDO_MAX_RPS: "50" }, false).message).toMatch(
      /ELIGENDO_MAX_RPS .*20/,
    );
    expect(configError({ ELIGENDO_DATE: "2017-06-11", ELIGENDO_POLL_SECONDS: "0" }, false).message).toMatch(
      /ELIGENDO_POLL_SECONDS/,
    );
    expect(configError({ ELIGENDO_RUNOFF_DATE: "2017-06-25" }, false).message).toMatch(
      /ELIGENDO_RUNOFF_DATE needs ELIGENDO_DATE too/,
    );
    expect(configError({ ELIGENDO_DATE: "2017-06-11", ELIGENDO_BULLETINS: "sometimes" }, false).message).toMatch(
      /ELIGENDO_BULLETINS must be auto, review or off/,
    );
  });

  it("speaks English to the operator, zod's own messages included (the data pack's stay Italian)", () => {
    expect(configError({ PORT: "ottanta" }, false).message).toMatch(
      /^Invalid configuration: PORT Invalid input: expected number/,
    );
    expect(configError({ LOG_LEVEL: "loud" }, false).message).toMatch(
      /^Invalid configuration: LOG_LEVEL Invalid option/,
    );
    expect(configError({}, true).message).toMatch(/^Invalid configuration: BOT_TOKEN is missing/);
  });
});

describe("parseDotEnv", () => {
  it("reads KEY=VALUE lines, skipping blanks and comments", () => {
    const env = parseDotEnv(
      ["# configurazione", "", "  LOG_LEVEL=debug  ", "not a line", "PORT = 3000", "EMPTY="].join("\n"),
    );
    expect(env).toEqual({ LOG_LEVEL: "debug", PORT: "3000", EMPTY: "" });
  });

  it("removes matching quotes and keeps # inside them", () => {
    const env = parseDotEnv(`A="due parole"\nB='singole'\nC="a # b"\nD="non chiuso\nE='x"`);
    expect(env).toEqual({ A: "due parole", B: "singole", C: "a # b", D: '"non chiuso', E: `'x"` });
  });

  it("drops trailing comments, also after a quoted value", () => {
    const env = parseDotEnv(`A=valore # commento\nB=a#b\nC="${TOKEN}" # da BotFather\nD='x y'   # nota\nE="x" # "y"`);
    expect(env).toEqual({ A: "valore", B: "a#b", C: TOKEN, D: "x y", E: "x" });
  });

  it("accepts an export prefix and Windows line endings", () => {
    expect(parseDotEnv(`export BOT_TOKEN=${TOKEN}\r\nexport   PORT=1\r\n`)).toEqual({ BOT_TOKEN: TOKEN, PORT: "1" });
  });

  it("a token from a .env file with a comment loads", () => {
    const c = loadConfig(parseDotEnv(`BOT_TOKEN="${TOKEN}" # bot di prova`), { requireToken: true });
    expect(c.BOT_TOKEN).toBe(TOKEN);
  });
});

describe("environment", () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "elezioni-env-"));
    file = path.join(dir, ".env");
    await writeFile(file, `LOG_LEVEL=debug\nPORT=3000\nDATA_DIR=./dal-file\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("puts the real environment over the file", () => {
    const env = environment({ LOG_LEVEL: "warn", BOT_TOKEN: TOKEN }, file);
    expect(env.LOG_LEVEL).toBe("warn");
    expect(env.PORT).toBe("3000");
    expect(env.DATA_DIR).toBe("./dal-file");
    expect(env.BOT_TOKEN).toBe(TOKEN);
  });

  it("an empty real variable still wins over the file", () => {
    expect(environment({ LOG_LEVEL: "" }, file).LOG_LEVEL).toBe("");
  });

  it("works without a file", () => {
    expect(environment({ PORT: "1" }, path.join(dir, "missing.env"))).toEqual({ PORT: "1" });
  });
});

describe("logger", () => {
  function capture(level = "debug") {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c.toString("utf8")));
    const logger = createLogger({ level, pretty: false, secrets: [TOKEN], destination: stream });
    const output = async () => {
      await new Promise((r) => setImmediate(r));
      return chunks.join("");
    };
    return { logger, output };
  }

  it("never prints the token, wherever it hides", async () => {
    const { logger, output } = capture();
    const url = `https://api.telegram.org/bot${TOKEN}/getMe`;
    logger.info(
      { token: TOKEN, config: { BOT_TOKEN: TOKEN }, nested: { deep: { value: `x${TOKEN}y` } }, url },
      "oggetto",
    );
    const err = new Error(`request to ${url} failed, reason: ECONNRESET`);
    logger.error({ err }, "errore di rete");
    logger.error(err);
    logger.warn(`stringa con ${TOKEN} dentro`);
    logger.debug({ list: [TOKEN, { t: TOKEN }] }, `messaggio ${url}`);
    const out = await output();
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(SECRET_PART);
    // the rest of the message survives
    expect(out).toContain("[REDACTED]");
    expect(out).toContain("oggetto");
    expect(out).toContain("ECONNRESET");
    expect(out).toContain("https://api.telegram.org/bot[REDACTED]/getMe");
    expect(out).toContain("stringa con [REDACTED] dentro");
  });

  it("respects the level", async () => {
    const { logger, output } = capture("warn");
    logger.info("non si vede");
    logger.warn("si vede");
    const out = await output();
    expect(out).not.toContain("non si vede");
    expect(out).toContain("si vede");
  });

  it("an error is one line with its kind, code and message; its stack only at debug", async () => {
    const refused = Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:9 (bot${TOKEN})`), {
      code: "ECONNREFUSED",
    });
    const err = new HttpError("Network request for 'getMe' failed!", refused);
    const info = capture("info");
    info.logger.warn({ err }, "Telegram not reachable (getMe); retrying");
    const line = (await info.output()).trim();
    expect(line.split("\n")).toHaveLength(1);
    expect(line).not.toContain("stack");
    expect(line).not.toContain(TOKEN);
    expect(JSON.parse(line).err).toEqual({
      type: "HttpError",
      message: "Network request for 'getMe' failed!",
      cause: { type: "Error", code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:9 (bot[REDACTED])" },
    });
    expect(line.length).toBeLessThan(400);

    const debug = capture("debug");
    debug.logger.warn({ err }, "Telegram not reachable (getMe); retrying");
    expect(JSON.parse(await debug.output()).err.stack).toContain("HttpError");
  });

  it("scrubber replaces every occurrence and ignores short or missing secrets", () => {
    const s = scrubber([TOKEN, undefined, "", "short"]);
    expect(s(`${TOKEN}-${TOKEN} short`)).toBe("[REDACTED]-[REDACTED] short");
    expect(scrubber([])("abc")).toBe("abc");
  });
});

describe("DATABASE_URL", () => {
  const URL_WITH_PASSWORD = "postgres://bot:s3cr3t-Pa55word@db.example:5432/elezioni";

  it("selects PostgreSQL when it is a postgres:// URL; absent, SQLite at DATABASE_PATH", () => {
    expect(loadConfig({ DATABASE_URL: URL_WITH_PASSWORD }, { requireToken: false }).DATABASE_URL).toBe(
      URL_WITH_PASSWORD,
    );
    expect(loadConfig({ DATABASE_URL: "" }, { requireToken: false }).DATABASE_URL).toBeUndefined();
  });

  it("names the variable, never its value (it holds the password), when it is not a PostgreSQL URL", () => {
    for (const bad of ["mysql://bot:s3cr3t-Pa55word@db/x", "s3cr3t-Pa55word", "postgres://:s3cr3t-Pa55word@/x"]) {
      const e = configError({ DATABASE_URL: bad }, false);
      expect(e.message).toContain("DATABASE_URL");
      expect(e.message).not.toContain("s3cr3t-Pa55word");
    }
  });
});
