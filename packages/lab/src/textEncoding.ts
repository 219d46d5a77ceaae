import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { DataError } from "./errors.js";

/** A delimited text file ready for DuckDB: the path to scan and the `encoding` to pass to `read_csv`. */
export interface PreparedTextFile {
  /** The file DuckDB reads: the original, or a UTF-8 copy in a temporary directory. */
  readonly path: string;
  /** `read_csv`'s `encoding` option (only `"latin-1"`, which DuckDB decodes itself); undefined for UTF-8. */
  readonly duckdbEncoding?: string;
  /** The encoding the file was decoded with (`"utf-8"`, `"utf-16le"`, `"windows-1252"`, ...). */
  readonly encoding: string;
  /**
   * Whether `path` starts with a UTF-8 byte-order mark. DuckDB skips it but then no longer sniffs
   * the quote of a quoted first header (`\uFEFF"id",b` gives the column `"id"`), so the reader sets
   * the quote explicitly for these files.
   */
  readonly utf8Bom: boolean;
  /** Deletes the temporary copy, if any. */
  cleanup(): Promise<void>;
}

const UTF8 = new Set(["utf-8", "utf8", "unicode-1-1-utf-8"]);
const LATIN1 = new Set(["latin-1", "latin1", "iso-8859-1", "iso8859-1", "iso_8859-1", "l1"]);
const UTF16 = new Set(["utf-16", "utf16", "unicode"]);

/**
 * The canonical name of an encoding option: `"utf-8"`, `"latin-1"` (decoded by DuckDB), `"utf-16"`
 * (byte order from the BOM, little-endian without one), or any other WHATWG encoding label
 * `TextDecoder` knows (`"windows-1252"`, `"utf-16be"`, `"shift_jis"`, ...), lower-cased. Throws a
 * `DataError` naming the value for an unknown one.
 */
export function normalizeEncoding(encoding: string): string {
  const label = encoding.trim().toLowerCase();
  if (UTF8.has(label)) return "utf-8";
  if (LATIN1.has(label)) return "latin-1";
  if (UTF16.has(label)) return "utf-16";
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw new DataError(
      `invalid encoding: ${JSON.stringify(encoding)} (use utf-8, latin-1, windows-1252, utf-16, utf-16le, utf-16be or another WHATWG encoding label)`,
    );
  }
}

async function firstBytes(path: string, n: number): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(n);
    const { bytesRead } = await handle.read(buffer, 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The encoding a byte-order mark announces: `"utf-16le"`, `"utf-16be"`, `"utf-8"`, or undefined. */
export function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  return undefined;
}

/**
 * Prepares a delimited text file for DuckDB's `read_csv`, which reads UTF-8 (its BOM skipped) and
 * Latin-1 itself. A UTF-16 byte-order mark wins over `encoding` (the file says what it is); other
 * encodings (UTF-16, Windows-1252, ...) are transcoded to a temporary UTF-8 copy with
 * `TextDecoder`, streaming. UTF-8 files are scanned as they are: no pass over their bytes in
 * JavaScript.
 */
export async function prepareTextFile(path: string, encoding?: string): Promise<PreparedTextFile> {
  let chosen = encoding === undefined ? "utf-8" : normalizeEncoding(encoding);
  const head = await firstBytes(path, 4);
  const bom = bomEncoding(head);
  if (encoding === undefined && bom === undefined && head.length === 4) {
    // Text of ASCII characters in UTF-16 without a BOM: every other byte is 0 (valid UTF-8, so
    // DuckDB would read NUL characters instead of failing).
    const le = head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0;
    const be = head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0;
    if (le || be) {
      throw new DataError(
        `${path} looks like UTF-16 text without a byte-order mark (every other byte is 0); read it with --encoding ${le ? "utf-16le" : "utf-16be"} (spec: data.encoding)`,
      );
    }
  }
  if (bom === "utf-16le" || bom === "utf-16be") chosen = bom;
  else if (chosen === "utf-16") chosen = "utf-16le";
  const none = async () => {};
  const utf8Bom = bom === "utf-8";
  if (chosen === "utf-8") return { path, encoding: chosen, utf8Bom, cleanup: none };
  if (chosen === "latin-1") {
    return { path, encoding: chosen, duckdbEncoding: "latin-1", utf8Bom: false, cleanup: none };
  }

  const dir = await mkdtemp(join(tmpdir(), "clusterlab-"));
  const copy = join(dir, `${basename(path)}.utf8`);
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const decoder = new TextDecoder(chosen);
    await pipeline(
      createReadStream(path),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
        yield decoder.decode();
      },
      createWriteStream(copy),
    );
  } catch (error) {
    await cleanup();
    throw new DataError(`cannot read ${path} as ${chosen}: ${(error as Error).message}`);
  }
  return { path: copy, encoding: chosen, utf8Bom: false, cleanup };
}

/** Where a file stops being valid UTF-8. */
export interface Utf8Problem {
  /** Byte offset (0-based) of the first byte of the invalid sequence. */
  readonly offset: number;
  /** The byte there. */
  readonly byte: number;
  /** 1-based line number of that byte. */
  readonly line: number;
}

/**
 * Finds the first invalid UTF-8 sequence of a file (streaming; used only to explain a read that
 * failed), or null when the whole file is valid UTF-8.
 */
export async function findInvalidUtf8(path: string): Promise<Utf8Problem | null> {
  let offset = 0;
  let line = 1;
  // Bytes still expected in the current multi-byte sequence, its start, and the allowed range of
  // the next byte (UTF-8's rules against overlong forms and surrogates).
  let need = 0;
  let start = 0;
  let startLine = 1;
  let startByte = 0;
  let lo = 0x80;
  let hi = 0xbf;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++, offset++) {
      const b = chunk[i];
      if (need > 0) {
        if (b < lo || b > hi) return { offset: start, byte: startByte, line: startLine };
        lo = 0x80;
        hi = 0xbf;
        need--;
        continue;
      }
      if (b === 0x0a) line++;
      if (b < 0x80) continue;
      start = offset;
      startLine = line;
      startByte = b;
      if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        if (b === 0xe0) lo = 0xa0;
        if (b === 0xed) hi = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        if (b === 0xf0) lo = 0x90;
        if (b === 0xf4) hi = 0x8f;
      } else return { offset, byte: b, line };
    }
  }
  return need > 0 ? { offset: start, byte: startByte, line: startLine } : null;
}

/** The message for a file that is not UTF-8, naming the line and byte and suggesting an encoding. */
export function notUtf8Message(path: string, problem: Utf8Problem, header: boolean): string {
  const hex = `0x${problem.byte.toString(16).toUpperCase().padStart(2, "0")}`;
  const row = header ? problem.line - 1 : problem.line;
  const where = header && problem.line === 1 ? "the header line" : `data row ${row}`;
  return (
    `${path} is not valid UTF-8: byte ${hex} at offset ${problem.offset} (line ${problem.line}, ${where}); ` +
    `if it is Latin-1 / Windows-1252 text, read it with --encoding latin-1 (spec: data.encoding), ` +
    `or name its encoding (e.g. windows-1252, utf-16)`
  );
}
