/**
 * Updates for the bot: the queue tests fill (`pushMessage`, `pushCallbackQuery`…), getUpdates with
 * long polling, offsets and allowed_updates as Telegram handles them, and the webhook setting that
 * makes getUpdates answer 409.
 */
import type { ServerResponse } from "node:http";
import type { Chats } from "./chats.js";
import {
  ApiError,
  badRequest,
  boolParam,
  Described,
  intParam,
  jsonParam,
  type Params,
  stringParam,
} from "./protocol.js";
import type { PushUserOptions } from "./types.js";

/** How the queue answers a held long poll: through the server's writer. */
export interface Responder {
  ok(res: ServerResponse, result: unknown): void;
  error(res: ServerResponse, e: ApiError): void;
}

interface PendingPoll {
  res: ServerResponse;
  limit: number;
  timer: NodeJS.Timeout;
}

/** Telegram leaves these out unless allowed_updates names them. */
const DEFAULT_EXCLUDED_UPDATES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export class UpdateQueue {
  private updates: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private poll: PendingPoll | undefined;
  private allowedUpdates: Set<string> | undefined;
  private webhook: { url: string; params: Params } | undefined;
  private nextCallbackId = 1;
  private closed = false;

  constructor(
    private readonly chats: Chats,
    private readonly respond: Responder,
    /** Called after every queued update (the fake re-checks its waiters). */
    private readonly onQueued: () => void,
  ) {}

  /** True while a getUpdates long poll is waiting for updates. */
  get isPolling(): boolean {
    return this.poll !== undefined;
  }

  /** Updates queued and not yet confirmed through getUpdates' offset. */
  get pending(): number {
    return this.updates.length;
  }

  get webhookUrl(): string | undefined {
    return this.webhook?.url;
  }

  /** getUpdates (answered by the server through `getUpdates`, which may hold the response) and the webhook methods. */
  handlers(): Record<string, (p: Params) => unknown> {
    return {
      deleteWebhook: (p) => this.deleteWebhook(p),
      setWebhook: (p) => this.setWebhook(p),
      getWebhookInfo: () => this.getWebhookInfo(),
      // Listed so that the name is known; the server calls getUpdates() with the response instead.
      getUpdates: () => [],
    };
  }

  // ----- queueing ------------------------------------------------------------

  /** Queues an update for getUpdates; update_id is assigned if missing. Returns it. */
  push(update: object): Record<string, unknown> {
    const u = { ...(update as Record<string, unknown>) };
    const given = intParam(u.update_id);
    if (given === undefined) u.update_id = this.nextUpdateId++;
    else {
      u.update_id = given;
      if (given >= this.nextUpdateId) this.nextUpdateId = given + 1;
    }
    const last = this.updates[this.updates.length - 1];
    this.updates.push(u);
    if (last !== undefined && (last.update_id as number) > (u.update_id as number)) {
      this.updates.sort((a, b) => (a.update_id as number) - (b.update_id as number));
    }
    this.servePendingPoll();
    this.onQueued();
    return u;
  }

  /** Queues a text message from a user (bot_command entity added for "/cmd"). */
  pushMessage(text: string, opts: PushUserOptions = {}): Record<string, unknown> {
    const from = this.chats.userObject(opts);
    const chatId = opts.chatId ?? from.id;
    const message: Record<string, unknown> = {
      message_id: this.chats.nextMessageId(chatId),
      from,
      chat: this.chats.chatObject(chatId, from),
      date: Math.floor(Date.now() / 1000),
      text,
    };
    const cmd = /^\/[^\s]+/.exec(text);
    if (cmd) message.entities = [{ type: "bot_command", offset: 0, length: cmd[0].length }];
    return this.push({ message });
  }

  /** Queues a callback_query update for a button press on a bot message. */
  pushCallbackQuery(
    data: string,
    opts: PushUserOptions & { messageId?: number; id?: string } = {},
  ): Record<string, unknown> {
    const from = this.chats.userObject(opts);
    const chatId = opts.chatId ?? from.id;
    const callback_query = {
      id: opts.id ?? String(this.nextCallbackId++),
      from,
      chat_instance: String(chatId),
      data,
      message: {
        message_id: opts.messageId ?? this.chats.lastMessageId(chatId) ?? 1,
        from: this.chats.botUser(),
        chat: this.chats.chatObject(chatId, from),
        date: Math.floor(Date.now() / 1000),
        text: "",
      },
    };
    return this.push({ callback_query });
  }

  /** Queues an inline_query update. */
  pushInlineQuery(
    query: string,
    opts: Omit<PushUserOptions, "chatId"> & { id?: string; offset?: string } = {},
  ): Record<string, unknown> {
    const inline_query = {
      id: opts.id ?? String(this.nextCallbackId++),
      from: this.chats.userObject(opts),
      query,
      offset: opts.offset ?? "",
      chat_type: "private",
    };
    return this.push({ inline_query });
  }

  // ----- getUpdates ----------------------------------------------------------

  /** Answers getUpdates now, or holds the response until updates arrive or the timeout ends. */
  getUpdates(params: Params, res: ServerResponse): void {
    if (this.webhook) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = intParam(params.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, intParam(params.limit) ?? 100));
    const timeout = Math.max(0, Number(params.timeout ?? 0) || 0);
    const allowed = jsonParam(params.allowed_updates);
    if (Array.isArray(allowed)) {
      this.allowedUpdates = allowed.length > 0 ? new Set(allowed.map(String)) : undefined;
    }
    this.confirm(offset);

    // A second poller: Telegram ends the first one's request with 409.
    const previous = this.poll;
    if (previous) {
      this.poll = undefined;
      clearTimeout(previous.timer);
      this.respond.error(
        previous.res,
        new ApiError(
          409,
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        ),
      );
    }

    const batch = this.takeBatch(limit);
    if (batch.length > 0 || timeout === 0 || this.closed) {
      this.respond.ok(res, batch);
      return;
    }
    const timer = setTimeout(() => {
      if (this.poll === pending) {
        this.poll = undefined;
        this.respond.ok(res, []);
      }
    }, timeout * 1000);
    const pending: PendingPoll = { res, limit, timer };
    this.poll = pending;
    res.on("close", () => {
      if (this.poll === pending) {
        this.poll = undefined;
        clearTimeout(timer);
      }
    });
  }

  private confirm(offset: number): void {
    if (offset > 0) {
      let idx = 0;
      while (idx < this.updates.length && (this.updates[idx]?.update_id as number) < offset) idx++;
      if (idx > 0) this.updates.splice(0, idx);
    } else if (offset < 0) {
      const keep = -offset;
      if (this.updates.length > keep) this.updates.splice(0, this.updates.length - keep);
    }
  }

  private allowed(u: Record<string, unknown>): boolean {
    for (const key of Object.keys(u)) {
      if (key === "update_id") continue;
      return this.allowedUpdates ? this.allowedUpdates.has(key) : !DEFAULT_EXCLUDED_UPDATES.has(key);
    }
    return true;
  }

  private takeBatch(limit: number): Record<string, unknown>[] {
    const before = this.updates.length;
    this.updates = this.updates.filter((u) => this.allowed(u));
    if (this.updates.length === before && before === 0) return [];
    return this.updates.slice(0, limit);
  }

  private servePendingPoll(): void {
    const p = this.poll;
    if (!p) return;
    const batch = this.takeBatch(p.limit);
    if (batch.length === 0) return;
    this.poll = undefined;
    clearTimeout(p.timer);
    this.respond.ok(p.res, batch);
  }

  // ----- webhook -------------------------------------------------------------

  deleteWebhook(p: Params): Described {
    if (boolParam(p.drop_pending_updates)) this.updates = [];
    const had = this.webhook !== undefined;
    this.webhook = undefined;
    return new Described(true, had ? "Webhook was deleted" : "Webhook is already deleted");
  }

  setWebhook(p: Params): Described {
    const url = stringParam(p.url) ?? "";
    if (boolParam(p.drop_pending_updates)) this.updates = [];
    if (url === "") {
      const had = this.webhook !== undefined;
      this.webhook = undefined;
      return new Described(true, had ? "Webhook was deleted" : "Webhook is already deleted");
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest("bad webhook: Failed to resolve host: Name or service not known");
    }
    if (parsed.protocol !== "https:") throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    const same = this.webhook?.url === url;
    this.webhook = { url, params: p };
    return new Described(true, same ? "Webhook is already set" : "Webhook was set");
  }

  getWebhookInfo(): Record<string, unknown> {
    const info: Record<string, unknown> = {
      url: this.webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: this.updates.length,
    };
    if (this.webhook) {
      info.max_connections = intParam(this.webhook.params.max_connections) ?? 40;
      info.ip_address = "127.0.0.1";
      const allowed = jsonParam(this.webhook.params.allowed_updates);
      if (Array.isArray(allowed)) info.allowed_updates = allowed;
    }
    return info;
  }

  // ----- lifecycle -----------------------------------------------------------

  /** Forgets queued updates, allowed_updates and the webhook; update ids keep increasing; a held poll stays held. */
  reset(): void {
    this.updates = [];
    this.allowedUpdates = undefined;
    this.webhook = undefined;
  }

  /** Answers a held long poll with [] and every later getUpdates at once. */
  close(): void {
    this.closed = true;
    const p = this.poll;
    if (p) {
      this.poll = undefined;
      clearTimeout(p.timer);
      this.respond.ok(p.res, []);
    }
  }
}
