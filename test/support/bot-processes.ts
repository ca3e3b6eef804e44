/**
 * The bot as real processes (`node --import tsx src/main.ts`) for the end-to-end tests and the cluster
 * benchmark: a fresh PostgreSQL database, a process and its output, waiting for a condition, a webhook
 * update, /healthz, and the cleanups that undo it all.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";

/** What has to be undone at the end of a test or run, last first, whatever happened. */
export class Cleanups {
  private readonly list: (() => Promise<unknown>)[] = [];
  push(fn: () => Promise<unknown>): void {
    this.list.push(fn);
  }
  async run(): Promise<void> {
    while (this.list.length) await this.list.pop()!().catch(() => undefined);
  }
}

async function onServer(server: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * A database of its own (`<prefix><random>`) on the PostgreSQL server at `server`, dropped by `cleanups`;
 * its URL, for processes that connect with a plain URL.
 */
export async function freshDatabase(cleanups: Cleanups, server: string, prefix: string): Promise<string> {
  const name = `${prefix}${randomBytes(5).toString("hex")}`;
  await onServer(server, `CREATE DATABASE ${name}`);
  cleanups.push(() => onServer(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A bot process. */
export interface BotProcess {
  child: ChildProcess;
  /** Its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  port: number;
  /** What it wrote on stdout and stderr (the last `keepOutput` characters, when given). */
  output(): string;
}

/**
 * Starts `node --import tsx src/main.ts` with `env` (and PATH) on `port`, collecting its output; `cleanups`
 * kills it (SIGKILL) if it still runs.
 */
export function startBot(
  cleanups: Cleanups,
  o: { port: number; env: Record<string, string>; cwd?: string; keepOutput?: number },
): BotProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    ...(o.cwd ? { cwd: o.cwd } : {}),
    env: { PATH: process.env.PATH!, ...o.env, PORT: String(o.port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (c: Buffer) => {
    output += c.toString();
    if (o.keepOutput !== undefined) output = output.slice(-o.keepOutput);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  });
  return { child, exited, port: o.port, output: () => output };
}

/** Waits until `cond` holds, checking every 50 ms; fails after `ms` with `what`. */
export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What /healthz says (the part these callers read). */
export interface Healthz {
  ok?: boolean;
  database?: string;
  instance?: { id?: string; leader?: boolean; instances?: number };
}

/**
 * The body of the instance's /healthz: only when it says 200, unless `anyStatus` (a 503 still says which
 * instance it is); undefined when nothing answers.
 */
export async function healthz(port: number, o: { anyStatus?: boolean } = {}): Promise<Healthz | undefined> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    if (r.status !== 200 && !o.anyStatus) {
      await r.arrayBuffer();
      return undefined;
    }
    return (await r.json()) as Healthz;
  } catch {
    return undefined;
  }
}

/** /healthz answers 200. */
export async function healthy(port: number): Promise<boolean> {
  return (await healthz(port)) !== undefined;
}

/** A private chat's command (`/citta Genova`), as Telegram POSTs it to the webhook. */
export function commandUpdate(o: {
  updateId: number;
  chatId: number;
  text: string;
  firstName: string;
}): Record<string, unknown> {
  const command = o.text.indexOf(" ") < 0 ? o.text.length : o.text.indexOf(" ");
  return {
    update_id: o.updateId,
    message: {
      message_id: 1,
      from: { id: o.chatId, is_bot: false, first_name: o.firstName, language_code: "it" },
      chat: { id: o.chatId, type: "private", first_name: o.firstName },
      date: Math.floor(Date.now() / 1000),
      text: o.text,
      entities: [{ type: "bot_command", offset: 0, length: command }],
    },
  };
}

/** POSTs `update` to the instance's webhook at `path` with its secret; the status it answers. */
export async function postUpdate(
  port: number,
  update: Record<string, unknown>,
  o: { secret: string; path: string },
): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${port}${o.path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": o.secret },
    body: JSON.stringify(update),
  });
  await r.arrayBuffer();
  return r.status;
}

/** The most timestamps (ms) in any sliding second. */
export function peakPerSecond(at: readonly number[]): number {
  const sorted = [...at].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}
