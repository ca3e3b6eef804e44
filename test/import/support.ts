/**
 * Test support for the importer: a small zip writer (stored or deflated entries, optionally with a data
 * descriptor as streaming writers produce, and the hostile shapes a zip bomb takes) and a few real
 * entries of ISTAT's list of comuni (July 2017).
 */
import { deflateRawSync, crc32 as zlibCrc32 } from "node:zlib";
import type { ComuneEntry } from "../../src/import/identity.js";
import { crc32 } from "../../src/import/zip.js";

/** An entry's data already deflated, with what its central directory entry declares. */
export interface Deflated {
  deflated: Buffer;
  /** The size declared (by default what the data inflates to). */
  size: number;
  crc: number;
}

export interface ZipFile {
  name: string;
  data: Buffer | string | Deflated;
  /**
   * No data of its own: the central directory points this entry at the local header and data of the
   * earlier entry with this name, as a zip bomb's does (one compressed stream, inflated once per entry).
   */
  sameDataAs?: string;
  /** No data of its own: the central directory points this entry at this offset of the archive. */
  at?: number;
  /** 0 stored, 8 deflated (default). */
  method?: 0 | 8;
  /** Sizes and CRC after the data, zeros in the local header (bit 3), as a streaming writer does. */
  descriptor?: boolean;
  /** Store a wrong CRC-32, as a damaged archive would carry. */
  badCrc?: boolean;
}

/** Builds a zip archive in memory. */
export function makeZip(files: ZipFile[], comment = ""): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets = new Map<string, number>();
  let offset = 0;
  for (const f of files) {
    const given = typeof f.data === "string" ? Buffer.from(f.data, "utf8") : f.data;
    const data = Buffer.isBuffer(given) ? given : undefined;
    const method = data ? (f.method ?? 8) : 8;
    const body = data ? (method === 8 ? deflateRawSync(data) : data) : (given as Deflated).deflated;
    const size = data ? data.length : (given as Deflated).size;
    const crc = ((data ? crc32(data) : (given as Deflated).crc) ^ (f.badCrc ? 1 : 0)) >>> 0;
    const name = Buffer.from(f.name, "utf8");
    const flags = 0x800 | (f.descriptor ? 0x8 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(f.descriptor ? 0 : crc, 14);
    local.writeUInt32LE(f.descriptor ? 0 : body.length, 18);
    local.writeUInt32LE(f.descriptor ? 0 : size, 22);
    local.writeUInt16LE(name.length, 26);
    const parts = [local, name, body];
    if (f.descriptor) {
      const dd = Buffer.alloc(16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(crc, 4);
      dd.writeUInt32LE(body.length, 8);
      dd.writeUInt32LE(size, 12);
      parts.push(dd);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    const pointed = f.at ?? (f.sameDataAs === undefined ? undefined : offsets.get(f.sameDataAs)!);
    central.writeUInt32LE(pointed ?? offset, 42);
    centrals.push(central, name);
    if (pointed !== undefined) continue;
    offsets.set(f.name, offset);
    const local_ = Buffer.concat(parts);
    locals.push(local_);
    offset += local_.length;
  }
  const dir = Buffer.concat(centrals);
  const commentBytes = Buffer.from(comment, "utf8");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([...locals, dir, end, commentBytes]);
}

/**
 * `length` times the same byte, deflated without holding them: one literal, then copies of 258 bytes at
 * distance 1 in fixed Huffman codes (13 bits each), so 1 GiB takes some 6.5 MB. Its CRC-32 is computed
 * a megabyte at a time.
 */
export function repeatedByte(byte: number, length: number): Deflated {
  const copies = Math.floor(Math.max(length - 1, 0) / 258);
  const literals = length === 0 ? 0 : length - copies * 258;
  const out = Buffer.alloc(Math.ceil((3 + 9 * literals + 13 * copies + 7) / 8));
  let bit = 0;
  // Deflate packs bits from the least significant; Huffman codes go most significant bit first.
  const code = (value: number, bits: number) => {
    for (let i = bits - 1; i >= 0; i--, bit++) if ((value >> i) & 1) out[bit >> 3]! |= 1 << (bit & 7);
  };
  const literal = (b: number) => (b < 144 ? code(0x30 + b, 8) : code(0x190 + b - 144, 9));
  code(0b110, 3); // BFINAL 1, then BTYPE 01 (fixed codes) least significant bit first
  if (length > 0) literal(byte);
  for (let i = 0; i < copies; i++) code(0b11000101_00000, 13); // length 258 (code 285), distance 1 (code 0)
  for (let i = 1; i < literals; i++) literal(byte);
  code(0, 7); // end of block
  const chunk = Buffer.alloc(Math.min(length, 1 << 20), byte);
  let crc = 0;
  for (let left = length; left > 0; left -= chunk.length)
    crc = zlibCrc32(chunk.subarray(0, Math.min(left, chunk.length)), crc);
  return { deflated: out.subarray(0, Math.ceil(bit / 8)), size: length, crc };
}

/** Real entries of ISTAT's list of comuni of July 2017, homonyms (Castro, Calliano) included. */
export const ISTAT_SAMPLE: ComuneEntry[] = [
  { istat: "069001", name: "Altino", province: "CH", provinceName: "Chieti", region: "Abruzzo" },
  { istat: "069002", name: "Archi", province: "CH", provinceName: "Chieti", region: "Abruzzo" },
  {
    istat: "021008",
    name: "Bolzano",
    province: "BZ",
    provinceName: "Bolzano/Bozen",
    region: "Trentino-Alto Adige/Südtirol",
  },
  { istat: "019008", name: "Ca' d'Andrea", province: "CR", provinceName: "Cremona", region: "Lombardia" },
  { istat: "005014", name: "Calliano", province: "AT", provinceName: "Asti", region: "Piemonte" },
  { istat: "022035", name: "Calliano", province: "TN", provinceName: "Trento", region: "Trentino-Alto Adige/Südtirol" },
  { istat: "013041", name: "Cantù", province: "CO", provinceName: "Como", region: "Lombardia" },
  { istat: "016065", name: "Castro", province: "BG", provinceName: "Bergamo", region: "Lombardia" },
  { istat: "075096", name: "Castro", province: "LE", provinceName: "Lecce", region: "Puglia" },
  { istat: "040012", name: "Forlì", province: "FC", provinceName: "Forlì-Cesena", region: "Emilia-Romagna" },
  { istat: "010025", name: "Genova", province: "GE", provinceName: "Genova", region: "Liguria" },
  { istat: "066049", name: "L'Aquila", province: "AQ", provinceName: "L'Aquila", region: "Abruzzo" },
  { istat: "034027", name: "Parma", province: "PR", provinceName: "Parma", region: "Emilia-Romagna" },
  { istat: "098050", name: "Sant'Angelo Lodigiano", province: "LO", provinceName: "Lodi", region: "Lombardia" },
];
