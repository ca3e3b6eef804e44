/** The Ministry's captured answers and a small comuni index, for the feed's tests (see test/fixtures/eligendo/README.md). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ComuneIdentity } from "../../src/data/model.js";
import type { ElectionRules } from "../../src/feed/outcome.js";

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/eligendo");

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(DIR, name), "utf8"));
}

export const vicenza2018 = () => fixture("scrutiniG-comune-1t-vicenza-2018.json");
export const runoffSample = () => fixture("scrutiniG-comune-2t-format-sample.json");
export const turnoutBat2025 = () => fixture("votanti-provincia-bat-2025.json");

/** Rows of the Ministry's code table joined to ISTAT's list of comuni. */
export const comuniIndex = (): ComuneIdentity[] =>
  (fixture("comuni-index.json") as { comuni: ComuneIdentity[] }).comuni;

/** The rules of the shipped election pack (2017). */
export const RULES: ElectionRules = {
  runoffPopulationThreshold: 15000,
  majorityPercent: 50,
  regions: { Sicilia: { urls: [], firstRoundPercent: 40, firstRoundInclusive: true } },
};
