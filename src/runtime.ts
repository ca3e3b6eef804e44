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
import { escapeHtml as h } from "./format/html.js";
import { messages } from "./i18n/index.js";
import type { Logger } from "./logger.js";
import { SqliteStore } from "./store/sqlite.js";
import type { Store } from "./store/store.js";
import { bulletinBlock, bulletinTitle } from "./views/bulletins.js";

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

  const seconds = (r: { startedAt: number; finishedAt: number | null }) =>
    (((r.finishedAt ?? r.startedAt) - r.startedAt) / 1000).toFixed(1).replace(".", ",");

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
          ...(o.paidBroadcast ? { allow_paid_broadcast: true } : {}),
        },
        signal as Parameters<typeof broadcastApi.sendMessage>[3],
      ),
    // A correction edits the copy in place; a withdrawal deletes it.
    amend: (job, html, signal) =>
      html === undefined
        ? broadcastApi.deleteMessage(
            job.chatId,
            job.messageId,
            signal as Parameters<typeof broadcastApi.deleteMessage>[2],
          )
        : broadcastApi.editMessageText(
            job.chatId,
            job.messageId,
            html,
            { parse_mode: "HTML", link_preview_options: { is_disabled: true } },
            signal as Parameters<typeof broadcastApi.editMessageText>[4],
          ),
    // Reports go to the editor's private chat (requestedBy is a user), never to a group. Each is
    // remembered as being about its bulletin, so that replying to it with /rettifica or /ritira works.
    onPushFinished: async (r) => {
      if (r.requestedBy === null) return;
      const t = messages(r.lang);
      const sent = await broadcastApi.sendMessage(
        r.requestedBy,
        t.pushReport({
          title: h(bulletinTitle(r.bulletinText)),
          number: r.seq,
          delivered: r.delivered,
          removed: r.removed,
          skipped: r.skipped,
          failed: r.failed,
          seconds: seconds(r),
        }),
        { parse_mode: "HTML" },
      );
      store.recordNewsroomMessage(sent.chat.id, sent.message_id, r.seq);
    },
    onAmendmentFinished: async (r) => {
      if (r.requestedBy === null) return;
      const t = messages(r.lang);
      const sent = await broadcastApi.sendMessage(
        r.requestedBy,
        t.amendmentReport({
          kind: r.kind,
          title: h(bulletinTitle(r.bulletinText)),
          number: r.seq,
          done: r.done,
          gone: r.gone,
          failed: r.failed,
          superseded: r.superseded,
          seconds: seconds(r),
        }),
        { parse_mode: "HTML" },
      );
      store.recordNewsroomMessage(sent.chat.id, sent.message_id, r.seq);
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
