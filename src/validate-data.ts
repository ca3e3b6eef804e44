/** `npm run validate-data [dir]`: checks a data pack and prints every problem with its file and field. */
import { DataPackError, loadDataPack } from "./data/pack.js";
import { deriveOutcome, outcomeOf } from "./data/rules.js";

const dir = process.argv[2] ?? process.env.DATA_DIR ?? "./data";

try {
  const pack = await loadDataPack(dir);
  const rules = pack.election.rules;
  const disagreements = pack.comuni.filter((c) => c.outcome && outcomeOf(c, rules).reason === "stated");
  console.log(
    `${dir}: valido — ${pack.election.name}, ${pack.comuni.length} comuni con risultati, ${pack.turnout.readings.length} rilevazioni di affluenza, ${pack.bulletins.length} bollettini.`,
  );
  for (const c of disagreements) {
    const d = deriveOutcome(c, rules);
    console.log(
      `avviso: ${c.name}: l'esito dichiarato (${c.outcome!.kind}) non è quello che darebbero le regole (${d.kind}, ${d.reason}).`,
    );
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
