import type { DataPack } from "../data/pack.js";
import { dateFormatter } from "../format/italian.js";
import type { Messages } from "../i18n/index.js";

export interface ViewContext {
  pack: DataPack;
  t: Messages;
  now: Date;
}

/** A ten-cell bar for a percentage: ▓▓▓▓░░░░░░. */
export function bar(percent: number, cells = 10): string {
  const full = Math.max(0, Math.min(cells, Math.round((percent / 100) * cells)));
  return "▓".repeat(full) + "░".repeat(cells - full);
}

/** "domenica 25 giugno" for the interface language. */
export function dayName(isoDay: string, t: Messages, withYear = false): string {
  const date = new Date(`${isoDay}T12:00:00Z`);
  return dateFormatter(t.locale, {
    timeZone: "UTC",
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(withYear ? { year: "numeric" } : {}),
  }).format(date);
}
