/**
 * Rendered charts, kept per data version so a chart is drawn once per change of its figures: the
 * PNG bytes until Telegram has stored the first send, then only Telegram's `file_id`, which later
 * sends pass instead of uploading the file again (instant for the user, no upload for the bot).
 *
 * The key is the caller's and must change whenever the picture would: comune, round, data version
 * (`dataVersion(round)`) and language, e.g. `chartKey("shares", "Genova", "first", dataVersion(round), "it")`.
 * Bounded in entries and in bytes, least recently used first out. In memory only: a restart
 * renders again, and a `file_id` belongs to one bot token anyway.
 */
import { createHash } from "node:crypto";

/** What the cache holds for a key: Telegram's file_id once known, else the PNG to upload. */
export type CachedChart = { fileId: string } | { png: Buffer };

export interface ChartCacheOptions {
  /** Entries at most (default 512). */
  maxEntries?: number;
  /** PNG bytes held at most (default 64 MiB); entries holding only a file_id count as 0. */
  maxBytes?: number;
}

/** A key from its parts, joined with "|" (parts must not contain "|"; undefined parts are "-"). */
export function chartKey(...parts: (string | number | undefined)[]): string {
  return parts.map((p) => (p === undefined ? "-" : String(p))).join("|");
}

/**
 * A short fingerprint of the figures a chart is drawn from (e.g. a RoundResult or its turnout
 * readings): equal figures, equal version. Costs a JSON serialisation and a hash, a few µs.
 */
export function dataVersion(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 16);
}

/** LRU cache of rendered charts: `get`, `set` the PNG, `rememberFileId` after the first send. */
export class ChartCache {
  private readonly entries = new Map<string, CachedChart>();
  private readonly inflight = new Map<string, Promise<CachedChart>>();
  private heldBytes = 0;
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Lookups answered from the cache, and not. */
  hits = 0;
  misses = 0;

  constructor(opts: ChartCacheOptions = {}) {
    this.maxEntries = Math.max(1, opts.maxEntries ?? 512);
    this.maxBytes = Math.max(0, opts.maxBytes ?? 64 * 1024 * 1024);
  }

  /** The file_id (preferred) or the PNG for this key, or undefined; marks the key as recently used. */
  get(key: string): CachedChart | undefined {
    const hit = this.entries.get(key);
    if (!hit) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  /** Keeps the PNG for this key (replacing what was there). A PNG larger than maxBytes is not kept. */
  set(key: string, png: Buffer): void {
    if (png.length > this.maxBytes) {
      this.delete(key);
      return;
    }
    this.put(key, { png });
  }

  /**
   * Telegram's file_id for the chart sent under this key (any of the sent photo's sizes works;
   * pass the largest). The PNG bytes are dropped: later sends re-use the file_id. Kept even if
   * the PNG was evicted meanwhile: it costs a few bytes and saves a render and an upload.
   */
  rememberFileId(key: string, fileId: string): void {
    this.put(key, { fileId });
  }

  /** Drops a key, e.g. when Telegram refused its file_id: the next request renders again. */
  delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    if ("png" in old) this.heldBytes -= old.png.length;
    this.entries.delete(key);
  }

  /**
   * The cached chart, or `render()`'s PNG, cached. Concurrent calls for one key share one render
   * (a card's button tapped by many at once draws once). A failed render is not cached.
   */
  async getOrRender(key: string, render: () => Promise<Buffer>): Promise<CachedChart> {
    const hit = this.get(key);
    if (hit) return hit;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const job = (async () => {
      try {
        const png = await render();
        // A file_id learnt while rendering (another send finished first) wins over the new bytes.
        const now = this.entries.get(key);
        if (now && "fileId" in now) return now;
        this.set(key, png);
        return { png };
      } finally {
        this.inflight.delete(key);
      }
    })();
    this.inflight.set(key, job);
    return job;
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** PNG bytes held. */
  get bytes(): number {
    return this.heldBytes;
  }

  private put(key: string, value: CachedChart): void {
    this.delete(key);
    this.entries.set(key, value);
    if ("png" in value) this.heldBytes += value.png.length;
    // Least recently used first: a Map iterates in insertion order, and get() re-inserts.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.heldBytes <= this.maxBytes) break;
      if (oldest === key) continue;
      this.delete(oldest);
    }
  }
}
