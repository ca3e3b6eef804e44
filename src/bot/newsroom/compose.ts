/**
 * What an editor wrote after /pubblica or /rettifica, made into a bulletin: its text, the HTML of
 * the formatting given in the client (Telegram's entities), and the comuni its `#tags` name, with
 * everything that must stop it before anyone receives it: no text, only tags or punctuation, too
 * long, or a tag that names no comune (then the closest comune is offered, and nothing goes out
 * until the tags resolve).
 */
import { editDistance, nameKey } from "../../data/lookup.js";
import type { DataPack } from "../../data/pack.js";
import type { KnownComune } from "../../data/places.js";
import { BulletinSchema } from "../../data/schema.js";
import { entitiesToHtml, type TextEntity } from "../../format/entities.js";
import { escapeHtml } from "../../format/html.js";

export const BULLETIN_TEXT_MAX = BulletinSchema.shape.text.maxLength ?? 3000;

/**
 * The bulletin's HTML may be longer than its text (tags, link addresses), but a line of it must fit
 * one Telegram message when /ultime packs bulletins together: 4096 characters with the header.
 */
export const BULLETIN_HTML_MAX = 3800;

/** A `#` that starts a word: not an address's anchor (`interno.gov.it/#dati`) nor inside a word. */
const TAG = /(?<![\p{L}\p{N}_/&#])#([\p{L}\p{N}_']+)/gu;

/** `#Genova`, `#LAquila`, `#L_Aquila` mark the comuni a bulletin concerns. */
export function hashtags(text: string): string[] {
  return [...text.matchAll(TAG)].map((m) => m[1]!);
}

/** How a comune's name is written as a tag: `Reggio nell'Emilia` → `#Reggio_nell'Emilia` (it resolves back). */
export function tagFor(name: string): string {
  return `#${name
    .replace(/[\s-]+/g, "_")
    .replace(/[^\p{L}\p{N}_']/gu, "")
    .replace(/^_+|_+$/g, "")}`;
}

/** A tag that names no comune, and the comune it most likely meant (if one is close enough). */
export interface UnknownTag {
  tag: string;
  suggestion?: KnownComune;
}

export type Composed =
  | { ok: true; text: string; html?: string; comuni: string[] }
  | { ok: false; reason: "empty" | "too-long" | "no-text" | "too-much-formatting" }
  | {
      ok: false;
      reason: "unknown-tags";
      unknown: UnknownTag[];
      /** The same bulletin with every unknown tag replaced by its suggestion, when each has one. */
      fixed?: { text: string; html?: string; comuni: string[] };
    };

/** The comune a tag names: its exact name (homonyms in two provinces share it), else undefined. */
function resolveTag(pack: DataPack, tag: string): string | undefined {
  const hits = pack.index.exactly(tag);
  const names = new Set(hits.map((c) => c.name));
  return names.size === 1 ? [...names][0] : undefined;
}

/**
 * The closest comune to a misspelt tag: one or two letters off (two from eight letters on), the
 * most relevant first (comuni with results, then those voting). Farther names are not offered.
 */
export function suggestTag(pack: DataPack, tag: string): KnownComune | undefined {
  const q = nameKey(tag);
  if (q.length < 3) return undefined;
  const max = q.length >= 8 ? 2 : 1;
  const r = pack.index.lookup(tag, 5);
  const candidates = r.kind === "found" ? [r.item] : r.suggestions;
  let best: KnownComune | undefined;
  let bestDistance = max + 1;
  for (const c of candidates) {
    const d = Math.min(...[c.name, ...c.aliases].map((n) => editDistance(q, nameKey(n), max)));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Replaces every `#tag` (whole) in the text; the number of replacements made. */
function replaceTag(text: string, tag: string, by: string): { text: string; n: number } {
  let n = 0;
  const out = text.replace(new RegExp(`(?<![\\p{L}\\p{N}_/&#])#${escapeRegExp(tag)}(?![\\p{L}\\p{N}_'])`, "gu"), () => {
    n++;
    return by;
  });
  return { text: out, n };
}

/** The text's tags resolved to comuni, or which ones do not resolve. */
function resolveTags(pack: DataPack, text: string): { comuni: string[]; unknown: UnknownTag[] } {
  const comuni = new Set<string>();
  const unknown: UnknownTag[] = [];
  for (const tag of new Set(hashtags(text))) {
    const name = resolveTag(pack, tag);
    if (name) comuni.add(name);
    else {
      const suggestion = suggestTag(pack, tag);
      unknown.push({ tag, ...(suggestion ? { suggestion } : {}) });
    }
  }
  return { comuni: [...comuni], unknown };
}

/**
 * Reads the bulletin in `message.text` from `start` (UTF-16 offset, after the command) to the end,
 * with the message's entities as formatting.
 */
export function composeBulletin(
  message: { text: string; entities?: readonly TextEntity[] },
  start: number,
  pack: DataPack,
): Composed {
  const f = entitiesToHtml(message.text, message.entities ?? [], start);
  const text = f.plain.trim();
  if (!text) return { ok: false, reason: "empty" };
  if (text.length > BULLETIN_TEXT_MAX) return { ok: false, reason: "too-long" };
  // Only the editor's formatting makes HTML worth keeping; plain text is escaped when shown.
  const html = f.html === escapeHtml(f.plain) ? undefined : f.html.trim();
  if (html !== undefined && html.length > BULLETIN_HTML_MAX) return { ok: false, reason: "too-much-formatting" };
  // Tags name comuni; they are not the news. Nor is punctuation, or an emoji alone.
  if (!/[\p{L}\p{N}]/u.test(text.replace(TAG, ""))) return { ok: false, reason: "no-text" };

  const { comuni, unknown } = resolveTags(pack, text);
  if (!unknown.length) return { ok: true, text, ...(html !== undefined ? { html } : {}), comuni };

  // Offer the whole bulletin with the suggested tags, when every unknown tag has one and the
  // replacement can be made in the HTML too (a tag cut by formatting cannot).
  let fixed: { text: string; html?: string; comuni: string[] } | undefined;
  if (unknown.every((u) => u.suggestion)) {
    let t = text;
    let hm = html;
    let whole = true;
    for (const u of unknown) {
      const by = tagFor(u.suggestion!.name);
      const a = replaceTag(t, u.tag, by);
      t = a.text;
      if (hm !== undefined) {
        const b = replaceTag(hm, u.tag, by);
        whole &&= b.n === a.n;
        hm = b.text;
      }
    }
    const again = resolveTags(pack, t);
    if (whole && !again.unknown.length && t.length <= BULLETIN_TEXT_MAX)
      fixed = { text: t, ...(hm !== undefined ? { html: hm } : {}), comuni: again.comuni };
  }
  return { ok: false, reason: "unknown-tags", unknown, ...(fixed ? { fixed } : {}) };
}
