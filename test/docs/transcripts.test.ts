/**
 * Every conversation the docs show is run as `npm run chat` runs it: the typed lines (`> …`) go to a fresh
 * terminal session on the shipped data pack, and every line the docs show as the bot's answer must be printed,
 * in that order (`…` stands for lines left out).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import { startTerminal } from "../support/terminal.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FILES = ["README.md", ...readdirSync(path.join(ROOT, "docs")).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith(".md"),
);

interface Exchange {
  typed: string;
  shown: string[];
}

/** The conversations of a Markdown file: its ```text blocks that contain typed lines. */
function conversations(file: string): { line: number; exchanges: Exchange[] }[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const out: { line: number; exchanges: Exchange[] }[] = [];
  for (const m of text.matchAll(/^```text\n([\s\S]*?)^```/gm)) {
    const lines = m[1]!.split("\n");
    if (!lines.some((l) => l.startsWith("> "))) continue;
    const exchanges: Exchange[] = [];
    for (const l of lines) {
      if (l.startsWith("> ")) exchanges.push({ typed: l.slice(2), shown: [] });
      else if (exchanges.length && l.trim() && l.trim() !== "…") exchanges.at(-1)!.shown.push(l.trimEnd());
    }
    out.push({ line: text.slice(0, m.index).split("\n").length, exchanges });
  }
  return out;
}

const runtimes: Runtime[] = [];
afterEach(async () => {
  while (runtimes.length) await runtimes.pop()!.stop();
});

async function session() {
  const { session: s, runtime, printed } = await startTerminal();
  runtimes.push(runtime);
  return async (typed: string) => {
    await s.line(typed);
    const out = printed.flatMap((p) => p.split("\n")).map((l) => l.trimEnd());
    printed.length = 0;
    return out;
  };
}

/** What may differ from one run to the next: the clock (`19:09`) and how long a push took (`1,0 s`). */
const norm = (line: string) => line.replace(/\b\d{2}:\d{2}\b/g, "HH:MM").replace(/\b\d+,\d s\b/g, "N s");

/** A shown line matches a printed one; a shown line ending in `…` is the start of the printed one. */
function matches(shown: string, printed: string): boolean {
  const [a, b] = [norm(shown), norm(printed)];
  return a.endsWith("…") ? b.startsWith(a.slice(0, -1).trimEnd()) : a === b;
}

/** The shown lines that are not printed in order: [] when every one is. */
function missing(shown: string[], printed: string[]): string[] {
  let at = 0;
  const lost: string[] = [];
  for (const want of shown) {
    const i = printed.findIndex((p, j) => j >= at && matches(want, p));
    if (i < 0) lost.push(want);
    else at = i + 1;
  }
  return lost;
}

const cases = FILES.flatMap((file) => conversations(file).map((c) => ({ name: `${file}:${c.line}`, ...c })));

describe("the docs' conversations, as the chat answers them", () => {
  it("there are some", () => {
    expect(cases.length).toBeGreaterThanOrEqual(2);
  });

  it.each(cases)("$name", async ({ exchanges }) => {
    const say = await session();
    const wrong: string[] = [];
    for (const e of exchanges) {
      const printed = await say(e.typed);
      const lost = missing(e.shown, printed);
      if (lost.length)
        wrong.push(`> ${e.typed}\n  not printed: ${lost.join(" | ")}\n  printed: ${printed.join(" | ")}`);
    }
    expect(wrong.join("\n")).toBe("");
  });
});
