/**
 * The council's seats from a historical file: `npm run import` on the Ministry's Vicenza 2018 figures in the
 * archive's layout, then `/seggi Vicenza` in the terminal chat on the pack it wrote. The answer is the one
 * docs/seats.md shows, line by line: the law's allocation, the same as the file's own seats.
 */
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { runImport } from "../../src/import/cli.js";
import { createRuntime, type Runtime } from "../../src/runtime.js";
import { FIRST_USER, TERMINAL_BOT, TerminalSession } from "../../src/terminal/session.js";

const FIXTURE = "test/import/fixtures/comunali-20180610-vicenza.txt";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** The answer docs/seats.md shows after `> /seggi Vicenza` in its console block. */
async function documented(): Promise<string[]> {
  const doc = await readFile("docs/seats.md", "utf8");
  const block = /^```console\n([\s\S]*?)^```/m.exec(doc)![1]!.split("\n");
  return block.slice(block.indexOf("> /seggi Vicenza") + 1).filter((l) => l.trim());
}

describe("seats from an imported historical file", () => {
  it("are computed as the law does and agree with the file's own", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "elezioni-seats-import-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const out: string[] = [];
    const code = await runImport([FIXTURE, "--out", dir], { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code, out.join("\n")).toBe(0);
    await copyFile("data/comuni.json", path.join(dir, "comuni.json"));

    let printed: string[] = [];
    const s = new TerminalSession({ out: (l) => printed.push(l), color: false, newsroom: new Set() });
    const runtime: Runtime = await createRuntime({
      token: "0:terminal",
      dataDir: dir,
      databasePath: ":memory:",
      adminIds: new Set([FIRST_USER]),
      sendRate: 1000,
      paidBroadcast: false,
      logger: pino({ level: "silent" }),
      botInfo: TERMINAL_BOT,
      rateLimit: false,
      transformers: [s.api(TERMINAL_BOT.id)],
    });
    cleanup.push(() => runtime.stop());
    s.connect(runtime);
    await runtime.bot.init();
    runtime.start();
    printed = [];
    await s.line("/seggi Vicenza");
    const answer = printed.flatMap((p) => p.split("\n")).map((l) => l.trimEnd());

    const shown = await documented();
    expect(shown.length).toBeGreaterThan(5);
    let at = 0;
    for (const line of shown) {
      const found = answer.indexOf(line, at);
      expect(found, `"${line}" in:\n${answer.join("\n")}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    expect(answer.join("\n")).not.toContain("seggi diversi");
  });
});
