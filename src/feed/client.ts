/**
 * HTTP client of the Ministry's live results API ("Eligendo"), on Node's fetch.
 *
 * Every request sends the Origin and Referer of the Ministry's results site (without them some requests are
 * refused), a User-Agent that says who is asking, and has a timeout; the answer is read up to a size cap.
 * `get` never throws: it returns a typed outcome, and callers branch on its `kind`:
 *
 * - `data`: JSON that is not an error object (still to be validated by the caller);
 * - `not-yet`: "Dati non trovati" (id 200), nothing published yet for that place — normal, quiet;
 * - `syntax-error`: "Errore di sintassi" (id 310), a path the Ministry does not understand — a bug here;
 * - `api-error`: another error object ("Data non permessa");
 * - `blocked`: an HTML page ("Access Denied") or 403/429 — rate limited: back off;
 * - `server-error` (5xx), `timeout`, `network-error`: back off;
 * - `http-error`: another status without an error object;
 * - `too-large`, `malformed`: an answer that cannot be read (over the cap, not JSON);
 * - `aborted`: the caller stopped.
 */

/** What the Ministry's own site sends; the API refuses some requests without them. */
export const MINISTRY_ORIGIN = "https://elezioni.interno.gov.it";
export const MINISTRY_REFERER = "https://elezioni.interno.gov.it/";
export const DEFAULT_USER_AGENT =
  "ElezioniBot/0.1 (bot Telegram per le notti elettorali comunali; segue i risultati pubblicati dal Ministero dell'Interno)";
export const DEFAULT_TIMEOUT_MS = 15_000;
/** Answers larger than this are not read (the largest real answer, getentiG with ~8,000 places, is ~1 MB). */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

interface Where {
  /** The path below the API root, e.g. "/scrutiniG/DE/20180610/TE/08/PR/090/CM/1160". */
  path: string;
  url: string;
}

export type FetchOutcome =
  | (Where & { kind: "data"; body: unknown; bytes: number })
  | (Where & { kind: "not-yet" })
  | (Where & { kind: "syntax-error"; desc?: string })
  | (Where & { kind: "api-error"; id?: string; desc?: string })
  | (Where & { kind: "blocked"; status: number })
  | (Where & { kind: "server-error"; status: number })
  | (Where & { kind: "http-error"; status: number })
  | (Where & { kind: "timeout"; timeoutMs: number })
  | (Where & { kind: "network-error"; message: string })
  | (Where & { kind: "too-large"; bytes: number })
  | (Where & { kind: "malformed"; reason: string })
  | (Where & { kind: "aborted" });

export type FetchOutcomeKind = FetchOutcome["kind"];

/** Outcomes that mean the Ministry is refusing or struggling: every request waits (exponential backoff). */
export function backsOff(o: FetchOutcome): boolean {
  return o.kind === "blocked" || o.kind === "server-error" || o.kind === "timeout" || o.kind === "network-error";
}

export interface ClientOptions {
  /** e.g. "https://eleapi.interno.gov.it/siel/PX" (no trailing slash needed). */
  apiRoot: string;
  timeoutMs?: number;
  maxBytes?: number;
  userAgent?: string;
  /** For tests only; Node's fetch by default. */
  fetch?: typeof fetch;
}

const looksLikeHtml = (text: string) => /^\s*</.test(text);

export class EligendoClient {
  readonly apiRoot: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly userAgent: string;
  private readonly fetchFn: typeof fetch;

  constructor(opts: ClientOptions) {
    this.apiRoot = opts.apiRoot.replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBytes = opts.maxBytes ?? MAX_RESPONSE_BYTES;
    this.userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
    this.fetchFn = opts.fetch ?? fetch;
  }

  /** The full URL of a path. */
  url(path: string): string {
    return `${this.apiRoot}${path.startsWith("/") ? "" : "/"}${path}`;
  }

  /** GETs a path; never throws. `signal` aborts it (outcome `aborted`). */
  async get(path: string, signal?: AbortSignal): Promise<FetchOutcome> {
    const where: Where = { path, url: this.url(path) };
    if (signal?.aborted) return { ...where, kind: "aborted" };
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const res = await this.fetchFn(where.url, {
        method: "GET",
        headers: {
          Accept: "application/json, text/plain, */*",
          Origin: MINISTRY_ORIGIN,
          Referer: MINISTRY_REFERER,
          "User-Agent": this.userAgent,
        },
        signal: controller.signal,
        redirect: "follow",
      });
      const body = await this.readCapped(res);
      if (body.kind === "too-large") return { ...where, kind: "too-large", bytes: body.bytes };
      return classify(where, res, body.text, body.bytes);
    } catch (err) {
      if (timedOut) return { ...where, kind: "timeout", timeoutMs: this.timeoutMs };
      if (signal?.aborted) return { ...where, kind: "aborted" };
      return { ...where, kind: "network-error", message: errorMessage(err) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Reads the body up to the cap, stopping (and dropping the connection's body) as soon as it is over. */
  private async readCapped(
    res: Response,
  ): Promise<{ kind: "ok"; text: string; bytes: number } | { kind: "too-large"; bytes: number }> {
    const declared = Number(res.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      await res.body?.cancel().catch(() => {});
      return { kind: "too-large", bytes: declared };
    }
    if (!res.body) return { kind: "ok", text: "", bytes: 0 };
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > this.maxBytes) {
        await reader.cancel().catch(() => {});
        return { kind: "too-large", bytes };
      }
      chunks.push(value);
    }
    return { kind: "ok", text: Buffer.concat(chunks, bytes).toString("utf8"), bytes };
  }
}

function classify(where: Where, res: Response, text: string, bytes: number): FetchOutcome {
  const status = res.status;
  if (status >= 500) return { ...where, kind: "server-error", status };
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("html") || looksLikeHtml(text)) return { ...where, kind: "blocked", status };
  let body: unknown;
  try {
    body = text.trim() ? JSON.parse(text) : undefined;
  } catch (err) {
    if (status === 403 || status === 429) return { ...where, kind: "blocked", status };
    if (status >= 400) return { ...where, kind: "http-error", status };
    return { ...where, kind: "malformed", reason: `JSON non valido (${errorMessage(err)})` };
  }
  const error = errorObject(body);
  if (error) {
    if (error.id === "200") return { ...where, kind: "not-yet" };
    if (error.id === "310") return { ...where, kind: "syntax-error", desc: error.desc };
    return { ...where, kind: "api-error", id: error.id, desc: error.desc };
  }
  if (status === 403 || status === 429) return { ...where, kind: "blocked", status };
  if (status >= 400) return { ...where, kind: "http-error", status };
  if (body === undefined) return { ...where, kind: "malformed", reason: "risposta vuota" };
  return { ...where, kind: "data", body, bytes };
}

/** `{"Error":{"id":"200","desc":"Dati non trovati"}}` → its id and text. */
function errorObject(body: unknown): { id?: string; desc?: string } | undefined {
  if (!body || typeof body !== "object" || !("Error" in body)) return undefined;
  const e = (body as { Error: unknown }).Error;
  if (!e || typeof e !== "object") return {};
  const { id, desc } = e as { id?: unknown; desc?: unknown };
  return {
    id: typeof id === "string" || typeof id === "number" ? String(id) : undefined,
    desc: typeof desc === "string" ? desc : undefined,
  };
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const code = cause && typeof cause === "object" && "code" in cause ? String(cause.code) : undefined;
    return code ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}

// ---------------------------------------------------------------------------
// Backoff
// ---------------------------------------------------------------------------

export interface BackoffOptions {
  /** The first wait. Default 2 s. */
  baseMs?: number;
  /** The longest wait. Default 5 min. */
  maxMs?: number;
  /** For tests: a source of numbers in [0, 1). */
  random?: () => number;
}

/**
 * Exponential backoff with jitter: after the n-th failure in a row, wait between half and all of
 * base × 2^(n−1) (at most max), so that clients that were refused together do not come back together.
 */
export class Backoff {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;
  private streak = 0;

  constructor(opts: BackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? 2_000;
    this.maxMs = opts.maxMs ?? 300_000;
    this.random = opts.random ?? Math.random;
  }

  /** Failures in a row so far. */
  get failures(): number {
    return this.streak;
  }

  /** Records a failure; returns how long to wait before the next request. */
  failure(): number {
    this.streak++;
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.streak - 1, 30));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /** Records a success: the next failure starts again from the base. */
  success(): void {
    this.streak = 0;
  }
}
