/**
 * The newsroom's desk: the whole night on one web page, live, with the newsroom's powers (see
 * docs/desk.md). Served by the bot's own HTTP server under /desk; this wires its parts together.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { App } from "../app.js";
import type { Logger } from "../logger.js";
import { DeskAuth } from "./auth.js";
import { DeskBoard, type DeskRow } from "./board.js";
import { DeliveryMeter } from "./delivery.js";
import { createDeskHandler } from "./http.js";
import { DeskStream } from "./stream.js";
import type { DeliverySources } from "./types.js";

export { LINK_TTL_MS, SESSION_COOKIE, signInitData, validateInitData } from "./auth.js";
export { CSP } from "./http.js";

export interface DeskOptions {
  app: App;
  /** The bot's token: the Mini App's sign-in is checked with it. */
  botToken: string;
  delivery: DeliverySources;
  logger: Logger;
  /**
   * The desk's public address ("https://bot.example.org"): the base of the `/desk` links, and the Mini
   * App's address. Default: http://localhost:<port>.
   */
  publicUrl: string;
  /** How often the live updates go out; default 1 s. */
  tickMs?: number;
  /** The sign-in's clock (links, sessions), epoch ms; default the bot's. The replay's night runs faster than the wall's. */
  now?: () => number;
}

export interface Desk {
  /** Handles a request under /desk; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** A one-time sign-in link for an editor; undefined for anyone else. */
  link(userId: number): string | undefined;
  /** The page's address (the Mini App's). */
  readonly url: string;
  readonly stream: DeskStream;
  readonly board: DeskBoard;
  /** Closes the live connections. */
  close(): void;
}

export function createDesk(o: DeskOptions): Desk {
  const { app } = o;
  const base = o.publicUrl.replace(/\/+$/, "");
  const auth = new DeskAuth({
    botToken: o.botToken,
    isEditor: (id) => app.adminIds.has(id),
    now: o.now ?? (() => app.now().getTime()),
    timeZone: app.data.pack().election.timezone,
  });
  const board = new DeskBoard(app);
  const meter = new DeliveryMeter(app, o.delivery);
  let stateOf: (rows: readonly DeskRow[]) => Promise<unknown> = async () => ({});
  const stream = new DeskStream(app, board, (rows) => stateOf(rows), o.tickMs);
  const handler = createDeskHandler({
    app,
    auth,
    board,
    meter,
    stream,
    logger: o.logger,
    publicOrigin: new URL(base).origin,
    onState: (fn) => {
      stateOf = fn;
    },
  });
  const desk: Desk = {
    handle: handler,
    link(userId) {
      const t = auth.mintLink(userId);
      return t && `${base}/desk/login?t=${t}`;
    },
    url: `${base}/desk/`,
    stream,
    board,
    close: () => stream.close(),
  };
  return desk;
}
