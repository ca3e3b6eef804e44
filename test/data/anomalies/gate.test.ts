/**
 * The anomaly gate (src/data/anomalies/gate.ts, state.ts) on Vicenza's real answer of 10 June 2018: its
 * transitions, the newsroom's release, and a restart through JSON (fixtures: test/support/anomaly-fixtures.ts).
 */
import { describe, expect, it } from "vitest";
import { AnomalyGate } from "../../../src/data/anomalies/index.js";
import type { RoundResult } from "../../../src/data/model.js";
import { closingReading, counting, edit, K, RUCCO, setVotes, T, vicenza } from "../../support/anomaly-fixtures.js";

// ————————————————————————————————————————————————————————————— the gate

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
