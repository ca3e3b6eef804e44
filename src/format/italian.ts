/**
 * Numbers, percentages and times as Italians write them (`38,8%`, `9.172.026`, `23:15`); the number
 * functions also write them the English way (`38.8%`, `9,172,026`) for the English interface.
 */
import type { Lang } from "./lang.js";

const percentFmt: Record<Lang, Intl.NumberFormat> = {
  it: new Intl.NumberFormat("it-IT", { maximumFractionDigits: 2, minimumFractionDigits: 0 }),
  en: new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2, minimumFractionDigits: 0 }),
};

/** Thousands separators: "9.172.026" in Italian, "9,172,026" in English. */
const GROUP: Record<Lang, string> = { it: ".", en: "," };

/**
 * 9172026 -> "9.172.026" (thousands separated also for four-digit numbers: 1.004); in English
 * "9,172,026", "1,004".
 */
export function formatInteger(n: number, lang: Lang = "it"): string {
  // it-IT leaves four-digit numbers ungrouped; news copy groups them, so group by hand.
  const s = Math.round(Math.abs(n))
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, GROUP[lang]);
  return n < 0 ? `-${s}` : s;
}

/** 38.8 -> "38,8%", 33.39 -> "33,39%", 67 -> "67%"; in English "38.8%". */
export function formatPercent(p: number, lang: Lang = "it"): string {
  return `${percentFmt[lang].format(p)}%`;
}

/** Percentage-point difference with its sign: -5.5 -> "−5,5" (English "−5.5"). */
export function formatPointsDelta(delta: number, lang: Lang = "it"): string {
  // The sign follows the figure as shown (two decimals): float noise like 1e-15 reads "±0", not "+0".
  const shown = Math.round(Math.abs(delta) * 100) / 100;
  const sign = shown === 0 ? "±" : delta > 0 ? "+" : "−";
  return `${sign}${percentFmt[lang].format(shown)}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A shared Intl.DateTimeFormat: building one costs hundreds of microseconds, using one a few.
 * Keyed by locale and options, of which the bot uses a handful.
 */
export function dateFormatter(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, opts);
    formatters.set(key, f);
  }
  return f;
}

type WallClock = { year: string; month: string; day: string; hour: string; minute: string };
const wallClocks = new Map<string, WallClock>();

/**
 * Year, month, day, hour and minute of an instant in a time zone. formatToParts costs about 10 µs;
 * only minutes are ever shown, so results are remembered per minute (bulletins and "now" repeat).
 */
function wallClock(date: Date, timeZone: string): WallClock {
  const key = `${timeZone}|${Math.floor(date.getTime() / 60_000)}`;
  const hit = wallClocks.get(key);
  if (hit) return hit;
  const out: WallClock = { year: "", month: "", day: "", hour: "", minute: "" };
  const f = dateFormatter("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  for (const p of f.formatToParts(date)) if (p.type in out) out[p.type as keyof WallClock] = p.value;
  if (wallClocks.size >= 4096) wallClocks.clear();
  wallClocks.set(key, out);
  return out;
}

/** "23:15" in the given time zone. */
export function formatTime(date: Date, timeZone = "Europe/Rome"): string {
  const p = wallClock(date, timeZone);
  return `${p.hour}:${p.minute}`;
}

/** Calendar day key "2017-06-11" in the given time zone. */
export function dayKey(date: Date, timeZone = "Europe/Rome"): string {
  const p = wallClock(date, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/**
 * A bulletin's time: "23:15" when it is today in that time zone,
 * "11/06 23:15" in the same year, "11/06/2017 23:15" otherwise.
 */
export function formatStamp(date: Date, now: Date, timeZone = "Europe/Rome"): string {
  const p = wallClock(date, timeZone);
  const today = wallClock(now, timeZone);
  const time = `${p.hour}:${p.minute}`;
  if (p.year === today.year && p.month === today.month && p.day === today.day) return time;
  return p.year === today.year ? `${p.day}/${p.month} ${time}` : `${p.day}/${p.month}/${p.year} ${time}`;
}
