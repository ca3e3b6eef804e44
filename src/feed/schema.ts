/**
 * zod schemas of the Ministry's answers: the places voting (`getentiG`), the turnout of a province
 * (`votanti`) and the results of a comune (`scrutiniG`, first round and `SCRUTINI_2T` runoff).
 *
 * They validate what the code reads and turn the feed's conventions into plain values on the way:
 * percentages with a decimal comma ("50,64") become numbers, `YYYYMMDDhhmmss` stamps become ISO instants
 * in Europe/Rome, `null` becomes absent. Unknown fields are ignored (zod strips them): newer responses
 * add fields (`tot_vot_cand`, `sigla_prov`, …) and must never fail on them.
 */
import { z } from "../validation.js";
import { normalizeCode } from "./codes.js";
import { stampToDate, stampToIso } from "./time.js";

/** A count: a non-negative integer, `null` read as absent. Digits in a string are accepted too. */
const count = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, "deve essere un numero intero")])
  .nullish()
  .transform((v) => (v === null || v === undefined ? undefined : Number(v)));

/** A percentage as the feed writes it, "50,64" (also 50.64 or "50.64"), between 0 and 100. */
const percent = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined) return undefined;
    if (typeof v === "string" && v.trim() === "") return undefined;
    const n = typeof v === "number" ? v : /^\s*\d{1,3}([.,]\d+)?\s*$/.test(v) ? Number(v.replace(",", ".")) : NaN;
    if (!Number.isFinite(n) || n < 0 || n > 100) {
      ctx.addIssue({ code: "custom", message: `percentuale non valida: ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return n;
  });

/** A `YYYYMMDDhhmmss` stamp → ISO instant with its Italian offset; `null` or 0 read as absent. */
const stamp = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === 0 || v === "") return undefined;
    const iso = stampToIso(v);
    if (!iso) {
      ctx.addIssue({ code: "custom", message: `data e ora non valide (attese AAAAMMGGhhmmss): ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return iso;
  });

/** The day of a `YYYYMMDDhhmmss` stamp, "YYYY-MM-DD" (election dates). */
const day = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === 0 || v === "") return undefined;
    const d = stampToDate(v);
    if (!d) {
      ctx.addIssue({ code: "custom", message: `data non valida (attesa AAAAMMGGhhmmss): ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return d;
  });

/** Free text; blank or `null` read as absent. */
const text = z
  .string()
  .nullish()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/** A numeric code as the feed writes it (a number, or digits in a string). */
const numericCode = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, "deve essere un codice numerico")])
  .transform(Number);

// ---------------------------------------------------------------------------
// The answers that are not results
// ---------------------------------------------------------------------------

/** `{"Error":{"id":"200","desc":"Dati non trovati"}}` and its kin. */
export const ErrorAnswerSchema = z.object({
  Error: z.object({
    id: z
      .union([z.string(), z.number()])
      .nullish()
      .transform((v) => (v === null || v === undefined ? undefined : String(v))),
    desc: text,
  }),
});
export type ErrorAnswer = z.infer<typeof ErrorAnswerSchema>;

// ---------------------------------------------------------------------------
// getentiG: the places voting
// ---------------------------------------------------------------------------

export const EnteSchema = z.object({
  /** Normalized to the 9-digit RRPPPCCCC (a 10-digit code loses its leading area digit). */
  cod: z.union([z.string(), z.number()]).transform((v, ctx) => {
    const code = normalizeCode(v);
    if (!code) {
      ctx.addIssue({ code: "custom", message: `codice non valido: ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return code;
  }),
  desc: z.string().trim().min(1),
  /** RE region, PR province, CM comune (other kinds are kept and ignored by discovery). */
  tipo: z.string(),
  /** M above 15,000 inhabitants (a runoff is possible), N at or below. */
  tipo_comune: z
    .enum(["M", "N"])
    .nullish()
    .transform((v) => v ?? undefined),
  dt_agg: stamp,
});
export const EntiResponseSchema = z.object({
  int: z.object({ dt_ele: day }).optional(),
  enti: z.array(EnteSchema),
});
export type Ente = z.infer<typeof EnteSchema>;
export type EntiResponse = z.infer<typeof EntiResponseSchema>;

// ---------------------------------------------------------------------------
// votanti: turnout of a province and its comuni
// ---------------------------------------------------------------------------

export const ReadingSchema = z
  .object({
    /** 1 = 12:00, 2 = 19:00, 3 = 23:00, 4 = the final one. */
    com: z.number().int().min(1).max(9),
    dt_com: stamp,
    /** Sections that reported this reading, of the total. */
    enti_p: count,
    enti_t: count,
    perc: percent,
    vot_t: count,
    /** The previous election at the same hour. */
    perc_r: percent,
  })
  .superRefine((r, ctx) => {
    if (r.enti_p !== undefined && r.enti_t !== undefined && r.enti_p > r.enti_t)
      ctx.addIssue({ code: "custom", path: ["enti_p"], message: "sezioni pervenute oltre il totale" });
  });

const TurnoutEnteSchema = z.object({
  desc: z.string().trim().min(1),
  cod: numericCode,
  ele_t: count,
  com_vot: z
    .array(ReadingSchema)
    .nullish()
    .transform((v) => v ?? []),
});

export const VotantiResponseSchema = z.object({
  int: z.object({ dt_ele: day, dt_agg: stamp }),
  enti: z.object({
    ente_p: TurnoutEnteSchema,
    enti_f: z
      .array(TurnoutEnteSchema)
      .nullish()
      .transform((v) => v ?? []),
  }),
});
export type Reading = z.infer<typeof ReadingSchema>;
export type TurnoutEnte = z.infer<typeof TurnoutEnteSchema>;
export type VotantiResponse = z.infer<typeof VotantiResponseSchema>;

// ---------------------------------------------------------------------------
// scrutiniG: results of a comune
// ---------------------------------------------------------------------------

export const ListaSchema = z.object({
  /** Position on the ballot. */
  pos: count,
  /** Can be null: a list known only by its logo. */
  descr_lista: text,
  voti: count,
  perc: percent,
  seggi: count,
  /** Set on a list that joined this candidate for the runoff: the letter of its first-round candidate's `lis_out`. */
  lis_in: text,
});

export const CandSchema = z.object({
  cogn: z.string().trim().min(1),
  nome: text,
  pos: count,
  voti: count,
  perc: percent,
  /** Runoff answers only: the first round's figures. */
  voti_1t: count,
  perc_1t: percent,
  /** S elected mayor, C elected to the council as a losing candidate. */
  eletto: text,
  /** Runoff answers: a letter on a candidate whose lists joined another one for the runoff (their `lis_in`). */
  lis_out: text,
  liste: z
    .array(ListaSchema)
    .nullish()
    .transform((v) => v ?? []),
});

export const ScrutiniIntSchema = z
  .object({
    /** SCRUTINI (first round) or SCRUTINI_2T (runoff). */
    f_elet: z.string().trim().min(1),
    dt_ele: day,
    desc_com: text,
    cod_com: numericCode.optional(),
    ele_t: count,
    vot_t: count,
    perc_vot: percent,
    /** Sections counted (for the mayor) of the total. */
    sz_p_sind: count,
    sz_tot: count,
    /** S once seats are allocated: the count is over. */
    fine_rip: text,
    sk_bianche: count,
    sk_nulle: count,
    sk_contestate: count,
    sg_spett: count,
    dt_agg: stamp,
    dt_prec: text,
  })
  .superRefine((i, ctx) => {
    if (i.sz_p_sind !== undefined && i.sz_tot !== undefined && i.sz_p_sind > i.sz_tot)
      ctx.addIssue({ code: "custom", path: ["sz_p_sind"], message: "sezioni scrutinate oltre il totale" });
    if (i.vot_t !== undefined && i.ele_t !== undefined && i.vot_t > i.ele_t)
      ctx.addIssue({ code: "custom", path: ["vot_t"], message: "votanti oltre gli elettori" });
  });

export const ScrutiniResponseSchema = z.object({
  int: ScrutiniIntSchema,
  cand: z.array(CandSchema),
  note_din: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
});
export type Lista = z.infer<typeof ListaSchema>;
export type Cand = z.infer<typeof CandSchema>;
export type ScrutiniResponse = z.infer<typeof ScrutiniResponseSchema>;

/** The first issues of a failed validation, one line each ("cand.0.perc: percentuale non valida: …"). */
export function describeIssues(error: z.ZodError, max = 5): string[] {
  const lines = error.issues.slice(0, max).map((i) => `${i.path.join(".") || "(radice)"}: ${i.message}`);
  if (error.issues.length > max) lines.push(`… e altri ${error.issues.length - max} problemi`);
  return lines;
}
