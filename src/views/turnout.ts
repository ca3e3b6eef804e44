import type { TurnoutReading } from "../data/schema.js";
import { escapeHtml as h } from "../format/html.js";
import { formatPercent, formatPointsDelta, formatTime } from "../format/italian.js";
import { bar, dayName, type ViewContext } from "./common.js";

/** For each survey time, the latest reading, with the earlier ones kept as notes. */
export function turnoutTimeline(
  readings: readonly TurnoutReading[],
): { at: string; latest: TurnoutReading; earlier: TurnoutReading[] }[] {
  const byTime = new Map<string, TurnoutReading[]>();
  for (const r of readings) byTime.set(r.at, [...(byTime.get(r.at) ?? []), r]);
  return [...byTime.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([at, list]) => {
      const sorted = [...list].sort((a, b) => Date.parse(a.publishedAt) - Date.parse(b.publishedAt));
      return { at, latest: sorted[sorted.length - 1]!, earlier: sorted.slice(0, -1) };
    });
}

export function turnoutView(v: ViewContext): string {
  const { election, turnout } = v.pack;
  const tz = election.timezone;
  const lines = [
    v.t.turnoutTitle(h(election.name)),
    h(v.t.turnoutPolls(dayName(election.firstRoundDate, v.t, true), election.pollsOpen, election.pollsClose)),
    "",
  ];
  const pct = (r: TurnoutReading) => `${r.approximate ? `${v.t.approx} ` : ""}${formatPercent(r.percent)}`;
  for (const { at, latest, earlier } of turnoutTimeline(turnout.readings)) {
    lines.push(
      `<code>${at} ${bar(latest.percent)}</code> <b>${pct(latest)}</b>${latest.final ? ` — ${v.t.turnoutFinal}` : ""}`,
    );
    const notes: string[] = [];
    if (latest.coverage) notes.push(h(latest.coverage));
    if (latest.previousPercent !== undefined) {
      notes.push(
        v.t.turnoutPrevious(
          formatPercent(latest.previousPercent),
          formatPointsDelta(latest.percent - latest.previousPercent),
        ),
      );
    }
    for (const e of earlier)
      notes.push(h(v.t.turnoutEarlier(pct(e), e.coverage ?? "?", formatTime(new Date(e.publishedAt), tz))));
    if (notes.length) lines.push(`      <i>${notes.join("; ")}</i>`);
  }
  return lines.join("\n");
}
