/**
 * The migration that keys comuni by code (see ComuneCode) where older schemas kept their names:
 * subscriptions, live cards, bulletins' comuni, the newsroom's and the feed's drafts. A name is
 * mapped through the comuni index the bot runs with (the store does not read the data pack: the
 * runtime hands the lookup in). A name several comuni share (Castro: BG and LE) cannot say which one
 * was meant, so its rows stand for every one of them, as they did in effect, and a warn line says so;
 * a name the index no longer knows is left as it was (it matches no code), also with a warn line.
 */
import type Database from "better-sqlite3";
import type { ComuneCode } from "../../data/model.js";
import type { Logger } from "../../logger.js";

/** What a migration may need besides the database. */
export interface MigrationContext {
  /**
   * The comuni a name (or a Ministry code, nine digits) stands for, the most relevant first, with the
   * name each is shown by ("Castro (BG)"). Needed only when the database holds comuni by name.
   */
  comuni?: (nameOrMinistryCode: string) => { code: ComuneCode; label: string }[];
  logger?: Pick<Logger, "warn" | "info">;
}

/** Six digits (ISTAT) or nine (the Ministry's): already a code. */
const isCode = (v: string) => /^(?:\d{6}|\d{9})$/.test(v);

export function keyComuniByCode(db: Database.Database, ctx: MigrationContext): void {
  const subscriptions = db
    .prepare<[], { comune: string }>("SELECT DISTINCT comune FROM subscriptions WHERE kind = 'comune'")
    .all()
    .map((r) => r.comune);
  const cards = db
    .prepare<[], { comune: string }>("SELECT DISTINCT comune FROM live_cards")
    .all()
    .map((r) => r.comune);
  const bulletins = db
    .prepare<[], { seq: number; comuni: string }>("SELECT seq, comuni FROM bulletins WHERE comuni <> '[]'")
    .all();
  const drafts = db
    .prepare<[], { id: number; comuni: string }>("SELECT id, comuni FROM drafts WHERE comuni <> '[]'")
    .all();
  // A feed draft is about the one comune its announcement names by the Ministry's code: no guessing.
  const feedDrafts = db
    .prepare<[], { id: number; comuni: string; code: string | null }>(
      `SELECT d.id, d.comuni, (SELECT a.comune FROM feed_announcements a WHERE a.draft = d.id AND a.comune <> '' LIMIT 1) AS code
       FROM feed_drafts d WHERE d.comuni <> '[]'`,
    )
    .all();

  const names = new Set<string>([...subscriptions, ...cards]);
  for (const r of [...bulletins, ...drafts, ...feedDrafts])
    for (const n of JSON.parse(r.comuni) as string[]) names.add(n);
  for (const n of names) if (isCode(n)) names.delete(n);
  if (!names.size) return;
  const lookup = ctx.comuni;
  if (!lookup)
    throw new Error(`the database names ${names.size} comuni by name: mapping them to codes needs the comuni index`);

  const resolved = new Map<string, { code: ComuneCode; label: string }[]>();
  for (const n of names) resolved.set(n, lookup(n));
  const codes = (name: string): string[] => (isCode(name) ? [name] : (resolved.get(name) ?? []).map((c) => c.code));
  const mapList = (json: string): string => {
    const out = new Set<string>();
    for (const n of JSON.parse(json) as string[]) {
      const cs = codes(n);
      // Unknown to the index: kept as written (it matches no code, and the bulletin stays a comune's).
      if (cs.length) for (const c of cs) out.add(c);
      else out.add(n);
    }
    return JSON.stringify([...out]);
  };
  const rows = { subscriptions: new Map<string, number>(), cards: new Map<string, number>() };

  const subsOf = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM subscriptions WHERE kind = 'comune' AND comune = ?",
  );
  const copySub = db.prepare(
    `INSERT OR IGNORE INTO subscriptions (chat_id, kind, comune, lang, created_at)
     SELECT chat_id, kind, ?, lang, created_at FROM subscriptions WHERE kind = 'comune' AND comune = ?`,
  );
  const dropSub = db.prepare("DELETE FROM subscriptions WHERE kind = 'comune' AND comune = ?");
  for (const name of subscriptions) {
    if (isCode(name)) continue;
    rows.subscriptions.set(name, subsOf.get(name)!.n);
    const cs = codes(name);
    if (!cs.length) continue;
    for (const c of cs) copySub.run(c, name);
    dropSub.run(name);
  }

  // The card's message showed the comune the name found first (the most relevant): that one keeps it.
  // Every other comune of the name starts without a message, switched off if the chat had switched it off.
  const cardsOf = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM live_cards WHERE comune = ?");
  const moveCard = db.prepare(
    `INSERT OR IGNORE INTO live_cards (chat_id, comune, message_id, sent_at, shown, off)
     SELECT chat_id, ?, message_id, sent_at, shown, off FROM live_cards WHERE comune = ?`,
  );
  const copyOff = db.prepare(
    `INSERT OR IGNORE INTO live_cards (chat_id, comune, off)
     SELECT chat_id, ?, off FROM live_cards WHERE comune = ? AND off = 1`,
  );
  const dropCards = db.prepare("DELETE FROM live_cards WHERE comune = ?");
  for (const name of cards) {
    if (isCode(name)) continue;
    rows.cards.set(name, cardsOf.get(name)!.n);
    const [first, ...others] = codes(name);
    if (!first) continue;
    moveCard.run(first, name);
    for (const c of others) copyOff.run(c, name);
    dropCards.run(name);
  }

  const setBulletin = db.prepare("UPDATE bulletins SET comuni = ? WHERE seq = ?");
  for (const b of bulletins) setBulletin.run(mapList(b.comuni), b.seq);
  const setDraft = db.prepare("UPDATE drafts SET comuni = ? WHERE id = ?");
  for (const d of drafts) setDraft.run(mapList(d.comuni), d.id);
  const setFeedDraft = db.prepare("UPDATE feed_drafts SET comuni = ? WHERE id = ?");
  for (const d of feedDrafts) {
    // A comune the index lacks is kept by the Ministry's code itself.
    const own = d.code ? lookup(d.code).map((c) => c.code) : [];
    const code = own.length === 1 ? own[0] : d.code && !own.length ? d.code : undefined;
    setFeedDraft.run(code ? JSON.stringify([code]) : mapList(d.comuni), d.id);
  }

  const log = ctx.logger;
  for (const [name, comuni] of resolved) {
    const where = { subscriptions: rows.subscriptions.get(name) ?? 0, cards: rows.cards.get(name) ?? 0 };
    if (comuni.length > 1)
      log?.warn(
        { name, comuni: comuni.map((c) => `${c.label} ${c.code}`), ...where },
        "store migration: a comune name several comuni share; its rows now stand for every one of them",
      );
    else if (!comuni.length)
      log?.warn(
        { name, ...where },
        "store migration: a comune name the comuni index does not know; its rows left as they were",
      );
  }
  log?.info({ names: resolved.size }, "store migration: comuni kept by code instead of name");
}
