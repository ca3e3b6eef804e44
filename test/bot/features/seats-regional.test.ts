/**
 * /seggi for a comune whose region has its own law the bot does not compute (Sicily): it says so, with what
 * the law's text establishes and what it does not, from the pack's `rules.councils` — never an allocation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../../support/harness.js";

describe("/seggi in Sicily, on the shipped pack", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("Palermo: a law of its own, not computed, and why", async () => {
    const [answer, ...rest] = await h.say("/seggi Palermo");
    expect(rest).toEqual([]);
    expect(answer!.plain).toContain("Palermo è in Sicilia, che ha una legge propria per i consigli comunali");
    expect(answer!.plain).toContain("il bot non calcola i seggi");
    expect(answer!.plain).toContain("soglia del 5% senza recupero di coalizione");
    expect(answer!.plain).toContain("non accertati sul testo vigente le condizioni del premio");
    expect(answer!.plain).not.toMatch(/\d+ seggi su \d+/);
  });
});
