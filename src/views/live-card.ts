/**
 * A comune's live card: the city card (the round being counted first), cut to one message, with a
 * line saying that it updates itself — or, once the chat switched it off, that it no longer does.
 */
import type { RoundResult } from "../data/model.js";
import type { ResultComune } from "../data/places.js";
import { type Html, escapeHtml as h, html, packMessages, TELEGRAM_TEXT_LIMIT } from "../format/html.js";
import { cityCard, showsRunoff } from "./city.js";
import type { ViewContext } from "./common.js";

/** The round a card (and its chart) shows first: the runoff from its day, else the first round. */
export function currentRound(c: ResultComune, v: ViewContext): { kind: "first" | "runoff"; round: RoundResult } {
  return showsRunoff(c, v) && c.results.runoff
    ? { kind: "runoff", round: c.results.runoff }
    : { kind: "first", round: c.results.firstRound };
}

/** Whether the count of the round shown is still open: a live card keeps moving. */
export function isCounting(c: ResultComune, v: ViewContext): boolean {
  return currentRound(c, v).round.provenance.status === "partial";
}

/** The card as one message; `off` when the chat switched its live card off. */
export function liveCardView(c: ResultComune, v: ViewContext, o: { off?: boolean } = {}): Html {
  const footer = o.off ? v.t.cards.offFooter(h(c.name)) : isCounting(c, v) ? v.t.cards.liveFooter : undefined;
  const room = TELEGRAM_TEXT_LIMIT - (footer ? footer.length + 2 : 0);
  const parts = packMessages([cityCard(c, v)], room - 2);
  const body = parts.length > 1 ? html`${parts[0]!}\n…` : (parts[0] ?? html``);
  return footer ? html`${body}\n\n${footer}` : body;
}
