/**
 * Group commit of delivery outcomes. At paid rates, recording each sent message in its own
 * transaction was most of the engine's cost (one commit per message on SQLite, half a dozen round
 * trips per message on PostgreSQL). Outcomes that arrive while a commit is being written, or within
 * `lingerMs` of the first one, are recorded together in one transaction (store.completeMany); each
 * caller's promise settles when its own outcome is recorded, so a chat's next delivery still waits
 * for it and per-chat order holds.
 *
 * What a crash costs: a message is sent before its outcome is recorded, on this path as before; the
 * window between the two grows by at most `lingerMs` plus one commit. A batch the store refuses is
 * recorded again one outcome at a time, so that one bad row cannot take the others' outcomes with it.
 * An outcome that cannot be recorded leaves its row queued, as before: it is sent again later.
 */
import type { Logger } from "../../logger.js";
import type { Outcome, Store } from "../../store/store.js";

interface Waiting {
  outcome: Outcome;
  resolve(): void;
  reject(err: unknown): void;
}

export interface AcknowledgerOptions {
  /** How long the first outcome of a batch waits for others, ms (default 2). */
  lingerMs?: number;
  /** The most outcomes in one transaction (default 256). */
  maxBatch?: number;
  /** false: every outcome in its own transaction, as before group commit (for the benchmarks' comparison). */
  batch?: boolean;
}

export class Acknowledger {
  private queue: Waiting[] = [];
  private flushing: Promise<void> | undefined;
  private readonly lingerMs: number;
  private readonly maxBatch: number;
  private readonly batch: boolean;
  /** Transactions written and outcomes recorded, for the benchmarks. */
  readonly stats = { commits: 0, outcomes: 0 };

  constructor(
    private readonly store: Pick<Store, "complete" | "completeMany">,
    private readonly logger: Logger,
    o: AcknowledgerOptions = {},
  ) {
    this.lingerMs = o.lingerMs ?? 2;
    this.maxBatch = Math.max(1, o.maxBatch ?? 256);
    this.batch = o.batch ?? true;
  }

  /** Records one delivery's outcome; resolves once it is recorded (rejects if it could not be). */
  complete(outcome: Outcome): Promise<void> {
    if (!this.batch) {
      this.stats.commits++;
      this.stats.outcomes++;
      return this.store.complete(outcome.d, outcome.outcome, outcome.sent);
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ outcome, resolve, reject });
      this.flushing ??= this.drain();
    });
  }

  /** Resolves once every outcome handed in so far is recorded (or refused). */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    try {
      // The first outcome waits a little for the others of its moment (sends answered together).
      if (this.lingerMs > 0) await new Promise((r) => setTimeout(r, this.lingerMs));
      else await new Promise((r) => setImmediate(r));
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.flushing = undefined;
      // Anything queued after the loop saw an empty queue gets its own flush.
      if (this.queue.length) this.flushing = this.drain();
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      await this.store.completeMany(batch.map((w) => w.outcome));
      this.stats.commits++;
      this.stats.outcomes += batch.length;
      for (const w of batch) w.resolve();
      return;
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      this.logger.warn(
        { err, outcomes: batch.length },
        "delivery: a batch of outcomes was refused; recording them one by one",
      );
    }
    // Two refusals in a row: the store itself is failing (not one row), and the rest is refused at
    // once rather than after a timeout each.
    let refusedInARow = 0;
    for (const [i, w] of batch.entries()) {
      try {
        await this.store.complete(w.outcome.d, w.outcome.outcome, w.outcome.sent);
        this.stats.commits++;
        this.stats.outcomes++;
        refusedInARow = 0;
        w.resolve();
      } catch (err) {
        w.reject(err);
        if (++refusedInARow >= 2) {
          for (const rest of batch.slice(i + 1)) rest.reject(err);
          return;
        }
      }
    }
  }
}
