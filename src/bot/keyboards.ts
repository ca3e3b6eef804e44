import { InlineKeyboard } from "grammy";
import { nameKey } from "../data/lookup.js";
import type { DataPack } from "../data/pack.js";
import type { Comune } from "../data/schema.js";
import type { Messages } from "../i18n/index.js";

export const PAGE_SIZE = 12;
const CITY = "c:";
const PAGE = "p:";

/** callback_data for a city: at most 64 bytes, as Telegram requires. */
export function cityData(c: Comune): string {
  return CITY + nameKey(c.name).slice(0, 62);
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
export function cityOrder(pack: DataPack): Comune[] {
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

export function suggestionKeyboard(comuni: readonly Comune[]): InlineKeyboard | undefined {
  if (!comuni.length) return undefined;
  const kb = new InlineKeyboard();
  for (const c of comuni) kb.text(c.name, cityData(c)).row();
  return kb;
}
