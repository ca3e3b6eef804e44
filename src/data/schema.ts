/**
 * The data pack's files as zod schemas (the TypeScript types come from the same schemas): the election and
 * its rules, turnout, results (the shared results model of model.ts), bulletins, the comuni index.
 */
import { z } from "../validation.js";
import { ComuneIdentitySchema, ComuneResultsSchema, ProvenanceSchema } from "./model.js";

/** "HH:MM", 24-hour clock. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "deve essere un orario HH:MM");
/** ISO date "YYYY-MM-DD" of a day that exists (not "2017-06-31", which views would render as 1 July or fail on). */
const isoDate = z.iso.date({ message: "deve essere una data AAAA-MM-GG esistente" });
/** ISO timestamp with an explicit offset, e.g. "2017-06-11T23:15:00+02:00". */
const timestamp = z.iso.datetime({
  offset: true,
  local: false,
  message: "deve essere un istante ISO con fuso, es. 2017-06-11T23:15:00+02:00",
});
const percent = z.number().min(0).max(100);
const nonEmpty = z.string().trim().min(1);

/** A band of a council-size table: up to `upTo` inhabitants (inclusive; none on the last band), `seats` councillors. */
const SizeBandSchema = z.object({ upTo: z.number().int().positive().optional(), seats: z.number().int().positive() });

/**
 * A region's own law for the council's seats (src/data/seats.ts), where it differs from the national one
 * (TUEL arts. 37, 71, 73). `computed: false` names a region whose law the bot does not compute: it says so.
 */
export const RegionalSeatRuleSchema = z.object({
  computed: z.boolean().default(true),
  /** Why it is not computed, or a caveat, in a few words (shown to readers). */
  note: nonEmpty.optional(),
  /** The law's reference for the seats, as it completes "la legge regionale …". */
  law: nonEmpty.optional(),
  urls: z.array(z.url()).default([]),
  /** Lists below this share are excluded (national 3%; 0 for none). */
  listThresholdPercent: percent.optional(),
  /** Whether a list below the threshold is admitted when its group passed it (national: yes). */
  groupRescue: z.boolean().optional(),
  /** Comuni above the runoff threshold: the share of the seats the mayor's lists are raised to (national 60%). */
  bonusPercent: percent.optional(),
  /** Councillors besides the mayor by population, smallest band first; the national table when absent. */
  councilSize: z.array(SizeBandSchema).optional(),
  /** Councillors of a capoluogo di provincia, whatever its population. */
  capoluogoCouncil: z.number().int().positive().optional(),
  /** Comuni up to the runoff threshold: the winner's share of the seats by population (two thirds when absent). */
  smallBonus: z
    .array(
      z.object({
        upTo: z.number().int().positive().optional(),
        numerator: z.number().int().positive(),
        denominator: z.number().int().positive(),
      }),
    )
    .optional(),
});

/**
 * A region's own law for its comuni (Sicily, Friuli-Venezia Giulia…): data, not code, so that the next
 * election's rules are a change of the pack.
 */
export const RegionalRuleSchema = z.object({
  /** The law's reference, as it completes "la legge regionale …": "n. 19 del 5 dicembre 2013", "del 2016". */
  law: nonEmpty.optional(),
  /** Pages that state the rule. */
  urls: z.array(z.url()).default([]),
  /** Comuni above this population may go to a runoff; the national threshold when absent. */
  runoffPopulationThreshold: z.number().int().positive().optional(),
  /** The share that elects at the first round above the threshold; the national majority when absent. */
  firstRoundPercent: percent.optional(),
  /** Whether reaching the share is enough ("almeno il 40%", Sicily) or it must be exceeded (a majority). */
  firstRoundInclusive: z.boolean().default(false),
  /**
   * A runoff with a single candidate (the other withdrew or was excluded) elects only with this turnout and
   * this share of the electors voting for the candidate (Sicily: 50% and 25%; Trapani 2017 missed both).
   */
  singleCandidateRunoff: z.object({ minTurnoutPercent: percent, minElectorsPercent: percent.optional() }).optional(),
});

export const RulesSchema = z.object({
  /** Comuni above this population may go to a runoff; those at or below it elect at one round. */
  runoffPopulationThreshold: z.number().int().positive(),
  /** Share (strictly above) that elects at the first round. */
  majorityPercent: percent,
  /** Regions with laws of their own, by the region's name as the comuni index writes it ("Sicilia"). */
  regions: z.record(nonEmpty, RegionalRuleSchema).default({}),
  /**
   * Regions whose law for the council's seats differs from the national one (TUEL arts. 37, 71, 73), by the
   * region's name as the comuni index writes it; apart from `regions` so that naming a region here changes
   * nothing of how its mayor is elected.
   */
  councils: z.record(nonEmpty, RegionalSeatRuleSchema).optional(),
});

/** Another source's value for one of the election's figures: kept beside the figure the pack uses, and shown with it. */
export const OtherFigureSchema = z.object({
  value: z.number().int().positive(),
  /** Who gives it, as a reader would name them: "si24.it, money.it". */
  source: nonEmpty,
  urls: z.array(z.url()).default([]),
});

/** Where the election's figures come from, and what other sources give where they disagree. */
export const ElectionProvenanceSchema = ProvenanceSchema.extend({
  /** Other sources' values of a figure (by its field), where they differ from the one used: /info names them. */
  otherFigures: z.object({ voters: z.array(OtherFigureSchema).min(1).optional() }).optional(),
});

export const ElectionSchema = z
  .object({
    id: nonEmpty,
    name: nonEmpty,
    firstRoundDate: isoDate,
    runoffDate: isoDate,
    timezone: nonEmpty.default("Europe/Rome"),
    pollsOpen: clockTime,
    pollsClose: clockTime,
    comuniVoting: z.number().int().positive(),
    /** Figures an imported file may not give: left out rather than estimated. */
    capoluoghiVoting: z.number().int().nonnegative().optional(),
    /** Electors of the comuni voting. */
    voters: z.number().int().positive().optional(),
    population: z.number().int().positive().optional(),
    /** Comuni that held a runoff, where known. */
    runoffComuniVoting: z.number().int().nonnegative().optional(),
    /**
     * ISTAT codes of the comuni voting, besides those in results.json (which vote by definition): lets the
     * bot say "X non ha votato" only when the list is complete.
     */
    votingComuni: z.array(z.string().regex(/^\d{6}$/, "codice ISTAT di sei cifre")).default([]),
    /** True only when every comune voting is listed (here or in results.json): then the others did not vote. */
    votingListComplete: z.boolean().default(false),
    /** Where the election's figures (comuni, voters, population…) come from. */
    provenance: ElectionProvenanceSchema.optional(),
    rules: RulesSchema,
  })
  .superRefine((e, ctx) => {
    const other = e.provenance?.otherFigures ?? {};
    for (const field of ["voters"] as const) {
      const values = other[field];
      if (!values) continue;
      const used = e[field];
      if (used === undefined) {
        const path = ["provenance", "otherFigures", field];
        ctx.addIssue({ code: "custom", path, message: `altre fonti per un dato assente: manca ${field}` });
        continue;
      }
      values.forEach((o, i) => {
        if (o.value === used)
          ctx.addIssue({
            code: "custom",
            path: ["provenance", "otherFigures", field, i, "value"],
            message: `uguale al dato usato (${used}): non è un'altra cifra`,
          });
      });
    }
  });

export const TurnoutReadingSchema = z.object({
  /** Survey time, "12:00". */
  at: clockTime,
  percent,
  /** True when the source gives a rounded, indicative figure ("intorno al 15%"). */
  approximate: z.boolean().default(false),
  /** Which comuni the figure covers, e.g. "311 comuni su 849". */
  coverage: nonEmpty.optional(),
  /** The same in English, for English clients ("311 comuni of 849"); without it they are not told the coverage. */
  coverageEn: nonEmpty.optional(),
  /** When the figure was published, where known. */
  publishedAt: timestamp.optional(),
  /** The same figure at the previous election of these comuni, where known. */
  previousPercent: percent.optional(),
  /** For a runoff reading: the same comuni at the same hour of the first round. */
  firstRoundPercent: percent.optional(),
  /** True for the final figure at poll close. */
  final: z.boolean().default(false),
  /** Who gave the figure, and how final it is. */
  provenance: ProvenanceSchema.optional(),
});

/** The whole election's turnout: the first round's readings and, once held, the runoff's. */
export const TurnoutSchema = z.object({
  readings: z.array(TurnoutReadingSchema).default([]),
  runoff: z.object({ readings: z.array(TurnoutReadingSchema).default([]) }).optional(),
});

export const ResultsSchema = z.object({ comuni: z.array(ComuneResultsSchema).default([]) });

/** comuni.json: every comune the bot knows, whether it voted or not. */
export const ComuniIndexSchema = z.object({
  /** Where the list and its codes come from. */
  source: nonEmpty,
  comuni: z.array(ComuneIdentitySchema).min(1),
});

/**
 * A figure of a bulletin that was later made final (the count completed, the Ministry's final turnout): the
 * bulletin stays as it was said, and /ultime shows this under it. In Italian, as the bulletin.
 */
export const BulletinNoteSchema = z.object({
  /** The final figure, completing "Dato poi definito: …": "affluenza del 60,07%, contro il 66,85%…". */
  text: nonEmpty.max(300),
  /** Who gives the final figure: "Ministero dell'Interno". */
  source: nonEmpty,
  urls: z.array(z.url()).default([]),
});

export const BulletinSchema = z.object({
  /** Stable identifier: a bulletin is published once per id. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "minuscole, cifre e trattini, massimo 64 caratteri"),
  publishedAt: timestamp,
  text: nonEmpty.max(3000),
  /** Names of the comuni it concerns; empty for national bulletins. */
  comuni: z.array(nonEmpty).default([]),
  /** Figures it gave that were later made final, one line each under it in /ultime (a pushed copy stays as sent). */
  notes: z.array(BulletinNoteSchema).optional(),
});

export const BulletinsSchema = z.object({ bulletins: z.array(BulletinSchema) }).superRefine((b, ctx) => {
  const ids = new Set<string>();
  b.bulletins.forEach((x, i) => {
    if (ids.has(x.id)) ctx.addIssue({ code: "custom", path: ["bulletins", i, "id"], message: `id ripetuto "${x.id}"` });
    ids.add(x.id);
  });
});

export type RegionalRule = z.infer<typeof RegionalRuleSchema>;
export type RegionalSeatRule = z.infer<typeof RegionalSeatRuleSchema>;
export type Rules = z.infer<typeof RulesSchema>;
export type Election = z.infer<typeof ElectionSchema>;
export type TurnoutReading = z.infer<typeof TurnoutReadingSchema>;
export type Turnout = z.infer<typeof TurnoutSchema>;
export type Results = z.infer<typeof ResultsSchema>;
export type ComuniIndex = z.infer<typeof ComuniIndexSchema>;
export type Bulletin = z.infer<typeof BulletinSchema>;
export type BulletinNote = z.infer<typeof BulletinNoteSchema>;
export type OtherFigure = z.infer<typeof OtherFigureSchema>;
export type Bulletins = z.infer<typeof BulletinsSchema>;

/**
 * The files of a data pack and the schema each must satisfy. Only election.json is required: before the
 * night a pack is the election alone; results, turnout, bulletins and the comuni index come as they exist.
 */
export const PACK_FILES = {
  election: { file: "election.json", schema: ElectionSchema, required: true },
  comuni: { file: "comuni.json", schema: ComuniIndexSchema, required: false },
  turnout: { file: "turnout.json", schema: TurnoutSchema, required: false },
  results: { file: "results.json", schema: ResultsSchema, required: false },
  bulletins: { file: "bulletins.json", schema: BulletinsSchema, required: false },
} as const;
