/**
 * The delivery engine: drains the durable outbox under Telegram's limits.
 *
 * Every (bulletin, chat) pair is a row in the store before anything is sent, and a row leaves the
 * store only once its outcome is recorded. After a crash the next run picks up whatever is left:
 * nobody misses a bulletin, and at most the sends in flight at the crash go out twice.
 * Per chat, bulletins go out in publication order (a chat's next bulletin waits for the previous one).
 *
 * The outbox has a second kind of row: a copy already delivered, to edit (a newsroom correction) or
 * to delete (a withdrawal). Those go through the same pacer, one at a time per chat like sends, and
 * ahead of the sends of a push still running: a correction should not wait for a long push to end.
 */
import { setMaxListeners } from "node:events";
import type { Html } from "../format/html.js";
import type { Logger } from "../logger.js";
import type { AmendmentJob, AmendmentReport, Delivery, PushReport, SentCopy, Store } from "../store/store.js";
import { amendmentOutcome, classifyFailure } from "./classify.js";
import type { Pacing } from "./pacer.js";

export interface EngineOptions {
  store: Store;
  pacer: Pacing;
  logger: Logger;
  /** Renders the message for a delivery (Telegram HTML); undefined if its bulletin is gone. */
  render(d: Delivery): Html | undefined;
  /**
   * Sends one message, with parse_mode HTML; throws grammY's errors. What it resolves to is
   * Telegram's Message: its message_id is kept, so that a correction can edit the copy and a
   * withdrawal delete it.
   */
  send(chatId: number, html: Html, signal: AbortSignal): Promise<unknown>;
  /**
   * Edits a delivered copy to `html` (a correction) or deletes it (a withdrawal, `html` undefined);
   * throws grammY's errors. Without it, such jobs wait in the outbox.
   */
  amend?(job: AmendmentJob, html: Html | undefined, signal: AbortSignal): Promise<unknown>;
  /** Sends an amendment's report once its last job is settled; marked reported as for pushes. */
  onAmendmentFinished?(report: AmendmentReport): Promise<void>;
  /**
   * Sends a push's report once its last delivery is settled. The push is marked reported only when
   * this resolves: a transient failure is retried later (also after a restart); one Telegram will
   * never accept (the recipient blocked the bot) is given up.
   */
  onPushFinished?(report: PushReport): Promise<void>;
  /** Wait before retrying a report whose send failed transiently; default 10 s. */
  reportRetryMs?: number;
  concurrency?: number;
  maxAttempts?: number;
  backoffMs?(attempts: number): number;
  batchSize?: number;
  clock?(): number;
  progressEveryMs?: number;
}

export interface EngineStats {
  sent: number;
  rateLimited: number;
  removed: number;
  /** Not sent to a chat where the bot may not write for now. */
  skipped: number;
  migrated: number;
  retried: number;
  failed: number;
  /** Copies edited or deleted (corrections and withdrawals). */
  amended: number;
}

/** The message id in what sendMessage resolved to, if it is a Message. */
function messageIdOf(sent: unknown): number | undefined {
  const id = (sent as { message_id?: unknown } | null)?.message_id;
  return typeof id === "number" ? id : undefined;
}

/** How long a rendered bulletin is reused for its other recipients (its header shows the time). */
const RENDER_REUSE_MS = 1000;

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
  /** Every recipient of a bulletin in a language gets the same text: render it once, not once per chat. */
  private readonly rendered = new Map<string, { text: Html; at: number }>();
  private stopping = false;
  private running: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private abort = new AbortController();
  private lastPushCheck = 0;
  /** Reports being sent, by push (`p<seq>`) or amendment (`a<id>`). */
  private readonly reporting = new Map<string, Promise<void>>();
  /** Reports that failed transiently: not before this time. */
  private readonly reportRetryAt = new Map<string, number>();
  /** Pushes and amendments whose end has been logged by this process. */
  private readonly announced = new Set<string>();
  /** Where the walk over due edits and deletions is (null: start again from the first). */
  private amendCursor: { amendment: number; chatId: number } | null = null;
  private lastProgress = 0;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly backoff: (attempts: number) => number;
  private readonly clock: () => number;

  constructor(private readonly o: EngineOptions) {
    this.concurrency = o.concurrency ?? Math.min(512, Math.max(8, Math.ceil(o.pacer.perSecond / 2)));
    this.maxAttempts = o.maxAttempts ?? 40;
    this.backoff = o.backoffMs ?? defaultBackoff;
    this.clock = o.clock ?? Date.now;
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

  /** New work was queued: look at the outbox now. */
  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
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
    this.checkPushes(true);
    if (this.reporting.size) {
      const reports = Promise.allSettled([...this.reporting.values()]);
      await Promise.race([reports, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
  }

  /** Resolves when the outbox is empty and nothing is in flight (for tests and benchmarks). */
  async drained(pollMs = 20): Promise<void> {
    while (this.o.store.pendingCount() > 0 || this.inflight.size > 0) await new Promise((r) => setTimeout(r, pollMs));
    this.checkPushes(true);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
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

  private async loop(): Promise<void> {
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
      const batch = store.dueDeliveries(cursor, now, this.o.batchSize ?? 256);
      if (!batch.length) {
        // Idle or between passes: also the moment to (re)send reports left over.
        this.checkPushes(false);
        // More edits or deletions to read: no sleeping before they are.
        if (this.amendCursor !== null) {
          cursor = null;
          continue;
        }
        if (dispatched === 0 || cursor === null) {
          const due = store.nextDueAt();
          const wait = Math.min(1000, soonest - now, due !== undefined ? due - now : Infinity);
          await this.sleep(Math.max(5, wait));
        }
        cursor = null;
        dispatched = 0;
        soonest = Infinity;
        continue;
      }
      for (const d of batch) {
        if (this.stopping) break;
        cursor = { seq: d.seq, chatId: d.chatId };
        const slot = await this.admit(d.chatId, () => store.isDue(d, this.clock()));
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
    stillDue: () => boolean,
  ): Promise<{ kind: "go"; sendNumber: number } | { kind: "later"; at: number } | { kind: "stop" }> {
    const { pacer } = this.o;
    if (this.inflight.has(chatId)) return { kind: "later", at: Infinity };
    const chatWait = pacer.chatWait(chatId);
    if (chatWait > 0) return { kind: "later", at: this.clock() + chatWait };
    while (this.inflight.size >= this.concurrency && !this.stopping) await this.sleep(1000);
    for (let wait = pacer.take(); wait > 0 && !this.stopping; wait = pacer.take()) await this.sleep(wait);
    if (this.stopping) return { kind: "stop" };
    // Sending a row settled meanwhile would be a duplicate.
    if (this.inflight.has(chatId) || !stillDue()) return { kind: "later", at: Infinity };
    pacer.sentTo(chatId);
    return { kind: "go", sendNumber: pacer.lastTaken };
  }

  private dispatch(d: Delivery, sendNumber: number): void {
    const { store, pacer, logger } = this.o;
    const run = async () => {
      // Read with the text (both synchronous): a correction made while the send is in flight is
      // seen when the copy is recorded with this version, and that copy is edited too.
      const version = store.bulletinVersion(d.seq) ?? 0;
      const text = this.render(d, version);
      if (text === undefined) {
        store.complete(d, "failed");
        this.stats.failed++;
        logger.error({ seq: d.seq, chatId: d.chatId }, "delivery: bulletin missing, dropped");
        return;
      }
      try {
        const sent = await this.o.send(d.chatId, text, this.abort.signal);
        pacer.answered(sendNumber);
        const messageId = messageIdOf(sent);
        const copy: SentCopy | undefined = messageId === undefined ? undefined : { messageId, version, lang: d.lang };
        store.complete(d, "delivered", copy);
        this.stats.sent++;
      } catch (err) {
        pacer.answered(sendNumber);
        if (this.abort.signal.aborted) return; // parked: stays queued for the next run
        this.handleFailure(d, err);
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
        try {
          this.checkPushes(this.inflight.size === 0);
          this.progress();
        } catch (err) {
          logger.error({ err }, "delivery: bookkeeping failed");
        }
      });
    this.inflight.set(chatId, p);
  }

  private render(d: Delivery, version: number): Html | undefined {
    const key = `${d.seq}:${d.lang}:${version}`;
    const now = this.clock();
    const hit = this.rendered.get(key);
    if (hit && now - hit.at < RENDER_REUSE_MS) return hit.text;
    const text = this.o.render(d);
    if (text === undefined) {
      this.rendered.delete(key);
      return undefined;
    }
    if (this.rendered.size >= 64) this.rendered.clear();
    this.rendered.set(key, { text, at: now });
    return text;
  }

  private handleFailure(d: Delivery, err: unknown): void {
    const { store, pacer, logger } = this.o;
    const f = classifyFailure(err);
    switch (f.kind) {
      case "rate-limited":
        this.stats.rateLimited++;
        pacer.pause(f.retryAfterMs);
        logger.warn({ chatId: d.chatId, retryAfterMs: f.retryAfterMs }, "delivery: 429 from Telegram, pausing");
        return; // the row stays due and goes again after the pause
      case "gone":
        this.stats.removed++;
        store.removeChat(d.chatId);
        logger.info({ chatId: d.chatId, reason: f.reason }, "delivery: chat unreachable, subscriber removed");
        return;
      case "no-rights":
        this.stats.skipped++;
        store.complete(d, "skipped");
        logger.info(
          { chatId: d.chatId, seq: d.seq, reason: f.reason },
          "delivery: no rights to write in the chat, bulletin skipped there (still subscribed)",
        );
        return;
      case "migrated":
        this.stats.migrated++;
        store.migrateChat(d.chatId, f.to);
        logger.info({ from: d.chatId, to: f.to }, "delivery: group migrated to a supergroup, following it");
        return;
      case "transient":
        if (d.attempts + 1 >= this.maxAttempts) {
          this.stats.failed++;
          store.complete(d, "failed");
          logger.error(
            { chatId: d.chatId, seq: d.seq, attempts: d.attempts + 1, reason: f.reason },
            "delivery: giving up after repeated failures",
          );
        } else {
          this.stats.retried++;
          store.postpone(d, this.clock() + this.backoff(d.attempts + 1), f.reason);
          logger.warn(
            { chatId: d.chatId, seq: d.seq, attempts: d.attempts + 1, reason: f.reason },
            "delivery: transient failure, will retry",
          );
        }
        return;
      case "permanent":
        this.stats.failed++;
        store.complete(d, "failed");
        logger.error({ chatId: d.chatId, seq: d.seq, reason: f.reason }, "delivery: rejected by Telegram");
        return;
    }
  }

  private progress(): void {
    const now = this.clock();
    if (now - this.lastProgress < (this.o.progressEveryMs ?? 10_000)) return;
    this.lastProgress = now;
    this.o.logger.info({ ...this.stats, pending: this.o.store.pendingCount() }, "delivery progress");
  }

  private checkPushes(force: boolean): void {
    const now = this.clock();
    if (!force && now - this.lastPushCheck < 250) return;
    this.lastPushCheck = now;
    const { store, logger } = this.o;
    for (const report of store.unreportedFinishedPushes()) {
      this.report(`p${report.seq}`, now, {
        log: () =>
          logger.info(
            {
              bulletin: report.bulletinId,
              total: report.total,
              delivered: report.delivered,
              removed: report.removed,
              skipped: report.skipped,
              failed: report.failed,
              ms: (report.finishedAt ?? now) - report.startedAt,
            },
            "push finished",
          ),
        what: { bulletin: report.bulletinId },
        send: this.o.onPushFinished && (() => this.o.onPushFinished!(report)),
        mark: () => store.markReported(report.seq),
      });
    }
    for (const report of store.unreportedFinishedAmendments()) {
      this.report(`a${report.id}`, now, {
        log: () =>
          logger.info(
            {
              bulletin: report.bulletinId,
              kind: report.kind,
              total: report.total,
              done: report.done,
              gone: report.gone,
              failed: report.failed,
              superseded: report.superseded,
              ms: (report.finishedAt ?? now) - report.startedAt,
            },
            "amendment finished",
          ),
        what: { bulletin: report.bulletinId, amendment: report.id },
        send: this.o.onAmendmentFinished && (() => this.o.onAmendmentFinished!(report)),
        mark: () => store.markAmendmentReported(report.id),
      });
    }
  }

  /**
   * Sends one finished push's or amendment's report (unless it is being sent, or waits to be retried)
   * and marks it reported once it went out, or once Telegram will never accept it.
   */
  private report(
    key: string,
    now: number,
    r: { log(): void; what: object; send: (() => Promise<void>) | undefined; mark(): void },
  ): void {
    if (this.reporting.has(key) || (this.reportRetryAt.get(key) ?? 0) > now) return;
    if (!this.announced.has(key)) {
      this.announced.add(key);
      r.log();
    }
    if (!r.send) {
      r.mark();
      return;
    }
    const sending = r
      .send()
      .then(
        () => this.reported(key, r.mark),
        (err: unknown) => {
          const f = classifyFailure(err);
          if (f.kind === "transient" || f.kind === "rate-limited") {
            const wait = f.kind === "rate-limited" ? f.retryAfterMs : (this.o.reportRetryMs ?? 10_000);
            this.reportRetryAt.set(key, this.clock() + wait);
            this.o.logger.warn({ err, ...r.what }, "report could not be sent, will retry");
          } else {
            this.o.logger.warn({ err, ...r.what }, "report could not be sent, given up");
            this.reported(key, r.mark);
          }
        },
      )
      .finally(() => this.reporting.delete(key));
    this.reporting.set(key, sending);
  }

  private reported(key: string, mark: () => void): void {
    this.reportRetryAt.delete(key);
    try {
      mark();
    } catch (err) {
      // The store closed meanwhile: the report goes out again on the next start.
      this.o.logger.warn({ err, key }, "report sent but not recorded");
    }
  }

  /**
   * One batch of due edits and deletions, admitted like sends (see admit): on the send budget they
   * are of the pushes' class, and yield to replies and the newsroom's messages as pushes do.
   */
  private async dispatchAmendments(now: number): Promise<{ dispatched: number; soonest: number }> {
    const { store } = this.o;
    let dispatched = 0;
    let soonest = Infinity;
    const jobs = store.dueAmendmentJobs(this.amendCursor, now, this.o.batchSize ?? 256);
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
      const version = store.bulletinVersion(j.seq) ?? 0;
      if (j.kind === "correct") {
        html = this.render({ seq: j.seq, chatId: j.chatId, lang: j.lang, attempts: j.attempts }, version);
        if (html === undefined) {
          store.completeAmendmentJob(j, "failed");
          this.stats.failed++;
          logger.error({ seq: j.seq, chatId: j.chatId }, "correction: bulletin missing, dropped");
          return;
        }
      }
      try {
        await this.o.amend!(j, html, this.abort.signal);
        pacer.answered(sendNumber);
        store.completeAmendmentJob(j, "done", version);
        this.stats.amended++;
      } catch (err) {
        pacer.answered(sendNumber);
        if (this.abort.signal.aborted) return; // parked: stays queued for the next run
        this.handleAmendmentFailure(j, version, err);
      }
    };
    this.track(j.chatId, run, { seq: j.seq }, "amendment: could not record the outcome");
  }

  private handleAmendmentFailure(j: AmendmentJob, version: number, err: unknown): void {
    const { store, pacer, logger } = this.o;
    const where = { chatId: j.chatId, seq: j.seq, messageId: j.messageId, kind: j.kind };
    // "Not modified" is an edit already made; a message that is no longer there, or too old to
    // delete, is settled now and never tried again.
    const outcome = amendmentOutcome(err);
    if (outcome) {
      store.completeAmendmentJob(j, outcome, version);
      if (outcome === "done") this.stats.amended++;
      else if (outcome === "failed") this.stats.failed++;
      if (outcome !== "done") logger.info({ ...where, outcome, err }, "amendment: copy settled without change");
      return;
    }
    const f = classifyFailure(err);
    switch (f.kind) {
      case "rate-limited":
        this.stats.rateLimited++;
        pacer.pause(f.retryAfterMs);
        logger.warn({ ...where, retryAfterMs: f.retryAfterMs }, "amendment: 429 from Telegram, pausing");
        return; // stays due and goes again after the pause
      case "gone":
        this.stats.removed++;
        store.removeChat(j.chatId);
        store.completeAmendmentJob(j, "gone");
        logger.info({ ...where, reason: f.reason }, "amendment: chat unreachable, subscriber removed");
        return;
      case "transient":
        if (j.attempts + 1 < this.maxAttempts) {
          this.stats.retried++;
          store.postponeAmendmentJob(j, this.clock() + this.backoff(j.attempts + 1), f.reason);
          logger.warn(
            { ...where, attempts: j.attempts + 1, reason: f.reason },
            "amendment: transient failure, will retry",
          );
          return;
        }
        break;
      default:
        break;
    }
    this.stats.failed++;
    store.completeAmendmentJob(j, "failed");
    logger.warn({ ...where, failure: f }, "amendment: refused by Telegram, counted as failed");
  }
}
