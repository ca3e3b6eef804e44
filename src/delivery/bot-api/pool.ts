/**
 * The delivery engine's own HTTP path to the Bot API: sendMessage, editMessageText and deleteMessage on
 * one undici `Pool` (keep-alive, a fixed number of connections), with the JSON body put together by
 * hand and the HTML's JSON string made once per text. Everything else the bot sends goes through
 * grammY. Its failures are grammY's own error types, built as grammY builds them, so classify.ts reads
 * both paths alike: `GrammyError` for an answer with `ok: false` (429 retry_after, 403, 400
 * migrate_to_chat_id…), `HttpError` for a request that got no JSON answer (refused, reset, timed out,
 * aborted, a proxy's HTML error page).
 *
 * Why undici and not Node's fetch: Node 20's fetch is undici inside, but its `Pool` (and the keep-alive,
 * connection count and per-request timeouts it takes) is not exported; fetch also builds a WHATWG
 * Request, Headers and Response per call, which is most of what the profile showed of grammY's client.
 */
import { GrammyError, HttpError } from "grammy";
import { Pool } from "undici";
import type { Html } from "../../format/html.js";
import { AbortFanOut } from "./abort-fanout.js";

export interface BotApiPoolOptions {
  token: string;
  /** As grammY's `client.apiRoot` (the fakes use it); default https://api.telegram.org. */
  apiRoot?: string;
  /** Connections kept open to the Bot API (each carries one request at a time); default 32 (the runtime gives the engine's concurrency). */
  connections?: number;
  /** Per-request timeout, seconds (for the answer's headers, then again for its body); default 30. */
  timeoutSeconds?: number;
  /** Every sendMessage carries allow_paid_broadcast. */
  paidBroadcast?: boolean;
}

/** What the Bot API answers: `result` when ok, else Telegram's error. */
interface ApiResponse {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

const DEFAULT_ROOT = "https://api.telegram.org";
const HEADERS = { "content-type": "application/json", connection: "keep-alive" };

/** The undici `Pool` behind the engine's three Bot API methods. */
export class BotApiPool {
  private readonly pool: Pool;
  /** `/bot<token>/`: never logged, never in an error (see HttpError below). */
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly sendTail: string;
  private readonly sendTailQuiet: string;
  /**
   * The JSON strings of the last few texts: a bulletin's recipients get the same text over and over,
   * one per language (and version), interleaved.
   */
  private readonly json = new Map<string, string>();
  private readonly aborts = new AbortFanOut();

  constructor(o: BotApiPoolOptions) {
    const root = new URL(o.apiRoot ?? DEFAULT_ROOT);
    this.base = `${root.pathname.replace(/\/+$/, "")}/bot${o.token}/`;
    this.timeoutMs = (o.timeoutSeconds ?? 30) * 1000;
    this.pool = new Pool(root.origin, {
      connections: o.connections ?? 32,
      pipelining: 1,
      // An idle connection is closed after undici's 4 s (or what the server's Keep-Alive says): a
      // request never goes out on a socket the server may already have dropped, which for a POST
      // would be an error, not a retry.
    });
    const paid = o.paidBroadcast ? ',"allow_paid_broadcast":true' : "";
    this.sendTail = `,"parse_mode":"HTML","link_preview_options":{"is_disabled":true}${paid}}`;
    this.sendTailQuiet = `,"parse_mode":"HTML","link_preview_options":{"is_disabled":true},"disable_notification":true${paid}}`;
  }

  /** sendMessage with parse_mode HTML and no link preview; resolves to Telegram's Message. */
  sendMessage(chatId: number, html: Html, o: { silent?: boolean }, signal?: AbortSignal): Promise<unknown> {
    const body = `{"chat_id":${chatId},"text":${this.jsonOf(html)}${o.silent ? this.sendTailQuiet : this.sendTail}`;
    return this.call("sendMessage", body, { chat_id: chatId }, signal);
  }

  /** editMessageText with parse_mode HTML and no link preview. */
  editMessageText(chatId: number, messageId: number, html: Html, signal?: AbortSignal): Promise<unknown> {
    const body = `{"chat_id":${chatId},"message_id":${messageId},"text":${this.jsonOf(html)},"parse_mode":"HTML","link_preview_options":{"is_disabled":true}}`;
    return this.call("editMessageText", body, { chat_id: chatId, message_id: messageId }, signal);
  }

  deleteMessage(chatId: number, messageId: number, signal?: AbortSignal): Promise<unknown> {
    const body = `{"chat_id":${chatId},"message_id":${messageId}}`;
    return this.call("deleteMessage", body, { chat_id: chatId, message_id: messageId }, signal);
  }

  /** Closes the connections once the requests in flight are answered. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  private jsonOf(html: string): string {
    let j = this.json.get(html);
    if (j === undefined) {
      if (this.json.size >= 16) this.json.clear();
      j = JSON.stringify(html);
      this.json.set(html, j);
    }
    return j;
  }

  /**
   * One call. Like grammY, the answer's body decides, not its HTTP status: JSON with `ok: false` is a
   * GrammyError whatever the status, anything that is not JSON an HttpError with grammY's message
   * ("Network request for 'sendMessage' failed!"). The cause kept in HttpError.error never carries
   * the URL, so the token shows up nowhere.
   */
  private async call(
    method: string,
    body: string,
    payload: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    let data: ApiResponse;
    const own = signal && this.aborts.take(signal);
    try {
      const res = await this.pool.request({
        method: "POST",
        path: this.base + method,
        headers: HEADERS,
        body,
        signal: own,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      data = (await res.body.json()) as ApiResponse;
    } catch (err) {
      throw new HttpError(`Network request for '${method}' failed!`, this.redacted(err));
    } finally {
      if (own) this.aborts.release(signal, own);
    }
    if (data.ok) return data.result;
    throw new GrammyError(
      `Call to '${method}' failed!`,
      {
        ok: false,
        error_code: data.error_code ?? 500,
        description: data.description ?? "",
        ...(data.parameters ? { parameters: data.parameters } : {}),
      },
      method,
      payload,
    );
  }

  /** The cause of a failed request, with the token masked wherever it shows (undici's errors name no URL, but a cause may). */
  private redacted(err: unknown): Error {
    const e = err instanceof Error ? err : new Error(String(err));
    const token = this.base.slice(this.base.lastIndexOf("/bot") + 4, -1);
    if (!token || !e.message.includes(token)) return e;
    const clean = new Error(e.message.split(token).join("<token>"));
    clean.name = e.name;
    return clean;
  }
}
