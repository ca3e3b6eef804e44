/**
 * Reading what people type after /iscriviti, /disiscriviti and /silenzioso: "Genova, Parma",
 * "Genova e Parma", "tutti", "nazionali", "23-7". "Tutti", "nazionali" and the quiet hours are read
 * by the shared reader of plain language (src/understand); splitting a list of names stays here, as
 * it asks the comuni index where one name ends ("Genova Parma" is two, "Bari Sardo" one).
 */
import type { QuietHours } from "../../store/store.js";
import { parseCommandList, parseQuietHours } from "../../understand/index.js";

/** The list holds exactly one target of this kind, and nothing else ("solo i nazionali", "tutti!"). */
function only(text: string, kind: "all" | "national"): boolean {
  const { targets, outcomesOnly } = parseCommandList(text);
  return !outcomesOnly && targets.length === 1 && targets[0]!.kind === kind;
}

/** "tutti", "tutto", "all", "tutti gli aggiornamenti": every bulletin. */
export function readEverything(text: string): boolean {
  return only(text, "all");
}

/** "nazionali", "solo nazionali", "national": the bulletins that name no comune. */
export function readNational(text: string): boolean {
  return only(text, "national");
}

/** Words that join names: "Genova e Parma", "Genova and Parma". */
const CONNECTOR = /^(?:e|ed|and|&|\+)$/i;

/** "e Genova", "Genova e": a connector with nothing to join on one side. */
const EDGE_CONNECTORS = /^(?:(?:e|ed|and|&|\+)(?: |$))+|(?:(?:^| )(?:e|ed|and|&|\+))+$/gi;

/** Longer pieces are not split word by word (the search is quadratic in the words). */
const MAX_WORDS = 24;

/**
 * Splits a list of names as people write it: at commas, semicolons and new lines; then a piece that
 * is not one name is split into names where every part is one (`Genova Parma`, `Genova e Parma`),
 * with as few parts as possible, so that `Erto e Casso` and `Bari Sardo` stay whole. A piece that
 * cannot be split so is split at "e"/"and" if it has one; else, if `resolves` does not take it
 * whole (a typo it forgives), it is split around the words that are names, leaving the fewest
 * words over (`Genova Prma` → `Genova`, `Prma`), for the caller to look those up and suggest.
 *
 * @param isName whether a text names exactly one thing the caller knows (a comune, "tutti", …)
 * @param resolves whether the caller's forgiving lookup finds a text (default: it does not)
 */
export function splitNames(
  text: string,
  isName: (s: string) => boolean,
  resolves: (s: string) => boolean = () => false,
): string[] {
  return text
    .split(/[,;\n]+/)
    .map((p) => p.trim().replace(/\s+/g, " ").replace(EDGE_CONNECTORS, ""))
    .filter(Boolean)
    .flatMap((piece) => splitPiece(piece, isName, resolves));
}

function splitPiece(piece: string, isName: (s: string) => boolean, resolves: (s: string) => boolean): string[] {
  if (isName(piece)) return [piece];
  const words = piece.split(" ");
  if (words.length > MAX_WORDS) return [piece];
  const exact = segment(words, isName, false);
  if (exact) return exact;
  const parts = piece
    .split(/\s+(?:e|ed|and|&|\+)\s+/i)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length > 1) return parts.flatMap((p) => splitPiece(p, isName, resolves));
  if (resolves(piece)) return [piece];
  return segment(words, isName, true) ?? [piece];
}

interface Split {
  parts: string[];
  /** Words in parts that are not names. */
  unknown: number;
  /** The last part is not a name (two such parts in a row would be one). */
  endsUnknown: boolean;
}

const better = (a: Split, b: Split | undefined) =>
  !b || a.unknown < b.unknown || (a.unknown === b.unknown && a.parts.length < b.parts.length);

/**
 * The split of `words` into names with the fewest words left over, then the fewest parts; a lone
 * connector between two parts is dropped. Without `loose`, only splits where every part is a name.
 */
function segment(words: readonly string[], isName: (s: string) => boolean, loose: boolean): string[] | undefined {
  // best[i]: the best split of words[0..i).
  const best: (Split | undefined)[] = [{ parts: [], unknown: 0, endsUnknown: false }];
  for (let i = 1; i <= words.length; i++) {
    let pick: Split | undefined;
    const skip = best[i - 1];
    if (i > 1 && CONNECTOR.test(words[i - 1]!) && skip?.parts.length) pick = { ...skip, endsUnknown: false };
    for (let j = 0; j < i; j++) {
      const before = best[j];
      if (!before) continue;
      const part = words.slice(j, i).join(" ");
      if (isName(part)) {
        const s = { parts: [...before.parts, part], unknown: before.unknown, endsUnknown: false };
        if (better(s, pick)) pick = s;
      } else if (loose && !before.endsUnknown) {
        const s = { parts: [...before.parts, part], unknown: before.unknown + i - j, endsUnknown: true };
        if (better(s, pick)) pick = s;
      }
    }
    best[i] = pick;
  }
  const found = best[words.length];
  if (!found?.parts.length || CONNECTOR.test(words.at(-1)!)) return undefined;
  return found.parts;
}

/**
 * Quiet hours as typed after /silenzioso: a span (`23-7`, `23:30-07:00`, `dalle 23 alle 7`,
 * `11pm-7am`), or "off" (`off`, `no`, `nessuno`). Undefined when it is neither, or the two times
 * are the same.
 */
export function readQuietHours(text: string): QuietHours | "off" | undefined {
  const r = parseQuietHours(text);
  if (!r.ok) return undefined;
  return r.value.kind === "off" ? "off" : { from: r.value.start, to: r.value.end };
}
