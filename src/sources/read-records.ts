import { readRegularFileBytesSync } from "../core/regular-file.ts";
import type { ContentHasher } from "./content-hash.ts";

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

export interface ReadRecords {
  records: Record<string, unknown>[];
  /** The text each record was parsed from (`lines[i]` holds `records[i]`). */
  lines: string[];
  size: number;
  /** Lines that were not a JSON object (1-based line numbers). */
  malformed: number[];
  /** The last line had no newline and did not parse: a file still being written. */
  truncatedLast: boolean;
}

/**
 * Reads one transcript under the ledger-file rules (O_NOFOLLOW, regular file only, bounded) and
 * parses it as JSON lines, or as one JSON document when `whole` (Gemini's legacy `.json`).
 * ENOENT (the file vanished) and unsafe files throw; bad lines are reported, never thrown. The
 * bytes read go to `hasher`, so the hash is of exactly what was parsed.
 */
export function readRecords(path: string, whole = false, hasher?: ContentHasher): ReadRecords {
  // Synchronous: one read of a bounded regular file is faster than FileHandle reads.
  // `bytes` is a view of the shared buffer: hashed and decoded here, never kept.
  const bytes = readRegularFileBytesSync(path, { maxBytes: MAX_SOURCE_BYTES, into: readBuffer });
  hasher?.add(bytes);
  const text = bytes.toString("utf8");
  const out: ReadRecords = {
    records: [],
    lines: [],
    size: bytes.length,
    malformed: [],
    truncatedLast: false,
  };
  if (whole) {
    const doc = parseObject(text);
    if (doc) {
      out.records.push(doc);
      out.lines.push(text);
    } else out.malformed.push(1);
    return out;
  }
  const lines = text.split("\n");
  const endsOpen = !text.endsWith("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    const obj = parseObject(line);
    if (obj) {
      out.records.push(obj);
      out.lines.push(line);
    } else if (endsOpen && i === lines.length - 1) out.truncatedLast = true;
    else out.malformed.push(i + 1);
  }
  return out;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
