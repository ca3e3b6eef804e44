/**
 * The desk's live updates, by Server-Sent Events. One tick a second (by default) computes, once for every
 * editor connected: the night at a glance and delivery (`state`), and the rows of the table that changed
 * since the previous tick (`rows`); each is then written to every connection. A comune the feed moved is
 * on the next tick, so the page knows within about a second of the bot. A new connection gets the whole
 * table first. Each tick checks every
 * connection's session again: a session that ended, or an editor taken out of the newsroom, is cut off.
 */
import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { App } from "../app.js";
import type { DeskBoard, DeskRow } from "./board.js";

interface Client {
  res: ServerResponse;
  /** Whether the connection's session is still good. */
  valid(): boolean;
}

/** What the stream costs, for the benchmark and the desk's own panel. */
export interface StreamStats {
  clients: number;
  ticks: number;
  /** CPU time of the last tick's shared work (building the events), ms. */
  lastTickMs: number;
  /** Bytes written to each connection by the last tick. */
  lastBytesPerClient: number;
  /** Bytes written to all connections since start. */
  bytes: number;
  /** Rows the last tick sent (those that changed). */
  lastRows: number;
  /** The last tick's wall time, ms: building the rows, finding those that changed, the state. */
  split?: { rows: number; diff: number; state: number };
}

export class DeskStream {
  private readonly clients = new Set<Client>();
  private readonly sent = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private heartbeat = 0;
  readonly stats: StreamStats = { clients: 0, ticks: 0, lastTickMs: 0, lastBytesPerClient: 0, bytes: 0, lastRows: 0 };

  constructor(
    private readonly app: App,
    private readonly board: DeskBoard,
    private readonly state: (rows: readonly DeskRow[]) => Promise<unknown>,
    private readonly tickMs = 1000,
  ) {
    app.data.onComuneChanged((key) => board.noteGate(key));
  }

  /** Takes a new connection: the event stream's headers, then every tick until it closes. */
  add(res: ServerResponse, valid: () => boolean): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
      connection: "keep-alive",
    });
    res.write("retry: 2000\n\n");
    const client: Client = { res, valid };
    this.clients.add(client);
    this.stats.clients = this.clients.size;
    res.on("close", () => {
      this.clients.delete(client);
      this.stats.clients = this.clients.size;
    });
    // The whole table first, for this connection; the ticks then bring what changes.
    void this.snapshot()
      .then((out) => {
        if (!res.writableEnded) res.write(out);
      })
      .catch((err: unknown) => this.app.logger.error({ err }, "desk: snapshot failed"));
    this.start();
  }

  /** Every row and the state, as one connection's first events. */
  private async snapshot(): Promise<string> {
    await this.board.refreshFollowers();
    const rows = this.board.allRows();
    // The first connection: the ticks' diffs start from this table.
    if (this.clients.size === 1) for (const r of rows) this.sent.set(r.key, JSON.stringify(r));
    return `event: state\ndata: ${JSON.stringify(await this.state(rows))}\n\nevent: rows\ndata: ${JSON.stringify({ rows, gone: [], full: true })}\n\n`;
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** Stops ticking and closes every connection. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  /**
   * The events of one tick, built once: `state`, and `rows` with the rows that changed since the last
   * tick (all of them on the first). Exposed for the benchmark.
   */
  async build(): Promise<string> {
    const t0 = performance.now();
    await this.board.refreshFollowers();
    const rows = this.board.allRows();
    const t1 = performance.now();
    const changed: DeskRow[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      const json = JSON.stringify(r);
      seen.add(r.key);
      if (this.sent.get(r.key) !== json) {
        this.sent.set(r.key, json);
        changed.push(r);
      }
    }
    const gone = [...this.sent.keys()].filter((k) => !seen.has(k));
    for (const k of gone) this.sent.delete(k);
    const t2 = performance.now();
    let out = `event: state\ndata: ${JSON.stringify(await this.state(rows))}\n\n`;
    this.stats.split = { rows: t1 - t0, diff: t2 - t1, state: performance.now() - t2 };
    this.stats.lastRows = changed.length;
    if (changed.length || gone.length) out += `event: rows\ndata: ${JSON.stringify({ rows: changed, gone })}\n\n`;
    return out;
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    if (!this.clients.size) {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      // The next connection starts from the whole table.
      this.sent.clear();
      return;
    }
    this.ticking = true;
    try {
      for (const c of this.clients)
        if (!c.valid()) {
          c.res.end();
          this.clients.delete(c);
        }
      this.stats.clients = this.clients.size;
      const started = process.cpuUsage();
      let out = await this.build();
      const used = process.cpuUsage(started);
      this.stats.lastTickMs = (used.user + used.system) / 1000;
      if (++this.heartbeat % 15 === 0) out += ": ping\n\n";
      this.stats.ticks++;
      this.stats.lastBytesPerClient = Buffer.byteLength(out);
      for (const c of this.clients) {
        c.res.write(out);
        this.stats.bytes += this.stats.lastBytesPerClient;
      }
    } catch (err) {
      this.app.logger.error({ err }, "desk: update stream tick failed");
    } finally {
      this.ticking = false;
    }
  }
}
