/**
 * Names as people write them, from the Ministry's capitals: "SANT'ANGELO LODIGIANO" → "Sant'Angelo
 * Lodigiano", "FORLI'" → "Forlì", "DE LUCA" "MARIA TERESA" → "Maria Teresa De Luca".
 *
 * Older files have no accented capitals and write a final accented vowel as the vowel and an apostrophe
 * ("FORLI'", "CANTU'", "NICOLO'"): a word-final apostrophe after a vowel is read as that accent. Used only
 * where no better source for the name exists (the comuni index gives ISTAT's own spelling).
 */

/** Words written in lowercase inside an Italian place name: "San Giorgio di Piano", "Reggio nell'Emilia". */
const PLACE_PARTICLES = new Set([
  "a",
  "al",
  "alla",
  "alle",
  "allo",
  "ai",
  "agli",
  "all",
  "d",
  "da",
  "dal",
  "dalla",
  "dall",
  "de",
  "dei",
  "del",
  "della",
  "delle",
  "dello",
  "degli",
  "dell",
  "di",
  "e",
  "ed",
  "in",
  "il",
  "la",
  "le",
  "lo",
  "l",
  "nel",
  "nella",
  "nelle",
  "nell",
  "sul",
  "sulla",
  "sull",
  "sui",
  "sugli",
  "sullo",
  "su",
  "con",
  "li",
  "ne",
  "nei",
  "per",
  "presso",
]);

/** Words written in lowercase inside a person's name: "Giuseppe detto Peppe". */
const PERSON_PARTICLES = new Set(["detto", "detta"]);

const GRAVE: Record<string, string> = { a: "à", e: "è", i: "ì", o: "ò", u: "ù" };

/** "FORLI'" → "FORLÌ"-style: a vowel and a word-final apostrophe become the accented vowel (grave, as in names). */
export function apostropheAccents(s: string): string {
  // Two letters at least before the vowel: "CA' D'ANDREA" keeps its apostrophe (Ca' is not Cà).
  return s.replace(/(\p{L}{2,})([AEIOUaeiou])['’](?=$|[\s,;.)/-])/gu, (_, before: string, v: string) => {
    const accented = GRAVE[v.toLowerCase()]!;
    return before + (v === v.toUpperCase() ? accented.toUpperCase() : accented);
  });
}

/** Roman numerals stay in capitals: "Sotto il Monte Giovanni XXIII". */
const ROMAN = /^(?=[IVXLC]+$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/;

function titleCase(s: string, particles: ReadonlySet<string>, roman: boolean): string {
  const source = apostropheAccents(s.replace(/\s+/g, " ").trim());
  // Words are runs of letters; what separates them (space, apostrophe, hyphen, slash) is kept as is.
  let index = 0;
  return source.replace(/\p{L}+/gu, (word, offset: number) => {
    const lower = word.toLowerCase();
    const first = index++ === 0;
    const afterHyphen = offset > 0 && /[-/(]/.test(source[offset - 1]!);
    if (roman && word.length > 1 && ROMAN.test(word) && !particles.has(lower)) return word;
    if (!first && !afterHyphen && particles.has(lower)) return lower;
    return lower.charAt(0).toUpperCase() + lower.slice(1);
  });
}

/** A comune's, province's or region's name in proper case: "SAN DONA' DI PIAVE" → "San Donà di Piave". */
export function properCasePlace(name: string): string {
  return titleCase(name, PLACE_PARTICLES, true);
}

/** A candidate's name as the news writes it, first name first: ("BUCCI", "MARCO") → "Marco Bucci". */
export function personName(surname: string, firstName?: string): string {
  const parts = [firstName, surname].filter((p): p is string => !!p?.trim());
  return titleCase(parts.join(" "), PERSON_PARTICLES, false);
}
