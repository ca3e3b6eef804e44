/**
 * The lexical ground floor of understanding what people type: folding (case, accents, typographic
 * apostrophes) and splitting a message into word tokens that remember where they stood in the original,
 * so that a name can be quoted back exactly as it was written ("Non trovo «Genva»").
 */

/** Apostrophes as phones and keyboards write them: ' ’ ‘ ` ´ ʼ. */
const APOSTROPHES = /['\u2019\u2018`\u00b4\u02bc]/;

/**
 * Folds text for comparison: lowercase, accents removed ("Città" → "citta", "È" → "e"),
 * every apostrophe written as "'". Keeps spaces and punctuation.
 */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['\u2019\u2018`\u00b4\u02bc]/g, "'");
}

/**
 * A name's comparison key: folded, then only letters a-z and digits ("L'Aquila" → "laquila").
 * The same folding as the lookup's name key, so that keys built here can be looked up there.
 */
export function foldKey(text: string): string {
  return fold(text).replace(/[^a-z0-9]/g, "");
}

/** One word of a message. */
export interface Token {
  /** The word as written, apostrophe included ("all'", "Città"). */
  text: string;
  /** Folded, without the apostrophe ("all", "citta"). */
  key: string;
  /** Where it starts and ends in the original text (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
  /** Ends in an apostrophe: an elided word ("l'", "dell'", "com'", "sant'"). */
  elided: boolean;
  /** Only digits. */
  numeric: boolean;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const LETTER = /[\p{L}\p{N}]/u;

/** Elided words people also write with a space after the apostrophe ("dell' Aquila", "l' Aquila"). */
const ELISIONS = new Set([
  "l",
  "d",
  "un",
  "all",
  "dall",
  "dell",
  "nell",
  "sull",
  "coll",
  "quell",
  "sant",
  "com",
  "dov",
  "c",
  "quant",
  "po",
]);

/**
 * Splits text into word tokens; punctuation, emoji and spaces separate words and are not tokens.
 * An apostrophe belongs to the word before it when it elides it ("all'Aquila" → "all'", "Aquila");
 * a closing quote ("'Genova'") does not.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    let end = m.index + m[0].length;
    const key = foldKey(m[0]);
    if (!key) continue; // letters that fold to nothing (a lone mark, a script outside a-z)
    let elided = false;
    if (APOSTROPHES.test(text[end] ?? "")) {
      const after = text.slice(end + 1);
      if (LETTER.test(after[0] ?? "") || (ELISIONS.has(key) && /^\s+[\p{L}]/u.test(after))) {
        elided = true;
        end += 1;
      }
    }
    out.push({ text: text.slice(m.index, end), key, start: m.index, end, elided, numeric: /^\d+$/.test(key) });
  }
  return out;
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment), giving up past `max`
 * (returns max + 1). Used on single words, so a plain table is fast enough.
 */
export function wordDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[n]!, max + 1);
}
