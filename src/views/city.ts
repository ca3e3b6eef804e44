import { outcomeOf, rankCandidates } from "../data/rules.js";
import type { Comune } from "../data/schema.js";
import { escapeHtml as h } from "../format/html.js";
import { formatInteger, formatPercent } from "../format/italian.js";
import { bar, dayName, type ViewContext } from "./common.js";

/** Outcome line and its reason, from the rules and the data. */
export function outcomeLines(c: Comune, v: ViewContext): string[] {
  const { election } = v.pack;
  const o = outcomeOf(c, election.rules);
  const pop = formatInteger(election.rules.runoffPopulationThreshold);
  const threshold = "threshold" in o ? o.threshold : undefined;
  const why = h(
    v.t.reason(o.reason, {
      threshold: threshold !== undefined ? formatPercent(threshold) : undefined,
      population: pop,
      region: c.region,
    }),
  );
  const head =
    o.kind === "elected"
      ? v.t.outcomeElected(h(o.candidate))
      : o.kind === "runoff"
        ? v.t.outcomeRunoff(h(o.candidates[0]), h(o.candidates[1]), h(dayName(election.runoffDate, v.t)))
        : v.t.outcomeUndecided;
  return [head, `<i>${why}</i>`];
}

export function cityTitle(c: Comune, v: ViewContext): string {
  const tags = [`(${c.province})`, h(c.region), ...(c.capoluogo ? [v.t.capoluogo] : [])];
  return `🏛 <b>${h(c.name)}</b> ${tags.join(" · ")}`;
}

export function turnoutLine(c: Comune, v: ViewContext): string {
  if (!c.turnout.length) return v.t.noCityTurnout(h(c.name));
  const points = c.turnout.map(
    (x) =>
      `${x.at} <b>${formatPercent(x.percent)}</b>${x.previousPercent !== undefined ? ` (${formatPercent(x.previousPercent)})` : ""}`,
  );
  return `🗳 ${v.t.turnoutForCity}: ${points.join(" · ")}`;
}

/** The city card: candidates by share with coalition, outcome with its reason, turnout. */
export function cityCard(c: Comune, v: ViewContext): string {
  const lines = [cityTitle(c, v), h(v.t.firstRoundOf(dayName(v.pack.election.firstRoundDate, v.t, true))), ""];
  rankCandidates(c.candidates).forEach((k, i) => {
    const share =
      k.percent !== undefined
        ? `<b>${formatPercent(k.percent)}</b>  <code>${bar(k.percent)}</code>`
        : `<i>${v.t.noPercent}</i>`;
    lines.push(`${i + 1}. <b>${h(k.name)}</b> — ${share}`);
    const sub = [k.coalition, k.note].filter(Boolean).map((x) => h(x!));
    if (sub.length) lines.push(`    ${sub.join(" · ")}`);
  });
  lines.push("", ...outcomeLines(c, v), "", turnoutLine(c, v));
  return lines.join("\n");
}
