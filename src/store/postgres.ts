/**
 * The shared store: PostgreSQL, for several bot instances on one database. PostgresStore is the facade
 * that composes the PostgreSQL repositories (postgres/*.ts, one per concern of contract/*.ts) over one
 * pool, so that a transaction of one of them (the pool's ambient transaction) may include the others'
 * writes, as SqliteStore does over one connection (see docs/architecture.md, Storage). The outbox's rows
 * are claimed by the instance that sends them (postgres/claims.ts): every message goes out once.
 */
import type { ComuneCode } from "../data/model.js";
import type { Lang } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { PgAmendments } from "./postgres/amendments.js";
import { PgBulletins } from "./postgres/bulletins.js";
import { PgLiveCardStore } from "./postgres/cards.js";
import type { ClaimOptions } from "./postgres/claims.js";
import { PgDatabase, type PgDatabaseOptions } from "./postgres/connection.js";
import { PgCoordination } from "./postgres/coordination.js";
import { PgDrafts } from "./postgres/drafts.js";
import { PgFeedStore } from "./postgres/feed.js";
import { PgMeta } from "./postgres/meta.js";
import { migrate } from "./postgres/migrations.js";
import { PgOutbox } from "./postgres/outbox.js";
import { PgSubscriptions } from "./postgres/subscriptions.js";
import type {
  AmendmentJob,
  AmendmentOutcome,
  AmendmentReport,
  AmendmentStarted,
  BulletinContent,
  Correction,
  CorrectionReach,
  Delivery,
  Draft,
  DraftSettlement,
  NewBulletin,
  NewDraft,
  Outcome,
  PushOptions,
  PushReport,
  QuietHours,
  SentCopy,
  Storage,
  StoredBulletin,
  Subscription,
  Terminal,
} from "./store.js";

/** How a PostgresStore is opened: the pool's options, this instance's claims, the store's clock. */
export interface PostgresStoreOptions extends Omit<PgDatabaseOptions, "logger">, ClaimOptions {
  /** The time recorded for pushes, subscriptions and amendments, and of the report claims. */
  clock?: () => number;
  logger?: Pick<Logger, "info" | "warn" | "error">;
}

export class PostgresStore implements Storage {
  readonly meta: PgMeta;
  readonly outbox: PgOutbox;
  readonly bulletins: PgBulletins;
  readonly amendments: PgAmendments;
  readonly drafts: PgDrafts;
  readonly subscriptions: PgSubscriptions;
  /** The feed's state, announcement keys and review drafts, on the same pool. */
  readonly feed: PgFeedStore;
  /** The live cards, on the same pool. */
  readonly cards: PgLiveCardStore;
  /** Leases and heartbeats of the instances sharing the database. */
  readonly coordination: PgCoordination;
  readonly shared = true;

  /**
   * Connects to the database at `url` (in `options.schema`, if given), brings its schema up to date
   * (several instances starting at once take turns) and returns the store.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const db = new PgDatabase(url, options);
    try {
      await migrate(db, options.logger);
    } catch (e) {
      await db.close();
      throw e;
    }
    return new PostgresStore(db, options);
  }

  /** A store over a database already migrated (see open). */
  constructor(
    /** The pool, for what only PostgreSQL has (tests of the schema, of the claims). */
    readonly db: PgDatabase,
    options: PostgresStoreOptions = {},
  ) {
    const clock = options.clock ?? Date.now;
    this.meta = new PgMeta(db);
    this.outbox = new PgOutbox(db, clock, { instance: options.instance, leaseMs: options.leaseMs });
    this.bulletins = new PgBulletins(db, this.outbox);
    this.amendments = new PgAmendments(db, this.bulletins, this.outbox, clock);
    this.drafts = new PgDrafts(db);
    this.subscriptions = new PgSubscriptions(db, clock);
    this.feed = new PgFeedStore(db);
    this.cards = new PgLiveCardStore(db);
    this.coordination = new PgCoordination(db);
  }

  /** This instance's id among those sharing the database (its claims'). */
  get instance(): string {
    return this.outbox.instance;
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  // meta
  getMeta(key: string): Promise<string | undefined> {
    return this.meta.getMeta(key);
  }
  setMeta(key: string, value: string): Promise<void> {
    return this.meta.setMeta(key, value);
  }

  // bulletins
  bulletinsOf(election: string): Promise<StoredBulletin[]> {
    return this.bulletins.bulletinsOf(election);
  }
  addBulletin(b: NewBulletin, push?: PushOptions): Promise<{ seq: number; recipients: number }> {
    return this.bulletins.addBulletin(b, push);
  }
  correctBulletin(seq: number, content: BulletinContent): Promise<void> {
    return this.bulletins.correctBulletin(seq, content);
  }
  withdrawBulletin(seq: number): Promise<number> {
    return this.bulletins.withdrawBulletin(seq);
  }
  latestBulletins(limit: number): Promise<StoredBulletin[]> {
    return this.bulletins.latestBulletins(limit);
  }
  latestBulletinsAbout(comune: ComuneCode, limit: number): Promise<StoredBulletin[]> {
    return this.bulletins.latestBulletinsAbout(comune, limit);
  }
  bulletin(seq: number): Promise<StoredBulletin | undefined> {
    return this.bulletins.bulletin(seq);
  }
  bulletinCount(): Promise<number> {
    return this.bulletins.bulletinCount();
  }
  bulletinVersion(seq: number): Promise<number | undefined> {
    return this.bulletins.bulletinVersion(seq);
  }
  recordNewsroomMessage(chatId: number, messageId: number, seq: number): Promise<void> {
    return this.bulletins.recordNewsroomMessage(chatId, messageId, seq);
  }
  bulletinByMessage(chatId: number, messageId: number): Promise<number | undefined> {
    return this.bulletins.bulletinByMessage(chatId, messageId);
  }

  // corrections and withdrawals
  amendBulletin(
    seq: number,
    change: { kind: "correct"; content: Correction; correctedAt: string } | { kind: "withdraw" },
    by: { requestedBy: number | null; lang: Lang },
  ): Promise<AmendmentStarted | undefined> {
    return this.amendments.amendBulletin(seq, change, by);
  }
  copyCount(seq: number): Promise<{ delivered: number; queued: number }> {
    return this.amendments.copyCount(seq);
  }
  correctionReach(seq: number, comuni: readonly string[]): Promise<CorrectionReach | undefined> {
    return this.amendments.correctionReach(seq, comuni);
  }
  dueAmendmentJobs(
    after: { amendment: number; chatId: number } | null,
    now: number,
    limit: number,
  ): Promise<AmendmentJob[]> {
    return this.amendments.dueAmendmentJobs(after, now, limit);
  }
  isAmendmentJobDue(j: Pick<AmendmentJob, "amendment" | "chatId">, now: number): Promise<boolean> {
    return this.amendments.isAmendmentJobDue(j, now);
  }
  completeAmendmentJob(
    j: Pick<AmendmentJob, "amendment" | "chatId">,
    outcome: AmendmentOutcome,
    version?: number,
  ): Promise<void> {
    return this.amendments.completeAmendmentJob(j, outcome, version);
  }
  postponeAmendmentJob(j: Pick<AmendmentJob, "amendment" | "chatId">, dueAt: number, error: string): Promise<void> {
    return this.amendments.postponeAmendmentJob(j, dueAt, error);
  }
  unreportedFinishedAmendments(): Promise<AmendmentReport[]> {
    return this.amendments.unreportedFinishedAmendments();
  }
  markAmendmentReported(id: number): Promise<void> {
    return this.amendments.markAmendmentReported(id);
  }
  forgetCopiesBefore(ms: number): Promise<number> {
    return this.amendments.forgetCopiesBefore(ms);
  }

  // drafts
  createDraft(d: NewDraft): Promise<Draft> {
    return this.drafts.createDraft(d);
  }
  draft(id: number): Promise<Draft | undefined> {
    return this.drafts.draft(id);
  }
  setDraftMessage(id: number, messageId: number): Promise<void> {
    return this.drafts.setDraftMessage(id, messageId);
  }
  setDraftComuni(id: number, comuni: readonly ComuneCode[]): Promise<void> {
    return this.drafts.setDraftComuni(id, comuni);
  }
  settleDraft(
    id: number,
    now: number,
    to: "done" | "cancelled",
    act?: (d: Draft) => Promise<number | undefined>,
  ): Promise<DraftSettlement> {
    return this.drafts.settleDraft(id, now, to, act);
  }

  // subscriptions
  subscribe(chatId: number, what: Subscription, lang: Lang): Promise<boolean> {
    return this.subscriptions.subscribe(chatId, what, lang);
  }
  subscribeMany(entries: Iterable<{ chatId: number; what: Subscription; lang: Lang }>): Promise<number> {
    return this.subscriptions.subscribeMany(entries);
  }
  unsubscribe(chatId: number, what: Subscription | "*"): Promise<number> {
    return this.subscriptions.unsubscribe(chatId, what);
  }
  subscriptionsOf(chatId: number): Promise<Subscription[]> {
    return this.subscriptions.subscriptionsOf(chatId);
  }
  followerCounts(): Promise<Map<ComuneCode, number>> {
    return this.subscriptions.followerCounts();
  }
  subscriberStats(): Promise<{ subscriptions: number; chats: number }> {
    return this.subscriptions.subscriberStats();
  }
  recipientCount(comuni: readonly ComuneCode[]): Promise<number> {
    return this.subscriptions.recipientCount(comuni);
  }
  quietHoursOf(chatId: number): Promise<QuietHours | undefined> {
    return this.subscriptions.quietHoursOf(chatId);
  }
  setQuietHours(chatId: number, quiet: QuietHours | undefined): Promise<void> {
    return this.subscriptions.setQuietHours(chatId, quiet);
  }
  removeChat(chatId: number): Promise<number> {
    return this.subscriptions.removeChat(chatId);
  }
  migrateChat(from: number, to: number): Promise<void> {
    return this.subscriptions.migrateChat(from, to);
  }

  // outbox
  dueDeliveries(after: { seq: number; chatId: number } | null, now: number, limit: number): Promise<Delivery[]> {
    return this.outbox.dueDeliveries(after, now, limit);
  }
  isDue(d: Pick<Delivery, "seq" | "chatId">, now: number): Promise<boolean> {
    return this.outbox.isDue(d, now);
  }
  stillDue(ds: readonly Pick<Delivery, "seq" | "chatId">[], now: number): Promise<Pick<Delivery, "seq" | "chatId">[]> {
    return this.outbox.stillDue(ds, now);
  }
  nextDueAt(): Promise<number | undefined> {
    return this.outbox.nextDueAt();
  }
  pendingCount(): Promise<number> {
    return this.outbox.pendingCount();
  }
  complete(d: Pick<Delivery, "seq" | "chatId">, outcome: Terminal, sent?: SentCopy): Promise<void> {
    return this.outbox.complete(d, outcome, sent);
  }
  completeMany(outcomes: readonly Outcome[]): Promise<void> {
    return this.outbox.completeMany(outcomes);
  }
  postpone(d: Pick<Delivery, "seq" | "chatId">, dueAt: number, error: string): Promise<void> {
    return this.outbox.postpone(d, dueAt, error);
  }
  unreportedFinishedPushes(): Promise<PushReport[]> {
    return this.outbox.unreportedFinishedPushes();
  }
  markReported(seq: number): Promise<void> {
    return this.outbox.markReported(seq);
  }
  lastPush(): Promise<PushReport | undefined> {
    return this.outbox.lastPush();
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
