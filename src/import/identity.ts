/**
 * A comune's identity from what the Ministry's file says of it — its name in capitals, its province and
 * region by name — against the comuni index (ISTAT code, name, province sigla): "FORLI'" in "FORLI'-CESENA"
 * is Forlì, 040012, FC. Homonyms (Castro in Bergamo and in Lecce) are told apart by province, then region.
 *
 * Without an index, or for a comune the index lacks, the name is proper-cased from the file and the
 * province sigla read from the province's name; such a comune has no ISTAT code.
 */
import { readFile } from "node:fs/promises";
import { editDistance, nameKey } from "../data/lookup.js";
import { z } from "../validation.js";
import { properCasePlace } from "./names.js";
import { PROVINCE_ALIASES, PROVINCES } from "./provinces.js";

/** One comune of the index: data/comuni.json, or ISTAT's list in the same shape. Extra fields are ignored. */
export const ComuneEntrySchema = z.object({
  istat: z.string().regex(/^\d{6}$/, "codice ISTAT di sei cifre"),
  name: z.string().trim().min(1),
  province: z.string().regex(/^[A-Z]{2}$/, "sigla di provincia di due lettere maiuscole"),
  provinceName: z.string().trim().min(1).optional(),
  region: z.string().trim().min(1).optional(),
  capoluogo: z.boolean().optional(),
});
export type ComuneEntry = z.infer<typeof ComuneEntrySchema>;

const IndexArraySchema = z.array(ComuneEntrySchema);
const IndexObjectSchema = z.object({ comuni: IndexArraySchema });

/** Reads a comuni index: a JSON array of entries, or `{ "comuni": [...] }`. Throws with a readable message. */
export async function loadComuniIndex(file: string): Promise<ComuneEntry[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `indice dei comuni ${file}: ${code === "ENOENT" ? "file inesistente" : `illeggibile (${(err as Error).message})`}`,
    );
  }
  // Checked against the shape it has, so the message points at the entry at fault, not at the union.
  const r = Array.isArray(json) ? IndexArraySchema.safeParse(json) : IndexObjectSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`indice dei comuni ${file}: ${i.path.join(".") || "(radice)"}: ${i.message}`);
  }
  return Array.isArray(r.data) ? r.data : r.data.comuni;
}

/** What the importer knows of a comune once resolved. */
export interface Identity {
  name: string;
  istat?: string;
  province: string;
  region: string;
  /** Only when the index says so. */
  capoluogo?: boolean;
}

export type Resolution =
  | { kind: "found"; identity: Identity; fromIndex: boolean }
  /** Not resolvable without guessing; `reason` says why, in Italian. */
  | { kind: "unresolved"; reason: string };

/** Keys a name is known by: the whole, and each half of a bilingual name ("Bolzano/Bozen"). */
function keysOf(name: string): string[] {
  const parts = name.split("/").map(nameKey);
  return [...new Set([nameKey(name), ...parts])].filter(Boolean);
}

/** The index, ready to resolve the file's names. */
export class ComuniIndex {
  private readonly byName = new Map<string, ComuneEntry[]>();
  private readonly provinceByKey = new Map<string, string>();
  private readonly regionOfProvince = new Map<string, string>();

  constructor(readonly entries: readonly ComuneEntry[] = []) {
    for (const [sigla, [name, region]] of Object.entries(PROVINCES)) {
      for (const k of keysOf(name)) this.provinceByKey.set(k, sigla);
      this.regionOfProvince.set(sigla, region);
    }
    for (const [sigla, names] of Object.entries(PROVINCE_ALIASES)) {
      for (const n of names) this.provinceByKey.set(nameKey(n), sigla);
    }
    for (const e of entries) {
      for (const k of keysOf(e.name)) {
        const list = this.byName.get(k);
        if (list) list.push(e);
        else this.byName.set(k, [e]);
      }
      // The index's own province names and regions win over the built-in table.
      if (e.provinceName) for (const k of keysOf(e.provinceName)) this.provinceByKey.set(k, e.province);
      if (e.region) this.regionOfProvince.set(e.province, e.region);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * The sigla of a province as the file names it: "GENOVA", "FORLI'-CESENA", "REGGIO CALABRIA", or already
   * "GE". A close spelling (two letters off) is accepted only when it points to a single province.
   */
  provinceSigla(province: string | undefined): string | undefined {
    if (!province) return undefined;
    const upper = province.trim().toUpperCase();
    if (/^[A-Z]{2}$/.test(upper) && this.regionOfProvince.has(upper)) return upper;
    for (const k of keysOf(province)) {
      const s = this.provinceByKey.get(k);
      if (s) return s;
    }
    const key = nameKey(province);
    const close = new Set<string>();
    for (const [k, s] of this.provinceByKey) if (editDistance(key, k, 2) <= 2) close.add(s);
    return close.size === 1 ? [...close][0] : undefined;
  }

  /** The region of a province sigla, ISTAT's spelling. */
  regionOf(sigla: string): string | undefined {
    return this.regionOfProvince.get(sigla);
  }

  /** Who the file's (comune, province, region) is. */
  resolve(comune: string, province?: string, region?: string): Resolution {
    const sigla = this.provinceSigla(province);
    const sameRegion = (e: ComuneEntry) =>
      !!region && keysOf(e.region ?? this.regionOf(e.province) ?? "").includes(keysOf(region)[0]!);
    let candidates = [...new Set(keysOf(comune).flatMap((k) => this.byName.get(k) ?? []))];
    if (candidates.length > 1 && sigla) {
      const inProvince = candidates.filter((c) => c.province === sigla);
      if (inProvince.length) candidates = inProvince;
    }
    if (candidates.length > 1 && region) {
      const inRegion = candidates.filter(sameRegion);
      if (inRegion.length) candidates = inRegion;
    }
    if (candidates.length === 1 && sigla && candidates[0]!.province !== sigla && !sameRegion(candidates[0]!)) {
      // The file places it elsewhere: another comune of the same name, missing from the index.
      const e = candidates[0]!;
      return {
        kind: "unresolved",
        reason: `l'indice ha ${e.name} in provincia ${e.province}, il file in «${province}» (${sigla})`,
      };
    }
    if (candidates.length === 1) {
      const e = candidates[0]!;
      // A single comune of that name is the one, even where the file's province is unknown or differs within
      // the region (a province renamed or redrawn, as in Sardinia).
      return {
        kind: "found",
        fromIndex: true,
        identity: {
          name: e.name,
          istat: e.istat,
          province: e.province,
          region: e.region ?? this.regionOf(e.province) ?? properCasePlace(region ?? ""),
          ...(e.capoluogo !== undefined ? { capoluogo: e.capoluogo } : {}),
        },
      };
    }
    if (candidates.length > 1) {
      return {
        kind: "unresolved",
        reason: `più comuni si chiamano così (${candidates.map((c) => `${c.name} ${c.province}`).join(", ")}) e la provincia «${province ?? ""}» non li distingue`,
      };
    }
    if (!sigla) {
      return {
        kind: "unresolved",
        reason: province
          ? `provincia «${province}» sconosciuta${this.size ? " e comune assente dall'indice" : ""}`
          : "provincia assente dal file e comune assente dall'indice",
      };
    }
    return {
      kind: "found",
      fromIndex: false,
      identity: {
        name: properCasePlace(comune),
        province: sigla,
        region: this.regionOf(sigla) ?? properCasePlace(region ?? ""),
      },
    };
  }
}
