/**
 * The layers point down: a module imports only from its own layer or the layers below it (types included).
 * format → i18n → store, data → feed, delivery, import, charts, views → cards → bot → desk → runtime → entry points.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../src");

/** Each part of `src/` and its layer; the longest matching prefix wins. Parts of one layer may not import each other. */
const LAYERS: [prefix: string, layer: number][] = [
  ["validation.ts", 0],
  ["logger.ts", 0],
  ["format/", 1],
  // The model: the types and schemas every layer shares (results, rounds, the feed's snapshots).
  ["data/model.ts", 1],
  ["data/anomaly-types.ts", 1.5],
  ["i18n/", 2],
  ["understand/", 3],
  ["store/", 4],
  ["data/", 4],
  ["feed/", 5],
  ["delivery/", 5],
  // Several instances: leases and heartbeats over the store's coordination.
  ["cluster/", 5],
  ["import/", 5],
  ["charts/", 5],
  ["views/", 5],
  ["cards/", 6],
  // What the bot is given of the runtime (app.ts) belongs with the bot.
  ["app.ts", 7],
  ["bot/", 7.5],
  // The newsroom's desk on the web: the same operations as the bot's commands (bot/newsroom/), over the
  // App; the server mounts it.
  ["desk/", 7.8],
  ["config.ts", 8],
  ["runtime.ts", 8],
  ["terminal/", 9],
  ["start.ts", 9.5],
  ["server.ts", 9],
  ["main.ts", 10],
  ["chat.ts", 10],
  ["validate-data.ts", 10],
];

/** Upward imports allowed: none. A new one fails the test: put the shared type lower, or let the upper layer pass it in. */
const KNOWN: string[] = [];

function part(rel: string): { prefix: string; layer: number } {
  let best: { prefix: string; layer: number } | undefined;
  for (const [prefix, layer] of LAYERS)
    if ((rel === prefix || rel.startsWith(prefix)) && (!best || prefix.length > best.prefix.length))
      best = { prefix, layer };
  if (!best) throw new Error(`${rel} belongs to no layer: add it to LAYERS`);
  return best;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

function upwardImports(): string[] {
  const found: string[] = [];
  for (const file of files(SRC)) {
    const rel = path.relative(SRC, file);
    const from = part(rel);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), m[1]!)).replace(/\.js$/, ".ts");
      const to = part(target);
      if (to.prefix === from.prefix) continue;
      if (to.layer > from.layer || (to.layer === from.layer && from.layer > 0))
        found.push(`${rel} → ${target.endsWith(".ts") ? target : `${target}/index.ts`}`);
    }
  }
  return [...new Set(found)].sort();
}

describe("layers", () => {
  it("every import points down", () => {
    expect(upwardImports()).toEqual([...KNOWN].sort());
  });
});
