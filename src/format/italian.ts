/** Numbers, percentages and times as Italians write them. */

const percentFmt = new Intl.NumberFormat("it-IT", { maximumFractionDigits: 2, minimumFractionDigits: 0 });

/** 9172026 -> "9.172.026" (thousands separated also for four-digit numbers: 1.004). */
export function formatInteger(n: number): string {
  // it-IT leaves four-digit numbers ungrouped; news copy groups them, so group by hand.
  const s = Math.round(Math.abs(n)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return n < 0 ? `-${s}` : s;
}

/** 38.8 -> "38,8%", 33.39 -> "33,39%", 67 -> "67%". */
export function formatPercent(p: number): string {
  return `${percentFmt.format(p)}%`;
}

/** Percentage-point difference with its sign: -5.5 -> "−5,5". */
export function formatPointsDelta(delta: number): string {
  // The sign follows the figure as shown (two decimals): float noise like 1e-15 reads "±0", not "+0".
  const shown = Math.round(Math.abs(delta) * 100) / 100;
  const sign = shown === 0 ? "±" : delta > 0 ? "+" : "−";
  return `${sign}${percentFmt.format(shown)}`;
}

function parts(date: Date, timeZone: string, opts: Intl.DateTimeFormatOptions, locale = "it-IT"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat(locale, { timeZone, ...opts }).formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** "23:15" in the given time zone. */
export function formatTime(date: Date, timeZone = "Europe/Rome"): string {
  const p = parts(date, timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return `${p.hour}:${p.minute}`;
}

/** Calendar day key "2017-06-11" in the given time zone. */
export function dayKey(date: Date, timeZone = "Europe/Rome"): string {
  const p = parts(date, timeZone, { year: "numeric", month: "2-digit", day: "2-digit" }, "en-CA");
  return `${p.year}-${p.month}-${p.day}`;
}

/** "domenica 11 giugno 2017" (or the English equivalent). */
export function formatLongDate(isoDay: string, locale = "it-IT"): string {
  const date = new Date(`${isoDay}T12:00:00Z`);
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(date);
}

/**
 * A bulletin's time: "23:15" when it is today in that time zone,
 * "11/06 23:15" in the same year, "11/06/2017 23:15" otherwise.
 */
export function formatStamp(date: Date, now: Date, timeZone = "Europe/Rome"): string {
  const time = formatTime(date, timeZone);
  const d = dayKey(date, timeZone);
  const today = dayKey(now, timeZone);
  if (d === today) return time;
  const [y, m, dd] = d.split("-");
  return d.slice(0, 4) === today.slice(0, 4) ? `${dd}/${m} ${time}` : `${dd}/${m}/${y} ${time}`;
}
