/**
 * Wiring: data pack, store, delivery engine, publisher, bot and the data-pack watcher.
 * Shared by the Telegram runtime, the terminal chat, the tests and the benchmarks.
 */

import { Api, type ApiClientOptions, type Bot, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import cron, { type ScheduledTask } from "node-cron";
import type { App } from "./app.js";
import type { BotContext } from "./bot/context.js";
import { type CreateBotOptions, createBot } from "./bot/index.js";
import { DataSource } from "./data/source.js";
import { DeliveryEngine, type EngineOptions } from "./delivery/engine.js";
import { Pacer } from "./delivery/pacer.js";
import { Publisher } from "./delivery/publisher.js";
import { isQuietAt } from "./delivery/quiet.js";
import { messages } from "./i18n/index.js";
import type { Logger } from "./logger.js";
import { SqliteStore } from "./store/sqlite.js";
import type { Store } from "./store/store.js";
import { bulletinBlock } from "./views/bulletins.js";

export interface RuntimeOptions {
  token: string;
  apiRoot?: string;
  dataDir: string;
  databasePath: string;
  adminIds: ReadonlySet<number>;
  broadcastRate: number;
  paidBroadcast: boolean;
  /** Cron expression for re-reading the data pack; undefined = no watcher. */
  pollCron?: string;
  logger: Logger;
  botInfo?: UserFromGetMe;
  /** Installed on every API instance (terminal chat, tests). */
  transformers?: Transformer[];
  now?: () => Date;
  engine?: Partial<Pick<EngineOptions, "concurrency" | "maxAttempts" | "backoffMs" | "progressEveryMs">> & {
    privateGapMs?: number;
    groupGapMs?: number;
  };
  /** Per-request timeout of Bot API calls, seconds. */
  timeoutSeconds?: number;
  /** See CreateBotOptions. */
  sequential?: boolean;
  rateLimit?: CreateBotOptions["rateLimit"];
}

export interface Runtime {
  bot: Bot<BotContext>;
  app: App;
  store: Store;
  data: DataSource;
  engine: DeliveryEngine;
  publisher: Publisher;
  /** Re-reads the data pack now (what the watcher does on each tick). */
  poll(): Promise<void>;
  /** Starts the delivery engine and the watcher (not the update source). */
  start(): void;
  /** Stops the watcher and the engine (parking what is in flight) and closes the store. */
  stop(): Promise<void>;
}

export async function createRuntime(o: RuntimeOptions): Promise<Runtime> {
  const now = o.now ?? (() => new Date());
  const data = await DataSource.open(o.dataDir, o.logger);
  const store = new SqliteStore(o.databasePath, () => now().getTime());
  const client: ApiClientOptions = {
    ...(o.apiRoot ? { apiRoot: o.apiRoot } : {}),
    timeoutSeconds: o.timeoutSeconds ?? 30,
  };

  // Broadcasts use their own Api instance: the engine does its own pacing and retrying.
  const broadcastApi = new Api(o.token, client);
  for (const t of o.transformers ?? []) broadcastApi.config.use(t);

  const render = (seq: number, lang: "it" | "en") => {
    const b = store.bulletin(seq);
    return b && bulletinBlock(b, messages(lang), now(), data.current().election.timezone);
  };

  // A push arriving in the chat's quiet hours (on the election's clock) goes out without sound.
  const quiet = (chatId: number) => {
    const q = store.quietHoursOf(chatId);
    return q !== undefined && isQuietAt(q, now(), data.current().election.timezone);
  };

  let engine: DeliveryEngine;
  const publisher = new Publisher(store, { wake: () => engine.wake() }, o.logger, now);
  const app: App = { data, store, publisher, logger: o.logger, adminIds: o.adminIds, now };
  const bot = createBot(app, {
    token: o.token,
    client,
    botInfo: o.botInfo,
    sequential: o.sequential,
    rateLimit: o.rateLimit,
  });
  for (const t of o.transformers ?? []) bot.api.config.use(t);

  engine = new DeliveryEngine({
    store,
    logger: o.logger,
    pacer: new Pacer({
      perSecond: o.broadcastRate,
      privateGapMs: o.engine?.privateGapMs,
      groupGapMs: o.engine?.groupGapMs,
    }),
    render: (d) => render(d.seq, d.lang),
    send: (chatId, html, signal) =>
      broadcastApi.sendMessage(
        chatId,
        html,
        {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
          ...(quiet(chatId) ? { disable_notification: true } : {}),
          ...(o.paidBroadcast ? { allow_paid_broadcast: true } : {}),
        },
        signal as Parameters<typeof broadcastApi.sendMessage>[3],
      ),
    onPushFinished: async (r) => {
      if (r.requestedBy === null) return;
      const t = messages(r.lang);
      const seconds = (((r.finishedAt ?? r.startedAt) - r.startedAt) / 1000).toFixed(1).replace(".", ",");
      await broadcastApi.sendMessage(
        r.requestedBy,
        t.pushReport({
          id: r.bulletinId,
          delivered: r.delivered,
          removed: r.removed,
          skipped: r.skipped,
          failed: r.failed,
          seconds,
        }),
        { parse_mode: "HTML" },
      );
    },
    ...o.engine,
  });

  publisher.syncPack(data.current());

  // The pack's change is taken in only once its bulletins are stored: a failed sync is retried on the next poll.
  const poll = async () => {
    await data.reload({ apply: (pack) => publisher.syncPack(pack) });
  };

  let task: ScheduledTask | undefined;
  return {
    bot,
    app,
    store,
    data,
    engine,
    publisher,
    poll,
    start() {
      engine.start();
      if (o.pollCron && !task) {
        task = cron.schedule(
          o.pollCron,
          () => poll().catch((err: unknown) => o.logger.error({ err }, "data pack poll failed")),
          {
            name: "data-pack-watcher",
            noOverlap: true,
          },
        );
      }
    },
    async stop() {
      await task?.stop();
      await task?.destroy();
      task = undefined;
      await engine.stop();
      store.close();
    },
  };
}
