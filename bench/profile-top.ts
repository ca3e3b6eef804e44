/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or what BENCH_CPU_PROF makes the benchmarks write):
 * the functions with the most self time, with their file and share of the samples.
 * Usage: npx tsx bench/profile-top.ts FILE.cpuprofile [N]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self samples per function (name, file and line), most first. */
export function topSelf(profile: { nodes: ProfileNode[]; samples?: number[] }, n: number) {
  // Samples name the node each tick was in; hitCount is only filled in by some writers.
  const sampled = new Map<number, number>();
  for (const id of profile.samples ?? []) sampled.set(id, (sampled.get(id) ?? 0) + 1);
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = profile.samples ? (sampled.get(node.id) ?? 0) : (node.hitCount ?? 0);
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? `${shorten(url)}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"}\t${file}`;
    byFn.set(key, (byFn.get(key) ?? 0) + hits);
  }
  return [...byFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, hits]) => {
      const [fn, file] = key.split("\t") as [string, string];
      return { fn, file, share: total ? hits / total : 0 };
    });
}

/** The same self time summed by where it is spent: a package, a folder of src/, node's own modules, native code. */
export function byArea(rows: { fn: string; file: string; share: number }[]) {
  const areas = new Map<string, number>();
  for (const r of rows) {
    const f = r.file;
    const area = !f
      ? r.fn.startsWith("(")
        ? r.fn
        : "(native: socket writes, SQLite statements…)"
      : f.startsWith("node:")
        ? f.replace(/:\d+$/, "").replace(/^node:internal\/.*/, "node:internal")
        : f.startsWith("src/") || f.startsWith("bench/") || f.startsWith("test/")
          ? f.split("/").slice(0, -1).join("/")
          : f.startsWith("@")
            ? f.split("/").slice(0, 2).join("/")
            : f.split("/")[0]!;
    areas.set(area, (areas.get(area) ?? 0) + r.share);
  }
  return [...areas.entries()].sort((a, b) => b[1] - a[1]);
}

/** node_modules/pkg/… or the path inside the project; node's own modules as they are. */
function shorten(url: string): string {
  const u = url.replace(/^file:\/\//, "");
  const nm = u.lastIndexOf("node_modules/");
  if (nm >= 0) return u.slice(nm + "node_modules/".length);
  if (u.startsWith("node:")) return u;
  return path.relative(process.cwd(), u);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: profile-top.ts FILE.cpuprofile [N]");
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const rows = topSelf(profile, Number(process.argv[3] ?? 15));
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  for (const r of rows) process.stdout.write(`${pct(r.share)}  ${r.fn}  ${r.file || "(native)"}\n`);
  process.stdout.write("\nby area:\n");
  for (const [area, share] of byArea(topSelf(profile, Infinity)).slice(0, 12))
    process.stdout.write(`${pct(share)}  ${area}\n`);
}
