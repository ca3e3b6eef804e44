/**
 * Experimental (SEND_BUDGET=single): one instance sends for the whole bot at the whole SEND_RATE; on
 * every other instance this transformer hands each counted call (COUNTED_METHODS) to it through the
 * database (store/postgres/relay.ts) and returns its answer as if Telegram had given it here:
 *
 * - Telegram's answer, ok or not: the caller's client turns an error into the same GrammyError as
 *   without the relay (a 403 of a blocked chat stays a 403);
 * - a reply the sender's budget gave up on: ReplyDropped, as from the local budget;
 * - a request that failed on the sender (network): HttpError, as grammY throws;
 * - no answer within the timeout: ReplyDropped when the sender never took the call (it will not go),
 *   HttpError when it did (it may have gone).
 *
 * Files (a chart's PNG) travel as base64 in the JSON payload.
 */
import { type Api, HttpError, InputFile, type Transformer } from "grammy";
import type { CallRelay, RelayClass, RelayedCall, RelayOutcome } from "../store/contract/relay.js";
import { RelayTimeout } from "../store/contract/relay.js";
import { ReplyDropped } from "./budget/index.js";
import { COUNTED_METHODS } from "./reply-transformer.js";

const FILE_KEY = "__relayedFile";

interface RelayedFile {
  [FILE_KEY]: string;
  filename?: string;
}

async function bytesOf(file: InputFile): Promise<Uint8Array> {
  const raw = await file.toRaw();
  if (raw instanceof Uint8Array) return raw;
  const chunks: Uint8Array[] = [];
  for await (const c of raw as AsyncIterable<Uint8Array>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** The payload as JSON: every InputFile as its bytes in base64. */
export async function encodePayload(v: unknown): Promise<unknown> {
  if (v instanceof InputFile) {
    const f: RelayedFile = { [FILE_KEY]: Buffer.from(await bytesOf(v)).toString("base64") };
    if (v.filename) f.filename = v.filename;
    return f;
  }
  if (Array.isArray(v)) return Promise.all(v.map(encodePayload));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = await encodePayload(x);
    return out;
  }
  return v;
}

/** The payload as the caller gave it: files back as InputFiles. */
export function decodePayload(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodePayload);
  if (v && typeof v === "object") {
    if (FILE_KEY in v) {
      const f = v as RelayedFile;
      return new InputFile(Buffer.from(f[FILE_KEY], "base64"), f.filename);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = decodePayload(x);
    return out;
  }
  return v;
}

export interface RelayTransformerOptions {
  relay: CallRelay;
  cls: RelayClass;
  /** Whether this instance sends for the bot now (then calls go straight on, to its own budget). */
  sending(): boolean;
  /** How long a handed-over call is waited for, ms. */
  timeoutMs: number;
}

/** Installed on an Api after the budget's transformer (so that it runs first). */
export function relayTransformer(o: RelayTransformerOptions): Transformer {
  return async (prev, method, payload, signal) => {
    if (!COUNTED_METHODS.has(method) || o.sending()) return prev(method, payload, signal);
    let outcome: RelayOutcome;
    try {
      outcome = await o.relay.forward({ cls: o.cls, method, payload: await encodePayload(payload) }, o.timeoutMs);
    } catch (err) {
      if (err instanceof RelayTimeout && !err.taken) throw new ReplyDropped("waited", err.waitedMs);
      throw new HttpError(`Network request for '${method}' failed: handed to the sending instance`, err);
    }
    switch (outcome.kind) {
      case "response":
        return outcome.response as Awaited<ReturnType<typeof prev>>;
      case "dropped":
        throw new ReplyDropped(outcome.reason, outcome.waitedMs);
      case "failed":
        throw new HttpError(
          `Network request for '${method}' failed on the sending instance`,
          new Error(outcome.message),
        );
    }
  };
}

/**
 * The sender's side: performs a handed-over call on `api` (whose transformers put it in the budget's
 * class) and says what came of it, Telegram's errors as its own answer.
 */
export function performer(apis: Record<RelayClass, Api>): (call: RelayedCall) => Promise<RelayOutcome> {
  return async (call) => {
    const api = apis[call.cls];
    try {
      const raw = api.raw as unknown as Record<string, (p: unknown) => Promise<unknown>>;
      const result = await raw[call.method]!(decodePayload(call.payload));
      return { kind: "response", response: { ok: true, result } };
    } catch (err) {
      if (err instanceof ReplyDropped) return { kind: "dropped", reason: err.reason, waitedMs: err.waitedMs };
      const e = err as { error_code?: unknown; description?: unknown; parameters?: unknown };
      if (typeof e?.error_code === "number")
        return {
          kind: "response",
          response: {
            ok: false,
            error_code: e.error_code,
            description: e.description,
            ...(e.parameters ? { parameters: e.parameters } : {}),
          },
        };
      return { kind: "failed", message: err instanceof Error ? err.message : String(err) };
    }
  };
}
