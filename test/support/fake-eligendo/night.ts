/**
 * Simulated election nights for the fake feed: synthetic comuni (candidates, lists, electors, sections)
 * and a timeline from nothing to the outcome, as a function of the night's progress t ∈ [0, 1]:
 *
 *   0.10, 0.20, 0.30, 0.40  the four turnout readings (each reported by every section within 0.05)
 *   0.45 → 0.95             each comune counts its sections at its own pace
 *   end of count + 0.02     seats allocated, mayor marked
 *
 * Everything is derived from a seed: the same night every time. Figures are synthetic: whoever shows
 * them must label them as simulated.
 */
import {
  emptyProgress,
  type FakeCandidate,
  type FakeComune,
  type FakeElection,
  type FakeProgress,
  firstRoundWinner,
} from "./election.js";

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = "MARCO GIULIA FRANCESCO ANNA LUCA CHIARA GIUSEPPE SARA ANDREA ELENA PAOLO MARTA NICOLO' ILARIA".split(
  " ",
);
const LAST =
  "ROSSI BIANCHI ESPOSITO DE_LUCA FERRARI ROMANO COLOMBO RICCI D'ANGELO DALLA_ROSA MARINO GRECO GALLO CONTI DI_STEFANO"
    .split(" ")
    .map((s) => s.replace("_", " "));
const LISTS = [
  "PARTITO DEMOCRATICO",
  "FRATELLI D'ITALIA",
  "LEGA",
  "FORZA ITALIA",
  "MOVIMENTO 5 STELLE",
  "AZIONE",
  "ALLEANZA VERDI SINISTRA",
  "CIVICA PER LA CITTA'",
  "INSIEME SI PUO'",
  "NOI MODERATI",
];

/** A place to simulate: its 9-digit code and its name in capitals (as the Ministry writes it). */
export interface Place {
  code: string;
  name: string;
}

/** `n` synthetic places over a hundred provinces of ten comuni each, in the regions of the feed. */
export function syntheticPlaces(n: number): Place[] {
  const regions = ["01", "03", "05", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "20"];
  const out: Place[] = [];
  for (let i = 0; i < n; i++) {
    const province = Math.floor(i / 10);
    const region = regions[province % regions.length]!;
    const code = `${region}${String(province + 1).padStart(3, "0")}${String((i % 10) * 10 + 10).padStart(4, "0")}`;
    out.push({ code, name: `COMUNE SIMULATO ${i + 1}` });
  }
  return out;
}

export interface BuildOptions {
  date: string;
  runoffDate?: string;
  places: Place[];
  seed?: number;
  /** Province and region names for getentiG, by code ("16106", "16"). */
  provinceNames?: Record<string, string>;
  regionNames?: Record<string, string>;
}

function candidates(r: () => number, big: boolean): FakeCandidate[] {
  const n = big ? 2 + Math.floor(r() * 5) : 1 + Math.floor(r() * 3);
  let listPos = 1;
  return Array.from({ length: Math.max(n, 2) }, (_, i) => {
    const lists = Array.from({ length: big ? 1 + Math.floor(r() * 4) : 1 }, () => ({
      pos: listPos++,
      // About one list in five is known only by its logo.
      name: r() < 0.2 ? null : LISTS[Math.floor(r() * LISTS.length)]!,
      weight: 0.2 + r(),
    }));
    return {
      cogn: LAST[Math.floor(r() * LAST.length)]!,
      nome: FIRST[Math.floor(r() * FIRST.length)]!,
      pos: i + 1,
      weight: i === 0 ? 1 + r() : 0.1 + r() * (i === 1 ? 1.4 : 0.6),
      lists,
    };
  }).map((c, i, all) => {
    // Two candidates with the same name would make the outcome ambiguous: number the repeats.
    const twin = all.slice(0, i).some((o) => o.cogn === c.cogn && o.nome === c.nome);
    return twin ? { ...c, cogn: `${c.cogn} ${i + 1}` } : c;
  });
}

/** A synthetic election over `places`; every comune starts before the night (nothing published). */
export function buildElection(opts: BuildOptions): FakeElection {
  const r = rng(opts.seed ?? 20260524);
  const comuni: FakeComune[] = opts.places.map((p) => {
    // Log-uniform between 1,500 and 400,000 electors.
    const electors = Math.round(Math.exp(Math.log(1_500) + r() * (Math.log(400_000) - Math.log(1_500))));
    const big = electors > 12_000;
    const final = 0.45 + r() * 0.3;
    const c: FakeComune = {
      code: p.code,
      name: p.name,
      tipoComune: big ? "M" : "N",
      electors,
      sections: Math.max(1, Math.ceil(electors / 900)),
      candidates: candidates(r, big),
      turnout: [final * 0.22, final * 0.62, final * 0.92, final],
      previous: [14 + r() * 6, 40 + r() * 10, 58 + r() * 8, 62 + r() * 8],
      blankShare: 0.005 + r() * 0.01,
      invalidShare: 0.01 + r() * 0.015,
      contested: Math.floor(r() * 5),
      first: emptyProgress(),
    };
    if (opts.runoffDate && big && firstRoundWinner(c) === undefined) {
      const order = [...c.candidates].sort((a, b) => b.weight - a.weight);
      c.runoff = {
        positions: [order[0]!.pos, order[1]!.pos],
        weights: [order[0]!.weight, order[1]!.weight * (0.8 + r() * 0.5)],
        turnout: [final * 0.18, final * 0.5, final * 0.78, final * 0.85],
        progress: emptyProgress(),
      };
    }
    return c;
  });
  return {
    date: opts.date,
    runoffDate: opts.runoffDate,
    regionNames: opts.regionNames ?? {},
    provinceNames: opts.provinceNames ?? {},
    comuni,
    entiPublished: true,
  };
}

/**
 * Sizes every comune as the rules will judge it (src/data/rules.ts): a capoluogo above 15,000 inhabitants
 * (`tipo_comune` "M": a runoff unless someone passes 50%), every other one a small comune ("N": one round,
 * one list per candidate, the most voted wins). The electors and sections agree with the size.
 */
export function sizeByRules(e: FakeElection, capoluogo: (code: string) => boolean): void {
  for (const c of e.comuni) {
    if (capoluogo(c.code)) {
      c.tipoComune = "M";
      c.electors = Math.max(c.electors, 25_000);
    } else {
      c.tipoComune = "N";
      c.electors = Math.min(c.electors, 9_000);
      for (const k of c.candidates) k.lists = k.lists.slice(0, 1);
    }
    c.sections = Math.max(1, Math.ceil(c.electors / 900));
  }
}

/** A number in [0, 1) fixed for a comune and a purpose: each comune keeps its pace. */
function fixed(code: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < code.length; i++) h = Math.imul(h ^ code.charCodeAt(i), 16777619);
  return rng(h >>> 0)();
}

function progressAt(c: FakeComune, t: number, salt: number) {
  let readings = 0;
  let readingSections: number | undefined;
  for (let k = 1; k <= 4; k++) {
    const from = 0.1 * k;
    if (t < from) break;
    readings = k;
    const spread = Math.min(1, 0.3 + ((t - from) / 0.05) * 0.7);
    readingSections = spread >= 1 ? undefined : Math.max(1, Math.floor(c.sections * spread));
  }
  const start = 0.45 + fixed(c.code, salt) * 0.1;
  const end = Math.min(0.93, start + 0.15 + fixed(c.code, salt + 1) * 0.3);
  const share = Math.min(1, Math.max(0, (t - start) / (end - start)));
  const counted = t < start ? 0 : Math.max(1, Math.floor(c.sections * share));
  return { readings, readingSections, counted, closed: counted >= c.sections && t >= end + 0.02 };
}

/**
 * The hour of the night at each milestone of its progress, in minutes after midnight of the voting day
 * (Italian time): polls open at 07:00, the readings at 12:00, 19:00, 23:00 and 23:15 (t = 0.1 … 0.4), the
 * count from 23:30 (t = 0.45) to about 03:00 (t = 0.95), the last outcomes by 03:30 (t = 1).
 */
const NIGHT_HOURS: readonly (readonly [number, number])[] = [
  [0, 7 * 60],
  [0.1, 12 * 60],
  [0.2, 19 * 60],
  [0.3, 23 * 60],
  [0.4, 23 * 60 + 15],
  [0.45, 23 * 60 + 30],
  [0.95, 27 * 60],
  [1, 27 * 60 + 30],
];

/** Midnight of `date` (YYYY-MM-DD) in Italian time, as an instant. */
function romeMidnight(date: string): number {
  const utc = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const hour = Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Rome", hour: "2-digit", hourCycle: "h23" }).format(
      new Date(utc + 12 * 3_600_000),
    ),
  );
  return utc - (hour - 12) * 3_600_000;
}

/**
 * The simulated clock of a night: the instant its progress `t` stands for (see NIGHT_HOURS); before 0 the
 * polls' opening, after 1 the night goes on at the count's pace. What a replay shows reads this one clock.
 */
export function nightTime(date: string, t: number): Date {
  const at = Math.max(0, t);
  let minutes: number;
  const last = NIGHT_HOURS[NIGHT_HOURS.length - 1]!;
  if (at >= last[0]) {
    const before = NIGHT_HOURS[NIGHT_HOURS.length - 2]!;
    minutes = last[1] + ((at - last[0]) * (last[1] - before[1])) / (last[0] - before[0]);
  } else {
    const i = NIGHT_HOURS.findIndex(([p]) => p > at);
    const [p0, m0] = NIGHT_HOURS[i - 1]!;
    const [p1, m1] = NIGHT_HOURS[i]!;
    minutes = m0 + ((at - p0) * (m1 - m0)) / (p1 - p0);
  }
  return new Date(romeMidnight(date) + Math.round(minutes * 60_000));
}

/** `YYYYMMDDhhmm00` of an instant in Italian time, as the Ministry stamps its answers. */
export function romeStamp(d: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Rome",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return Number(`${parts.year}${parts.month}${parts.day}${parts.hour}${parts.minute}00`);
}

/** The progress at `t`, its update time set from `clock` when the count moved (kept while it does not). */
function stamped(next: FakeProgress, before: FakeProgress, clock: (() => Date) | undefined): FakeProgress {
  if (!clock || next.counted <= 0) return next;
  const moved = next.counted !== before.counted || next.closed !== before.closed || before.updated === undefined;
  const updated = moved ? romeStamp(clock()) : before.updated;
  return updated === undefined ? next : { ...next, updated };
}

/**
 * Moves every comune's first round to where the night is at progress `t` (0 → 1); with a `clock`, each
 * answer's update time is the clock's when its count moved.
 */
export function firstRoundNightAt(e: FakeElection, t: number, clock?: () => Date): void {
  for (const c of e.comuni) c.first = stamped(progressAt(c, t, 1), c.first, clock);
}

/** Moves every runoff comune's runoff to where its night is at progress `t` (0 → 1). */
export function runoffNightAt(e: FakeElection, t: number, clock?: () => Date): void {
  for (const c of e.comuni) if (c.runoff) c.runoff.progress = stamped(progressAt(c, t, 7), c.runoff.progress, clock);
}

/**
 * Plays a night in real time, compressed: the first round's progress goes from `from` to 1 over
 * `durationMs` (then the runoff's, when `runoff` is set), updated every `tickMs`. For a replay.
 * Returns the function that stops it.
 */
export function playNight(
  e: FakeElection,
  opts: {
    durationMs: number;
    tickMs?: number;
    from?: number;
    runoff?: boolean;
    onTick?: (t: number) => void;
    /** The simulated clock the answers' update times are read from (see nightTime). */
    clock?: () => Date;
  },
): () => void {
  const started = Date.now();
  const from = opts.from ?? 0;
  const phases = opts.runoff && e.runoffDate ? 2 : 1;
  const tick = () => {
    const elapsed = (Date.now() - started) / opts.durationMs;
    const t = Math.min(phases, from + elapsed * (phases - from));
    firstRoundNightAt(e, Math.min(1, t), opts.clock);
    if (phases === 2 && t > 1) runoffNightAt(e, t - 1, opts.clock);
    opts.onTick?.(t);
    if (t >= phases) clearInterval(timer);
  };
  const timer = setInterval(tick, opts.tickMs ?? 1000);
  tick();
  return () => clearInterval(timer);
}
