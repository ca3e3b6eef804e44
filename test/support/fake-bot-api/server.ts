/**
 * The fake Bot API's HTTP server on loopback: the same URLs, JSON and status codes as
 * api.telegram.org, so grammY's real client can be pointed at it with
 * `new Bot(fake.token, { client: { apiRoot: fake.apiRoot } })`.
 *
 *   success: {"ok":true,"result":...}
 *   error:   {"ok":false,"error_code":N,"description":"...","parameters":{...}} with HTTP status N
 *
 * `FakeTelegram` is what tests hold: it records calls, lets them inject failures (5xx, dropped
 * connections, 429) and chat behaviours, queues updates, and waits for conditions. The methods are
 * answered by the parts beside it: messages (methods.ts), chats (chats.ts), the command menu
 * (menu.ts), updates and the webhook (updates.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import type { UserFromGetMe } from "grammy/types";
import { Chats } from "./chats.js";
import { Faults } from "./faults.js";
import { readParams, writeJson } from "./http.js";
import { FloodLimits } from "./limits.js";
import { CommandMenu } from "./menu.js";
import { BotApiMethods, type Handler } from "./methods.js";
import { ApiError, badRequest, Described, type Params, tooMany } from "./protocol.js";
import {
  type BotCommandEntry,
  type BotCommandScopeLike,
  botUser,
  type CallbackAnswer,
  commandsKey,
  DEFAULT_BOT_USERNAME,
  DEFAULT_TOKEN,
  type FakeCall,
  type FakeStats,
  type FakeTelegramOptions,
  type InlineAnswer,
  type ObservedMessage,
  type PushUserOptions,
  type SentMessage,
  type SentPhoto,
} from "./types.js";
import { UpdateQueue } from "./updates.js";

interface Waiter {
  check: () => boolean;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** A fake Bot API on loopback (see above); `FakeTelegram.start()` listens on an ephemeral port. */
export class FakeTelegram {
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  readonly calls: FakeCall[] = [];
  readonly stats: FakeStats = { requests: 0, tooManyRequests: 0, serverErrors: 0, dropped: 0, forbidden: 0 };
  /** Number of calls per method name (every call, kept even when recordCalls is false). */
  readonly callCounts = new Map<string, number>();

  private readonly server: Server;
  private readonly recordCalls: boolean;
  private readonly latencyMs: number;
  private readonly chats: Chats;
  private readonly limits: FloodLimits;
  private readonly updates: UpdateQueue;
  private readonly methods: BotApiMethods;
  private readonly menu: CommandMenu;
  private readonly handlers = new Map<string, { name: string; fn: Handler }>();

  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private waiters: Waiter[] = [];
  private readonly faults = new Faults();

  private constructor(server: Server, apiRoot: string, opts: FakeTelegramOptions) {
    this.server = server;
    this.apiRoot = apiRoot;
    this.token = opts.token ?? DEFAULT_TOKEN;
    const recordSent = opts.recordSent ?? true;
    this.recordCalls = opts.recordCalls ?? recordSent;
    this.latencyMs = Math.max(0, opts.latencyMs ?? 0);
    const tokenId = Number(this.token.split(":")[0]);
    this.botInfo = botUser(
      opts.botId ?? (Number.isSafeInteger(tokenId) && tokenId > 0 ? tokenId : 123456),
      opts.botUsername ?? DEFAULT_BOT_USERNAME,
    );
    this.chats = new Chats(this.botInfo);
    this.limits = new FloodLimits(opts);
    this.updates = new UpdateQueue(
      this.chats,
      { ok: (res, result) => this.sendOk(res, result), error: (res, e) => this.sendError(res, e) },
      () => this.runWaiters(),
    );
    const clock = opts.clock ?? (() => performance.now());
    this.methods = new BotApiMethods({
      botInfo: this.botInfo,
      chats: this.chats,
      limits: this.limits,
      clock,
      recordSent,
      strictEntities: opts.strictHtmlEntities ?? true,
    });
    this.menu = new CommandMenu();
    const all = {
      ...this.methods.handlers(),
      ...this.chats.handlers(),
      ...this.menu.handlers(),
      ...this.updates.handlers(),
    };
    // Telegram's method names are case-insensitive.
    for (const [name, fn] of Object.entries(all)) this.handlers.set(name.toLowerCase(), { name, fn });
  }

  /** Starts a server on 127.0.0.1 with an ephemeral port. */
  static async start(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    let instance: FakeTelegram | undefined;
    const server = createServer((req, res) => {
      if (instance) void instance.onRequest(req, res);
      else res.destroy();
    });
    // Long polls and idle keep-alive sockets must not be cut by the server.
    server.keepAliveTimeout = 0;
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    instance = new FakeTelegram(server, `http://127.0.0.1:${port}`, opts);
    return instance;
  }

  // ----- counters and inspection -------------------------------------------

  /** Every successful sendMessage/editMessageText, oldest first (needs recordSent). */
  get sent(): SentMessage[] {
    return this.methods.sent;
  }

  /** Every successful sendPhoto, oldest first (needs recordSent). */
  get photos(): SentPhoto[] {
    return this.methods.photos;
  }

  /** Successful sendPhoto calls since start/reset. */
  get photoCount(): number {
    return this.methods.photoCount;
  }

  /** The photos sent to chatId (needs recordSent). */
  photosTo(chatId: number): SentPhoto[] {
    return this.methods.photosTo(chatId);
  }

  /** Successful sendMessage calls per chat (kept even when recordSent is false). */
  get deliveredPerChat(): Map<number, number> {
    return this.methods.deliveredPerChat;
  }

  /** Commands set via setMyCommands, keyed by commandsKey(scope, language_code). */
  get commands(): Map<string, BotCommandEntry[]> {
    return this.menu.commands;
  }

  get inlineAnswers(): InlineAnswer[] {
    return this.methods.inlineAnswers;
  }

  get callbackAnswers(): CallbackAnswer[] {
    return this.methods.callbackAnswers;
  }

  /** Keyboard edits (e.g. paging through a list of buttons), newest last. */
  get markupEdits(): { chat_id: number; message_id: number; reply_markup: unknown }[] {
    return this.methods.markupEdits;
  }

  /** Messages deleted with deleteMessage, oldest first. */
  get deleted(): { chat_id: number; message_id: number; at: number }[] {
    return this.methods.deleted;
  }

  /** Whether the bot deleted this message. */
  isDeleted(chatId: number, messageId: number): boolean {
    return this.methods.isDeleted(chatId, messageId);
  }

  /**
   * Makes a message the bot sent look `seconds` older: deleting one older than 48 hours answers
   * "message can't be deleted for everyone", as Telegram does.
   */
  ageMessage(chatId: number, messageId: number, seconds: number): void {
    this.methods.age(chatId, messageId, seconds);
  }

  /** Successful sendMessage calls since start/reset. */
  get sentCount(): number {
    return this.methods.sentCount;
  }

  /** Successful editMessageText calls since start/reset. */
  get editCount(): number {
    return this.methods.editCount;
  }

  /** True while a getUpdates long poll is waiting for updates. */
  get isPolling(): boolean {
    return this.updates.isPolling;
  }

  /** Updates queued and not yet confirmed through getUpdates' offset. */
  get pendingUpdates(): number {
    return this.updates.pending;
  }

  /** URL set with setWebhook, if any. */
  get webhookUrl(): string | undefined {
    return this.updates.webhookUrl;
  }

  /** Number of keys the flood limiter currently tracks (for memory checks). */
  get limiterKeys(): number {
    return this.limits.trackedKeys;
  }

  /** Successful sendMessage/editMessageText to chatId (needs recordSent). */
  sentTo(chatId: number): SentMessage[] {
    return this.methods.sentTo(chatId);
  }

  /** Commands stored for a scope and language code (empty if none). */
  getCommands(scope?: BotCommandScopeLike, languageCode?: string): BotCommandEntry[] {
    return this.commands.get(commandsKey(scope, languageCode)) ?? [];
  }

  /** Calls recorded for a method (needs recordCalls). */
  callsOf(method: string): FakeCall[] {
    const m = method.toLowerCase();
    return this.calls.filter((c) => c.method.toLowerCase() === m);
  }

  /**
   * Resolves once predicate() is true; it is re-checked when a call arrives,
   * after every answered call and after every pushed update. Rejects after
   * timeoutMs or on close().
   */
  waitUntil(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        check: predicate,
        resolve: () => {
          clearTimeout(timer);
          this.timers.delete(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          this.timers.delete(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`FakeTelegram.waitUntil: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      this.timers.add(timer);
      this.waiters.push(waiter);
    });
  }

  /** Resolves once sentCount >= count. */
  waitForSent(count: number, timeoutMs = 5000): Promise<void> {
    return this.waitUntil(() => this.sentCount >= count, timeoutMs);
  }

  // ----- behaviours ----------------------------------------------------------

  /**
   * Calls to chatId answer 403. Default description: "Forbidden: bot was
   * blocked by the user" for private chats, "Forbidden: bot was kicked from
   * the group chat" / "...supergroup chat" for negative ids.
   */
  blockChat(chatId: number, description?: string): void {
    this.chats.block(chatId, description);
  }

  unblockChat(chatId: number): void {
    this.chats.unblock(chatId);
  }

  /** Calls to chatId answer 400 "Bad Request: chat not found". */
  notFoundChat(chatId: number): void {
    this.chats.markNotFound(chatId);
  }

  /** Calls to fromId answer 400 with parameters.migrate_to_chat_id = toId. */
  migrateChat(fromId: number, toId: number): void {
    this.chats.migrate(fromId, toId);
  }

  /**
   * Administrators of chatId for getChatAdministrators/getChatMember. They
   * get status "administrator"; creatorId (added if missing) gets "creator".
   */
  setChatAdministrators(chatId: number, userIds: number[], creatorId?: number): void {
    this.chats.setAdministrators(chatId, userIds, creatorId);
  }

  /** Extra fields merged into the Chat object returned for chatId (title, username...). */
  setChatInfo(chatId: number, info: Record<string, unknown>): void {
    this.chats.setInfo(chatId, info);
  }

  /**
   * The next n calls answer with a 5xx (default 502 "Bad Gateway").
   * Pass methods to restrict the fault to some methods (e.g. "sendMessage"),
   * otherwise it also hits getUpdates of a polling bot.
   */
  failNext(n: number, status = 502, description?: string, methods?: string | string[]): void {
    this.faults.fail(n, status, description, methods);
  }

  /** The next n calls get their connection destroyed without an answer. */
  dropNext(n: number, methods?: string | string[]): void {
    this.faults.drop(n, methods);
  }

  /** The next n calls answer 429 with parameters.retry_after = retryAfter. */
  tooManyNext(n: number, retryAfter: number, methods?: string | string[]): void {
    this.faults.tooMany(n, retryAfter, methods);
  }

  /** The user deleted a message: editing it answers 400 "message to edit not found". */
  deleteMessage(chatId: number, messageId: number): void {
    this.methods.userDeletes(chatId, messageId);
  }

  /** A message too old to edit: editing it answers 400 "message can't be edited". */
  freezeMessage(chatId: number, messageId: number): void {
    this.methods.freezeMessage(chatId, messageId);
  }

  /**
   * Calls `fn` for every successful sendMessage and editMessageText (also when recordSent is off):
   * benchmarks follow what each chat shows without keeping every message. Undefined stops it.
   */
  observe(fn: ((m: ObservedMessage) => void) | undefined): void {
    this.methods.observer = fn;
  }

  /** Each chat gets a message sent earlier (its id returned), as if before the fake started: a bot may edit it. */
  pretendSent(chatIds: readonly number[]): Map<number, number> {
    return new Map(chatIds.map((id) => [id, this.chats.nextMessageId(id)]));
  }

  /** Forgets every file_id given so far: a send by one answers 400 "wrong file identifier/HTTP URL specified". */
  forgetFiles(): void {
    this.methods.forgetFiles();
  }

  // ----- updates -------------------------------------------------------------

  /** Queues an update for getUpdates; update_id is assigned if missing. Returns it. */
  pushUpdate(update: object): Record<string, unknown> {
    return this.updates.push(update);
  }

  /** Queues a text message from a user (bot_command entity added for "/cmd"). */
  pushMessage(text: string, opts: PushUserOptions = {}): Record<string, unknown> {
    return this.updates.pushMessage(text, opts);
  }

  /** Queues a callback_query update for a button press on a bot message. */
  pushCallbackQuery(
    data: string,
    opts: PushUserOptions & { messageId?: number; id?: string } = {},
  ): Record<string, unknown> {
    return this.updates.pushCallbackQuery(data, opts);
  }

  /** Queues an inline_query update. */
  pushInlineQuery(
    query: string,
    opts: Omit<PushUserOptions, "chatId"> & { id?: string; offset?: string } = {},
  ): Record<string, unknown> {
    return this.updates.pushInlineQuery(query, opts);
  }

  // ----- lifecycle -----------------------------------------------------------

  /**
   * Clears recorded data (sent, calls, stats, counters, commands, answers),
   * behaviours, injected faults, flood-limit windows and queued updates.
   * update_id and message_id counters keep increasing; a pending long poll
   * stays pending.
   */
  reset(): void {
    this.calls.length = 0;
    this.stats.requests = 0;
    this.stats.tooManyRequests = 0;
    this.stats.serverErrors = 0;
    this.stats.dropped = 0;
    this.stats.forbidden = 0;
    this.callCounts.clear();
    this.faults.clear();
    this.methods.reset();
    this.menu.reset();
    this.chats.reset();
    this.updates.reset();
    this.limits.reset();
  }

  /** Answers a pending long poll with [], then closes the server and all sockets. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.updates.close();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new Error("FakeTelegram closed"));
    this.closing = new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      setImmediate(() => this.server.closeAllConnections());
    });
    return this.closing;
  }

  // ----- HTTP plumbing -------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests++;
    try {
      await this.handle(req, res);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, "Internal Server Error");
      this.sendError(res, e);
    }
    this.runWaiters();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const m = /^\/bot([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
    if (!m) {
      req.resume();
      throw new ApiError(404, "Not Found");
    }
    if (decodeURIComponent(m[1] ?? "") !== this.token) {
      req.resume();
      throw new ApiError(401, "Unauthorized");
    }
    const requested = m[2] ?? "";
    const handler = this.handlers.get(requested.toLowerCase());
    const method = handler?.name ?? requested;

    let params: Params;
    let parseFailure: ApiError | undefined;
    try {
      params = await readParams(req, url);
    } catch (err) {
      params = {};
      parseFailure = err instanceof ApiError ? err : badRequest("invalid request body");
    }

    this.callCounts.set(method, (this.callCounts.get(method) ?? 0) + 1);
    if (this.recordCalls) this.calls.push({ method, params, at: Date.now() });
    this.runWaiters();

    if (parseFailure) throw parseFailure;
    if (!handler) throw new ApiError(404, "Not Found");

    if (this.latencyMs > 0) {
      await this.delay(this.latencyMs);
      if (res.destroyed) return;
    }
    if (this.closed && method !== "getUpdates") throw new ApiError(502, "Bad Gateway");

    const fault = this.faults.take(method);
    if (fault) {
      if (fault.kind === "drop") {
        this.stats.dropped++;
        req.socket.destroy();
        return;
      }
      if (fault.kind === "fail") throw new ApiError(fault.status, fault.description);
      throw tooMany(fault.retryAfter);
    }

    if (method === "getUpdates") {
      this.updates.getUpdates(params, res);
      return;
    }
    const result = handler.fn(params);
    if (result instanceof Described) this.sendOk(res, result.result, result.description);
    else this.sendOk(res, result);
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private sendOk(res: ServerResponse, result: unknown, description?: string): void {
    const body: Record<string, unknown> = { ok: true, result };
    if (description !== undefined) body.description = description;
    writeJson(res, 200, body);
  }

  private sendError(res: ServerResponse, e: ApiError): void {
    if (e.code === 429) this.stats.tooManyRequests++;
    else if (e.code >= 500) this.stats.serverErrors++;
    else if (e.code === 403) this.stats.forbidden++;
    const body: Record<string, unknown> = { ok: false, error_code: e.code, description: e.description };
    if (e.parameters) body.parameters = e.parameters;
    writeJson(res, e.code, body);
  }

  private runWaiters(): void {
    if (this.waiters.length === 0) return;
    const remaining: Waiter[] = [];
    for (const w of this.waiters) {
      let done = false;
      try {
        done = w.check();
      } catch {
        done = false;
      }
      if (done) w.resolve();
      else remaining.push(w);
    }
    this.waiters = remaining;
  }
}
