/**
 * City lookup that forgives what people type: case, accents, apostrophes, spaces and small typos
 * ("l'aquilia", "LAQUILA", "genva"). Ambiguous or unknown names get the closest suggestions, never a
 * far one, the most relevant first among equally close ones (the index's priority: see `priority`).
 * Built to answer over every Italian comune.
 */

import { maxSuggestionDistance, rankSuggestions } from "../understand/suggest.js";

/** Folds a name to a comparison key: lowercase ASCII letters and digits only. */
export function nameKey(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

export type LookupResult<T> =
  | { kind: "found"; item: T; exact: boolean }
  | { kind: "ambiguous"; suggestions: T[] }
  | { kind: "not-found"; suggestions: T[] };

interface Entry<T> {
  item: T;
  /** Lower comes first among equally good matches (see NameIndex's `priority`). */
  priority: number;
  keys: string[];
  /** Letter counts of each key (see letterCounts). */
  counts: Uint16Array[];
}

/** How many longer names are kept for the first words they share (see NameIndex.lookup). */
const LONGER_MAX = 8;

/** Keys hold only a-z and 0-9 (see nameKey): one slot each. */
const SLOTS = 36;

function slot(code: number): number {
  return code >= 97 && code <= 122 ? code - 97 : code >= 48 && code <= 57 ? 26 + code - 48 : -1;
}

/** How many times each letter and digit occurs in a key. */
function letterCounts(key: string): Uint16Array {
  const counts = new Uint16Array(SLOTS);
  for (let i = 0; i < key.length; i++) {
    const s = slot(key.charCodeAt(i));
    if (s >= 0 && counts[s]! < 0xffff) counts[s]!++;
  }
  return counts;
}

/**
 * A lower bound of the edit distance from letter counts alone: a substitution changes the counts
 * by two, an insertion or deletion by one, a transposition not at all.
 */
function countsBound(a: Uint16Array, b: Uint16Array): number {
  let diff = 0;
  for (let i = 0; i < SLOTS; i++) diff += Math.abs(a[i]! - b[i]!);
  return Math.ceil(diff / 2);
}

// Rows of the distance table, reused across calls (a lookup compares the query with every name).
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/** Edit distance with transpositions (optimal string alignment), stopping early past `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (rowA.length < n + 1) {
    rowA = new Int32Array(n + 1);
    rowB = new Int32Array(n + 1);
    rowC = new Int32Array(n + 1);
  }
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n]!;
}

/** How many edits a query of this length may carry and still match. */
function tolerance(len: number): number {
  if (len <= 3) return 0;
  if (len <= 5) return 1;
  if (len <= 9) return 2;
  return 3;
}

/** What callers need of a name index: a NameIndex, or a view over one (src/data/results-source.ts). */
export type NameLookup<T> = Pick<NameIndex<T>, "size" | "exactly" | "rank" | "lookup">;

export class NameIndex<T> {
  private readonly entries: Entry<T>[];
  /** Every item whose name or alias folds to the key: more than one for homonyms (Castro BG, Castro LE). */
  private readonly exact = new Map<string, T[]>();
  /**
   * The first words of longer names → their items, most relevant first, at most LONGER_MAX: "sesto" →
   * Sesto San Giovanni, Sesto Fiorentino, … (see lookup).
   */
  private readonly longer = new Map<string, Entry<T>[]>();
  private readonly priorityOf = new Map<T, number>();

  /**
   * @param names the name and aliases of an item
   * @param priority orders equally good matches, lower first (e.g. comuni with results before the others);
   *   items keep their given order among equals
   * @param magnitude where known (a comune's population), ranks equally close near misses before
   *   `priority`: among equally close names the larger place is likelier meant
   */
  constructor(
    items: readonly T[],
    names: (item: T) => string[],
    priority: (item: T) => number = () => 0,
    private readonly magnitude?: (item: T) => number | undefined,
  ) {
    this.entries = items
      .map((item, i) => {
        const keys = [...new Set(names(item).map(nameKey).filter(Boolean))];
        return { entry: { item, priority: priority(item), keys, counts: keys.map(letterCounts) }, i };
      })
      .sort((a, b) => a.entry.priority - b.entry.priority || a.i - b.i)
      .map((x) => x.entry);
    for (const e of this.entries)
      for (const k of e.keys) {
        const list = this.exact.get(k);
        if (!list) this.exact.set(k, [e.item]);
        else if (!list.includes(e.item)) list.push(e.item);
      }
    for (const e of this.entries) {
      this.priorityOf.set(e.item, e.priority);
      for (const name of names(e.item)) {
        const words = name.split(/[\s'’-]+/).filter(Boolean);
        for (let i = 1; i < words.length; i++) {
          const k = nameKey(words.slice(0, i).join(""));
          const list = this.longer.get(k) ?? [];
          if (list.length < LONGER_MAX && !list.includes(e)) list.push(e);
          this.longer.set(k, list);
        }
      }
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** Every item whose name or alias folds to the same key as `name`, most relevant first. */
  exactly(name: string): readonly T[] {
    return this.exact.get(nameKey(name)) ?? [];
  }

  /**
   * Every item the query could mean, with a score (lower is closer): 0 exact, 1 prefix,
   * 2 contained, 3–4 a near miss at the start of the name. For lists such as inline results.
   * Equal scores keep the index's order (priority first).
   */
  rank(query: string): { item: T; score: number }[] {
    const q = nameKey(query);
    if (!q) return [];
    const out: { item: T; score: number }[] = [];
    for (const e of this.entries) {
      let score = Infinity;
      for (const k of e.keys) {
        if (k === q) score = Math.min(score, 0);
        else if (k.startsWith(q)) score = Math.min(score, 1);
        else if (k.includes(q)) score = Math.min(score, 2);
        else if (q.length >= 4) {
          const d = editDistance(q, k.slice(0, q.length + 2), 2);
          if (d <= 2) score = Math.min(score, 2 + d);
        }
      }
      if (score < Infinity) out.push({ item: e.item, score });
    }
    return out;
  }

  lookup(query: string, maxSuggestions = 3): LookupResult<T> {
    const q = nameKey(query);
    if (!q) return { kind: "not-found", suggestions: [] };
    const hits = this.exact.get(q);
    if (hits?.length === 1) {
      // "Sesto" is a comune, but so begin Sesto San Giovanni and Sesto Fiorentino: an exact name wins
      // outright unless a longer name beginning with its words is at least as relevant; then it asks.
      const own = this.priorityOf.get(hits[0]!) ?? 0;
      const longer = (this.longer.get(q) ?? []).filter((e) => e.item !== hits[0] && e.priority <= own);
      if (!longer.length) return { kind: "found", item: hits[0]!, exact: true };
      const all = [{ item: hits[0]!, priority: own }, ...longer].sort((a, b) => a.priority - b.priority);
      return { kind: "ambiguous", suggestions: all.slice(0, Math.max(maxSuggestions, LONGER_MAX)).map((e) => e.item) };
    }
    if (hits) return { kind: "ambiguous", suggestions: hits.slice(0, Math.max(maxSuggestions, hits.length)) };

    // A unique prefix of at least three letters ("gen" -> Genova where no other name starts so).
    // Two letters only suggest ("pa" -> Palermo, Parma).
    if (q.length >= 2) {
      const prefixed: Entry<T>[] = [];
      for (const e of this.entries) {
        if (e.keys.some((k) => k.startsWith(q))) {
          prefixed.push(e);
          if (prefixed.length > maxSuggestions) break;
        }
      }
      if (prefixed.length === 1 && q.length >= 3) return { kind: "found", item: prefixed[0]!.item, exact: false };
      if (prefixed.length >= 1) {
        return { kind: "ambiguous", suggestions: prefixed.slice(0, maxSuggestions).map((e) => e.item) };
      }
    }

    const tol = tolerance(q.length);
    // Scored as far as a match may be (tol) or a suggestion may be (see maxSuggestionDistance); no further.
    const limit = Math.max(tol, maxSuggestionDistance(q.length));
    const scored: { item: T; d: number }[] = [];
    const qCounts = letterCounts(q);
    for (const e of this.entries) {
      let best = limit + 1;
      for (let i = 0; i < e.keys.length; i++) {
        const k = e.keys[i]!;
        // Most names are far from the query: their length or letters alone say so, cheaply.
        if (Math.abs(k.length - q.length) > limit || countsBound(qCounts, e.counts[i]!) > limit) continue;
        best = Math.min(best, editDistance(q, k, limit));
      }
      if (best <= limit) scored.push({ item: e.item, d: best });
    }
    // Closest first; among equally close names, the more relevant (entries are already in priority order).
    scored.sort((a, b) => a.d - b.d);
    const [first, second] = scored;
    if (first && first.d <= tol && (!second || second.d > first.d))
      return { kind: "found", item: first.item, exact: false };
    // Only near names are offered: "Rma" may be Roma, never Lucca. Among equally close names the larger
    // place first, where the index knows its population; then its priority (the order the entries are in).
    const suggestions = rankSuggestions(
      q,
      scored.map((x) => {
        const population = this.magnitude?.(x.item);
        return { item: x.item, distance: x.d, ...(population !== undefined ? { population } : {}) };
      }),
      maxSuggestions,
    );
    if (first && first.d <= tol) return { kind: "ambiguous", suggestions };
    return { kind: "not-found", suggestions };
  }
}
