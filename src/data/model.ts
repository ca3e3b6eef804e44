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
  /** Caveats about single figures, one per line: "Rossa: votes from a single source", a conflict between sources. */
  details: z.array(nonEmpty).optional(),
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
  /** A defeated candidate seated in the council, as the source states it (the feed's `eletto: "C"`). */
  councillor: z.boolean().optional(),
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
  /** Councillors to elect besides the mayor, as the source states it (the feed's `sg_spett`). */
  councilSeats: z.number().int().positive().optional(),
  candidates: z.array(CandidateResultSchema).min(1),
  /** Stated only where the source states it; otherwise derived from the rules. */
  outcome: StatedOutcomeSchema.optional(),
  /** Turnout readings through the day of this round. */
  turnout: z.array(TurnoutPointSchema).default([]),
  provenance: ProvenanceSchema,
  /** Where the turnout figures come from, when not from the same source as the count (the feed reads them apart). */
  turnoutProvenance: ProvenanceSchema.optional(),
  /** A fact about this round that readers should see, in one sentence: a recount, an exclusion. */
  note: nonEmpty.optional(),
  /**
   * A runoff, once its seats are allocated: the candidates who did not run at it, with the lists they kept
   * and the seats the Ministry gave them after it, and whether they sit in the council (`eletto: "C"`).
   */
  otherGroups: z
    .array(z.object({ candidate: nonEmpty, councillor: z.boolean().optional(), lists: z.array(ListResultSchema) }))
    .optional(),
});

export type Sections = z.infer<typeof SectionsSchema>;
export type Provenance = z.infer<typeof ProvenanceSchema>;
export type ListResult = z.infer<typeof ListResultSchema>;
export type CandidateResult = z.infer<typeof CandidateResultSchema>;
export type TurnoutPoint = z.infer<typeof TurnoutPointSchema>;
export type StatedOutcome = z.infer<typeof StatedOutcomeSchema>;
export type RoundResult = z.infer<typeof RoundResultSchema>;

/** Which vote of an election a figure belongs to: the first round, or the runoff two weeks later. */
export type Round = "first" | "runoff";

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
  /** Legal population at the last general census (the law's thresholds and council sizes), where known. */
  population: z.number().int().positive().optional(),
});
export type ComuneIdentity = z.infer<typeof ComuneIdentitySchema>;

declare const comuneCodeBrand: unique symbol;

/**
 * A comune's stable identity, as subscriptions, bulletins, live cards and the newsroom's tags keep it:
 * its ISTAT code (six digits); for a comune of the Ministry's feed that the comuni index lacks, the
 * Ministry's code (nine). Never its name: Castro (BG) and Castro (LE) share one. Made by `codeOf`
 * (src/data/places.ts) from a known comune, or read back from the store.
 */
export type ComuneCode = string & { readonly [comuneCodeBrand]: true };

/** A code read back from where it was kept (the store, a button): only what `codeOf` made goes there. */
export const asComuneCode = (code: string): ComuneCode => code as ComuneCode;

const POPULATION_BANDS = ["fino-15000", "oltre-15000"] as const;

/** Names an outcome gives, with the path of each inside the outcome. */
function outcomeNames(o: StatedOutcome | undefined): { name: string; path: (string | number)[] }[] {
  if (!o) return [];
  if (o.kind === "elected") return [{ name: o.candidate, path: ["candidate"] }];
  if (o.kind === "runoff") return o.candidates.map((name, i) => ({ name, path: ["candidates", i] }));
  return [];
}

/**
 * How far over 100 the shares of a round may add up. Shares taken from different sources, each rounding on
 * its own, may exceed 100 by a little (Pistoia 2017: 100,10); a mistyped figure overshoots by far more.
 */
export const PERCENT_SUM_TOLERANCE = 0.2;

/** Checks one round on its own: candidates named once, shares that fit in 100, an outcome naming its candidates. */
function checkRound(r: RoundResult, at: string, ctx: z.RefinementCtx): void {
  const total = r.candidates.reduce((s, k) => s + (k.percent ?? 0), 0);
  if (total > 100 + PERCENT_SUM_TOLERANCE) {
    ctx.addIssue({
      code: "custom",
      path: [at, "candidates"],
      message: `le percentuali sommano a ${total.toFixed(2).replace(".", ",")}, oltre 100`,
    });
  }
  const names = new Set<string>();
  r.candidates.forEach((k, i) => {
    if (names.has(k.name))
      ctx.addIssue({ code: "custom", path: [at, "candidates", i, "name"], message: `candidato ripetuto "${k.name}"` });
    names.add(k.name);
  });
  for (const { name, path } of outcomeNames(r.outcome)) {
    if (!names.has(name))
      ctx.addIssue({ code: "custom", path: [at, "outcome", ...path], message: `"${name}" non è tra i candidati` });
  }
  r.candidates.forEach((k, i) => {
    if (!k.elected || !r.outcome) return;
    if (r.outcome.kind !== "elected" || r.outcome.candidate !== k.name)
      ctx.addIssue({
        code: "custom",
        path: [at, "candidates", i, "elected"],
        message: `eletto secondo il candidato, ma l'esito del turno dice altro (${r.outcome.kind})`,
      });
  });
  if (r.voters !== undefined && r.electors !== undefined && r.voters > r.electors)
    ctx.addIssue({ code: "custom", path: [at, "voters"], message: "votanti più degli elettori" });
}

/**
 * A comune's results: identity, both rounds. The data pack's results.json holds these, the feed builds
 * them from the Ministry's answers, the importer from the Ministry's historical files; the views read only this.
 */
export const ComuneResultsSchema = z
  .object({
    name: nonEmpty,
    /** ISTAT code: joins the comune to the comuni index (and through it to the feed's code). */
    istat: ComuneIdentitySchema.shape.istat.optional(),
    province: ComuneIdentitySchema.shape.province,
    region: nonEmpty,
    capoluogo: z.boolean().default(false),
    /**
     * Whether the population is above the runoff threshold of the rules. Absent where the source does not
     * say (an imported historical file): then a stated outcome decides, or the rules say what they can.
     */
    populationBand: z.enum(POPULATION_BANDS).optional(),
    /** Other spellings people type ("Spezia"). */
    aliases: z.array(nonEmpty).default([]),
    firstRound: RoundResultSchema,
    /** The runoff, once there is one to report (one candidate only where the other withdrew or was excluded). */
    runoff: RoundResultSchema.refine((r) => r.candidates.length <= 2, {
      message: "al ballottaggio vanno al più due candidati",
      path: ["candidates"],
    }).optional(),
  })
  .superRefine((c, ctx) => {
    checkRound(c.firstRound, "firstRound", ctx);
    const r = c.runoff;
    if (!r) return;
    checkRound(r, "runoff", ctx);
    if (r.date <= c.firstRound.date)
      ctx.addIssue({ code: "custom", path: ["runoff", "date"], message: "il ballottaggio segue il primo turno" });
    if (c.populationBand === "fino-15000")
      ctx.addIssue({
        code: "custom",
        path: ["populationBand"],
        message: "un comune che va al ballottaggio non è nella fascia fino-15000",
      });
    const first = c.firstRound.outcome;
    if (first?.kind === "elected")
      ctx.addIssue({
        code: "custom",
        path: ["runoff"],
        message: `un ballottaggio dopo l'elezione al primo turno di ${first.candidate}`,
      });
    const firstNames = new Set(c.firstRound.candidates.map((k) => k.name));
    const pair = first?.kind === "runoff" ? new Set<string>(first.candidates) : undefined;
    r.candidates.forEach((k, i) => {
      if (!firstNames.has(k.name))
        ctx.addIssue({
          code: "custom",
          path: ["runoff", "candidates", i, "name"],
          message: `"${k.name}" non è tra i candidati del primo turno`,
        });
      else if (pair && !pair.has(k.name))
        ctx.addIssue({
          code: "custom",
          path: ["runoff", "candidates", i, "name"],
          message: `"${k.name}" non è tra i due ammessi al ballottaggio dal primo turno`,
        });
    });
  });

/** The input shape of results (what a file holds, defaults not yet applied). */
export type ComuneResultsInput = z.input<typeof ComuneResultsSchema>;
export type ComuneResults = z.infer<typeof ComuneResultsSchema>;
export type PopulationBand = (typeof POPULATION_BANDS)[number];

/** Why a round ended as it did (or why it cannot be said yet): the words the interface explains it with. */
export type OutcomeReason =
  | "majority" // over the majority share at the first round
  | "regional-threshold" // reached the region's own first-round share
  | "single-round" // small comune: one round, most voted wins
  | "no-majority" // nobody reached the share: runoff between the top two
  | "population-unknown" // below the share, and the data does not say whether the comune may hold a runoff
  | "runoff-most-votes" // the runoff: the most voted wins
  | "single-candidate" // a runoff with one candidate, who met the region's quorum
  | "single-candidate-quorum" // a runoff with one candidate, who missed it: no mayor
  | "stated" // as the source states, the rules alone would not say so
  | "incomplete" // the data does not allow a decision yet
  | "tie" // equal figures where it matters
  | "runoff-tie"; // a runoff, but candidates level for its last place: the law decides, the data cannot
