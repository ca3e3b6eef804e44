/** The data source: reloading on change, keeping the last good pack, and when a change counts as taken in. */
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataSource } from "../../src/data/source.js";

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await rm(dirs.pop()!, { recursive: true, force: true });
});

async function packCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-source-"));
  dirs.push(dir);
  for (const f of ["election.json", "turnout.json", "results.json", "bulletins.json"])
    await copyFile(path.join("data", f), path.join(dir, f));
  return dir;
}

async function appendBulletin(dir: string, id: string): Promise<void> {
  const file = path.join(dir, "bulletins.json");
  const b = JSON.parse(await readFile(file, "utf8"));
  b.bulletins.push({ id, publishedAt: "2017-06-30T12:00:00+02:00", text: `Testo ${id}`, comuni: [] });
  await writeFile(file, JSON.stringify(b));
}

describe("DataSource.reload", () => {
  it("reloads only when a file changed", async () => {
    const dir = await packCopy();
    const source = await DataSource.open(dir);
    expect((await source.reload()).status).toBe("unchanged");
    await appendBulletin(dir, "nuovo");
    const r = await source.reload();
    expect(r.status).toBe("reloaded");
    expect(source.current().bulletins.at(-1)!.id).toBe("nuovo");
    expect((await source.reload()).status).toBe("unchanged");
  });

  it("a change is taken in only once applying it succeeded: after a failure the next reload tries again", async () => {
    const dir = await packCopy();
    const source = await DataSource.open(dir);
    await appendBulletin(dir, "nuovo");
    await expect(
      source.reload({
        apply: async () => {
          throw new Error("database is locked");
        },
      }),
    ).rejects.toThrow("database is locked");
    const applied: string[] = [];
    const r = await source.reload({
      apply: async (pack) => {
        applied.push(pack.bulletins.at(-1)!.id);
      },
    });
    expect(r.status).toBe("reloaded");
    expect(applied).toEqual(["nuovo"]);
    const again = await source.reload({
      apply: async () => {
        applied.push("again");
      },
    });
    expect(again.status).toBe("unchanged");
    expect(applied).toEqual(["nuovo"]);
  });

  it("a file that no longer validates keeps the last good pack and is reported once", async () => {
    const dir = await packCopy();
    const source = await DataSource.open(dir);
    await writeFile(path.join(dir, "results.json"), "{ broken");
    expect((await source.reload()).status).toBe("invalid");
    expect((await source.reload()).status).toBe("unchanged");
    expect(source.current().comuni.length).toBeGreaterThan(0);
  });
});
