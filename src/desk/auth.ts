/**
 * Who gets into the desk. An editor (a user in ADMIN_IDS) asks the bot for `/desk` and gets a one-time
 * link valid 10 minutes; redeeming it makes a session, kept in a cookie (HttpOnly, SameSite=Strict, Secure
 * behind HTTPS) until the end of the night or 12 hours, whichever comes first. The same page opened as a
 * Telegram Mini App signs in with Telegram's signed `initData`, checked here as Telegram documents it.
 *
 * Every request checks the session again, and that its editor is still in the newsroom: an editor taken
 * out of ADMIN_IDS loses access on the next request. Each session has its own CSRF token, which every
 * POST must carry. Tokens are random (32 bytes), kept only as their SHA-256 here, and never logged.
 * Sessions live in memory: a restart signs everyone out (a new `/desk` link signs in again).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How long a `/desk` link works. */
export const LINK_TTL_MS = 10 * 60_000;
/** A session lasts at most this long. */
export const SESSION_MAX_MS = 12 * 3_600_000;
/** A Mini App's `initData` older than this is refused (Telegram signs it when the app opens). */
export const INIT_DATA_MAX_AGE_S = 3_600;
/** The session cookie's name. */
export const SESSION_COOKIE = "desk_session";
/** The hour (election's clock) the night ends: sessions end then at the latest. */
const NIGHT_ENDS_AT_HOUR = 8;

export interface DeskSession {
  userId: number;
  /** The CSRF token every POST of this session must carry. */
  csrf: string;
  expiresAt: number;
  via: "link" | "webapp";
}

export interface DeskAuthOptions {
  /** The bot's token: the Mini App's `initData` is signed with a key derived from it. */
  botToken: string;
  /** Whether the user is in the newsroom now (ADMIN_IDS), asked on every request. */
  isEditor(userId: number): boolean;
  /** Epoch ms. */
  now(): number;
  /** The election's time zone: the night ends at 08:00 there. */
  timeZone: string;
}

const hash = (token: string) => createHash("sha256").update(token).digest("base64url");
const token = () => randomBytes(32).toString("base64url");

/** Constant-time comparison of two strings. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The user a Mini App's `initData` speaks for, if Telegram signed it for this bot and it is fresh:
 * secret key = HMAC-SHA256(key "WebAppData", bot token); the data-check-string is every field but
 * `hash`, sorted by key, as `key=value` lines; its HMAC-SHA256 with the secret key, in hex, must be
 * `hash`; `auth_date` (seconds) no older than `maxAgeS`.
 */
export function validateInitData(
  initData: string,
  botToken: string,
  nowMs: number,
  maxAgeS = INIT_DATA_MAX_AGE_S,
): { userId: number } | undefined {
  if (initData.length > 4096) return undefined;
  const params = new URLSearchParams(initData);
  const given = params.get("hash");
  if (!given || !/^[0-9a-f]{64}$/.test(given)) return undefined;
  const fields = [...params.entries()].filter(([k]) => k !== "hash");
  if (new Set(fields.map(([k]) => k)).size !== fields.length) return undefined;
  const check = fields
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
  const secret = createHmac("sha256", "WebAppData").update(botToken).digest();
  const expected = createHmac("sha256", secret).update(check).digest("hex");
  if (!sameSecret(expected, given)) return undefined;
  const authDate = Number(params.get("auth_date"));
  if (!Number.isInteger(authDate) || authDate <= 0) return undefined;
  const age = nowMs / 1000 - authDate;
  if (age > maxAgeS || age < -60) return undefined;
  try {
    const user = JSON.parse(params.get("user") ?? "null") as { id?: unknown } | null;
    return typeof user?.id === "number" && Number.isSafeInteger(user.id) ? { userId: user.id } : undefined;
  } catch {
    return undefined;
  }
}

/** Signs `fields` as Telegram would for this bot token: for tests and the replay's Mini App link. */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const check = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join("\n");
  const secret = createHmac("sha256", "WebAppData").update(botToken).digest();
  const h = createHmac("sha256", secret).update(check).digest("hex");
  return new URLSearchParams({ ...fields, hash: h }).toString();
}

/** When the night ends after `now`: the next 08:00 on the election's clock. */
export function nightEnd(now: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    hourCycle: "h23",
  }).formatToParts(new Date(now));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const sinceMidnight = (get("hour") * 3600 + get("minute") * 60 + get("second")) * 1000;
  let until = NIGHT_ENDS_AT_HOUR * 3_600_000 - sinceMidnight;
  if (until <= 0) until += 24 * 3_600_000;
  return now + until;
}

/** One-time links, sessions and the Mini App's sign-in; see the module comment. */
export class DeskAuth {
  private readonly links = new Map<string, { userId: number; expiresAt: number }>();
  private readonly sessions = new Map<string, DeskSession>();

  constructor(private readonly o: DeskAuthOptions) {}

  /** A new one-time link token for an editor (undefined for anyone else). */
  mintLink(userId: number): string | undefined {
    if (!this.o.isEditor(userId)) return undefined;
    this.sweep();
    const t = token();
    this.links.set(hash(t), { userId, expiresAt: this.o.now() + LINK_TTL_MS });
    return t;
  }

  /** Redeems a link token (once): the new session's id and the session, or undefined. */
  redeem(linkToken: string): { id: string; session: DeskSession } | undefined {
    const key = hash(linkToken);
    const link = this.links.get(key);
    this.links.delete(key);
    if (!link || link.expiresAt <= this.o.now() || !this.o.isEditor(link.userId)) return undefined;
    return this.open(link.userId, "link");
  }

  /** Signs in with a Mini App's `initData`: a session for an editor, or undefined. */
  webApp(initData: string): { id: string; session: DeskSession } | undefined {
    const v = validateInitData(initData, this.o.botToken, this.o.now());
    if (!v || !this.o.isEditor(v.userId)) return undefined;
    return this.open(v.userId, "webapp");
  }

  /** The session a cookie's id names, if it is still good and its editor still in the newsroom. */
  session(id: string | undefined): DeskSession | undefined {
    if (!id) return undefined;
    const key = hash(id);
    const s = this.sessions.get(key);
    if (!s) return undefined;
    if (s.expiresAt <= this.o.now() || !this.o.isEditor(s.userId)) {
      this.sessions.delete(key);
      return undefined;
    }
    return s;
  }

  /** Ends a session. */
  close(id: string | undefined): void {
    if (id) this.sessions.delete(hash(id));
  }

  /** How many sessions are open (for the desk's own counters). */
  get open_sessions(): number {
    return this.sessions.size;
  }

  private open(userId: number, via: DeskSession["via"]): { id: string; session: DeskSession } {
    this.sweep();
    const now = this.o.now();
    const id = token();
    const session: DeskSession = {
      userId,
      csrf: token(),
      expiresAt: Math.min(now + SESSION_MAX_MS, nightEnd(now, this.o.timeZone)),
      via,
    };
    this.sessions.set(hash(id), session);
    return { id, session };
  }

  /** Forgets expired links and sessions. */
  private sweep(): void {
    const now = this.o.now();
    for (const [k, l] of this.links) if (l.expiresAt <= now) this.links.delete(k);
    for (const [k, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(k);
  }
}
