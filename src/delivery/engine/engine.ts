/**
 * The delivery engine's loop: due rows read a batch at a time (edits and deletions first), each admitted
 * to a send slot (one in flight per chat, the chat's gap, the concurrency, a global slot), sent, and its
 * outcome recorded. See index.ts for what the engine guarantees.
 */
import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import type { Html } from "../../format/html.js";
import type { AmendmentJob, Delivery, SentCopy } from "../../store/store.js";
import { Acknowledger } from "./acknowledger.js";
import { amendmentFailed, deliveryFailed, type FailureContext } from "./failures.js";
import { RenderCache } from "./render-cache.js";
import { Reports } from "./reports.js";
import type { EngineOptions, EngineStats } from "./types.js";

/** The message id in what sendMessage resolved to, if it is a Message. */
function messageIdOf(sent: unknown): number | undefined {
  const id = (sent as { message_id?: unknown } | null)?.message_id;
  return typeof id === "number" ? id : undefined;
}

/**
 * How long a row found still due (store.stillDue) may be sent without asking again, ms. A row is
 * asked about together with the next ones of its batch that will be sent within this time, so that
 * at paid rates one query answers for dozens of sends. A withdrawal within this window is caught as
 * one during a send in flight is: the copy is recorded, and the withdrawal deletes it.
 */
const FRESH_MS = 50;
/** The most rows one stillDue asks about. */
const MAX_LOOKAHEAD = 64;

const defaultBackoff = (attempts: number) =>
  Math.min(300_000, 1000 * 2 ** Math.min(attempts, 9)) * (1 + Math.random() * 0.2);

export class DeliveryEngine {
  readonly stats: EngineStats = {
    sent: 0,
    rateLimited: 0,
    removed: 0,
    skipped: 0,
    migrated: 0,
    retried: 0,
    failed: 0,
    amended: 0,
  };
  private readonly inflight = new Map<number, Promise<void>>();
  private readonly rendered: RenderCache;
  private readonly reports: Reports;
  private readonly failures: FailureContext;
  private stopping = false;
  private running: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  /** A wake-up asked for while the loop was not asleep (see wake). */
  private woken = false;
  private abort = new AbortController();
  /** Where the walk over due edits and deletions is (null: start again from the first). */
  private amendCursor: { amendment: number; chatId: number } | null = null;
  private lastProgress = 0;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly backoff: (attempts: number) => number;
  private readonly clock: () => number;
  /** Outcomes recorded in batches (group commit). */
  readonly acknowledger: Acknowledger;
  /** Rows a recent stillDue found due, with when: see FRESH_MS. */
  private readonly fresh = new Map<string, number>();

  constructor(private readonly o: EngineOptions) {
    this.concurrency = o.concurrency ?? Math.min(512, Math.max(8, Math.ceil(o.pacer.perSecond / 2)));
    this.maxAttempts = o.maxAttempts ?? 40;
    this.backoff = o.backoffMs ?? defaultBackoff;
    this.clock = o.clock ?? Date.now;
    this.rendered = new RenderCache((d) => o.render(d), this.clock);
    this.reports = new Reports(o, this.clock);
    this.acknowledger = new Acknowledger(o.store, o.logger, o.acknowledge);
    this.failures = {
      store: o.store,
      pacer: o.pacer,
      logger: o.logger,
      stats: this.stats,
      maxAttempts: this.maxAttempts,
      backoff: this.backoff,
      clock: this.clock,
    };
  }

  get inFlight(): number {
    return this.inflight.size;
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.abort = new AbortController();
    // Every send in flight listens to this one signal.
    setMaxListeners(0, this.abort.signal);
    this.running = this.loop().catch((err: unknown) => {
      this.o.logger.fatal({ err }, "delivery engine stopped on an unexpected error");
    });
  }

  /**
   * New work was queued: look at the outbox now. Asked while the loop is not asleep (between reading
   * an empty outbox and going to sleep, say), the loop's next sleep is skipped: the wake-up is not lost.
   */
  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    if (w) w();
    else this.woken = true;
  }

  /**
   * Stops taking work; waits up to `graceMs` for sends in flight, then aborts the rest.
   * Whatever was not recorded stays in the outbox for the next run.
   */
  async stop(graceMs = 4000): Promise<void> {
    this.stopping = true;
    this.wake();
    const settled = Promise.allSettled([...this.inflight.values()]);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      settled.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.o.logger.warn(
        { inFlight: this.inflight.size },
        "delivery: aborting sends still in flight; they stay queued",
      );
      this.abort.abort();
      await Promise.allSettled([...this.inflight.values()]);
    }
    await this.running;
    this.running = undefined;
    // A push that finished just now gets its report out before the store closes; one that does not
    // make it in time stays unreported and goes out on the next start.
    await this.reports.check(true);
    const sending = this.reports.sending();
    if (sending.length) {
      const reports = Promise.allSettled(sending);
      await Promise.race([reports, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
  }

  /** Resolves once the reports of pushes and amendments finished so far have been sent (or given up). */
  async reported(): Promise<void> {
    await this.reports.check(true);
    await Promise.allSettled(this.reports.sending());
  }

  /** Resolves when the outbox is empty and nothing is in flight (for tests and benchmarks). */
  async drained(pollMs = 20): Promise<void> {
    while ((await this.o.store.pendingCount()) > 0 || this.inflight.size > 0)
      await new Promise((r) => setTimeout(r, pollMs));
    await this.reports.check(true);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /**
   * The loop, kept alive through a store that does not answer (a database restarting, the network to it
   * down): the outage is logged once, the loop waits (1 s, doubling up to 10 s) and reads the outbox
   * again from the start; nothing is lost, since what was not recorded stays queued.
   */
  private async loop(): Promise<void> {
    let waitMs = 1000;
    let down = false;
    while (!this.stopping) {
      try {
        await this.pass(() => {
          if (down) this.o.logger.info("delivery: the store answers again; resuming");
          down = false;
          waitMs = 1000;
        });
        return;
      } catch (err) {
        if (this.stopping) return;
        if (!down) this.o.logger.warn({ err }, "delivery: the store does not answer; retrying");
        down = true;
        await this.sleep(waitMs);
        waitMs = Math.min(10_000, waitMs * 2);
      }
    }
  }

  private async pass(answered: () => void): Promise<void> {
    const { store } = this.o;
    let cursor: { seq: number; chatId: number } | null = null;
    let dispatched = 0;
    let soonest = Infinity;
    while (!this.stopping) {
      const now = this.clock();
      // Edits and deletions first, a batch at a time, between the batches of sends.
      if (this.o.amend) {
        const a = await this.dispatchAmendments(now);
        dispatched += a.dispatched;
        soonest = Math.min(soonest, a.soonest);
        if (this.stopping) break;
      }
      const batch = await store.dueDeliveries(cursor, now, this.o.batchSize ?? 256);
      answered();
      if (!batch.length) {
        // Idle or between passes: also the moment to (re)send reports left over.
        await this.reports.check(false);
        // More edits or deletions to read: no sleeping before they are.
        if (this.amendCursor !== null) {
          cursor = null;
          continue;
        }
        if (dispatched === 0 || cursor === null) {
          const due = await store.nextDueAt();
          const wait = Math.min(1000, soonest - now, due !== undefined ? due - now : Infinity);
          await this.sleep(Math.max(5, wait));
        }
        cursor = null;
        dispatched = 0;
        soonest = Infinity;
        continue;
      }
      for (const [i, d] of batch.entries()) {
        if (this.stopping) break;
        cursor = { seq: d.seq, chatId: d.chatId };
        const slot = await this.admit(d.chatId, () => this.stillDue(batch, i));
        if (slot.kind === "stop") break;
        if (slot.kind === "later") {
          soonest = Math.min(soonest, slot.at);
          continue;
        }
        this.dispatch(d, slot.sendNumber);
        dispatched++;
      }
    }
  }

  /**
   * Takes a send slot for one message to a chat: a delivery, or an edit or deletion of a delivered
   * copy. Both go through here, so that the newsroom's amendments take their slots exactly as pushes
   * do: one message in flight per chat, the chat's gap (and any reply queued to it, on the send
   * budget), the concurrency, then a global slot, which the budget's push lane gives only when no
   * reply or newsroom message is waiting. `stillDue` is asked again after the waits: the row may
   * have been settled meanwhile by a send in flight when the batch was read, or postponed.
   */
  private async admit(
    chatId: number,
    stillDue: () => Promise<boolean>,
  ): Promise<{ kind: "go"; sendNumber: number } | { kind: "later"; at: number } | { kind: "stop" }> {
    const { pacer } = this.o;
    if (this.inflight.has(chatId)) return { kind: "later", at: Infinity };
    const chatWait = pacer.chatWait(chatId);
    if (chatWait > 0) return { kind: "later", at: this.clock() + chatWait };
    while (this.inflight.size >= this.concurrency && !this.stopping) await this.sleep(1000);
    for (let wait = pacer.take(); wait > 0 && !this.stopping; wait = pacer.take()) await this.sleep(wait);
    if (this.stopping) return { kind: "stop" };
    // Sending a row settled meanwhile would be a duplicate. (The loop admits one row at a time, so
    // nothing else takes this chat's slot while the store answers.)
    if (this.inflight.has(chatId) || !(await stillDue()) || this.inflight.has(chatId)) {
      return { kind: "later", at: Infinity };
    }
    pacer.sentTo(chatId);
    return { kind: "go", sendNumber: pacer.lastTaken };
  }

  /**
   * Whether batch[i] is still queued and due (a batch read earlier may be stale): answered by a recent
   * check, or asked now together with the next rows of the batch that can go out within FRESH_MS.
   */
  private async stillDue(batch: Delivery[], i: number): Promise<boolean> {
    const d = batch[i]!;
    const key = `${d.seq}:${d.chatId}`;
    // Freshness is real time elapsed, whatever the engine's clock (which tests may hold still).
    const checkedAt = performance.now();
    const checked = this.fresh.get(key);
    if (checked !== undefined) {
      this.fresh.delete(key);
      if (checkedAt - checked <= FRESH_MS) return true;
    }
    const now = this.clock();
    const { pacer } = this.o;
    const lookahead = Math.min(MAX_LOOKAHEAD, Math.max(1, Math.ceil((pacer.perSecond * FRESH_MS) / 1000)));
    const ask = [d];
    for (let j = i + 1; j < batch.length && ask.length < lookahead; j++) {
      const next = batch[j]!;
      if (!this.inflight.has(next.chatId)) ask.push(next);
    }
    const due = await this.o.store.stillDue(ask, now);
    this.fresh.clear();
    let found = false;
    for (const x of due) {
      if (x.seq === d.seq && x.chatId === d.chatId) found = true;
      else this.fresh.set(`${x.seq}:${x.chatId}`, checkedAt);
    }
    return found;
  }

  private dispatch(d: Delivery, sendNumber: number): void {
    const { store, pacer, logger } = this.o;
    const run = async () => {
      // The version is read before the text: a correction made after it (while the text is read, or
      // while the send is in flight) is seen when the copy is recorded with this version, and that
      // copy is edited too. (It is read for every send: a correction must reach the sends that start
      // after it, not only through an edit.)
      const version = (await store.bulletinVersion(d.seq)) ?? 0;
      const text = await this.rendered.render(d, version);
      if (text === undefined) {
        await store.complete(d, "failed");
        this.stats.failed++;
        logger.error({ seq: d.seq, chatId: d.chatId }, "delivery: bulletin missing, dropped");
        return;
      }
      try {
        const sent = await this.o.send(d.chatId, text, this.abort.signal);
        pacer.answered(sendNumber);
        const messageId = messageIdOf(sent);
        const copy: SentCopy | undefined = messageId === undefined ? undefined : { messageId, version, lang: d.lang };
        await this.acknowledger.complete({ d, outcome: "delivered", ...(copy ? { sent: copy } : {}) });
        this.stats.sent++;
      } catch (err) {
        pacer.answered(sendNumber);
        if (this.abort.signal.aborted) return; // parked: stays queued for the next run
        await deliveryFailed(this.failures, d, err);
      }
    };
    this.track(d.chatId, run, { seq: d.seq }, "delivery: could not record the outcome");
  }

  /** Runs one send (or edit) to a chat as its only one in flight; afterwards wakes the loop and keeps the books. */
  private track(chatId: number, run: () => Promise<void>, ids: { seq: number }, failed: string): void {
    const { logger } = this.o;
    const p = run()
      .catch((err: unknown) => logger.error({ err, ...ids, chatId }, failed))
      .finally(() => {
        this.inflight.delete(chatId);
        this.wake();
        const bookkeeping = async () => {
          await this.reports.check(this.inflight.size === 0);
          await this.progress();
        };
        bookkeeping().catch((err: unknown) => logger.error({ err }, "delivery: bookkeeping failed"));
      });
    this.inflight.set(chatId, p);
  }

  private async progress(): Promise<void> {
    const now = this.clock();
    if (now - this.lastProgress < (this.o.progressEveryMs ?? 10_000)) return;
    this.lastProgress = now;
    this.o.logger.info({ ...this.stats, pending: await this.o.store.pendingCount() }, "delivery progress");
  }

  /**
   * One batch of due edits and deletions, admitted like sends (see admit): on the send budget they
   * are of the pushes' class, and yield to replies and the newsroom's messages as pushes do.
   */
  private async dispatchAmendments(now: number): Promise<{ dispatched: number; soonest: number }> {
    const { store } = this.o;
    let dispatched = 0;
    let soonest = Infinity;
    const jobs = await store.dueAmendmentJobs(this.amendCursor, now, this.o.batchSize ?? 256);
    if (!jobs.length) this.amendCursor = null;
    for (const j of jobs) {
      if (this.stopping) break;
      this.amendCursor = { amendment: j.amendment, chatId: j.chatId };
      const slot = await this.admit(j.chatId, () => store.isAmendmentJobDue(j, this.clock()));
      if (slot.kind === "stop") break;
      if (slot.kind === "later") {
        soonest = Math.min(soonest, slot.at);
        continue;
      }
      this.dispatchAmendment(j, slot.sendNumber);
      dispatched++;
    }
    return { dispatched, soonest };
  }

  private dispatchAmendment(j: AmendmentJob, sendNumber: number): void {
    const { store, pacer, logger } = this.o;
    const run = async () => {
      let html: Html | undefined;
      const version = (await store.bulletinVersion(j.seq)) ?? 0;
      if (j.kind === "correct") {
        html = await this.rendered.render(
          { seq: j.seq, chatId: j.chatId, lang: j.lang, attempts: j.attempts },
          version,
        );
        if (html === undefined) {
          await store.completeAmendmentJob(j, "failed");
          this.stats.failed++;
          logger.error({ seq: j.seq, chatId: j.chatId }, "correction: bulletin missing, dropped");
          return;
        }
      }
      try {
        await this.o.amend!(j, html, this.abort.signal);
        pacer.answered(sendNumber);
        await store.completeAmendmentJob(j, "done", version);
        this.stats.amended++;
      } catch (err) {
        pacer.answered(sendNumber);
        if (this.abort.signal.aborted) return; // parked: stays queued for the next run
        await amendmentFailed(this.failures, j, version, err);
      }
    };
    this.track(j.chatId, run, { seq: j.seq }, "amendment: could not record the outcome");
  }
}
