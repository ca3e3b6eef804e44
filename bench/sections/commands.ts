import { performance } from "node:perf_hooks";
import { COMMAND_CASES, type CommandDiagnostics, type CommandRow } from "../commands.js";
import type { BenchContext } from "../context.js";
import { TARGET_P99_MS, TARGET_UPDATES } from "../context.js";
import { num, table } from "../table.js";
import { runTask } from "../util.js";

export async function commandsSection(ctx: BenchContext): Promise<void> {
  const { sizes, results, summary, out, log } = ctx;
  const s0 = performance.now();
  log("commands...");
  const { rows, diagnostics: diag } = await runTask<{ rows: CommandRow[]; diagnostics: CommandDiagnostics }>(
    "commands",
    sizes.commands,
  );
  results.commands = { rows, diagnostics: diag, cases: COMMAND_CASES, seconds: (performance.now() - s0) / 1000 };
  out(
    table(
      "3. Commands through the bot (handleUpdate, sequential; API answered in-process by a transformer)",
      ["command", "updates", "updates/s", "p50 ms", "p99 ms", "max ms", "API calls/update", "answer (first line)"],
      rows.map((r) => [
        r.command,
        num(r.updates),
        num(r.updatesPerSec),
        num(r.p50Ms, 3),
        num(r.p99Ms, 3),
        num(r.maxMs, 2),
        num(r.apiCallsPerUpdate, 1),
        r.sample,
      ]),
      [
        `Date formatting per call: formatStamp ${num(diag.formatStampUs, 1)} µs, dayName ${num(diag.dayNameUs, 1)} µs ` +
          `(a bare reused Intl.DateTimeFormat: ${num(diag.reusedFormatterUs, 1)} µs; building a new one costs hundreds). /ultime formats five bulletins.`,
      ],
    ),
  );
  const slowest = rows.reduce((a, b) => (b.updatesPerSec < a.updatesPerSec ? b : a));
  const worstP99 = rows.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a));
  summary.push({
    target: "≥ 5,000 updates/s (every command)",
    measured: `slowest: ${slowest.command} ${num(slowest.updatesPerSec)}/s`,
    met: slowest.updatesPerSec >= TARGET_UPDATES ? "yes" : "no",
    reason:
      slowest.updatesPerSec >= TARGET_UPDATES
        ? undefined
        : `${slowest.command} at ${num(slowest.updatesPerSec)}/s; a new Intl.DateTimeFormat per formatted date (${num(diag.formatStampUs)} µs per formatStamp, ${num(diag.dayNameUs)} µs per dayName)`,
  });
  summary.push({
    target: "p99 < 5 ms (every command)",
    measured: `worst: ${worstP99.command} ${num(worstP99.p99Ms, 3)} ms`,
    met: worstP99.p99Ms < TARGET_P99_MS ? "yes" : "no",
    reason:
      worstP99.p99Ms < TARGET_P99_MS
        ? undefined
        : `${worstP99.command} p99 ${num(worstP99.p99Ms, 2)} ms (date formatting, see above)`,
  });
  log(`commands done in ${num((performance.now() - s0) / 1000, 0)} s`);
}
