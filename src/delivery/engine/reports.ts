/**
 * The reports of finished pushes and amendments: each logged once by this process, sent (when the caller
 * sends reports) and marked reported only once it went out, or once Telegram will never accept it; a
 * transient failure is retried later, also after a restart.
 */
import { classifyFailure } from "../classify.js";
import type { EngineOptions } from "./types.js";

export class Reports {
  private lastCheck = 0;
  /** Reports being sent, by push (`p<seq>`) or amendment (`a<id>`). */
  private readonly reporting = new Map<string, Promise<void>>();
  /** Reports that failed transiently: not before this time. */
  private readonly reportRetryAt = new Map<string, number>();
  /** Pushes and amendments whose end has been logged by this process. */
  private readonly announced = new Set<string>();

  constructor(
    private readonly o: EngineOptions,
    private readonly clock: () => number,
  ) {}

  /** Reports being sent now. */
  sending(): Promise<void>[] {
    return [...this.reporting.values()];
  }

  /** Looks for finished pushes and amendments not reported yet (at most every 250 ms unless `force`). */
  async check(force: boolean): Promise<void> {
    const now = this.clock();
    if (!force && now - this.lastCheck < 250) return;
    this.lastCheck = now;
    const { store, logger } = this.o;
    for (const report of await store.unreportedFinishedPushes()) {
      await this.report(`p${report.seq}`, now, {
        log: () =>
          logger.info(
            {
              bulletin: report.bulletinId,
              total: report.total,
              delivered: report.delivered,
              removed: report.removed,
              skipped: report.skipped,
              failed: report.failed,
              possiblyDuplicated: report.possiblyDuplicated,
              ms: (report.finishedAt ?? now) - report.startedAt,
            },
            "push finished",
          ),
        what: { bulletin: report.bulletinId },
        send: this.o.onPushFinished && (() => this.o.onPushFinished!(report)),
        mark: () => store.markReported(report.seq),
      });
    }
    for (const report of await store.unreportedFinishedAmendments()) {
      await this.report(`a${report.id}`, now, {
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
   * and marks it reported once it went out, or once Telegram will never accept it. Without a send, it
   * resolves once marked; with one, at once (the send is tracked in `reporting`, set before any await so
   * that a check running meanwhile does not send it twice).
   */
  private report(
    key: string,
    now: number,
    r: { log(): void; what: object; send: (() => Promise<void>) | undefined; mark(): Promise<void> },
  ): Promise<void> {
    if (this.reporting.has(key) || (this.reportRetryAt.get(key) ?? 0) > now) return Promise.resolve();
    if (!this.announced.has(key)) {
      this.announced.add(key);
      r.log();
    }
    if (!r.send) return r.mark();
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
            return this.reported(key, r.mark);
          }
        },
      )
      .finally(() => this.reporting.delete(key));
    this.reporting.set(key, sending);
    return Promise.resolve();
  }

  private async reported(key: string, mark: () => Promise<void>): Promise<void> {
    this.reportRetryAt.delete(key);
    try {
      await mark();
    } catch (err) {
      // The store closed meanwhile: the report goes out again on the next start.
      this.o.logger.warn({ err, key }, "report sent but not recorded");
    }
  }
}
