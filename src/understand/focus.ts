/**
 * What a question about a comune is after, beyond its intent: "chi ha vinto a Trapani?" asks for the
 * outcome, "quando si vota il ballottaggio a Genova?" for a date; "com'è andata a Verona" for
 * everything (the card). Pure: words only.
 */
import { tokenize } from "./text.js";

/** "outcome": who won (or that nobody did); "when": the day of the vote; undefined: the whole card. */
export type Focus = "outcome" | "when";

/** Words that ask who won. */
const OUTCOME_WORDS = new Set([
  "vinto",
  "vince",
  "vincera",
  "vincitore",
  "vincitrice",
  "eletto",
  "eletta",
  "won",
  "win",
  "wins",
  "winner",
  "elected",
]);

/** Words that ask when. */
const WHEN_WORDS = new Set(["quando", "when", "data", "date", "giorno", "day"]);

/** The focus of a question's words (see Focus); "when" wins over "outcome" ("quando si saprà chi ha vinto"). */
export function questionFocus(text: string): Focus | undefined {
  const keys = tokenize(text).map((t) => t.key);
  if (keys.some((k) => WHEN_WORDS.has(k))) return "when";
  if (keys.some((k) => OUTCOME_WORDS.has(k))) return "outcome";
  return undefined;
}
