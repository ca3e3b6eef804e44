/**
 * The SQLite schema's versions: each migration moves it one version up (PRAGMA user_version), and the
 * runner applies them in order when a database is opened, one transaction per version.
 */
import type Database from "better-sqlite3";
import { keyComuniByCode, type MigrationContext } from "./comune-codes.js";

/**
 * Each entry moves the schema one version up; never edit one that has shipped, add a new one. An entry is
 * SQL, or a function for a change that must read the schema as it stands (see widenBulletinOrigins).
 */
export const MIGRATIONS: readonly (string | ((db: Database.Database, ctx: MigrationContext) => void))[] = [
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
  // v9: the newsroom corrects and withdraws what it published. A bulletin may carry the HTML of the
  // editor's formatting, and a version that goes up with each correction. Every delivery keeps the
  // message Telegram made (copies), so that a correction can edit it and a withdrawal delete it;
  // those edits and deletions are the outbox's second kind of row (amendment_jobs), counted per
  // amendment like deliveries per push. Drafts wait for the editor's confirmation; the newsroom's
  // own messages about a bulletin (acknowledgement, report) can be replied to.
  `ALTER TABLE bulletins ADD COLUMN html TEXT;
   ALTER TABLE bulletins ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE bulletins ADD COLUMN corrected_at TEXT;
   CREATE TABLE copies (
     seq INTEGER NOT NULL,
     chat_id INTEGER NOT NULL,
     message_id INTEGER NOT NULL,
     lang TEXT NOT NULL,
     version INTEGER NOT NULL,
     PRIMARY KEY (seq, chat_id)
   ) WITHOUT ROWID;
   CREATE TABLE amendments (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     seq INTEGER NOT NULL REFERENCES bulletins (seq),
     kind TEXT NOT NULL CHECK (kind IN ('correct', 'withdraw')),
     requested_by INTEGER,
     lang TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     finished_at INTEGER,
     total INTEGER NOT NULL,
     remaining INTEGER NOT NULL,
     done INTEGER NOT NULL DEFAULT 0,
     gone INTEGER NOT NULL DEFAULT 0,
     failed INTEGER NOT NULL DEFAULT 0,
     superseded INTEGER NOT NULL DEFAULT 0,
     reported INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX amendments_seq ON amendments (seq, id);
   CREATE TABLE amendment_jobs (
     amendment INTEGER NOT NULL,
     chat_id INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     message_id INTEGER NOT NULL,
     lang TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     due_at INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     PRIMARY KEY (amendment, chat_id)
   ) WITHOUT ROWID;
   CREATE INDEX amendment_jobs_due ON amendment_jobs (due_at);
   CREATE INDEX amendment_jobs_seq ON amendment_jobs (seq, amendment);
   CREATE TABLE newsroom_messages (
     chat_id INTEGER NOT NULL,
     message_id INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     PRIMARY KEY (chat_id, message_id)
   ) WITHOUT ROWID;
   CREATE TABLE drafts (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     kind TEXT NOT NULL CHECK (kind IN ('publish', 'correct', 'withdraw')),
     user_id INTEGER NOT NULL,
     chat_id INTEGER NOT NULL,
     message_id INTEGER,
     lang TEXT NOT NULL,
     text TEXT NOT NULL,
     html TEXT,
     comuni TEXT NOT NULL,
     target INTEGER,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'cancelled', 'expired')),
     result INTEGER
   );`,
  // v10: the Ministry's feed. Its bulletins have their own origin ('feed') and an audience: a comune's
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
  // v11: the live card of each followed comune in each chat (src/cards/): the message edited as the
  // count moves, when it was sent (Telegram's messages grow too old to edit), a fingerprint of what
  // it shows (a restart does not edit it again for nothing), and whether the chat switched it off.
  `CREATE TABLE live_cards (
     chat_id INTEGER NOT NULL,
     comune TEXT NOT NULL,
     message_id INTEGER,
     sent_at INTEGER,
     shown TEXT,
     off INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (chat_id, comune)
   ) WITHOUT ROWID;`,
  // v12: comuni kept by code, not by name (Castro BG and Castro LE share one): subscriptions, live
  // cards, bulletins' and drafts' comuni. See comune-codes.ts.
  (db, ctx) => keyComuniByCode(db, ctx),
  // v13: a push's deliveries that may have gone out twice (the PostgreSQL schema's, see
  // postgres/claims.ts). One process sends from a SQLite database and no other takes its rows over: it
  // stays 0 here, and the column keeps the two engines' pushes alike.
  `ALTER TABLE pushes ADD COLUMN possibly_duplicated INTEGER NOT NULL DEFAULT 0;`,
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

/**
 * Brings the schema up to date, one transaction per version. Foreign keys are off while a migration
 * runs (a migration may rebuild a table others refer to) and checked before it commits.
 *
 * Several processes may open the same database at once (the bot restarting while the old one is still
 * closing, `npm run chat` beside it): each step takes the write lock first (BEGIN IMMEDIATE) and reads
 * the version again under it, so only one of them applies a step and the others find it applied.
 */
export function migrate(db: Database.Database, ctx: MigrationContext = {}): number {
  const current = () => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(`database schema version ${version} is newer than this code knows (${MIGRATIONS.length})`);
    }
    return version;
  };
  // Versions only go up: a database already at the last one needs no lock.
  if (current() === MIGRATIONS.length) return MIGRATIONS.length;
  const foreignKeys = db.pragma("foreign_keys", { simple: true }) as number;
  db.pragma("foreign_keys = OFF");
  const step = db.transaction((): boolean => {
    const v = current();
    if (v === MIGRATIONS.length) return false;
    const m = MIGRATIONS[v]!;
    if (typeof m === "string") db.exec(m);
    else m(db, ctx);
    const broken = db.pragma("foreign_key_check") as unknown[];
    if (broken.length) throw new Error(`migration to version ${v + 1} breaks ${broken.length} references`);
    db.pragma(`user_version = ${v + 1}`);
    return true;
  });
  try {
    while (step.immediate()) {}
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? "ON" : "OFF"}`);
  }
  return MIGRATIONS.length;
}
