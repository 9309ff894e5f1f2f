import { basename } from "node:path";
import { CLAUDE_HOLD, convertClaude } from "./claude-convert.ts";
import { convertCodex } from "./codex-convert.ts";
import { ContentHasher } from "./content-hash.ts";
import { convertGemini } from "./gemini-convert.ts";
import type { ConvertedSession, SourceFile } from "./imported-session.ts";
import { readRecords } from "./read-records.ts";

export interface SourceProblem {
  path: string;
  reason: string;
}

export interface ReadSource {
  session: ConvertedSession;
  hash: string;
  /** The hash as rows written before `content-hash.ts` hold it, when asked for (`legacy`). */
  legacyHash: string | null;
  /** Lines skipped, folded-in parts that could not be read: logged, the rest kept. */
  problems: SourceProblem[];
}

/**
 * Reads a transcript and its folded-in parts and converts them; bad lines are reported, the rest
 * kept. `legacy`: the file's row is from before `content-hash.ts`, so its old hash is computed
 * too and a touched file still compares equal. A main file that vanished or cannot be read
 * throws (`describeReadError`).
 */
export function readSource(file: SourceFile, legacy: boolean): ReadSource {
  const hash = new ContentHasher(legacy);
  const hold = file.kind === "claude" ? CLAUDE_HOLD : undefined;
  const problems: SourceProblem[] = [];
  const load = (path: string) => {
    const got = readRecords(path, { whole: path.endsWith(".json"), hasher: hash, hold });
    if (got.truncatedLast)
      problems.push({ path, reason: "last line is cut off (still being written?); skipped it" });
    if (got.malformed.length > 0)
      problems.push({
        path,
        reason: `skipped ${got.malformed.length} malformed line(s): ${got.malformed.slice(0, 5).join(", ")}`,
      });
    return { records: got.records, held: got.held };
  };
  const main = load(file.path);
  const parts: { id: string; records: Record<string, unknown>[]; held: string[] }[] = [];
  for (const part of file.parts) {
    try {
      parts.push({ id: basename(part).replace(/\.jsonl?$/, ""), ...load(part) });
    } catch (error) {
      problems.push({ path: part, reason: describeReadError(error) });
    }
  }
  const session =
    file.kind === "claude"
      ? convertClaude(main, parts)
      : file.kind === "codex"
        ? convertCodex(main.records)
        : convertGemini(main.records, parts);
  return { session, hash: hash.digest(), legacyHash: hash.legacyDigest(), problems };
}

/** Why a transcript was skipped, for the log: what a user can act on, not a stack. */
export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "vanished while being read; skipped";
  if (code === "EACCES" || code === "EPERM") return "cannot be read (permission denied); skipped";
  return `${error instanceof Error ? error.message : String(error)}; skipped`;
}
