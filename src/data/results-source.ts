/**
 * One source of results for the views: the data pack's and the Ministry's live feed's, merged.
 *
 * The feed wins for every comune it has figures for; the pack serves the comuni the feed lacks (Sicily
 * and Friuli-Venezia Giulia run their own elections: the newsroom types those) and everything before
 * the night. What the views get is a DataPack like any other (`current()`): every handler and view
 * reads the merged results through it, unchanged. While the anomaly gate holds a comune, its results
 * here are its last good figures (LiveFeed.results): no card, chart or list shows the held ones. Comuni of the feed that the comuni index lacks are
 * added under the feed's name.
 *
 * The merged pack is rebuilt when the pack is reloaded or the feed's version moves, at most once per
 * read: comuni and names keep their indexes from the pack (a view maps the pack's comuni to the merged
 * ones), so a rebuild costs one pass over the comuni, not a new name index.
 *
 * `onComuneChanged(listener)` tells whoever shows a comune live (the live cards) that its figures, or
 * what the anomaly gate says of them, changed: the key it gives is what `byKey` finds.
 *
 * The live feed comes in through `LiveResults`, the few things asked of it, defined here and implemented
 * by the feed (src/feed/live.ts): the data layer does not depend on the feed that fills it.
 */
import type { Logger } from "../logger.js";
import { type LookupResult, NameIndex, type NameLookup, nameKey } from "./lookup.js";
import type { ComuneIdentity, ComuneResults, Round, RoundResult, TurnoutPoint } from "./model.js";
import type { DataPack } from "./pack.js";
import {
  byRelevance,
  candidateKeys,
  hasResults,
  type KnownComune,
  type LiveStatus,
  namesProvince,
  type ResultComune,
  type SearchResult,
} from "./places.js";
import type { DataSource, ReloadResult } from "./source.js";
import type { TurnoutTotals } from "./turnout-totals.js";

/** A comune of the live feed, as the results source needs it: its code, its names and where it is. */
export interface LiveComune {
  /** The Ministry's 9-digit code. */
  code: string;
  /** The index's name, or the feed's. */
  name: string;
  /** The comuni index's row, when it has the comune. */
  identity?: Pick<ComuneIdentity, "istat">;
  provinceSigla?: string;
  provinceName: string;
  regionName: string;
}

/** What the results source asks of the live feed (the feed implements it: src/feed/live.ts). */
export interface LiveResults {
  /** The feed's first-round day, and its runoff day when it follows one. */
  readonly settings: { readonly date: string; readonly runoffDate?: string };
  /** Bumped on every change the views could show: the merged pack is rebuilt on it. */
  readonly version: number;
  /** A comune's own version: it changes whenever its figures or what the gate says of them change. */
  versionOf(code: string): number;
  /** Calls `listener` with a comune's Ministry code whenever its figures, or what the gate says of them, changed. */
  onChange(listener: (code: string) => void): unknown;
  /** The feed's comuni, in the feed's order. */
  comuni(): readonly LiveComune[];
  /** A comune's figures as citizens may see them (while the gate holds a round, its last good ones). */
  results(code: string, opts?: { capoluogo?: boolean }): ComuneResults | undefined;
  /** A comune's live standing; undefined when the feed does not have it. */
  state(code: string): LiveStatus | undefined;
  /** A comune's own turnout readings (also before its count starts); undefined if the feed lacks it. */
  readings(code: string): { first: TurnoutPoint[]; runoff?: TurnoutPoint[] } | undefined;
  /** Turnout totals of a round from the feed's counts; undefined until the feed has found its comuni. */
  turnout(round: Round): TurnoutTotals | undefined;
}

/** What the views may ask of the live feed beyond the merged results (turnout from counts, a comune's readings). */
export interface LiveView {
  /** The source as cards name it: "Ministero dell'Interno", or the simulation's label. */
  source: string;
  /** A simulated night: figures invented. */
  simulated: boolean;
  /** Turnout totals of a round from the feed's counts; undefined until the feed has found its comuni. */
  turnout(round: Round): TurnoutTotals | undefined;
  /** A comune's own readings from the feed (also before its count starts); undefined if the feed lacks it. */
  readings(c: KnownComune): { first: TurnoutPoint[]; runoff?: TurnoutPoint[] } | undefined;
  /** The feed's runoff day, when it follows one. */
  runoffDate?: string;
  /** The feed's first-round day. */
  date: string;
}

/** A feed comune merged over the pack, for the pack and the comune's version it was made from. */
interface Overlay {
  base: DataPack;
  version: number;
  /** The pack's comune it stands for (absent for a comune the index lacks). */
  known?: KnownComune;
  k: KnownComune;
  /** Its results are the feed's. */
  fromFeed: boolean;
}

export interface ResultsSourceOptions {
  /** Replaces the feed's source on every card (a simulated night says so). */
  sourceLabel?: string;
  logger?: Logger;
  /** The bot's clock, for "asked about in the last minutes". */
  now?: () => Date;
}

/** Minutes during which a comune someone asked about is polled first. */
export const ASKED_MINUTES = 10;

export class ResultsSource {
  private cache?: { base: DataPack; version: number; pack: DataPack };
  private readonly listeners = new Set<(key: string) => void>();
  private readonly asked = new Map<string, number>();
  /** The feed's comuni in relevance order, for the set of them that has figures (see inRelevanceOrder). */
  private order?: { signature: string; rank: Map<string, number> };
  /** Each feed comune's merged object, kept while its version and the pack stay the same. */
  private readonly overlays = new Map<string, Overlay>();
  /** The live feed's side of the views (undefined without the feed). */
  readonly live?: LiveView;

  constructor(
    private readonly data: DataSource,
    private readonly feed?: LiveResults,
    private readonly o: ResultsSourceOptions = {},
  ) {
    if (feed) {
      const simulated = o.sourceLabel !== undefined;
      this.live = {
        source: o.sourceLabel ?? "Ministero dell'Interno",
        simulated,
        date: feed.settings.date,
        ...(feed.settings.runoffDate ? { runoffDate: feed.settings.runoffDate } : {}),
        turnout: (round) => feed.turnout(round),
        readings: (c) => (c.eligendo ? feed.readings(c.eligendo) : undefined),
      };
      feed.onChange((code) => {
        const key = this.data.current().byKey(code)?.istat ?? code;
        for (const l of this.listeners) {
          try {
            l(key);
          } catch (err) {
            this.o.logger?.error({ err }, "results: a change listener threw");
          }
        }
      });
    }
  }

  /** The merged results: the pack's, with the feed's where it has them. */
  current(): DataPack {
    const base = this.data.current();
    if (!this.feed) return base;
    const version = this.feed.version;
    if (this.cache?.base === base && this.cache.version === version) return this.cache.pack;
    const pack = this.merge(base);
    this.cache = { base, version, pack };
    return pack;
  }

  /** The data pack alone (what the newsroom's files say). */
  pack(): DataPack {
    return this.data.current();
  }

  /** Re-reads the data pack (see DataSource.reload). */
  reload(opts?: Parameters<DataSource["reload"]>[0]): Promise<ReloadResult> {
    return this.data.reload(opts);
  }

  /**
   * Calls `listener` with a comune's key (its ISTAT code, or the Ministry's code for a comune the index
   * lacks: `current().byKey` finds either) whenever the feed changed its figures or the anomaly gate's
   * word on them. Returns the function that stops listening.
   */
  onComuneChanged(listener: (key: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The comune a person asked about by its key (a button under a card carries it): found as
   * `current().byKey` finds it, and polled first for a while. `byKey` itself is a plain lookup: naming
   * a bulletin's comuni, rendering a live card or resolving a change asks nothing.
   */
  askedFor(key: string): KnownComune | undefined {
    const c = this.current().byKey(key);
    this.noteAsked(c);
    return c;
  }

  /** Whether someone asked about the comune (by its Ministry code) in the last minutes: polled first. */
  recentlyAsked(code: string): boolean {
    const at = this.asked.get(code);
    return at !== undefined && this.now() - at < ASKED_MINUTES * 60_000;
  }

  private now(): number {
    return (this.o.now?.() ?? new Date()).getTime();
  }

  private noteAsked(c: KnownComune | undefined): void {
    if (!c?.eligendo) return;
    this.asked.set(c.eligendo, this.now());
    if (this.asked.size > 5_000) {
      const cutoff = this.now() - ASKED_MINUTES * 60_000;
      for (const [k, at] of this.asked) if (at < cutoff) this.asked.delete(k);
    }
  }

  private relabel(r: RoundResult): RoundResult {
    const label = this.o.sourceLabel;
    return label ? { ...r, provenance: { ...r.provenance, source: label } } : r;
  }

  /** One comune of the feed over the pack's: its identity from the pack, its figures from the feed. */
  private overlay(base: DataPack, c: LiveComune, version: number): Overlay {
    const feed = this.feed!;
    const code = c.code;
    const known = base.byKey(code) ?? (c.identity ? base.byKey(c.identity.istat) : undefined);
    // The feed does not say which comuni are capoluoghi: the pack does for its own, and a comune that
    // gives its province its name is one (109 of the 110 of 2017; see namesProvince).
    const capoluogo = known?.capoluogo === true || (known !== undefined && namesProvince(known));
    // While the anomaly gate holds a round, its last good figures (or none): never the held ones.
    const feedResults = feed.results(code, { capoluogo });
    const results: ComuneResults | undefined = feedResults && {
      ...feedResults,
      firstRound: this.relabel(feedResults.firstRound),
      ...(feedResults.runoff ? { runoff: this.relabel(feedResults.runoff) } : {}),
    };
    const state = feed.state(code);
    // A comune held since its first answer has no figures to show, but says that they are being checked.
    const live = results || state?.held ? state : undefined;
    let k: KnownComune;
    if (known) {
      k = { ...known, voting: true, capoluogo, eligendo: code };
      if (results) k.results = { ...results, aliases: known.aliases.length ? known.aliases : results.aliases };
      if (live) k.live = live;
    } else {
      k = {
        name: c.name,
        province: c.provinceSigla ?? "",
        provinceName: c.provinceName,
        region: c.regionName,
        eligendo: code,
        capoluogo: false,
        aliases: results?.aliases ?? [],
        label: c.name,
        voting: true,
        ...(results ? { results } : {}),
        ...(live ? { live } : {}),
      };
    }
    return { base, version, ...(known ? { known } : {}), k, fromFeed: hasResults(k) && feedResults !== undefined };
  }

  /** The pack with the feed's comuni over it; see the module comment. */
  private merge(base: DataPack): DataPack {
    const feed = this.feed!;
    const over = new Map<KnownComune, KnownComune>();
    const extras: KnownComune[] = [];
    const extraByCode = new Map<string, KnownComune>();
    const fromFeed: ResultComune[] = [];

    for (const c of feed.comuni()) {
      const code = c.code;
      // A comune whose figures and standing have not moved since the last merge keeps its object.
      const version = feed.versionOf(code);
      const cached = this.overlays.get(code);
      const entry = cached?.base === base && cached.version === version ? cached : this.overlay(base, c, version);
      this.overlays.set(code, entry);
      const { known, k } = entry;
      if (known) over.set(known, k);
      else {
        extras.push(k);
        extraByCode.set(code, k);
      }
      if (entry.fromFeed) fromFeed.push(k as ResultComune);
    }

    const map = (k: KnownComune): KnownComune => over.get(k) ?? k;
    const known = [...base.known.map(map), ...extras];
    const inFeed = new Set<KnownComune>(fromFeed);
    // The pack's comuni with results keep their order; the feed's others follow, most relevant first.
    const comuni: ResultComune[] = [];
    const listed = new Set<KnownComune>();
    for (const b of base.comuni) {
      const c = map(b);
      if (!hasResults(c)) continue;
      comuni.push(c);
      listed.add(c);
    }
    for (const c of this.inRelevanceOrder(fromFeed)) if (!listed.has(c)) comuni.push(c);

    const extraIndex = new NameIndex(extras, (k) => [k.name, ...k.aliases]);
    const index = overlayIndex(base.index, extraIndex, map);
    let candidates: Map<string, { comune: ResultComune; candidate: string }[]> | undefined;
    const feedCandidates = () => {
      if (!candidates) {
        candidates = new Map();
        for (const c of fromFeed) {
          const names = new Set(
            [...c.results.firstRound.candidates, ...(c.results.runoff?.candidates ?? [])].map((x) => x.name),
          );
          for (const candidate of names)
            for (const key of candidateKeys(candidate)) {
              const list = candidates.get(key) ?? [];
              if (!list.some((m) => m.comune === c)) list.push({ comune: c, candidate });
              candidates.set(key, list);
            }
        }
      }
      return candidates;
    };

    const byKey = (key: string): KnownComune | undefined => {
      const hit = base.byKey(key);
      return hit ? map(hit) : (extraByCode.get(key) ?? extraIndex.exactly(key)[0]);
    };

    const search = (query: string, maxSuggestions?: number): SearchResult => {
      const r = this.mapSearch(base.search(query, maxSuggestions), map);
      if (r.kind === "comune" && r.exact) return this.asking(r);
      if (r.kind === "area") return r;
      // A candidate of the feed: before the forgiving match of names, as PlaceSearch does.
      const fromFeedMatches = feedCandidates().get(nameKey(query)) ?? [];
      if (r.kind === "candidate" || fromFeedMatches.length) {
        const pack = r.kind === "candidate" ? r.matches.filter((m) => !inFeed.has(m.comune)) : [];
        const matches = [...pack, ...fromFeedMatches].sort((a, b) => byRelevance(a.comune, b.comune));
        if (matches.length) return { kind: "candidate", matches };
      }
      const extra = extraIndex.exactly(query);
      if (extra.length === 1 && r.kind !== "comune")
        return this.asking({ kind: "comune", comune: extra[0]!, exact: true });
      return r.kind === "comune" ? this.asking(r) : r;
    };

    return {
      ...base,
      comuni,
      known,
      index,
      byKey,
      search,
    };
  }

  /**
   * The feed's comuni most relevant first. Sorting a thousand names with the Italian collation is most of
   * a merge's cost, and the order changes only when a comune gets its first figures: it is kept by key.
   */
  private inRelevanceOrder(list: readonly ResultComune[]): ResultComune[] {
    const keyOf = (c: KnownComune) => c.eligendo ?? c.name;
    const signature = list.map(keyOf).join(",");
    if (this.order?.signature !== signature) {
      const sorted = [...list].sort(byRelevance).map(keyOf);
      this.order = { signature, rank: new Map(sorted.map((k, i) => [k, i])) };
    }
    const rank = this.order.rank;
    return [...list].sort((a, b) => rank.get(keyOf(a))! - rank.get(keyOf(b))!);
  }

  private asking<T extends { kind: "comune"; comune: KnownComune }>(r: T): T {
    this.noteAsked(r.comune);
    return r;
  }

  private mapSearch(r: SearchResult, map: (k: KnownComune) => KnownComune): SearchResult {
    switch (r.kind) {
      case "comune":
        return { ...r, comune: map(r.comune) };
      case "area": {
        const comuni = r.area.comuni.map(map);
        return {
          kind: "area",
          area: { ...r.area, comuni },
          withResults: comuni.filter(hasResults).sort(byRelevance),
        };
      }
      case "candidate":
        return { kind: "candidate", matches: r.matches.map((m) => ({ ...m, comune: map(m.comune) as ResultComune })) };
      case "ambiguous":
      case "not-found":
        return { ...r, suggestions: r.suggestions.map(map) };
    }
  }
}

/** The pack's name index seen through the merged comuni, with the feed's comuni the index lacks. */
function overlayIndex(
  base: NameLookup<KnownComune>,
  extra: NameIndex<KnownComune>,
  map: (k: KnownComune) => KnownComune,
): NameLookup<KnownComune> {
  const mapLookup = (r: LookupResult<KnownComune>): LookupResult<KnownComune> =>
    r.kind === "found" ? { ...r, item: map(r.item) } : { ...r, suggestions: r.suggestions.map(map) };
  return {
    get size() {
      return base.size + extra.size;
    },
    exactly: (name) => [...base.exactly(name).map(map), ...extra.exactly(name)],
    rank: (query) => [...base.rank(query).map((x) => ({ item: map(x.item), score: x.score })), ...extra.rank(query)],
    lookup: (query, max) => {
      const r = mapLookup(base.lookup(query, max));
      if (!extra.size) return r;
      const x = extra.lookup(query, max);
      if (x.kind === "found" && x.exact) {
        if (r.kind === "found" && r.exact) return { kind: "ambiguous", suggestions: [r.item, x.item] };
        return x;
      }
      if (r.kind === "not-found" && x.kind !== "not-found") return x;
      return r;
    },
  };
}
