/**
 * The bot's HTTP server: Telegram's POSTs on the webhook's path (grammY checks the secret and answers
 * 401 without it), `GET /healthz` for the load balancer, the newsroom's desk under /desk (src/desk/:
 * nothing there without an editor's session but the sign-in), 404 for anything else. In long-polling
 * mode the same server runs without the webhook, for the desk.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type Bot, webhookCallback } from "grammy";
import type { BotContext } from "./bot/context.js";
import type { Desk } from "./desk/index.js";
import type { Logger } from "./logger.js";
import type { Runtime } from "./runtime.js";

export interface Health {
  ok: boolean;
  /** The election id of the data pack in use. */
  data: string;
  comuni: number;
  /** Deliveries in the outbox; null when the database does not answer. */
  pending: number | null;
  /** "ok", or "unreachable" (the instance answers from memory what it can, and retries). */
  database: "ok" | "unreachable";
  /** Several instances: this one's id, whether it leads, how many are alive. */
  instance?: { id: string; leader: boolean; instances: number };
}

/** How long /healthz waits for the database before it says it is unreachable. */
const HEALTH_DB_TIMEOUT_MS = 2_000;

/** Health for /healthz: the data pack in use and the database answering. */
export async function health(runtime: Runtime): Promise<Health> {
  const pack = runtime.data.current();
  let pending: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    pending = await Promise.race([
      runtime.store.pendingCount(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), HEALTH_DB_TIMEOUT_MS);
      }),
    ]);
  } catch {
    pending = null;
  } finally {
    clearTimeout(timer);
  }
  const c = runtime.cluster;
  return {
    ok: pending !== null,
    data: pack.election.id,
    comuni: pack.comuni.length,
    pending,
    database: pending === null ? "unreachable" : "ok",
    ...(c ? { instance: { id: c.id, leader: c.isLeader, instances: c.membership.count } } : {}),
  };
}

export interface WebhookServerOptions {
  bot: Bot<BotContext>;
  runtime: Runtime;
  /** The path of WEBHOOK_URL: the only one that takes updates. */
  path: string;
  secret: string;
  logger: Logger;
  /** The newsroom's desk, when served. */
  desk?: Desk;
}

/** The server of long-polling mode: /healthz and the desk. */
export function createDeskServer(o: { runtime: Runtime; desk: Desk; logger: Logger }): Server {
  return createServer((req, res) => {
    if (serveCommon(o.runtime, o.desk, req, res)) return;
    res.writeHead(404).end();
  });
}

/** /healthz and the desk's paths; false for any other. */
function serveCommon(runtime: Runtime, desk: Desk | undefined, req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "GET" && path === "/healthz") {
    // health() never rejects: a database that does not answer is part of what it says.
    void health(runtime).then((h) =>
      res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(h)),
    );
    return true;
  }
  return desk?.handle(req, res) ?? false;
}

export function createWebhookServer(o: WebhookServerOptions): Server {
  const handle = webhookCallback(o.bot, "http", {
    secretToken: o.secret,
    // Telegram resends an update it got no answer for within its own limit; a slow update is answered
    // (200) and finishes on its own rather than arriving twice.
    onTimeout: "return",
    timeoutMilliseconds: 9_000,
  });
  return createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "POST" && path === o.path) {
      handle(req, res).catch((err: unknown) => {
        o.logger.error({ err }, "webhook request failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    if (serveCommon(o.runtime, o.desk, req, res)) return;
    res.writeHead(404).end();
  });
}

/** Listens on the port (0 = any free one); resolves once it does. */
export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Stops taking connections and resolves when the open ones are done. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
