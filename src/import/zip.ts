/**
 * Reading a .zip archive in memory, with node:zlib only: the Ministry publishes each election as one zip of
 * a few text files, and a native or third-party unzipper would be a dependency for some eighty lines.
 *
 * The central directory (at the end of the archive) is authoritative: it carries the sizes and checksums even
 * when the local headers defer them to a data descriptor (archives written as a stream). Stored and deflated
 * entries are supported; encrypted entries and ZIP64 archives (over 4 GB or 65,535 entries, far beyond an
 * election's files) are refused with a clear message rather than misread.
 *
 * Nothing is inflated past what the archive declares, and an archive declaring more than the limits, or
 * whose entries share compressed data (a "zip bomb": a few megabytes pointing many entries at one stream
 * that inflates a thousandfold), is refused before anything is inflated.
 */
import { inflateRawSync } from "node:zlib";
import { formatInteger } from "../format/italian.js";

/** One file of the archive, decompressed. */
export interface ZipEntry {
  /** Path inside the archive, "/"-separated. */
  name: string;
  data: Buffer;
}

/** The archive cannot be read; the message says why, in Italian, for the person running the import. */
export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipError";
  }
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** How much an archive may inflate to, per file and in all. */
export interface ZipLimits {
  entryBytes: number;
  totalBytes: number;
}

const MiB = 1 << 20;
/**
 * An election's text file is about 130 bytes a row, one row per comune, candidate and list: some
 * 0.6 MB for a region's 300 comuni, a few megabytes for a year's comunali, some tens for every comune
 * of Italy. 128 MiB a file, 256 MiB in all, is far above that and far below what the process can hold
 * (a text over 512 MiB is longer than V8's longest string: decoding it aborts Node).
 */
export const ZIP_LIMITS: ZipLimits = { entryBytes: 128 * MiB, totalBytes: 256 * MiB };

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE), as zip stores it; zlib.crc32 exists only from Node 20.15. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** True when the bytes start like a zip archive (a local file header, or the end record of an empty one). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const sig = Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32LE(0);
  return sig === LOCAL_SIGNATURE || sig === EOCD_SIGNATURE;
}

/** Finds the end-of-central-directory record, which may be followed by a comment of up to 65,535 bytes. */
function findEndRecord(buf: Buffer): number {
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIGNATURE) return i;
  }
  throw new ZipError("non è un archivio zip leggibile (manca la directory centrale)");
}

/** An entry as the central directory describes it, and where its bytes are in the archive. */
interface Located {
  name: string;
  method: number;
  crc: number;
  size: number;
  /** From its local header to the end of its compressed data. */
  from: number;
  start: number;
  end: number;
}

/**
 * Every file of the archive, in directory order, decompressed and checked against its CRC-32.
 * Folders are left out. Throws ZipError on anything it cannot read faithfully, and on an archive that
 * would inflate past the limits or whose entries share their data.
 */
export function readZip(bytes: Uint8Array, limits: ZipLimits = ZIP_LIMITS): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 22) throw new ZipError("non è un archivio zip leggibile (troppo corto)");
  const end = findEndRecord(buf);
  const count = buf.readUInt16LE(end + 10);
  const dirSize = buf.readUInt32LE(end + 12);
  const dirOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    throw new ZipError("archivio ZIP64 non supportato: estrarre il file di testo e importare quello");
  }
  if (dirOffset + dirSize > end) throw new ZipError("archivio zip troncato o danneggiato");

  const located: Located[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIGNATURE) {
      throw new ZipError("archivio zip danneggiato (directory centrale illeggibile)");
    }
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    // Bit 11: the name is UTF-8; otherwise it is in the DOS code page, whose ASCII range is all a name here uses.
    const name = buf.toString(flags & 0x800 ? "utf8" : "latin1", p + 46, p + 46 + nameLength).replace(/\\/g, "/");
    p += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/")) continue;

    if (flags & 0x1) throw new ZipError(`${name}: file cifrato, non leggibile`);
    if (method !== 0 && method !== 8) {
      throw new ZipError(`${name}: metodo di compressione ${method} non supportato (solo stored e deflate)`);
    }
    if (size > limits.entryBytes) {
      throw new ZipError(
        `${name}: troppo grande (${formatInteger(size)} byte decompressi, al massimo ${formatInteger(limits.entryBytes)} per file)`,
      );
    }
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) {
      throw new ZipError(`${name}: intestazione locale illeggibile`);
    }
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (start + compressedSize > buf.length) throw new ZipError(`${name}: archivio troncato`);
    located.push({ name, method, crc, size, from: localOffset, start, end: start + compressedSize });
  }

  // Each entry's bytes are its own: a directory pointing two entries at the same data inflates it twice.
  const byPlace = [...located].sort((a, b) => a.from - b.from);
  for (let i = 1; i < byPlace.length; i++) {
    const [before, entry] = [byPlace[i - 1]!, byPlace[i]!];
    if (entry.from < before.end) {
      throw new ZipError(
        `${entry.name}: i suoi dati compressi si sovrappongono a quelli di ${before.name} (archivio malformato o costruito per esplodere, una «zip bomb»)`,
      );
    }
  }
  let total = 0;
  for (const e of located) {
    total += e.size;
    if (total > limits.totalBytes) {
      throw new ZipError(
        `${e.name}: l'archivio si decomprime in più di ${formatInteger(limits.totalBytes)} byte in tutto`,
      );
    }
  }

  return located.map((e) => ({ name: e.name, data: extract(buf, e) }));
}

/** The entry's bytes: never more than it declares (the limits were checked on that), checked against its CRC. */
function extract(buf: Buffer, e: Located): Buffer {
  const raw = buf.subarray(e.start, e.end);
  let data: Buffer;
  if (e.method === 0) {
    data = Buffer.from(raw);
  } else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(e.size, 1) });
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
        throw new ZipError(`${e.name}: si decomprime in più dei ${formatInteger(e.size)} byte dichiarati`);
      }
      throw new ZipError(`${e.name}: dati compressi danneggiati (${(err as Error).message})`);
    }
  }
  if (data.length !== e.size) throw new ZipError(`${e.name}: ${data.length} byte invece dei ${e.size} dichiarati`);
  if (crc32(data) !== e.crc) throw new ZipError(`${e.name}: checksum CRC-32 errato, archivio danneggiato`);
  return data;
}
