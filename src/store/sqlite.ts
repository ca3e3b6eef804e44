/** The embedded store: SQLite through better-sqlite3, WAL mode, versioned migrations. */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Lang } from "../i18n/index.js";
import {
  type Audience,
  type BulletinContent,
  type BulletinOrigin,
  type Delivery,
  NATIONAL,
  type NewBulletin,
  type PushOptions,
  type PushReport,
  type QuietHours,
  type Store,
  type StoredBulletin,
  type Subscription,
  type Terminal,
} from "./store.js";

/**
 * Each entry moves the schema one version up; never edit one that has shipped, add a new one. An entry is
 * SQL, or a function for a change that must read the schema as it stands (see widenBulletinOrigins).
 */
export const MIGRATIONS: readonly (string | ((db: Database.Database) => void))[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE bulletins (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     published_at TEXT NOT NULL,
     text TEXT NOT NULL,
     comuni TEXT NOT NULL,
     origin TEXT NOT NULL CHECK (origin IN ('pack', 'newsroom'))
   );
   CREATE TABLE subscriptions (
     chat_id INTEGER NOT NULL,
     comune TEXT NOT NULL, -- '' means every bulletin
     lang TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (chat_id, comune)
   ) WITHOUT ROWID;
   CREATE INDEX subscriptions_comune ON subscriptions (comune, chat_id);
   CREATE TABLE deliveries (
     seq INTEGER NOT NULL REFERENCES bulletins (seq),
     chat_id INTEGER NOT NULL,
     lang TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     due_at INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     PRIMARY KEY (seq, chat_id)
   ) WITHOUT ROWID;
   CREATE INDEX deliveries_chat ON deliveries (chat_id, seq);
   CREATE INDEX deliveries_due ON deliveries (due_at) WHERE due_at > 0;
   CREATE TABLE pushes (
     seq INTEGER PRIMARY KEY REFERENCES bulletins (seq),
     requested_by INTEGER,
     lang TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     finished_at INTEGER,
     total INTEGER NOT NULL,
     remaining INTEGER NOT NULL,
     delivered INTEGER NOT NULL DEFAULT 0,
     removed INTEGER NOT NULL DEFAULT 0,
     failed INTEGER NOT NULL DEFAULT 0,
     reported INTEGER NOT NULL DEFAULT 0
   );`,
  // v2: a bulletin is identified by (election, id): the next election's pack may reuse an id.
  // The old schema did not record the election. Its bulletins go to the election started last
  // (the one most likely running), and the other elections forget that they ever imported their
  // pack: started again, they import it as history. Either way no old bulletin is pushed again.
  `CREATE TABLE bulletins_v2 (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     election TEXT NOT NULL,
     id TEXT NOT NULL,
     published_at TEXT NOT NULL,
     text TEXT NOT NULL,
     comuni TEXT NOT NULL,
     origin TEXT NOT NULL CHECK (origin IN ('pack', 'newsroom')),
     UNIQUE (election, id)
   );
   CREATE TEMP TABLE latest_election AS
     SELECT key, substr(key, length('pack-history:') + 1) AS election FROM meta
     WHERE key LIKE 'pack-history:%' ORDER BY value DESC, key LIMIT 1;
   INSERT INTO bulletins_v2 (seq, election, id, published_at, text, comuni, origin)
     SELECT seq, coalesce((SELECT election FROM temp.latest_election), ''), id, published_at, text, comuni, origin
     FROM bulletins;
   DELETE FROM meta WHERE key LIKE 'pack-history:%' AND key NOT IN (SELECT key FROM temp.latest_election);
   INSERT INTO meta (key, value) SELECT 'election', election FROM temp.latest_election;
   DROP TABLE temp.latest_election;
   DROP TABLE bulletins;
   ALTER TABLE bulletins_v2 RENAME TO bulletins;`,
  // v3: publication instants as epoch milliseconds. The text column keeps what was written (pack
  // timestamps carry +02:00, newsroom ones are UTC), which does not sort as time.
  `ALTER TABLE bulletins ADD COLUMN published_ms INTEGER NOT NULL DEFAULT 0;
   UPDATE bulletins SET published_ms = CAST(round((julianday(published_at) - 2440587.5) * 86400000) AS INTEGER);
   CREATE INDEX bulletins_latest ON bulletins (election, published_ms, seq);`,
  // v4: deliveries skipped because the bot may not write in a group for now.
  `ALTER TABLE pushes ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;`,
  // v5: a bulletin removed from the data pack is hidden, not deleted (it may have been delivered).
  `ALTER TABLE bulletins ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;`,
  // v6: the groups a bulletin was delivered to, while its push runs. A group that turns out to have
  // become a supergroup passes its queued bulletins on, except those the supergroup already had.
  `CREATE TABLE delivered (
     seq INTEGER NOT NULL,
     chat_id INTEGER NOT NULL,
     PRIMARY KEY (seq, chat_id)
   ) WITHOUT ROWID;`,
  // v7: the engine's idle check reads the earliest due time from an index over every pending row
  // (the old one left out rows due at once), and a new delivery finds the due time of the chat's
  // pending ones without reading the table.
  `DROP INDEX deliveries_due;
   CREATE INDEX deliveries_due_at ON deliveries (due_at);
   DROP INDEX deliveries_chat;
   CREATE INDEX deliveries_chat ON deliveries (chat_id, seq, due_at);`,
  // v8: a subscription has a kind: every bulletin ('all', was comune ''), one comune's ('comune',
  // national ones too), or only the national ones ('national', new). A chat's quiet hours: pushes
  // in that span go out without sound (minutes after midnight, in the election's time zone).
  `CREATE TABLE subscriptions_v8 (
     chat_id INTEGER NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('all', 'comune', 'national')),
     comune TEXT NOT NULL CHECK ((kind = 'comune') = (comune <> '')),
     lang TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (chat_id, kind, comune)
   ) WITHOUT ROWID;
   INSERT INTO subscriptions_v8 (chat_id, kind, comune, lang, created_at)
     SELECT chat_id, CASE comune WHEN '' THEN 'all' ELSE 'comune' END, comune, lang, created_at FROM subscriptions;
   DROP TABLE subscriptions;
   ALTER TABLE subscriptions_v8 RENAME TO subscriptions;
   CREATE INDEX subscriptions_kind ON subscriptions (kind, comune);
   CREATE TABLE quiet_hours (
     chat_id INTEGER PRIMARY KEY,
     from_minute INTEGER NOT NULL CHECK (from_minute BETWEEN 0 AND 1439),
     to_minute INTEGER NOT NULL CHECK (to_minute BETWEEN 0 AND 1439 AND to_minute <> from_minute)
   );`,
  // v9: the Ministry's feed. Its bulletins have their own origin ('feed') and an audience: a comune's
  // automatic bulletins go to that comune's followers only ('followers', kept out of /ultime). Its state
  // (the last good figures of every comune, the anomaly gate), what it has announced (one row per
  // announcement key: nothing is announced twice, across restarts too) and the drafts awaiting the
  // newsroom's review.
  (db) => {
    widenBulletinOrigins(db, ["pack", "newsroom", "feed"]);
    db.exec(`ALTER TABLE bulletins ADD COLUMN audience TEXT NOT NULL DEFAULT 'everyone' CHECK (audience IN ('everyone', 'followers'));
     CREATE TABLE feed_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
     CREATE TABLE feed_announcements (
       key TEXT PRIMARY KEY,
       comune TEXT NOT NULL, -- '' for the election as a whole (turnout)
       kind TEXT NOT NULL,
       at INTEGER NOT NULL,
       bulletin TEXT, -- the bulletin's id, once published
       draft INTEGER -- the draft, in review mode
     ) WITHOUT ROWID;
     CREATE INDEX feed_announcements_comune ON feed_announcements (comune, kind, at);
     CREATE TABLE feed_drafts (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       bulletin_id TEXT NOT NULL,
       text TEXT NOT NULL,
       comuni TEXT NOT NULL,
       audience TEXT NOT NULL CHECK (audience IN ('everyone', 'followers')),
       created_at INTEGER NOT NULL,
       status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'dropped')),
       decided_by INTEGER,
       decided_at INTEGER
     );`);
  },
];

/**
 * Rebuilds the bulletins table with a wider CHECK on `origin`, keeping every column and index as they
 * stand (whatever other migrations added): SQLite cannot alter a CHECK in place.
 */
function widenBulletinOrigins(db: Database.Database, origins: string[]): void {
  const table = db
    .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'bulletins'")
    .get();
  if (!table) throw new Error("no bulletins table to widen");
  const check = /CHECK\s*\(\s*origin\s+IN\s*\([^)]*\)\s*\)/i;
  if (!check.test(table.sql)) throw new Error("the bulletins table has no CHECK on origin to widen");
  const indexes = db
    .prepare<[], { sql: string }>(
      "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bulletins' AND sql IS NOT NULL",
    )
    .all();
  const widened = table.sql
    .replace(check, `CHECK (origin IN (${origins.map((o) => `'${o}'`).join(", ")}))`)
    .replace(/^CREATE TABLE\s+("?)bulletins\1/i, "CREATE TABLE bulletins_widened");
  db.exec(widened);
  db.exec("INSERT INTO bulletins_widened SELECT * FROM bulletins; DROP TABLE bulletins;");
  db.exec("ALTER TABLE bulletins_widened RENAME TO bulletins;");
  for (const i of indexes) db.exec(i.sql);
}

/** A subscription as stored: its kind and, for one comune, the comune's name ('' otherwise). */
type SubscriptionKey = { kind: "all" | "comune" | "national"; comune: string };

function subscriptionKey(what: Subscription): SubscriptionKey {
  if (what === null) return { kind: "all", comune: "" };
  if (what === NATIONAL) return { kind: "national", comune: "" };
  return { kind: "comune", comune: what };
}

function subscriptionOf(k: SubscriptionKey): Subscription {
  return k.kind === "all" ? null : k.kind === "national" ? NATIONAL : k.comune;
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
}

interface PushRow {
  seq: number;
  bulletin_id: string;
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

const toBulletin = (r: BulletinRow): StoredBulletin => ({
  seq: r.seq,
  election: r.election,
  id: r.id,
  publishedAt: r.published_at,
  text: r.text,
  comuni: JSON.parse(r.comuni) as string[],
  origin: r.origin,
  ...(r.audience === "followers" ? { audience: r.audience } : {}),
  hidden: r.hidden !== 0,
});

const toPush = (r: PushRow): PushReport => ({
  seq: r.seq,
  bulletinId: r.bulletin_id,
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

/**
 * Brings the schema up to date, one transaction per version. Foreign keys are off while a migration
 * runs (a migration may rebuild a table others refer to) and checked before it commits.
 */
export function migrate(db: Database.Database): number {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`database schema version ${version} is newer than this code knows (${MIGRATIONS.length})`);
  }
  if (version === MIGRATIONS.length) return version;
  const foreignKeys = db.pragma("foreign_keys", { simple: true }) as number;
  db.pragma("foreign_keys = OFF");
  try {
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.transaction(() => {
        const m = MIGRATIONS[v]!;
        if (typeof m === "string") db.exec(m);
        else m(db);
        const broken = db.pragma("foreign_key_check") as unknown[];
        if (broken.length) throw new Error(`migration to version ${v + 1} breaks ${broken.length} references`);
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? "ON" : "OFF"}`);
  }
  return MIGRATIONS.length;
}

export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly q;

  /**
   * @param clock the time recorded for pushes and subscriptions
   * @param fewPostponed up to how many postponed deliveries a new push fixes its rows up afterwards
   *   rather than looking every recipient up (tests lower it to reach both ways)
   */
  constructor(
    file: string,
    private readonly clock: () => number = Date.now,
    private readonly fewPostponed = FEW_POSTPONED,
  ) {
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    migrate(this.db);
    const db = this.db;
    this.q = {
      getMeta: db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?"),
      setMeta: db.prepare(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
      bulletinsOf: db.prepare<[string], BulletinRow>("SELECT * FROM bulletins WHERE election = ? ORDER BY seq"),
      insertBulletin: db.prepare(
        "INSERT INTO bulletins (election, id, published_at, published_ms, text, comuni, origin, audience) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
        "SELECT p.*, b.id AS bulletin_id FROM pushes p JOIN bulletins b USING (seq) WHERE finished_at IS NOT NULL AND reported = 0 ORDER BY seq",
      ),
      markReported: db.prepare("UPDATE pushes SET reported = 1 WHERE seq = ?"),
      lastPush: db.prepare<[], PushRow>(
        "SELECT p.*, b.id AS bulletin_id FROM pushes p JOIN bulletins b USING (seq) ORDER BY seq DESC LIMIT 1",
      ),
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

  latestBulletinsAbout(comune: string, limit: number): StoredBulletin[] {
    return this.q.latestAbout.all(comune, limit).map(toBulletin);
  }

  bulletin(seq: number): StoredBulletin | undefined {
    const r = this.q.bulletin.get(seq);
    return r && toBulletin(r);
  }

  bulletinCount(): number {
    return this.q.bulletinCount.get()!.n;
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
    return this.q.nextDue.get()?.t ?? undefined;
  }

  pendingCount(): number {
    return this.q.pending.get()!.n;
  }

  private finish(seq: number, chatId: number, outcome: Terminal | "removed"): void {
    if (this.q.deleteDelivery.run(seq, chatId).changes === 0) return;
    // Only a group can turn out to be a supergroup's former self (see migrateChat); private chats are not recorded.
    if (outcome === "delivered" && chatId < 0) this.q.recordDelivered.run(seq, chatId);
    this.settled(seq, this.q.count[outcome].get(this.clock(), seq));
  }

  /** After a push's counters moved: once nothing of it is queued, its delivered record is not needed. */
  private settled(seq: number, push: { remaining: number } | undefined): void {
    if (push?.remaining === 0) this.q.forgetDelivered.run(seq);
  }

  complete(d: Pick<Delivery, "seq" | "chatId">, outcome: Terminal): void {
    this.db.transaction(() => this.finish(d.seq, d.chatId, outcome))();
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
