import { en } from "./en.js";
import { it } from "./it.js";
import type { Lang, Messages } from "./messages.js";

export type { Lang, Messages };

const byLang: Record<Lang, Messages> = { it, en };

/** Italian unless the client's language is set and is not Italian. */
export function langFor(languageCode: string | undefined): Lang {
  if (!languageCode) return "it";
  return languageCode.toLowerCase().startsWith("it") ? "it" : "en";
}

export function messages(lang: Lang): Messages {
  return byLang[lang];
}
