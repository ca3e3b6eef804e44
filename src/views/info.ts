/** /info: the election at a glance — dates, comuni, voters, hours, the rules (regional ones too) and, once known, how it ended. */
import { settledFirstRound, settledRunoff } from "../data/settled.js";
import { escapeHtml as h } from "../format/html.js";
import { formatInteger, formatPercent } from "../format/italian.js";
import { showsRunoff } from "./city.js";
import { dayName, type ViewContext } from "./common.js";

/** How the comuni with results ended: elected at the first round, at the runoff, no mayor, still open. */
function outcomesLine(v: ViewContext): string | undefined {
  const { comuni, election } = v.pack;
  if (!comuni.length) return undefined;
  let firstRound = 0;
  let toRunoff = 0;
  let runoff = 0;
  let pending = 0;
  const voids: string[] = [];
  for (const c of comuni) {
    const first = settledFirstRound(c.results, election.rules);
    if (first.kind === "elected") firstRound++;
    else if (first.kind === "runoff" && showsRunoff(c, v)) {
      const o = settledRunoff(c.results, election.rules)!;
      if (o.kind === "elected") runoff++;
      else if (o.kind === "void") voids.push(h(c.name));
      else pending++;
    } else if (first.kind === "runoff") toRunoff++;
    else if (first.kind === "void") voids.push(h(c.name));
    else pending++;
  }
  return v.t.results.infoOutcomes({
    comuni: comuni.length,
    capoluoghi: comuni.filter((c) => c.capoluogo).length,
    firstRound,
    toRunoff,
    runoffDay: h(dayName(election.runoffDate, v.t)),
    runoff,
    voids,
    pending,
  });
}

export function infoView(v: ViewContext): string {
  const e = v.pack.election;
  const threshold = formatInteger(e.rules.runoffPopulationThreshold);
  const regional = Object.entries(e.rules.regions).map(([region, r]) =>
    h(
      v.t.regionalRule({
        region,
        percent: formatPercent(r.firstRoundPercent ?? e.rules.majorityPercent),
        threshold: formatInteger(r.runoffPopulationThreshold ?? e.rules.runoffPopulationThreshold),
        inclusive: r.firstRoundInclusive,
        ...(r.law ? { law: r.law } : {}),
      }),
    ),
  );
  const lines = [
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
  ];
  if (e.runoffComuniVoting !== undefined)
    lines.push("", v.t.results.infoRunoffComuni(formatInteger(e.runoffComuniVoting)));
  const outcomes = outcomesLine(v);
  if (outcomes) lines.push("", outcomes);
  return lines.join("\n");
}
