/** The zip reader: archives written by Info-ZIP and by a streaming writer, stored and deflated, and damaged ones. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { crc32, looksLikeZip, readZip, ZipError } from "../../src/import/zip.js";
import { makeZip, repeatedByte } from "./support.js";

const FIXTURE = "test/import/fixtures/comunali-20170611-mini.zip";

describe("crc32", () => {
  it("gives the standard check value", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});

describe("readZip", () => {
  it("reads an archive made by Info-ZIP, folders left out", () => {
    const entries = readZip(readFileSync(FIXTURE));
    expect(entries.map((e) => e.name)).toEqual(["dati/preferenze-20170611.txt", "dati/comunali-20170611.txt"]);
    const text = entries[1]!.data.toString("latin1");
    expect(text.startsWith('"DATAELEZIONE";"TURNO"')).toBe(true);
    expect(text).toContain("FORLÌ");
  });

  it("reads stored and deflated entries, with or without a data descriptor, after an archive comment", () => {
    const big = "riga;".repeat(5000);
    const zip = makeZip(
      [
        { name: "a.txt", data: "stored", method: 0 },
        { name: "b.txt", data: big, method: 8 },
        { name: "c.txt", data: "streamed", method: 8, descriptor: true },
        { name: "vuoto.txt", data: "", method: 0 },
      ],
      "commento dell'archivio",
    );
    const entries = readZip(zip);
    expect(entries.map((e) => [e.name, e.data.toString()])).toEqual([
      ["a.txt", "stored"],
      ["b.txt", big],
      ["c.txt", "streamed"],
      ["vuoto.txt", ""],
    ]);
    expect(zip.length).toBeLessThan(big.length); // really deflated
  });

  it("refuses a wrong checksum, a truncated archive and what is not a zip", () => {
    expect(() => readZip(makeZip([{ name: "a.txt", data: "dati", badCrc: true }]))).toThrow(/CRC-32/);
    const good = makeZip([{ name: "a.txt", data: "dati ".repeat(100) }]);
    expect(() => readZip(good.subarray(0, good.length - 30))).toThrow(ZipError);
    expect(() => readZip(Buffer.from("non sono uno zip, solo testo qualunque"))).toThrow(/non è un archivio zip/);
    const damaged = Buffer.from(good);
    damaged[35] = damaged[35]! ^ 0xff; // inside the deflated data
    expect(() => readZip(damaged)).toThrow(ZipError);
  });

  it("refuses encrypted entries and unknown compression methods by name", () => {
    const zip = makeZip([{ name: "segreto.txt", data: "x", method: 0 }]);
    const encrypted = Buffer.from(zip);
    const central = encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    encrypted.writeUInt16LE(encrypted.readUInt16LE(central + 8) | 1, central + 8);
    expect(() => readZip(encrypted)).toThrow(/segreto\.txt: file cifrato/);
    const bzip = Buffer.from(zip);
    bzip.writeUInt16LE(12, central + 10);
    expect(() => readZip(bzip)).toThrow(/metodo di compressione 12/);
  });

  it("refuses an entry declaring more than the limit by name, without inflating it", () => {
    const limits = { entryBytes: 1000, totalBytes: 10_000 };
    // Its data is not even deflate: inflating it would fail otherwise.
    const zip = makeZip([
      { name: "dati/grande.txt", data: { deflated: Buffer.from("non è deflate"), size: 1001, crc: 0 } },
    ]);
    expect(() => readZip(zip, limits)).toThrow(
      "dati/grande.txt: troppo grande (1.001 byte decompressi, al massimo 1.000 per file)",
    );
    expect(readZip(makeZip([{ name: "a.txt", data: "x".repeat(1000) }]), limits)[0]!.data.length).toBe(1000);
  });

  it("inflates no more than an entry declares", () => {
    const bomb = repeatedByte(0x41, 64 << 20);
    const zip = makeZip([{ name: "piccolo.txt", data: { ...bomb, size: 100 } }]);
    expect(() => readZip(zip)).toThrow("piccolo.txt: si decomprime in più dei 100 byte dichiarati");
  });

  it("refuses an archive inflating past the limit in all, naming the entry that crosses it", () => {
    const limits = { entryBytes: 1000, totalBytes: 2000 };
    const files = ["a", "b", "c"].map((n) => ({ name: `${n}.txt`, data: n.repeat(800) }));
    expect(readZip(makeZip(files.slice(0, 2)), limits)).toHaveLength(2);
    expect(() => readZip(makeZip(files), limits)).toThrow(
      "c.txt: l'archivio si decomprime in più di 2.000 byte in tutto",
    );
  });

  it("refuses entries whose data overlap (a zip bomb's directory points many entries at one stream)", () => {
    const zip = makeZip([
      { name: "dati.txt", data: "riga;".repeat(100) },
      { name: "copia.txt", data: "riga;".repeat(100), sameDataAs: "dati.txt" },
      { name: "altro.txt", data: "altro" },
    ]);
    expect(() => readZip(zip)).toThrow(
      "copia.txt: i suoi dati compressi si sovrappongono a quelli di dati.txt (archivio malformato o costruito per esplodere, una «zip bomb»)",
    );
    // An entry whose local header lies inside another's data (stored here, so the header is there as written).
    const inner = makeZip([{ name: "b.txt", data: "ciao", method: 0 }]);
    const innerLocal = inner.subarray(0, 30 + "b.txt".length + 4);
    const nested = makeZip([
      { name: "a.txt", data: innerLocal, method: 0 },
      { name: "b.txt", data: "ciao", method: 0, at: 30 + "a.txt".length },
    ]);
    expect(() => readZip(nested)).toThrow("b.txt: i suoi dati compressi si sovrappongono a quelli di a.txt");
  });

  it("tells a zip by its first bytes", () => {
    expect(looksLikeZip(readFileSync(FIXTURE))).toBe(true);
    expect(looksLikeZip(makeZip([]))).toBe(true);
    expect(looksLikeZip(Buffer.from('"REGIONE";"COMUNE"'))).toBe(false);
    expect(looksLikeZip(Buffer.alloc(2))).toBe(false);
  });
});
