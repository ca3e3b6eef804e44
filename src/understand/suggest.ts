/**
 * "Did you mean": which near names to offer when a name is not found, and how to say it. Only close
 * names are offered ("Padova" never suggests Genova or Parma, "Roma" never Verona), the closest first
 * and, among equally close ones, the most populous; the sentence matches how many there are.
 */
import { escapeHtml, type Html, html, quoteUser } from "../format/html.js";
import type { Lang } from "../i18n/messages.js";
import { foldKey } from "./text.js";
import type { PlaceKind } from "./vocabulary.js";

/** A name the lookup found near the query. */
export interface SuggestionCandidate<T> {
  item: T;
  /** Edits from the query to the name's key (0 for a prefix or another exact reading). */
  distance: number;
  /** Inhabitants, when known: among equally close names, the larger place is likelier meant. */
  population?: number;
}

/**
 * The most edits a suggestion may be from what was typed, by the length of the typed name (letters
 * and digits only): 1 up to 5, 2 up to 10, 3 beyond. Past that a name is "far" and never offered.
 */
export function maxSuggestionDistance(length: number): number {
  if (length <= 5) return 1;
  if (length <= 10) return 2;
  return 3;
}

/** Whether a name `distance` edits from `query` is too far to offer. */
export function isFar(query: string, distance: number): boolean {
  return distance > maxSuggestionDistance(foldKey(query).length);
}

/**
 * The suggestions worth offering for `query`, best first: far ones dropped, then by distance, then
 * by population (unknown last), then in the order given; each item once; at most `max`.
 */
export function rankSuggestions<T>(query: string, candidates: readonly SuggestionCandidate<T>[], max = 3): T[] {
  const limit = maxSuggestionDistance(foldKey(query).length);
  const best = new Map<T, { c: SuggestionCandidate<T>; order: number }>();
  candidates.forEach((c, order) => {
    if (!(c.distance <= limit)) return;
    const seen = best.get(c.item);
    if (!seen || c.distance < seen.c.distance) best.set(c.item, { c, order: seen?.order ?? order });
  });
  return [...best.values()]
    .sort((a, b) => a.c.distance - b.c.distance || (b.c.population ?? -1) - (a.c.population ?? -1) || a.order - b.order)
    .slice(0, Math.max(0, max))
    .map((x) => x.c.item);
}

/** What kind of names a suggestion list holds, for the noun of the sentence; "mixed" says "one of these". */
export type SuggestionKind = PlaceKind | "candidate" | "mixed";

/** Italian "one of these …", in the noun's gender: "uno di questi comuni", "una di queste regioni". */
const ONE_OF_THESE_IT: Record<SuggestionKind, string> = {
  comune: "uno di questi comuni",
  province: "una di queste province",
  region: "una di queste regioni",
  candidate: "uno di questi candidati",
  mixed: "uno di questi",
};

/** Italian plurals, for "può indicare più …". */
const PLURAL_IT: Record<SuggestionKind, string> = {
  comune: "comuni",
  province: "province",
  region: "regioni",
  candidate: "candidati",
  mixed: "luoghi",
};

/** English plurals, for "one of these …"; "" for a mixed list. */
const PLURAL_EN: Record<SuggestionKind, string> = {
  comune: "comuni",
  province: "provinces",
  region: "regions",
  candidate: "candidates",
  mixed: "",
};

/** English singulars, for "matches more than one …". */
const SINGULAR_EN: Record<SuggestionKind, string> = {
  comune: "comune",
  province: "province",
  region: "region",
  candidate: "candidate",
  mixed: "place",
};

/** Options of suggestionText. */
export interface SuggestionTextOptions {
  /** The query matched several names equally (a shared prefix, "San Giorgio") rather than none. */
  ambiguous?: boolean;
  /** What the names are: the noun of "one of these comuni". Default "comune". */
  kind?: SuggestionKind;
}

/**
 * The sentence above the suggestion buttons, in HTML, matching their number:
 * none — "Non trovo «Padva»." / "I can't find «Padva»."; one — "Non trovo «Genva». Forse cercavi
 * <b>Genova</b>?"; several — "Non trovo «San Giorgo». Forse cercavi uno di questi comuni?", or, when
 * the query is ambiguous, "«San Giorgio» può indicare più comuni: quale cercavi?". The query is
 * echoed safely (control characters removed, shortened, escaped); names are escaped.
 */
export function suggestionText(
  lang: Lang,
  query: string,
  names: readonly string[],
  options: SuggestionTextOptions = {},
): Html {
  const q = quoteUser(query);
  const kind = options.kind ?? "comune";
  if (lang === "it") {
    if (names.length === 0) return html`Non trovo «${q}». Controlla come è scritto.`;
    if (names.length === 1) {
      const one = html`Forse cercavi <b>${escapeHtml(names[0]!)}</b>?`;
      return options.ambiguous ? one : html`Non trovo «${q}». ${one}`;
    }
    if (options.ambiguous) return html`«${q}» può indicare più ${escapeHtml(PLURAL_IT[kind])}: quale cercavi?`;
    return html`Non trovo «${q}». Forse cercavi ${escapeHtml(ONE_OF_THESE_IT[kind])}?`;
  }
  if (names.length === 0) return html`I can't find «${q}». Please check the spelling.`;
  if (names.length === 1) {
    const one = html`Did you mean <b>${escapeHtml(names[0]!)}</b>?`;
    return options.ambiguous ? one : html`I can't find «${q}». ${one}`;
  }
  if (options.ambiguous) return html`«${q}» matches more than one ${escapeHtml(SINGULAR_EN[kind])}: which one?`;
  const noun = PLURAL_EN[kind];
  return html`I can't find «${q}». Did you mean one of these${escapeHtml(noun ? ` ${noun}` : "")}?`;
}
