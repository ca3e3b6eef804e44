/**
 * Wiring: data pack, store, delivery engine, publisher, bot, the data-pack watcher and, when
 * ELIGENDO_DATE is set, the Ministry's live feed with its automatic bulletins.
 * Shared by the Telegram runtime, the terminal chat, the tests and the benchmarks.
 */

import { Api, type ApiClientOptions, type Bot, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import cron, { type ScheduledTask } from "node-cron";
import { type App, NewsroomJournal } from "./app.js";
import type { BotContext } from "./bot/context.js";
import { feedNewsroom } from "./bot/features/feed.js";
import { type CreateBotOptions, createBot } from "./bot/index.js";
import { liveCardButtons } from "./bot/keyboards.js";
import { sendHtml } from "./bot/reply.js";
import { changedComuni } from "./cards/changes.js";
import { LiveCards } from "./cards/live/index.js";
import { renderLiveCard } from "./cards/render.js";
import { ChartCache, closeRenderer } from "./charts/index.js";
import { Cluster, type ClusterOptions, type Duty } from "./cluster/cluster.js";
import type { ComuneCode, ComuneIdentity } from "./data/model.js";
import { codeOf, namesProvince } from "./data/places.js";
import { ResultsSource } from "./data/results-source.js";
import { DataSource } from "./data/source.js";
import { BotApiPool, type SendPath } from "./delivery/bot-api/index.js";
import { SendBudget } from "./delivery/budget/index.js";
import { DeliveryEngine, type EngineOptions } from "./delivery/engine/index.js";
import { Pacer } from "./delivery/pacer.js";
import { Publisher } from "./delivery/publisher.js";
import { isQuietAt } from "./delivery/quiet.js";
import { performer, relayTransformer } from "./delivery/relay-transformer.js";
import { budgetTransformer } from "./delivery/reply-transformer.js";
import type { FeedSettings } from "./feed/config.js";
import { FeedDesk, type FeedDeskOptions } from "./feed/desk.js";
import { feedComuneCode } from "./feed/discovery.js";
import { messages } from "./i18n/index.js";
import type { Logger } from "./logger.js";
import { PgRelay } from "./store/postgres/relay.js";
import { PostgresStore } from "./store/postgres.js";
import { SqliteStore } from "./store/sqlite.js";
import type { Storage, Store } from "./store/store.js";
import { bulletinBlock, bulletinTitle } from "./views/bulletins.js";
import { withComuneNames } from "./views/common.js";

export interface RuntimeOptions {
  token: string;
  apiRoot?: string;
  dataDir: string;
  databasePath: string;
  /**
   * PostgreSQL (DATABASE_URL): the store shared by every instance of the bot, which then coordinate
   * (see src/cluster/); without it, SQLite at databasePath, one process.
   */
  databaseUrl?: string;
  /** Several instances: the leases' length, the heartbeat, how often a non-leader takes the feed's figures. */
  cluster?: Pick<ClusterOptions, "leaseTtlMs" | "heartbeatMs" | "id"> & {
    followEveryMs?: number;
    /** How long an outbox row stays claimed by the instance sending it (default 10 s): a dead instance's rows go to another after it. */
    claimLeaseMs?: number;
  };
  /**
   * Long polling with several instances: what the instance holding the `updates` lease does (poll
   * Telegram), started and stopped as the lease comes and goes.
   */
  updates?: Duty;
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
  /**
   * Several instances (SEND_BUDGET): "shared", each sends at its share of sendRate, by demand (default;
   * see cluster/membership.ts); "equal", 1/n each (the earlier split, for comparison); "single",
   * experimental: the leader sends everything at the whole sendRate, the others hand it their counted
   * calls through the database (delivery/relay-transformer.ts) and send no pushes.
   */
  sendBudgetMode?: "shared" | "equal" | "single";
  /** Cron expression for re-reading the data pack; undefined = no watcher. */
  pollCron?: string;
  logger: Logger;
  botInfo?: UserFromGetMe;
  /** Installed on every API instance (terminal chat, tests). */
  transformers?: Transformer[];
  now?: () => Date;
  engine?: Partial<
    Pick<EngineOptions, "concurrency" | "maxAttempts" | "backoffMs" | "progressEveryMs" | "acknowledge">
  > & {
    /** Per-chat gaps, for every message the bot sends (replies too). */
    privateGapMs?: number;
    groupGapMs?: number;
  };
  /** Per-request timeout of Bot API calls, seconds. */
  timeoutSeconds?: number;
  /**
   * How the delivery engine reaches the Bot API (SEND_PATH): "pool", its own undici Pool
   * (src/delivery/bot-api/), or "grammy", grammY's client as for everything else. Default "pool";
   * with `transformers` given (an in-process Bot API) always "grammy".
   */
  sendPath?: SendPath;
  /**
   * Connections of the "pool" path (SEND_CONNECTIONS). Default: as many as the engine keeps sends in
   * flight (its concurrency: half of sendRate, 8 to 512). The engine never keeps more in flight than
   * there are connections: a send taken from the pacer leaves at once, never queued behind others
   * for a connection, which would bunch them and draw 429s.
   */
  sendConnections?: number;
  /** See CreateBotOptions. */
  sequential?: boolean;
  rateLimit?: CreateBotOptions["rateLimit"];
  /** The Ministry's live feed (ELIGENDO_*); undefined = off. */
  feed?: FeedSettings;
  /** Tests, benchmarks and the replay: the feed's client, clocks and paces, and a simulated night's label. */
  feedOptions?: Pick<FeedDeskOptions, "live" | "progressEveryMs"> & {
    /** Replaces "Ministero dell'Interno" on cards, and marks every bulletin as simulated. */
    simulationLabel?: string;
  };
}

export interface Runtime {
  bot: Bot<BotContext>;
  app: App;
  store: Store;
  /** The results the views read: the pack's, with the feed's over them. */
  data: ResultsSource;
  engine: DeliveryEngine;
  /** The Ministry's feed and its bulletins, when configured. */
  feed?: FeedDesk;
  publisher: Publisher;
  /** The one send budget (undefined with sendBudget: false). */
  budget?: SendBudget;
  /** The live cards: call `liveCards.changed(comuneKey)` when a comune's figures change. */
  liveCards: LiveCards;
  /** Re-reads the data pack now (what the watcher does on each tick). */
  poll(): Promise<void>;
  /** Several instances on PostgreSQL: this one among them (leases, heartbeat); undefined on SQLite. */
  cluster?: Cluster;
  /** Starts the delivery engine, the watcher and the feed (not the update source). */
  start(): void;
  /** Stops the watcher and the engine (parking what is in flight) and closes the store. */
  stop(): Promise<void>;
}

export async function createRuntime(o: RuntimeOptions): Promise<Runtime> {
  const now = o.now ?? (() => new Date());
  const packSource = await DataSource.open(o.dataDir, o.logger);
  // A claimed row is renewed when its send starts (isDue): the claim must outlast one request, so with
  // several instances a broadcast request gives up before it expires (see `broadcastApi`).
  const claimLeaseMs = o.cluster?.claimLeaseMs ?? 10_000;
  // An older database kept comuni by name: the upgrade maps them to codes through the comuni index.
  const store: SqliteStore | PostgresStore = o.databaseUrl
    ? await PostgresStore.open(o.databaseUrl, {
        clock: () => now().getTime(),
        logger: o.logger,
        applicationName: "elezioni-bot",
        leaseMs: claimLeaseMs,
        ...(o.cluster?.id ? { instance: o.cluster.id } : {}),
      })
    : new SqliteStore(o.databasePath, () => now().getTime(), undefined, {
        comuni: (s) => {
          const pack = packSource.current();
          const hits = /^\d{9}$/.test(s) ? [pack.byKey(s)].filter((c) => c !== undefined) : pack.index.exactly(s);
          return hits.map((c) => ({ code: codeOf(c), label: c.label }));
        },
        logger: o.logger,
      });
  const shared = store.shared;
  const client: ApiClientOptions = {
    ...(o.apiRoot ? { apiRoot: o.apiRoot } : {}),
    timeoutSeconds: o.timeoutSeconds ?? 30,
  };

  // One budget for everything the bot sends (src/delivery/budget/): replies first, the
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
  const broadcastTimeoutSeconds = store.shared
    ? Math.min(client.timeoutSeconds ?? 30, Math.max(1, claimLeaseMs / 1000 - 2))
    : client.timeoutSeconds;
  const broadcastApi = new Api(o.token, { ...client, timeoutSeconds: broadcastTimeoutSeconds });
  const reportApi = new Api(o.token, client);
  if (budget) reportApi.config.use(budgetTransformer(budget, "newsroom"));
  for (const t of o.transformers ?? []) {
    broadcastApi.config.use(t);
    reportApi.config.use(t);
  }

  // SEND_BUDGET=single (experimental): only the leader sends; the others hand it their counted calls.
  let cluster: Cluster | undefined;
  const relay =
    budget && store instanceof PostgresStore && o.sendBudgetMode === "single"
      ? new PgRelay(store.db, {
          instance: o.cluster?.id ?? store.instance,
          logger: o.logger,
          maxAgeMs: o.replyMaxWaitMs ?? 60_000,
        })
      : undefined;
  const relayed = (cls: "reply" | "newsroom") =>
    relay &&
    relayTransformer({
      relay,
      cls,
      sending: () => cluster?.isLeader ?? false,
      timeoutMs: (o.replyMaxWaitMs ?? 60_000) + (client.timeoutSeconds ?? 30) * 1000 + 5_000,
    });
  const reportRelay = relayed("newsroom");
  if (reportRelay) reportApi.config.use(reportRelay);

  const render = async (seq: number, lang: "it" | "en") => {
    const b = await store.bulletin(seq);
    // Its comuni named from the merged results: a comune of the feed that the index lacks is found there.
    return (
      b &&
      bulletinBlock(withComuneNames(b, data.current()), messages(lang), now(), packSource.current().election.timezone)
    );
  };

  /** How long a push or an amendment took, for its report: "1,5" in Italian, "1.5" in English. */
  const seconds = (r: { startedAt: number; finishedAt: number | null; lang: "it" | "en" }) => {
    const s = (((r.finishedAt ?? r.startedAt) - r.startedAt) / 1000).toFixed(1);
    return r.lang === "it" ? s.replace(".", ",") : s;
  };

  // Live cards: edits on their own Api instance, at the budget's lowest priority (src/cards/).
  const cardApi = new Api(o.token, client);
  for (const t of o.transformers ?? []) cardApi.config.use(t);
  const cardStore = store.cards;
  const liveCards = new LiveCards({
    store: cardStore,
    lane:
      budget?.cards ??
      new Pacer({ perSecond: o.sendRate, privateGapMs: o.engine?.privateGapMs, groupGapMs: o.engine?.groupGapMs }),
    api: {
      send: (chatId, card, signal) =>
        cardApi.sendMessage(
          chatId,
          card.html,
          {
            parse_mode: "HTML",
            disable_notification: true,
            link_preview_options: { is_disabled: true },
            ...(card.keyboard ? { reply_markup: card.keyboard } : {}),
          },
          signal as Parameters<typeof cardApi.sendMessage>[3],
        ),
      edit: (chatId, messageId, card, signal) =>
        cardApi.editMessageText(
          chatId,
          messageId,
          card.html,
          {
            parse_mode: "HTML",
            link_preview_options: { is_disabled: true },
            ...(card.keyboard ? { reply_markup: card.keyboard } : {}),
          },
          signal as Parameters<typeof cardApi.editMessageText>[4],
        ),
    },
    resolve: (key) => {
      const c = data.current().byKey(key);
      return c && codeOf(c);
    },
    render: (comune, lang) => renderLiveCard(data.current(), comune, lang, now(), liveCardButtons),
    logger: o.logger,
    now: () => now().getTime(),
    onChatGone: async (chatId) => {
      await store.removeChat(chatId);
    },
    onChatMigrated: (from, to) => store.migrateChat(from, to),
  });
  // A push arriving in the chat's quiet hours (on the election's clock) goes out without sound.
  const quiet = async (chatId: number) => {
    const q = await store.quietHoursOf(chatId);
    return q !== undefined && isQuietAt(q, now(), packSource.current().election.timezone);
  };

  // The engine's sends, edits and deletions: on its own connection pool, or through grammY (SEND_PATH).
  const concurrency = o.engine?.concurrency ?? Math.min(512, Math.max(8, Math.ceil(o.sendRate / 2)));
  const connections = o.sendConnections ?? concurrency;
  const pool =
    (o.sendPath ?? "pool") === "pool" && !o.transformers?.length
      ? new BotApiPool({
          token: o.token,
          apiRoot: o.apiRoot,
          connections,
          // With several instances a request gives up before its claim expires (see claimLeaseMs).
          timeoutSeconds: broadcastTimeoutSeconds,
          paidBroadcast: o.paidBroadcast,
        })
      : undefined;
  const engineApi: Pick<EngineOptions, "send" | "amend"> = pool
    ? {
        send: async (chatId, html, signal) => pool.sendMessage(chatId, html, { silent: await quiet(chatId) }, signal),
        // A correction edits the copy in place; a withdrawal deletes it.
        amend: (job, html, signal) =>
          html === undefined
            ? pool.deleteMessage(job.chatId, job.messageId, signal)
            : pool.editMessageText(job.chatId, job.messageId, html, signal),
      }
    : {
        send: async (chatId, html, signal) =>
          broadcastApi.sendMessage(
            chatId,
            html,
            {
              parse_mode: "HTML",
              link_preview_options: { is_disabled: true },
              ...((await quiet(chatId)) ? { disable_notification: true } : {}),
              ...(o.paidBroadcast ? { allow_paid_broadcast: true } : {}),
            },
            signal as Parameters<typeof broadcastApi.sendMessage>[3],
          ),
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
      };

  let engine: DeliveryEngine;
  const publisher = new Publisher(store, { wake: () => engine.wake() }, o.logger, now);
  // The feed polls first the comuni people asked about: the results source knows them.
  const asked = { recently: (_code: string) => false };
  const feed =
    o.feed && (await createFeed(o, o.feed, packSource, store, publisher, reportApi, now, (c) => asked.recently(c)));
  const data = new ResultsSource(packSource, feed?.live, {
    logger: o.logger,
    now,
    ...(o.feedOptions?.simulationLabel ? { sourceLabel: o.feedOptions.simulationLabel } : {}),
  });
  asked.recently = (code) => data.recentlyAsked(code);
  const app: App = {
    data,
    store,
    publisher,
    logger: o.logger,
    adminIds: o.adminIds,
    now,
    ...(budget ? { sendStats: () => budget.stats() } : {}),
    ...(feed ? { feed } : {}),
    charts: new ChartCache(),
    journal: new NewsroomJournal(),
    cards: { live: liveCards, store: cardStore },
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
  const replyRelay = relayed("reply");
  if (replyRelay) bot.api.config.use(replyRelay);
  // The leader performs the calls handed to it on APIs of its own, in their class of its budget.
  const perform =
    relay && budget
      ? performer({
          reply: budgetedApi(o.token, client, budgetTransformer(budget, "reply"), o.transformers),
          newsroom: budgetedApi(o.token, client, budgetTransformer(budget, "newsroom"), o.transformers),
        })
      : undefined;

  engine = new DeliveryEngine({
    store,
    logger: o.logger,
    pacer:
      budget?.push ??
      new Pacer({ perSecond: o.sendRate, privateGapMs: o.engine?.privateGapMs, groupGapMs: o.engine?.groupGapMs }),
    render: (d) => render(d.seq, d.lang),
    ...engineApi,
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
          possiblyDuplicated: r.possiblyDuplicated,
          seconds: seconds(r),
        }),
      );
      await store.recordNewsroomMessage(sent.chat.id, sent.message_id, r.seq);
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
      await store.recordNewsroomMessage(sent.chat.id, sent.message_id, r.seq);
    },
    // Several instances: claim no more than half a claim's length of sends at a time, so that what an
    // instance claims it sends before the claim expires (the rest would pass to another instance).
    ...(store.shared ? { batchSize: Math.max(16, Math.ceil((o.sendRate * claimLeaseMs) / 4000)) } : {}),
    ...o.engine,
    ...(pool ? { concurrency: Math.min(concurrency, connections) } : {}),
  });

  // With several instances the leader syncs the pack (see start): two first syncs at once would race.
  if (!shared) await publisher.syncPack(packSource.current());

  // A comune moved by the Ministry's feed moves its live cards too.
  // With several instances only the leader edits live cards: the others would edit the same ones again.
  let leading = !shared;
  data.onComuneChanged((key) => {
    if (leading) liveCards.changed(key);
  });

  // The pack's change is taken in only once its bulletins are stored: a failed sync is retried on the next poll.
  // Comuni whose results changed (a results edit) move their live cards.
  const poll = async () => {
    const before = data.current();
    const r = await data.reload({
      apply: async (pack) => {
        await publisher.syncPack(pack);
      },
    });
    if (r.status === "reloaded") for (const key of changedComuni(before, r.pack)) liveCards.changed(key);
  };

  let task: ScheduledTask | undefined;
  const startWatcher = () => {
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
  };
  const stopWatcher = async () => {
    await task?.stop();
    await task?.destroy();
    task = undefined;
  };

  // Several instances on one database: each sends from the shared outbox with its share of the limit;
  // the leader polls the feed, edits live cards and watches the data pack; the others follow its figures.
  let follower: NodeJS.Timeout | undefined;
  let following = false;
  let engineTimer: NodeJS.Timeout | undefined;
  if (shared) {
    cluster = new Cluster({
      coordination: store.coordination,
      logger: o.logger,
      ...(o.cluster?.id ? { id: o.cluster.id } : { id: store.instance }),
      ...(o.cluster?.leaseTtlMs !== undefined ? { leaseTtlMs: o.cluster.leaseTtlMs } : {}),
      ...(o.cluster?.heartbeatMs !== undefined ? { heartbeatMs: o.cluster.heartbeatMs } : {}),
      // With one sender it takes the whole limit: the others send nothing but through it.
      ...(relay
        ? {}
        : o.sendBudgetMode === "equal"
          ? { onCount: (n: number) => budget?.setShare(1 / n) }
          : { waiting: () => budget?.stats().queued ?? 0, onShare: (share: number) => budget?.setShare(share) }),
      leader: {
        gained: async () => {
          leading = true;
          if (relay && perform) {
            await relay.serve(perform);
            engine.start();
          }
          await poll();
          await feed?.lead();
          await liveCards.start();
          startWatcher();
        },
        lost: async () => {
          leading = false;
          if (relay) await Promise.all([relay.unserve(), engine.stop()]);
          await stopWatcher();
          await Promise.all([feed?.yieldLead(), liveCards.stop()]);
        },
      },
      ...(o.updates ? { updates: o.updates } : {}),
    });
    app.cluster = cluster;
  }

  return {
    bot,
    app,
    store,
    data,
    engine,
    publisher,
    budget,
    ...(feed ? { feed } : {}),
    liveCards,
    ...(cluster ? { cluster } : {}),
    poll,
    start() {
      if (!cluster) {
        engine.start();
        feed?.start();
        liveCards.start().catch((err: unknown) => o.logger.error({ err }, "live cards: start failed"));
        startWatcher();
        return;
      }
      const c = cluster;
      c.start()
        .then(() => {
          // A newcomer sends pushes only once every other instance counts it (and lowered its share).
          // With one sender, the leader's duty starts and stops the engine.
          if (!relay) engineTimer = setTimeout(() => engine.start(), c.membership.warmUpMs);
        })
        .catch((err: unknown) => o.logger.error({ err }, "cluster: could not join"));
      const every = o.cluster?.followEveryMs ?? 2_000;
      follower = setInterval(() => {
        if (leading || following || !feed) return;
        following = true;
        feed
          .follow()
          .catch((err: unknown) => o.logger.warn({ err }, "feed: could not read the leader's figures"))
          .finally(() => (following = false));
      }, every);
      follower.unref();
    },
    async stop() {
      clearInterval(follower);
      clearTimeout(engineTimer);
      await cluster?.stop(); // the leader's duties stop with its lease, handing the feed over
      await relay?.close();
      await stopWatcher();
      if (!cluster) await feed?.stop();
      await Promise.all([engine.stop(), liveCards.stop()]);
      await pool?.close();
      budget?.close();
      await closeRenderer();
      await store.close();
    },
  };
}

/** An Api whose counted calls go through the budget (in the class of `budgeted`), then `transformers`. */
function budgetedApi(
  token: string,
  client: ApiClientOptions,
  budgeted: Transformer,
  transformers?: Transformer[],
): Api {
  const api = new Api(token, client);
  api.config.use(budgeted, ...(transformers ?? []));
  return api;
}

/**
 * The feed's desk: the poller over the pack's comuni index, the anomaly gate and the automatic bulletins,
 * polling first the comuni people follow or asked about in the last minutes, then the capoluoghi.
 */
async function createFeed(
  o: RuntimeOptions,
  settings: FeedSettings,
  packSource: DataSource,
  store: Storage,
  publisher: Publisher,
  reportApi: Api,
  now: () => Date,
  recentlyAsked: (code: string) => boolean,
): Promise<FeedDesk> {
  const pack = packSource.current();
  if (pack.election.firstRoundDate !== settings.date)
    o.logger.warn(
      { pack: pack.election.firstRoundDate, feed: settings.date },
      "feed: ELIGENDO_DATE is not the data pack's election day; cards show the feed's dates",
    );
  const index: ComuneIdentity[] = pack.known.flatMap((k) =>
    k.istat && k.provinceName && k.eligendo
      ? [
          {
            istat: k.istat,
            name: k.name,
            province: k.province,
            provinceName: k.provinceName,
            region: k.region,
            eligendo: k.eligendo,
          },
        ]
      : [],
  );
  const feedStore = store.feed;
  // Followed comuni, re-read at the start of a cycle at most every 30 s (the first cycle reads them): the
  // priority is asked, synchronously, for every comune of each cycle.
  let followed = { at: Number.NEGATIVE_INFINITY, codes: new Set<ComuneCode>() };
  const readFollowed = async () => {
    const t = Date.now();
    if (t - followed.at > 30_000) followed = { at: t, codes: await feedStore.followedComuni() };
  };
  const isFollowed = (code: ComuneCode) => followed.codes.has(code);
  const desk = await FeedDesk.open({
    settings,
    index,
    pack: () => {
      const p = packSource.current();
      return {
        rules: p.election.rules,
        turnout: p.turnout,
        firstRoundDate: p.election.firstRoundDate,
        runoffDate: p.election.runoffDate,
      };
    },
    store: feedStore,
    publish: (input) => publisher.publishAutomatic(input),
    newsroom: feedNewsroom(reportApi, o.adminIds, o.logger, now, packSource),
    label: (c) => packSource.current().byKey(c.code)?.label ?? c.name,
    councilContext: (c) => {
      const k = packSource.current().byKey(c.code);
      return {
        capoluogo: k?.capoluogo === true || (k !== undefined && namesProvince(k)),
        ...(k?.population !== undefined ? { population: k.population } : {}),
      };
    },
    logger: o.logger,
    now,
    beforeCycle: readFollowed,
    priority: (c) => {
      if (isFollowed(feedComuneCode(c))) return 3;
      if (recentlyAsked(c.code)) return 2;
      const k = packSource.current().byKey(c.code);
      return k?.capoluogo || (k && namesProvince(k)) ? 1 : 0;
    },
    ...(o.feedOptions?.live ? { live: o.feedOptions.live } : {}),
    ...(o.feedOptions?.progressEveryMs !== undefined ? { progressEveryMs: o.feedOptions.progressEveryMs } : {}),
    ...(o.feedOptions?.simulationLabel ? { simulated: true } : {}),
  });
  return desk;
}
