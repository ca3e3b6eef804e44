import { describe, expect, it } from "vitest";
import {
  describeIssues,
  EntiResponseSchema,
  ErrorAnswerSchema,
  ScrutiniResponseSchema,
  VotantiResponseSchema,
} from "../../src/feed/schema.js";
import { runoffSample, turnoutBat2025, vicenza2018 } from "./fixtures.js";

describe("scrutiniG schema", () => {
  it("reads Vicenza 2018 as published: counts, shares with a decimal comma, Italian timestamps", () => {
    const r = ScrutiniResponseSchema.parse(vicenza2018());
    expect(r.int).toMatchObject({
      f_elet: "SCRUTINI",
      dt_ele: "2018-06-10",
      desc_com: "VICENZA",
      ele_t: 87225,
      vot_t: 48669,
      perc_vot: 55.8,
      sz_p_sind: 112,
      sz_tot: 112,
      fine_rip: "S",
      sk_bianche: 178,
      sk_nulle: 557,
      sk_contestate: 4,
      dt_agg: "2018-10-10T13:09:32+02:00",
    });
    expect(r.cand[0]).toMatchObject({ cogn: "RUCCO", nome: "FRANCESCO", voti: 24271, perc: 50.64, eletto: "S" });
    expect(r.cand[0]!.liste[1]).toEqual({
      pos: 11,
      descr_lista: undefined,
      voti: 6930,
      perc: 15.88,
      seggi: 7,
      lis_in: undefined,
    });
    // Fields the code does not read are dropped, not failed on.
    expect(r.int).not.toHaveProperty("st");
    expect(r.cand[0]).not.toHaveProperty("img_lis");
  });

  it("reads the runoff format with its first-round figures", () => {
    const r = ScrutiniResponseSchema.parse(runoffSample());
    expect(r.int.f_elet).toBe("SCRUTINI_2T");
    expect(r.cand[0]).toMatchObject({ voti: 11684, perc: 54.98, voti_1t: 9353, perc_1t: 35.63, eletto: "S" });
    expect(r.cand[2]).toMatchObject({ cogn: "PRIORI", pos: undefined, voti: undefined, voti_1t: 2884 });
    expect(r.cand[4]).toMatchObject({ cogn: "FELCI", lis_out: "A" });
    expect(r.cand[1]!.liste.find((l) => l.pos === 2)?.lis_in).toBe("A");
  });

  it("ignores fields newer answers add", () => {
    const raw = vicenza2018() as { int: Record<string, unknown>; cand: Record<string, unknown>[] };
    raw.int.tot_vot_cand = 47930;
    raw.int.sigla_prov = "VI";
    raw.cand[0]!.d_nasc = "19700101";
    expect(ScrutiniResponseSchema.safeParse(raw).success).toBe(true);
  });

  it("names what is wrong in an answer that does not validate", () => {
    const raw = vicenza2018() as { int: Record<string, unknown>; cand: Record<string, unknown>[] };
    raw.int.sz_p_sind = 113;
    raw.cand[0]!.perc = "cinquanta";
    raw.int.dt_agg = 20181310130932;
    const r = ScrutiniResponseSchema.safeParse(raw);
    expect(r.success).toBe(false);
    const lines = describeIssues(r.error!);
    expect(lines).toContain('cand.0.perc: percentuale non valida: "cinquanta"');
    expect(lines.some((l) => l.startsWith("int.dt_agg: data e ora non valide"))).toBe(true);
    // Cross-field checks run once the fields themselves are valid.
    raw.cand[0]!.perc = "50,64";
    raw.int.dt_agg = 20181010130932;
    expect(describeIssues(ScrutiniResponseSchema.safeParse(raw).error!)).toEqual([
      "int.sz_p_sind: sezioni scrutinate oltre il totale",
    ]);
    expect(ScrutiniResponseSchema.safeParse({ int: {}, cand: "none" }).success).toBe(false);
  });
});

describe("votanti schema", () => {
  it("reads a province's turnout with each comune's four readings", () => {
    const r = VotantiResponseSchema.parse(turnoutBat2025());
    expect(r.int.dt_agg).toBe("2025-11-24T15:27:51+01:00");
    expect(r.enti.ente_p).toMatchObject({ desc: "BARLETTA-ANDRIA-TRANI", cod: 106, ele_t: 333006 });
    expect(r.enti.enti_f).toHaveLength(10);
    const andria = r.enti.enti_f[0]!;
    expect(andria).toMatchObject({ desc: "ANDRIA", cod: 10, ele_t: 83020 });
    expect(andria.com_vot[3]).toEqual({
      com: 4,
      dt_com: "2025-11-24T15:00:00+01:00",
      enti_p: 110,
      enti_t: 110,
      perc: 42.85,
      vot_t: 35577,
      perc_r: 66.31,
    });
  });
});

describe("getentiG schema", () => {
  it("reads the places voting, normalizing codes to nine digits", () => {
    const r = EntiResponseSchema.parse({
      int: { file: "GEOPOLITICA COMUNALI", area: "I", dt_ele: 20260524000000 },
      enti: [
        { cod: "050000000", desc: "VENETO", tipo: "RE", tipo_comune: null, dt_agg: null, tipo_tras: null },
        { cod: "050900000", desc: "VICENZA", tipo: "PR", tipo_comune: null, dt_agg: 20260524120000 },
        { cod: "1050901160", desc: "VICENZA", tipo: "CM", tipo_comune: "M", dt_agg: null, tipo_tras: "SZ" },
        { cod: 50900010, desc: "AGUGLIARO", tipo: "CM", tipo_comune: "N" },
      ],
    });
    expect(r.int?.dt_ele).toBe("2026-05-24");
    expect(r.enti.map((e) => [e.cod, e.tipo, e.tipo_comune])).toEqual([
      ["050000000", "RE", undefined],
      ["050900000", "PR", undefined],
      ["050901160", "CM", "M"],
      ["050900010", "CM", "N"],
    ]);
    expect(EntiResponseSchema.safeParse({ enti: [{ cod: "12ab", desc: "X", tipo: "CM" }] }).success).toBe(false);
  });
});

describe("error answers", () => {
  it("reads the Ministry's error objects", () => {
    expect(ErrorAnswerSchema.parse({ Error: { id: "200", desc: "Dati non trovati", value: "x" } })).toEqual({
      Error: { id: "200", desc: "Dati non trovati" },
    });
    expect(ErrorAnswerSchema.parse({ Error: { desc: "Data non permessa" } }).Error.id).toBeUndefined();
    expect(ErrorAnswerSchema.safeParse({ int: {} }).success).toBe(false);
  });
});
