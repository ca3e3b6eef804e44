/**
 * What follows /iscriviti and /disiscriviti (or "segui …" in a sentence): several places at once
 * ("Genova, Parma", "Genova e Parma"), everything ("tutti"), only the national bulletins ("solo
 * nazionali"), and the "solo esiti" mode for live cards. Pure: the caller resolves each place.
 */
import { parseQuestion } from "./question.js";
import { foldKey, type Token, tokenize } from "./text.js";
import { PREPOSITIONS } from "./vocabulary.js";

/** One thing to follow or stop following. */
export type FollowTarget =
  /** Every bulletin, national and local ("tutti", "tutto", "all"). */
  | { kind: "all" }
  /** Only the bulletins that concern no comune in particular ("nazionali", "solo nazionali", "national"). */
  | { kind: "national" }
  /**
   * A place, as written, without the prepositions and articles around it, with the other readings to
   * try first (as in Question: "alla Spezia" → "la Spezia", "Genoa" → "Genova"); see resolveSubject.
   */
  | { kind: "place"; name: string; alternatives: string[] };

/** A parsed list. */
export interface CommandList {
  /** In the order written, each once ("Genova, genova" is one place). Empty when nothing was given. */
  targets: FollowTarget[];
  /** "solo esiti" / "outcomes only": push a comune's card only when its outcome is known. */
  outcomesOnly: boolean;
}

/** Options of parseCommandList. */
export interface CommandListOptions {
  /**
   * Whether a text is a known place name. With it, names holding "e" stay whole ("Capraia e Limite",
   * "Pesaro e Urbino") instead of being read as two places; without it every "e" separates.
   */
  isName?: (name: string) => boolean;
}

type ListWord = "all" | "national" | "outcomes" | "filler";

/** The words of a list that are not places. "solo", "le", "notizie" only qualify the others. */
const LIST_VOCABULARY: ReadonlyMap<string, ListWord> = new Map([
  ...["tutti", "tutto", "tutte", "all", "everything", "everywhere", "ovunque", "ogni"].map((w) => [w, "all"] as const),
  ...["nazionali", "nazionale", "national"].map((w) => [w, "national"] as const),
  ...["esiti", "esito", "outcomes", "outcome"].map((w) => [w, "outcomes"] as const),
  ...[
    "solo",
    "soltanto",
    "quelli",
    "quelle",
    "those",
    "only",
    "just",
    "le",
    "i",
    "gli",
    "il",
    "the",
    "notizie",
    "news",
    "aggiornamenti",
    "updates",
    "bollettini",
    "comuni",
    "comune",
    "quanto",
    "quanti",
    "per",
    "favore",
    "please",
    "grazie",
    "thanks",
    "a",
    "di",
    "to",
    "of",
    "mode",
    "modalita",
  ].map((w) => [w, "filler"] as const),
]);

/**
 * The most pieces joined by "e" in one name: ISTAT's names have at most one "e" ("Capraia e Limite",
 * "Castrocaro Terme e Terra del Sole"); three leaves room and keeps long lists linear.
 */
const MAX_E_PIECES = 3;

/** Words that join two places: "Genova e Parma", "Genoa and Parma". */
const CONJUNCTIONS = new Set(["e", "ed", "and", "oppure", "or"]);

/** Separators between places, besides the conjunctions: commas, semicolons, slashes of lists, new lines. */
const SEPARATOR = /[,;\n&+]|\s[-–—]\s/;

/**
 * Reads a list of what to follow: `/iscriviti Genova, Parma`, `Genova e Parma`, `tutti`, `solo
 * nazionali`, `Genova solo esiti`. Mixed lists keep their order ("Genova, nazionali" → a place and the
 * national bulletins). Never throws; unreadable bits are read as place names for the lookup to judge.
 */
export function parseCommandList(args: string, options: CommandListOptions = {}): CommandList {
  const tokens = tokenize(args);
  const targets: FollowTarget[] = [];
  let outcomesOnly = false;
  const seen = new Set<string>();
  const add = (t: FollowTarget) => {
    const key = t.kind === "place" ? `place:${foldKey(t.name)}` : t.kind;
    if (seen.has(key)) return;
    seen.add(key);
    targets.push(t);
  };

  // Segments: runs of words between separators and conjunctions. Each remembers the conjunction
  // that ended it, so that "Capraia e Limite" can be put back together.
  const segments: { tokens: Token[]; joinedByE: boolean }[] = [];
  let current: Token[] = [];
  const close = (joinedByE: boolean) => {
    if (current.length) segments.push({ tokens: current, joinedByE });
    else if (segments.length) segments.at(-1)!.joinedByE = false;
    current = [];
  };
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    if (prev && SEPARATOR.test(args.slice(prev.end, t.start))) close(false);
    if (CONJUNCTIONS.has(t.key)) close(true);
    else current.push(t);
  });
  close(false);

  for (let i = 0; i < segments.length; i++) {
    // The longest run of segments joined by "e" that is a known name ("Castrocaro Terme e Terra del Sole").
    let j = i;
    if (options.isName) {
      for (let k = Math.min(segments.length - 1, i + MAX_E_PIECES - 1); k > i; k--) {
        const joined = segments.slice(i, k).every((s) => s.joinedByE);
        const words = segments.slice(i, k + 1).flatMap((s) => s.tokens);
        if (joined && isPlace(args, words, options.isName)) {
          j = k;
          break;
        }
      }
    }
    const words = segments.slice(i, j + 1).flatMap((s) => s.tokens);
    if (j > i) {
      add(place(args.slice(words[0]!.start, words.at(-1)!.end)));
      i = j;
      continue;
    }
    // Peel the list's own words off both ends; what remains in the middle is a place.
    let a = 0;
    let b = words.length - 1;
    const peel = (t: Token) => {
      const w = LIST_VOCABULARY.get(t.key);
      if (w === "all") add({ kind: "all" });
      else if (w === "national") add({ kind: "national" });
      else if (w === "outcomes") outcomesOnly = true;
      return w !== undefined;
    };
    const whole = args.slice(words[0]!.start, words.at(-1)!.end);
    if (options.isName?.(whole)) {
      add(place(whole));
      continue;
    }
    while (a <= b && peel(words[a]!)) a++;
    const tail: Token[] = [];
    while (b >= a && LIST_VOCABULARY.has(words[b]!.key)) tail.unshift(words[b--]!);
    if (a <= b) add(place(args.slice(words[a]!.start, words[b]!.end)));
    tail.forEach(peel);
  }
  return { targets, outcomesOnly };
}

/** Whether the words from `from` to `to`, prepositions before them aside, are one known name. */
function isPlace(args: string, words: readonly Token[], isName: (name: string) => boolean): boolean {
  let a = 0;
  while (a < words.length - 1 && PREPOSITIONS.has(words[a]!.key)) a++;
  const text = args.slice(words[a]!.start, words.at(-1)!.end);
  return isName(text);
}

/** A place as written, read like the subject of a question ("a Genova" → "Genova", "Genoa" → also "Genova"). */
function place(text: string): FollowTarget {
  const q = parseQuestion(text, "it");
  if (q.subject) return { kind: "place", name: q.subject, alternatives: q.alternatives };
  // Nothing but words of questions ("Salve"): in a list of places, it can only be a place.
  return { kind: "place", name: text.trim(), alternatives: [] };
}
