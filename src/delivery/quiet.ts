/**
 * Quiet hours: a chat may ask for pushes without sound at night (`/silenzioso 23-7`). Whether an
 * instant falls in a chat's quiet hours is read on the election's clock (Europe/Rome), whatever
 * the server's time zone, so that "23-7" means what the people who typed it mean, summer or winter.
 */
import type { QuietHours } from "../store/store.js";

const MINUTES_PER_DAY = 24 * 60;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes after midnight of an instant in a time zone (0–1439), daylight saving included. */
export function minuteOfDay(at: Date, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  let hour = 0;
  let minute = 0;
  for (const p of f.formatToParts(at)) {
    if (p.type === "hour") hour = Number(p.value);
    else if (p.type === "minute") minute = Number(p.value);
  }
  return (hour * 60 + minute) % MINUTES_PER_DAY;
}

/** Whether `at` falls in the quiet hours: from `from` included to `to` excluded, across midnight when `from` > `to`. */
export function isQuietAt(quiet: QuietHours, at: Date, timeZone: string): boolean {
  const m = minuteOfDay(at, timeZone);
  return quiet.from < quiet.to ? m >= quiet.from && m < quiet.to : m >= quiet.from || m < quiet.to;
}

/** "23:00", "07:30": a minute of the day as the clock shows it (the same in Italian and English). */
export function clockTime(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}
