/**
 * The answer to what someone typed for /citta: a comune's card, a region's or province's comuni with
 * results, the comune a candidate ran in, or suggestions. Text plus the comuni to offer as buttons.
 */
import { hasResults, type KnownComune, type ResultComune, type SearchResult } from "../data/places.js";
import { rankCandidates } from "../data/rules.js";
import { roundStanding, standingWords } from "../data/standing.js";
import { type Html, html, quoteUser } from "../format/html.js";
import { formatPercent } from "../format/italian.js";
import type { Lang } from "../i18n/index.js";
import { suggestionText } from "../understand/index.js";
import { cityCard, comuneAnswer, showsRunoff } from "./city.js";
import type { ViewContext } from "./common.js";

/** At most this many buttons for a region's comuni: beyond, people type the name. */
export const AREA_BUTTONS_MAX = 40;

export interface SearchReply {
  html: Html;
  /** Comuni to offer as buttons, in order. */
  buttons: KnownComune[];
  /** The comune whose card the reply is: its buttons go under it (see cardKeyboard). */
  card?: KnownComune;
}

/**
 * The line above suggestions, matching their number: "Forse cercavi <b>Genova</b>?" for one,
 * "«pa» può indicare più comuni: quale cercavi?" for a name several share, "Non trovo «Rma». Forse
 * cercavi uno di questi comuni?" for a typo; with none, `notFound` (which may say more).
 *
 * @param query what was typed (quoted here)
 */
export function suggestionLine(
  lang: Lang,
  query: string,
  r: { kind: "ambiguous" | "not-found"; suggestions: readonly KnownComune[] },
  notFound: () => Html,
): Html {
  if (!r.suggestions.length) return notFound();
  return suggestionText(
    lang,
    query,
    r.suggestions.map((c) => c.label),
    { ambiguous: r.kind === "ambiguous" },
  );
}

/**
 * @param query what was typed (quoted here)
 * @param notFound the line for a name that matches nothing, given the query quoted for HTML (it differs
 *   between /citta and a plain message)
 * @param answer what a comune found gets: its card, or the part of it a question asked for
 */
export function searchReply(
  r: SearchResult,
  query: string,
  v: ViewContext,
  notFound: (q: Html) => Html,
  answer: (c: KnownComune, v: ViewContext) => Html = comuneAnswer,
): SearchReply {
  const t = v.t;
  const q = quoteUser(query);
  switch (r.kind) {
    case "comune":
      return { html: answer(r.comune, v), buttons: [], card: r.comune };
    case "area": {
      const name = t.results.area(r.area.kind, r.area.name);
      if (!r.withResults.length) return { html: t.results.areaNone(name), buttons: [] };
      const buttons = r.withResults.slice(0, AREA_BUTTONS_MAX);
      const more = r.withResults.length > buttons.length ? html`\n${t.results.areaMore(buttons.length)}` : "";
      return { html: html`${t.results.areaTitle(name, r.withResults.length)}${more}`, buttons };
    }
    case "candidate": {
      const comuni = [...new Set(r.matches.map((m) => m.comune))];
      if (comuni.length === 1 && hasResults(comuni[0]!))
        return { html: cityCard(comuni[0], v), buttons: [], card: comuni[0] };
      return { html: t.results.candidateIn(q), buttons: comuni };
    }
    case "ambiguous":
    case "not-found":
      return { html: suggestionLine(t.lang, query, r, () => notFound(q)), buttons: r.suggestions };
  }
}

/** The round an inline result sums up: the runoff once it is shown, else the first round. */
function inlineStanding(c: ResultComune, v: ViewContext) {
  const stage = showsRunoff(c, v) ? "runoff" : "first";
  return { stage, standing: roundStanding(c.results, stage, v.pack.election.rules) } as const;
}

/**
 * One plain line for an inline result: the runoff's two once it is shown, else the first round's top two
 * ("Marco Bucci 38,8% · Gianni Crivello 33,39%"), after the winner; a round that elected nobody says so
 * first, and a sole candidate is shown with the votes and the turnout against the quorum, not a share.
 * For a comune without results, what the card will say.
 */
export function inlineSummary(c: KnownComune, v: ViewContext): string {
  // A feed comune the index lacks has no province: its region, then.
  if (!hasResults(c)) return c.province || c.region;
  const { stage, standing } = inlineStanding(c, v);
  const round = stage === "runoff" ? c.results.runoff! : c.results.firstRound;
  const words = standing && standingWords(standing, v.t.results, v.t.lang);
  const figures =
    words?.candidate !== undefined
      ? [words.candidate, ...words.quorum]
      : rankCandidates(round.candidates)
          .slice(0, 2)
          .map((k) => `${k.name}${k.percent !== undefined ? ` ${formatPercent(k.percent, v.t.lang)}` : ""}`);
  const o = standing?.outcome;
  const head = words?.head ? [`⛔ ${words.head}`] : o?.kind === "elected" ? [`✅ ${o.candidate}`] : [];
  return [...head, ...figures].join(" · ");
}

/** An inline result's title: the comune (after `prefix`), and "⛔ Nessun sindaco eletto" where its round elected nobody. */
export function inlineTitle(c: KnownComune, v: ViewContext, prefix?: string): string {
  const title = prefix ? `${prefix}: ${c.label}` : c.label;
  return hasResults(c) && inlineStanding(c, v).standing?.void ? `${title} · ⛔ ${v.t.results.noMayor}` : title;
}
