/**
 * What the user typed, resolved to a place: the readings worth trying (what was typed, without the
 * words around the name, the Italian name of "Genoa"), the search over them, and the answer with
 * suggestions when nothing single was found. Shared by the commands, the plain questions and the
 * subscriptions.
 */
import { type LookupResult, nameKey } from "../data/lookup.js";
import type { DataPack } from "../data/pack.js";
import type { Area, KnownComune, SearchResult } from "../data/places.js";
import { type Html, quoteUser, stripControl } from "../format/html.js";
import type { Lang } from "../i18n/index.js";
import { type MatchQuality, parseQuestion, type Question, resolveSubject } from "../understand/index.js";
import { suggestionLine } from "../views/search.js";
import type { BotContext } from "./context.js";
import { suggestionKeyboard } from "./keyboards.js";
import { replyHtml } from "./reply.js";

/** Longer input cannot be a comune's name; it is not worth matching. */
export const MAX_QUERY = 80;

/**
 * The readings of a place typed after a command (`/citta alla Spezia`, `/affluenza di Parma`,
 * `/citta Genoa`), most literal first: the text as typed, then what the question reader makes of it
 * (without the prepositions and articles at its edges, with the article kept, the Italian name).
 */
export function readingsOf(raw: string, lang: Lang): string[] {
  const text = stripControl(raw).trim();
  if (!text) return [];
  return unique([text, ...questionReadings(parseQuestion(text, lang))]);
}

/**
 * The readings of a question's place, most literal first: with the kind of place it named
 * ("provincia di Genova" is asked as the province), its alternatives, then the subject.
 */
export function questionReadings(q: Pick<Question, "subject" | "alternatives" | "place">): string[] {
  if (!q.subject) return [];
  const kind = q.place === "province" ? "provincia di " : q.place === "region" ? "regione " : "";
  return unique([...(kind ? [`${kind}${q.subject}`] : []), ...q.alternatives, q.subject]);
}

function unique(readings: readonly string[]): string[] {
  const seen = new Set<string>();
  return readings.filter((r) => {
    const k = r.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const searchQuality = (r: SearchResult): MatchQuality =>
  r.kind === "comune" ? (r.exact ? "exact" : "near") : r.kind === "area" || r.kind === "candidate" ? "exact" : "none";

const lookupQuality = (r: LookupResult<KnownComune>): MatchQuality =>
  r.kind === "found" ? (r.exact ? "exact" : "near") : "none";

const NOTHING = { kind: "not-found" as const, suggestions: [] };

/**
 * What /citta understands (a comune, a region or province, a candidate) over several readings: the
 * first exact answer, else the first near one (a typo forgiven), else the last reading's suggestions.
 */
export function searchReadings(pack: DataPack, readings: readonly string[]): SearchResult {
  if (!readings.length) return NOTHING;
  return resolveSubject(
    { subject: readings.at(-1)!, alternatives: readings.slice(0, -1) },
    (s) => (s.length > MAX_QUERY ? NOTHING : pack.search(s)),
    searchQuality,
  );
}

/**
 * A comune over several readings, the same way as `searchReadings`. A typo forgiven is only offered,
 * never answered, when a reading is one edit from a region's or province's name ("Ligura" is not Lauria).
 */
export function lookupReadings(pack: DataPack, readings: readonly string[]): LookupResult<KnownComune> {
  if (!readings.length) return NOTHING;
  const r = resolveSubject(
    { subject: readings.at(-1)!, alternatives: readings.slice(0, -1) },
    (s) => (s.length > MAX_QUERY ? NOTHING : pack.index.lookup(s)),
    lookupQuality,
  );
  if (r.kind === "found" && !r.exact && readings.some((s) => s.length <= MAX_QUERY && pack.nearArea(s, r.item)))
    return { kind: "not-found", suggestions: [r.item] };
  return r;
}

/** Words for the whole country: "affluenza Italia", "/turnout Italy", "affluenza nazionale". */
const COUNTRY = new Set(["italia", "italy", "italie", "italien", "nazionale", "national", "tuttaitalia"]);

/** What a place typed names when it is not a comune: a region or province, or the whole country. */
export type NotComune = { kind: "area"; area: Area } | { kind: "country" };

/**
 * Whether the readings name a region, a province or the country rather than a comune: recognised
 * before any forgiving match of comune names ("Liguria" is never Lauria, "Italia" never Itala). A
 * comune's exact name wins ("Genova" is the comune, not the province), the most literal reading first
 * ("provincia di Genova" is the province).
 */
export function notComune(pack: DataPack, readings: readonly string[]): NotComune | undefined {
  // Most literal reading first: "provincia di Vicenza" is the province, "Vicenza" the comune.
  for (const s of readings) {
    if (s.length > MAX_QUERY) continue;
    if (pack.index.exactly(s).length) return undefined;
    if (COUNTRY.has(nameKey(s))) return { kind: "country" };
    const area = pack.area(s);
    if (area) return { kind: "area", area };
  }
  return undefined;
}

/** What the user typed for a comune: the text itself, or readings already worked out and the text to echo. */
export type Typed = string | { readings: readonly string[]; query: string };

/**
 * Resolves what the user typed to a comune, or answers with suggestions as buttons (or `notFound`
 * when there are none). Returns undefined when it already replied.
 *
 * @param typed the text after a command (its readings are tried: see `readingsOf`), or readings
 *   worked out already (a plain question's) with the text to echo
 */
export async function resolveCity(
  ctx: BotContext,
  typed: Typed,
  notFound: (q: Html) => Html,
): Promise<KnownComune | undefined> {
  const { readings, query } =
    typeof typed === "string" ? { readings: readingsOf(typed, ctx.lang), query: typed } : typed;
  const pack = ctx.app.data.current();
  const other = notComune(pack, readings);
  if (other) {
    await replyHtml(ctx, ctx.t.notAComune(placeName(ctx, other, query)));
    return undefined;
  }
  const r = lookupReadings(pack, readings);
  if (r.kind === "found") return r.item;
  await replyHtml(
    ctx,
    suggestionLine(ctx.lang, query, r, () => notFound(quoteUser(query))),
    suggestionKeyboard(r.suggestions),
  );
  return undefined;
}

/** How a region, province or the country is named in an answer: "Regione Liguria", "Italia". */
export function placeName(ctx: Pick<BotContext, "t">, p: NotComune, query: string): string {
  return p.kind === "area" ? ctx.t.results.area(p.area.kind, p.area.name) : stripControl(query).trim();
}
