/**
 * The delivery panel's figures: the latest push and its progress, the outbox's queue, the messages sent
 * a second against the account's limit (measured between two readings), 429s, replies dropped, and the
 * live cards' laps.
 */
import type { App } from "../app.js";
import { bulletinTitle } from "../views/bulletins.js";
import type { DeliverySources, DeliveryStats } from "./types.js";

export class DeliveryMeter {
  private last?: { at: number; sent: number };
  private rate = 0;

  constructor(
    private readonly app: App,
    private readonly s: DeliverySources,
  ) {}

  /** Everything sent so far: pushes, replies, the newsroom's messages, live cards. */
  private sentSoFar(): number {
    const b = this.s.budget?.stats();
    return (
      this.s.engine.stats.sent +
      this.s.liveCards.stats.sent +
      this.s.liveCards.stats.edited +
      (b ? b.replies + b.newsroom : 0)
    );
  }

  /** The figures now; the rate is measured since the previous reading at least a second ago. */
  async read(): Promise<DeliveryStats> {
    const now = Date.now();
    const sent = this.sentSoFar();
    if (!this.last) this.last = { at: now, sent };
    else if (now - this.last.at >= 1000) {
      this.rate = Math.round(((sent - this.last.sent) * 1000) / (now - this.last.at));
      this.last = { at: now, sent };
    }
    const last = await this.app.store.lastPush();
    const queued = await this.app.store.pendingCount();
    const b = this.s.budget?.stats();
    const cards = this.s.liveCards.stats;
    return {
      ...(last
        ? {
            push: {
              seq: last.seq,
              title: bulletinTitle(last.bulletinText),
              total: last.total,
              done: last.delivered + last.removed + last.skipped + last.failed,
              delivered: last.delivered,
              failed: last.failed,
              possiblyDuplicated: last.possiblyDuplicated,
              running: last.finishedAt === null,
              startedAt: last.startedAt,
            },
          }
        : {}),
      queued,
      limit: this.s.budget?.perSecond ?? this.s.sendRate,
      rate: this.rate,
      rateLimited: b ? b.rateLimited : this.s.engine.stats.rateLimited + cards.rateLimited,
      dropped: b ? b.droppedWaited + b.droppedOverflow : 0,
      repliesWaiting: b?.queued ?? 0,
      cards: { laps: cards.laps, edited: cards.edited, sent: cards.sent, failed: cards.failed },
      sent: this.s.engine.stats.sent,
      failed: this.s.engine.stats.failed,
    };
  }
}
