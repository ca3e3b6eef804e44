/**
 * From the file on disk to text: a .zip is opened and its text files taken, and each text is decoded as
 * UTF-8 when it is valid UTF-8, as Latin-1 (Windows-1252) otherwise — the Ministry's older files are in the
 * latter, the newer ones in the former, and neither says which.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { formatInteger } from "../format/italian.js";
import { looksLikeZip, readZip, ZIP_LIMITS, type ZipLimits } from "./zip.js";

export type Encoding = "UTF-8" | "Latin-1";

/** One text file to import: a plain file, or one entry of the zip. */
export interface SourceText {
  /** How problems name the file: "comunali-20170611.txt", or "archivio.zip › dati.txt" for a zip entry. */
  label: string;
  /** The file name alone (the entry's, for a zip), e.g. to tell a runoff file by its name. */
  fileName: string;
  text: string;
  encoding: Encoding;
}

/** What was read: the texts, and the archive entries left aside with the reason. */
export interface ReadResult {
  texts: SourceText[];
  skipped: { label: string; reason: string }[];
}

/** The file cannot be read at all; the message is for the person running the import. */
export class ReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReadError";
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
// WHATWG's "latin1" is Windows-1252: the same letters (à, è, ì, ò, ù, À…) and the typographic quotes besides.
const latin1 = new TextDecoder("windows-1252");

/** Bytes to text: UTF-8 (its byte-order mark dropped) when the bytes are valid UTF-8, Latin-1 otherwise. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: Encoding } {
  try {
    return { text: utf8.decode(bytes).replace(/^\uFEFF/, ""), encoding: "UTF-8" };
  } catch {
    return { text: latin1.decode(bytes), encoding: "Latin-1" };
  }
}

/** Entries of an archive that are not results: folders of macOS metadata, councillors' preference votes. */
function skipReason(name: string): string | undefined {
  const base = path.posix.basename(name);
  if (name.startsWith("__MACOSX/") || base.startsWith(".")) return "metadati dell'archivio";
  if (!/\.(txt|csv)$/i.test(base)) return "non è un file di testo (.txt o .csv)";
  if (/preferenz/i.test(base)) return "voti di preferenza dei consiglieri, non risultati dei sindaci";
  return undefined;
}

/**
 * Reads a .txt/.csv file, or the text files of a .zip (told by its content, not its name).
 * Throws ReadError when the file is missing, is a zip that cannot be read, or holds no text file, and
 * when a text (a file, or a zip's entries) is over the limits.
 */
export async function readSource(file: string, limits: ZipLimits = ZIP_LIMITS): Promise<ReadResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReadError(
      code === "ENOENT"
        ? `${file}: file inesistente`
        : code === "EISDIR"
          ? `${file}: è una cartella, serve un file .zip o .txt`
          : `${file}: illeggibile (${code ?? (err as Error).message})`,
    );
  }
  const base = path.basename(file);
  if (!looksLikeZip(bytes)) {
    if (bytes.length > limits.entryBytes) {
      throw new ReadError(
        `${base}: troppo grande (${formatInteger(bytes.length)} byte, al massimo ${formatInteger(limits.entryBytes)} per file)`,
      );
    }
    return { texts: [{ label: base, fileName: base, ...decodeText(bytes) }], skipped: [] };
  }
  let entries: ReturnType<typeof readZip>;
  try {
    entries = readZip(bytes, limits);
  } catch (err) {
    throw new ReadError(`${base}: ${(err as Error).message}`);
  }
  const texts: SourceText[] = [];
  const skipped: ReadResult["skipped"] = [];
  for (const e of entries) {
    const label = `${base} › ${e.name}`;
    const reason = skipReason(e.name);
    if (reason) skipped.push({ label, reason });
    else texts.push({ label, fileName: path.posix.basename(e.name), ...decodeText(e.data) });
  }
  if (!texts.length) {
    const listed = entries.length ? `contiene solo: ${entries.map((e) => e.name).join(", ")}` : "è vuoto";
    throw new ReadError(`${base}: nessun file di testo (.txt o .csv) da importare; l'archivio ${listed}`);
  }
  return { texts, skipped };
}
