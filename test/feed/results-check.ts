/** Checks that a ComuneResults built from the feed holds valid model rounds. */
import { expect } from "vitest";
import { type ComuneResults, RoundResultSchema } from "../../src/data/model.js";

export function ComuneResultsSchemaCheck(c: ComuneResults): void {
  for (const round of [c.firstRound, c.runoff]) {
    if (!round) continue;
    const r = RoundResultSchema.safeParse(round);
    expect(r.success ? [] : r.error.issues).toEqual([]);
  }
}
