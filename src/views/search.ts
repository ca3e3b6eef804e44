/**
 * The answer to what someone typed for /citta: a comune's card, a region's or province's comuni with
 * results, the comune a candidate ran in, or suggestions. Text plus the comuni to offer as buttons.
 */
import { hasResults, type KnownComune, type SearchResult } from "../data/places.js";
import { firstRoundOutcome, rankCandidates, runoffOutcome } from "../data/rules.js";
import { type Html, html } from "../format/html.js";
import { formatPercent } from "../format/italian.js";
import { cityCard, comuneAnswer, showsRunoff } from "./city.js";
import type { ViewContext } from "./common.js";

/** At most this many buttons for a region's comuni: beyond, people type the name. */
export const AREA_BUTTONS_MAX = 40;

export interface SearchReply {
  html: Html;
  /** Comuni to offer as buttons, in order. */
  buttons: KnownComune[];
}

/**
 * @param query what was typed, quoted for HTML (`quoteUser`)
 * @param notFound the line for a name that matches nothing (it differs between /citta and a plain message)
 */
export function searchReply(r: SearchResult, query: Html, v: ViewContext, notFound: (q: Html) => Html): SearchReply {
  const t = v.t;
  switch (r.kind) {
    case "comune":
      return { html: comuneAnswer(r.comune, v), buttons: [] };
    case "area": {
      const name = t.results.area(r.area.kind, r.area.name);
      if (!r.withResults.length) return { html: t.results.areaNone(name), buttons: [] };
      const buttons = r.withResults.slice(0, AREA_BUTTONS_MAX);
      const more = r.withResults.length > buttons.length ? html`\n${t.results.areaMore(buttons.length)}` : "";
      return { html: html`${t.results.areaTitle(name, r.withResults.length)}${more}`, buttons };
    }
    case "candidate": {
      const comuni = [...new Set(r.matches.map((m) => m.comune))];
      if (comuni.length === 1 && hasResults(comuni[0]!)) return { html: cityCard(comuni[0], v), buttons: [] };
      return { html: t.results.candidateIn(query), buttons: comuni };
    }
    case "ambiguous":
      return { html: html`${t.cityAmbiguous(query)}\n${t.citySuggestions}`, buttons: r.suggestions };
    case "not-found": {
      const head = notFound(query);
      return r.suggestions.length
        ? { html: html`${head}\n${t.citySuggestions}`, buttons: r.suggestions }
        : { html: head, buttons: [] };
    }
  }
}

/**
 * One plain line for an inline result: the runoff's two once it is shown, else the first round's top two
 * ("Marco Bucci 38,8% · Gianni Crivello 33,39%"); for a comune without results, what the card will say.
 */
export function inlineSummary(c: KnownComune, v: ViewContext): string {
  if (!hasResults(c)) return c.province;
  const rules = v.pack.election.rules;
  const round = showsRunoff(c, v) ? c.results.runoff! : c.results.firstRound;
  const decided = showsRunoff(c, v) ? runoffOutcome(c.results, rules) : firstRoundOutcome(c.results, rules);
  const top = rankCandidates(round.candidates)
    .slice(0, 2)
    .map((k) => `${k.name}${k.percent !== undefined ? ` ${formatPercent(k.percent)}` : ""}`)
    .join(" · ");
  return decided?.kind === "elected" ? `✅ ${decided.candidate} · ${top}` : top;
}
