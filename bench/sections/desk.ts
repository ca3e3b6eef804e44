import { performance } from "node:perf_hooks";
import type { BenchContext } from "../context.js";
import { type DeskBenchResult, runDeskBench } from "../desk.js";
import { num, table } from "../table.js";

export async function deskSection(ctx: BenchContext): Promise<void> {
  const { sizes, results, summary, out, log } = ctx;
  const s0 = performance.now();
  log("desk...");
  const d: DeskBenchResult = await runDeskBench(sizes.desk, log);
  results.desk = { ...d, seconds: (performance.now() - s0) / 1000 };
  out(
    table(
      `10. The desk's update stream (${num(d.comuni)} comuni counting, ${num(d.rowsChangedPerS, 0)} rows changing a second; 1 editor, then ${num(d.editors)})`,
      ["figure", "value"],
      [
        [
          "a new editor's whole table (first events)",
          `${num(d.snapshotBytes / 1024, 0)} KiB in ${num(d.snapshotMs, 0)} ms`,
        ],
        [
          "shared work per tick (once a second, for every editor)",
          `p50 ${num(d.tickCpuMs.p50, 1)} ms, max ${num(d.tickCpuMs.max, 1)} ms CPU`,
        ],
        ["sent to each editor", `${num(d.bytesPerEditorPerS / 1024, 1)} KiB/s`],
        ["process CPU with 1 editor", `${num(d.cpuMsPerS.one, 0)} ms/s`],
        [`process CPU with ${num(d.editors)} editors`, `${num(d.cpuMsPerS.many, 0)} ms/s`],
        ["cost per added editor", `${num(d.cpuMsPerS.perEditor, 2)} ms of CPU a second`],
      ],
      [
        "The process CPU includes the bot polling the fake feed and the editors' connections reading the stream (all in this process).",
      ],
    ),
  );
  summary.push({
    target: "desk: an editor more costs little",
    measured: `${num(d.cpuMsPerS.perEditor, 2)} ms CPU/s and ${num(d.bytesPerEditorPerS / 1024, 1)} KiB/s per editor; tick p50 ${num(d.tickCpuMs.p50, 1)} ms for ${num(d.comuni)} comuni`,
    met: d.tickCpuMs.p50 < 200 ? "yes" : "no",
  });
  log(`desk done in ${num((performance.now() - s0) / 1000, 0)} s`);
}
