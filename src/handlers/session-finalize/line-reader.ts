import { LineSplitter } from "../../core/line-splitter.ts";
import { openRegularFile, readWithin, releaseFile } from "../../core/regular-file.ts";

/** Upstream's reader refused lines over 10 MiB; we skip such a line and keep reading. */
export const DEFAULT_MAX_LINE_BYTES = 10 * 1024 * 1024;
// Each read's lines are held until the consumer has taken them all; 64 KiB keeps that batch small
// (1 MiB reads cost about 15 MB more peak RSS on a 100 MB export, at the same speed).
const CHUNK_BYTES = 64 * 1024;

export interface LineStats {
  lines: number;
  /** Lines longer than the limit, skipped without being held in memory. */
  oversized: number;
  bytes: number;
}

/** A line over the limit, skipped unread: where it was, so exports and the prompt can say so. */
export interface OversizedLine {
  oversized: true;
  /** 1-based among the file's non-blank lines. */
  line: number;
  maxBytes: number;
}

export function emptyLineStats(): LineStats {
  return { lines: 0, oversized: 0, bytes: 0 };
}

/**
 * Yields the non-blank lines of a file as strings, reading it in fixed 64 KiB chunks into one
 * reused buffer and splitting them with the shared LineSplitter, so memory stays bounded by the
 * chunk size plus the longest accepted line.
 */
export async function* readLines(
  path: string,
  options: { maxLineBytes?: number; stats?: LineStats } = {},
): AsyncGenerator<string | OversizedLine> {
  const stats = options.stats ?? emptyLineStats();
  const lines: (string | OversizedLine)[] = [];
  const maxBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let seen = 0;
  const splitter = new LineSplitter(
    (line) => {
      if (line.trim().length === 0) return;
      seen++;
      lines.push(line);
    },
    maxBytes,
    () => {
      stats.oversized++;
      // Its place in the stream, so readers can mark the gap where it was.
      lines.push({ oversized: true, line: ++seen, maxBytes });
    },
  );
  // Only a regular file inside its own directory; read up to the size it had when opened, so a file
  // still being appended to (or swapped for /dev/zero) cannot keep the reader going.
  const { fh, size } = await openRegularFile(path);
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let left = size;
  try {
    while (left > 0) {
      const want = Math.min(CHUNK_BYTES, left);
      const { bytesRead } = await readWithin(fh.read(buf, 0, want, null), path);
      if (bytesRead === 0) break;
      left -= bytesRead;
      stats.bytes += bytesRead;
      splitter.push(buf.subarray(0, bytesRead));
      yield* drain(lines, stats);
    }
    splitter.end();
    yield* drain(lines, stats);
  } finally {
    releaseFile(fh);
  }
}

function* drain(
  lines: (string | OversizedLine)[],
  stats: LineStats,
): Generator<string | OversizedLine> {
  for (const line of lines) {
    if (typeof line === "string") stats.lines++;
    yield line;
  }
  lines.length = 0;
}

/**
 * True when the file has at least two non-blank lines (a header plus one entry), reading only
 * as far as needed. A first line over `firstLineLimit` counts as "not substantive", as upstream.
 * A missing file is false; a file that is not a regular file inside its dir throws E_UNSAFE_PATH.
 */
export async function hasSubstantiveEntries(
  path: string,
  firstLineLimit = 256 * 1024,
): Promise<boolean> {
  let fh: Awaited<ReturnType<typeof openRegularFile>>["fh"];
  try {
    fh = (await openRegularFile(path)).fh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  try {
    // Small: a header line is usually well under 1 KiB, and detection calls this per session.
    const buf = Buffer.allocUnsafe(4096);
    let seen = 0;
    let lines = 0;
    let lineHasText = false;
    for (;;) {
      const { bytesRead } = await readWithin(fh.read(buf, 0, buf.length, null), path);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) {
        const c = buf[i];
        if (c === 10) {
          if (lineHasText) lines++;
          if (lines >= 2) return true;
          lineHasText = false;
        } else if (c !== 32 && c !== 13 && c !== 9) {
          lineHasText = true;
        }
        seen++;
        if (lines === 0 && seen > firstLineLimit) return false;
      }
    }
    if (lineHasText) lines++;
    return lines >= 2;
  } finally {
    releaseFile(fh);
  }
}
