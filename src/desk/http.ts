/**
 * The desk's HTTP routes, under /desk on the bot's own server (src/server.ts mounts them):
 *
 * - `GET /desk/login?t=…` a page with one button that signs in with the `/desk` link's token (a POST,
 *   so that a link preview fetching the address does not use it up); `POST /desk/login` redeems it.
 * - `POST /desk/auth/webapp` signs in with a Telegram Mini App's `initData`.
 * - `GET /desk/` the page; `/desk/app.js`, `/desk/desk.css` its script and style (public, no data).
 * - `GET /desk/api/…` the state, a comune, a search; `GET /desk/events` the live updates (SSE).
 * - `POST /desk/api/…` the newsroom's actions, through the same code as the commands.
 *
 * Everything but the sign-in and the static files needs a session, checked on every request (its editor
 * still in the newsroom); every POST needs the session's CSRF token in `x-csrf-token`, a JSON body, and
 * comes from the desk's own origin (Origin and Sec-Fetch-Site, when the browser sends them). Every answer
 * carries a strict Content-Security-Policy: no inline script, nothing from elsewhere.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { App } from "../app.js";
import {
  amendable,
  createDraft,
  dropFeedDraft,
  type Editor,
  latestNewsroomBulletins,
  publishFeedDraft,
  releaseHeld,
  settleDraft,
} from "../bot/newsroom/actions.js";
import { composeBulletin, tagFor } from "../bot/newsroom/compose.js";
import { draftMessage, draftReach } from "../bot/newsroom/preview.js";
import type { KnownComune } from "../data/places.js";
import { type Html, escapeHtml as h, htmlToText } from "../format/html.js";
import { formatStamp } from "../format/italian.js";
import { messages } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { DraftKind } from "../store/store.js";
import { bulletinBlock, bulletinTitle } from "../views/bulletins.js";
import { withComuneNames } from "../views/common.js";
import { type DeskAuth, type DeskSession, LINK_TTL_MS, SESSION_COOKIE, sameSecret } from "./auth.js";
import type { DeskBoard, DeskRow } from "./board.js";
import type { DeliveryMeter } from "./delivery.js";
import type { DeskStream } from "./stream.js";

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
  // Telegram's web clients show a Mini App in a frame.
  "frame-ancestors 'self' https://web.telegram.org",
].join("; ");

const SECURITY_HEADERS = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  // Not "no-referrer": with it a form's POST says "Origin: null", and the origin check could not pass it.
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
  "cross-origin-opener-policy": "same-origin",
};

/** The page's script and style: files beside this module (src/desk/public), read once. */
function asset(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [path.join(here, "public"), path.join(here, "../../src/desk/public")]) {
    try {
      return readFileSync(path.join(dir, name), "utf8");
    } catch {
      // next place
    }
  }
  throw new Error(`desk: ${name} not found`);
}

export interface DeskHttpOptions {
  app: App;
  auth: DeskAuth;
  board: DeskBoard;
  meter: DeliveryMeter;
  stream: DeskStream;
  logger: Logger;
  /** The desk's public origin ("https://bot.example.org"); requests from it are same-origin too. */
  publicOrigin?: string;
  /** Given the function that builds the state (the stream's `state` event is the same). */
  onState?(state: (rows: readonly DeskRow[]) => Promise<unknown>): void;
}

/** An HTTP error with the answer to give. */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const cookies = (req: IncomingMessage): Map<string, string> => {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
};

/** Whether the request reached us over HTTPS (directly, or through the reverse proxy). */
const overHttps = (req: IncomingMessage, publicOrigin?: string) =>
  req.headers["x-forwarded-proto"] === "https" ||
  (req.socket as { encrypted?: boolean }).encrypted === true ||
  (publicOrigin?.startsWith("https:") ?? false);

async function readBody(req: IncomingMessage, max = 64 * 1024): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new Refused(413, "body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A small page around a message: for the sign-in and the refusals. */
function page(title: string, body: Html | string, script = false): string {
  return `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/desk/desk.css">${script ? '<script src="/desk/app.js" defer></script>' : ""}</head>
<body class="plain"><main><h1>${h(title)}</h1>${body}</main></body></html>`;
}

/** The desk's page: its frame; the script fills it. */
function shell(session: DeskSession): string {
  return `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf" content="${h(session.csrf)}"><meta name="editor" content="${session.userId}">
<title>Desk della serata elettorale</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/desk/desk.css">
<script src="/desk/app.js" defer></script></head>
<body>
<a class="skip" href="#comuni">Vai alla tabella dei comuni</a>
<header><h1>Desk <span id="election"></span></h1><p id="conn" role="status" aria-live="polite">Connessione…</p>
<form method="post" action="/desk/logout" id="logout"><button type="submit">Esci</button></form></header>
<main>
<section id="glance" aria-labelledby="glance-h"><h2 id="glance-h">La serata</h2><div id="glance-body"></div></section>
<section id="delivery" aria-labelledby="delivery-h"><h2 id="delivery-h">Invii</h2><div id="delivery-body"></div>
<!-- Instances and leases: one function (DeskBoard.instances) feeds this table; with PostgreSQL it lists every instance. -->
<h3>Istanze e lease</h3><div id="instances-body"></div></section>
<section id="comuni" aria-labelledby="comuni-h"><h2 id="comuni-h">Comuni</h2>
<div class="tools">
<label>Cerca <input id="q" type="search" autocomplete="off" placeholder="nome del comune"></label>
<label>Mostra <select id="filter"><option value="">tutti</option><option value="counting">in scrutinio</option><option value="complete">completi</option><option value="held">in verifica</option><option value="stale">dati fermi</option><option value="followed">più seguiti</option></select></label>
<label>Regione <select id="region"><option value="">tutte</option></select></label>
<span id="count" aria-live="polite"></span></div>
<div class="table-wrap"><table id="table"><thead><tr>
<th scope="col"><button data-sort="name">Comune</button></th><th scope="col"><button data-sort="counted">Sezioni</button></th>
<th scope="col"><button data-sort="leader">In testa</button></th><th scope="col"><button data-sort="share">%</button></th>
<th scope="col"><button data-sort="call">Esito</button></th><th scope="col"><button data-sort="gate">Stato</button></th>
<th scope="col"><button data-sort="followers">Seguito da</button></th></tr></thead><tbody id="rows"></tbody></table></div>
<nav class="pager" aria-label="Pagine"><button id="prev">‹ Precedenti</button> <span id="page"></span> <button id="next">Successivi ›</button></nav>
</section>
<section id="comune" aria-labelledby="comune-h" hidden><h2 id="comune-h" tabindex="-1">Comune</h2><div id="comune-body"></div>
<p id="comune-msg" role="status"></p>
<button id="comune-close">Chiudi</button></section>
<section id="publish" aria-labelledby="publish-h"><h2 id="publish-h">Pubblica un bollettino</h2>
<label for="text">Testo (i comuni con #, per esempio #Vicenza)</label><textarea id="text" rows="4" maxlength="3000"></textarea>
<button id="preview-btn">Anteprima</button><div id="preview" aria-live="polite"></div></section>
<section id="drafts" aria-labelledby="drafts-h"><h2 id="drafts-h">Bozze automatiche da approvare</h2><div id="drafts-body"></div></section>
<section id="bulletins" aria-labelledby="bulletins-h"><h2 id="bulletins-h">Bollettini della redazione</h2><div id="bulletins-body"></div></section>
<section id="journal" aria-labelledby="journal-h"><h2 id="journal-h">Ultime azioni</h2><div id="journal-body"></div></section>
</main></body></html>`;
}

/** Why a draft was not confirmed or cancelled. */
const NOT_SETTLED = {
  gone: "La bozza non c'è più.",
  "not-yours": "La bozza è di un altro redattore.",
  expired: "La bozza è scaduta: rifai l'anteprima.",
  done: "Già fatto.",
  cancelled: "Già annullata.",
} as const;

/** Why a bulletin cannot go out as written, in words (the commands' own messages). */
function composeRefusal(r: ReturnType<typeof composeBulletin>): string {
  const t = messages("it");
  if (r.ok) return "";
  switch (r.reason) {
    case "empty":
      return "Scrivi il testo del bollettino.";
    case "too-long":
      return htmlToText(t.publishTooLong(3000));
    case "too-much-formatting":
      return htmlToText(t.publishTooMuchFormatting);
    case "no-text":
      return htmlToText(t.publishNoText);
    case "unknown-tags":
      return htmlToText(
        t.publishUnknownTags(
          r.unknown.map((u) => (u.suggestion ? t.tagMaybe(`#${u.tag}`, tagFor(u.suggestion.label)) : h(`#${u.tag}`))),
        ),
      );
    case "ambiguous-tags": {
      const a = r.ambiguous[0]!;
      return `#${a.tag}: più comuni hanno questo nome; scrivi quale, per esempio ${a.comuni.map((c) => tagFor(c.label)).join(" o ")}.`;
    }
  }
}

/** The desk's request handler; answers false for a path that is not the desk's. */
export function createDeskHandler(o: DeskHttpOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { app, auth, board } = o;
  const files = new Map<string, { type: string; body: string }>([
    ["/desk/app.js", { type: "text/javascript; charset=utf-8", body: asset("app.js") }],
    ["/desk/desk.css", { type: "text/css; charset=utf-8", body: asset("desk.css") }],
  ]);

  const send = (
    res: ServerResponse,
    status: number,
    type: string,
    body: string,
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, { ...SECURITY_HEADERS, "content-type": type, ...extra }).end(body);
  };
  const json = (res: ServerResponse, status: number, body: unknown) =>
    send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
  const html = (res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}) =>
    send(res, status, "text/html; charset=utf-8", body, extra);

  const sessionOf = (req: IncomingMessage) => {
    const id = cookies(req).get(SESSION_COOKIE);
    const session = auth.session(id);
    return session && id ? { id, session } : undefined;
  };

  /** A POST from the desk's own page: same origin (when the browser says), JSON. */
  const sameOrigin = (req: IncomingMessage) => {
    const site = req.headers["sec-fetch-site"];
    if (site !== undefined && site !== "same-origin") throw new Refused(403, "cross-site request");
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const host = req.headers.host;
      const own = [`http://${host}`, `https://${host}`, ...(o.publicOrigin ? [o.publicOrigin] : [])];
      if (!own.includes(origin)) throw new Refused(403, "cross-origin request");
    }
  };

  const cookie = (req: IncomingMessage, id: string, session: DeskSession) => {
    const maxAge = Math.max(0, Math.floor((session.expiresAt - app.now().getTime()) / 1000));
    const secure = overHttps(req, o.publicOrigin) ? "; Secure" : "";
    return `${SESSION_COOKIE}=${id}; Path=/desk; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
  };

  /** The whole state but the rows: what the stream's `state` event carries too. */
  const state = async (rows: readonly DeskRow[] = board.allRows()) => {
    const pack = app.data.current();
    const tz = pack.election.timezone;
    const now = app.now();
    const t = messages("it");
    const drafts = (app.feed?.mode === "review" ? await app.feed.drafts() : []).map((d) => ({
      id: d.id,
      html: bulletinBlock(
        withComuneNames({ publishedAt: new Date(d.createdAt).toISOString(), text: d.text, comuni: d.comuni }, pack),
        t,
        now,
        tz,
      ),
    }));
    const bulletins = (await latestNewsroomBulletins(app, 10)).map((b) => ({
      seq: b.seq,
      title: bulletinTitle(b.text),
      text: b.text,
      time: formatStamp(new Date(b.publishedAt), now, tz),
    }));
    return {
      overview: await board.overview(rows),
      delivery: await o.meter.read(),
      instances: await board.instances(),
      drafts,
      bulletins,
      stream: o.stream.stats,
    };
  };

  o.onState?.(state);

  const editorOf = (session: DeskSession): Editor => ({ id: session.userId, lang: "it", via: "desk" });

  /** A draft made from the desk, previewed as the bot would preview it. */
  const preview = async (session: DeskSession, body: { kind?: unknown; text?: unknown; target?: unknown }) => {
    const kind = body.kind as DraftKind;
    if (!["publish", "correct", "withdraw"].includes(kind)) throw new Refused(400, "kind");
    const e = editorOf(session);
    let target: number | undefined;
    let bulletin: { text: string; comuni: string[]; html?: Html } | undefined;
    if (kind !== "publish") {
      const a = await amendable(app, Number(body.target));
      if (!a.ok)
        return {
          ok: false,
          message:
            a.reason === "withdrawn"
              ? "Il bollettino è già stato ritirato."
              : a.reason === "not-newsroom"
                ? "Non è un bollettino della redazione."
                : "Bollettino non trovato.",
        };
      target = a.bulletin.seq;
      if (kind === "withdraw") bulletin = { text: a.bulletin.text, comuni: a.bulletin.comuni };
    }
    if (!bulletin) {
      const text = typeof body.text === "string" ? body.text : "";
      const r = composeBulletin({ text }, 0, app.data.current());
      if (!r.ok) return { ok: false, message: composeRefusal(r) };
      bulletin = { text: r.text, comuni: r.comuni, ...(r.html !== undefined ? { html: r.html } : {}) };
    }
    const draft = await createDraft(app, e, kind, bulletin as Parameters<typeof createDraft>[3], target);
    return {
      ok: true,
      id: draft.id,
      kind,
      html: await draftMessage(app, draft, await draftReach(app, draft)),
      ...(kind === "publish" ? { recipients: await app.store.recipientCount(draft.comuni) } : {}),
    };
  };

  const api = async (req: IncomingMessage, res: ServerResponse, route: string, url: URL) => {
    const s = sessionOf(req);
    if (req.method === "GET" && route === "/desk/") {
      if (!s) {
        html(
          res,
          401,
          page(
            "Accesso riservato alla redazione",
            "<p>Chiedi il link al bot con <code>/desk</code> (o apri il desk dal pulsante del menu di Telegram).</p>",
            true,
          ),
        );
        return;
      }
      html(res, 200, shell(s.session));
      return;
    }
    if (!s) throw new Refused(401, "no session");
    if (req.method === "GET") {
      switch (route) {
        case "/desk/events":
          o.stream.add(res, () => auth.session(s.id) !== undefined);
          return;
        case "/desk/api/state":
          {
            const rows = board.allRows();
            json(res, 200, { ...(await state(rows)), rows });
          }
          return;
        case "/desk/api/comune": {
          const c = board.comune(url.searchParams.get("key") ?? "");
          if (!c) throw new Refused(404, "no such comune");
          json(res, 200, c);
          return;
        }
        case "/desk/api/search": {
          // The bot's own name matching: what /citta understands.
          const q = (url.searchParams.get("q") ?? "").slice(0, 100);
          const r = app.data.current().search(q, 50);
          const found: KnownComune[] =
            r.kind === "comune"
              ? [r.comune]
              : r.kind === "area"
                ? r.withResults
                : r.kind === "candidate"
                  ? r.matches.map((m) => m.comune)
                  : r.suggestions;
          json(res, 200, { keys: found.map((c) => board.row(c).key) });
          return;
        }
      }
      throw new Refused(404, "not found");
    }
    if (req.method !== "POST") throw new Refused(405, "method");
    sameOrigin(req);
    if (route === "/desk/logout") {
      auth.close(s.id);
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        location: "/desk/",
        "set-cookie": `${SESSION_COOKIE}=; Path=/desk; HttpOnly; SameSite=Strict; Max-Age=0`,
      });
      res.end();
      return;
    }
    const csrf = req.headers["x-csrf-token"];
    if (typeof csrf !== "string" || !sameSecret(csrf, s.session.csrf)) throw new Refused(403, "csrf");
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) throw new Refused(415, "json only");
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof Refused) throw err;
      throw new Refused(400, "bad json");
    }
    const e = editorOf(s.session);
    switch (route) {
      case "/desk/api/draft":
        json(res, 200, await preview(s.session, body));
        return;
      case "/desk/api/draft/confirm":
      case "/desk/api/draft/cancel": {
        const r = await settleDraft(app, e, Number(body.id), route.endsWith("confirm") ? "done" : "cancelled");
        json(res, 200, {
          ok: r.ok,
          ...(r.ok ? { result: r.result ?? null, message: r.line ? htmlToText(r.line) : "Annullato." } : {}),
          ...(!r.ok ? { message: NOT_SETTLED[r.reason] } : {}),
        });
        return;
      }
      case "/desk/api/release": {
        const key = String(body.key ?? "");
        if (!/^[12]t:\d{9}$/.test(key)) throw new Refused(400, "key");
        const c = app.data.current().byKey(key.slice(3));
        const done = releaseHeld(app, e, key, c?.label ?? key);
        json(res, 200, {
          ok: done,
          message: done ? `${c?.label ?? key}: bollettini sbloccati.` : "Non era in verifica.",
        });
        return;
      }
      case "/desk/api/feed-draft": {
        const id = Number(body.id);
        if (body.action === "publish") {
          const r = await publishFeedDraft(app, e, id);
          json(res, 200, {
            ok: r?.status === "published",
            message: r?.status === "published" ? `Pubblicata: raggiunge ${r.recipients} chat.` : "Già decisa.",
          });
        } else {
          const r = await dropFeedDraft(app, e, id);
          json(res, 200, { ok: r === "dropped", message: r === "dropped" ? "Scartata." : "Già decisa." });
        }
        return;
      }
    }
    throw new Refused(404, "not found");
  };

  const login = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (req.method === "GET") {
      const t = url.searchParams.get("t") ?? "";
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(t)) throw new Refused(400, "bad link");
      html(
        res,
        200,
        page(
          "Desk della serata",
          `<form method="post" action="/desk/login"><input type="hidden" name="t" value="${h(t)}"><p>Il link vale una volta sola, per ${LINK_TTL_MS / 60_000} minuti.</p><button type="submit" autofocus>Entra nel desk</button></form>`,
        ),
      );
      return;
    }
    if (req.method !== "POST") throw new Refused(405, "method");
    sameOrigin(req);
    const t = new URLSearchParams(await readBody(req, 4096)).get("t") ?? "";
    const r = auth.redeem(t);
    if (!r) {
      o.logger.info("desk: a sign-in link was refused (used, expired, or not an editor)");
      html(
        res,
        403,
        page(
          "Link non valido",
          "<p>Il link è scaduto o è già stato usato: chiedi al bot un nuovo <code>/desk</code>.</p>",
        ),
      );
      return;
    }
    o.logger.info({ editor: r.session.userId }, "desk: editor signed in with a link");
    res.writeHead(303, { ...SECURITY_HEADERS, location: "/desk/", "set-cookie": cookie(req, r.id, r.session) }).end();
  };

  const webApp = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") throw new Refused(405, "method");
    sameOrigin(req);
    let initData = "";
    try {
      initData = String((JSON.parse(await readBody(req, 8192)) as { initData?: unknown }).initData ?? "");
    } catch {
      throw new Refused(400, "bad json");
    }
    const r = auth.webApp(initData);
    if (!r) {
      o.logger.info("desk: a Mini App sign-in was refused");
      throw new Refused(403, "initData refused");
    }
    o.logger.info({ editor: r.session.userId }, "desk: editor signed in from the Mini App");
    res.writeHead(204, { ...SECURITY_HEADERS, "set-cookie": cookie(req, r.id, r.session) }).end();
  };

  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://desk.invalid");
    const route = url.pathname === "/desk" ? "/desk/" : url.pathname;
    if (!route.startsWith("/desk/")) return false;
    const file = files.get(route);
    if (file && req.method === "GET") {
      res
        .writeHead(200, { ...SECURITY_HEADERS, "content-type": file.type, "cache-control": "no-cache" })
        .end(file.body);
      return true;
    }
    const run =
      route === "/desk/login"
        ? login(req, res, url)
        : route === "/desk/auth/webapp"
          ? webApp(req, res)
          : api(req, res, route, url);
    run.catch((err: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (err instanceof Refused) {
        json(res, err.status, { ok: false, error: err.message });
        return;
      }
      o.logger.error({ err }, "desk: request failed");
      json(res, 500, { ok: false, error: "internal error" });
    });
    return true;
  };
}
