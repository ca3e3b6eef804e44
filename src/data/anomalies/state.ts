/**
 * The gate's state as plain JSON: what it keeps of each comune, written out to survive a restart, and the
 * schema that checks a state read back before the gate resumes from it.
 */
import { z } from "../../validation.js";
import type { Anomaly } from "../anomaly-types.js";
import type { RoundResult } from "../model.js";
import type { Baseline } from "./checks.js";

/** The newsroom's release of a hold: bulletins go despite the anomalies it covers (by key). */
export interface Release {
  at: string;
  /** Who released it, as the caller names them (an editor's id or name), for /stato. */
  by?: string;
  /** The keys of the hold anomalies present when released. */
  keys: string[];
}

/** What the gate keeps of one comune (one round): plain JSON. */
export interface GateEntry {
  /** The last good figures (no hold, or released), trimmed: what the next snapshot is checked against. */
  baseline?: Baseline;
  baselineAt?: string;
  /**
   * The last good figures in full, as observed (a shallow copy): what is shown while the comune is held.
   * Kept in memory always; written out ({@link AnomalyGate.entry}, {@link AnomalyGate.toJSON}) only while
   * held, since otherwise they are the current figures, which their owner keeps. Absent while a comune
   * held since its first snapshot has never had good figures.
   */
  good?: RoundResult;
  /** A hash of the last figures seen, and since when the figures have been these. */
  fingerprint?: string;
  changedAt?: string;
  /** When the last snapshot was observed. */
  seenAt?: string;
  /** The anomalies of the last snapshot. */
  anomalies: Anomaly[];
  /** When the current run of hold anomalies began (held or released); absent while consistent. */
  since?: string;
  /** Keys of hold anomalies already told to the newsroom in the current run. */
  told: string[];
  /** Keys of the notes in the last snapshot (a note is logged when it appears). */
  noted: string[];
  /** The newsroom's release, until an anomaly it does not cover appears. */
  release?: Release;
}

/** The gate's whole state, as {@link AnomalyGate.toJSON} writes it and {@link AnomalyGate.fromJSON} reads it. */
export interface GateState {
  version: 1;
  comuni: Record<string, GateEntry>;
}

const SectionsJson = z.object({ counted: z.number(), total: z.number() });
const BaselineSchema = z.object({
  sections: SectionsJson.optional(),
  voters: z.number().optional(),
  blank: z.number().optional(),
  invalid: z.number().optional(),
  contested: z.number().optional(),
  candidates: z.array(
    z.object({
      name: z.string(),
      votes: z.number().optional(),
      lists: z.array(
        z.object({ name: z.string().optional(), position: z.number().optional(), votes: z.number().optional() }),
      ),
    }),
  ),
  turnout: z.array(
    z.object({
      at: z.string(),
      final: z.boolean(),
      voters: z.number().optional(),
      percent: z.number().optional(),
      sections: SectionsJson.optional(),
    }),
  ),
  outcome: z.unknown().optional(),
});
const AnomalyJson = z.object({
  code: z.string(),
  severity: z.enum(["hold", "note"]),
  key: z.string(),
  figures: z.record(z.string(), z.unknown()),
  it: z.string(),
  en: z.string(),
});
const GateStateSchema = z.object({
  version: z.literal(1),
  comuni: z.record(
    z.string(),
    z.object({
      baseline: BaselineSchema.optional(),
      baselineAt: z.string().optional(),
      // Checked loosely: the figures were whole when written; a shape this version cannot read is refused.
      good: z
        .looseObject({
          date: z.string(),
          candidates: z.array(z.looseObject({ name: z.string() })),
          turnout: z.array(z.looseObject({ at: z.string() })),
          provenance: z.looseObject({ source: z.string(), status: z.enum(["partial", "final"]) }),
        })
        .optional(),
      fingerprint: z.string().optional(),
      changedAt: z.string().optional(),
      seenAt: z.string().optional(),
      anomalies: z.array(AnomalyJson),
      since: z.string().optional(),
      told: z.array(z.string()),
      noted: z.array(z.string()),
      release: z.object({ at: z.string(), by: z.string().optional(), keys: z.array(z.string()) }).optional(),
    }),
  ),
});

/**
 * A state read back (a parsed JSON value), checked. Throws, saying what is wrong, when it is not a state
 * this version wrote.
 */
export function parseGateState(json: unknown): GateState {
  const parsed = GateStateSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(
      `stato del controllo anomalie non valido: ${first?.path.join(".") || "(radice)"}: ${first?.message}`,
    );
  }
  return parsed.data as GateState;
}
