/** `npm run validate-data [dir]`: checks a data pack and prints every problem with its file and field. */
import { resultsInconsistencies } from "./data/consistency.js";
import { DataPackError, formatIssue, loadDataPack } from "./data/pack.js";
import { disagreements } from "./data/rules.js";
import { formatInteger } from "./format/italian.js";

const dir = process.argv[2] ?? process.env.DATA_DIR ?? "./data";

try {
  const pack = await loadDataPack(dir);
  const rules = pack.election.rules;
  // Figures that do not agree with themselves (consistency.ts): one line per failure; the pack is not valid.
  const failures = resultsInconsistencies(
    pack.comuni.map((c) => c.results),
    rules,
  );
  if (failures.length) {
    console.error(`${dir}: dati incoerenti (${failures.length} ${failures.length === 1 ? "problema" : "problemi"}):`);
    for (const f of failures) console.error(`  ${formatIssue(f)}`);
    process.exit(1);
  }
  const readings = pack.turnout.readings.length + (pack.turnout.runoff?.readings.length ?? 0);
  console.log(
    `${dir}: valido — ${pack.election.name}, ${formatInteger(pack.comuni.length)} comuni con risultati` +
      `${pack.indexSource ? ` su ${formatInteger(pack.known.length)} nell'elenco dei comuni` : ""}, ` +
      `${readings} rilevazioni di affluenza, ${pack.bulletins.length} bollettini.`,
  );
  for (const c of pack.comuni) {
    for (const d of disagreements(c.results, rules)) {
      // A contradiction is a failure above; here, what the rules cannot decide from the data.
      if (d.derived.kind !== "undecided") continue;
      const stated = c.results[d.round]!.outcome!;
      console.log(
        `avviso: ${c.name}: ${d.round}: l'esito dichiarato (${stated.kind}) non è quello che darebbero le regole (${d.derived.kind}, ${d.derived.reason}).`,
      );
    }
  }
} catch (err) {
  if (err instanceof DataPackError) {
    console.error(
      `${dir}: dati non validi (${err.issues.length} ${err.issues.length === 1 ? "problema" : "problemi"}):`,
    );
    for (const line of err.message.split("\n")) console.error(`  ${line}`);
  } else {
    console.error(`${dir}: ${(err as Error).message}`);
  }
  process.exit(1);
}
