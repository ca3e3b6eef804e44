/** The embedded store: SQLite through better-sqlite3, WAL mode, versioned migrations. */
import type Database from "better-sqlite3";
import { asComuneCode, type ComuneCode } from "../data/model.js";
import { type Html, trusted } from "../format/html.js";
import type { Lang } from "../i18n/index.js";
import type { MigrationContext } from "./sqlite/comune-codes.js";
import { openDatabase } from "./sqlite/connection.js";
import {
  type AmendmentJob,
  type AmendmentKind,
  type AmendmentOutcome,
  type AmendmentReport,
  type AmendmentStarted,
  type Audience,
  type BulletinContent,
  type BulletinOrigin,
  type Correction,
  type CorrectionReach,
  type Delivery,
  type Draft,
  type DraftKind,
  type DraftSettlement,
  NATIONAL,
  type NewBulletin,
  type NewDraft,
  type PushOptions,
  type PushReport,
  type QuietHours,
  type SentCopy,
  type Store,
  type StoredBulletin,
  type Subscription,
  type Terminal,
} from "./store.js";

export { MIGRATIONS, migrate } from "./sqlite/migrations.js";

/**
 * The chats a bulletin about the comuni in the JSON array `comuni` (an SQL expression), for the audience
 * in `$audience`, is for: the same chats enqueueAll, enqueueFor and enqueueFollowers choose (a national
 * bulletin: every subscribed chat; a comune's: the chats following everything or that comune; the
 * feed's for followers: that comune's followers only).
 */
const concerned = (comuni: string) =>
  `SELECT chat_id FROM subscriptions
   WHERE ($audience = 'everyone' AND (kind = 'all' OR json_array_length(${comuni}) = 0))
     OR (kind = 'comune' AND comune IN (SELECT value FROM json_each(${comuni})))`;

/**
 * The chats a correction newly concerns: concerned by its comuni (`$new`), not by those it had
 * (`$old`, whose chats the push reached or tried), without a copy or a queued delivery of it.
 */
const newlyConcerned = `SELECT chat_id, max(lang) AS lang FROM subscriptions s
   WHERE chat_id IN (${concerned("$new")}) AND chat_id NOT IN (${concerned("$old")})
     AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.seq = $seq AND c.chat_id = s.chat_id)
     AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.seq = $seq AND d.chat_id = s.chat_id)
   GROUP BY chat_id`;

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

/** The parameters of a correction's reach: the bulletin, its comuni before and after (JSON), its audience. */
interface ReachParams {
  seq: number;
  new: string;
  old: string;
  audience: Audience;
}

interface BulletinRow {
  seq: number;
  election: string;
  id: string;
  published_at: string;
  text: string;
  comuni: string;
  origin: BulletinOrigin;
  audience: Audience;
  hidden: number;
  html: string | null;
  version: number;
  corrected_at: string | null;
}

interface AmendmentRow {
  id: number;
  kind: AmendmentKind;
  seq: number;
  bulletin_id: string;
  bulletin_text: string;
  requested_by: number | null;
  lang: Lang;
  started_at: number;
  finished_at: number | null;
  total: number;
  done: number;
  gone: number;
  failed: number;
  superseded: number;
}

interface JobRow {
  amendment: number;
  kind: AmendmentKind;
  seq: number;
  chat_id: number;
  message_id: number;
  lang: Lang;
  attempts: number;
}

interface DraftRow {
  id: number;
  kind: DraftKind;
  user_id: number;
  chat_id: number;
  message_id: number | null;
  lang: Lang;
  text: string;
  html: string | null;
  comuni: string;
  target: number | null;
  created_at: number;
  expires_at: number;
  state: Draft["state"];
  result: number | null;
}

interface PushRow {
  seq: number;
  bulletin_id: string;
  bulletin_text: string;
  requested_by: number | null;
  lang: Lang;
  started_at: number;
  finished_at: number | null;
  total: number;
  delivered: number;
  removed: number;
  skipped: number;
  failed: number;
}

/**
 * The HTML column of a bulletin or a draft, read back. Only `NewBulletin.html` and `NewDraft.html`
 * write it, and those are typed Html: what format/entities.ts built, every character escaped.
 */
const storedHtml = (column: string): Html => trusted(column);

const toBulletin = (r: BulletinRow): StoredBulletin => ({
  seq: r.seq,
  election: r.election,
  id: r.id,
  publishedAt: r.published_at,
  text: r.text,
  comuni: JSON.parse(r.comuni) as ComuneCode[],
  origin: r.origin,
  ...(r.audience === "followers" ? { audience: r.audience } : {}),
  hidden: r.hidden !== 0,
  version: r.version,
  ...(r.html !== null ? { html: storedHtml(r.html) } : {}),
  ...(r.corrected_at !== null ? { correctedAt: r.corrected_at } : {}),
});

const toAmendment = (r: AmendmentRow): AmendmentReport => ({
  id: r.id,
  kind: r.kind,
  seq: r.seq,
  bulletinId: r.bulletin_id,
  bulletinText: r.bulletin_text,
  requestedBy: r.requested_by,
  lang: r.lang,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  total: r.total,
  done: r.done,
  gone: r.gone,
  failed: r.failed,
  superseded: r.superseded,
});

const toJob = (r: JobRow): AmendmentJob => ({
  amendment: r.amendment,
  kind: r.kind,
  seq: r.seq,
  chatId: r.chat_id,
  messageId: r.message_id,
  lang: r.lang,
  attempts: r.attempts,
});

const toDraft = (r: DraftRow): Draft => ({
  id: r.id,
  kind: r.kind,
  userId: r.user_id,
  chatId: r.chat_id,
  lang: r.lang,
  text: r.text,
  comuni: JSON.parse(r.comuni) as ComuneCode[],
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  state: r.state,
  ...(r.message_id !== null ? { messageId: r.message_id } : {}),
  ...(r.html !== null ? { html: storedHtml(r.html) } : {}),
  ...(r.target !== null ? { target: r.target } : {}),
  ...(r.result !== null ? { result: r.result } : {}),
});

/** Drafts older than this are forgotten (long past their expiry). */
const DRAFT_KEEP_MS = 24 * 3600_000;

const toPush = (r: PushRow): PushReport => ({
  seq: r.seq,
  bulletinId: r.bulletin_id,
  bulletinText: r.bulletin_text,
  requestedBy: r.requested_by,
  lang: r.lang,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  total: r.total,
  delivered: r.delivered,
  removed: r.removed,
  skipped: r.skipped,
  failed: r.failed,
});

/**
 * Up to this many postponed deliveries, a new push fixes up its rows for their chats afterwards
 * (about 7 µs a row); above, it looks every recipient up while inserting (about 1 µs a recipient).
 */
const FEW_POSTPONED = 20_000;

/** Epoch milliseconds of an ISO timestamp; refuses one that does not parse (it could not be ordered). */
function instant(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`not a timestamp: ${JSON.stringify(iso)}`);
  return ms;
}

export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly q;

  /**
   * @param clock the time recorded for pushes and subscriptions
   * @param fewPostponed up to how many postponed deliveries a new push fixes its rows up afterwards
   *   rather than looking every recipient up (tests lower it to reach both ways)
   * @param migration what an upgrade may need: the comuni index, to key old rows by code
   */
  constructor(
    file: string,
    private readonly clock: () => number = Date.now,
    private readonly fewPostponed = FEW_POSTPONED,
    migration: MigrationContext = {},
  ) {
    this.db = openDatabase(file, migration);
    const db = this.db;
    this.q = {
      getMeta: db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?"),
      setMeta: db.prepare(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
      bulletinsOf: db.prepare<[string], BulletinRow>("SELECT * FROM bulletins WHERE election = ? ORDER BY seq"),
      insertBulletin: db.prepare(
        "INSERT INTO bulletins (election, id, published_at, published_ms, text, comuni, origin, html, audience) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      latest: db.prepare<[number], BulletinRow>(
        `SELECT * FROM bulletins
         WHERE election = coalesce((SELECT value FROM meta WHERE key = 'election'), election) AND hidden = 0
           AND audience = 'everyone'
         ORDER BY published_ms DESC, seq DESC LIMIT ?`,
      ),
      latestAbout: db.prepare<[string, number], BulletinRow>(
        `SELECT * FROM bulletins
         WHERE election = coalesce((SELECT value FROM meta WHERE key = 'election'), election) AND hidden = 0
           AND EXISTS (SELECT 1 FROM json_each(bulletins.comuni) WHERE json_each.value = ?)
         ORDER BY published_ms DESC, seq DESC LIMIT ?`,
      ),
      bulletin: db.prepare<[number], BulletinRow>("SELECT * FROM bulletins WHERE seq = ?"),
      correct: db.prepare(
        "UPDATE bulletins SET published_at = ?, published_ms = ?, text = ?, comuni = ?, hidden = 0 WHERE seq = ?",
      ),
      hide: db.prepare("UPDATE bulletins SET hidden = 1 WHERE seq = ?"),
      dropBulletinDeliveries: db.prepare("DELETE FROM deliveries WHERE seq = ?"),
      skipMany: db.prepare<{ n: number; now: number; seq: number }, { remaining: number }>(
        "UPDATE pushes SET skipped = skipped + $n, remaining = remaining - $n, finished_at = CASE WHEN remaining = $n THEN $now END WHERE seq = $seq RETURNING remaining",
      ),
      removeMany: db.prepare<{ n: number; now: number; seq: number }, { remaining: number }>(
        "UPDATE pushes SET removed = removed + $n, remaining = remaining - $n, finished_at = CASE WHEN remaining = $n THEN $now END WHERE seq = $seq RETURNING remaining",
      ),
      // A correction's reach (see correctionReach): $seq, $new and $old comuni (JSON), $audience.
      reachCopies: db.prepare<ReachParams, { copies: number; stale: number }>(
        `SELECT count(*) AS copies, coalesce(sum(chat_id NOT IN (${concerned("$new")})), 0) AS stale
         FROM copies WHERE seq = $seq`,
      ),
      reachQueued: db.prepare<ReachParams, { queued: number; dropped: number }>(
        `SELECT coalesce(sum(chat_id IN (${concerned("$new")})), 0) AS queued,
           coalesce(sum(chat_id NOT IN (${concerned("$new")})), 0) AS dropped
         FROM deliveries WHERE seq = $seq`,
      ),
      reachAdded: db.prepare<ReachParams, { n: number }>(`SELECT count(*) AS n FROM (${newlyConcerned})`),
      // Queued copies for chats a correction no longer concerns: not sent (counted as removed).
      dropUnconcerned: db.prepare<ReachParams>(
        `DELETE FROM deliveries WHERE seq = $seq AND chat_id NOT IN (${concerned("$new")})`,
      ),
      enqueueNewlyConcerned: db.prepare<ReachParams>(
        `INSERT INTO deliveries (seq, chat_id, lang) SELECT $seq, chat_id, lang FROM (${newlyConcerned})`,
      ),
      // A delivery added to an older bulletin: the chat's later ones wait for it (see postpone).
      behindAdded: db.prepare<{ seq: number }>(
        `UPDATE deliveries
         SET due_at = (SELECT a.due_at FROM deliveries a WHERE a.seq = $seq AND a.chat_id = deliveries.chat_id)
         WHERE seq > $seq
           AND chat_id IN (SELECT chat_id FROM deliveries WHERE seq = $seq AND due_at > 0)
           AND due_at < (SELECT a.due_at FROM deliveries a WHERE a.seq = $seq AND a.chat_id = deliveries.chat_id)`,
      ),
      // The push goes on with the deliveries a correction added: counted, and reported again at its end.
      reopenPush: db.prepare<{ n: number; seq: number }>(
        "UPDATE pushes SET total = total + $n, remaining = remaining + $n, finished_at = NULL, reported = 0 WHERE seq = $seq",
      ),
      recordDelivered: db.prepare("INSERT OR IGNORE INTO delivered (seq, chat_id) VALUES (?, ?)"),
      wasDelivered: db.prepare<[number, number], { n: number }>(
        "SELECT 1 AS n FROM delivered WHERE seq = ? AND chat_id = ?",
      ),
      forgetDelivered: db.prepare("DELETE FROM delivered WHERE seq = ?"),
      bulletinCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM bulletins"),
      enqueueAll: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang)
         SELECT ?, chat_id, max(lang) FROM subscriptions GROUP BY chat_id`,
      ),
      // A national bulletin (no comuni) goes to every subscribed chat (enqueueAll); a comune's to the
      // chats following everything or that comune, not to those following national bulletins only.
      enqueueFor: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang)
         SELECT ?, chat_id, max(lang) FROM subscriptions
         WHERE kind = 'all' OR (kind = 'comune' AND comune IN (SELECT value FROM json_each(?))) GROUP BY chat_id`,
      ),
      // A chat's new delivery is due no earlier than its postponed ones (see postpone). Two ways, by cost:
      // for a few postponed rows, fix up the new rows of just those chats; during an outage, when most
      // chats have one, look each recipient up while inserting (cheaper than a million updates). The
      // time is rounded up to the second: new rows then land on few points of the due-time index
      // instead of a million random ones (5x cheaper at a million), and a bulletin waiting for an
      // earlier one to the same chat loses nothing by it (a chat gets at most one a second anyway).
      enqueueAllBehind: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang, due_at)
         SELECT ?, chat_id, max(lang), coalesce((SELECT (max(due_at) + 999) / 1000 * 1000 FROM deliveries e WHERE e.chat_id = s.chat_id), 0)
         FROM subscriptions s GROUP BY chat_id`,
      ),
      // A comune's automatic bulletin: only the chats following that comune, not those following everything.
      enqueueFollowers: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang)
         SELECT ?, chat_id, max(lang) FROM subscriptions
         WHERE comune IN (SELECT value FROM json_each(?)) GROUP BY chat_id`,
      ),
      enqueueFollowersBehind: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang, due_at)
         SELECT ?, chat_id, max(lang), coalesce((SELECT (max(due_at) + 999) / 1000 * 1000 FROM deliveries e WHERE e.chat_id = s.chat_id), 0)
         FROM subscriptions s
         WHERE comune IN (SELECT value FROM json_each(?)) GROUP BY chat_id`,
      ),
      enqueueForBehind: db.prepare(
        `INSERT INTO deliveries (seq, chat_id, lang, due_at)
         SELECT ?, chat_id, max(lang), coalesce((SELECT (max(due_at) + 999) / 1000 * 1000 FROM deliveries e WHERE e.chat_id = s.chat_id), 0)
         FROM subscriptions s
         WHERE kind = 'all' OR (kind = 'comune' AND comune IN (SELECT value FROM json_each(?))) GROUP BY chat_id`,
      ),
      queueBehind: db.prepare(
        `UPDATE deliveries
         SET due_at = (
           SELECT (max(e.due_at) + 999) / 1000 * 1000 FROM deliveries e WHERE e.chat_id = deliveries.chat_id AND e.seq < deliveries.seq
         )
         WHERE seq = $seq
           AND chat_id IN (SELECT chat_id FROM deliveries INDEXED BY deliveries_due_at WHERE due_at > 0 AND seq < $seq)`,
      ),
      postponedCount: db.prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM deliveries INDEXED BY deliveries_due_at WHERE due_at > 0",
      ),
      earliestDue: db.prepare<[], { t: number | null }>("SELECT min(due_at) AS t FROM deliveries"),
      insertPush: db.prepare(
        "INSERT INTO pushes (seq, requested_by, lang, started_at, total, remaining, finished_at, reported) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
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
      // NOT INDEXED: walk the outbox in publication order (the primary key). The due-time index would
      // make the planner sort every due row to return the first 256.
      dueFirst: db.prepare<[number, number], { seq: number; chat_id: number; lang: Lang; attempts: number }>(
        `SELECT seq, chat_id, lang, attempts FROM deliveries d NOT INDEXED
         WHERE due_at <= ? AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.chat_id = d.chat_id AND e.seq < d.seq)
         ORDER BY seq, chat_id LIMIT ?`,
      ),
      dueAfter: db.prepare<
        [number, number, number, number],
        { seq: number; chat_id: number; lang: Lang; attempts: number }
      >(
        `SELECT seq, chat_id, lang, attempts FROM deliveries d NOT INDEXED
         WHERE (seq, chat_id) > (?, ?) AND due_at <= ?
           AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.chat_id = d.chat_id AND e.seq < d.seq)
         ORDER BY seq, chat_id LIMIT ?`,
      ),
      isDue: db.prepare<[number, number, number], { n: number }>(
        "SELECT 1 AS n FROM deliveries WHERE seq = ? AND chat_id = ? AND due_at <= ?",
      ),
      nextDue: db.prepare<[], { t: number | null }>("SELECT min(due_at) AS t FROM deliveries WHERE due_at > 0"),
      pending: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM deliveries"),
      deleteDelivery: db.prepare("DELETE FROM deliveries WHERE seq = ? AND chat_id = ?"),
      postponeBehind: db.prepare("UPDATE deliveries SET due_at = ? WHERE chat_id = ? AND seq > ? AND due_at < ?"),
      postpone: db.prepare(
        "UPDATE deliveries SET attempts = attempts + 1, due_at = ?, last_error = ? WHERE seq = ? AND chat_id = ?",
      ),
      count: {
        delivered: db.prepare<[number, number], { remaining: number }>(
          "UPDATE pushes SET delivered = delivered + 1, remaining = remaining - 1, finished_at = CASE WHEN remaining = 1 THEN ? END WHERE seq = ? RETURNING remaining",
        ),
        failed: db.prepare<[number, number], { remaining: number }>(
          "UPDATE pushes SET failed = failed + 1, remaining = remaining - 1, finished_at = CASE WHEN remaining = 1 THEN ? END WHERE seq = ? RETURNING remaining",
        ),
        removed: db.prepare<[number, number], { remaining: number }>(
          "UPDATE pushes SET removed = removed + 1, remaining = remaining - 1, finished_at = CASE WHEN remaining = 1 THEN ? END WHERE seq = ? RETURNING remaining",
        ),
        skipped: db.prepare<[number, number], { remaining: number }>(
          "UPDATE pushes SET skipped = skipped + 1, remaining = remaining - 1, finished_at = CASE WHEN remaining = 1 THEN ? END WHERE seq = ? RETURNING remaining",
        ),
      },
      chatDeliveries: db.prepare<[number], { seq: number }>("SELECT seq FROM deliveries WHERE chat_id = ?"),
      unwantedDeliveries: db.prepare<{ chat: number }, { seq: number }>(
        `SELECT d.seq FROM deliveries d JOIN bulletins b USING (seq)
         WHERE d.chat_id = $chat AND NOT EXISTS (
           SELECT 1 FROM subscriptions s WHERE s.chat_id = $chat
             AND (s.kind = 'all' OR json_array_length(b.comuni) = 0
               OR (s.kind = 'comune' AND s.comune IN (SELECT value FROM json_each(b.comuni)))))`,
      ),
      migrateSubs: db.prepare(
        "INSERT OR IGNORE INTO subscriptions (chat_id, kind, comune, lang, created_at) SELECT ?, kind, comune, lang, created_at FROM subscriptions WHERE chat_id = ?",
      ),
      moveDelivery: db.prepare("UPDATE OR IGNORE deliveries SET chat_id = ? WHERE seq = ? AND chat_id = ?"),
      unreported: db.prepare<[], PushRow>(
        "SELECT p.*, b.id AS bulletin_id, b.text AS bulletin_text FROM pushes p JOIN bulletins b USING (seq) WHERE finished_at IS NOT NULL AND reported = 0 ORDER BY seq",
      ),
      markReported: db.prepare("UPDATE pushes SET reported = 1 WHERE seq = ?"),
      lastPush: db.prepare<[], PushRow>(
        "SELECT p.*, b.id AS bulletin_id, b.text AS bulletin_text FROM pushes p JOIN bulletins b USING (seq) ORDER BY seq DESC LIMIT 1",
      ),
      version: db.prepare<[number], { version: number }>("SELECT version FROM bulletins WHERE seq = ?"),
      // The chats enqueueFor would reach: those following everything or one of these comuni (not
      // those following national bulletins only).
      recipients: db.prepare<[string], { n: number }>(
        `SELECT count(DISTINCT chat_id) AS n FROM subscriptions
         WHERE kind = 'all' OR (kind = 'comune' AND comune IN (SELECT value FROM json_each(?)))`,
      ),
      // copies: the message of every delivery, for corrections and withdrawals
      recordCopy: db.prepare(
        "INSERT OR REPLACE INTO copies (seq, chat_id, message_id, lang, version) VALUES (?, ?, ?, ?, ?)",
      ),
      // A copy sent while its bulletin was being corrected or withdrawn (rendered before, recorded
      // after): the latest amendment of the bulletin takes it too.
      lateJob: db.prepare<
        { seq: number; chat: number; message: number; lang: Lang; version: number },
        { amendment: number }
      >(
        `INSERT OR IGNORE INTO amendment_jobs (amendment, chat_id, seq, message_id, lang)
         SELECT a.id, $chat, $seq, $message, $lang FROM amendments a
         WHERE a.id = (SELECT max(id) FROM amendments WHERE seq = $seq)
           AND (a.kind = 'withdraw' OR (SELECT version FROM bulletins WHERE seq = $seq) > $version)
         RETURNING amendment`,
      ),
      reopenAmendment: db.prepare(
        "UPDATE amendments SET total = total + 1, remaining = remaining + 1, finished_at = NULL WHERE id = ?",
      ),
      copyCount: db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM copies WHERE seq = ?"),
      queuedCount: db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM deliveries WHERE seq = ?"),
      reviseBulletin: db.prepare(
        "UPDATE bulletins SET text = ?, html = ?, comuni = ?, corrected_at = ?, version = version + 1 WHERE seq = ?",
      ),
      insertAmendment: db.prepare(
        "INSERT INTO amendments (seq, kind, requested_by, lang, started_at, total, remaining) VALUES (?, ?, ?, ?, ?, 0, 0)",
      ),
      queueJobs: db.prepare(
        `INSERT INTO amendment_jobs (amendment, chat_id, seq, message_id, lang)
         SELECT ?, chat_id, seq, message_id, lang FROM copies WHERE seq = ?`,
      ),
      sizeAmendment: db.prepare(
        "UPDATE amendments SET total = $n, remaining = $n, finished_at = CASE WHEN $n = 0 THEN $now END, reported = CASE WHEN $n = 0 THEN 1 ELSE 0 END WHERE id = $id",
      ),
      earlierJobs: db.prepare<[number, number], { amendment: number; n: number }>(
        "SELECT amendment, count(*) AS n FROM amendment_jobs WHERE seq = ? AND amendment < ? GROUP BY amendment",
      ),
      dropEarlierJobs: db.prepare("DELETE FROM amendment_jobs WHERE seq = ? AND amendment < ?"),
      supersede: db.prepare(
        "UPDATE amendments SET superseded = superseded + $n, remaining = remaining - $n, finished_at = CASE WHEN remaining = $n THEN $now END WHERE id = $id",
      ),
      earliestJob: db.prepare<[], { t: number | null }>("SELECT min(due_at) AS t FROM amendment_jobs"),
      nextJobDue: db.prepare<[], { t: number | null }>("SELECT min(due_at) AS t FROM amendment_jobs WHERE due_at > 0"),
      jobsFirst: db.prepare<[number, number], JobRow>(
        `SELECT j.amendment, a.kind, j.seq, j.chat_id, j.message_id, j.lang, j.attempts
         FROM amendment_jobs j JOIN amendments a ON a.id = j.amendment
         WHERE j.due_at <= ? ORDER BY j.amendment, j.chat_id LIMIT ?`,
      ),
      jobsAfter: db.prepare<[number, number, number, number], JobRow>(
        `SELECT j.amendment, a.kind, j.seq, j.chat_id, j.message_id, j.lang, j.attempts
         FROM amendment_jobs j JOIN amendments a ON a.id = j.amendment
         WHERE (j.amendment, j.chat_id) > (?, ?) AND j.due_at <= ? ORDER BY j.amendment, j.chat_id LIMIT ?`,
      ),
      jobDue: db.prepare<[number, number, number], { n: number }>(
        "SELECT 1 AS n FROM amendment_jobs WHERE amendment = ? AND chat_id = ? AND due_at <= ?",
      ),
      pendingJobs: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM amendment_jobs"),
      takeJob: db.prepare<[number, number], { seq: number; kind: AmendmentKind }>(
        `DELETE FROM amendment_jobs WHERE amendment = ? AND chat_id = ?
         RETURNING seq, (SELECT kind FROM amendments WHERE id = amendment) AS kind`,
      ),
      copyEdited: db.prepare("UPDATE copies SET version = max(version, ?) WHERE seq = ? AND chat_id = ?"),
      forgetCopy: db.prepare("DELETE FROM copies WHERE seq = ? AND chat_id = ?"),
      countJob: {
        done: db.prepare(
          "UPDATE amendments SET done = done + 1, remaining = remaining - 1, finished_at = CASE WHEN remaining = 1 THEN ? END WHERE id = ?",
        ),
        gone: db.prepare(
          "UPDATE amendments SET gone = gone + 1, remaining = remaining - 1, finished_at = CASE WHEN remaining = 1 THEN ? END WHERE id = ?",
        ),
        failed: db.prepare(
          "UPDATE amendments SET failed = failed + 1, remaining = remaining - 1, finished_at = CASE WHEN remaining = 1 THEN ? END WHERE id = ?",
        ),
      },
      postponeJob: db.prepare(
        "UPDATE amendment_jobs SET attempts = attempts + 1, due_at = ?, last_error = ? WHERE amendment = ? AND chat_id = ?",
      ),
      unreportedAmendments: db.prepare<[], AmendmentRow>(
        `SELECT a.*, b.id AS bulletin_id, b.text AS bulletin_text FROM amendments a JOIN bulletins b USING (seq)
         WHERE a.finished_at IS NOT NULL AND a.reported = 0 ORDER BY a.id`,
      ),
      markAmendmentReported: db.prepare("UPDATE amendments SET reported = 1 WHERE id = ?"),
      forgetCopies: db.prepare("DELETE FROM copies WHERE seq IN (SELECT seq FROM bulletins WHERE published_ms < ?)"),
      recordNewsroomMessage: db.prepare(
        "INSERT OR REPLACE INTO newsroom_messages (chat_id, message_id, seq) VALUES (?, ?, ?)",
      ),
      newsroomMessage: db.prepare<[number, number], { seq: number }>(
        `SELECT m.seq FROM newsroom_messages m JOIN bulletins b USING (seq)
         WHERE m.chat_id = ? AND m.message_id = ?
           AND b.election = coalesce((SELECT value FROM meta WHERE key = 'election'), b.election)`,
      ),
      // The current election's bulletins are few: each one's copy in the chat is found by its key.
      copyByMessage: db.prepare<{ chat: number; message: number }, { seq: number }>(
        `SELECT c.seq FROM bulletins b JOIN copies c ON c.seq = b.seq AND c.chat_id = $chat
         WHERE b.election = coalesce((SELECT value FROM meta WHERE key = 'election'), b.election)
           AND c.message_id = $message
         LIMIT 1`,
      ),
      insertDraft: db.prepare<
        [DraftKind, number, number, Lang, string, string | null, string, number | null, number, number],
        DraftRow
      >(
        `INSERT INTO drafts (kind, user_id, chat_id, lang, text, html, comuni, target, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      ),
      draft: db.prepare<[number], DraftRow>("SELECT * FROM drafts WHERE id = ?"),
      draftMessage: db.prepare("UPDATE drafts SET message_id = ? WHERE id = ?"),
      draftComuni: db.prepare("UPDATE drafts SET comuni = ? WHERE id = ? AND state = 'open'"),
      closeDraft: db.prepare("UPDATE drafts SET state = ?, result = ? WHERE id = ?"),
      forgetDrafts: db.prepare("DELETE FROM drafts WHERE created_at < ?"),
    };
  }

  getMeta(key: string): string | undefined {
    return this.q.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.q.setMeta.run(key, value);
  }

  bulletinsOf(election: string): StoredBulletin[] {
    return this.q.bulletinsOf.all(election).map(toBulletin);
  }

  addBulletin(b: NewBulletin, push?: PushOptions): { seq: number; recipients: number } {
    const publishedMs = instant(b.publishedAt);
    return this.db.transaction(() => {
      const seq = Number(
        this.q.insertBulletin.run(
          b.election,
          b.id,
          b.publishedAt,
          publishedMs,
          b.text,
          JSON.stringify(b.comuni),
          b.origin,
          b.html ?? null,
          b.audience ?? "everyone",
        ).lastInsertRowid,
      );
      if (!push) return { seq, recipients: 0 };
      const postponed = this.q.postponedCount.get()!.n;
      const lookUp = postponed > this.fewPostponed;
      const recipients =
        b.audience === "followers"
          ? (lookUp ? this.q.enqueueFollowersBehind : this.q.enqueueFollowers).run(seq, JSON.stringify(b.comuni))
              .changes
          : b.comuni.length
            ? (lookUp ? this.q.enqueueForBehind : this.q.enqueueFor).run(seq, JSON.stringify(b.comuni)).changes
            : (lookUp ? this.q.enqueueAllBehind : this.q.enqueueAll).run(seq).changes;
      if (postponed > 0 && !lookUp) this.q.queueBehind.run({ seq });
      const now = this.clock();
      // A push to nobody is finished at once and has nothing to report.
      this.q.insertPush.run(
        seq,
        push.requestedBy,
        push.lang,
        now,
        recipients,
        recipients,
        recipients === 0 ? now : null,
        recipients === 0 ? 1 : 0,
      );
      return { seq, recipients };
    })();
  }

  correctBulletin(seq: number, c: BulletinContent): void {
    this.q.correct.run(c.publishedAt, instant(c.publishedAt), c.text, JSON.stringify(c.comuni), seq);
  }

  withdrawBulletin(seq: number): number {
    return this.db.transaction(() => {
      this.q.hide.run(seq);
      // One statement for the whole push, however large; a send in flight finds its row gone.
      const n = this.q.dropBulletinDeliveries.run(seq).changes;
      if (n > 0) this.settled(seq, this.q.skipMany.get({ n, now: this.clock(), seq }));
      return n;
    })();
  }

  latestBulletins(limit: number): StoredBulletin[] {
    return this.q.latest.all(limit).map(toBulletin);
  }

  latestBulletinsAbout(comune: ComuneCode, limit: number): StoredBulletin[] {
    return this.q.latestAbout.all(comune, limit).map(toBulletin);
  }

  bulletin(seq: number): StoredBulletin | undefined {
    const r = this.q.bulletin.get(seq);
    return r && toBulletin(r);
  }

  bulletinCount(): number {
    return this.q.bulletinCount.get()!.n;
  }

  bulletinVersion(seq: number): number | undefined {
    return this.q.version.get(seq)?.version;
  }

  amendBulletin(
    seq: number,
    change: { kind: "correct"; content: Correction; correctedAt: string } | { kind: "withdraw" },
    by: { requestedBy: number | null; lang: Lang },
  ): AmendmentStarted | undefined {
    return this.db.transaction(() => {
      const b = this.q.bulletin.get(seq);
      if (!b || b.hidden) return undefined;
      const now = this.clock();
      let queued: number;
      let added = 0;
      let dropped = 0;
      if (change.kind === "correct") {
        const c = change.content;
        this.q.reviseBulletin.run(c.text, c.html ?? null, JSON.stringify(c.comuni), change.correctedAt, seq);
        // Its comuni decide again who gets it: queued copies for chats it no longer concerns are not
        // sent, the chats it now concerns get it as a new delivery (delivered copies are all edited).
        const p: ReachParams = { seq, new: JSON.stringify(c.comuni), old: b.comuni, audience: b.audience };
        dropped = this.q.dropUnconcerned.run(p).changes;
        if (dropped > 0) this.settled(seq, this.q.removeMany.get({ n: dropped, now, seq }));
        added = this.q.enqueueNewlyConcerned.run(p).changes;
        if (added > 0) {
          this.q.reopenPush.run({ n: added, seq });
          this.q.queueBehind.run({ seq });
          this.q.behindAdded.run({ seq });
        }
        // Deliveries still queued render the new version when their turn comes.
        queued = this.q.queuedCount.get(seq)!.n - added;
      } else {
        queued = this.withdrawBulletin(seq);
      }
      const amendment = Number(
        this.q.insertAmendment.run(seq, change.kind, by.requestedBy, by.lang, now).lastInsertRowid,
      );
      // Edits or deletions still queued from an earlier amendment: this one redoes them.
      for (const { amendment: id, n } of this.q.earlierJobs.all(seq, amendment)) {
        this.q.supersede.run({ n, now, id });
      }
      this.q.dropEarlierJobs.run(seq, amendment);
      const copies = this.q.queueJobs.run(amendment, seq).changes;
      this.q.sizeAmendment.run({ n: copies, now, id: amendment });
      return { amendment, copies, queued, added, dropped };
    })();
  }

  copyCount(seq: number): { delivered: number; queued: number } {
    return { delivered: this.q.copyCount.get(seq)!.n, queued: this.q.queuedCount.get(seq)!.n };
  }

  correctionReach(seq: number, comuni: readonly string[]): CorrectionReach | undefined {
    const b = this.q.bulletin.get(seq);
    if (!b) return undefined;
    const p: ReachParams = { seq, new: JSON.stringify(comuni), old: b.comuni, audience: b.audience };
    return { ...this.q.reachCopies.get(p)!, ...this.q.reachQueued.get(p)!, added: this.q.reachAdded.get(p)!.n };
  }

  dueAmendmentJobs(after: { amendment: number; chatId: number } | null, now: number, limit: number): AmendmentJob[] {
    const earliest = this.q.earliestJob.get()?.t;
    if (earliest === null || earliest === undefined || earliest > now) return [];
    const rows = after
      ? this.q.jobsAfter.all(after.amendment, after.chatId, now, limit)
      : this.q.jobsFirst.all(now, limit);
    return rows.map(toJob);
  }

  isAmendmentJobDue(j: Pick<AmendmentJob, "amendment" | "chatId">, now: number): boolean {
    return this.q.jobDue.get(j.amendment, j.chatId, now) !== undefined;
  }

  completeAmendmentJob(
    j: Pick<AmendmentJob, "amendment" | "chatId">,
    outcome: AmendmentOutcome,
    version?: number,
  ): void {
    this.db.transaction(() => {
      const row = this.q.takeJob.get(j.amendment, j.chatId);
      if (!row) return; // superseded meanwhile
      if (outcome === "done" && row.kind === "correct") this.q.copyEdited.run(version ?? 0, row.seq, j.chatId);
      // Deleted, or no longer there: nothing left to correct or delete later. A refused one stays.
      else if (outcome !== "failed") this.q.forgetCopy.run(row.seq, j.chatId);
      this.q.countJob[outcome].run(this.clock(), j.amendment);
    })();
  }

  postponeAmendmentJob(j: Pick<AmendmentJob, "amendment" | "chatId">, dueAt: number, error: string): void {
    this.q.postponeJob.run(dueAt, error.slice(0, 500), j.amendment, j.chatId);
  }

  unreportedFinishedAmendments(): AmendmentReport[] {
    return this.q.unreportedAmendments.all().map(toAmendment);
  }

  markAmendmentReported(id: number): void {
    this.q.markAmendmentReported.run(id);
  }

  forgetCopiesBefore(ms: number): number {
    return this.q.forgetCopies.run(ms).changes;
  }

  recordNewsroomMessage(chatId: number, messageId: number, seq: number): void {
    this.q.recordNewsroomMessage.run(chatId, messageId, seq);
  }

  bulletinByMessage(chatId: number, messageId: number): number | undefined {
    return (
      this.q.newsroomMessage.get(chatId, messageId)?.seq ??
      this.q.copyByMessage.get({ chat: chatId, message: messageId })?.seq
    );
  }

  createDraft(d: NewDraft): Draft {
    return this.db.transaction(() => {
      this.q.forgetDrafts.run(d.createdAt - DRAFT_KEEP_MS);
      const row = this.q.insertDraft.get(
        d.kind,
        d.userId,
        d.chatId,
        d.lang,
        d.text,
        d.html ?? null,
        JSON.stringify(d.comuni),
        d.target ?? null,
        d.createdAt,
        d.expiresAt,
      )!;
      return toDraft(row);
    })();
  }

  draft(id: number): Draft | undefined {
    const r = this.q.draft.get(id);
    return r && toDraft(r);
  }

  setDraftMessage(id: number, messageId: number): void {
    this.q.draftMessage.run(messageId, id);
  }

  setDraftComuni(id: number, comuni: readonly ComuneCode[]): void {
    this.q.draftComuni.run(JSON.stringify(comuni), id);
  }

  settleDraft(
    id: number,
    now: number,
    to: "done" | "cancelled",
    act?: (d: Draft) => number | undefined,
  ): DraftSettlement {
    return this.db.transaction((): DraftSettlement => {
      const r = this.q.draft.get(id);
      if (r?.state !== "open") return { ok: false, draft: r && toDraft(r) };
      if (r.expires_at <= now) {
        this.q.closeDraft.run("expired", null, id);
        return { ok: false, draft: { ...toDraft(r), state: "expired" } };
      }
      const draft = toDraft(r);
      const result = to === "done" ? act?.(draft) : undefined;
      this.q.closeDraft.run(to, result ?? null, id);
      return { ok: true, draft: { ...draft, state: to, ...(result !== undefined ? { result } : {}) }, result };
    })();
  }

  subscribe(chatId: number, what: Subscription, lang: Lang): boolean {
    return this.db.transaction(() => {
      const key = subscriptionKey(what);
      const added = this.q.subscribe.run({ chat: chatId, ...key, lang, now: this.clock() }).changes > 0;
      this.q.relang.run(lang, chatId);
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
      if (removed > 0)
        for (const { seq } of this.q.unwantedDeliveries.all({ chat: chatId })) this.finish(seq, chatId, "removed");
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

  recipientCount(comuni: readonly ComuneCode[]): number {
    return comuni.length ? this.q.recipients.get(JSON.stringify(comuni))!.n : this.q.stats.get()!.chats;
  }

  dueDeliveries(after: { seq: number; chatId: number } | null, now: number, limit: number): Delivery[] {
    // The engine asks at least once a second. When nothing is due (everything postponed during an
    // outage) the index answers that at once; the scan below would read the whole outbox to find nothing.
    const earliest = this.q.earliestDue.get()?.t;
    if (earliest === null || earliest === undefined || earliest > now) return [];
    const rows = after ? this.q.dueAfter.all(after.seq, after.chatId, now, limit) : this.q.dueFirst.all(now, limit);
    return rows.map((r) => ({ seq: r.seq, chatId: r.chat_id, lang: r.lang, attempts: r.attempts }));
  }

  isDue(d: Pick<Delivery, "seq" | "chatId">, now: number): boolean {
    return this.q.isDue.get(d.seq, d.chatId, now) !== undefined;
  }

  nextDueAt(): number | undefined {
    const a = this.q.nextDue.get()?.t ?? undefined;
    const b = this.q.nextJobDue.get()?.t ?? undefined;
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
  }

  pendingCount(): number {
    return this.q.pending.get()!.n + this.q.pendingJobs.get()!.n;
  }

  private finish(seq: number, chatId: number, outcome: Terminal | "removed", sent?: SentCopy): void {
    // The message exists whatever became of the row meanwhile (a withdrawal while it was in flight):
    // its id is kept, and an amendment already under way takes it too.
    if (sent) this.recordCopy(seq, chatId, sent);
    if (this.q.deleteDelivery.run(seq, chatId).changes === 0) return;
    // Only a group can turn out to be a supergroup's former self (see migrateChat); private chats are not recorded.
    if (outcome === "delivered" && chatId < 0) this.q.recordDelivered.run(seq, chatId);
    this.settled(seq, this.q.count[outcome].get(this.clock(), seq));
  }

  /** After a push's counters moved: once nothing of it is queued, its delivered record is not needed. */
  private settled(seq: number, push: { remaining: number } | undefined): void {
    if (push?.remaining === 0) this.q.forgetDelivered.run(seq);
  }

  complete(d: Pick<Delivery, "seq" | "chatId">, outcome: Terminal, sent?: SentCopy): void {
    this.db.transaction(() => this.finish(d.seq, d.chatId, outcome, sent))();
  }

  private recordCopy(seq: number, chatId: number, sent: SentCopy): void {
    this.q.recordCopy.run(seq, chatId, sent.messageId, sent.lang, sent.version);
    const late = this.q.lateJob.get({
      seq,
      chat: chatId,
      message: sent.messageId,
      lang: sent.lang,
      version: sent.version,
    });
    if (late) this.q.reopenAmendment.run(late.amendment);
  }

  postpone(d: Pick<Delivery, "seq" | "chatId">, dueAt: number, error: string): void {
    // The chat's later bulletins wait for this one: making them due no earlier keeps "nothing is due"
    // answerable from the due-time index alone (a row due but stuck behind a postponed one is not).
    this.db.transaction(() => {
      this.q.postpone.run(dueAt, error.slice(0, 500), d.seq, d.chatId);
      this.q.postponeBehind.run(dueAt, d.chatId, d.seq, dueAt);
    })();
  }

  removeChat(chatId: number): number {
    return this.db.transaction(() => {
      for (const { seq } of this.q.chatDeliveries.all(chatId)) this.finish(seq, chatId, "removed");
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
      for (const { seq } of this.q.chatDeliveries.all(from)) {
        // Where the new chat already had the same bulletin, or has it queued, the old entry is a duplicate.
        const duplicate =
          this.q.wasDelivered.get(seq, to) !== undefined || this.q.moveDelivery.run(to, seq, from).changes === 0;
        if (duplicate) this.finish(seq, from, "removed");
      }
    })();
  }

  unreportedFinishedPushes(): PushReport[] {
    return this.q.unreported.all().map(toPush);
  }

  markReported(seq: number): void {
    this.q.markReported.run(seq);
  }

  lastPush(): PushReport | undefined {
    const r = this.q.lastPush.get();
    return r && toPush(r);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
