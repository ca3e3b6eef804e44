/** What the desk reads of the runtime beyond the App: the delivery's counters. */

/** Delivery at a glance: the latest push, the queue, the send rate against the limit, 429s, drops, live cards. */
export interface DeliveryStats {
  /** The latest push and how far it got (running while finishedAt is null). */
  push?: {
    seq: number;
    title: string;
    total: number;
    done: number;
    delivered: number;
    failed: number;
    /** Taken over while another instance was sending them: they may have gone out twice. */
    possiblyDuplicated: number;
    running: boolean;
    startedAt: number;
  };
  /** Deliveries, edits and deletions queued in the outbox. */
  queued: number;
  /** Messages a second allowed (SEND_RATE), and sent over the last seconds (pushes, replies, cards). */
  limit: number;
  rate: number;
  /** 429s from Telegram since start. */
  rateLimited: number;
  /** Replies dropped (waited too long, or the queue was full). */
  dropped: number;
  /** Replies waiting for a send slot now. */
  repliesWaiting: number;
  /** The live cards: laps started, edits, new cards. */
  cards: { laps: number; edited: number; sent: number; failed: number };
  /** Pushes sent and failed since start. */
  sent: number;
  failed: number;
}

/** The counters the desk reads, given by whoever mounts it (the runtime's engine, budget and live cards). */
export interface DeliverySources {
  engine: { stats: { sent: number; failed: number; rateLimited: number } };
  liveCards: { stats: { laps: number; edited: number; sent: number; failed: number; rateLimited: number } };
  budget?: {
    perSecond: number;
    stats(): {
      replies: number;
      newsroom: number;
      droppedWaited: number;
      droppedOverflow: number;
      rateLimited: number;
      queued: number;
    };
  };
  sendRate: number;
}
