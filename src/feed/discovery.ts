/**
 * Discovery: the comuni voting, from `getentiG`, joined through the Ministry's 9-digit code to the comuni
 * index (ISTAT code, proper-case name, province, region). The Ministry's province codes are not ISTAT's,
 * so the join is by the code the index carries (`eligendo`), never by number or by name.
 *
 * A comune the index lacks is still served, under the feed's name in proper case, with its province and
 * region named from the feed's own entries.
 */
import { asComuneCode, type ComuneCode, type ComuneIdentity } from "../data/model.js";
import { splitCode } from "./codes.js";
import { placeName } from "./names.js";
import type { ElectionRules, PopulationBand } from "./outcome.js";
import type { FeedWarning } from "./parse.js";
import type { EntiResponse } from "./schema.js";

/** A comune of the feed, as the rest of the bot knows it. */
export interface FeedComune {
  /** The 9-digit code RRPPPCCCC. */
  code: string;
  /** Region (2 digits), Ministry province (3) and comune (4) parts of the code. */
  region: string;
  province: string;
  comune: string;
  /** The name as the feed writes it ("SAN FERDINANDO DI PUGLIA"). */
  feedName: string;
  /** The index's name, or the feed's in proper case. */
  name: string;
  /** The index's row, when it has the comune. */
  identity?: ComuneIdentity;
  /** Province sigla ("BT"), from the index. */
  provinceSigla?: string;
  provinceName: string;
  regionName: string;
  /**
   * From `tipo_comune`: M above 15,000 inhabitants, N at or below. Where the Ministry leaves it out, from
   * the index's legal population against the rules' threshold; unknown only where both are missing.
   */
  populationBand?: PopulationBand;
  /** Votes again at the runoff (listed by the runoff date's getentiG). */
  runoff: boolean;
}

/**
 * The code the bot keeps a feed comune by (see ComuneCode): its ISTAT code from the index, else the
 * Ministry's own. The same as `codeOf` gives for the comune in the merged results.
 */
export function feedComuneCode(c: Pick<FeedComune, "code" | "identity">): ComuneCode {
  return asComuneCode(c.identity?.istat ?? c.code);
}

/** The index by 9-digit code. */
export function indexByCode(index: Iterable<ComuneIdentity>): Map<string, ComuneIdentity> {
  const map = new Map<string, ComuneIdentity>();
  for (const c of index) if (c.eligendo) map.set(c.eligendo, c);
  return map;
}

export interface Discovery {
  comuni: FeedComune[];
  /** Comuni the index lacks (served under the feed's name). */
  unknown: Extract<FeedWarning, { kind: "unknown-comune" }>[];
}

const band = (t: "M" | "N" | undefined): PopulationBand | undefined =>
  t === "M" ? "oltre-15000" : t === "N" ? "fino-15000" : undefined;

/** The band of a comune of the index by its legal population, under the rules (a region's own threshold first). */
export function bandByPopulation(
  identity: ComuneIdentity | undefined,
  rules: ElectionRules | undefined,
): PopulationBand {
  if (identity?.population === undefined || !rules) return undefined;
  const threshold = rules.regions[identity.region]?.runoffPopulationThreshold ?? rules.runoffPopulationThreshold;
  return identity.population > threshold ? "oltre-15000" : "fino-15000";
}

/** The comuni of a getentiG answer, joined to the index; `rules` decide the band where `tipo_comune` is missing. */
export function discover(
  enti: EntiResponse,
  index: ReadonlyMap<string, ComuneIdentity>,
  rules?: ElectionRules,
): Discovery {
  const regionNames = new Map<string, string>();
  const provinceNames = new Map<string, string>();
  for (const e of enti.enti) {
    const parts = splitCode(e.cod);
    if (e.tipo === "RE") regionNames.set(parts.region, placeName(e.desc));
    if (e.tipo === "PR") provinceNames.set(parts.province, placeName(e.desc));
  }
  const comuni: FeedComune[] = [];
  const unknown: Discovery["unknown"] = [];
  const seen = new Set<string>();
  for (const e of enti.enti) {
    if (e.tipo !== "CM" || seen.has(e.cod)) continue;
    seen.add(e.cod);
    const parts = splitCode(e.cod);
    const identity = index.get(e.cod);
    const name = identity?.name ?? placeName(e.desc);
    if (!identity) unknown.push({ kind: "unknown-comune", code: e.cod, name });
    comuni.push({
      ...parts,
      feedName: e.desc,
      name,
      identity,
      provinceSigla: identity?.province,
      provinceName: identity?.provinceName ?? provinceNames.get(parts.province) ?? `Provincia ${parts.province}`,
      regionName: identity?.region ?? regionNames.get(parts.region) ?? `Regione ${parts.region}`,
      populationBand: band(e.tipo_comune) ?? bandByPopulation(identity, rules),
      runoff: false,
    });
  }
  return { comuni, unknown };
}
