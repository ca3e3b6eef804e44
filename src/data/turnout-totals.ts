/**
 * Turnout totals for the whole election, each region and each province, computed from counts: the voters
 * of the comuni that have published a reading, divided by those comuni's electors. Never an average of
 * percentages (a comune of 500 electors would weigh as much as one of 500,000).
 *
 * A comune counts in a reading's total only once every one of its sections has reported it (before that
 * its voters cover some sections and its electors all of them); how many comuni are in is said alongside.
 */
import type { TurnoutPoint } from "./model.js";

/**
 * A comune's readings and where it is. Areas are keyed by codes every comune of the feed has (the
 * Ministry's region and province codes), so that a comune the index lacks still counts in its province.
 */
export interface TurnoutInput {
  /** e.g. the Ministry's region code "16". */
  regionKey: string;
  regionName: string;
  /** e.g. the Ministry's province code "106". */
  provinceKey: string;
  provinceName: string;
  /** "BT", where the comuni index knows it. */
  provinceSigla?: string;
  points: readonly TurnoutPoint[];
}

/** A reading of an area, summed from its comuni. */
export interface AreaTurnoutPoint extends TurnoutPoint {
  /** Comuni whose reading is in the total, of the area's comuni voting. */
  comuni: { reported: number; total: number };
}

export interface AreaTurnout {
  /** "Italia" for the whole election, else the region's or the province's key. */
  key: string;
  name: string;
  /** Provinces: the sigla, where the comuni index knows it. */
  sigla?: string;
  points: AreaTurnoutPoint[];
}

export interface TurnoutTotals {
  election: AreaTurnout;
  regions: AreaTurnout[];
  provinces: AreaTurnout[];
}

/** A reading across comuni: its hour, or "the final one" (whose time can differ by a few minutes). */
const readingKey = (p: Pick<TurnoutPoint, "at" | "final">) => (p.final ? "F" : `R${p.at}`);

/** True when a reading covers every section of its comune and has the counts a total needs. */
function complete(p: TurnoutPoint): p is TurnoutPoint & { voters: number; electors: number } {
  if (p.voters === undefined || p.electors === undefined || p.electors <= 0) return false;
  return p.sections === undefined || p.sections.counted === p.sections.total;
}

/** voters ÷ electors as a percentage, rounded to two decimals like the Ministry's. */
export function turnoutPercent(voters: number, electors: number): number {
  return Math.round((voters / electors) * 10_000) / 100;
}

interface Acc {
  at: string;
  final: boolean;
  takenAt?: string;
  voters: number;
  electors: number;
  reported: number;
}

class Area {
  readonly readings = new Map<string, Acc>();
  total = 0;
  sigla?: string;
  constructor(
    readonly key: string,
    public name: string,
  ) {}

  add(points: readonly TurnoutPoint[], sigla?: string, name?: string): void {
    this.total++;
    // The index's naming wins over the feed's (which a comune the index lacks brings).
    if (sigla && !this.sigla) {
      this.sigla = sigla;
      if (name) this.name = name;
    }
    for (const p of points) {
      const k = readingKey(p);
      let acc = this.readings.get(k);
      if (!acc) {
        acc = { at: p.at, final: p.final, takenAt: p.takenAt, voters: 0, electors: 0, reported: 0 };
        this.readings.set(k, acc);
      }
      if (!acc.takenAt || (p.takenAt && p.takenAt < acc.takenAt)) acc.takenAt = p.takenAt ?? acc.takenAt;
      if (!complete(p)) continue;
      acc.voters += p.voters;
      acc.electors += p.electors;
      acc.reported++;
    }
  }

  result(stated?: readonly TurnoutPoint[]): AreaTurnout {
    const statedBy = new Map((stated ?? []).map((p) => [readingKey(p), p]));
    const points = [...this.readings.values()]
      .sort(
        (a, b) =>
          Number(a.final) - Number(b.final) ||
          (a.takenAt && b.takenAt ? a.takenAt.localeCompare(b.takenAt) : a.at.localeCompare(b.at)),
      )
      .map((a): AreaTurnoutPoint => {
        const previous = statedBy.get(readingKey(a))?.previousPercent;
        return {
          at: a.at,
          final: a.final,
          ...(a.takenAt ? { takenAt: a.takenAt } : {}),
          ...(a.reported
            ? { voters: a.voters, electors: a.electors, percent: turnoutPercent(a.voters, a.electors) }
            : {}),
          ...(previous !== undefined ? { previousPercent: previous } : {}),
          comuni: { reported: a.reported, total: this.total },
        };
      });
    return { key: this.key, name: this.name, ...(this.sigla ? { sigla: this.sigla } : {}), points };
  }
}

/**
 * Totals for the election, its regions and its provinces. `provinceStated` carries the Ministry's own
 * province figures (its `ente_p`), from which the previous election's figure is taken: that one cannot be
 * computed from counts the feed gives, so regions and the election have none.
 */
export function turnoutTotals(
  comuni: Iterable<TurnoutInput>,
  provinceStated?: ReadonlyMap<string, readonly TurnoutPoint[]>,
): TurnoutTotals {
  const election = new Area("Italia", "Italia");
  const regions = new Map<string, Area>();
  const provinces = new Map<string, Area>();
  const areaIn = (map: Map<string, Area>, key: string, name: string) => {
    const found = map.get(key);
    if (found) return found;
    const area = new Area(key, name);
    map.set(key, area);
    return area;
  };
  for (const c of comuni) {
    election.add(c.points);
    areaIn(regions, c.regionKey, c.regionName).add(c.points);
    areaIn(provinces, c.provinceKey, c.provinceName).add(c.points, c.provinceSigla, c.provinceName);
  }
  const byName = (a: AreaTurnout, b: AreaTurnout) => a.name.localeCompare(b.name, "it");
  return {
    election: election.result(),
    regions: [...regions.values()].map((a) => a.result()).sort(byName),
    provinces: [...provinces.values()].map((a) => a.result(provinceStated?.get(a.key))).sort(byName),
  };
}
