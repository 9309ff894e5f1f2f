import {
  copyFileSync,
  type Dirent,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { doNotRetry } from "../../core/errors.ts";
import type { Redactor } from "../../core/redaction/redactor.ts";
import { isLocalOnlyName } from "./local-files.ts";
import { assertInside } from "./paths.ts";
import { redactJsonlFile } from "./redact-raw.ts";
import { RAW_FILE, RECORDING_MARKER, type SessionFinalizePayload } from "./types.ts";

/**
 * Copies a session found in a scan dir outside the ledger into `<ledger>/sessions/<name>/`, so
 * it can be finalized and committed there (upstream v0.5 could never commit such sessions).
 * Regular files only; symlinks, dotfiles (markers) and temp files are not copied, and raw.jsonl
 * is redacted on the way in, so no secret ever sits in the ledger's working tree. Idempotent:
 * files already in the ledger copy are kept, except raw.jsonl, refreshed when the source's size
 * changed since the last copy (the redacted copy's size differs, so the source size is recorded
 * in a local-only mark beside it).
 */
/** Size of the source raw.jsonl last imported (local only, git-ignored). */
const IMPORTED_SIZE_MARK = ".imported-size";

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

export async function importSession(
  payload: SessionFinalizePayload,
  redactor: Redactor,
): Promise<string[]> {
  const source = payload.source_dir;
  if (!source) return [];
  assertInside(payload.session_dir, [payload.ledger_path], "session copy");
  let entries: Dirent[];
  try {
    entries = readdirSync(source, { withFileTypes: true });
  } catch (error) {
    throw doNotRetry(
      "E_SESSION_READ",
      `cannot read session source ${source}: ${String(error)}`,
      error,
    );
  }
  mkdirSync(payload.session_dir, { recursive: true });
  const copied: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || entry.name === RECORDING_MARKER || isLocalOnlyName(entry.name)) continue;
    const from = join(source, entry.name);
    const to = join(payload.session_dir, entry.name);
    if (entry.name === RAW_FILE) {
      const size = String(statSync(from).size);
      const mark = join(payload.session_dir, IMPORTED_SIZE_MARK);
      if (existsSync(to) && readText(mark) === size) continue;
      await redactJsonlFile(from, to, redactor);
      writeFileSync(mark, size);
      copied.push(entry.name);
      continue;
    }
    if (existsSync(to)) continue;
    const tmp = `${to}.import-${process.pid}`;
    try {
      copyFileSync(from, tmp);
      renameSync(tmp, to);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    copied.push(entry.name);
  }
  return copied;
}
