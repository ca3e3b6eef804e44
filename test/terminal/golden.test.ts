/**
 * The chat as a user meets it, byte for byte: a script of every command (test/fixtures/chat/every-command.txt)
 * is typed into the terminal session on the shipped data pack, on a fixed clock (the day after the runoff),
 * and what it prints must be exactly test/fixtures/chat/every-command.out. A refactoring changes nothing
 * here; a change meant to be seen changes the transcript, and is reviewed as such:
 * `UPDATE_TRANSCRIPT=1 npx vitest run test/terminal/golden.test.ts` writes the new one.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import { startTerminal } from "../support/terminal.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCRIPT = path.join(ROOT, "test/fixtures/chat/every-command.txt");
const TRANSCRIPT = path.join(ROOT, "test/fixtures/chat/every-command.out");
/** Monday 26 June 2017, 10:00 in Rome: the runoffs are over, every card shows both rounds. */
const NOW = Date.parse("2017-06-26T10:00:00+02:00");

const runtimes: Runtime[] = [];
afterEach(async () => {
  while (runtimes.length) await runtimes.pop()!.stop();
});

it("every command, as the chat prints it, is the transcript kept beside the script", async () => {
  const { session, runtime, printed } = await startTerminal({ now: () => new Date(NOW) });
  runtimes.push(runtime);

  const lines = readFileSync(SCRIPT, "utf8").split("\n").filter(Boolean);
  expect(lines.length).toBeGreaterThanOrEqual(50);
  for (const line of lines) {
    printed.push(`> ${line}`);
    await session.line(line);
  }
  await session.drain();
  // The pictures are written to temporary files whose names carry the process id.
  const transcript = `${printed.join("\n")}\n`.replace(
    /: \S+\/elezioni-grafico-\d+-(\d+)\.png\]/g,
    ": grafico-$1.png]",
  );

  if (process.env.UPDATE_TRANSCRIPT || !existsSync(TRANSCRIPT)) writeFileSync(TRANSCRIPT, transcript);
  expect(transcript).toBe(readFileSync(TRANSCRIPT, "utf8"));
});
