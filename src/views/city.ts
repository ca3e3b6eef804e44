/**
 * A comune's card: the first round (every candidate, the outcome and its reason, turnout, where the figures
 * come from) and, once the runoff's day has come, the runoff and who was elected. A comune without results
 * gets an honest line instead.
 */
import { staleSince } from "../data/anomalies/index.js";
import type { Stage } from "../data/certainty.js";
import type { RoundResult } from "../data/model.js";
import { hasResults, type KnownComune, type ResultComune } from "../data/places.js";
import { type DerivedOutcome, firstRoundOutcome, rankCandidates, ruleFor, runoffOutcome } from "../data/rules.js";
import { assessRound, counting } from "../data/settled.js";
import { type RoundStanding, roundStanding, standingWords } from "../data/standing.js";
import { type Html, escapeHtml as h, html, joinHtml } from "../format/html.js";
import { formatInteger, formatPercent, formatStamp, formatTime } from "../format/italian.js";
import type { CertainKind } from "../i18n/feed.js";
import { bar, dayName, provenanceLine, reached, type ViewContext } from "./common.js";
import { seatsCityLine } from "./seats.js";

/** Title line: name, province, region, capoluogo; what is not known (a feed comune's province) is left out. */
export function cityTitle(c: KnownComune, v: ViewContext): Html {
  const tags = [c.province ? `(${c.province})` : "", c.region, c.capoluogo ? v.t.capoluogo : ""].filter(Boolean);
  return tags.length ? html`🏛 <b>${h(c.name)}</b> ${h(tags.join(" · "))}` : html`🏛 <b>${h(c.name)}</b>`;
}

/** The reason an outcome has, in words, from the rules that applied. */
export function reasonLine(o: DerivedOutcome, c: KnownComune, v: ViewContext): Html {
  const applied = ruleFor(c.region, v.pack.election.rules);
  // An undecided outcome names no threshold: the one the region applies.
  const threshold = formatPercent(
    "threshold" in o && o.threshold !== undefined ? o.threshold : applied.firstRoundPercent,
    v.t.lang,
  );
  const regional = "region" in o && o.region !== undefined;
  return html`<i>${h(
    v.t.reason(o.reason, {
      threshold,
      population: formatInteger(applied.runoffPopulationThreshold, v.t.lang),
      region: c.region,
      inclusive: applied.firstRoundInclusive,
      ...(regional ? { regional: { ...(applied.regional?.law ? { law: applied.regional.law } : {}) } } : {}),
    }),
  )}</i>`;
}

/**
 * The candidates, most voted first: share with a bar, votes, coalition. A sole candidate has no share
 * to show: "unico candidato: 14.536 voti", then the turnout against the quorum that decided the round.
 */
export function candidateLines(round: RoundResult, v: ViewContext, standing?: RoundStanding): Html[] {
  const lines: Html[] = [];
  const sole = standing?.sole && standingWords(standing, v.t.results, v.t.lang);
  rankCandidates(round.candidates).forEach((k, i) => {
    const sub = [k.coalition, k.note].filter(Boolean).join(" · ");
    if (sole?.figures) {
      lines.push(html`${i + 1}. <b>${h(k.name)}</b> — <i>${h(sole.figures)}</i>`);
      if (sub) lines.push(html`    ${h(sub)}`);
      for (const q of sole.quorum) lines.push(html`    🗳 ${h(q)}`);
      return;
    }
    const share =
      k.percent !== undefined
        ? html`<b>${h(formatPercent(k.percent, v.t.lang))}</b>  <code>${h(bar(k.percent))}</code>`
        : html`<i>${h(v.t.noPercent)}</i>`;
    const votes = k.votes !== undefined ? h(` · ${v.t.results.votes(formatInteger(k.votes, v.t.lang))}`) : "";
    lines.push(html`${i + 1}. <b>${h(k.name)}</b> — ${share}${votes}`);
    if (sub) lines.push(html`    ${h(sub)}`);
  });
  return lines;
}

/** A round's own turnout: the readings of the day where there are some, else the final figure. */
function roundTurnout(round: RoundResult, v: ViewContext): Html | undefined {
  if (round.turnout.length) {
    const points = round.turnout.map(
      (x) =>
        html`${h(x.at)} <b>${h(x.percent !== undefined ? formatPercent(x.percent, v.t.lang) : v.t.noPercent)}</b>${
          x.previousPercent !== undefined ? h(` (${formatPercent(x.previousPercent, v.t.lang)})`) : ""
        }`,
    );
    return html`🗳 ${h(v.t.turnoutForCity)}: ${joinHtml(points, " · ")}`;
  }
  if (round.turnoutPercent === undefined) return undefined;
  const prev =
    round.previousTurnoutPercent !== undefined ? formatPercent(round.previousTurnoutPercent, v.t.lang) : undefined;
  return v.t.results.turnout(formatPercent(round.turnoutPercent, v.t.lang), prev);
}

/** Whether to show the comune's runoff: it is in the data and its day has come. */
export function showsRunoff(c: ResultComune, v: ViewContext): boolean {
  return c.results.runoff !== undefined && reached(c.results.runoff.date, v);
}

/**
 * While a round is counted: "in testa" until the sections left can no longer change a call, then the
 * call ("certo: ballottaggio tra X e Y") with the sections it became certain at.
 */
export function countingLines(c: ResultComune, stage: Stage, v: ViewContext): Html[] {
  const a = assessRound(c.results, stage, v.pack.election.rules);
  if (!a) return [];
  const call = a.call;
  if (call.status !== "certain") return [v.t.feed.leading(a.leaders)];
  let kind: CertainKind;
  if (call.kind === "elected")
    kind =
      call.reason === "runoff-round"
        ? "runoff-won"
        : call.reason === "single-round"
          ? "elected"
          : "elected-first-round";
  else kind = call.kind;
  const threshold = call.kind === "elected" ? undefined : formatPercent(call.threshold, v.t.lang);
  const lines = [v.t.feed.certain(kind, call.candidates, threshold)];
  if (call.atSections)
    lines.push(
      v.t.feed.certainAt(
        formatInteger(call.atSections.counted, v.t.lang),
        formatInteger(call.atSections.total, v.t.lang),
      ),
    );
  return lines;
}

/**
 * While the anomaly gate holds a comune: since when, and what is being checked. `shown`: the figures
 * above are the last good ones; false when there are none to show.
 */
export function heldLine(c: KnownComune, v: ViewContext, shown: boolean): Html | undefined {
  const live = c.live;
  if (!live?.held) return undefined;
  const since = live.heldSince ? formatStamp(new Date(live.heldSince), v.now, v.pack.election.timezone) : undefined;
  const what = (live.checking ?? []).map((code) => v.t.feed.checking[code]);
  return v.t.feed.inVerification(since, what, shown);
}

/** What the live feed says of a round beyond its figures: held by the anomaly gate, or not moving. */
export function liveLines(c: KnownComune, stage: Stage, v: ViewContext): Html[] {
  const live = c.live;
  if (!live || live.round !== stage) return [];
  const lines: Html[] = [];
  const held = heldLine(c, v, true);
  if (held) lines.push(held);
  const since = staleSince(live.changedAt, v.now, live.countingOpen, live.staleMinutes);
  if (since) lines.push(v.t.feed.staleSince(formatTime(since, v.pack.election.timezone)));
  return lines;
}

/** The first round's outcome line and its reason (while counting: who leads, or what is certain). */
export function outcomeLines(c: ResultComune, v: ViewContext): Html[] {
  if (counting(c.results.firstRound)) return countingLines(c, "first", v);
  const { election } = v.pack;
  const o = firstRoundOutcome(c.results, election.rules);
  let head: Html;
  if (o.kind === "elected") head = v.t.outcomeElected(o.candidate);
  else if (o.kind === "runoff") {
    const [a, b] = o.candidates;
    head = showsRunoff(c, v)
      ? v.t.results.wentToRunoff(a, b)
      : v.t.outcomeRunoff(a, b, dayName(c.results.runoff?.date ?? election.runoffDate, v.t));
  } else if (o.kind === "void") head = v.t.results.runoffVoid;
  else head = v.t.outcomeUndecided;
  const lines = [head, reasonLine(o, c, v)];
  if (o.kind === "void" && o.note) lines.push(html`<i>${h(o.note)}</i>`);
  if (o.kind === "runoff" && reached(c.results.runoff?.date ?? election.runoffDate, v) && !c.results.runoff)
    lines.push(html`<i>${h(v.t.results.runoffNotInData)}</i>`);
  return lines;
}

/** The runoff's outcome and its reason (while counting: who leads, or what is certain). */
export function runoffOutcomeLines(c: ResultComune, v: ViewContext): Html[] {
  const r = c.results.runoff;
  if (!r) return [];
  if (counting(r)) return countingLines(c, "runoff", v);
  const lines: Html[] = [];
  const o = runoffOutcome(c.results, v.pack.election.rules)!;
  if (o.kind === "elected") lines.push(v.t.results.runoffElected(o.candidate));
  else if (o.kind === "void") lines.push(v.t.results.runoffVoid);
  else lines.push(v.t.outcomeUndecided);
  // "The most voted wins" goes without saying; every other reason is worth a line.
  if (o.reason !== "runoff-most-votes") lines.push(reasonLine(o, c, v));
  if (o.kind === "void" && o.note) lines.push(html`<i>${h(o.note)}</i>`);
  return lines;
}

/** The runoff's block: candidates, who was elected (or why nobody was), turnout, source. */
export function runoffLines(c: ResultComune, v: ViewContext): Html[] {
  const r = c.results.runoff;
  if (!r) return [];
  const lines = [
    html`<b>${h(v.t.results.runoffOf(dayName(r.date, v.t, true)))}</b>`,
    html``,
    ...candidateLines(r, v, roundStanding(c.results, "runoff", v.pack.election.rules)),
    html``,
  ];
  lines.push(...runoffOutcomeLines(c, v));
  if (r.note) lines.push(html`ℹ️ <i>${h(r.note)}</i>`);
  const turnout = roundTurnout(r, v);
  if (turnout) lines.push(turnout);
  lines.push(provenanceLine(r.provenance, v, r.sections), ...liveLines(c, "runoff", v));
  return lines;
}

/** The first round's block: candidates, outcome and reason, a fact worth knowing, turnout, source. */
export function firstRoundLines(c: ResultComune, v: ViewContext): Html[] {
  const f = c.results.firstRound;
  const lines = [
    h(v.t.firstRoundOf(dayName(f.date, v.t, true))),
    html``,
    ...candidateLines(f, v, roundStanding(c.results, "first", v.pack.election.rules)),
    html``,
  ];
  lines.push(...outcomeLines(c, v));
  if (f.note) lines.push(html`ℹ️ <i>${h(f.note)}</i>`);
  lines.push(html``, roundTurnout(f, v) ?? v.t.noCityTurnout(c.name), provenanceLine(f.provenance, v, f.sections));
  lines.push(...liveLines(c, "first", v));
  return lines;
}

/** The city card: after the runoff's day, the runoff first (who governs), then the first round. */
export function cityCard(c: ResultComune, v: ViewContext): Html {
  const runoff = showsRunoff(c, v) ? [...runoffLines(c, v), html``] : [];
  return joinHtml([cityTitle(c, v), ...runoff, ...firstRoundLines(c, v)], "\n");
}

/** What the pack can say of a comune without results: not voting, voting without results yet, or nothing. */
export function noResultsLine(c: KnownComune, v: ViewContext): Html {
  const r = v.t.results;
  // Figures arrived, but the anomaly gate holds them: none is shown until checked.
  const held = heldLine(c, v, false);
  if (held) return held;
  if (c.voting) return r.votingNoResults(c.label);
  if (v.pack.election.votingListComplete) return r.notVoting(c.label);
  const covers = coverageLine(v);
  return covers ? html`${r.noResults(c.label)}\n${covers}` : r.noResults(c.label);
}

/**
 * What the loaded results cover, in one line, where they are fewer than the comuni voting and the pack
 * does not know the list of those voting: "i risultati caricati sono quelli dei 25 capoluoghi, su 1.004
 * comuni al voto". Undefined where the data is complete, or with the Ministry's live feed.
 */
export function coverageLine(v: ViewContext): Html | undefined {
  const e = v.pack.election;
  const results = v.pack.comuni.length;
  if (v.live || e.votingListComplete || results >= e.comuniVoting) return undefined;
  const capoluoghi = v.pack.comuni.filter((c) => c.capoluogo).length;
  return v.t.coverage({ results, capoluoghi, voting: e.comuniVoting });
}

/** The answer to /citta for any known comune: its card, or an honest line. */
export function comuneAnswer(c: KnownComune, v: ViewContext): Html {
  if (!hasResults(c)) return html`${cityTitle(c, v)}\n${noResultsLine(c, v)}`;
  // The council, in one line, once the count is complete and the law's allocation is known (/seggi).
  const seats = seatsCityLine(c, v);
  return seats ? html`${cityCard(c, v)}\n\n${seats}` : cityCard(c, v);
}

/** /affluenza for one comune: each round's turnout (the runoff once its day has come), with its source. */
export function cityTurnoutView(c: KnownComune, v: ViewContext): Html {
  if (!hasResults(c)) return html`${cityTitle(c, v)}\n${noResultsLine(c, v)}`;
  const lines = [cityTitle(c, v)];
  const f = c.results.firstRound;
  const first = roundTurnout(f, v);
  lines.push(h(v.t.firstRoundOf(dayName(f.date, v.t, true))), first ?? v.t.noCityTurnout(c.name));
  if (first) lines.push(provenanceLine(f.turnoutProvenance ?? f.provenance, v, f.sections));
  const r = c.results.runoff;
  if (r && showsRunoff(c, v)) {
    const turnout = roundTurnout(r, v);
    lines.push(html``, html`<b>${h(v.t.results.runoffOf(dayName(r.date, v.t, true)))}</b>`);
    lines.push(turnout ?? v.t.noCityTurnout(c.name));
    if (turnout) lines.push(provenanceLine(r.turnoutProvenance ?? r.provenance, v, r.sections));
  }
  return joinHtml(lines, "\n");
}

/**
 * "Chi ha vinto a Trapani?": the outcome that counts, first, then the comune's title line (the runoff's
 * outcome once its day has come, else the first round's, or who leads while counting). The card is a
 * tap away (its buttons are under the answer).
 */
export function outcomeAnswer(c: KnownComune, v: ViewContext): Html {
  if (!hasResults(c)) return comuneAnswer(c, v);
  const lines = showsRunoff(c, v) ? runoffOutcomeLines(c, v) : outcomeLines(c, v);
  return joinHtml([...lines, cityTitle(c, v)], "\n");
}

/**
 * "Quando si vota il ballottaggio a Genova?": the day and who runs, in two lines. Where the first round
 * decided, that there is none; before it has, the day a runoff would be held and that it is not known.
 */
export function runoffWhenAnswer(c: KnownComune, v: ViewContext): Html {
  const { election } = v.pack;
  const r = hasResults(c) ? c.results.runoff : undefined;
  const day = dayName(r?.date ?? election.runoffDate, v.t, true);
  if (!hasResults(c)) return comuneAnswer(c, v);
  if (counting(c.results.firstRound)) return v.t.results.runoffIfAny(c.label, day);
  let names: string[];
  if (r) names = rankCandidates(r.candidates).map((k) => k.name);
  else {
    const o = firstRoundOutcome(c.results, election.rules);
    if (o.kind === "elected") return html`${v.t.results.noRunoffFor(c.label)}\n${v.t.outcomeElected(o.candidate)}`;
    if (o.kind !== "runoff") return v.t.results.runoffIfAny(c.label, day);
    names = [...o.candidates];
  }
  return html`${v.t.results.runoffWhen(c.label, day)}\n${v.t.results.runoffPair(names)}`;
}
