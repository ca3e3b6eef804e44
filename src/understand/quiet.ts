/**
 * Quiet hours for /silenzioso: a daily window, in the election's time zone, when pushes arrive
 * without sound. Reads what people write ("23-7", "23:30-07:00", "dalle 23 alle 7", "11pm-7am",
 * "off") and says clearly what is wrong when it cannot.
 */
import { quoteUser } from "../format/html.js";
import type { Lang } from "../i18n/messages.js";
import { fold } from "./text.js";

/** A daily window [start, end) in minutes after midnight; start > end runs over midnight (23:00–07:00). */
export interface QuietWindow {
  kind: "window";
  /** 0–1439. */
  start: number;
  /** 0–1439; never equal to start. */
  end: number;
}

/** Quiet hours turned off. */
export interface QuietOff {
  kind: "off";
}

export type QuietHours = QuietWindow | QuietOff;

/** Why a text is not a window. */
export type QuietHoursError =
  /** Nothing was given. */
  | "empty"
  /** Not two times ("23", "stanotte", "23-7-9"). */
  | "format"
  /** An hour past 23 (or past 12 with am/pm); 24 is allowed as an end (midnight). */
  | "hour"
  /** Minutes past 59. */
  | "minute"
  /** The start and the end are the same time: the window would be empty. */
  | "same";

export type QuietHoursResult = { ok: true; value: QuietHours } | { ok: false; error: QuietHoursError };

const OFF = new Set([
  "off",
  "no",
  "nessuno",
  "nessuna",
  "mai",
  "disattiva",
  "disattivato",
  "disattivate",
  "spento",
  "spenti",
  "spegni",
  "togli",
  "basta",
  "stop",
  "none",
  "never",
  "disable",
  "disabled",
  "cancel",
]);

const TIME = String.raw`(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)?`;
const FROM = String.raw`(?:(?:dalle|dall'|dalla|da|from|tra le|tra|between)\s*)?(?:(?:le|ore)\s+)?`;
// Two times need something between them: "237" is not 23–7.
const TO = String.raw`(?:\s*(?:-|–|—|/|>)\s*|\s+(?:alle|all'|a|fino alle|to|till|until|and|e)\s+|\s+)(?:(?:le|ore)\s+)?`;
const WINDOW = new RegExp(`^${FROM}${TIME}${TO}${TIME}(?:\\s*(?:ore|h))?$`);

/**
 * Reads quiet hours: "23-7", "23:30-07:00", "23.30 - 7", "dalle 23 alle 7", "from 11pm to 7am",
 * "22–6", "off" / "no" / "disattiva". A window from 23 to 7 runs over midnight. 24 means midnight as
 * an end ("20-24"). Never throws.
 */
export function parseQuietHours(text: string): QuietHoursResult {
  const t = fold(text)
    .replace(/[.!?]+$/, "")
    .replace(/\s+/g, " ")
    .trim();
  if (!t) return { ok: false, error: "empty" };
  // "off", "disattiva", "spegni il silenzio": a word of turning off, and no time.
  if (!/\d/.test(t) && OFF.has(t.split(" ")[0]!)) return { ok: true, value: { kind: "off" } };
  const m = WINDOW.exec(t);
  if (!m) return { ok: false, error: "format" };
  const start = minutes(m[1]!, m[2], m[3], false);
  const end = minutes(m[4]!, m[5], m[6], true);
  if (typeof start === "string") return { ok: false, error: start };
  if (typeof end === "string") return { ok: false, error: end };
  if (start === end) return { ok: false, error: "same" };
  return { ok: true, value: { kind: "window", start, end } };
}

function minutes(h: string, m: string | undefined, meridiem: string | undefined, isEnd: boolean) {
  let hour = Number(h);
  const minute = m === undefined ? 0 : Number(m);
  if (minute > 59) return "minute" as const;
  if (meridiem) {
    if (hour < 1 || hour > 12) return "hour" as const;
    hour = (hour % 12) + (meridiem.startsWith("p") ? 12 : 0);
  }
  if (hour === 24 && minute === 0 && isEnd) hour = 0;
  if (hour > 23) return "hour" as const;
  return hour * 60 + minute;
}

/** Whether a minute of the day (0–1439, in the election's time zone) falls inside quiet hours. */
export function isQuietAt(hours: QuietHours | undefined, minuteOfDay: number): boolean {
  if (!hours || hours.kind === "off") return false;
  const { start, end } = hours;
  return start < end ? minuteOfDay >= start && minuteOfDay < end : minuteOfDay >= start || minuteOfDay < end;
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** The window as people read it, the same in both languages: "23:00–07:00". */
export function formatQuietWindow(w: QuietWindow): string {
  return `${hhmm(w.start)}–${hhmm(w.end)}`;
}

/**
 * What to answer when the window cannot be read, in HTML, with an example. `input` is echoed safely
 * (escaped, shortened to 40 characters).
 */
export function quietHoursErrorText(lang: Lang, error: QuietHoursError, input = ""): string {
  const shown = quoteUser(input, 40);
  const it: Record<QuietHoursError, string> = {
    empty: "Scrivi le ore di silenzio, per esempio <code>/silenzioso 23-7</code>, oppure <code>/silenzioso off</code>.",
    format: `Non capisco «${shown}». Scrivi l'inizio e la fine, per esempio <code>23-7</code> o <code>23:30-07:00</code>.`,
    hour: `«${shown}»: le ore vanno da 0 a 23. Per esempio <code>23-7</code>.`,
    minute: `«${shown}»: i minuti vanno da 00 a 59. Per esempio <code>23:30-07:00</code>.`,
    same: `«${shown}»: inizio e fine coincidono. Per esempio <code>23-7</code>, o <code>off</code> per disattivare.`,
  };
  const en: Record<QuietHoursError, string> = {
    empty: "Send the quiet hours, for example <code>/silenzioso 23-7</code>, or <code>/silenzioso off</code>.",
    format: `I can't read «${shown}». Send a start and an end, for example <code>23-7</code> or <code>23:30-07:00</code>.`,
    hour: `«${shown}»: hours go from 0 to 23. For example <code>23-7</code>.`,
    minute: `«${shown}»: minutes go from 00 to 59. For example <code>23:30-07:00</code>.`,
    same: `«${shown}»: the start and the end are the same. For example <code>23-7</code>, or <code>off</code> to turn them off.`,
  };
  return (lang === "it" ? it : en)[error];
}
