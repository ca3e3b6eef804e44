/** Plain-text tables and number formatting for the benchmark report. */

export type Cell = string | number;

const width = (s: string) => [...s].length;

/** Renders a table; numeric-looking columns are right-aligned. */
export function table(title: string, headers: string[], rows: Cell[][], notes: string[] = []): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i] ?? ""))));
  const numeric = headers.map(
    (_, i) =>
      cells.length > 0 && cells.every((r) => /^[-+]?[\d.,]+\s*(%|×|x|ms|µs|s|MB)?$|^[-—]$/.test((r[i] ?? "").trim())),
  );
  const pad = (s: string, i: number) => {
    const gap = " ".repeat(Math.max(0, widths[i]! - width(s)));
    return numeric[i] ? gap + s : s + gap;
  };
  const line = (r: string[]) => `| ${r.map(pad).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  const out = [`### ${title}`, "", line(headers), rule, ...cells.map(line)];
  if (notes.length) out.push("", ...notes.map((n) => `  ${n}`));
  return `${out.join("\n")}\n`;
}

/** 12345.6 -> "12,346"; digits after the point as asked. */
export function num(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return "—";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function pct(ratio: number, digits = 1): string {
  if (!Number.isFinite(ratio)) return "—";
  return `${(ratio * 100).toFixed(digits)}%`;
}

export function times(ratio: number): string {
  if (!Number.isFinite(ratio)) return "—";
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}
