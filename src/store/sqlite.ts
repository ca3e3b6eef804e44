/**
 * The embedded store: SQLite through better-sqlite3, WAL mode, versioned migrations. SqliteStore is the
 * facade that composes the SQLite repositories (sqlite/*.ts, one per concern of contract/*.ts) over one
 * connection, so that a transaction of one of them may include the others' writes (see docs/architecture.md,
 * Storage).
 */
import type Database from "better-sqlite3";
import type { ComuneCode } from "../data/model.js";
import type { Lang } from "../i18n/index.js";
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
  /** The feed's state, announcement keys and review drafts, on the same connection. */
  readonly feed: SqliteFeedStore;
  /** The live cards, on the same connection. */
  readonly cards: SqliteLiveCardStore;

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
    this.feed = new SqliteFeedStore(db);
    this.cards = new SqliteLiveCardStore(db);
  }

  // meta
  getMeta(key: string): string | undefined {
    return this.meta.getMeta(key);
  }
  setMeta(key: string, value: string): void {
    this.meta.setMeta(key, value);
  }

  // bulletins
  bulletinsOf(election: string): StoredBulletin[] {
    return this.bulletins.bulletinsOf(election);
  }
  addBulletin(b: NewBulletin, push?: PushOptions): { seq: number; recipients: number } {
    return this.bulletins.addBulletin(b, push);
  }
  correctBulletin(seq: number, content: BulletinContent): void {
    this.bulletins.correctBulletin(seq, content);
  }
  withdrawBulletin(seq: number): number {
    return this.bulletins.withdrawBulletin(seq);
  }
  latestBulletins(limit: number): StoredBulletin[] {
    return this.bulletins.latestBulletins(limit);
  }
  latestBulletinsAbout(comune: ComuneCode, limit: number): StoredBulletin[] {
    return this.bulletins.latestBulletinsAbout(comune, limit);
  }
  bulletin(seq: number): StoredBulletin | undefined {
    return this.bulletins.bulletin(seq);
  }
  bulletinCount(): number {
    return this.bulletins.bulletinCount();
  }
  bulletinVersion(seq: number): number | undefined {
    return this.bulletins.bulletinVersion(seq);
  }
  recordNewsroomMessage(chatId: number, messageId: number, seq: number): void {
    this.bulletins.recordNewsroomMessage(chatId, messageId, seq);
  }
  bulletinByMessage(chatId: number, messageId: number): number | undefined {
    return this.bulletins.bulletinByMessage(chatId, messageId);
  }

  // corrections and withdrawals
  amendBulletin(
    seq: number,
    change: { kind: "correct"; content: Correction; correctedAt: string } | { kind: "withdraw" },
    by: { requestedBy: number | null; lang: Lang },
  ): AmendmentStarted | undefined {
    return this.amendments.amendBulletin(seq, change, by);
  }
  copyCount(seq: number): { delivered: number; queued: number } {
    return this.amendments.copyCount(seq);
  }
  correctionReach(seq: number, comuni: readonly string[]): CorrectionReach | undefined {
    return this.amendments.correctionReach(seq, comuni);
  }
  dueAmendmentJobs(after: { amendment: number; chatId: number } | null, now: number, limit: number): AmendmentJob[] {
    return this.amendments.dueAmendmentJobs(after, now, limit);
  }
  isAmendmentJobDue(j: Pick<AmendmentJob, "amendment" | "chatId">, now: number): boolean {
    return this.amendments.isAmendmentJobDue(j, now);
  }
  completeAmendmentJob(
    j: Pick<AmendmentJob, "amendment" | "chatId">,
    outcome: AmendmentOutcome,
    version?: number,
  ): void {
    this.amendments.completeAmendmentJob(j, outcome, version);
  }
  postponeAmendmentJob(j: Pick<AmendmentJob, "amendment" | "chatId">, dueAt: number, error: string): void {
    this.amendments.postponeAmendmentJob(j, dueAt, error);
  }
  unreportedFinishedAmendments(): AmendmentReport[] {
    return this.amendments.unreportedFinishedAmendments();
  }
  markAmendmentReported(id: number): void {
    this.amendments.markAmendmentReported(id);
  }
  forgetCopiesBefore(ms: number): number {
    return this.amendments.forgetCopiesBefore(ms);
  }

  // drafts
  createDraft(d: NewDraft): Draft {
    return this.drafts.createDraft(d);
  }
  draft(id: number): Draft | undefined {
    return this.drafts.draft(id);
  }
  setDraftMessage(id: number, messageId: number): void {
    this.drafts.setDraftMessage(id, messageId);
  }
  setDraftComuni(id: number, comuni: readonly ComuneCode[]): void {
    this.drafts.setDraftComuni(id, comuni);
  }
  settleDraft(
    id: number,
    now: number,
    to: "done" | "cancelled",
    act?: (d: Draft) => number | undefined,
  ): DraftSettlement {
    return this.drafts.settleDraft(id, now, to, act);
  }

  // subscriptions
  subscribe(chatId: number, what: Subscription, lang: Lang): boolean {
    return this.subscriptions.subscribe(chatId, what, lang);
  }
  subscribeMany(entries: Iterable<{ chatId: number; what: Subscription; lang: Lang }>): number {
    return this.subscriptions.subscribeMany(entries);
  }
  unsubscribe(chatId: number, what: Subscription | "*"): number {
    return this.subscriptions.unsubscribe(chatId, what);
  }
  subscriptionsOf(chatId: number): Subscription[] {
    return this.subscriptions.subscriptionsOf(chatId);
  }
  followerCounts(): Map<ComuneCode, number> {
    return this.subscriptions.followerCounts();
  }

  subscriberStats(): { subscriptions: number; chats: number } {
    return this.subscriptions.subscriberStats();
  }
  recipientCount(comuni: readonly ComuneCode[]): number {
    return this.subscriptions.recipientCount(comuni);
  }
  quietHoursOf(chatId: number): QuietHours | undefined {
    return this.subscriptions.quietHoursOf(chatId);
  }
  setQuietHours(chatId: number, quiet: QuietHours | undefined): void {
    this.subscriptions.setQuietHours(chatId, quiet);
  }
  removeChat(chatId: number): number {
    return this.subscriptions.removeChat(chatId);
  }
  migrateChat(from: number, to: number): void {
    this.subscriptions.migrateChat(from, to);
  }

  // outbox
  dueDeliveries(after: { seq: number; chatId: number } | null, now: number, limit: number): Delivery[] {
    return this.outbox.dueDeliveries(after, now, limit);
  }
  isDue(d: Pick<Delivery, "seq" | "chatId">, now: number): boolean {
    return this.outbox.isDue(d, now);
  }
  nextDueAt(): number | undefined {
    return this.outbox.nextDueAt();
  }
  pendingCount(): number {
    return this.outbox.pendingCount();
  }
  complete(d: Pick<Delivery, "seq" | "chatId">, outcome: Terminal, sent?: SentCopy): void {
    this.outbox.complete(d, outcome, sent);
  }
  postpone(d: Pick<Delivery, "seq" | "chatId">, dueAt: number, error: string): void {
    this.outbox.postpone(d, dueAt, error);
  }
  unreportedFinishedPushes(): PushReport[] {
    return this.outbox.unreportedFinishedPushes();
  }
  markReported(seq: number): void {
    this.outbox.markReported(seq);
  }
  lastPush(): PushReport | undefined {
    return this.outbox.lastPush();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
