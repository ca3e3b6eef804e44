/**
 * What an editor wrote after /pubblica or /rettifica, made into a bulletin: its text, the HTML of
 * the formatting given in the client (Telegram's entities), and the comuni its `#tags` name, with
 * everything that must stop it before anyone receives it: no text, only tags or punctuation, too
 * long, or a tag that names no comune (then the closest comune is offered, and nothing goes out
 * until the tags resolve), or a tag several comuni answer to (`#Castro`: the editor picks which).
 */
import { editDistance, nameKey } from "../../data/lookup.js";
import type { ComuneCode } from "../../data/model.js";
import type { DataPack } from "../../data/pack.js";
import { codeOf, type KnownComune } from "../../data/places.js";
import { BulletinSchema } from "../../data/schema.js";
import { entitiesToHtml, isFormatting, type TextEntity, visibleRange } from "../../format/entities.js";
import { escapeHtml, type Html } from "../../format/html.js";

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

/**
 * How a comune's name is written as a tag: `Reggio nell'Emilia` → `#Reggio_nell'Emilia`, a homonym
 * with its province, `Castro (BG)` → `#Castro_BG` (it resolves back). Give it the comune's label.
 */
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

/** A tag several comuni answer to (`#Castro`: BG and LE), the most relevant first. */
export interface AmbiguousTag {
  tag: string;
  comuni: KnownComune[];
}

/** A bulletin ready to go: its text, the HTML of its formatting (if any), and the comuni its tags name. */
export interface ComposedBulletin {
  text: string;
  html?: Html;
  comuni: ComuneCode[];
}

export type Composed =
  | ({ ok: true } & ComposedBulletin)
  | { ok: false; reason: "empty" | "too-long" | "no-text" | "too-much-formatting" }
  | {
      ok: false;
      reason: "unknown-tags";
      unknown: UnknownTag[];
      /** The same bulletin with every unknown tag replaced by its suggestion, when each has one. */
      fixed?: ComposedBulletin;
    }
  | {
      ok: false;
      reason: "ambiguous-tags";
      ambiguous: AmbiguousTag[];
      /** The bulletin with the comuni its other tags name: the editor's choices are added to it. */
      bulletin: ComposedBulletin;
    };

/** The comuni a tag names exactly: one, several (homonyms in two provinces share a name), or none. */
export function tagComuni(pack: DataPack, tag: string): KnownComune[] {
  const byCode = new Map<ComuneCode, KnownComune>();
  for (const c of pack.index.exactly(tag)) if (!byCode.has(codeOf(c))) byCode.set(codeOf(c), c);
  return [...byCode.values()];
}

/**
 * The tags of a text several comuni answer to and none of whose comuni is among `chosen` yet: what
 * the editor must still pick, in the order written.
 */
export function pendingAmbiguity(pack: DataPack, text: string, chosen: readonly ComuneCode[]): AmbiguousTag[] {
  const out: AmbiguousTag[] = [];
  for (const tag of new Set(hashtags(text))) {
    const comuni = tagComuni(pack, tag);
    if (comuni.length > 1 && !comuni.some((c) => chosen.includes(codeOf(c)))) out.push({ tag, comuni });
  }
  return out;
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

/** A stretch of the message's text to replace: [from, to) in UTF-16 units, and what goes there. */
interface Edit {
  from: number;
  to: number;
  by: string;
}

/**
 * The message with every `#tag` (whole) from `start` on replaced, and its entities moved to match;
 * undefined when formatting covers part of a replaced tag (cutting it would change the formatting).
 */
function replaceTags(
  message: { text: string; entities?: readonly TextEntity[] },
  start: number,
  replacements: readonly { tag: string; by: string }[],
): { text: string; entities: TextEntity[] } | undefined {
  const edits: Edit[] = [];
  for (const { tag, by } of replacements) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}_/&#])#${escapeRegExp(tag)}(?![\\p{L}\\p{N}_'])`, "gu");
    re.lastIndex = start;
    for (let m = re.exec(message.text); m; m = re.exec(message.text))
      edits.push({ from: m.index, to: m.index + m[0].length, by });
  }
  edits.sort((a, b) => a.from - b.from);
  // Only the formatting matters from here on: the other entities (hashtags, mentions) stay plain text.
  const entities = (message.entities ?? []).filter(isFormatting);
  for (const e of entities) {
    const end = e.offset + e.length;
    if (edits.some((x) => e.offset < x.to && end > x.from && !(e.offset <= x.from && end >= x.to))) return undefined;
  }
  /** Where an offset of the old text is in the new one. */
  const moved = (offset: number) => {
    let shift = 0;
    for (const x of edits) if (x.to <= offset) shift += x.by.length - (x.to - x.from);
    return offset + shift;
  };
  let text = "";
  let at = 0;
  for (const x of edits) {
    text += message.text.slice(at, x.from) + x.by;
    at = x.to;
  }
  text += message.text.slice(at);
  return {
    text,
    entities: entities.map((e) => {
      const offset = moved(e.offset);
      return { ...e, offset, length: moved(e.offset + e.length) - offset };
    }),
  };
}

/** The text's tags resolved to comuni, and those that name none or several. */
function resolveTags(
  pack: DataPack,
  text: string,
): { comuni: ComuneCode[]; unknown: UnknownTag[]; ambiguous: AmbiguousTag[] } {
  const comuni = new Set<ComuneCode>();
  const unknown: UnknownTag[] = [];
  const ambiguous: AmbiguousTag[] = [];
  for (const tag of new Set(hashtags(text))) {
    const hits = tagComuni(pack, tag);
    if (hits.length === 1) comuni.add(codeOf(hits[0]!));
    else if (hits.length > 1) ambiguous.push({ tag, comuni: hits });
    else {
      const suggestion = suggestTag(pack, tag);
      unknown.push({ tag, ...(suggestion ? { suggestion } : {}) });
    }
  }
  return { comuni: [...comuni], unknown, ambiguous };
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
  return compose(message, start, pack, true);
}

function compose(
  message: { text: string; entities?: readonly TextEntity[] },
  start: number,
  pack: DataPack,
  offerFix: boolean,
): Composed {
  const range = visibleRange(message.text, start);
  const f = entitiesToHtml(message.text, message.entities ?? [], range.start, range.end);
  const text = f.plain;
  if (!text) return { ok: false, reason: "empty" };
  if (text.length > BULLETIN_TEXT_MAX) return { ok: false, reason: "too-long" };
  // Only the editor's formatting makes HTML worth keeping; plain text is escaped when shown.
  const html = f.html === escapeHtml(f.plain) ? undefined : f.html;
  if (html !== undefined && html.length > BULLETIN_HTML_MAX) return { ok: false, reason: "too-much-formatting" };
  // Tags name comuni; they are not the news. Nor is punctuation, or an emoji alone.
  if (!/[\p{L}\p{N}]/u.test(text.replace(TAG, ""))) return { ok: false, reason: "no-text" };

  const { comuni, unknown, ambiguous } = resolveTags(pack, text);
  const bulletin = { text, ...(html !== undefined ? { html } : {}), comuni };
  // Which Castro is never guessed: the editor picks (src/bot/features/newsroom.ts), then the preview.
  if (!unknown.length)
    return ambiguous.length ? { ok: false, reason: "ambiguous-tags", ambiguous, bulletin } : { ok: true, ...bulletin };

  // Offer the whole bulletin with the suggested tags, when every unknown tag has one: the message
  // read again with them in place, its formatting moved along (a tag cut by formatting cannot be).
  let fixed: ComposedBulletin | undefined;
  if (offerFix && unknown.every((u) => u.suggestion)) {
    const replaced = replaceTags(
      message,
      range.start,
      unknown.map((u) => ({ tag: u.tag, by: tagFor(u.suggestion!.label) })),
    );
    const again = replaced && compose(replaced, range.start, pack, false);
    if (again?.ok)
      fixed = { text: again.text, ...(again.html !== undefined ? { html: again.html } : {}), comuni: again.comuni };
  }
  return { ok: false, reason: "unknown-tags", unknown, ...(fixed ? { fixed } : {}) };
}
