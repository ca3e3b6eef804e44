/**
 * JSON for people who edit the data pack by hand: indented like JSON.stringify(…, 2), except that an
 * object or array that fits on one line stays on one line (a candidate, a turnout reading).
 */

/** Formats `value` with two-space indentation, keeping on one line whatever fits in `width` columns. */
export function formatJson(value: unknown, width = 120): string {
  return `${format(value, "", width)}\n`;
}

function format(value: unknown, indent: string, width: number): string {
  const one = spaced(value);
  if (value === null || typeof value !== "object" || indent.length + one.length <= width) return one;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    return `[\n${value.map((v) => inner + format(v, inner, width)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (!entries.length) return "{}";
  return `{\n${entries
    .map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner, width - k.length - 4)}`)
    .join(",\n")}\n${indent}}`;
}

/** One-line JSON with a space after colons and commas, as a person would write it. */
function spaced(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(spaced).join(", ")}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (!entries.length) return "{}";
  return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${spaced(v)}`).join(", ")} }`;
}
