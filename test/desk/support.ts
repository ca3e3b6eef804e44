/**
 * A feed night with the desk served on loopback: the real runtime against the fake Ministry feed and the
 * fake Bot API, and the bot's own HTTP server with the desk mounted, as `npm start` runs it.
 */
import type { Server } from "node:http";
import { pino } from "pino";
import { createDesk, type Desk } from "../../src/desk/index.js";
import { close, createDeskServer, listen } from "../../src/server.js";
import type { FakeEligendo } from "../support/fake-eligendo/index.js";
import { closeLater, type FeedNight, type FeedNightOptions, startFeedNight } from "../support/feed-night.js";
import { freePort } from "../support/free-port.js";
import { ADMIN } from "../support/harness.js";

export interface DeskNight extends FeedNight {
  web: Desk;
  server: Server;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** What the bot answers the editor's /desk: the link. */
  askLink(userId?: number): Promise<string>;
}

/** A port nobody listens on now. */
export async function startDeskNight(
  fake: FakeEligendo,
  o: FeedNightOptions & { tickMs?: number /** Every line the desk logs. */; logs?: string[] },
): Promise<DeskNight> {
  const n = await startFeedNight(fake, o);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const rt = n.h.runtime;
  const logs = o.logs;
  const logger = logs
    ? pino({ level: "debug" }, { write: (line: string) => void logs.push(line) })
    : pino({ level: "silent" });
  const desk = createDesk({
    app: rt.app,
    botToken: n.h.fake.token,
    delivery: {
      engine: rt.engine,
      liveCards: rt.liveCards,
      ...(rt.budget ? { budget: rt.budget } : {}),
      sendRate: 1000,
    },
    logger,
    publicUrl: origin,
    tickMs: o.tickMs ?? 250,
  });
  rt.app.deskLink = (id) => desk.link(id);
  const server = createDeskServer({ runtime: rt, desk, logger });
  await listen(server, port);
  closeLater({
    async close() {
      desk.close();
      server.closeAllConnections();
      await close(server);
    },
  });
  return {
    ...n,
    web: desk,
    server,
    origin,
    async askLink(userId = ADMIN) {
      const answer = await n.h.say("/desk", { userId });
      const m = /https?:\/\/\S+\/desk\/login\?t=[A-Za-z0-9_-]+/.exec(
        JSON.stringify(answer.map((a) => a.text ?? a.plain)),
      );
      if (!m) throw new Error(`no link in the answer: ${answer.map((a) => a.plain).join(" | ")}`);
      return m[0];
    },
  };
}
