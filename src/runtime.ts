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
import { sendHtml } from "./bot/reply.js";
import { DataSource } from "./data/source.js";
import { SendBudget } from "./delivery/budget.js";
import { DeliveryEngine, type EngineOptions } from "./delivery/engine.js";
import { Pacer } from "./delivery/pacer.js";
import { Publisher } from "./delivery/publisher.js";
import { isQuietAt } from "./delivery/quiet.js";
import { budgetTransformer } from "./delivery/reply-transformer.js";
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
  /** The account's limit: messages per second for everything the bot sends (SEND_RATE). */
  sendRate: number;
  paidBroadcast: boolean;
  /** A reply waiting longer than this for a send slot is dropped (REPLY_MAX_WAIT; default 60 s). */
  replyMaxWaitMs?: number;
  /** At most this many replies wait (default: see SendBudgetOptions.replyQueueMax). */
  replyQueueMax?: number;
  /**
   * false = no shared budget: replies unpaced, pushes paced on their own at sendRate. That was
   * the bot before the budget; the benchmarks run it side by side. Default true.
   */
  sendBudget?: boolean;
  /** Cron expression for re-reading the data pack; undefined = no watcher. */
  pollCron?: string;
  logger: Logger;
  botInfo?: UserFromGetMe;
  /** Installed on every API instance (terminal chat, tests). */
  transformers?: Transformer[];
  now?: () => Date;
  engine?: Partial<Pick<EngineOptions, "concurrency" | "maxAttempts" | "backoffMs" | "progressEveryMs">> & {
    /** Per-chat gaps, for every message the bot sends (replies too). */
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
  /** The one send budget (undefined with sendBudget: false). */
  budget?: SendBudget;
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

  // One budget for everything the bot sends (src/delivery/budget.ts): replies first, the
  // newsroom's reports next, pushes in the gaps.
  const budget =
    o.sendBudget === false
      ? undefined
      : new SendBudget({
          perSecond: o.sendRate,
          privateGapMs: o.engine?.privateGapMs,
          groupGapMs: o.engine?.groupGapMs,
          replyMaxWaitMs: o.replyMaxWaitMs,
          replyQueueMax: o.replyQueueMax,
          logger: o.logger,
        });

  // Broadcasts use their own Api instance: the engine takes its slots from the budget's push lane
  // and does its own retrying. The newsroom's reports go through the budget in their own class.
  const broadcastApi = new Api(o.token, client);
  const reportApi = new Api(o.token, client);
  if (budget) reportApi.config.use(budgetTransformer(budget, "newsroom"));
  for (const t of o.transformers ?? []) {
    broadcastApi.config.use(t);
    reportApi.config.use(t);
  }

  const render = (seq: number, lang: "it" | "en") => {
    const b = store.bulletin(seq);
    return b && bulletinBlock(b, messages(lang), now(), data.current().election.timezone);
  };

  /** How long a push or an amendment took, for its report: "1,5" in Italian, "1.5" in English. */
  const seconds = (r: { startedAt: number; finishedAt: number | null; lang: "it" | "en" }) => {
    const s = (((r.finishedAt ?? r.startedAt) - r.startedAt) / 1000).toFixed(1);
    return r.lang === "it" ? s.replace(".", ",") : s;
  };

  // A push arriving in the chat's quiet hours (on the election's clock) goes out without sound.
  const quiet = (chatId: number) => {
    const q = store.quietHoursOf(chatId);
    return q !== undefined && isQuietAt(q, now(), data.current().election.timezone);
  };

  let engine: DeliveryEngine;
  const publisher = new Publisher(store, { wake: () => engine.wake() }, o.logger, now);
  const app: App = {
    data,
    store,
    publisher,
    logger: o.logger,
    adminIds: o.adminIds,
    now,
    ...(budget ? { sendStats: () => budget.stats() } : {}),
  };
  const bot = createBot(app, {
    token: o.token,
    client,
    botInfo: o.botInfo,
    sequential: o.sequential,
    rateLimit: o.rateLimit,
  });
  // Before the given transformers: a transformer that answers in-process (terminal chat) is not paced.
  if (budget) bot.api.config.use(budgetTransformer(budget, "reply"));
  for (const t of o.transformers ?? []) bot.api.config.use(t);

  engine = new DeliveryEngine({
    store,
    logger: o.logger,
    pacer:
      budget?.push ??
      new Pacer({ perSecond: o.sendRate, privateGapMs: o.engine?.privateGapMs, groupGapMs: o.engine?.groupGapMs }),
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
      const sent = await sendHtml(
        reportApi,
        r.requestedBy,
        t.pushReport({
          title: bulletinTitle(r.bulletinText),
          number: r.seq,
          delivered: r.delivered,
          removed: r.removed,
          skipped: r.skipped,
          failed: r.failed,
          seconds: seconds(r),
        }),
      );
      store.recordNewsroomMessage(sent.chat.id, sent.message_id, r.seq);
    },
    onAmendmentFinished: async (r) => {
      if (r.requestedBy === null) return;
      const t = messages(r.lang);
      const sent = await sendHtml(
        reportApi,
        r.requestedBy,
        t.amendmentReport({
          kind: r.kind,
          title: bulletinTitle(r.bulletinText),
          number: r.seq,
          done: r.done,
          gone: r.gone,
          failed: r.failed,
          superseded: r.superseded,
          seconds: seconds(r),
        }),
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
    budget,
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
      budget?.close();
      store.close();
    },
  };
}
