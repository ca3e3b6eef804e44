/**
 * Bulletins in SQLite: the `bulletins` table, and `newsroom_messages`. Publishing one with a push
 * queues its deliveries (SqliteOutbox) in the same transaction; so does withdrawing one settle them.
 */
import type Database from "better-sqlite3";
import type { ComuneCode } from "../../data/model.js";
import { type Html, trusted } from "../../format/html.js";
import type {
  Audience,
  BulletinContent,
  BulletinOrigin,
  BulletinRepository,
  NewBulletin,
  PushOptions,
  StoredBulletin,
} from "../contract/bulletins.js";
import type { SqliteOutbox } from "./outbox.js";
import type { Synchronous } from "./synchronous.js";

export interface BulletinRow {
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

/**
 * The HTML column of a bulletin or a draft, read back. Only `NewBulletin.html` and `NewDraft.html`
 * write it, and those are typed Html: what format/entities.ts built, every character escaped.
 */
export const storedHtml = (column: string): Html => trusted(column);

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

/** Epoch milliseconds of an ISO timestamp; refuses one that does not parse (it could not be ordered). */
function instant(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`not a timestamp: ${JSON.stringify(iso)}`);
  return ms;
}

export class SqliteBulletins implements Synchronous<BulletinRepository> {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly outbox: SqliteOutbox,
  ) {
    this.q = {
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
      bulletinCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM bulletins"),
      version: db.prepare<[number], { version: number }>("SELECT version FROM bulletins WHERE seq = ?"),
      reviseBulletin: db.prepare(
        "UPDATE bulletins SET text = ?, html = ?, comuni = ?, corrected_at = ?, version = version + 1 WHERE seq = ?",
      ),
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
    };
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
      return { seq, recipients: this.outbox.enqueue(seq, b, push) };
    })();
  }

  correctBulletin(seq: number, c: BulletinContent): void {
    this.q.correct.run(c.publishedAt, instant(c.publishedAt), c.text, JSON.stringify(c.comuni), seq);
  }

  withdrawBulletin(seq: number): number {
    return this.db.transaction(() => {
      this.q.hide.run(seq);
      return this.outbox.dropQueued(seq);
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

  recordNewsroomMessage(chatId: number, messageId: number, seq: number): void {
    this.q.recordNewsroomMessage.run(chatId, messageId, seq);
  }

  bulletinByMessage(chatId: number, messageId: number): number | undefined {
    return (
      this.q.newsroomMessage.get(chatId, messageId)?.seq ??
      this.q.copyByMessage.get({ chat: chatId, message: messageId })?.seq
    );
  }

  /** The bulletin's row as stored (its comuni as JSON), for the amendments. */
  row(seq: number): BulletinRow | undefined {
    return this.q.bulletin.get(seq);
  }

  /** A correction's new text, HTML and comuni: the version goes up. */
  revise(seq: number, c: { text: string; html?: Html; comuni: readonly ComuneCode[] }, correctedAt: string): void {
    this.q.reviseBulletin.run(c.text, c.html ?? null, JSON.stringify(c.comuni), correctedAt, seq);
  }
}
