/** Inline keyboards: the paged list of comuni and the suggestions for a name that matched several or none. */
import { InlineKeyboard } from "grammy";
import { nameKey } from "../data/lookup.js";
import type { DataPack } from "../data/pack.js";
import type { KnownComune, ResultComune } from "../data/places.js";
import type { Messages } from "../i18n/index.js";
import { cityData } from "./callback-data/city.js";
import { cityPageData } from "./callback-data/city-page.js";

export const PAGE_SIZE = 12;

/** A comune's button: its ISTAT code (homonyms differ), else its name's key. */
function cityButton(kb: InlineKeyboard, c: KnownComune, text = c.name): InlineKeyboard {
  return kb.text(text, cityData.pack({ key: c.istat ?? c.eligendo ?? nameKey(c.name) }));
}

/** Capoluoghi first, then alphabetical. */
export function cityOrder(pack: DataPack): ResultComune[] {
  return [...pack.comuni].sort(
    (a, b) => Number(b.capoluogo) - Number(a.capoluogo) || a.name.localeCompare(b.name, "it"),
  );
}

export function cityKeyboard(pack: DataPack, page: number, t: Messages): InlineKeyboard {
  const all = cityOrder(pack);
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const kb = new InlineKeyboard();
  all.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE).forEach((c, i) => {
    cityButton(kb, c);
    if (i % 2 === 1) kb.row();
  });
  if (pages > 1) {
    kb.row();
    if (p > 0) kb.text(t.prevPage, cityPageData.pack({ page: p - 1 }));
    if (p < pages - 1) kb.text(t.morePage, cityPageData.pack({ page: p + 1 }));
  }
  return kb;
}

/** One button per comune (two per row when there are many), labelled with the province where names repeat. */
export function suggestionKeyboard(comuni: readonly KnownComune[]): InlineKeyboard | undefined {
  if (!comuni.length) return undefined;
  const perRow = comuni.length > 6 ? 2 : 1;
  const kb = new InlineKeyboard();
  comuni.forEach((c, i) => {
    cityButton(kb, c, c.label);
    if (i % perRow === perRow - 1) kb.row();
  });
  return kb;
}
