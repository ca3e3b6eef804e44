import { outcomeOf } from "../data/rules.js";
import type { Comune } from "../data/schema.js";
import { escapeHtml as h } from "../format/html.js";
import { formatPercent } from "../format/italian.js";
import { dayName, type ViewContext } from "./common.js";

function who(c: Comune, name: string): string {
  const k = c.candidates.find((x) => x.name === name);
  const extra = [k?.coalition, k?.percent !== undefined ? formatPercent(k.percent) : undefined].filter(Boolean);
  return `<b>${h(name)}</b>${extra.length ? ` (${h(extra.join(", "))})` : ""}`;
}

export function runoffsOf(v: Pick<ViewContext, "pack">): { comune: Comune; pair: [string, string] }[] {
  const rules = v.pack.election.rules;
  return v.pack.comuni.flatMap((c) => {
    const o = outcomeOf(c, rules);
    return o.kind === "runoff" ? [{ comune: c, pair: o.candidates }] : [];
  });
}

/** Every runoff with its pair and date, then the comuni decided at the first round. Returns blocks. */
export function runoffsView(v: ViewContext): string[] {
  const rules = v.pack.election.rules;
  const runoffs = runoffsOf(v);
  const blocks = [v.t.runoffsTitle(h(dayName(v.pack.election.runoffDate, v.t, true)))];
  if (!runoffs.length) blocks.push(v.t.noRunoffs);
  for (const { comune: c, pair } of runoffs) {
    blocks.push(`🏛 <b>${h(c.name)}</b> (${c.province})\n${who(c, pair[0])} ${v.t.versus} ${who(c, pair[1])}`);
  }
  const elected = v.pack.comuni.flatMap((c) => {
    const o = outcomeOf(c, rules);
    return o.kind === "elected" ? [`🏛 <b>${h(c.name)}</b> (${c.province}): ${who(c, o.candidate)}`] : [];
  });
  if (elected.length) blocks.push([v.t.electedFirstRound, ...elected].join("\n"));
  return blocks;
}
