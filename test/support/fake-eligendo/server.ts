/**
 * A fake of the Ministry's live results API on loopback (node:http), serving the real paths and shapes:
 *
 *   GET /siel/PX/getentiG/DE/{YYYYMMDD}/TE/08
 *   GET /siel/PX/votanti/DE/{YYYYMMDD}/TE/08/PR/{ppp}
 *   GET /siel/PX/scrutiniG/DE/{YYYYMMDD}/TE/08/PR/{ppp}/CM/{cccc}
 *
 * Scriptable by tests: the election and each comune's progress are plain objects (`fake.election`,
 * `fake.comune(code)`), so a test moves the night on between polls. Every error shape the Ministry answers
 * can be injected for matching paths: "Dati non trovati" (200), "Errore di sintassi" (310), an HTML
 * "Access Denied" page, a 5xx, a hang, malformed JSON, an oversize body. Unpadded codes get the syntax
 * error, as on the real API. Every request is recorded with its time (to check the rate cap).
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import {
  entiAnswer,
  type FakeComune,
  type FakeElection,
  firstRoundAnswer,
  runoffAnswer,
  turnoutAnswer,
} from "./election.js";

/** What a path can be made to answer instead of its data. */
export type FakeAnswer =
  | { kind: "not-found" }
  | { kind: "syntax-error" }
  | { kind: "not-allowed" }
  | { kind: "access-denied" }
  | { kind: "status"; status: number; body?: string }
  | { kind: "hang" }
  | { kind: "malformed" }
  | { kind: "oversize"; bytes: number; chunked?: boolean }
  | { kind: "json"; body: unknown };

export interface FakeRequest {
  path: string;
  /** performance.now() when the request arrived. */
  at: number;
  headers?: IncomingHttpHeaders;
}

export interface FakeEligendoOptions {
  /** Delay before each answer, in ms. Default 0. */
  latencyMs?: number;
  /** Keep each request's headers in `requests`. Default true. */
  recordHeaders?: boolean;
  /** Answer "Access Denied" without the Ministry site's Origin and Referer, as the real API may. Default true. */
  requireOrigin?: boolean;
  /** Answer "Access Denied" above this many requests in any 1 s window, like the real API's limit (~40/s). */
  blockAboveRps?: number;
}

interface Injection {
  match: (path: string) => boolean;
  answer: FakeAnswer;
  remaining: number;
}

const ROOT = "/siel/PX";
const NOT_FOUND = { Error: { id: "200", desc: "Dati non trovati", value: "" } };
const SYNTAX = { Error: { id: "310", desc: "Errore di sintassi", value: "" } };
const NOT_ALLOWED = { Error: { desc: "Data non permessa" } };
const ACCESS_DENIED =
  '<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n \nYou don\'t have permission to access "http&#58;&#47;&#47;eleapi&#46;interno&#46;gov&#46;it&#47;" on this server.<P>\nReference&#32;&#35;18&#46;fake\n</BODY>\n</HTML>\n';

export class FakeEligendo {
  readonly requests: FakeRequest[] = [];
  /** Requests answered "Access Denied" because of `blockAboveRps`. */
  rateLimited = 0;
  private readonly injections: Injection[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly byCode = new Map<string, FakeComune>();
  private readonly recent: number[] = [];

  private constructor(
    private readonly server: Server,
    readonly election: FakeElection,
    private readonly opts: FakeEligendoOptions,
  ) {
    this.reindex();
  }

  static async start(election: FakeElection, opts: FakeEligendoOptions = {}): Promise<FakeEligendo> {
    let fake: FakeEligendo | undefined;
    const server = createServer((req, res) => fake!.handle(req.url ?? "/", req.headers, res));
    server.keepAliveTimeout = 30_000;
    fake = new FakeEligendo(server, election, opts);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  /** e.g. "http://127.0.0.1:PORT/siel/PX": the value of ELIGENDO_API_ROOT. */
  get apiRoot(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${ROOT}`;
  }

  /** A comune of the election by its 9-digit code (to move its night on). */
  comune(code: string): FakeComune {
    const c = this.byCode.get(code);
    if (!c) throw new Error(`no comune ${code} in the fake election`);
    return c;
  }

  /** Call after adding or removing comuni in `election.comuni`. */
  reindex(): void {
    this.byCode.clear();
    for (const c of this.election.comuni) this.byCode.set(c.code, c);
  }

  /**
   * Makes paths matching `match` (a substring, a RegExp or a predicate) answer `answer`, `times` times
   * (default: until `clearInjections`). Later injections take precedence.
   */
  inject(match: string | RegExp | ((path: string) => boolean), answer: FakeAnswer, times = Infinity): void {
    const fn =
      typeof match === "string"
        ? (p: string) => p.includes(match)
        : match instanceof RegExp
          ? (p: string) => match.test(p)
          : match;
    this.injections.unshift({ match: fn, answer, remaining: times });
  }

  clearInjections(): void {
    this.injections.length = 0;
  }

  /** Requests whose path contains `fragment`. */
  requestsTo(fragment: string): FakeRequest[] {
    return this.requests.filter((r) => r.path.includes(fragment));
  }

  /** The most requests that arrived within any window of `windowMs` (1 s by default). */
  maxInWindow(windowMs = 1000, from = 0): number {
    const times = this.requests
      .slice(from)
      .map((r) => r.at)
      .sort((a, b) => a - b);
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < times.length; hi++) {
      while (times[hi]! - times[lo]! >= windowMs) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(rawUrl: string, headers: IncomingHttpHeaders, res: ServerResponse): void {
    const path = rawUrl.split("?")[0]!;
    const at = performance.now();
    this.requests.push({ path, at, ...(this.opts.recordHeaders === false ? {} : { headers }) });
    const answer = () => this.answer(path, headers, at, res);
    if (this.opts.latencyMs) setTimeout(answer, this.opts.latencyMs);
    else answer();
  }

  private answer(path: string, headers: IncomingHttpHeaders, at: number, res: ServerResponse): void {
    if (this.opts.blockAboveRps !== undefined) {
      while (this.recent.length && at - this.recent[0]! >= 1000) this.recent.shift();
      this.recent.push(at);
      if (this.recent.length > this.opts.blockAboveRps) {
        this.rateLimited++;
        this.send(res, { kind: "access-denied" });
        return;
      }
    }
    if (
      this.opts.requireOrigin !== false &&
      (headers.origin !== "https://elezioni.interno.gov.it" ||
        !headers.referer?.startsWith("https://elezioni.interno.gov.it"))
    ) {
      this.send(res, { kind: "access-denied" });
      return;
    }
    const injected = this.injections.find((i) => i.remaining > 0 && i.match(path));
    if (injected) {
      injected.remaining--;
      this.send(res, injected.answer);
      return;
    }
    const body = this.route(path);
    if (body === "syntax") {
      this.send(res, { kind: "syntax-error" });
      return;
    }
    if (body === "not-allowed") {
      this.send(res, { kind: "not-allowed" });
      return;
    }
    if (body === undefined) {
      this.send(res, { kind: "not-found" });
      return;
    }
    this.json(res, 200, body);
  }

  /** The data for a path, undefined for "Dati non trovati", or which error it deserves. */
  private route(path: string): unknown {
    if (!path.startsWith(`${ROOT}/`)) return "syntax";
    const seg = path.slice(ROOT.length + 1).split("/");
    const [service, de, date8, te, type] = seg;
    if (de !== "DE" || te !== "TE" || !/^\d{8}$/.test(date8 ?? "") || type !== "08") return "syntax";
    const date = `${date8!.slice(0, 4)}-${date8!.slice(4, 6)}-${date8!.slice(6)}`;
    const e = this.election;
    if (date !== e.date && date !== e.runoffDate) return "not-allowed";
    const runoff = date === e.runoffDate;
    if (service === "getentiG" && seg.length === 5) return e.entiPublished ? entiAnswer(e, date) : undefined;
    // Codes must be zero-padded: an unpadded one is a syntax error on the real API.
    if (seg[5] !== "PR" || !/^\d{3}$/.test(seg[6] ?? "")) return "syntax";
    const province = seg[6]!;
    const region = e.comuni.find((c) => c.code.slice(2, 5) === province)?.code.slice(0, 2);
    if (service === "votanti" && seg.length === 7)
      return region ? turnoutAnswer(e, date, `${region}${province}`) : undefined;
    if (service === "scrutiniG" && seg.length === 9 && seg[7] === "CM") {
      if (!/^\d{4}$/.test(seg[8] ?? "")) return "syntax";
      const c = region ? this.byCode.get(`${region}${province}${seg[8]}`) : undefined;
      if (!c) return undefined;
      return runoff ? runoffAnswer(c, date) : firstRoundAnswer(c, date);
    }
    return "syntax";
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  private send(res: ServerResponse, a: FakeAnswer): void {
    switch (a.kind) {
      case "not-found": {
        this.json(res, 200, NOT_FOUND);
        return;
      }
      case "syntax-error": {
        this.json(res, 200, SYNTAX);
        return;
      }
      case "not-allowed": {
        this.json(res, 200, NOT_ALLOWED);
        return;
      }
      case "json": {
        this.json(res, 200, a.body);
        return;
      }
      case "access-denied":
        res.writeHead(403, { "content-type": "text/html", "content-length": Buffer.byteLength(ACCESS_DENIED) });
        res.end(ACCESS_DENIED);
        return;
      case "status": {
        const body = a.body ?? "Internal Server Error";
        res.writeHead(a.status, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      case "hang":
        // Headers never come: the client's timeout has to end it.
        this.hanging.add(res);
        res.on("close", () => this.hanging.delete(res));
        return;
      case "malformed": {
        const body = '{"int":{"st":"ESERCIZIO","f_elet":"SCRUTINI","dt_ele":2018061';
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      case "oversize": {
        // Valid JSON of exactly the requested size: only the cap can refuse it.
        const pad = Math.max(0, a.bytes - 14);
        const chunk = "x".repeat(64 * 1024);
        res.writeHead(200, {
          "content-type": "application/json",
          ...(a.chunked ? {} : { "content-length": String(pad + 14) }),
        });
        res.write('{"padding":"');
        let left = pad;
        const pump = () => {
          while (left > 0) {
            const piece = left >= chunk.length ? chunk : chunk.slice(0, left);
            left -= piece.length;
            if (!res.write(piece)) return void res.once("drain", pump);
          }
          res.end('"}');
        };
        res.on("error", () => {});
        pump();
        return;
      }
    }
  }
}
