/**
 * /ballottaggi: before the runoff, every pair with its first-round figures; once the runoff's day has
 * come, who was elected (and where nobody was). Then the comuni decided at the first round.
 */
import type { Stage } from "../data/certainty.js";
import type { ResultComune } from "../data/places.js";
import { byRelevance } from "../data/places.js";
import type { DerivedOutcome } from "../data/rules.js";
import { settledFirstRound, settledRunoff } from "../data/settled.js";
import { roundStanding, standingWords } from "../data/standing.js";
import { type Html, escapeHtml as h, html, joinHtml } from "../format/html.js";
import { formatPercent } from "../format/italian.js";
import { coverageLine, showsRunoff } from "./city.js";
import { dayName, reached, type ViewContext } from "./common.js";

/** "centrodestra" of "centrodestra: Lega Nord, Forza Italia, …": the coalition without its lists. */
export function shortCoalition(coalition: string): string {
  const i = coalition.indexOf(":");
  return i > 0 ? coalition.slice(0, i).trim() : coalition;
}

/**
 * "Marco Bucci (centrodestra, 38,8%)": a candidate with the round's coalition and share. A sole
 * candidate has no share: "Pietro Savona, unico candidato: 14.536 voti · affluenza 26,75%, …".
 */
function who(c: ResultComune, stage: Stage, name: string, v: ViewContext, coalition = true): Html {
  const lang = v.t.lang;
  const standing = roundStanding(c.results, stage, v.pack.election.rules);
  if (standing?.sole?.candidate.name === name) {
    const w = standingWords(standing, v.t.results, lang);
    return html`<b>${h(name)}</b>${h([`, ${w.figures}`, ...w.quorum].join(" · "))}`;
  }
  const round = stage === "first" ? c.results.firstRound : c.results.runoff!;
  const k = round.candidates.find((x) => x.name === name);
  const extra = [
    coalition && k?.coalition ? shortCoalition(k.coalition) : undefined,
    k?.percent !== undefined ? formatPercent(k.percent, lang) : undefined,
  ];
  const shown = extra.filter(Boolean);
  return html`<b>${h(name)}</b>${shown.length ? h(` (${shown.join(", ")})`) : ""}`;
}

export interface RunoffEntry {
  comune: ResultComune;
  /** The pair the first round sent to the runoff. */
  pair: [string, string];
  /** The runoff's outcome, once its day has come and it is in the data. */
  outcome?: DerivedOutcome;
}

/** Every comune whose first round ends in a runoff, in the pack's order. */
export function runoffsOf(v: Pick<ViewContext, "pack" | "now" | "t">): RunoffEntry[] {
  const rules = v.pack.election.rules;
  return v.pack.comuni.flatMap((c): RunoffEntry[] => {
    const o = settledFirstRound(c.results, rules);
    if (o.kind !== "runoff") return [];
    const outcome = showsRunoff(c, v as ViewContext) ? settledRunoff(c.results, rules) : undefined;
    return [{ comune: c, pair: o.candidates, ...(outcome ? { outcome } : {}) }];
  });
}

/** At most this many comuni elected at the first round are listed by name. */
export const ELECTED_LISTED = 40;

/** A comune's name and province; a feed comune the index lacks has no province, and none is shown. */
const place = (c: ResultComune) =>
  c.province ? html`🏛 <b>${h(c.name)}</b> (${h(c.province)})` : html`🏛 <b>${h(c.name)}</b>`;

/** Every runoff with its pair (or its result), then the comuni decided at the first round. Returns blocks. */
export function runoffsView(v: ViewContext): Html[] {
  const { election } = v.pack;
  const rules = election.rules;
  const r = v.t.results;
  const runoffs = runoffsOf(v);
  const blocks = [v.t.runoffsTitle(dayName(election.runoffDate, v.t, true))];
  if (!runoffs.length) blocks.push(v.t.noRunoffs);

  const pending = runoffs.filter((x) => !x.outcome);
  const pairs = pending.map(
    ({ comune: c, pair }) =>
      html`${place(c)}\n${who(c, "first", pair[0], v)} ${h(v.t.versus)} ${who(c, "first", pair[1], v)}`,
  );
  // After the runoff's day the pairs still without a result are a short list under their own heading.
  if (reached(election.runoffDate, v) && pending.length < runoffs.length) {
    const won = runoffs.flatMap(({ comune: c, pair, outcome: o }) => {
      if (o?.kind !== "elected") return [];
      const loser = pair.find((n) => n !== o.candidate && c.results.runoff!.candidates.some((k) => k.name === n));
      return [
        html`${place(c)}: ${r.runoffWon(who(c, "runoff", o.candidate, v, false), loser ? who(c, "runoff", loser, v, false) : undefined)}`,
      ];
    });
    // Where nobody was elected: why (the quorum a sole candidate missed), the figures that decided it, the note.
    const voids = runoffs.flatMap(({ comune: c, outcome: o }) => {
      if (o?.kind !== "void") return [];
      const standing = roundStanding(c.results, "runoff", rules);
      const w = standing && standingWords(standing, r, v.t.lang);
      const why = w ? [...(w.reason ? [w.reason] : []), ...(w.candidate ? [w.candidate] : []), ...w.quorum] : [];
      return [
        html`${place(c)}${why.length ? h(`: ${why.join(" · ")}`) : ""}${o.note ? html`\n<i>${h(o.note)}</i>` : ""}`,
      ];
    });
    const open = runoffs.flatMap(({ comune: c, outcome: o }) =>
      o && o.kind !== "elected" && o.kind !== "void" ? [html`${place(c)}: ${v.t.outcomeUndecided}`] : [],
    );
    if (won.length) blocks.push(joinHtml([r.electedAtRunoff, ...won], "\n"));
    if (voids.length) blocks.push(joinHtml([r.runoffsVoid, ...voids], "\n"));
    if (open.length || pairs.length) blocks.push(joinHtml([r.runoffsPending, ...open, ...pairs], "\n"));
  } else {
    blocks.push(...pairs);
  }

  // With the Ministry's feed most of a thousand comuni elect at the first round: the capoluoghi first,
  // then as many as a short list holds, and how many more /citta can show.
  const electedComuni = v.pack.comuni.flatMap((c) => {
    const o = settledFirstRound(c.results, rules);
    return o.kind === "elected" ? [{ c, o }] : [];
  });
  const shown =
    electedComuni.length > ELECTED_LISTED ? [...electedComuni].sort((a, b) => byRelevance(a.c, b.c)) : electedComuni;
  const elected = shown
    .slice(0, ELECTED_LISTED)
    .map(({ c, o }) => html`${place(c)}: ${who(c, "first", o.candidate, v)}`);
  if (electedComuni.length > ELECTED_LISTED)
    elected.push(v.t.results.andMoreComuni(electedComuni.length - ELECTED_LISTED));
  if (elected.length) blocks.push(joinHtml([v.t.electedFirstRound, ...elected], "\n"));
  // The data holds fewer runoffs than the election had (only the capoluoghi's results): say so.
  const total = election.runoffComuniVoting;
  const covers = coverageLine(v);
  if (total !== undefined && runoffs.length < total && covers)
    blocks.push(joinHtml([v.t.runoffsPartial(runoffs.length, total), covers], "\n"));
  return blocks;
}
