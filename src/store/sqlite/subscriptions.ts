/**
 * Subscriptions and quiet hours in SQLite: the `subscriptions` and `quiet_hours` tables. Dropping a
 * subscription, or a chat, settles the outbox's rows no remaining subscription asks for (SqliteOutbox),
 * in the same transaction.
 */
import type Database from "better-sqlite3";
import { asComuneCode, type ComuneCode } from "../../data/model.js";
import type { Lang } from "../../i18n/index.js";
import {
  NATIONAL,
  type QuietHours,
  type Subscription,
  type SubscriptionRepository,
} from "../contract/subscriptions.js";
import type { SqliteOutbox } from "./outbox.js";
import type { Synchronous } from "./synchronous.js";

/** A subscription as stored: its kind and, for one comune, the comune's code ('' otherwise). */
type SubscriptionKey = { kind: "all" | "comune" | "national"; comune: string };

function subscriptionKey(what: Subscription): SubscriptionKey {
  if (what === null) return { kind: "all", comune: "" };
  if (what === NATIONAL) return { kind: "national", comune: "" };
  return { kind: "comune", comune: what };
}

function subscriptionOf(k: SubscriptionKey): Subscription {
  return k.kind === "all" ? null : k.kind === "national" ? NATIONAL : asComuneCode(k.comune);
}

export class SqliteSubscriptions implements Synchronous<SubscriptionRepository> {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly outbox: SqliteOutbox,
    private readonly clock: () => number,
  ) {
    this.q = {
      subscribe: db.prepare<{ chat: number; kind: string; comune: string; lang: Lang; now: number }>(
        "INSERT INTO subscriptions (chat_id, kind, comune, lang, created_at) VALUES ($chat, $kind, $comune, $lang, $now) ON CONFLICT DO NOTHING",
      ),
      relang: db.prepare("UPDATE subscriptions SET lang = ? WHERE chat_id = ?"),
      unsubscribeOne: db.prepare<{ chat: number; kind: string; comune: string }>(
        "DELETE FROM subscriptions WHERE chat_id = $chat AND kind = $kind AND comune = $comune",
      ),
      unsubscribeAll: db.prepare("DELETE FROM subscriptions WHERE chat_id = ?"),
      subscriptionsOf: db.prepare<[number], SubscriptionKey>(
        "SELECT kind, comune FROM subscriptions WHERE chat_id = ? ORDER BY kind = 'comune', kind, comune",
      ),
      quietOf: db.prepare<[number], { from_minute: number; to_minute: number }>(
        "SELECT from_minute, to_minute FROM quiet_hours WHERE chat_id = ?",
      ),
      setQuiet: db.prepare(
        `INSERT INTO quiet_hours (chat_id, from_minute, to_minute) VALUES (?, ?, ?)
         ON CONFLICT (chat_id) DO UPDATE SET from_minute = excluded.from_minute, to_minute = excluded.to_minute`,
      ),
      clearQuiet: db.prepare("DELETE FROM quiet_hours WHERE chat_id = ?"),
      migrateQuiet: db.prepare(
        "INSERT OR IGNORE INTO quiet_hours (chat_id, from_minute, to_minute) SELECT ?, from_minute, to_minute FROM quiet_hours WHERE chat_id = ?",
      ),
      stats: db.prepare<[], { subscriptions: number; chats: number }>(
        "SELECT count(*) AS subscriptions, count(DISTINCT chat_id) AS chats FROM subscriptions",
      ),
      followerCounts: db.prepare<[], { comune: string; n: number }>(
        "SELECT comune, count(DISTINCT chat_id) AS n FROM subscriptions WHERE kind = 'comune' GROUP BY comune",
      ),
      // The chats enqueueFor would reach: those following everything or one of these comuni (not
      // those following national bulletins only).
      recipients: db.prepare<[string], { n: number }>(
        `SELECT count(DISTINCT chat_id) AS n FROM subscriptions
         WHERE kind = 'all' OR (kind = 'comune' AND comune IN (SELECT value FROM json_each(?)))`,
      ),
      migrateSubs: db.prepare(
        "INSERT OR IGNORE INTO subscriptions (chat_id, kind, comune, lang, created_at) SELECT ?, kind, comune, lang, created_at FROM subscriptions WHERE chat_id = ?",
      ),
    };
  }

  subscribe(chatId: number, what: Subscription, lang: Lang): boolean {
    return this.db.transaction(() => {
      const key = subscriptionKey(what);
      const added = this.q.subscribe.run({ chat: chatId, ...key, lang, now: this.clock() }).changes > 0;
      this.q.relang.run(lang, chatId);
      return added;
    })();
  }

  subscribeMany(entries: Iterable<{ chatId: number; what: Subscription; lang: Lang }>): number {
    return this.db.transaction(() => {
      const now = this.clock();
      let added = 0;
      for (const { chatId, what, lang } of entries) {
        added += this.q.subscribe.run({ chat: chatId, ...subscriptionKey(what), lang, now }).changes;
        this.q.relang.run(lang, chatId);
      }
      return added;
    })();
  }

  unsubscribe(chatId: number, what: Subscription | "*"): number {
    return this.db.transaction(() => {
      const removed =
        what === "*"
          ? this.q.unsubscribeAll.run(chatId).changes
          : this.q.unsubscribeOne.run({ chat: chatId, ...subscriptionKey(what) }).changes;
      // Queued bulletins that no remaining subscription asks for are not sent (counted as removed).
      if (removed > 0) this.outbox.dropUnwanted(chatId);
      return removed;
    })();
  }

  subscriptionsOf(chatId: number): Subscription[] {
    return this.q.subscriptionsOf.all(chatId).map(subscriptionOf);
  }

  quietHoursOf(chatId: number): QuietHours | undefined {
    const r = this.q.quietOf.get(chatId);
    return r && { from: r.from_minute, to: r.to_minute };
  }

  setQuietHours(chatId: number, quiet: QuietHours | undefined): void {
    if (quiet) this.q.setQuiet.run(chatId, quiet.from, quiet.to);
    else this.q.clearQuiet.run(chatId);
  }

  subscriberStats(): { subscriptions: number; chats: number } {
    return this.q.stats.get()!;
  }

  followerCounts(): Map<ComuneCode, number> {
    return new Map(this.q.followerCounts.all().map((r) => [r.comune as ComuneCode, r.n]));
  }

  recipientCount(comuni: readonly ComuneCode[]): number {
    return comuni.length ? this.q.recipients.get(JSON.stringify(comuni))!.n : this.q.stats.get()!.chats;
  }

  removeChat(chatId: number): number {
    return this.db.transaction(() => {
      this.outbox.dropChat(chatId);
      this.q.clearQuiet.run(chatId);
      return this.q.unsubscribeAll.run(chatId).changes;
    })();
  }

  migrateChat(from: number, to: number): void {
    this.db.transaction(() => {
      this.q.migrateSubs.run(to, from);
      this.q.unsubscribeAll.run(from);
      this.q.migrateQuiet.run(to, from);
      this.q.clearQuiet.run(from);
      this.outbox.moveChat(from, to);
    })();
  }
}
