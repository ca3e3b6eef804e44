/**
 * The results model: one shape for a comune's figures, whoever fills it — the data pack typed by the
 * newsroom, the importer of the Ministry's historical files, or the Ministry's live feed.
 *
 * Every figure is optional where a source may lack it: a gap stays empty, it is never estimated.
 * Every group of figures carries its provenance (who said it, when, partial or final).
 */
import { z } from "../validation.js";

const isoDate = z.iso.date({ message: "deve essere una data AAAA-MM-GG esistente" });
const timestamp = z.iso.datetime({
  offset: true,
  local: false,
  message: "deve essere un istante ISO con fuso, es. 2017-06-11T23:15:00+02:00",
});
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "deve essere un orario HH:MM");
const percent = z.number().min(0).max(100);
const count = z.number().int().nonnegative();
const nonEmpty = z.string().trim().min(1);

/** Sections (polling stations) counted or reported, of the total. */
export const SectionsSchema = z
  .object({ counted: count, total: z.number().int().positive() })
  .refine((s) => s.counted <= s.total, { message: "sezioni contate oltre il totale", path: ["counted"] });

/** Where a group of figures comes from, and how final it is. */
export const ProvenanceSchema = z.object({
  /** Who published the figures, as a reader would name them: "Ministero dell'Interno", "Comune di Asti". */
  source: nonEmpty,
  /** Pages the figures were taken from. */
  urls: z.array(z.url()).default([]),
  /** When the figures were last updated at the source, where known. */
  at: timestamp.optional(),
  /** "partial" while the count (or the readings) may still change; "final" once complete. */
  status: z.enum(["partial", "final"]),
  /** Conflicts between sources, recounts, caveats, in a few words. */
  note: nonEmpty.optional(),
});

/** A party list supporting a candidate. `name` is absent where the source knows the list only by its logo. */
export const ListResultSchema = z.object({
  name: nonEmpty.optional(),
  /** Position on the ballot, where known: also labels a list without a name ("Lista n. 11"). */
  position: z.number().int().positive().optional(),
  votes: count.optional(),
  percent: percent.optional(),
  seats: count.optional(),
  /** Runoff only: the list joined this candidate for the runoff (it ran with another one at the first round). */
  joinedForRunoff: z.boolean().optional(),
});

export const CandidateResultSchema = z.object({
  name: nonEmpty,
  /** Coalition or supporting lists in a few words, as the source names them. */
  coalition: nonEmpty.optional(),
  votes: count.optional(),
  percent: percent.optional(),
  /** Elected mayor at this round, as the source states it. */
  elected: z.boolean().optional(),
  lists: z.array(ListResultSchema).default([]),
  note: nonEmpty.optional(),
});

/** A turnout reading of one comune (or of an area, summed from its comuni). */
export const TurnoutPointSchema = z.object({
  /** Survey time, "12:00", "19:00", "23:00"; `final` marks the reading at the close. */
  at: clockTime,
  percent: percent.optional(),
  voters: count.optional(),
  electors: count.optional(),
  /** The previous election's figure at the same hour, where known. */
  previousPercent: percent.optional(),
  /** Sections that had reported this reading. */
  sections: SectionsSchema.optional(),
  final: z.boolean().default(false),
  /** When the reading was taken, where the source says (tells the days apart in a two-day vote). */
  takenAt: timestamp.optional(),
});

/** What the source states about a round's outcome. */
export const StatedOutcomeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("elected"), candidate: nonEmpty }),
  z.object({
    kind: z.literal("runoff"),
    candidates: z
      .tuple([nonEmpty, nonEmpty])
      .refine(([a, b]) => a !== b, { message: "il ballottaggio è tra due candidati diversi", path: [1] }),
  }),
  /** No mayor from this round (e.g. a runoff with one candidate that missed its quorum: Trapani 2017). */
  z.object({ kind: z.literal("void"), note: nonEmpty }),
]);

/** One round of voting in one comune. */
export const RoundResultSchema = z.object({
  date: isoDate,
  electors: count.optional(),
  voters: count.optional(),
  turnoutPercent: percent.optional(),
  previousTurnoutPercent: percent.optional(),
  blank: count.optional(),
  invalid: count.optional(),
  contested: count.optional(),
  /** Sections counted of the total. */
  sections: SectionsSchema.optional(),
  candidates: z.array(CandidateResultSchema).min(1),
  /** Stated only where the source states it; otherwise derived from the rules. */
  outcome: StatedOutcomeSchema.optional(),
  /** Turnout readings through the day of this round. */
  turnout: z.array(TurnoutPointSchema).default([]),
  provenance: ProvenanceSchema,
});

export type Sections = z.infer<typeof SectionsSchema>;
export type Provenance = z.infer<typeof ProvenanceSchema>;
export type ListResult = z.infer<typeof ListResultSchema>;
export type CandidateResult = z.infer<typeof CandidateResultSchema>;
export type TurnoutPoint = z.infer<typeof TurnoutPointSchema>;
export type StatedOutcome = z.infer<typeof StatedOutcomeSchema>;
export type RoundResult = z.infer<typeof RoundResultSchema>;

/**
 * A comune's identity, as the comuni index knows it (ISTAT) and as the Ministry's feed codes it.
 * `eligendo` is the 9-digit code RRPPPCCCC of the feed's paths (region, Ministry province, comune).
 */
export const ComuneIdentitySchema = z.object({
  istat: z.string().regex(/^\d{6}$/, "codice ISTAT di sei cifre"),
  name: nonEmpty,
  province: z.string().regex(/^[A-Z]{2}$/, "sigla di provincia di due lettere maiuscole"),
  provinceName: nonEmpty,
  region: nonEmpty,
  eligendo: z
    .string()
    .regex(/^\d{9}$/, "codice elettorale di nove cifre")
    .optional(),
});
export type ComuneIdentity = z.infer<typeof ComuneIdentitySchema>;

/**
 * A comune's results: identity, both rounds. The data pack's results.json holds these, the feed builds
 * them from the Ministry's answers; the views read only this.
 */
export interface ComuneResults {
  name: string;
  istat?: string;
  province: string;
  region: string;
  capoluogo: boolean;
  populationBand: "fino-15000" | "oltre-15000";
  aliases: string[];
  firstRound: RoundResult;
  runoff?: RoundResult;
}
