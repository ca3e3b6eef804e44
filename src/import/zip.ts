/**
 * Reading a .zip archive in memory, with node:zlib only: the Ministry publishes each election as one zip of
 * a few text files, and a native or third-party unzipper would be a dependency for some eighty lines.
 *
 * The central directory (at the end of the archive) is authoritative: it carries the sizes and checksums even
 * when the local headers defer them to a data descriptor (archives written as a stream). Stored and deflated
 * entries are supported; encrypted entries and ZIP64 archives (over 4 GB or 65,535 entries, far beyond an
 * election's files) are refused with a clear message rather than misread.
 */
import { inflateRawSync } from "node:zlib";

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
/** Larger entries are refused: an election's file is a few tens of megabytes. */
const MAX_ENTRY_BYTES = 1 << 30;

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

/**
 * Every file of the archive, in directory order, decompressed and checked against its CRC-32.
 * Folders are left out. Throws ZipError on anything it cannot read faithfully.
 */
export function readZip(bytes: Uint8Array): ZipEntry[] {
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

  const entries: ZipEntry[] = [];
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
    if (size > MAX_ENTRY_BYTES) throw new ZipError(`${name}: troppo grande (${size} byte)`);
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) {
      throw new ZipError(`${name}: intestazione locale illeggibile`);
    }
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (start + compressedSize > buf.length) throw new ZipError(`${name}: archivio troncato`);
    const raw = buf.subarray(start, start + compressedSize);
    let data: Buffer;
    if (method === 0) {
      data = Buffer.from(raw);
    } else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch (err) {
        throw new ZipError(`${name}: dati compressi danneggiati (${(err as Error).message})`);
      }
    } else {
      throw new ZipError(`${name}: metodo di compressione ${method} non supportato (solo stored e deflate)`);
    }
    if (data.length !== size) throw new ZipError(`${name}: ${data.length} byte invece dei ${size} dichiarati`);
    if (crc32(data) !== crc) throw new ZipError(`${name}: checksum CRC-32 errato, archivio danneggiato`);
    entries.push({ name, data });
  }
  return entries;
}
