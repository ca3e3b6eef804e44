/**
 * Which comuni's figures differ between two versions of the data: what the live cards are told
 * when the data pack is reloaded (a results edit). The feed calls the same hook per comune.
 */
import type { DataPack } from "../data/pack.js";

/** Keys (ISTAT code, else name) of the comuni whose results changed, appeared or went. */
export function changedComuni(before: DataPack, after: DataPack): string[] {
  const key = (c: { istat?: string; name: string }) => c.istat ?? c.name;
  const old = new Map(before.comuni.map((c) => [key(c), JSON.stringify(c.results)]));
  const out: string[] = [];
  for (const c of after.comuni) {
    const k = key(c);
    if (old.get(k) !== JSON.stringify(c.results)) out.push(k);
    old.delete(k);
  }
  return [...out, ...old.keys()];
}
