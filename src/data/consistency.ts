/**
 * Whether a round's figures agree with themselves: shares against votes, votes against voters and
 * electors, turnout against both, shares summing to 100, a sole candidate's share, and the stated outcome
 * against the rules. Pure, over the results model: the same check for a pack typed by the newsroom, an
 * imported one, or results built from the feed's figures. `npm run validate-data` runs it on every round.
 *
 * A share is published rounded to the decimals it shows (off by at most half a unit of its last digit)
 * or, by some sources, truncated to hundredths (off by up to 0,01): each share may be off by the larger
 * of the two, and the shares of a round together by the larger of the two totals (a source does one or
 * the other). Anything further is two counts mixed, or a mistake.
 */
import { formatInteger, formatPercent } from "../format/italian.js";
import type { ComuneResults, RoundResult } from "./model.js";
import { disagreements } from "./rules.js";
import type { Rules } from "./schema.js";

/** One failure: the field's path inside the comune ("firstRound.candidates[1].votes") and what is wrong. */
export interface Inconsistency {
  path: string;
  message: string;
}

/** Decimals a share is written with (45.22 → 2, 16.9 → 1, 4 → 0). */
function decimals(p: number): number {
  const s = String(p);
  const dot = s.indexOf(".");
  return dot < 0 ? 0 : s.length - dot - 1;
}

const halfUnit = (p: number) => 0.5 * 10 ** -decimals(p);
/** How far a published share may be from its exact value. */
export const shareTolerance = (p: number) => Math.max(halfUnit(p), 0.01);
/** How far the published shares of one round may together be from their exact sum. */
export function sumTolerance(shares: readonly number[]): number {
  return Math.max(
    shares.reduce((s, p) => s + halfUnit(p), 0),
    shares.length * 0.01,
  );
}

const EPS = 1e-9;
const pct = (p: number) => formatPercent(Math.round(p * 100) / 100);
const int = (n: number) => formatInteger(Math.round(n));

/** The failures of one round; `at` is "firstRound" or "runoff". */
export function roundInconsistencies(r: RoundResult, at: "firstRound" | "runoff"): Inconsistency[] {
  const out: Inconsistency[] = [];
  const ks = r.candidates;
  const cand = (i: number, field: string) => `${at}.candidates[${i}].${field}`;
  const allVotes = ks.every((k) => k.votes !== undefined);
  const valid = allVotes ? ks.reduce((s, k) => s + k.votes!, 0) : undefined;

  if (ks.length === 1) {
    const p = ks[0]!.percent;
    if (p !== undefined && Math.abs(p - 100) > EPS)
      out.push({
        path: cand(0, "percent"),
        message: `un candidato unico ha tutti i voti validi: ${pct(p)} non è una quota dei voti`,
      });
  } else if (valid !== undefined && valid > 0) {
    ks.forEach((k, i) => {
      if (k.percent === undefined) return;
      const exact = (k.votes! * 100) / valid;
      if (Math.abs(exact - k.percent) > shareTolerance(k.percent) + EPS)
        out.push({
          path: cand(i, "percent"),
          message: `${pct(k.percent)}, ma i voti danno ${pct(exact)} (${int(k.votes!)} su ${int(valid)} validi)`,
        });
    });
  } else {
    // Some votes: each candidate's votes and share imply a total of valid votes; one count gives one total.
    const both = ks
      .map((k, i) => ({ k, i }))
      .filter((x) => x.k.votes !== undefined && x.k.percent !== undefined && x.k.percent > 0);
    const range = (x: (typeof both)[number]) => {
      const t = shareTolerance(x.k.percent!);
      const lo = (x.k.votes! * 100) / (x.k.percent! + t);
      const hi = x.k.percent! > t ? (x.k.votes! * 100) / (x.k.percent! - t) : Number.POSITIVE_INFINITY;
      return [lo, hi] as const;
    };
    const ref = [...both].sort((a, b) => b.k.votes! - a.k.votes!)[0];
    if (ref) {
      const [rlo, rhi] = range(ref);
      for (const x of both) {
        if (x === ref) continue;
        const [lo, hi] = range(x);
        if (lo > rhi + EPS || hi < rlo - EPS)
          out.push({
            path: cand(x.i, "votes"),
            message:
              `${int(x.k.votes!)} voti con ${pct(x.k.percent!)} danno ${int((x.k.votes! * 100) / x.k.percent!)} voti ` +
              `validi, ${ref.k.name} (${int(ref.k.votes!)} con ${pct(ref.k.percent!)}) ne dà ` +
              `${int((ref.k.votes! * 100) / ref.k.percent!)}: voti e percentuali di due conteggi diversi`,
          });
      }
    }
  }

  const shares = ks.flatMap((k) => (k.percent !== undefined ? [k.percent] : []));
  if (ks.length > 1 && shares.length) {
    const sum = shares.reduce((s, p) => s + p, 0);
    const tol = sumTolerance(shares);
    const whole = shares.length === ks.length;
    if ((whole && Math.abs(sum - 100) > tol + EPS) || (!whole && sum > 100 + tol + EPS))
      out.push({
        path: `${at}.candidates`,
        message: `le percentuali sommano a ${pct(sum)}${whole ? ", non a 100" : ", oltre 100"} (scarto ammesso ${pct(tol)})`,
      });
  }

  if (valid !== undefined) {
    if (r.voters !== undefined && valid > r.voters)
      out.push({ path: `${at}.voters`, message: `${int(r.voters)} votanti, ma i candidati hanno ${int(valid)} voti` });
    else if (
      r.voters !== undefined &&
      r.blank !== undefined &&
      r.invalid !== undefined &&
      r.provenance.status === "final"
    ) {
      const counted = valid + r.blank + r.invalid + (r.contested ?? 0);
      if (counted !== r.voters)
        out.push({
          path: `${at}.voters`,
          message: `${int(r.voters)} votanti, ma voti validi, bianche, nulle e contestate sono ${int(counted)}`,
        });
    }
    if (r.electors !== undefined && valid > r.electors)
      out.push({
        path: `${at}.electors`,
        message: `${int(r.electors)} elettori, ma i candidati hanno ${int(valid)} voti`,
      });
  }
  if (r.voters !== undefined && r.electors && r.turnoutPercent !== undefined) {
    const exact = (r.voters * 100) / r.electors;
    if (Math.abs(exact - r.turnoutPercent) > shareTolerance(r.turnoutPercent) + EPS)
      out.push({
        path: `${at}.turnoutPercent`,
        message: `${pct(r.turnoutPercent)}, ma ${int(r.voters)} votanti su ${int(r.electors)} elettori sono ${pct(exact)}`,
      });
  }
  return out;
}

/** A comune's failures: both rounds, and each stated outcome the rules contradict (not one they cannot decide). */
export function comuneInconsistencies(c: ComuneResults, rules: Rules): Inconsistency[] {
  const out = roundInconsistencies(c.firstRound, "firstRound");
  if (c.runoff) out.push(...roundInconsistencies(c.runoff, "runoff"));
  for (const d of disagreements(c, rules)) {
    if (d.derived.kind === "undecided") continue;
    const stated = c[d.round]!.outcome!;
    out.push({
      path: `${d.round}.outcome`,
      message: `l'esito dichiarato (${stated.kind}) non è quello delle regole (${d.derived.kind}, ${d.derived.reason})`,
    });
  }
  return out;
}

/** Every failure of a results file, one line each: "results.json: comuni[3].firstRound.candidates[1].votes: …". */
export function resultsInconsistencies(
  comuni: readonly ComuneResults[],
  rules: Rules,
  file = "results.json",
): { file: string; path: string; message: string }[] {
  return comuni.flatMap((c, i) =>
    comuneInconsistencies(c, rules).map((x) => ({
      file,
      path: `comuni[${i}].${x.path}`,
      message: `${c.name}: ${x.message}`,
    })),
  );
}
