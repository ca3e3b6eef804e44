/**
 * The election a fake Ministry feed serves: comuni with their candidates and lists, and how far the night
 * has gone in each (turnout readings published, sections counted, count closed), rendered into the
 * Ministry's own answer shapes (getentiG, votanti, scrutiniG first round and SCRUTINI_2T runoff).
 *
 * Figures are synthetic and self-consistent: at every step voters − blank − invalid − contested equals the
 * candidates' votes, shares are the Ministry's two-decimal strings with a comma, readings only grow.
 */
import { type FakeSeats, lawSeats } from "./seats.js";

export interface FakeList {
  pos: number;
  /** null: a list known only by its logo, as the Ministry sometimes publishes. */
  name: string | null;
  /** Share of the candidate's votes that the list takes (list votes are fewer than candidate votes). */
  weight: number;
}

export interface FakeCandidate {
  cogn: string;
  nome: string;
  pos: number;
  /** Relative strength: shares are weight ÷ the sum of weights. */
  weight: number;
  lists: FakeList[];
}

/** How far the night has gone in one round of one comune. */
export interface FakeProgress {
  /** Turnout readings published (0–4: 12:00, 19:00, 23:00, final). */
  readings: number;
  /** Sections that reported the latest reading (default: all). */
  readingSections?: number;
  /** Sections counted (0 = nothing published yet). */
  counted: number;
  /** Count closed: seats allocated (`fine_rip: "S"`) and the mayor marked (`eletto: "S"`). */
  closed: boolean;
  /**
   * The answer's own update time (`dt_agg`, `YYYYMMDDhhmm00` in Italian time) when a simulated clock sets it
   * (see playNight); else minutes after the close growing with the sections counted.
   */
  updated?: number;
}

export interface FakeComune {
  /** 9-digit RRPPPCCCC. */
  code: string;
  /** In capitals, as the Ministry writes it. */
  name: string;
  /** M above 15,000 inhabitants, N at or below; null where the Ministry leaves it out. */
  tipoComune: "M" | "N" | null;
  electors: number;
  sections: number;
  candidates: FakeCandidate[];
  /** Turnout at the four readings, as fractions of the electors (growing). */
  turnout: [number, number, number, number];
  /** The previous election's turnout at the four readings (percent). */
  previous: [number, number, number, number];
  /** Fractions of the voters: blank and invalid ballots; contested ballots as a count. */
  blankShare: number;
  invalidShare: number;
  contested: number;
  first: FakeProgress;
  /**
   * The first round's exact figures at given sections counted, instead of those scaled from the weights
   * (a count whose last sections go all one way, a share a vote above the majority).
   */
  exact?: Record<number, { votes: number[]; blank?: number; invalid?: number; contested?: number }>;
  /** Present when the comune votes again at the runoff: its two candidates' positions and weights. */
  runoff?: {
    positions: [number, number];
    weights: [number, number];
    turnout: [number, number, number, number];
    progress: FakeProgress;
  };
  /** The Ministry's seats other than the law's (a deliberate difference): given the law's, returns the served ones. */
  alterSeats?(law: FakeSeats): FakeSeats;
}

export interface FakeElection {
  /** YYYY-MM-DD. */
  date: string;
  runoffDate?: string;
  /** Region and province names for the getentiG list, by code ("05" → VENETO, "05090" → VICENZA). */
  regionNames: Record<string, string>;
  provinceNames: Record<string, string>;
  comuni: FakeComune[];
  /** Whether getentiG answers yet (before, "Dati non trovati"). */
  entiPublished: boolean;
}

export const emptyProgress = (): FakeProgress => ({ readings: 0, counted: 0, closed: false });

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

/** "50,64" from 50.6403. */
export const comma = (n: number) => n.toFixed(2).replace(".", ",");

/** `YYYYMMDDhhmm00` of a local time on `date`; minutes past 59 carry into the next hours (and day). */
const stamp = (date: string, hh: number, mm = 0) => {
  const d = new Date(
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), hh, mm),
  );
  const two = (n: number) => String(n).padStart(2, "0");
  return Number(
    `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}00`,
  );
};

/** Splits `total` by weights into integers that add up exactly (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]!++;
    left--;
  }
  return out;
}

/** The seats the fake Ministry serves once the count is closed: the law's, or the comune's deliberate difference. */
function servedSeats(
  c: FakeComune,
  listVotes: readonly (readonly number[])[],
  mayor: number,
  round: "first" | "runoff",
): FakeSeats | undefined {
  const small = c.tipoComune === "N" || (c.tipoComune === null && c.electors <= 15_000);
  const law = lawSeats({ seats: councilSeats(c), listVotes, mayor, small: small && round === "first", round });
  return law && c.alterSeats ? c.alterSeats(law) : law;
}

/** Council seats by population band, roughly as the law sets them. */
function councilSeats(c: FakeComune): number {
  if (c.electors > 200_000) return 40;
  if (c.electors > 80_000) return 32;
  if (c.electors > 20_000) return 24;
  if (c.electors > 8_000) return 16;
  return 12;
}

/** Where a comune's count stands at `counted` sections: every figure scaled from the final ones. */
export function countAt(c: FakeComune, counted: number, weights: readonly number[], turnoutFinal: number) {
  const f = counted / c.sections;
  const voters = Math.round(c.electors * turnoutFinal * f);
  const blank = Math.round(voters * c.blankShare);
  const invalid = Math.round(voters * c.invalidShare);
  const contested = Math.min(Math.round(c.contested * f), Math.max(0, voters - blank - invalid));
  const valid = Math.max(0, voters - blank - invalid - contested);
  const votes = apportion(valid, weights);
  return { voters, blank, invalid, contested, valid, votes };
}

/** The first round's count at `counted` sections: the exact figures where the comune has them, else scaled. */
function firstCountAt(c: FakeComune, counted: number): ReturnType<typeof countAt> {
  const exact = c.exact?.[counted];
  if (!exact)
    return countAt(
      c,
      counted,
      c.candidates.map((k) => k.weight),
      c.turnout[3],
    );
  const { blank = 0, invalid = 0, contested = 0 } = exact;
  const valid = exact.votes.reduce((s, v) => s + v, 0);
  return { voters: valid + blank + invalid + contested, blank, invalid, contested, valid, votes: [...exact.votes] };
}

/** The winner's index at the first round under the rules, or undefined when a runoff is due. */
export function firstRoundWinner(c: FakeComune): number | undefined {
  const final = firstCountAt(c, c.sections);
  let top = 0;
  final.votes.forEach((v, i) => {
    if (v > final.votes[top]!) top = i;
  });
  if (c.tipoComune === "N") return top;
  return final.votes[top]! * 2 > final.valid ? top : undefined;
}

// ---------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------

const splitCode = (code: string) => ({ region: code.slice(0, 2), province: code.slice(2, 5), comune: code.slice(5) });

/** getentiG: regions, provinces and comuni voting on `date`. */
export function entiAnswer(e: FakeElection, date: string) {
  const runoff = date === e.runoffDate;
  const comuni = e.comuni.filter((c) => !runoff || c.runoff);
  const regions = [...new Set(comuni.map((c) => c.code.slice(0, 2)))].sort();
  const provinces = [...new Set(comuni.map((c) => c.code.slice(0, 5)))].sort();
  const updated = stamp(date, 7);
  return {
    int: { file: "GEOPOLITICA COMUNALI", area: "I", t_ele: "Comunali", dt_ele: stamp(date, 0) },
    enti: [
      ...regions.map((r) => ({
        cod: `${r}0000000`,
        desc: e.regionNames[r] ?? `REGIONE ${r}`,
        tipo: "RE",
        tipo_comune: null,
        dt_agg: updated,
        tipo_tras: null,
      })),
      ...provinces.map((p) => ({
        cod: `${p}0000`,
        desc: e.provinceNames[p] ?? `PROVINCIA ${p.slice(2)}`,
        tipo: "PR",
        tipo_comune: null,
        dt_agg: updated,
        tipo_tras: null,
      })),
      ...comuni.map((c) => ({
        cod: c.code,
        desc: c.name,
        tipo: "CM",
        tipo_comune: c.tipoComune,
        dt_agg: updated,
        tipo_tras: "SZ",
      })),
    ],
  };
}

/** The reading hours: one day, 12, 19, 23 and the close at 23 (the final figure, a few minutes later). */
const READING_TIMES: [number, number][] = [
  [12, 0],
  [19, 0],
  [23, 0],
  [23, 15],
];

function readingsOf(c: FakeComune, date: string, progress: FakeProgress, turnout: readonly number[]) {
  const out = [];
  for (let k = 1; k <= progress.readings && k <= 4; k++) {
    const sections = k === progress.readings ? (progress.readingSections ?? c.sections) : c.sections;
    const voters = Math.round(c.electors * turnout[k - 1]! * (sections / c.sections));
    // The Ministry's share over the sections that reported: their electors, pro rata.
    const electorsIn = Math.round(c.electors * (sections / c.sections));
    const [hh, mm] = READING_TIMES[k - 1]!;
    out.push({
      com: k,
      dt_com: stamp(date, hh, mm),
      enti_p: sections,
      enti_t: c.sections,
      perc: electorsIn ? comma((voters / electorsIn) * 100) : "0,00",
      vot_m: 0,
      vot_f: 0,
      vot_t: voters,
      perc_r: comma(c.previous[k - 1]!),
    });
  }
  return out;
}

/** votanti: a province's turnout with each comune's readings; undefined before any reading. */
export function turnoutAnswer(e: FakeElection, date: string, provinceCode5: string) {
  const runoff = date === e.runoffDate;
  const comuni = e.comuni.filter((c) => c.code.startsWith(provinceCode5) && (!runoff || c.runoff));
  const progress = (c: FakeComune) => (runoff ? c.runoff!.progress : c.first);
  const turnout = (c: FakeComune) => (runoff ? c.runoff!.turnout : c.turnout);
  if (!comuni.length || comuni.every((c) => progress(c).readings === 0)) return undefined;
  const enti_f = comuni.map((c) => ({
    tipo: "COMUNE",
    desc: c.name,
    cod: Number(c.code.slice(5)),
    ele_m: 0,
    ele_f: 0,
    ele_t: c.electors,
    una_lis: null,
    tipo_tras: "SZ",
    com_vot: readingsOf(c, date, progress(c), turnout(c)),
  }));
  const electors = comuni.reduce((s, c) => s + c.electors, 0);
  const provinceReadings = [1, 2, 3, 4]
    .filter((k) => enti_f.some((f) => f.com_vot.length >= k))
    .map((k) => {
      const of = enti_f.map((f) => f.com_vot[k - 1]);
      const voters = of.reduce((s, r) => s + (r?.vot_t ?? 0), 0);
      return {
        com: k,
        dt_com: of.find((r) => r)!.dt_com,
        enti_p: of.reduce((s, r) => s + (r?.enti_p ?? 0), 0),
        enti_t: comuni.reduce((s, c) => s + c.sections, 0),
        perc: comma((voters / electors) * 100),
        vot_m: 0,
        vot_f: 0,
        vot_t: voters,
        perc_r: comma(comuni.reduce((s, c) => s + c.previous[k - 1]! * c.electors, 0) / electors),
      };
    });
  return {
    int: {
      st: "ESERCIZIO",
      c_ele: 8,
      t_ele: "Comunali",
      f_elet: "VOTANTI",
      dt_ele: stamp(date, 0),
      l_terr: "PROVINCIA",
      area: "I",
      dt_agg: stamp(date, 23, 30),
    },
    note: null,
    note_din: null,
    enti: {
      ente_p: {
        desc: e.provinceNames[provinceCode5] ?? `PROVINCIA ${provinceCode5.slice(2)}`,
        cod: Number(provinceCode5.slice(2)),
        ele_m: 0,
        ele_f: 0,
        ele_t: electors,
        com: [{ cod_reg: Number(provinceCode5.slice(0, 2)), com_att: comuni.length, num_com: comuni.length }],
        com_vot: provinceReadings,
      },
      enti_f,
    },
  };
}

function intOf(
  c: FakeComune,
  date: string,
  kind: "SCRUTINI" | "SCRUTINI_2T",
  p: FakeProgress,
  n: ReturnType<typeof countAt>,
) {
  const { comune } = splitCode(c.code);
  return {
    st: "ESERCIZIO",
    t_ele: "COMUNALI",
    f_elet: kind,
    dt_ele: stamp(date, 0),
    l_terr: "COMUNE",
    area: "I",
    desc_com: c.name,
    cod_com: Number(comune),
    ele_m: Math.floor(c.electors * 0.48),
    ele_f: c.electors - Math.floor(c.electors * 0.48),
    ele_t: c.electors,
    vot_m: Math.floor(n.voters * 0.48),
    vot_f: n.voters - Math.floor(n.voters * 0.48),
    vot_t: n.voters,
    perc_vot: comma(((n.voters / c.electors) * 100 * c.sections) / p.counted),
    sz_p_sind: p.counted,
    sz_p_cons: p.counted,
    sz_tot: c.sections,
    fine_rip: p.closed ? "S" : null,
    sk_bianche: n.blank,
    sk_nulle: n.invalid,
    sk_contestate: n.contested,
    sg_spett: councilSeats(c),
    non_valid: null,
    // Minutes after the close grow with the sections counted: the answer's own update time moves.
    dt_agg: p.updated ?? stamp(date, 23, 30 + p.counted + (p.closed ? 1 : 0)),
    dt_prec: "11/06/2017",
  };
}

function listsOf(k: FakeCandidate, votes: number, listTotal: number, seats: number[] | undefined, offset: number) {
  const listVotes = apportion(
    Math.round(votes * 0.93),
    k.lists.map((l) => l.weight),
  );
  return k.lists.map((l, j) => ({
    pos: l.pos,
    descr_lista: l.name,
    img_lis: `fake-${l.pos}.png`,
    voti: listVotes[j]!,
    perc: comma(listTotal ? (listVotes[j]! / listTotal) * 100 : 0),
    seggi: seats ? seats[offset + j]! : 0,
    sort_lis: null,
  }));
}

/** scrutiniG, first round: undefined before the first section is counted. */
export function firstRoundAnswer(c: FakeComune, date: string) {
  const p = c.first;
  if (p.counted <= 0) return undefined;
  const n = firstCountAt(c, p.counted);
  const byCandidate = c.candidates.map((k, i) =>
    apportion(
      Math.round(n.votes[i]! * 0.93),
      k.lists.map((l) => l.weight),
    ),
  );
  const listTotal = byCandidate.flat().reduce((s, v) => s + v, 0);
  const winner = p.closed ? firstRoundWinner(c) : undefined;
  const seats = p.closed && winner !== undefined ? servedSeats(c, byCandidate, winner, "first") : undefined;
  let offset = 0;
  const cand = c.candidates.map((k, i) => {
    const liste = listsOf(k, n.votes[i]!, listTotal, seats?.lists, offset);
    offset += k.lists.length;
    return {
      cogn: k.cogn,
      nome: k.nome,
      a_nome: null,
      pos: k.pos,
      voti: n.votes[i]!,
      perc: comma(n.valid ? (n.votes[i]! / n.valid) * 100 : 0),
      eletto: winner === i ? "S" : seats?.seated[i] ? "C" : null,
      sort_coal: null,
      sg_sort_coal: null,
      liste,
    };
  });
  cand.sort((a, b) => b.voti - a.voti || a.pos - b.pos);
  return {
    int: { ...intOf(c, date, "SCRUTINI", p, n), fine_rip: seats ? "S" : null },
    note: null,
    note_din: [],
    cand,
  };
}

/** scrutiniG at the runoff (SCRUTINI_2T): the two candidates' votes, everyone's first-round figures. */
export function runoffAnswer(c: FakeComune, date: string) {
  const r = c.runoff;
  if (!r || r.progress.counted <= 0) return undefined;
  const p = r.progress;
  const n = countAt(c, p.counted, r.weights, r.turnout[3]);
  const first = firstCountAt(c, c.sections);
  const byCandidate = c.candidates.map((k, i) =>
    apportion(
      Math.round(first.votes[i]! * 0.93),
      k.lists.map((l) => l.weight),
    ),
  );
  const listTotal = byCandidate.flat().reduce((s, v) => s + v, 0);
  const winnerSlot = p.closed ? (n.votes[0]! >= n.votes[1]! ? 0 : 1) : undefined;
  const mayor = winnerSlot === undefined ? -1 : c.candidates.findIndex((k) => k.pos === r.positions[winnerSlot]);
  const seats = mayor >= 0 ? servedSeats(c, byCandidate, mayor, "runoff") : undefined;
  let offset = 0;
  const cand = c.candidates.map((k, i) => {
    const slot = r.positions.indexOf(k.pos);
    const liste = listsOf(k, first.votes[i]!, listTotal, seats?.lists, offset).map((l) => ({ ...l, lis_in: null }));
    offset += k.lists.length;
    return {
      cogn: k.cogn,
      nome: k.nome,
      a_nome: null,
      pos: slot >= 0 ? slot + 1 : null,
      voti: slot >= 0 ? n.votes[slot]! : null,
      perc: slot >= 0 ? comma(n.valid ? (n.votes[slot]! / n.valid) * 100 : 0) : null,
      voti_1t: first.votes[i]!,
      perc_1t: comma(first.valid ? (first.votes[i]! / first.valid) * 100 : 0),
      eletto: slot >= 0 && slot === winnerSlot ? "S" : seats?.seated[i] ? "C" : null,
      sort_coal: null,
      sg_sort_coal: null,
      lis_out: null,
      liste,
    };
  });
  cand.sort((a, b) => (b.voti ?? -1) - (a.voti ?? -1) || b.voti_1t - a.voti_1t);
  return { int: intOf(c, date, "SCRUTINI_2T", p, n), note: null, note_din: [], cand };
}
