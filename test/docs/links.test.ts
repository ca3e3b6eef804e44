/**
 * The docs point at things that exist: every relative link reaches a file, every anchor a heading of that file,
 * and every repository path written in backticks (`src/feed/live.ts`) is there.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOCS = ["README.md", ...readdirSync(path.join(ROOT, "docs")).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith(".md"),
);

/** Folders the project writes and git ignores (benchmark results): named in the docs, absent from a fresh clone. */
const GENERATED = ["bench/results"];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The text outside fenced code blocks. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "");
}

function anchors(file: string): Set<string> {
  const text = prose(readFileSync(path.join(ROOT, file), "utf8"));
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

describe("docs", () => {
  it("the README is short, and the docs folder holds the rest", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme.split("\n").length).toBeLessThanOrEqual(200);
    for (const f of ["commands", "election-night", "newsroom", "data", "deploy", "performance", "architecture"])
      expect(DOCS).toContain(`docs/${f}.md`);
  });

  it.each(DOCS)("%s: every relative link reaches a file, and its anchor a heading", (file) => {
    const text = prose(readFileSync(path.join(ROOT, file), "utf8"));
    const broken: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue;
      const [ref, anchor] = target.split("#") as [string, string | undefined];
      const to = ref ? path.join(path.dirname(file), ref) : file;
      if (!existsSync(path.join(ROOT, to))) {
        broken.push(`${target} (no ${to})`);
        continue;
      }
      if (anchor && to.endsWith(".md") && !anchors(to).has(anchor)) broken.push(`${target} (no heading #${anchor})`);
    }
    expect(broken).toEqual([]);
  });

  it.each(DOCS)("%s: every path of the repository it names is there", (file) => {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    const missing: string[] = [];
    for (const m of text.matchAll(/`((?:src|test|bench|tools|data|docs)\/[\w./-]*)`/g)) {
      const p = m[1]!.replace(/\/$/, "");
      if (GENERATED.some((g) => p.startsWith(g))) continue;
      if (!existsSync(path.join(ROOT, p))) missing.push(m[1]!);
    }
    expect(missing).toEqual([]);
  });
});
