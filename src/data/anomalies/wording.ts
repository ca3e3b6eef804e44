/** How an anomaly is made and worded: its sentence in Italian and English, and the identities its key is built from. */
import { formatInteger } from "../../format/italian.js";
import type {
  Anomaly,
  AnomalyCode,
  AnomalyFigures,
  AnomalySeverity,
  BallotKind,
  ReadingRef,
} from "../anomaly-types.js";
import type { StatedOutcome } from "../model.js";

/** An anomaly from its figures, with its sentence in Italian and English. */
export function make<C extends AnomalyCode>(
  code: C,
  severity: AnomalySeverity,
  key: string,
  figures: AnomalyFigures[C],
  say: (f: AnomalyFigures[C]) => [string, string],
): Anomaly {
  const [it, en] = say(figures);
  return { code, severity, key, figures, it, en } as Anomaly;
}

/** Counts as in Italian (`9.172.026`), signed differences, shares to two decimals. */
export const int = formatInteger;
export const delta = (d: number) => (d < 0 ? `−${int(-d)}` : `+${int(d)}`);
export const round2 = (x: number) => Math.round(x * 100) / 100;
export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The kinds of ballots by name, in Italian and English. */
export const BALLOTS_IT: Record<BallotKind, string> = {
  blank: "Schede bianche",
  invalid: "Schede nulle",
  contested: "Schede contestate",
};
export const BALLOTS_EN: Record<BallotKind, string> = {
  blank: "Blank ballots",
  invalid: "Invalid ballots",
  contested: "Contested ballots",
};

/** A figure added only when the source gives it. */
export function optional<T extends object>(base: T, votes: number | undefined): T & { votes?: number } {
  return votes === undefined ? base : { ...base, votes };
}

export function withReading<T extends object>(
  reading: ReadingRef | undefined,
  figures: T,
): T & { reading?: ReadingRef } {
  return reading ? { reading, ...figures } : figures;
}

/** A reading's identity: its survey time, and whether it is the final one (a two-day vote's close). */
export function readingKey(p: { at: string; final: boolean }): string {
  return p.final ? `${p.at}:final` : p.at;
}

/** A reading's part of an anomaly's key (empty for the round's own figures). */
export function refKey(reading: ReadingRef | undefined): string {
  return reading ? `:${readingKey(reading)}` : "";
}

/** "l'affluenza delle 19:00", "the 19:00 turnout". */
export function readingIt(r: ReadingRef): string {
  return r.final ? `l'affluenza finale (${r.at})` : `l'affluenza delle ${r.at}`;
}

export function readingEn(r: ReadingRef): string {
  return r.final ? `the final turnout (${r.at})` : `the ${r.at} turnout`;
}

/** A list's identity within its candidate: its name, else its ballot position, else its order. */
export function listLabel(l: { name?: string; position?: number }, index: number): string {
  return l.name ?? (l.position !== undefined ? `n. ${l.position}` : `#${index + 1}`);
}

/** Whether two stated outcomes are the same (the runoff's pair in any order). */
export function sameOutcome(a: StatedOutcome, b: StatedOutcome | undefined): boolean {
  return b !== undefined && outcomeId(a) === outcomeId(b);
}

export function outcomeId(o: StatedOutcome): string {
  if (o.kind === "elected") return `elected:${o.candidate}`;
  if (o.kind === "runoff") return `runoff:${[...o.candidates].sort().join("|")}`;
  return "void";
}

export function outcomeText(o: StatedOutcome | undefined, lang: "it" | "en"): string {
  if (!o) return lang === "it" ? "nessun esito" : "no outcome";
  if (o.kind === "elected") return lang === "it" ? `eletto ${o.candidate}` : `${o.candidate} elected`;
  if (o.kind === "runoff") {
    const [a, b] = o.candidates;
    return lang === "it" ? `ballottaggio tra ${a} e ${b}` : `runoff between ${a} and ${b}`;
  }
  return lang === "it" ? "nessun eletto" : "nobody elected";
}
