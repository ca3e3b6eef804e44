import { InlineKeyboard } from "grammy";
import { nameKey } from "../data/lookup.js";
import type { DataPack } from "../data/pack.js";
import type { KnownComune, ResultComune } from "../data/places.js";
import type { Messages } from "../i18n/index.js";

export const PAGE_SIZE = 12;
const CITY = "c:";
const PAGE = "p:";

/** callback_data for a city: its ISTAT code (homonyms differ), else its name's key; at most 64 bytes. */
export function cityData(c: KnownComune): string {
  return CITY + (c.istat ?? nameKey(c.name).slice(0, 62));
}

export function parseCityData(data: string): string | undefined {
  return data.startsWith(CITY) ? data.slice(CITY.length) : undefined;
}

export function parsePageData(data: string): number | undefined {
  if (!data.startsWith(PAGE)) return undefined;
  const n = Number(data.slice(PAGE.length));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
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
    kb.text(c.name, cityData(c));
    if (i % 2 === 1) kb.row();
  });
  if (pages > 1) {
    kb.row();
    if (p > 0) kb.text(t.prevPage, PAGE + (p - 1));
    if (p < pages - 1) kb.text(t.morePage, PAGE + (p + 1));
  }
  return kb;
}

/** One button per comune (two per row when there are many), labelled with the province where names repeat. */
export function suggestionKeyboard(comuni: readonly KnownComune[]): InlineKeyboard | undefined {
  if (!comuni.length) return undefined;
  const perRow = comuni.length > 6 ? 2 : 1;
  const kb = new InlineKeyboard();
  comuni.forEach((c, i) => {
    kb.text(c.label, cityData(c));
    if (i % perRow === perRow - 1) kb.row();
  });
  return kb;
}
