import { z } from "../validation.js";

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

export const RulesSchema = z.object({
  /** Comuni above this population may go to a runoff; those at or below it elect at one round. */
  runoffPopulationThreshold: z.number().int().positive(),
  /** Share (strictly above) that elects at the first round. */
  majorityPercent: percent,
  /** Regions with their own first-round threshold (share reached, inclusive), e.g. Sicilia: 40. */
  regionalFirstRoundPercent: z.record(nonEmpty, percent).default({}),
});

export const ElectionSchema = z.object({
  id: nonEmpty,
  name: nonEmpty,
  firstRoundDate: isoDate,
  runoffDate: isoDate,
  timezone: nonEmpty.default("Europe/Rome"),
  pollsOpen: clockTime,
  pollsClose: clockTime,
  comuniVoting: z.number().int().positive(),
  capoluoghiVoting: z.number().int().nonnegative(),
  voters: z.number().int().positive(),
  population: z.number().int().positive(),
  rules: RulesSchema,
});

export const TurnoutReadingSchema = z.object({
  /** Survey time, "12:00". */
  at: clockTime,
  percent,
  /** True when the source gives a rounded, indicative figure ("intorno al 15%"). */
  approximate: z.boolean().default(false),
  /** Which comuni the figure covers, e.g. "311 comuni su 849". */
  coverage: nonEmpty.optional(),
  /** When the figure was published. */
  publishedAt: timestamp,
  /** The same figure at the previous election of these comuni, where known. */
  previousPercent: percent.optional(),
  /** True for the final figure at poll close. */
  final: z.boolean().default(false),
});

export const TurnoutSchema = z.object({
  readings: z.array(TurnoutReadingSchema).min(1),
});

export const CandidateSchema = z.object({
  name: nonEmpty,
  /** Coalition or list supporting the candidate, as the source names it. */
  coalition: nonEmpty.optional(),
  /** Share of the vote; absent where the source gives none. */
  percent: percent.optional(),
  note: nonEmpty.optional(),
});

export const OutcomeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("elected"), candidate: nonEmpty }),
  z.object({
    kind: z.literal("runoff"),
    candidates: z
      .tuple([nonEmpty, nonEmpty])
      .refine(([a, b]) => a !== b, { message: "il ballottaggio è tra due candidati diversi", path: [1] }),
  }),
]);

export const ComuneSchema = z
  .object({
    name: nonEmpty,
    /** Alternative spellings users may type. */
    aliases: z.array(nonEmpty).default([]),
    province: z.string().regex(/^[A-Z]{2}$/, "sigla di provincia di due lettere maiuscole"),
    region: nonEmpty,
    capoluogo: z.boolean().default(false),
    /** Whether the population is above the runoff threshold of the election rules. */
    populationBand: z.enum(["fino-15000", "oltre-15000"]),
    candidates: z.array(CandidateSchema).min(1),
    /** Stated only where the source states it; otherwise derived from the rules. */
    outcome: OutcomeSchema.optional(),
    turnout: z.array(z.object({ at: clockTime, percent, previousPercent: percent.optional() })).default([]),
  })
  .superRefine((c, ctx) => {
    const total = c.candidates.reduce((s, k) => s + (k.percent ?? 0), 0);
    if (total > 100.05) {
      ctx.addIssue({
        code: "custom",
        path: ["candidates"],
        message: `le percentuali sommano a ${total.toFixed(2).replace(".", ",")}, oltre 100`,
      });
    }
    const names = new Set(c.candidates.map((k) => k.name));
    if (names.size !== c.candidates.length) {
      ctx.addIssue({ code: "custom", path: ["candidates"], message: "candidato ripetuto" });
    }
    const named = c.outcome?.kind === "elected" ? [c.outcome.candidate] : (c.outcome?.candidates ?? []);
    named.forEach((n, i) => {
      if (!names.has(n)) {
        ctx.addIssue({
          code: "custom",
          path: [
            "outcome",
            c.outcome?.kind === "elected" ? "candidate" : `candidates`,
            ...(c.outcome?.kind === "runoff" ? [i] : []),
          ],
          message: `"${n}" non è tra i candidati`,
        });
      }
    });
  });

export const ResultsSchema = z.object({ comuni: z.array(ComuneSchema) }).superRefine((r, ctx) => {
  const seen = new Map<string, number>();
  r.comuni.forEach((c, i) => {
    const key = c.name.toLowerCase();
    if (seen.has(key))
      ctx.addIssue({
        code: "custom",
        path: ["comuni", i, "name"],
        message: `comune ripetuto (già all'indice ${seen.get(key)})`,
      });
    seen.set(key, i);
  });
});

export const BulletinSchema = z.object({
  /** Stable identifier: a bulletin is published once per id. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "minuscole, cifre e trattini, massimo 64 caratteri"),
  publishedAt: timestamp,
  text: nonEmpty.max(3000),
  /** Names of the comuni it concerns; empty for national bulletins. */
  comuni: z.array(nonEmpty).default([]),
});

export const BulletinsSchema = z.object({ bulletins: z.array(BulletinSchema) }).superRefine((b, ctx) => {
  const ids = new Set<string>();
  b.bulletins.forEach((x, i) => {
    if (ids.has(x.id)) ctx.addIssue({ code: "custom", path: ["bulletins", i, "id"], message: `id ripetuto "${x.id}"` });
    ids.add(x.id);
  });
});

export type Rules = z.infer<typeof RulesSchema>;
export type Election = z.infer<typeof ElectionSchema>;
export type TurnoutReading = z.infer<typeof TurnoutReadingSchema>;
export type Turnout = z.infer<typeof TurnoutSchema>;
export type Candidate = z.infer<typeof CandidateSchema>;
export type Outcome = z.infer<typeof OutcomeSchema>;
export type Comune = z.infer<typeof ComuneSchema>;
export type Results = z.infer<typeof ResultsSchema>;
export type Bulletin = z.infer<typeof BulletinSchema>;
export type Bulletins = z.infer<typeof BulletinsSchema>;

/** The files of a data pack and the schema each must satisfy. */
export const PACK_FILES = {
  election: { file: "election.json", schema: ElectionSchema },
  turnout: { file: "turnout.json", schema: TurnoutSchema },
  results: { file: "results.json", schema: ResultsSchema },
  bulletins: { file: "bulletins.json", schema: BulletinsSchema },
} as const;
