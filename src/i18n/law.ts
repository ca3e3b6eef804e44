/**
 * A regional law's reference, as the data pack writes it in Italian ("del 2016", "n. 19 del 5 dicembre
 * 2013 (artt. 2, 13)"), worded for English sentences: " of 2016", " no. 19 of 2013" (the articles left to
 * the Italian); "" when it names no year.
 */
export function englishLawRef(law: string | undefined): string {
  const year = law && /\b(1[89]\d\d|20\d\d)\b/.exec(law)?.[1];
  if (!year) return "";
  const no = /\bn\.\s*(\d+)/.exec(law)?.[1];
  return no ? ` no. ${no} of ${year}` : ` of ${year}`;
}
