/**
 * Bulletins in PostgreSQL: the `bulletins` table, and `newsroom_messages`. Publishing one with a push
 * queues its deliveries (PgOutbox, one statement however many chats) in the same transaction; so does
 * withdrawing one settle them. The semantics are the SQLite engine's (sqlite/bulletins.ts).
 */
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
import { settling } from "./claims.js";
import type { PgDatabase } from "./connection.js";
import type { PgOutbox } from "./outbox.js";

export interface PgBulletinRow {
  seq: number;
  election: string;
  id: string;
  published_at: string;
  text: string;
  comuni: ComuneCode[];
  origin: BulletinOrigin;
  audience: Audience;
  hidden: boolean;
  html: string | null;
  version: number;
  corrected_at: string | null;
}

/**
 * The HTML column of a bulletin or a draft, read back. Only `NewBulletin.html` and `NewDraft.html`
 * write it, and those are typed Html: what format/entities.ts built, every character escaped.
 */
export const storedHtml = (column: string): Html => trusted(column);

const toBulletin = (r: PgBulletinRow): StoredBulletin => ({
  seq: r.seq,
  election: r.election,
  id: r.id,
  publishedAt: r.published_at,
  text: r.text,
  comuni: r.comuni,
  origin: r.origin,
  ...(r.audience === "followers" ? { audience: r.audience } : {}),
  hidden: r.hidden,
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

const COLUMNS = "seq, election, id, published_at, text, comuni, origin, audience, hidden, html, version, corrected_at";

/** The current election (meta `election`), or every election while none is recorded. */
const CURRENT = (b: string) =>
  `${b}.election = coalesce((SELECT value FROM meta WHERE key = 'election'), ${b}.election)`;

export class PgBulletins implements BulletinRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly outbox: PgOutbox,
  ) {}

  async bulletinsOf(election: string): Promise<StoredBulletin[]> {
    const rows = await this.db.query<PgBulletinRow>(
      `SELECT ${COLUMNS} FROM bulletins WHERE election = $1 ORDER BY seq`,
      [election],
    );
    return rows.map(toBulletin);
  }

  addBulletin(b: NewBulletin, push?: PushOptions): Promise<{ seq: number; recipients: number }> {
    const publishedMs = instant(b.publishedAt);
    return this.db.transaction(async () => {
      const [row] = await this.db.query<{ seq: number }>(
        `INSERT INTO bulletins (election, id, published_at, published_ms, text, comuni, origin, html, audience)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq`,
        [
          b.election,
          b.id,
          b.publishedAt,
          publishedMs,
          b.text,
          b.comuni,
          b.origin,
          b.html ?? null,
          b.audience ?? "everyone",
        ],
      );
      const seq = row!.seq;
      if (!push) return { seq, recipients: 0 };
      return { seq, recipients: await this.outbox.enqueue(seq, b, push) };
    });
  }

  async correctBulletin(seq: number, c: BulletinContent): Promise<void> {
    await this.db.query(
      "UPDATE bulletins SET published_at = $1, published_ms = $2, text = $3, comuni = $4, hidden = false WHERE seq = $5",
      [c.publishedAt, instant(c.publishedAt), c.text, c.comuni, seq],
    );
  }

  withdrawBulletin(seq: number): Promise<number> {
    return settling(this.db, async () => {
      await this.db.query("UPDATE bulletins SET hidden = true WHERE seq = $1", [seq]);
      return this.outbox.dropQueued(seq);
    });
  }

  async latestBulletins(limit: number): Promise<StoredBulletin[]> {
    const rows = await this.db.query<PgBulletinRow>(
      `SELECT ${COLUMNS} FROM bulletins b
       WHERE ${CURRENT("b")} AND NOT hidden AND audience = 'everyone'
       ORDER BY published_ms DESC, seq DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toBulletin);
  }

  async latestBulletinsAbout(comune: ComuneCode, limit: number): Promise<StoredBulletin[]> {
    const rows = await this.db.query<PgBulletinRow>(
      `SELECT ${COLUMNS} FROM bulletins b
       WHERE ${CURRENT("b")} AND NOT hidden AND $1 = ANY (b.comuni)
       ORDER BY published_ms DESC, seq DESC LIMIT $2`,
      [comune, limit],
    );
    return rows.map(toBulletin);
  }

  async bulletin(seq: number): Promise<StoredBulletin | undefined> {
    const r = await this.row(seq);
    return r && toBulletin(r);
  }

  async bulletinCount(): Promise<number> {
    const r = await this.db.one<{ n: number }>("SELECT count(*)::int AS n FROM bulletins");
    return r!.n;
  }

  async bulletinVersion(seq: number): Promise<number | undefined> {
    const [r] = await this.db.query<{ version: number }>("SELECT version FROM bulletins WHERE seq = $1", [seq]);
    return r?.version;
  }

  async recordNewsroomMessage(chatId: number, messageId: number, seq: number): Promise<void> {
    await this.db.query(
      `INSERT INTO newsroom_messages (chat_id, message_id, seq) VALUES ($1, $2, $3)
       ON CONFLICT (chat_id, message_id) DO UPDATE SET seq = excluded.seq`,
      [chatId, messageId, seq],
    );
  }

  async bulletinByMessage(chatId: number, messageId: number): Promise<number | undefined> {
    const [m] = await this.db.query<{ seq: number }>(
      `SELECT m.seq FROM newsroom_messages m JOIN bulletins b USING (seq)
       WHERE m.chat_id = $1 AND m.message_id = $2 AND ${CURRENT("b")}`,
      [chatId, messageId],
    );
    if (m) return m.seq;
    // The current election's bulletins are few: each one's copy in the chat is found by its key.
    const [c] = await this.db.query<{ seq: number }>(
      `SELECT c.seq FROM bulletins b JOIN copies c ON c.seq = b.seq AND c.chat_id = $1
       WHERE ${CURRENT("b")} AND c.message_id = $2
       LIMIT 1`,
      [chatId, messageId],
    );
    return c?.seq;
  }

  /** The bulletin's row as stored, for the amendments; `lock` holds it until the transaction ends. */
  async row(seq: number, lock = false): Promise<PgBulletinRow | undefined> {
    const [r] = await this.db.query<PgBulletinRow>(
      `SELECT ${COLUMNS} FROM bulletins WHERE seq = $1${lock ? " FOR UPDATE" : ""}`,
      [seq],
    );
    return r;
  }

  /** A correction's new text, HTML and comuni: the version goes up. */
  async revise(
    seq: number,
    c: { text: string; html?: Html; comuni: readonly ComuneCode[] },
    correctedAt: string,
  ): Promise<void> {
    await this.db.query(
      "UPDATE bulletins SET text = $1, html = $2, comuni = $3, corrected_at = $4, version = version + 1 WHERE seq = $5",
      [c.text, c.html ?? null, c.comuni, correctedAt, seq],
    );
  }
}
