import { performance } from "node:perf_hooks";
import type { BenchContext } from "../context.js";
import { TARGET_SENDS } from "../context.js";
import { type OverheadRow, runOverhead } from "../overhead.js";
import { num, table } from "../table.js";

export async function overheadSection(ctx: BenchContext): Promise<void> {
  const { sizes, results, summary, out, log } = ctx;
  const s0 = performance.now();
  log("engine overhead...");
  const rows: OverheadRow[] = await runOverhead(sizes.overhead, sizes, log);
  results.overhead = { rows, seconds: (performance.now() - s0) / 1000 };
  out(
    table(
      "2. Engine overhead (fake limits off, sendRate 1,000,000, privateGapMs 0, recordSent false)",
      ["variant", "chats", "time s", "sends/s", "bot CPU µs/msg", "fake CPU µs/msg", "peak RSS MB", "lost", "dup"],
      rows.map((r) => [
        r.variant,
        num(r.subscribers),
        num(r.elapsedS, 2),
        num(r.sendsPerSec),
        num(r.botCpuUsPerMsg),
        r.fakeCpuUsPerMsg !== undefined ? num(r.fakeCpuUsPerMsg) : "—",
        num(r.peakRssMB, 0),
        num(r.lost),
        num(r.duplicated),
      ]),
      [
        "Headline: first row — the bot's process measured alone (real HTTP to the fake over loopback; grammY client, engine, SQLite outbox).",
        "Reference row: grammY's Api alone sending the same messages, 512 at a time — what the HTTP client costs before any engine work.",
        "Next: the fake shares the process, so its CPU is in the figure. Last: the same engine and store with an in-process no-op send.",
        "Each variant runs in a fresh process after 2,000 warm-up calls to a throwaway fake.",
      ],
    ),
  );
  const head = rows[0]!;
  const client = rows.find((r) => r.variant.startsWith("reference"))!;
  const bare = rows[rows.length - 1]!;
  summary.push({
    target: "engine overhead ≥ 5,000 sends/s",
    measured: `${num(head.sendsPerSec)} sends/s, ${num(head.botCpuUsPerMsg)} µs CPU/msg`,
    met: head.sendsPerSec >= TARGET_SENDS ? "yes" : "no",
    reason:
      head.sendsPerSec >= TARGET_SENDS
        ? undefined
        : `CPU-bound at ${num(head.botCpuUsPerMsg)} µs/msg; grammY's HTTP client alone costs ${num(client.botCpuUsPerMsg)} µs/msg here (${num(client.sendsPerSec)}/s); the engine with a no-op send does ${num(bare.sendsPerSec)}/s`,
  });
  log(`engine overhead done in ${num((performance.now() - s0) / 1000, 0)} s`);
}
