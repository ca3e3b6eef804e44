/** The zip reader: archives written by Info-ZIP and by a streaming writer, stored and deflated, and damaged ones. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { crc32, looksLikeZip, readZip, ZipError } from "../../src/import/zip.js";
import { makeZip } from "./support.js";

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

  it("tells a zip by its first bytes", () => {
    expect(looksLikeZip(readFileSync(FIXTURE))).toBe(true);
    expect(looksLikeZip(makeZip([]))).toBe(true);
    expect(looksLikeZip(Buffer.from('"REGIONE";"COMUNE"'))).toBe(false);
    expect(looksLikeZip(Buffer.alloc(2))).toBe(false);
  });
});
