/**
 * The council's seats of a comune (/seggi, the card's 🪑 button, the line in /citta): the allocation under
 * the law from the lists' votes (src/data/seats.ts), labelled a projection while the count goes on, the
 * Ministry's own where it published it. What cannot be computed is said, never estimated.
 */
import type { KnownComune } from "../data/places.js";
import { type CouncilSeats, councilSeats, type GroupSeats, sameList, seatDifferences } from "../data/seats.js";
import { type Html, escapeHtml as h, html, joinHtml } from "../format/html.js";
import { formatInteger } from "../format/italian.js";
import type { ViewContext } from "./common.js";

/** The comune's council as the law makes it from its results; undefined without results. */
export function councilOf(c: KnownComune, v: ViewContext): CouncilSeats | undefined {
  if (!c.results) return undefined;
  return councilSeats(c.results, v.pack.election.rules, c.population !== undefined ? { population: c.population } : {});
}

function listsLine(g: GroupSeats, v: ViewContext): Html | undefined {
  const n = (x: number) => h(formatInteger(x, v.t.lang));
  const parts = g.lists
    .filter((l) => l.seats > 0 || !l.admitted)
    .map((l) => {
      const label = h(l.name ?? (l.position !== undefined ? `Lista n. ${l.position}` : "Lista"));
      return l.admitted ? html`${label} ${n(l.seats)}` : html`${label} (${h(v.t.seats.excluded)})`;
    });
  return parts.length ? html`   ${joinHtml(parts, " · ")}` : undefined;
}

/** The bonus line: what the mayor's lists get, and why. */
function bonusLine(council: Extract<CouncilSeats, { kind: "allocation" }>, v: ViewContext): Html {
  const t = v.t.seats;
  const n = (x: number) => h(formatInteger(x, v.t.lang));
  const mayorGroup = council.groups.find((g) => g.mayor)!;
  const seats = n(mayorGroup.seats);
  const total = n(council.seats);
  const mayor = h(council.mayor);
  switch (council.bonus) {
    case "applied":
      return t.bonusApplied(seats, total, mayor, council.round === "runoff");
    case "already":
      return t.bonusAlready(seats, total, mayor);
    case "below-minimum":
      return t.bonusBelowMinimum(seats, total, mayor);
    case "other-majority":
      return t.bonusOtherMajority(seats, total, mayor);
    case "lame-duck":
      return t.lameDuck(seats, total, mayor);
    case "small":
      return t.smallBonus(seats, total, mayor);
  }
}

/** /seggi Genova: the council, or why it cannot be said. */
export function seatsView(c: KnownComune, v: ViewContext): Html {
  const t = v.t.seats;
  const city = h(c.name);
  const n = (x: number) => h(formatInteger(x, v.t.lang));
  const council = councilOf(c, v);
  if (!council) return t.noListVotes(city);
  switch (council.kind) {
    case "unavailable": {
      switch (council.reason) {
        case "no-list-votes":
          return t.noListVotes(city);
        case "size-unknown":
          return t.sizeUnknown(city);
        case "population-unknown":
          return t.populationUnknown(city);
        case "mayor-undecided":
          return t.mayorUndecided(city);
        case "region-not-computed":
          return t.regionNotComputed(city, h(council.region ?? c.region), council.note ? h(council.note) : undefined);
        case "single-list":
          return t.singleList(city);
        case "void":
          return t.noMayor(city);
        case "mayor-lists-excluded":
          return t.mayorListsExcluded(city);
      }
      break;
    }
    case "tie":
      return t.tie(city, h(council.between.join(", ")));
    case "runoff-pending":
      return t.runoffPending(city, h(council.candidates[0]), h(council.candidates[1]), n(council.seats));
  }
  const law = council.region ? v.pack.election.rules.councils?.[council.region]?.law : undefined;
  const regional = council.region ? { region: council.region, ...(law ? { law } : {}) } : undefined;
  const lines: Html[] = [t.title(city, n(council.seats))];
  if (council.projection) lines.push(t.projection(n(council.projection.counted), n(council.projection.total)));
  const differences = seatDifferences(council);
  // Where the Ministry published its own seats and they differ, its figures are shown, and the difference.
  const groups = differences.length ? officialGroups(council) : council.groups;
  if (!differences.length) lines.push(bonusLine(council, v));
  lines.push(council.system === "small" ? t.lawSmall(regional) : t.lawMajoritarian(regional));
  lines.push(html``);
  for (const g of [...groups].sort((a, b) => b.seats - a.seats || b.votes - a.votes)) {
    if (g.seats === 0 && !g.mayor) continue;
    lines.push(t.group(h(g.candidate), n(g.seats), g.mayor, g.candidateSeated));
    const l = listsLine(g, v);
    if (l) lines.push(l);
  }
  lines.push(html``);
  if (council.sizeFrom === "law") lines.push(t.sizeFromLaw);
  if (!council.official) lines.push(t.source);
  else {
    lines.push(t.officialSource);
    if (!differences.length) lines.push(t.officialMatches);
    else
      lines.push(
        t.officialDiffers(
          joinHtml(
            differences.map((d) => t.difference(h(d.list), n(d.official), n(d.computed))),
            "\n",
          ),
        ),
      );
  }
  return joinHtml(lines, "\n");
}

/** The Ministry's seats in the shape of the computed groups (votes and admission from the computation). */
function officialGroups(council: Extract<CouncilSeats, { kind: "allocation" }>): GroupSeats[] {
  return council.groups.map((g) => {
    const o = council.official?.groups.find((x) => x.candidate === g.candidate);
    if (!o) return g;
    const lists = g.lists.map((l, i) => ({ ...l, seats: sameList(o.lists, l, i)?.seats ?? 0, admitted: true }));
    const seated = o.candidateSeated ?? g.candidateSeated;
    return { ...g, lists, candidateSeated: seated, seats: lists.reduce((s, l) => s + l.seats, 0) + (seated ? 1 : 0) };
  });
}

/** The line under /citta once the count is complete and the council is known; undefined otherwise. */
export function seatsCityLine(c: KnownComune, v: ViewContext): Html | undefined {
  const council = councilOf(c, v);
  if (council?.kind !== "allocation" || council.projection || seatDifferences(council).length) return undefined;
  const mayorGroup = council.groups.find((g) => g.mayor)!;
  const n = (x: number) => h(formatInteger(x, v.t.lang));
  return v.t.seats.cityLine(n(mayorGroup.seats), n(council.seats), h(council.mayor), h(c.name));
}
