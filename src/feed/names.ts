/**
 * Proper case for the names the feed writes in capitals: people ("DALLA ROSA" → "Dalla Rosa") and places
 * ("SAN FERDINANDO DI PUGLIA" → "San Ferdinando di Puglia"). The Ministry writes an accent as an apostrophe
 * after the vowel ("CANTU'", "NICOLO'"); it is turned back into the accented letter.
 */

const GRAVE: Record<string, string> = { a: "à", e: "è", i: "ì", o: "ò", u: "ù" };

/** Particles written in lower case inside Italian place names (never as the first word). */
const PLACE_PARTICLES = new Set(
  (
    "di d' de del dell' dei degli della delle dello da dal dall' dai dagli dalla dalle e ed in nel nell' nella nei nelle " +
    "sul sull' sullo sulla sui sulle al all' allo alla alle ai agli a con per sopra sotto l' la le lo il"
  ).split(" "),
);

function capitalize(word: string): string {
  return word.charAt(0).toLocaleUpperCase("it") + word.slice(1);
}

/** The same names come back every polling cycle: remember them (bounded). */
const cache = new Map<string, string>();

/** Splits on spaces, keeping hyphen, slash and apostrophe joints as word boundaries. */
function caseWords(text: string, lowerParticles: boolean): string {
  const key = `${lowerParticles ? "P" : "N"}${text}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const cased = caseWordsUncached(text, lowerParticles);
  if (cache.size > 50_000) cache.clear();
  cache.set(key, cased);
  return cased;
}

function caseWordsUncached(text: string, lowerParticles: boolean): string {
  const words = text
    .trim()
    .replace(/\s+/g, " ")
    .toLocaleLowerCase("it")
    // A final apostrophe after a vowel is an accent: "cantu'" → "cantù".
    .replace(/([aeiou])'(?=$|[\s/-])/g, (_, v: string) => GRAVE[v]!)
    .split(" ");
  return words
    .map((word, wi) =>
      word
        .split(/(?<=[-/'’])/)
        .map((part, pi) => {
          const first = wi === 0 && pi === 0;
          if (lowerParticles && !first && PLACE_PARTICLES.has(part)) return part;
          return capitalize(part);
        })
        .join(""),
    )
    .join(" ");
}

/** A person's name in proper case: "OTELLO" "DALLA ROSA" → "Otello Dalla Rosa"; "D'ALEMA" → "D'Alema". */
export function personName(...parts: (string | null | undefined)[]): string {
  return caseWords(parts.filter((p): p is string => !!p?.trim()).join(" "), false);
}

/** A place name in proper case: "REGGIO NELL'EMILIA" → "Reggio nell'Emilia"; "L'AQUILA" → "L'Aquila". */
export function placeName(text: string): string {
  return caseWords(text, true);
}
