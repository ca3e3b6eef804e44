/** From bytes to text: UTF-8 or Latin-1 told apart, a zip opened and its text files taken. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeText, ReadError, readSource } from "../../src/import/read.js";
import { makeZip } from "./support.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "elezioni-read-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("decodeText", () => {
  it("reads UTF-8, dropping a byte-order mark", () => {
    expect(decodeText(Buffer.from('\uFEFF"FORLÌ";"SANT\'ANGELO"', "utf8"))).toEqual({
      text: '"FORLÌ";"SANT\'ANGELO"',
      encoding: "UTF-8",
    });
  });

  it("reads Latin-1 when the bytes are not UTF-8", () => {
    const bytes = Buffer.from('"FORLÌ";"CANTÙ";"SAN DONÀ DI PIAVE"', "latin1");
    expect(bytes.includes(0xcc)).toBe(true); // Ì as one Latin-1 byte
    expect(decodeText(bytes)).toEqual({ text: '"FORLÌ";"CANTÙ";"SAN DONÀ DI PIAVE"', encoding: "Latin-1" });
  });

  it("calls plain ASCII UTF-8", () => {
    expect(decodeText(Buffer.from('"ALTINO";2690,00')).encoding).toBe("UTF-8");
  });
});

describe("readSource", () => {
  it("reads a text file as one source", async () => {
    const file = path.join(dir, "comunali.txt");
    await writeFile(file, Buffer.from('"COMUNE"\r\n"FORLÌ"\r\n', "latin1"));
    const r = await readSource(file);
    expect(r.texts).toEqual([
      { label: "comunali.txt", fileName: "comunali.txt", text: '"COMUNE"\r\n"FORLÌ"\r\n', encoding: "Latin-1" },
    ]);
    expect(r.skipped).toEqual([]);
  });

  it("takes the text files of a zip, each with its own encoding, and says what it left aside", async () => {
    const file = path.join(dir, "comunali-20170611.zip");
    await writeFile(
      file,
      makeZip([
        { name: "primo turno.txt", data: Buffer.from("FORLÌ", "latin1") },
        { name: "Ballottaggi.CSV", data: "FORLÌ" },
        { name: "leggimi.pdf", data: "%PDF" },
        { name: "preferenze.txt", data: "x" },
        { name: "__MACOSX/._primo turno.txt", data: "x" },
      ]),
    );
    const r = await readSource(file);
    expect(r.texts.map((t) => [t.label, t.fileName, t.text, t.encoding])).toEqual([
      ["comunali-20170611.zip › primo turno.txt", "primo turno.txt", "FORLÌ", "Latin-1"],
      ["comunali-20170611.zip › Ballottaggi.CSV", "Ballottaggi.CSV", "FORLÌ", "UTF-8"],
    ]);
    expect(r.skipped.map((s) => s.label)).toEqual([
      "comunali-20170611.zip › leggimi.pdf",
      "comunali-20170611.zip › preferenze.txt",
      "comunali-20170611.zip › __MACOSX/._primo turno.txt",
    ]);
  });

  it("tells a zip by its content, whatever its name", async () => {
    const file = path.join(dir, "scaricato.bin");
    await writeFile(file, makeZip([{ name: "dati.txt", data: "x" }]));
    expect((await readSource(file)).texts[0]!.label).toBe("scaricato.bin › dati.txt");
  });

  it("refuses a text file over the limit of one file, as it refuses such a zip entry", async () => {
    const limits = { entryBytes: 100, totalBytes: 1000 };
    const file = path.join(dir, "enorme.txt");
    await writeFile(file, "x".repeat(101));
    await expect(readSource(file, limits)).rejects.toThrow(
      "enorme.txt: troppo grande (101 byte, al massimo 100 per file)",
    );
    const zip = path.join(dir, "enorme.zip");
    await writeFile(zip, makeZip([{ name: "dati.txt", data: "x".repeat(101) }]));
    await expect(readSource(zip, limits)).rejects.toThrow(
      "enorme.zip: dati.txt: troppo grande (101 byte decompressi, al massimo 100 per file)",
    );
    await writeFile(file, "x".repeat(100));
    expect((await readSource(file, limits)).texts[0]!.text).toHaveLength(100);
  });

  it("fails clearly on a missing file, a folder, a damaged zip and a zip without text files", async () => {
    await expect(readSource(path.join(dir, "manca.zip"))).rejects.toThrow(/manca\.zip: file inesistente/);
    await expect(readSource(dir)).rejects.toThrow(/è una cartella/);
    const damaged = path.join(dir, "rotto.zip");
    await writeFile(damaged, makeZip([{ name: "a.txt", data: "dati", badCrc: true }]));
    await expect(readSource(damaged)).rejects.toThrow(ReadError);
    const pdfOnly = path.join(dir, "solo-pdf.zip");
    await writeFile(pdfOnly, makeZip([{ name: "nota.pdf", data: "%PDF" }]));
    await expect(readSource(pdfOnly)).rejects.toThrow(/nessun file di testo .* contiene solo: nota\.pdf/);
  });
});
