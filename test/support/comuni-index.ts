/** The migration's lookup of comuni by name (or Ministry code) over the shipped comuni index, as the runtime gives it. */
import { readFileSync } from "node:fs";
import { asComuneCode, type ComuneIdentity } from "../../src/data/model.js";
import type { MigrationContext } from "../../src/store/sqlite/comune-codes.js";

const index = (JSON.parse(readFileSync("data/comuni.json", "utf8")) as { comuni: ComuneIdentity[] }).comuni;
const shared = new Set(index.filter((c, i) => index.findIndex((o) => o.name === c.name) !== i).map((c) => c.name));

/** Every comune of the name (homonyms in index order), or the one with this Ministry code. */
export function comuniNamed(nameOrCode: string): { code: ReturnType<typeof asComuneCode>; label: string }[] {
  return index
    .filter((c) => c.name === nameOrCode || c.eligendo === nameOrCode)
    .map((c) => ({ code: asComuneCode(c.istat), label: shared.has(c.name) ? `${c.name} (${c.province})` : c.name }));
}

export const comuniIndex: MigrationContext = { comuni: comuniNamed };
