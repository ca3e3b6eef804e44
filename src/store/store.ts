/**
 * What the bot keeps between runs: published bulletins, subscriptions, and the delivery outbox.
 * The contract is one repository interface per concern (contract/*.ts); `Store` is their composition,
 * what callers hold. SQLite is the embedded implementation (sqlite.ts composes its repositories over
 * one connection); anything satisfying these interfaces can replace it (see docs/architecture.md, Storage).
 */
import type { AmendmentRepository } from "./contract/amendments.js";
import type { BulletinRepository } from "./contract/bulletins.js";
import type { LiveCardStore } from "./contract/cards.js";
import type { Coordination } from "./contract/coordination.js";
import type { DraftRepository } from "./contract/drafts.js";
import type { FeedStore } from "./contract/feed.js";
import type { MetaRepository } from "./contract/meta.js";
import type { OutboxRepository } from "./contract/outbox.js";
import type { SubscriptionRepository } from "./contract/subscriptions.js";
import type { UnitOfWork } from "./contract/transaction.js";

export type {
  AmendmentJob,
  AmendmentKind,
  AmendmentOutcome,
  AmendmentReport,
  AmendmentRepository,
  AmendmentStarted,
  Correction,
  CorrectionReach,
} from "./contract/amendments.js";
export type {
  Audience,
  BulletinContent,
  BulletinOrigin,
  BulletinRepository,
  NewBulletin,
  PushOptions,
  StoredBulletin,
} from "./contract/bulletins.js";
export type { Coordination, InstanceInfo, Lease } from "./contract/coordination.js";
export type { Draft, DraftKind, DraftRepository, DraftSettlement, NewDraft } from "./contract/drafts.js";
export type { MetaRepository } from "./contract/meta.js";
export type { Delivery, OutboxRepository, Outcome, PushReport, SentCopy, Terminal } from "./contract/outbox.js";
export { NATIONAL, type QuietHours, type Subscription, type SubscriptionRepository } from "./contract/subscriptions.js";
export type { UnitOfWork } from "./contract/transaction.js";

export interface Store
  extends MetaRepository,
    BulletinRepository,
    AmendmentRepository,
    DraftRepository,
    SubscriptionRepository,
    OutboxRepository,
    UnitOfWork {
  close(): Promise<void>;
}

/**
 * Everything the bot keeps in one database: the Store, and beside it the feed's state and the live
 * cards, whose transactions may include the Store's writes (a feed bulletin and its announcement keys).
 */
export interface Storage extends Store {
  readonly feed: FeedStore;
  readonly cards: LiveCardStore;
  /** Leases and heartbeats of the instances sharing the database (one process, in memory, on SQLite). */
  readonly coordination: Coordination;
  /** Whether several instances may share this store (PostgreSQL): the runtime then coordinates them. */
  readonly shared: boolean;
}
