/**
 * The gate: follows each comune through the night, holds its automatic bulletins while its figures look
 * wrong, tells the newsroom once per anomaly, clears when the figures are consistent again, and lets the
 * newsroom release a hold (see {@link AnomalyGate}).
 */
import type { Anomaly } from "../anomaly-types.js";
import type { RoundResult } from "../model.js";
import { baselineOf, type CheckOptions, checkRound } from "./checks.js";
import { type GateEntry, type GateState, parseGateState, type Release } from "./state.js";

/** What the gate says about a comune after a snapshot. */
export interface GateVerdict {
  comune: string;
  /** The snapshot's time, ISO. */
  at: string;
  /** Automatic bulletins for this comune wait (cards still answer, marked "dati in verifica"). */
  held: boolean;
  /** Hold anomalies are present, but the newsroom released them: bulletins go. */
  released: boolean;
  /** When the current run of hold anomalies began (held or released), ISO; absent when consistent. */
  since?: string;
  /** Every anomaly of this snapshot, hold and note, in checkRound's order. */
  anomalies: Anomaly[];
  /** The hold anomalies present: why bulletins wait (or what the release covers). */
  holding: Anomaly[];
  /**
   * Hold anomalies to tell the newsroom now: each is told once per run of hold anomalies (a run ends
   * when the figures are consistent again), and not while a release covers it. A snapshot that
   * starts a hold, or ends a release with a different anomaly, has at least one.
   */
  fresh: Anomaly[];
  /** Notes that were not in the previous snapshot: to log. */
  freshNotes: Anomaly[];
  /** The previous snapshot had hold anomalies and this one has none: tell the newsroom it cleared. */
  cleared: boolean;
  /** Since when the figures have been these (ISO): for {@link staleSince}. */
  changedAt: string;
}

/** A comune's standing between snapshots, for /stato and the cards. */
export interface GateStatus {
  comune: string;
  held: boolean;
  released: boolean;
  since?: string;
  anomalies: Anomaly[];
  holding: Anomaly[];
  /** Since when the figures have been these, ISO. */
  changedAt?: string;
  /** When the last snapshot was observed, ISO. */
  seenAt?: string;
  release?: Release;
}

/**
 * The anomaly gate: one entry per comune (per round: use a key such as `1t:0901160`, `2t:0901160`).
 *
 * Feed it every new snapshot of a comune's round with {@link observe}. While the snapshot has hold
 * anomalies (against the last good figures, or in itself), automatic bulletins for the comune wait;
 * the newsroom is told each anomaly once; when a snapshot is consistent again the hold clears and
 * those figures become the new good ones. {@link release} lets bulletins go despite the anomalies
 * present: the figures then count as good (backwards checks start from them), and the release lasts
 * until an anomaly with a key it does not cover appears — a recurrence of a covered key stays
 * released, which is what makes a feed that flaps between two versions quiet once released.
 *
 * Not thread-safe and not a clock: snapshots are observed in order, with the time the caller gives.
 */
export class AnomalyGate {
  private readonly comuni: Map<string, GateEntry>;

  constructor(state?: GateState) {
    this.comuni = new Map(Object.entries(state?.comuni ?? {}).map(([k, v]) => [k, structuredClone(v)]));
  }

  /** Observe a comune's new snapshot at `at`: check it, update the comune's standing, say what to do. */
  observe(comune: string, current: RoundResult, at: string | Date, options: CheckOptions = {}): GateVerdict {
    const when = iso(at);
    const prev = this.comuni.get(comune) ?? { anomalies: [], told: [], noted: [] };
    const anomalies = checkRound(prev.baseline, current, options);
    const holding = anomalies.filter((a) => a.severity === "hold");
    const notes = anomalies.filter((a) => a.severity === "note");

    let release = prev.release;
    const covered = release !== undefined && holding.every((a) => release?.keys.includes(a.key));
    if (release && holding.length && !covered) release = undefined; // a different anomaly: the release ends
    const released = holding.length > 0 && covered;
    const held = holding.length > 0 && !released;

    const toldBefore = holding.length ? prev.told : [];
    const fresh = held ? holding.filter((a) => !toldBefore.includes(a.key)) : [];
    const told = [...toldBefore, ...fresh.map((a) => a.key)];
    const freshNotes = notes.filter((a) => !prev.noted.includes(a.key));

    const trimmed = baselineOf(current);
    const fingerprint = hash(JSON.stringify(trimmed));
    const changedAt = fingerprint !== prev.fingerprint || !prev.changedAt ? when : prev.changedAt;

    const next: GateEntry = {
      // A shallow copy: the owner of `current` may replace its fields (the turnout readings) later.
      ...(held
        ? pick(prev, "baseline", "baselineAt", "good")
        : { baseline: trimmed, baselineAt: when, good: { ...current } }),
      fingerprint,
      changedAt,
      seenAt: when,
      anomalies,
      ...(holding.length ? { since: prev.since ?? when } : {}),
      told,
      noted: notes.map((a) => a.key),
      ...(release ? { release } : {}),
    };
    this.comuni.set(comune, next);

    const cleared = prev.anomalies.some((a) => a.severity === "hold") && holding.length === 0;
    return {
      comune,
      at: when,
      held,
      released,
      ...(next.since ? { since: next.since } : {}),
      anomalies,
      holding,
      fresh,
      freshNotes,
      cleared,
      changedAt,
    };
  }

  /**
   * The newsroom releases a held comune: bulletins go despite the hold anomalies present, until one it
   * does not cover appears. False (and nothing changes) when the comune is not held.
   */
  release(comune: string, at: string | Date, by?: string): boolean {
    const entry = this.comuni.get(comune);
    const status = entry && standing(comune, entry);
    if (!entry || !status?.held) return false;
    entry.release = { at: iso(at), ...(by !== undefined ? { by } : {}), keys: status.holding.map((a) => a.key) };
    return true;
  }

  /**
   * The figures to show of a comune: its last good ones (consistent, or released by the newsroom). While
   * it is held, those from before the hold, never the held ones; undefined when it has been held since
   * its first snapshot (or was never observed). Not to be changed by the caller.
   */
  good(comune: string): RoundResult | undefined {
    return this.comuni.get(comune)?.good;
  }

  /** A comune's standing after its last snapshot; undefined if never observed. */
  status(comune: string): GateStatus | undefined {
    const entry = this.comuni.get(comune);
    return entry && standing(comune, entry);
  }

  /** The comuni with hold anomalies now (held or released), the longest-standing first: for /stato. */
  flagged(): GateStatus[] {
    return [...this.comuni.entries()]
      .map(([k, e]) => standing(k, e))
      .filter((s) => s.holding.length > 0)
      .sort((a, b) => time(a.since) - time(b.since) || a.comune.localeCompare(b.comune));
  }

  /** One comune's entry, as plain JSON (to store comuni one by one); undefined if never observed. */
  entry(comune: string): GateEntry | undefined {
    const e = this.comuni.get(comune);
    return e && written(comune, e);
  }

  /** The whole state as plain JSON: `new AnomalyGate(AnomalyGate.fromJSON(...))` resumes it. */
  toJSON(): GateState {
    return {
      version: 1,
      comuni: Object.fromEntries([...this.comuni.entries()].map(([k, v]) => [k, written(k, v)])),
    };
  }

  /**
   * A gate from a state read back (a parsed JSON value). Throws, saying what is wrong, when it is not
   * a state this version wrote: the caller then starts an empty gate (the next snapshots rebuild it).
   */
  static fromJSON(json: unknown): AnomalyGate {
    return new AnomalyGate(parseGateState(json));
  }
}

/** An entry as written out: a copy, with the good figures only while held (see GateEntry.good). */
function written(comune: string, e: GateEntry): GateEntry {
  const { good, ...rest } = e;
  const copy = structuredClone(rest) as GateEntry;
  if (good && standing(comune, e).held) copy.good = structuredClone(good);
  return copy;
}

function standing(comune: string, e: GateEntry): GateStatus {
  const holding = e.anomalies.filter((a) => a.severity === "hold");
  const released =
    holding.length > 0 && e.release !== undefined && holding.every((a) => e.release?.keys.includes(a.key));
  return {
    comune,
    held: holding.length > 0 && !released,
    released,
    ...(e.since ? { since: e.since } : {}),
    anomalies: e.anomalies,
    holding,
    ...(e.changedAt ? { changedAt: e.changedAt } : {}),
    ...(e.seenAt ? { seenAt: e.seenAt } : {}),
    ...(e.release ? { release: e.release } : {}),
  };
}

function pick<T extends object, K extends keyof T>(o: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

const time = (at: string | undefined) => (at ? Date.parse(at) : 0);

function iso(at: string | Date): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) throw new RangeError(`istante non valido: ${String(at)}`);
  return at instanceof Date ? d.toISOString() : at;
}

/** FNV-1a, 32 bits, hex: enough to tell that a comune's figures changed. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
