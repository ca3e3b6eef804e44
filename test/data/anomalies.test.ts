/**
 * The anomaly gate (src/data/anomalies/), on real figures: the Ministry's captured answer for
 * Vicenza, first round of 10 June 2018 (fixtures/scrutiniG-comune-1t-vicenza-2018.json, copied from
 * ../shared/data-sources/eligendo/), is consistent and raises nothing; each check is then shown on a
 * perturbation of it. Turnout readings across hours use Andria's real readings of 23–24 November 2025
 * (../shared/data-sources/eligendo/votanti-provincia-bat-2025.json), the last on Monday at 15:00.
 * Then the gate's transitions, the newsroom's release, a restart through JSON, and staleness.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type Anomaly,
  type AnomalyCode,
  AnomalyGate,
  baselineOf,
  type CheckOptions,
  checkRound,
  DEFAULT_STALE_MINUTES,
  DEFAULT_THRESHOLDS,
  staleSince,
} from "../../src/data/anomalies/index.js";
import { remainingBound } from "../../src/data/certainty.js";
import type { RoundResult, TurnoutPoint } from "../../src/data/model.js";
import { formatTime } from "../../src/format/italian.js";

// ————————————————————————————————————————————————————————————— the real answer, as the model holds it

interface RawList {
  pos: number;
  descr_lista: string | null;
  voti: number;
  perc: string | null;
}
interface RawCand {
  cogn: string;
  nome: string;
  voti: number;
  perc: string;
  eletto: string | null;
  liste: RawList[];
}
interface Raw {
  int: {
    ele_t: number;
    vot_t: number;
    perc_vot: string;
    sz_p_sind: number;
    sz_tot: number;
    sk_bianche: number;
    sk_nulle: number;
    sk_contestate: number;
  };
  cand: RawCand[];
}

const raw = JSON.parse(
  readFileSync(new URL("./fixtures/scrutiniG-comune-1t-vicenza-2018.json", import.meta.url), "utf8"),
) as Raw;

const decimal = (s: string | null) => (s === null ? undefined : Number(s.replace(",", ".")));
const proper = (s: string) => s.toLowerCase().replace(/(^|[\s'-])\p{L}/gu, (m) => m.toUpperCase());

/** The answer → a round, field by field (the feed's own parser lives elsewhere; this test needs only the figures). */
function vicenza(): RoundResult {
  const i = raw.int;
  const elected = raw.cand.find((c) => c.eletto === "S");
  return {
    date: "2018-06-10",
    electors: i.ele_t,
    voters: i.vot_t,
    turnoutPercent: decimal(i.perc_vot),
    blank: i.sk_bianche,
    invalid: i.sk_nulle,
    contested: i.sk_contestate,
    sections: { counted: i.sz_p_sind, total: i.sz_tot },
    candidates: raw.cand.map((c) => ({
      name: proper(`${c.nome} ${c.cogn}`),
      votes: c.voti,
      percent: decimal(c.perc),
      lists: c.liste.map((l) => ({
        ...(l.descr_lista ? { name: l.descr_lista } : {}),
        position: l.pos,
        votes: l.voti,
        percent: decimal(l.perc),
      })),
    })),
    outcome: elected ? { kind: "elected", candidate: proper(`${elected.nome} ${elected.cogn}`) } : undefined,
    turnout: [],
    provenance: { source: "Ministero dell'Interno", urls: [], at: "2018-10-10T13:09:32+02:00", status: "final" },
  };
}

/** The reading at the close, from the round's own figures (voters of electors, every section). */
const closingReading = (): TurnoutPoint => ({
  at: "23:00",
  percent: 55.8,
  voters: 48669,
  sections: { counted: 112, total: 112 },
  final: true,
});

/** Vicenza as the feed shows it while counting: voters and ballots left at 0 (see the README), sections to come. */
function counting(counted: number): RoundResult {
  const r = vicenza();
  return {
    ...r,
    voters: 0,
    turnoutPercent: 0,
    blank: 0,
    invalid: 0,
    contested: 0,
    sections: { counted, total: 112 },
    outcome: undefined,
    provenance: { ...r.provenance, status: "partial" },
  };
}

const RUCCO = "Francesco Rucco";
const DALLA_ROSA = "Otello Dalla Rosa";
const ALBERTIN = "Filippo Albertin";

function edit(r: RoundResult, name: string, f: (c: RoundResult["candidates"][number]) => void): RoundResult {
  const copy = structuredClone(r);
  const c = copy.candidates.find((x) => x.name === name);
  if (!c) throw new Error(`no candidate ${name}`);
  f(c);
  return copy;
}

/** A candidate's votes changed, with every share recomputed from the votes (as the feed publishes them). */
function setVotes(r: RoundResult, name: string, votes: number): RoundResult {
  const copy = edit(r, name, (c) => {
    c.votes = votes;
  });
  const valid = copy.candidates.reduce((s, c) => s + (c.votes ?? 0), 0);
  for (const c of copy.candidates) c.percent = Math.round(((c.votes ?? 0) / valid) * 10000) / 100;
  return copy;
}

const codes = (as: Anomaly[]) => as.map((a) => a.code);
function only<C extends AnomalyCode>(as: Anomaly[], code: C): Extract<Anomaly, { code: C }> {
  const found = as.filter((a) => a.code === code);
  expect(found, `exactly one ${code} in ${JSON.stringify(codes(as))}`).toHaveLength(1);
  return found[0] as Extract<Anomaly, { code: C }>;
}

// ————————————————————————————————————————————————————————————— the consistent base

describe("the real Vicenza 2018 answer is consistent", () => {
  it("maps to its figures (so that what follows perturbs real ones)", () => {
    const v = vicenza();
    expect(v.candidates.map((c) => [c.name, c.votes])).toEqual([
      [RUCCO, 24271],
      [DALLA_ROSA, 21985],
      [ALBERTIN, 519],
      ["Andrea Maroso", 495],
      ["Leonardo Bano", 336],
      ["Franca Equizi", 324],
    ]);
    // voters − blank − invalid − contested = 48.669 − 178 − 557 − 4 = 47.930 = the candidates' votes.
    expect(v.candidates.reduce((s, c) => s + (c.votes ?? 0), 0)).toBe(47930);
    expect(v.candidates[0]?.lists.map((l) => l.name ?? `n. ${l.position}`)).toEqual([
      "#RUCCO SINDACO",
      "n. 11",
      "n. 7",
      "CICERO IMPEGNO A 360°",
      "n. 12",
      "n. 10",
    ]);
  });

  it("raises nothing, alone, against itself, with its closing reading, whatever the comune's size", () => {
    const v = vicenza();
    const withReading = { ...v, turnout: [closingReading()] };
    for (const band of [undefined, "fino-15000", "oltre-15000"] as const) {
      expect(checkRound(undefined, v, { populationBand: band })).toEqual([]);
      expect(checkRound(v, v, { populationBand: band })).toEqual([]);
      expect(checkRound(withReading, withReading, { populationBand: band })).toEqual([]);
    }
    expect(checkRound(v, v, { stage: "runoff" })).toEqual([]);
  });

  it("while counting, voters and ballots at 0 are 'not yet published', not a broken sum", () => {
    // The Ministry's feed of 2020 showed Bari at 345 of 346 sections with voters, blank and invalid at 0.
    expect(checkRound(undefined, counting(80))).toEqual([]);
    expect(checkRound(counting(80), counting(81))).toEqual([]);
    expect(checkRound(counting(111), vicenza())).toEqual([]);
  });

  it("the default thresholds are the documented ones", () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ shareSumPoints: 0.5, sharePoints: 0.5 });
    expect(DEFAULT_STALE_MINUTES).toBe(20);
  });
});

// ————————————————————————————————————————————————————————————— backwards

describe("figures going backwards since the last good ones", () => {
  it("sections counted fall", () => {
    const a = only(checkRound(counting(100), counting(90)), "sections-fell");
    expect(a).toMatchObject({ severity: "hold", key: "sections-fell", figures: { before: 100, now: 90, total: 112 } });
    expect(a.it).toBe("Sezioni scrutinate scese da 100 a 90 su 112.");
    expect(a.en).toBe("Sections counted fell from 100 to 90 of 112.");
    expect(checkRound(counting(90), counting(100))).toEqual([]);
  });

  it("the total of sections changes: a note", () => {
    const cur = { ...counting(90), sections: { counted: 90, total: 113 } };
    expect(only(checkRound(counting(90), cur), "sections-total-changed")).toMatchObject({
      severity: "note",
      figures: { before: 112, now: 113 },
    });
  });

  it("a candidate's votes fall, however few (a recount is held and told too)", () => {
    const cur = edit(counting(100), DALLA_ROSA, (c) => {
      c.votes = 21984;
    });
    const a = only(checkRound(counting(100), cur), "votes-fell");
    expect(a).toMatchObject({
      severity: "hold",
      key: `votes-fell:${DALLA_ROSA}`,
      figures: { candidate: DALLA_ROSA, before: 21985, now: 21984 },
    });
    expect(a.it).toBe("Voti di Otello Dalla Rosa scesi da 21.985 a 21.984 (−1).");
    expect(a.en).toBe("Otello Dalla Rosa's votes fell from 21.985 to 21.984 (−1).");
  });

  it("a list's votes fall, a list without a name known by its ballot position", () => {
    const cur = edit(counting(100), RUCCO, (c) => {
      c.lists[0]!.votes = 10700;
      c.lists[1]!.votes = 6000;
    });
    const fell = checkRound(counting(100), cur).filter((a) => a.code === "list-votes-fell");
    expect(fell.map((a) => [a.key, a.severity, a.figures])).toEqual([
      [
        `list-votes-fell:${RUCCO}:#RUCCO SINDACO`,
        "hold",
        { candidate: RUCCO, list: "#RUCCO SINDACO", before: 10707, now: 10700 },
      ],
      [`list-votes-fell:${RUCCO}:n. 11`, "hold", { candidate: RUCCO, list: "n. 11", before: 6930, now: 6000 }],
    ]);
    expect(fell[0]?.it).toBe("Voti della lista «#RUCCO SINDACO» (Francesco Rucco) scesi da 10.707 a 10.700.");
    expect(fell[1]?.it).toBe("Voti della lista n. 11 (Francesco Rucco) scesi da 6.930 a 6.000.");
  });

  it("voters fall", () => {
    const cur = { ...vicenza(), voters: 48600 };
    const as = checkRound(vicenza(), cur);
    expect(only(as, "voters-fell")).toMatchObject({ severity: "hold", figures: { before: 48669, now: 48600 } });
    expect(only(as, "voters-fell").it).toBe("Votanti scesi da 48.669 a 48.600 (−69).");
  });

  it("blank, invalid or contested ballots fall: a note (contested ballots are settled later)", () => {
    // Two contested ballots settled as valid votes for Rucco: the sums still hold.
    const cur = edit({ ...vicenza(), contested: 2 }, RUCCO, (c) => {
      c.votes = 24273;
    });
    const as = checkRound(vicenza(), cur);
    expect(as.map((a) => [a.code, a.severity, a.key])).toEqual([["ballots-fell", "note", "ballots-fell:contested"]]);
    expect(as[0]?.it).toBe("Schede contestate scese da 4 a 2.");
  });

  it("a turnout reading's voters, sections or percent fall for the same hour", () => {
    const prev = { ...vicenza(), turnout: [closingReading()] };
    const fewerVoters = { ...prev, turnout: [{ ...closingReading(), voters: 48600, percent: 55.72 }] };
    const as = checkRound(prev, fewerVoters).filter((a) => a.code === "reading-fell");
    expect(as.map((a) => a.figures)).toEqual([
      { reading: { at: "23:00", final: true }, field: "voters", before: 48669, now: 48600 },
      { reading: { at: "23:00", final: true }, field: "percent", before: 55.8, now: 55.72 },
    ]);
    expect(as.map((a) => a.key)).toEqual(["reading-fell:23:00:final:voters", "reading-fell:23:00:final:percent"]);
    expect(as[0]?.it).toBe("L'affluenza finale (23:00): votanti scesi da 48.669 a 48.600.");
    expect(as[1]?.it).toBe("L'affluenza finale (23:00): percentuale scesa da 55,8% a 55,72% senza nuove sezioni.");

    const fewerSections = { ...prev, turnout: [{ ...closingReading(), sections: { counted: 110, total: 112 } }] };
    expect(only(checkRound(prev, fewerSections), "reading-fell")).toMatchObject({
      severity: "hold",
      figures: { field: "sections", before: 112, now: 110 },
    });
  });

  it("a reading's percent may fall as more sections report it (it is of those sections)", () => {
    // Andria at noon: 9,18% with all 110 sections; earlier with 60 of them it could have read higher.
    const early: TurnoutPoint = {
      at: "12:00",
      percent: 9.5,
      voters: 4100,
      sections: { counted: 60, total: 110 },
      final: false,
    };
    const prev = andria([early]);
    const cur = andria([ANDRIA[0]!]);
    expect(checkRound(prev, cur)).toEqual([]);
    // The same fall with no more sections is wrong.
    const same = andria([{ ...early, percent: 9.4 }]);
    expect(only(checkRound(prev, same), "reading-fell").figures).toMatchObject({ field: "percent" });
  });

  it("a reading published before is gone: a note", () => {
    const prev = { ...vicenza(), turnout: [closingReading()] };
    expect(only(checkRound(prev, vicenza()), "reading-missing")).toMatchObject({
      severity: "note",
      figures: { reading: { at: "23:00", final: true } },
    });
  });

  it("a candidate appears or disappears mid-count", () => {
    const prev = counting(100);
    const fewer = { ...prev, candidates: prev.candidates.filter((c) => c.name !== "Franca Equizi") };
    const gone = only(checkRound(prev, fewer), "candidate-disappeared");
    expect(gone).toMatchObject({ severity: "hold", figures: { candidate: "Franca Equizi", votes: 324 } });
    expect(gone.it).toBe("Candidato scomparso a scrutinio in corso: Franca Equizi (aveva 324 voti).");
    const back = only(checkRound(fewer, prev), "candidate-appeared");
    expect(back).toMatchObject({ severity: "hold", key: "candidate-appeared:Franca Equizi" });
  });

  it("the outcome the source states changes or is withdrawn; a runoff pair in the other order is the same", () => {
    const v = vicenza();
    const other = { ...v, outcome: { kind: "elected" as const, candidate: DALLA_ROSA } };
    const changed = only(checkRound(v, other), "outcome-changed");
    expect(changed.severity).toBe("hold");
    expect(changed.it).toBe("Esito cambiato: era «eletto Francesco Rucco», ora «eletto Otello Dalla Rosa».");
    expect(only(checkRound(v, { ...v, outcome: undefined }), "outcome-changed").figures).toEqual({
      before: { kind: "elected", candidate: RUCCO },
    });
    const pair = { ...v, outcome: { kind: "runoff" as const, candidates: [RUCCO, DALLA_ROSA] as [string, string] } };
    const swapped = { ...v, outcome: { kind: "runoff" as const, candidates: [DALLA_ROSA, RUCCO] as [string, string] } };
    expect(checkRound(pair, swapped)).toEqual([]);
  });

  it("a RoundResult or its trimmed baseline compare the same", () => {
    const cur = setVotes(counting(90), RUCCO, 24000);
    expect(checkRound(baselineOf(counting(100)), cur)).toEqual(checkRound(counting(100), cur));
    expect(JSON.parse(JSON.stringify(baselineOf(vicenza())))).toEqual(baselineOf(vicenza()));
  });
});

// ————————————————————————————————————————————————————————————— the round against itself

describe("the round breaks its own sums", () => {
  it("candidates with more votes than voters − blank − invalid − contested: by how much", () => {
    const cur = edit(vicenza(), ALBERTIN, (c) => {
      c.votes = 529;
    });
    const a = only(checkRound(undefined, cur), "sum-mismatch");
    expect(a).toMatchObject({
      severity: "hold",
      figures: {
        voters: 48669,
        blank: 178,
        invalid: 557,
        contested: 4,
        expected: 47930,
        candidates: 47940,
        difference: 10,
      },
    });
    expect(a.it).toBe(
      "I conti non tornano: votanti 48.669 − bianche 178 − nulle 557 − contestate 4 = 47.930, ma i candidati hanno 47.940 voti (10 in più).",
    );
    expect(a.en).toContain("(10 more)");
  });

  it("fewer votes than that: held on the complete count, a note while sections remain", () => {
    const short = edit(vicenza(), ALBERTIN, (c) => {
      c.votes = 509;
    });
    expect(only(checkRound(undefined, short), "sum-mismatch")).toMatchObject({
      severity: "hold",
      figures: { difference: -10 },
    });
    expect(only(checkRound(undefined, short), "sum-mismatch").it).toContain("(10 in meno)");
    const partial = { ...short, sections: { counted: 111, total: 112 } };
    expect(only(checkRound(undefined, partial), "sum-mismatch").severity).toBe("note");
  });

  it("with a ballot figure unknown, no sum; ballots beyond the voters still hold", () => {
    const unknown = edit({ ...vicenza(), contested: undefined }, ALBERTIN, (c) => {
      c.votes = 509;
    });
    expect(checkRound(undefined, unknown)).toEqual([]);
    const over = edit({ ...vicenza(), contested: undefined }, ALBERTIN, (c) => {
      c.votes = 1519;
    });
    const a = only(checkRound(undefined, over), "ballots-over");
    // 47.930 + 1.000 votes + 178 blank + 557 invalid = 49.665 ballots against 48.669 voters.
    expect(a.figures).toEqual({ ballots: 49665, limit: 48669, against: "voters" });
    expect(a.it).toBe("Schede scrutinate (49.665) oltre i votanti (48.669).");
  });

  it("ballots beyond the voters at the close (only a reading every section reported)", () => {
    // While counting, 47.930 valid votes are counted (ballots still at 0): 48.000 voters at the close hold them.
    const low = { ...closingReading(), voters: 48000, percent: 55.03 };
    expect(checkRound(undefined, { ...counting(100), turnout: [low] })).toEqual([]);
    const lower = { ...low, voters: 47000, percent: 53.88 };
    expect(only(checkRound(undefined, { ...counting(100), turnout: [lower] }), "ballots-over").figures).toEqual({
      ballots: 47930,
      limit: 47000,
      against: "closing-voters",
    });
    const partial = { ...lower, sections: { counted: 100, total: 112 } };
    expect(checkRound(undefined, { ...counting(100), turnout: [partial] })).toEqual([]);
  });

  it("voters above electors (and so the ballots)", () => {
    const cur = { ...vicenza(), electors: 48000 };
    const as = checkRound(undefined, cur);
    expect(only(as, "voters-over-electors")).toMatchObject({
      severity: "hold",
      figures: { voters: 48669, electors: 48000 },
    });
    expect(only(as, "voters-over-electors").it).toBe("Votanti (48.669) oltre gli elettori (48.000).");
    expect(only(as, "ballots-over").figures).toEqual({ ballots: 48669, limit: 48000, against: "electors" });
  });

  it("turnout above 100%, as the Ministry's own feed has published", () => {
    const a = only(checkRound(undefined, { ...vicenza(), turnoutPercent: 100.4 }), "turnout-over-100");
    expect(a).toMatchObject({ severity: "hold", key: "turnout-over-100", figures: { percent: 100.4 } });
    expect(a.it).toBe("Affluenza al 100,4%, oltre il 100%.");
    expect(checkRound(undefined, { ...vicenza(), turnoutPercent: 100 })).toEqual([]);
  });

  it("sections counted above the total", () => {
    const a = only(
      checkRound(undefined, { ...vicenza(), sections: { counted: 113, total: 112 } }),
      "sections-over-total",
    );
    expect(a.figures).toEqual({ counted: 113, total: 112 });
    expect(a.it).toBe("Sezioni scrutinate 113 su 112: oltre il totale.");
  });

  it("a candidate's lists above the candidate: held where there is no split vote, a note where there is", () => {
    const cur = edit(vicenza(), ALBERTIN, (c) => {
      c.lists[0]!.votes = 520;
      c.lists[0]!.percent = 1.19;
    });
    const opts = (populationBand?: CheckOptions["populationBand"]) => ({
      populationBand,
      thresholds: { shareSumPoints: 1 },
    });
    const small = only(checkRound(undefined, cur, opts("fino-15000")), "lists-exceed-candidate");
    expect(small).toMatchObject({ severity: "hold", figures: { candidate: ALBERTIN, lists: 520, votes: 519 } });
    expect(small.it).toBe("Le liste di Filippo Albertin hanno 520 voti, più dei 519 del candidato.");
    const large = only(checkRound(undefined, cur, opts("oltre-15000")), "lists-exceed-candidate");
    expect(large.severity).toBe("note");
    expect(large.it).toContain("(possibile con il voto disgiunto)");
    expect(only(checkRound(undefined, cur, opts(undefined)), "lists-exceed-candidate").severity).toBe("note");
    // A runoff's lists carry the first round's votes: not compared.
    expect(checkRound(undefined, cur, { stage: "runoff", populationBand: "fino-15000" })).toEqual([]);
  });

  it("all lists above all candidates", () => {
    const cur = edit(vicenza(), RUCCO, (c) => {
      c.lists[0]!.votes = 35000; // 43.637 − 10.707 + 35.000 = 67.930 list votes
    });
    const as = checkRound(undefined, cur, { thresholds: { shareSumPoints: 100 } });
    expect(only(as, "lists-exceed-total")).toMatchObject({
      severity: "hold",
      figures: { lists: 67930, candidates: 47930 },
    });
    expect(only(as, "lists-exceed-candidate").figures).toEqual({ candidate: RUCCO, lists: 46558, votes: 24271 });
  });

  it("shares summing far from 100%: the tolerance is a border", () => {
    const shift = (rucco: number, dallaRosa: number) =>
      edit(
        edit(vicenza(), RUCCO, (c) => {
          c.percent = rucco;
        }),
        DALLA_ROSA,
        (c) => {
          c.percent = dallaRosa;
        },
      );
    expect(checkRound(undefined, shift(50.89, 46.12))).toEqual([]); // sums to 100,50
    const a = only(checkRound(undefined, shift(50.89, 46.13)), "shares-sum"); // 100,51
    expect(a).toMatchObject({
      severity: "hold",
      key: "shares-sum:candidates",
      figures: { sum: 100.51, tolerance: 0.5 },
    });
    expect(a.it).toBe("Le percentuali dei candidati sommano a 100,51%.");
    expect(checkRound(undefined, shift(50.89, 46.13), { thresholds: { shareSumPoints: 0.6 } })).toEqual([]);
  });

  it("the lists' shares too", () => {
    const cur = edit(vicenza(), RUCCO, (c) => {
      c.lists[0]!.percent = 25.54;
    });
    expect(only(checkRound(undefined, cur), "shares-sum")).toMatchObject({
      key: "shares-sum:lists",
      figures: { of: "lists", sum: 101 },
    });
  });

  it("nothing counted yet: shares of 0 are not a broken sum", () => {
    const zero = counting(0);
    for (const c of zero.candidates) {
      c.votes = 0;
      c.percent = 0;
      for (const l of c.lists) {
        l.votes = 0;
        l.percent = 0;
      }
    }
    expect(checkRound(undefined, zero)).toEqual([]);
  });

  it("a published share far from the votes: the tolerance is a border", () => {
    // Rucco's votes give 50,638…%; the sum is left to another check.
    const loose = { thresholds: { shareSumPoints: 10 } };
    const at = (p: number) =>
      edit(vicenza(), RUCCO, (c) => {
        c.percent = p;
      });
    expect(checkRound(undefined, at(51.13), loose)).toEqual([]);
    const a = only(checkRound(undefined, at(51.15), loose), "share-mismatch");
    expect(a).toMatchObject({
      severity: "hold",
      figures: { candidate: RUCCO, percent: 51.15, computed: 50.64, tolerance: 0.5 },
    });
    expect(a.it).toBe("Percentuale di Francesco Rucco pubblicata al 51,15%, ma i voti danno il 50,64%.");
  });
});

// ————————————————————————————————————————————————————————————— turnout readings

const ANDRIA: TurnoutPoint[] = [
  { at: "12:00", percent: 9.18, voters: 7622, sections: { counted: 110, total: 110 }, final: false },
  { at: "19:00", percent: 23.76, voters: 19725, sections: { counted: 110, total: 110 }, final: false },
  { at: "23:00", percent: 30.88, voters: 25638, sections: { counted: 110, total: 110 }, final: false },
  { at: "15:00", percent: 42.85, voters: 35577, sections: { counted: 110, total: 110 }, final: true },
];

/** Andria's readings on a round with no count yet (the turnout answer names no candidate). */
function andria(turnout: TurnoutPoint[]): RoundResult {
  return {
    date: "2025-11-23",
    electors: 83020,
    candidates: [{ name: "Candidato", lists: [] }],
    turnout: structuredClone(turnout),
    provenance: { source: "Ministero dell'Interno", urls: [], status: "partial" },
  };
}

describe("turnout readings", () => {
  it("Andria's real readings over two days raise nothing (the source's order, not the clock's)", () => {
    expect(checkRound(undefined, andria(ANDRIA))).toEqual([]);
    expect(checkRound(andria(ANDRIA.slice(0, 3)), andria(ANDRIA))).toEqual([]);
  });

  it("a reading above 100%, above the electors, or reported by more sections than exist", () => {
    const bad = structuredClone(ANDRIA);
    bad[1] = { ...bad[1]!, percent: 101.2 };
    bad[2] = { ...bad[2]!, sections: { counted: 111, total: 110 } };
    bad[3] = { ...bad[3]!, voters: 83100, electors: 83020 };
    const as = checkRound(undefined, andria(bad));
    expect(as.map((a) => [a.code, a.key, a.severity])).toEqual([
      ["turnout-over-100", "turnout-over-100:19:00", "hold"],
      ["sections-over-total", "sections-over-total:23:00", "hold"],
      ["voters-over-electors", "voters-over-electors:15:00:final", "hold"],
    ]);
    expect(as[0]?.it).toBe("L'affluenza delle 19:00 al 101,2%, oltre il 100%.");
    expect(as[1]?.it).toBe("L'affluenza delle 23:00: sezioni pervenute 111 su 110.");
    expect(as[2]?.it).toBe("L'affluenza finale (15:00): votanti (83.100) oltre gli elettori (83.020).");
  });

  it("a later reading below an earlier one, both complete: a note", () => {
    const lower = structuredClone(ANDRIA);
    lower[2] = { ...lower[2]!, voters: 19000, percent: 22.89 };
    const a = only(checkRound(undefined, andria(lower)), "readings-decrease");
    expect(a).toMatchObject({
      severity: "note",
      figures: { earlier: { at: "19:00" }, later: { at: "23:00" }, field: "voters", before: 19725, now: 19000 },
    });
    expect(a.it).toBe("L'affluenza delle 23:00 (19.000 votanti) sotto l'affluenza delle 19:00 (19.725).");
    lower[2] = { ...lower[2]!, sections: { counted: 90, total: 110 } };
    expect(checkRound(undefined, andria(lower))).toEqual([]);
  });
});

// ————————————————————————————————————————————————————————————— agreement with certainty.ts

describe("agreement with the calls' bound", () => {
  it("whenever certainty.ts finds the figures contradictory, the gate holds", () => {
    let seed = 20180610;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let contradictions = 0;
    for (let n = 0; n < 2000; n++) {
      const r = counting(Math.floor(rand() * 112));
      r.electors = Math.floor(40000 + rand() * 60000);
      if (rand() < 0.7) {
        const voters = Math.floor(40000 + rand() * 60000);
        r.turnout = [{ at: "23:00", voters, sections: { counted: 112, total: 112 }, final: true }];
      }
      const counted = r.candidates.reduce((s, c) => s + (c.votes ?? 0), 0);
      const bound = remainingBound(r, counted, false);
      const holds = checkRound(undefined, r).filter((a) => a.severity === "hold");
      if (!bound.consistent) {
        contradictions++;
        expect(holds.length, JSON.stringify({ electors: r.electors, turnout: r.turnout })).toBeGreaterThan(0);
      }
    }
    expect(contradictions).toBeGreaterThan(200);
  });
});

// ————————————————————————————————————————————————————————————— the gate

const T = (hhmm: string) => `2018-06-10T${hhmm}:00+02:00`;
const K = "1t:0901160";

describe("the gate", () => {
  it("consistent snapshots: nothing held, nothing to tell", () => {
    const gate = new AnomalyGate();
    const v1 = gate.observe(K, counting(10), T("23:30"));
    expect(v1).toMatchObject({ held: false, released: false, anomalies: [], fresh: [], cleared: false });
    expect(v1.since).toBeUndefined();
    expect(gate.observe(K, counting(20), T("23:31"))).toMatchObject({ held: false, fresh: [] });
    expect(gate.status(K)).toMatchObject({ held: false, released: false, holding: [] });
    expect(gate.flagged()).toEqual([]);
  });

  it("new → told once → still held → clears → a new one is told again", () => {
    const gate = new AnomalyGate();
    gate.observe(K, counting(100), T("23:30"));

    const held = gate.observe(K, counting(90), T("23:31"));
    expect(held).toMatchObject({ held: true, since: T("23:31"), cleared: false });
    expect(held.fresh.map((a) => a.key)).toEqual(["sections-fell"]);

    // Still below the last good figures (100), though up from 90: still held, not told again.
    const again = gate.observe(K, counting(95), T("23:32"));
    expect(again).toMatchObject({ held: true, since: T("23:31"), fresh: [] });
    expect(again.holding.map((a) => a.figures)).toEqual([{ before: 100, now: 95, total: 112 }]);

    // A second anomaly in the same run: told, the first not again.
    const worse = setVotes(counting(95), RUCCO, 24000);
    const second = gate.observe(K, worse, T("23:33"));
    expect(second.fresh.map((a) => a.key)).toEqual([`votes-fell:${RUCCO}`]);
    expect(second.holding.map((a) => a.key)).toEqual(["sections-fell", `votes-fell:${RUCCO}`]);

    const clear = gate.observe(K, counting(101), T("23:34"));
    expect(clear).toMatchObject({ held: false, cleared: true, fresh: [], holding: [] });
    expect(clear.since).toBeUndefined();

    // The good figures are now 101: a fall to 100 is a new run, told again.
    const next = gate.observe(K, counting(100), T("23:40"));
    expect(next).toMatchObject({ held: true, since: T("23:40") });
    expect(next.fresh.map((a) => a.figures)).toEqual([{ before: 101, now: 100, total: 112 }]);
    expect(gate.observe(K, counting(102), T("23:41")).cleared).toBe(true);
    expect(gate.observe(K, counting(103), T("23:42")).cleared).toBe(false);
  });

  it("an anomaly of the round itself holds from the first snapshot, and clears when fixed", () => {
    const gate = new AnomalyGate();
    const over = gate.observe(K, { ...vicenza(), turnoutPercent: 101.2 }, T("23:30"));
    expect(over).toMatchObject({ held: true, since: T("23:30") });
    expect(over.fresh.map((a) => a.code)).toEqual(["turnout-over-100"]);
    expect(gate.flagged().map((s) => [s.comune, s.held, s.since])).toEqual([[K, true, T("23:30")]]);
    expect(gate.observe(K, vicenza(), T("23:45"))).toMatchObject({ held: false, cleared: true });
    expect(gate.flagged()).toEqual([]);
  });

  it("a note is logged when it appears, not at every snapshot it stays", () => {
    const gate = new AnomalyGate();
    gate.observe(K, vicenza(), T("23:30"));
    // Two contested ballots gone with the voters: the voters fell (held), the contested too (a note).
    const first = gate.observe(K, { ...vicenza(), contested: 2, voters: 48667 }, T("23:31"));
    expect(first.held).toBe(true);
    expect(first.freshNotes.map((a) => a.key)).toEqual(["ballots-fell:contested"]);
    const still = gate.observe(K, { ...vicenza(), contested: 3, voters: 48668 }, T("23:32"));
    expect(still.freshNotes).toEqual([]);
    expect(still.anomalies.map((a) => a.key)).toContain("ballots-fell:contested");
  });

  it("a note alone: told once, again only after it went away", () => {
    const gate = new AnomalyGate();
    const total113 = { ...counting(90), sections: { counted: 90, total: 113 } };
    gate.observe(K, counting(90), T("23:30"));
    const n1 = gate.observe(K, { ...counting(90), sections: { counted: 90, total: 111 } }, T("23:31"));
    expect(n1).toMatchObject({ held: false });
    expect(n1.freshNotes.map((a) => a.key)).toEqual(["sections-total-changed"]);
    // The good figures moved to 111 sections (a note does not hold): 113 is a change again.
    const n2 = gate.observe(K, total113, T("23:32"));
    expect(n2.freshNotes.map((a) => a.figures)).toEqual([]);
    expect(n2.anomalies.map((a) => a.figures)).toEqual([{ before: 111, now: 113 }]);
    expect(gate.observe(K, total113, T("23:33")).anomalies).toEqual([]);
    expect(gate.observe(K, counting(90), T("23:34")).freshNotes.map((a) => a.key)).toEqual(["sections-total-changed"]);
  });

  it("changedAt moves only when the figures do (not with the source's update time)", () => {
    const gate = new AnomalyGate();
    expect(gate.observe(K, counting(10), T("00:50")).changedAt).toBe(T("00:50"));
    expect(gate.observe(K, counting(20), T("01:10")).changedAt).toBe(T("01:10"));
    const touched = { ...counting(20), provenance: { ...counting(20).provenance, at: "2018-06-11T01:20:00+02:00" } };
    expect(gate.observe(K, touched, T("01:20")).changedAt).toBe(T("01:10"));
    expect(gate.observe(K, counting(20), T("01:40")).changedAt).toBe(T("01:10"));
    expect(gate.status(K)).toMatchObject({ changedAt: T("01:10"), seenAt: T("01:40") });
    expect(gate.observe(K, counting(21), T("01:41")).changedAt).toBe(T("01:41"));
  });

  it("keeps the last good figures apart from the held ones: what citizens are shown while held", () => {
    const gate = new AnomalyGate();
    expect(gate.good(K)).toBeUndefined();
    const good = counting(100);
    gate.observe(K, good, T("23:30"));
    expect(gate.good(K)).toEqual(good);
    // A typo'd vote: held; the good figures stay those of 23:30, however many held answers follow.
    gate.observe(K, setVotes(counting(101), RUCCO, 99_000), T("23:31"));
    gate.observe(K, setVotes(counting(102), RUCCO, 99_000), T("23:32"));
    expect(gate.status(K)?.held).toBe(true);
    expect(gate.good(K)).toEqual(good);
    // Kept as observed: a field of the answer replaced later (the turnout readings merged in) is not theirs.
    const observed = counting(103);
    gate.observe(K, observed, T("23:33"));
    observed.turnout = [closingReading()];
    expect(gate.good(K)?.turnout).toEqual([]);
    // Released: the released figures are the good ones.
    gate.observe(K, counting(90), T("23:34"));
    gate.release(K, T("23:35"));
    gate.observe(K, counting(91), T("23:36"));
    expect(gate.good(K)?.sections).toEqual({ counted: 91, total: 112 });
  });

  it("held since the first snapshot: no good figures to show", () => {
    const gate = new AnomalyGate();
    gate.observe(K, { ...vicenza(), turnoutPercent: 101.2 }, T("23:30"));
    expect(gate.status(K)?.held).toBe(true);
    expect(gate.good(K)).toBeUndefined();
    gate.observe(K, vicenza(), T("23:31"));
    expect(gate.good(K)).toEqual(vicenza());
  });

  it("comuni are independent", () => {
    const gate = new AnomalyGate();
    gate.observe("a", counting(100), T("23:30"));
    gate.observe("b", counting(100), T("23:30"));
    expect(gate.observe("a", counting(90), T("23:31")).held).toBe(true);
    expect(gate.observe("b", counting(101), T("23:31")).held).toBe(false);
    expect(gate.flagged().map((s) => s.comune)).toEqual(["a"]);
  });
});

describe("the newsroom's release", () => {
  it("lets bulletins go despite the anomaly; the released figures become the good ones", () => {
    const gate = new AnomalyGate();
    gate.observe(K, counting(100), T("23:30"));
    gate.observe(K, counting(90), T("23:31"));
    expect(gate.release(K, T("23:35"), "redazione")).toBe(true);
    expect(gate.status(K)).toMatchObject({
      held: false,
      released: true,
      release: { at: T("23:35"), by: "redazione", keys: ["sections-fell"] },
    });
    expect(gate.flagged().map((s) => [s.comune, s.held, s.released])).toEqual([[K, false, true]]);

    // Still below 100 but released: bulletins go, nothing told; 91 becomes the good figure.
    const covered = gate.observe(K, counting(91), T("23:36"));
    expect(covered).toMatchObject({ held: false, released: true, fresh: [], since: T("23:31") });
    // So 92 is consistent again.
    expect(gate.observe(K, counting(92), T("23:37"))).toMatchObject({ held: false, released: false, cleared: true });
  });

  it("lasts until a new, different anomaly appears, which holds again and is told", () => {
    const gate = new AnomalyGate();
    gate.observe(K, counting(100), T("23:30"));
    gate.observe(K, { ...counting(100), turnoutPercent: 101.2 }, T("23:31"));
    gate.release(K, T("23:32"));
    expect(gate.observe(K, { ...counting(101), turnoutPercent: 101.2 }, T("23:33"))).toMatchObject({
      held: false,
      released: true,
    });
    const different = setVotes({ ...counting(102), turnoutPercent: 101.2 }, RUCCO, 24000);
    const v = gate.observe(K, different, T("23:34"));
    expect(v).toMatchObject({ held: true, released: false });
    expect(v.fresh.map((a) => a.key)).toEqual([`votes-fell:${RUCCO}`]);
    expect(gate.status(K)?.release).toBeUndefined();
  });

  it("covers the same anomaly after a clear: a feed flapping between two versions stays quiet", () => {
    const gate = new AnomalyGate();
    gate.observe(K, counting(100), T("23:30"));
    expect(gate.observe(K, counting(90), T("23:31")).fresh).toHaveLength(1); // a stale copy
    gate.release(K, T("23:32"));
    expect(gate.observe(K, counting(101), T("23:33"))).toMatchObject({ cleared: true, held: false });
    const stale = gate.observe(K, counting(90), T("23:34"));
    expect(stale).toMatchObject({ held: false, released: true, fresh: [] });
    // Without a release, the same flapping is told at each return.
    const other = new AnomalyGate();
    other.observe(K, counting(100), T("23:30"));
    expect(other.observe(K, counting(90), T("23:31")).fresh).toHaveLength(1);
    other.observe(K, counting(101), T("23:33"));
    expect(other.observe(K, counting(90), T("23:34")).fresh).toHaveLength(1);
  });

  it("nothing to release when nothing is held", () => {
    const gate = new AnomalyGate();
    expect(gate.release(K, T("23:30"))).toBe(false);
    gate.observe(K, counting(100), T("23:30"));
    expect(gate.release(K, T("23:31"))).toBe(false);
    expect(gate.status(K)?.release).toBeUndefined();
    gate.observe(K, counting(90), T("23:32"));
    expect(gate.release(K, T("23:33"))).toBe(true);
    expect(gate.release(K, T("23:34"))).toBe(false); // already released
  });
});

describe("the gate's state survives a restart", () => {
  it("through JSON, mid-hold and mid-release, it answers as if it had never stopped", () => {
    const night: [RoundResult, string][] = [
      [counting(100), T("23:30")],
      [counting(90), T("23:31")],
      [{ ...counting(92), turnoutPercent: 101.2 }, T("23:32")],
      [counting(95), T("23:33")],
      [counting(101), T("23:34")],
      [counting(99), T("23:35")],
      [counting(99), T("23:36")],
      [
        edit(counting(103), RUCCO, (c) => {
          c.votes = 1;
        }),
        T("23:37"),
      ],
      [counting(104), T("23:38")],
    ];
    for (let cut = 0; cut <= night.length; cut++) {
      const steady = new AnomalyGate();
      const restarted: { gate: AnomalyGate } = { gate: new AnomalyGate() };
      night.forEach(([r, at], i) => {
        if (i === 2) {
          steady.release(K, at);
          restarted.gate.release(K, at);
        }
        if (i === cut) restarted.gate = AnomalyGate.fromJSON(JSON.parse(JSON.stringify(restarted.gate.toJSON())));
        expect(restarted.gate.observe(K, r, at)).toEqual(steady.observe(K, r, at));
      });
      expect(restarted.gate.toJSON()).toEqual(steady.toJSON());
    }
  });

  it("the good figures are written out while held (only then do they differ from the current ones), and read back", () => {
    const gate = new AnomalyGate();
    gate.observe(K, counting(100), T("23:30"));
    expect(gate.entry(K)?.good).toBeUndefined();
    gate.observe(K, setVotes(counting(101), RUCCO, 99_000), T("23:31"));
    const state = JSON.parse(JSON.stringify(gate.toJSON()));
    expect(state.comuni[K].good).toEqual(counting(100));
    expect(gate.entry(K)?.good).toEqual(counting(100));
    const restarted = AnomalyGate.fromJSON(state);
    expect(restarted.good(K)).toEqual(counting(100));
    // Still held after the restart: still those.
    restarted.observe(K, setVotes(counting(102), RUCCO, 99_000), T("23:32"));
    expect(restarted.good(K)).toEqual(counting(100));
    // Good figures of a shape this version cannot read: the state is refused.
    state.comuni[K].good = { candidates: "Rucco" };
    expect(() => AnomalyGate.fromJSON(state)).toThrow(/good/);
  });

  it("the state is plain JSON, one entry per comune", () => {
    const gate = new AnomalyGate();
    gate.observe(K, vicenza(), T("23:30"));
    gate.observe(K, { ...vicenza(), turnoutPercent: 101.2 }, T("23:31"));
    const state = gate.toJSON();
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(Object.keys(state.comuni)).toEqual([K]);
    expect(gate.entry(K)).toEqual(state.comuni[K]);
    expect(gate.entry("other")).toBeUndefined();
    // Kept small: the trimmed figures, not the whole answer.
    expect(JSON.stringify(state.comuni[K]).length).toBeLessThan(4000);
  });

  it("a state this version did not write is refused with the reason", () => {
    expect(() => AnomalyGate.fromJSON({ version: 2, comuni: {} })).toThrow(
      /stato del controllo anomalie non valido: version/,
    );
    expect(() => AnomalyGate.fromJSON({ version: 1, comuni: { [K]: { anomalies: [] } } })).toThrow(/told/);
    expect(() => AnomalyGate.fromJSON("{}")).toThrow(/non valido/);
    expect(AnomalyGate.fromJSON({ version: 1, comuni: {} }).toJSON()).toEqual({ version: 1, comuni: {} });
  });

  it("times are the caller's, never the machine's", () => {
    const gate = new AnomalyGate();
    const v = gate.observe(K, counting(1), new Date("2018-06-10T21:30:00Z"));
    expect(v.at).toBe("2018-06-10T21:30:00.000Z");
    expect(() => gate.observe(K, counting(1), "ieri")).toThrow(RangeError);
  });
});

// ————————————————————————————————————————————————————————————— staleness

describe("stale figures", () => {
  const last = "2018-06-11T01:10:00+02:00";
  const plus = (minutes: number, ms = 0) => new Date(Date.parse(last) + minutes * 60_000 + ms);

  it("from the threshold on (20 minutes by default) while counting is open, the time of the last change", () => {
    expect(staleSince(last, plus(19, 59_999), true)).toBeUndefined();
    const since = staleSince(last, plus(20), true);
    expect(since?.toISOString()).toBe(new Date(last).toISOString());
    expect(formatTime(since as Date)).toBe("01:10"); // "dati fermi dalle 01:10"
    expect(staleSince(last, plus(180), true)?.getTime()).toBe(Date.parse(last));
  });

  it("never once counting is closed, nor without a last change, nor with a last change in the future", () => {
    expect(staleSince(last, plus(60), false)).toBeUndefined();
    expect(staleSince(undefined, plus(60), true)).toBeUndefined();
    expect(staleSince(last, plus(-5), true)).toBeUndefined();
    expect(staleSince("non una data", plus(60), true)).toBeUndefined();
  });

  it("the threshold is a parameter", () => {
    expect(staleSince(last, plus(5), true, 5)).toBeDefined();
    expect(staleSince(last, plus(4, 59_999), true, 5)).toBeUndefined();
    expect(staleSince(last, plus(20), true, 30)).toBeUndefined();
    expect(() => staleSince(last, plus(20), true, 0)).toThrow(RangeError);
    expect(() => staleSince(last, plus(20), true, Number.NaN)).toThrow(RangeError);
  });

  it("reads the gate's changedAt", () => {
    const gate = new AnomalyGate();
    gate.observe(K, counting(10), last);
    const v = gate.observe(K, counting(10), plus(25).toISOString());
    expect(staleSince(v.changedAt, plus(25), true)?.getTime()).toBe(Date.parse(last));
  });
});
