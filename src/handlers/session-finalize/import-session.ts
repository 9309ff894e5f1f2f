import {
  copyFileSync,
  type Dirent,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import { doNotRetry } from "../../core/errors.ts";
import { assertInside } from "./paths.ts";
import { RAW_FILE, RECORDING_MARKER, type SessionFinalizePayload } from "./types.ts";

/**
 * Copies a session found in a scan dir outside the ledger into `<ledger>/sessions/<name>/`, so
 * it can be finalized and committed there (upstream v0.5 could never commit such sessions).
 * Regular files only; symlinks and the recording marker are not copied. Idempotent: files
 * already in the ledger copy are kept, except raw.jsonl, refreshed when its size changed.
 */
export function importSession(payload: SessionFinalizePayload): string[] {
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
    if (!entry.isFile() || entry.name === RECORDING_MARKER || entry.name.startsWith(".")) continue;
    const from = join(source, entry.name);
    const to = join(payload.session_dir, entry.name);
    let present = false;
    try {
      const st = statSync(to);
      present = entry.name !== RAW_FILE || st.size === statSync(from).size;
    } catch {
      present = false;
    }
    if (present) continue;
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
