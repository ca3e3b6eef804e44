/**
 * Foreign names of Italian places ("Genoa", "Florence", "Mailand") and the Italian name the data uses.
 * Visitors type the name they know; the lookup only knows the Italian one. No exonym here is also the
 * name of an Italian comune (checked against ISTAT's list of 7,978), so applying it never hides a place.
 */
import { foldKey } from "./text.js";

/** Foreign name → Italian name, as written in the data. English first, then French, German and Spanish. */
const TABLE: readonly (readonly [string, string])[] = [
  // English: the cities
  ["Genoa", "Genova"],
  ["Rome", "Roma"],
  ["Milan", "Milano"],
  ["Venice", "Venezia"],
  ["Florence", "Firenze"],
  ["Naples", "Napoli"],
  ["Turin", "Torino"],
  ["Padua", "Padova"],
  ["Syracuse", "Siracusa"],
  ["Leghorn", "Livorno"],
  ["Mantua", "Mantova"],
  ["Pompeii", "Pompei"],
  ["Herculaneum", "Ercolano"],
  ["Trent", "Trento"],
  ["Aquila", "L'Aquila"],
  // English: the regions
  ["Sardinia", "Sardegna"],
  ["Sicily", "Sicilia"],
  ["Tuscany", "Toscana"],
  ["Lombardy", "Lombardia"],
  ["Piedmont", "Piemonte"],
  ["Apulia", "Puglia"],
  ["Aosta Valley", "Valle d'Aosta"],
  ["Trentino-South Tyrol", "Trentino-Alto Adige"],
  ["South Tyrol", "Bolzano"],
  ["Marches", "Marche"],
  // French
  ["Gênes", "Genova"],
  ["Venise", "Venezia"],
  ["Padoue", "Padova"],
  ["Livourne", "Livorno"],
  ["Mantoue", "Mantova"],
  ["Sicile", "Sicilia"],
  ["Sardaigne", "Sardegna"],
  ["Toscane", "Toscana"],
  ["Lombardie", "Lombardia"],
  ["Piémont", "Piemonte"],
  // German
  ["Rom", "Roma"],
  ["Mailand", "Milano"],
  ["Venedig", "Venezia"],
  ["Florenz", "Firenze"],
  ["Neapel", "Napoli"],
  ["Genua", "Genova"],
  ["Trient", "Trento"],
  ["Bozen", "Bolzano"],
  ["Meran", "Merano"],
  ["Brixen", "Bressanone"],
  ["Sterzing", "Vipiteno"],
  ["Bruneck", "Brunico"],
  ["Südtirol", "Bolzano"],
  ["Sizilien", "Sicilia"],
  ["Sardinien", "Sardegna"],
  ["Toskana", "Toscana"],
  ["Lombardei", "Lombardia"],
  // Spanish
  ["Venecia", "Venezia"],
  ["Florencia", "Firenze"],
  ["Nápoles", "Napoli"],
  ["Milán", "Milano"],
  ["Turín", "Torino"],
];

/** Folded foreign name (see foldKey) → Italian name. Accents fold away: "Milán" and "Milan" are one entry. */
export const EXONYMS: ReadonlyMap<string, string> = new Map(
  TABLE.map(([foreign, italian]) => [foldKey(foreign), italian]),
);

/** The Italian name for a foreign one ("Genoa" → "Genova", "FLORENCE" → "Firenze"); undefined if none. */
export function italianName(name: string): string | undefined {
  return EXONYMS.get(foldKey(name));
}
