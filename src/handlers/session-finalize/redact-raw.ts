import { lstatSync, realpathSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { doNotRetry } from "../../core/errors.ts";
import { countMarks, type RedactionCounts, type Redactor } from "../../core/redaction/redactor.ts";
import { AtomicWriter } from "./atomic-write.ts";
import { emptyLineStats, readLines } from "./line-reader.ts";

/** Lines up to this size are redacted; a longer one cannot be checked, so the file is refused. */
const MAX_REDACT_LINE_BYTES = 64 * 1024 * 1024;

export interface RawRedaction {
  /** True when the target's content differs from the source's (some secret was replaced). */
  changed: boolean;
  /** Secrets replaced in this pass, by kind. */
  found: RedactionCounts;
  /** Marks the target holds afterwards, by kind (earlier passes' included). */
  marks: RedactionCounts;
}

/**
 * Streams a JSONL file through the redactor into `target` atomically (temp file + rename). When
 * `target` is `source` and nothing changed, the file is left untouched. Each line is redacted
 * inside its JSON string values, so every line that parsed before still parses.
 */
export async function redactJsonlFile(
  source: string,
  target: string,
  redactor: Redactor,
): Promise<RawRedaction> {
  const result: RawRedaction = { changed: false, found: {}, marks: {} };
  // In place, the rename would replace a symlink with a copy of what it points to.
  if (source === target && !lstatSync(source).isFile())
    throw doNotRetry(
      "E_UNSAFE_PATH",
      `${source} is not a regular file; refusing to rewrite it for redaction`,
    );
  const stats = emptyLineStats();
  const writer = new AtomicWriter(target, 0o644);
  try {
    for await (const line of readLines(source, { maxLineBytes: MAX_REDACT_LINE_BYTES, stats })) {
      if (typeof line !== "string") break;
      const out = redactor.line(line, result.found);
      if (out !== line) result.changed = true;
      countMarks(out, result.marks);
      writer.writeLine(out);
    }
    if (stats.oversized > 0)
      throw doNotRetry(
        "E_SESSION_READ",
        `${source} has a line over ${MAX_REDACT_LINE_BYTES} bytes; it cannot be checked for secrets, so it is not published`,
      );
  } catch (error) {
    writer.abort();
    throw error;
  }
  if (result.changed || source !== target) writer.commit();
  else writer.abort();
  return result;
}

/**
 * The file to redact in place: the path itself, or, for a symlink that stays inside its own
 * session dir (which readers accept), the file it names. A link out is refused.
 */
function fileInsideItsDir(path: string): string {
  if (!lstatSync(path).isSymbolicLink()) return path;
  const real = realpathSync(path);
  const dir = realpathSync(dirname(path));
  if (dirname(real) === dir && lstatSync(real).isFile()) return real;
  throw doNotRetry(
    "E_UNSAFE_PATH",
    `${path} links outside its session dir; refusing to read or rewrite it for redaction`,
  );
}

interface Seen {
  size: number;
  mtimeMs: number;
  marks: RedactionCounts;
}

/**
 * Keeps each session's raw.jsonl redacted in place before it is read for a prompt, an export or
 * a commit. A file already redacted (same size and mtime as after our last pass) is not read
 * again; the marks it holds are remembered for summary.json and meta.json.
 */
export class RawRedactionGuard {
  private readonly seen = new Map<string, Seen>();

  constructor(readonly redactor: Redactor) {}

  async ensure(linkOrFile: string): Promise<RawRedaction> {
    const rawPath = fileInsideItsDir(linkOrFile);
    const before = statSync(rawPath);
    const known = this.seen.get(rawPath);
    if (known && known.size === before.size && known.mtimeMs === before.mtimeMs)
      return { changed: false, found: {}, marks: { ...known.marks } };
    const result = await redactJsonlFile(rawPath, rawPath, this.redactor);
    const after = statSync(rawPath);
    if (this.seen.size >= 1000) this.seen.clear();
    this.seen.set(rawPath, { size: after.size, mtimeMs: after.mtimeMs, marks: result.marks });
    return result;
  }
}
