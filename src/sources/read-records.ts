import { readRegularFileBytesSync } from "../core/regular-file.ts";
import type { ContentHasher } from "./content-hash.ts";
import { type HoldSpec, holdingAllowed, holdStrings } from "./held-strings.ts";

/** A transcript larger than this is skipped (logged): one file must not exhaust memory. */
export const MAX_SOURCE_BYTES = 256 * 1024 * 1024;

/**
 * Transcripts up to this size are read into one reused buffer: a fresh megabyte per file cost
 * its page faults, a third of what the bare read + parse loop costs (bench/results/sources.md).
 */
const SCRATCH_MAX_BYTES = 16 * 1024 * 1024;
let scratch = Buffer.allocUnsafe(0);

function readBuffer(size: number): Buffer {
  if (size > SCRATCH_MAX_BYTES) return Buffer.allocUnsafe(size);
  if (scratch.length < size)
    scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX_BYTES, Math.max(size, 2 * scratch.length)));
  return scratch;
}

/**
 * Decodes as `Buffer.toString("utf8")` does (a BOM kept, bad bytes replaced alike), in about
 * half the time on ASCII text (Bun 1.4; the same on other text).
 */
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

export interface ReadRecords {
  records: Record<string, unknown>[];
  /** The literals of the strings held back under `hold` (`held-strings.ts`), for `heldLiteral`. */
  held: string[];
  size: number;
  /** Lines that were not a JSON object (1-based line numbers). */
  malformed: number[];
  /** The last line had no newline and did not parse: a file still being written. */
  truncatedLast: boolean;
}

export interface ReadOptions {
  /** One JSON document, not JSON lines (Gemini's legacy `.json`). */
  whole?: boolean;
  /** Gets the bytes read, so the hash is of exactly what was parsed. */
  hasher?: ContentHasher;
  /** Where long strings of a line are held back, not decoded (JSON lines only). */
  hold?: HoldSpec;
}

/**
 * Reads one transcript under the ledger-file rules (O_NOFOLLOW, regular file only, bounded) and
 * parses it as JSON lines, or as one JSON document when `whole`. ENOENT (the file vanished) and
 * unsafe files throw; bad lines are reported, never thrown.
 */
export function readRecords(
  path: string,
  { whole = false, hasher, hold }: ReadOptions = {},
): ReadRecords {
  // Synchronous: one read of a bounded regular file is faster than FileHandle reads.
  // `bytes` is a view of the shared buffer: hashed and decoded here, never kept.
  const bytes = readRegularFileBytesSync(path, { maxBytes: MAX_SOURCE_BYTES, into: readBuffer });
  hasher?.add(bytes);
  const text = UTF8.decode(bytes);
  const out: ReadRecords = {
    records: [],
    held: [],
    size: bytes.length,
    malformed: [],
    truncatedLast: false,
  };
  if (whole) {
    const doc = parseObject(text);
    if (doc) out.records.push(doc);
    else out.malformed.push(1);
    return out;
  }
  const lines = text.split("\n");
  const endsOpen = !text.endsWith("\n");
  const spec = hold && holdingAllowed(bytes) ? hold : undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    const obj = spec ? parseHolding(line, spec, out.held) : parseObject(line);
    if (obj) out.records.push(obj);
    else if (endsOpen && i === lines.length - 1) out.truncatedLast = true;
    else out.malformed.push(i + 1);
  }
  return out;
}

/**
 * The line parsed with its long strings held; a line that does not parse so is parsed whole
 * (a malformed line is reported the same either way; nothing it held is referred to).
 */
function parseHolding(
  line: string,
  spec: HoldSpec,
  held: string[],
): Record<string, unknown> | null {
  const before = held.length;
  let cut = line;
  try {
    cut = holdStrings(line, spec, held);
  } catch {
    // Nesting deeper than the scanner's stack: parsed whole.
  }
  const obj = cut === line ? null : parseObject(cut);
  if (obj) return obj;
  held.length = before;
  return parseObject(line);
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
