import { escapeHtml as h } from "../format/html.js";
import { formatInteger, formatPercent } from "../format/italian.js";
import { dayName, type ViewContext } from "./common.js";

export function infoView(v: ViewContext): string {
  const e = v.pack.election;
  const threshold = formatInteger(e.rules.runoffPopulationThreshold);
  const regional = Object.entries(e.rules.regionalFirstRoundPercent).map(([region, p]) =>
    v.t.regionalRule(h(region), formatPercent(p), threshold),
  );
  return [
    `${v.t.infoTitle} — ${h(e.name)}`,
    "",
    v.t.infoBody({
      date: h(dayName(e.firstRoundDate, v.t, true)),
      runoff: h(dayName(e.runoffDate, v.t, true)),
      comuni: formatInteger(e.comuniVoting),
      capoluoghi: formatInteger(e.capoluoghiVoting),
      voters: formatInteger(e.voters),
      population: formatInteger(e.population),
      open: e.pollsOpen,
      close: e.pollsClose,
      threshold,
      majority: formatPercent(e.rules.majorityPercent).replace("%", ""),
      regional,
    }),
  ].join("\n");
}
