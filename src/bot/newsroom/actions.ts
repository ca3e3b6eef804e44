/**
 * The newsroom's operations, once, for every surface that offers them: the commands and their buttons
 * in the chat (src/bot/features/newsroom.ts, feed.ts) and the desk's web page (src/desk/). Each takes
 * the editor's id, does what the command does, logs it with that id and writes it in the newsroom's
 * journal (shown by /stato), saying where it came from.
 *
 * Every store call is awaited: the store's methods may answer with a promise.
 */
import type { App, NewsroomAction } from "../../app.js";
import type { Html } from "../../format/html.js";
import { type Lang, messages } from "../../i18n/index.js";
import type { Draft, DraftKind, StoredBulletin } from "../../store/store.js";
import { bulletinTitle } from "../../views/bulletins.js";
import type { ComposedBulletin } from "./compose.js";
import { DRAFT_TTL_MS } from "./preview.js";

/** Where an editor acted from. */
export type Surface = NewsroomAction["via"];

/** Who acts, and from where. */
export interface Editor {
  id: number;
  lang: Lang;
  via: Surface;
}

/** Logs the action with the editor's id and keeps it in the journal /stato shows. */
export function record(app: App, e: Editor, what: NewsroomAction["what"], subject: string): void {
  app.journal.add({ at: app.now().getTime(), by: e.id, via: e.via, what, subject });
  app.logger.info({ by: e.id, via: e.via, action: what, subject }, "newsroom action");
}

/** A new draft of the editor's, waiting for confirmation (DRAFT_TTL_MS). */
export async function createDraft(
  app: App,
  e: Pick<Editor, "id" | "lang">,
  kind: DraftKind,
  b: ComposedBulletin,
  target?: number,
): Promise<Draft> {
  const now = app.now().getTime();
  return await app.store.createDraft({
    kind,
    userId: e.id,
    chatId: e.id,
    lang: e.lang,
    text: b.text,
    ...(b.html !== undefined ? { html: b.html } : {}),
    comuni: b.comuni,
    ...(target !== undefined ? { target } : {}),
    createdAt: now,
    expiresAt: now + DRAFT_TTL_MS,
  });
}

/**
 * Does what a confirmed draft asks (inside the store's settlement): `result` is the bulletin's seq, or
 * the amendment's id (undefined: withdrawn meanwhile, nothing done), and `line` says what was done, in
 * the draft's language.
 */
async function carryOut(app: App, d: Draft): Promise<{ result: number | undefined; line: Html }> {
  const t = messages(d.lang);
  const by = { requestedBy: d.userId, lang: d.lang };
  const html = d.html !== undefined ? { html: d.html } : {};
  if (d.kind === "publish") {
    const { bulletin, recipients } = await app.publisher.publish({ text: d.text, ...html, comuni: d.comuni, ...by });
    return { result: bulletin.seq, line: t.draftPublished({ number: bulletin.seq, recipients }) };
  }
  const number = d.target ?? 0;
  const change =
    d.kind === "correct"
      ? { kind: "correct" as const, content: { text: d.text, comuni: d.comuni, ...html } }
      : { kind: "withdraw" as const };
  const done = await app.publisher.amend(number, change, by);
  if (!done) return { result: undefined, line: t.alreadyWithdrawn(t.bulletinNumber(number)) };
  const p = { number, copies: done.copies, queued: done.queued };
  return {
    result: done.amendment,
    line: d.kind === "correct" ? t.correctionStarted({ ...p, ...done }) : t.withdrawalStarted(p),
  };
}

/** A draft confirmed or cancelled: done now (with what was done), or why not. */
export type Settled =
  | { ok: true; draft: Draft; result?: number; line?: Html }
  | { ok: false; draft: Draft | undefined; reason: "gone" | "not-yours" | "expired" | "done" | "cancelled" };

/**
 * Confirms (`send`) or cancels an open draft of the editor's: a second confirmation does nothing twice,
 * an expired draft is marked so. Journaled and logged when it went out.
 */
export async function settleDraft(app: App, e: Editor, id: number, to: "done" | "cancelled"): Promise<Settled> {
  const d = await app.store.draft(id);
  if (!d) return { ok: false, draft: undefined, reason: "gone" };
  if (d.userId !== e.id) return { ok: false, draft: d, reason: "not-yours" };
  let line: Html | undefined;
  const settled = await app.store.settleDraft(
    id,
    app.now().getTime(),
    to,
    to === "done"
      ? async (draft) => {
          const r = await carryOut(app, draft);
          line = r.line;
          return r.result;
        }
      : undefined,
  );
  const after = settled.draft ?? d;
  if (!settled.ok) {
    const reason = after.state === "open" ? "gone" : after.state;
    return { ok: false, draft: after, reason };
  }
  app.logger.info(
    { draft: d.id, kind: d.kind, state: after.state, result: settled.result, by: e.id, via: e.via },
    "newsroom draft settled",
  );
  if (after.state === "done") {
    const subject =
      d.kind === "publish"
        ? `#${settled.result ?? "?"} ${bulletinTitle(d.text)}`
        : `#${d.target ?? "?"} ${bulletinTitle(d.text)}`;
    record(app, e, d.kind, subject);
  }
  return { ok: true, draft: after, ...(settled.result !== undefined ? { result: settled.result } : {}), line };
}

/** A bulletin a correction or a withdrawal may be about: the newsroom's own, of this election, not withdrawn. */
export async function amendable(
  app: App,
  seq: number,
): Promise<{ ok: true; bulletin: StoredBulletin } | { ok: false; reason: "not-found" | "not-newsroom" | "withdrawn" }> {
  const election = app.data.current().election.id;
  const b = await app.store.bulletin(seq);
  if (!b || b.election !== election) return { ok: false, reason: "not-found" };
  if (b.origin !== "newsroom") return { ok: false, reason: "not-newsroom" };
  if (b.hidden) return { ok: false, reason: "withdrawn" };
  return { ok: true, bulletin: b };
}

/** The newsroom's latest bulletins of this election, newest first. */
export async function latestNewsroomBulletins(app: App, n: number): Promise<StoredBulletin[]> {
  const election = app.data.current().election.id;
  const all = await app.store.bulletinsOf(election);
  return all
    .filter((b) => b.origin === "newsroom")
    .slice(-n)
    .reverse();
}

/**
 * Lets a held comune's automatic bulletins go, by the gate's key ("1t:050901160"). False when it was not
 * held (or the feed is off). The button under the newsroom's notice, /sblocca and the desk all come here.
 */
export function releaseHeld(app: App, e: Editor, key: string, label: string): boolean {
  const desk = app.feed;
  if (!desk) return false;
  const done = desk.release(key, String(e.id));
  if (done) record(app, e, "release", label);
  return done;
}

/** Publishes a draft of the feed's automatic bulletins (review mode). */
export async function publishFeedDraft(app: App, e: Editor, id: number) {
  const desk = app.feed;
  if (!desk) return undefined;
  const r = await desk.publishDraft(id, e.id);
  if (r.status === "published") record(app, e, "feed-draft-published", `#${id}`);
  return r;
}

/** Drops a draft of the feed's automatic bulletins (review mode). */
export async function dropFeedDraft(app: App, e: Editor, id: number) {
  const desk = app.feed;
  if (!desk) return undefined;
  const r = await desk.dropDraft(id, e.id);
  if (r === "dropped") record(app, e, "feed-draft-dropped", `#${id}`);
  return r;
}
