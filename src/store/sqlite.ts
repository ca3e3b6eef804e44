/**
 * The embedded store: SQLite through better-sqlite3, WAL mode, versioned migrations. SqliteStore is the
 * facade that composes the SQLite repositories (sqlite/*.ts, one per concern of contract/*.ts, synchronous)
 * over one connection, and offers them as the async contract, with the ambient transaction of
 * sqlite/unit-of-work.ts spanning all of them (see docs/architecture.md, Storage).
 */
import type Database from "better-sqlite3";
import type { ComuneCode } from "../data/model.js";
import type { Lang } from "../i18n/index.js";
import type { CardState, LiveCardStore } from "./contract/cards.js";
import type { Announcement, DraftStatus, Draft as FeedDraft, FeedStore } from "./contract/feed.js";
import { LocalCoordination } from "./memory-coordination.js";
import { SqliteAmendments } from "./sqlite/amendments.js";
import { SqliteBulletins } from "./sqlite/bulletins.js";
import { SqliteLiveCardStore } from "./sqlite/cards.js";
import type { MigrationContext } from "./sqlite/comune-codes.js";
import { openDatabase } from "./sqlite/connection.js";
import { SqliteDrafts } from "./sqlite/drafts.js";
import { SqliteFeedStore } from "./sqlite/feed.js";
import { SqliteMeta } from "./sqlite/meta.js";
import { FEW_POSTPONED, SqliteOutbox } from "./sqlite/outbox.js";
import { SqliteSubscriptions } from "./sqlite/subscriptions.js";
import { SqliteUnitOfWork } from "./sqlite/unit-of-work.js";
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

export { MIGRATIONS, migrate } from "./sqlite/migrations.js";

export class SqliteStore implements Storage {
  /** The connection, for what only SQLite has (tests of the schema, its query plans). */
  readonly db: Database.Database;
  readonly meta: SqliteMeta;
  readonly outbox: SqliteOutbox;
  readonly bulletins: SqliteBulletins;
  readonly amendments: SqliteAmendments;
  readonly drafts: SqliteDrafts;
  readonly subscriptions: SqliteSubscriptions;
  /** The feed's tables, synchronously (SQLite-only code and tests); `feed` is the contract. */
  readonly feedTables: SqliteFeedStore;
  /** The live cards' table, synchronously (SQLite-only code and tests); `cards` is the contract. */
  readonly cardTables: SqliteLiveCardStore;
  /** The feed's state, announcement keys and review drafts, on the same connection and transaction. */
  readonly feed: FeedStore;
  /** The live cards, on the same connection and transaction. */
  readonly cards: LiveCardStore;
  private readonly work: SqliteUnitOfWork;
  /** One process: leases and heartbeats in memory. */
  readonly coordination: LocalCoordination;
  readonly shared = false;

  /**
   * @param clock the time recorded for pushes and subscriptions
   * @param fewPostponed up to how many postponed deliveries a new push fixes its rows up afterwards
   *   rather than looking every recipient up (tests lower it to reach both ways)
   * @param migration what an upgrade may need: the comuni index, to key old rows by code
   */
  constructor(
    file: string,
    clock: () => number = Date.now,
    fewPostponed = FEW_POSTPONED,
    migration: MigrationContext = {},
  ) {
    const db = openDatabase(file, migration);
    this.db = db;
    this.meta = new SqliteMeta(db);
    this.outbox = new SqliteOutbox(db, clock, fewPostponed);
    this.bulletins = new SqliteBulletins(db, this.outbox);
    this.amendments = new SqliteAmendments(db, this.bulletins, this.outbox, clock);
    this.drafts = new SqliteDrafts(db);
    this.subscriptions = new SqliteSubscriptions(db, this.outbox, clock);
    this.feedTables = new SqliteFeedStore(db);
    this.cardTables = new SqliteLiveCardStore(db);
    this.work = new SqliteUnitOfWork(db);
    this.feed = new AsyncFeedStore(this.feedTables, this.work);
    this.cards = new AsyncLiveCardStore(this.cardTables, this.work);
    this.coordination = new LocalCoordination(clock);
  }

  /** A repository call, through the gate of the ambient transaction (see sqlite/unit-of-work.ts). */
  private run<T>(fn: () => T): T | Promise<T> {
    return this.work.run(fn);
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.work.transaction(fn);
  }

  // meta
  async getMeta(key: string): Promise<string | undefined> {
    return this.run(() => this.meta.getMeta(key));
  }
  async setMeta(key: string, value: string): Promise<void> {
    return this.run(() => this.meta.setMeta(key, value));
  }

  // bulletins
  async bulletinsOf(election: string): Promise<StoredBulletin[]> {
    return this.run(() => this.bulletins.bulletinsOf(election));
  }
  async addBulletin(b: NewBulletin, push?: PushOptions): Promise<{ seq: number; recipients: number }> {
    return this.run(() => this.bulletins.addBulletin(b, push));
  }
  async correctBulletin(seq: number, content: BulletinContent): Promise<void> {
    return this.run(() => this.bulletins.correctBulletin(seq, content));
  }
  async withdrawBulletin(seq: number): Promise<number> {
    return this.run(() => this.bulletins.withdrawBulletin(seq));
  }
  async latestBulletins(limit: number): Promise<StoredBulletin[]> {
    return this.run(() => this.bulletins.latestBulletins(limit));
  }
  async latestBulletinsAbout(comune: ComuneCode, limit: number): Promise<StoredBulletin[]> {
    return this.run(() => this.bulletins.latestBulletinsAbout(comune, limit));
  }
  async bulletin(seq: number): Promise<StoredBulletin | undefined> {
    return this.run(() => this.bulletins.bulletin(seq));
  }
  async bulletinCount(): Promise<number> {
    return this.run(() => this.bulletins.bulletinCount());
  }
  async bulletinVersion(seq: number): Promise<number | undefined> {
    return this.run(() => this.bulletins.bulletinVersion(seq));
  }
  async recordNewsroomMessage(chatId: number, messageId: number, seq: number): Promise<void> {
    return this.run(() => this.bulletins.recordNewsroomMessage(chatId, messageId, seq));
  }
  async bulletinByMessage(chatId: number, messageId: number): Promise<number | undefined> {
    return this.run(() => this.bulletins.bulletinByMessage(chatId, messageId));
  }

  // corrections and withdrawals
  async amendBulletin(
    seq: number,
    change: { kind: "correct"; content: Correction; correctedAt: string } | { kind: "withdraw" },
    by: { requestedBy: number | null; lang: Lang },
  ): Promise<AmendmentStarted | undefined> {
    return this.run(() => this.amendments.amendBulletin(seq, change, by));
  }
  async copyCount(seq: number): Promise<{ delivered: number; queued: number }> {
    return this.run(() => this.amendments.copyCount(seq));
  }
  async correctionReach(seq: number, comuni: readonly string[]): Promise<CorrectionReach | undefined> {
    return this.run(() => this.amendments.correctionReach(seq, comuni));
  }
  async dueAmendmentJobs(
    after: { amendment: number; chatId: number } | null,
    now: number,
    limit: number,
  ): Promise<AmendmentJob[]> {
    return this.run(() => this.amendments.dueAmendmentJobs(after, now, limit));
  }
  async isAmendmentJobDue(j: Pick<AmendmentJob, "amendment" | "chatId">, now: number): Promise<boolean> {
    return this.run(() => this.amendments.isAmendmentJobDue(j, now));
  }
  async completeAmendmentJob(
    j: Pick<AmendmentJob, "amendment" | "chatId">,
    outcome: AmendmentOutcome,
    version?: number,
  ): Promise<void> {
    return this.run(() => this.amendments.completeAmendmentJob(j, outcome, version));
  }
  async postponeAmendmentJob(
    j: Pick<AmendmentJob, "amendment" | "chatId">,
    dueAt: number,
    error: string,
  ): Promise<void> {
    return this.run(() => this.amendments.postponeAmendmentJob(j, dueAt, error));
  }
  async unreportedFinishedAmendments(): Promise<AmendmentReport[]> {
    return this.run(() => this.amendments.unreportedFinishedAmendments());
  }
  async markAmendmentReported(id: number): Promise<void> {
    return this.run(() => this.amendments.markAmendmentReported(id));
  }
  async forgetCopiesBefore(ms: number): Promise<number> {
    return this.run(() => this.amendments.forgetCopiesBefore(ms));
  }

  // drafts
  async createDraft(d: NewDraft): Promise<Draft> {
    return this.run(() => this.drafts.createDraft(d));
  }
  async draft(id: number): Promise<Draft | undefined> {
    return this.run(() => this.drafts.draft(id));
  }
  async setDraftMessage(id: number, messageId: number): Promise<void> {
    return this.run(() => this.drafts.setDraftMessage(id, messageId));
  }
  async setDraftComuni(id: number, comuni: readonly ComuneCode[]): Promise<void> {
    return this.run(() => this.drafts.setDraftComuni(id, comuni));
  }
  settleDraft(
    id: number,
    now: number,
    to: "done" | "cancelled",
    act?: (d: Draft) => Promise<number | undefined>,
  ): Promise<DraftSettlement> {
    return this.transaction(async () => {
      const open = this.drafts.openDraft(id, now);
      if (!open.ok) return open;
      const result = to === "done" ? await act?.(open.draft) : undefined;
      return this.drafts.closeDraft(open.draft, to, result);
    });
  }

  // subscriptions
  async subscribe(chatId: number, what: Subscription, lang: Lang): Promise<boolean> {
    return this.run(() => this.subscriptions.subscribe(chatId, what, lang));
  }
  async subscribeMany(entries: Iterable<{ chatId: number; what: Subscription; lang: Lang }>): Promise<number> {
    return this.run(() => this.subscriptions.subscribeMany(entries));
  }
  async unsubscribe(chatId: number, what: Subscription | "*"): Promise<number> {
    return this.run(() => this.subscriptions.unsubscribe(chatId, what));
  }
  async subscriptionsOf(chatId: number): Promise<Subscription[]> {
    return this.run(() => this.subscriptions.subscriptionsOf(chatId));
  }
  async subscriberStats(): Promise<{ subscriptions: number; chats: number }> {
    return this.run(() => this.subscriptions.subscriberStats());
  }
  async followerCounts(): Promise<Map<ComuneCode, number>> {
    return this.run(() => this.subscriptions.followerCounts());
  }
  async recipientCount(comuni: readonly ComuneCode[]): Promise<number> {
    return this.run(() => this.subscriptions.recipientCount(comuni));
  }
  async quietHoursOf(chatId: number): Promise<QuietHours | undefined> {
    return this.run(() => this.subscriptions.quietHoursOf(chatId));
  }
  async setQuietHours(chatId: number, quiet: QuietHours | undefined): Promise<void> {
    return this.run(() => this.subscriptions.setQuietHours(chatId, quiet));
  }
  async removeChat(chatId: number): Promise<number> {
    return this.run(() => this.subscriptions.removeChat(chatId));
  }
  async migrateChat(from: number, to: number): Promise<void> {
    return this.run(() => this.subscriptions.migrateChat(from, to));
  }

  // outbox
  async dueDeliveries(after: { seq: number; chatId: number } | null, now: number, limit: number): Promise<Delivery[]> {
    return this.run(() => this.outbox.dueDeliveries(after, now, limit));
  }
  async isDue(d: Pick<Delivery, "seq" | "chatId">, now: number): Promise<boolean> {
    return this.run(() => this.outbox.isDue(d, now));
  }
  async stillDue(
    ds: readonly Pick<Delivery, "seq" | "chatId">[],
    now: number,
  ): Promise<Pick<Delivery, "seq" | "chatId">[]> {
    return this.run(() => this.outbox.stillDue(ds, now));
  }
  async nextDueAt(): Promise<number | undefined> {
    return this.run(() => this.outbox.nextDueAt());
  }
  async pendingCount(): Promise<number> {
    return this.run(() => this.outbox.pendingCount());
  }
  async complete(d: Pick<Delivery, "seq" | "chatId">, outcome: Terminal, sent?: SentCopy): Promise<void> {
    return this.run(() => this.outbox.complete(d, outcome, sent));
  }
  async completeMany(outcomes: readonly Outcome[]): Promise<void> {
    return this.run(() => this.outbox.completeMany(outcomes));
  }
  async postpone(d: Pick<Delivery, "seq" | "chatId">, dueAt: number, error: string): Promise<void> {
    return this.run(() => this.outbox.postpone(d, dueAt, error));
  }
  async unreportedFinishedPushes(): Promise<PushReport[]> {
    return this.run(() => this.outbox.unreportedFinishedPushes());
  }
  async markReported(seq: number): Promise<void> {
    return this.run(() => this.outbox.markReported(seq));
  }
  async lastPush(): Promise<PushReport | undefined> {
    return this.run(() => this.outbox.lastPush());
  }

  /** Closes the connection, once the open transaction (if any) has ended. */
  async close(): Promise<void> {
    await this.work.idle();
    if (this.db.open) this.db.close();
  }
}

/** The feed's tables as the async FeedStore, through the store's gate and transaction. */
class AsyncFeedStore implements FeedStore {
  constructor(
    private readonly t: SqliteFeedStore,
    private readonly work: SqliteUnitOfWork,
  ) {}

  async stateEntries(prefix: string): Promise<{ key: string; value: string }[]> {
    return this.work.run(() => this.t.stateEntries(prefix));
  }
  async saveState(entries: Iterable<{ key: string; value: string }>, deleted?: Iterable<string>): Promise<void> {
    return this.work.run(() => this.t.saveState(entries, deleted));
  }
  async announcedKeys(prefix: string): Promise<Set<string>> {
    return this.work.run(() => this.t.announcedKeys(prefix));
  }
  async lastAnnouncedAt(comune: string, kinds: readonly string[]): Promise<number | undefined> {
    return this.work.run(() => this.t.lastAnnouncedAt(comune, kinds));
  }
  async recordAnnouncements(rows: readonly Announcement[]): Promise<number> {
    return this.work.run(() => this.t.recordAnnouncements(rows));
  }
  async addDraft(d: Omit<FeedDraft, "id" | "status" | "decidedBy" | "decidedAt">): Promise<number> {
    return this.work.run(() => this.t.addDraft(d));
  }
  async draft(id: number): Promise<FeedDraft | undefined> {
    return this.work.run(() => this.t.draft(id));
  }
  async decideDraft(id: number, status: Exclude<DraftStatus, "pending">, by: number, at: number): Promise<boolean> {
    return this.work.run(() => this.t.decideDraft(id, status, by, at));
  }
  async pendingDrafts(): Promise<FeedDraft[]> {
    return this.work.run(() => this.t.pendingDrafts());
  }
  async followedComuni(): Promise<Set<ComuneCode>> {
    return this.work.run(() => this.t.followedComuni());
  }
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.work.transaction(fn);
  }
}

/** The live cards' table as the async LiveCardStore, through the store's gate and transaction. */
class AsyncLiveCardStore implements LiveCardStore {
  constructor(
    private readonly t: SqliteLiveCardStore,
    private readonly work: SqliteUnitOfWork,
  ) {}

  async followers(comune: ComuneCode, after: number, limit: number): Promise<number[]> {
    return this.work.run(() => this.t.followers(comune, after, limit));
  }
  async card(chatId: number, comune: ComuneCode): Promise<CardState | undefined> {
    return this.work.run(() => this.t.card(chatId, comune));
  }
  async cardSent(chatId: number, comune: ComuneCode, messageId: number, sentAt: number, shown: string): Promise<void> {
    return this.work.run(() => this.t.cardSent(chatId, comune, messageId, sentAt, shown));
  }
  async cardShown(chatId: number, comune: ComuneCode, shown: string): Promise<void> {
    return this.work.run(() => this.t.cardShown(chatId, comune, shown));
  }
  async cardLost(chatId: number, comune: ComuneCode): Promise<void> {
    return this.work.run(() => this.t.cardLost(chatId, comune));
  }
  async setOff(chatId: number, comune: ComuneCode, off: boolean): Promise<void> {
    return this.work.run(() => this.t.setOff(chatId, comune, off));
  }
  async isOff(chatId: number, comune: ComuneCode): Promise<boolean> {
    return this.work.run(() => this.t.isOff(chatId, comune));
  }
  async forgetChat(chatId: number): Promise<void> {
    return this.work.run(() => this.t.forgetChat(chatId));
  }
  async comuniWithCards(): Promise<ComuneCode[]> {
    return this.work.run(() => this.t.comuniWithCards());
  }
}
