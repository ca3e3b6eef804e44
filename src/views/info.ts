/** /info: the election at a glance — dates, comuni, voters, hours, the rules (regional ones too) and, once known, how it ended. */
import { settledFirstRound, settledRunoff } from "../data/settled.js";
import { type Html, escapeHtml as h, html, joinHtml } from "../format/html.js";
import { formatInteger, formatPercent } from "../format/italian.js";
import { showsRunoff } from "./city.js";
import { dayName, type ViewContext } from "./common.js";

/** How the comuni with results ended: elected at the first round, at the runoff, no mayor, still open. */
function outcomesLine(v: ViewContext): Html | undefined {
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
      else if (o.kind === "void") voids.push(c.label);
      else pending++;
    } else if (first.kind === "runoff") toRunoff++;
    else if (first.kind === "void") voids.push(c.label);
    else pending++;
  }
  return v.t.results.infoOutcomes({
    comuni: comuni.length,
    capoluoghi: comuni.filter((c) => c.capoluogo).length,
    firstRound,
    toRunoff,
    runoffDay: dayName(election.runoffDate, v.t),
    runoff,
    voids,
    pending,
  });
}

export function infoView(v: ViewContext): Html {
  const e = v.pack.election;
  const threshold = formatInteger(e.rules.runoffPopulationThreshold, v.t.lang);
  const regional = Object.entries(e.rules.regions).map(([region, r]) =>
    v.t.regionalRule({
      region,
      percent: formatPercent(r.firstRoundPercent ?? e.rules.majorityPercent, v.t.lang),
      threshold: formatInteger(r.runoffPopulationThreshold ?? e.rules.runoffPopulationThreshold, v.t.lang),
      inclusive: r.firstRoundInclusive,
      ...(r.law ? { law: r.law } : {}),
    }),
  );
  const lines = [
    html`${v.t.infoTitle} — ${h(e.name)}`,
    html``,
    v.t.infoBody({
      date: dayName(e.firstRoundDate, v.t, true),
      runoff: dayName(e.runoffDate, v.t, true),
      comuni: formatInteger(e.comuniVoting, v.t.lang),
      ...(e.capoluoghiVoting !== undefined ? { capoluoghi: formatInteger(e.capoluoghiVoting, v.t.lang) } : {}),
      ...(e.voters !== undefined ? { voters: formatInteger(e.voters, v.t.lang) } : {}),
      ...(e.provenance?.otherFigures?.voters
        ? {
            votersElsewhere: e.provenance.otherFigures.voters.map((o) => ({
              value: formatInteger(o.value, v.t.lang),
              source: o.source,
            })),
          }
        : {}),
      ...(e.population !== undefined ? { population: formatInteger(e.population, v.t.lang) } : {}),
      open: e.pollsOpen,
      close: e.pollsClose,
      threshold,
      majority: formatPercent(e.rules.majorityPercent, v.t.lang).replace("%", ""),
      regional,
    }),
  ];
  if (e.runoffComuniVoting !== undefined)
    lines.push(html``, v.t.results.infoRunoffComuni(formatInteger(e.runoffComuniVoting, v.t.lang)));
  const outcomes = outcomesLine(v);
  if (outcomes) lines.push(html``, outcomes);
  return joinHtml(lines, "\n");
}
