/**
 * `npm run import` on hostile archives: a zip of a few megabytes that would inflate to a gigabyte, in one
 * entry or by pointing many entries at one compressed stream. The command refuses it in one line naming
 * the file and the entry, exits 1 and writes nothing. Run as a separate process, as the operator runs it:
 * an importer that inflated such an entry could take the whole process down (Node aborts natively when a
 * text is longer than V8's longest string), and the test runner with it.
 */
import { spawn } from "node:child_process";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ISTAT_SAMPLE, makeZip, repeatedByte, type ZipFile } from "./support.js";

const MiB = 1 << 20;

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await rm(dirs.pop()!, { recursive: true, force: true });
});

/** Runs `npm run import` (the same command, without npm) on the archive; what it printed and its exit. */
async function importZip(files: ZipFile[]) {
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-bomb-"));
  dirs.push(dir);
  const zip = path.join(dir, "comunali-20170611.zip");
  await writeFile(zip, makeZip(files));
  const index = path.join(dir, "comuni.json");
  await writeFile(index, JSON.stringify(ISTAT_SAMPLE));
  const out = path.join(dir, "pack");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/import/cli.ts", zip, "--out", out, "--comuni", index],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 100_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on("exit", (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  const written = await access(out).then(
    () => true,
    () => false,
  );
  return { code, signal, stdout, stderr, written };
}

describe("npm run import refuses a zip bomb in one line", () => {
  it("an entry of 1 GiB in a 6.5 MB zip (more than V8's longest string, once decoded): refused by its declared size", async () => {
    const r = await importZip([{ name: "comunali-20170611.txt", data: repeatedByte(0xe0, 1024 * MiB) }]);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 1, signal: null });
    expect(r.stderr).toBe(
      "importazione fallita: comunali-20170611.zip: comunali-20170611.txt: troppo grande " +
        "(1.073.741.824 byte decompressi, al massimo 134.217.728 per file)\n",
    );
    expect(r.stdout).toBe("");
    expect(r.written).toBe(false);
  }, 120_000);

  it("ten entries pointing at the same 100 MiB of compressed data (1.000 MiB inflated): refused as overlapping", async () => {
    const bomb = repeatedByte(0xe0, 100 * MiB);
    const r = await importZip([
      { name: "comunali-20170611.txt", data: bomb },
      ...Array.from({ length: 9 }, (_, i) => ({
        name: `copia-${i + 1}.txt`,
        data: bomb,
        sameDataAs: "comunali-20170611.txt",
      })),
    ]);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 1, signal: null });
    expect(r.stderr).toBe(
      "importazione fallita: comunali-20170611.zip: copia-1.txt: i suoi dati compressi si sovrappongono a " +
        "quelli di comunali-20170611.txt (archivio malformato o costruito per esplodere, una «zip bomb»)\n",
    );
    expect(r.stdout).toBe("");
    expect(r.written).toBe(false);
  }, 120_000);

  it("three separate entries of 100 MiB: refused by the limit on the whole archive", async () => {
    const r = await importZip(["a", "b", "c"].map((n) => ({ name: `${n}.txt`, data: repeatedByte(0xe0, 100 * MiB) })));
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 1, signal: null });
    expect(r.stderr).toBe(
      "importazione fallita: comunali-20170611.zip: c.txt: l'archivio si decomprime in più di " +
        "268.435.456 byte in tutto\n",
    );
    expect(r.written).toBe(false);
  }, 120_000);
});
