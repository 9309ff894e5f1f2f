import { type Dirent, existsSync, readdirSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { PublishingMode } from "../../config/config.ts";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { Redactor } from "../../core/redaction/redactor.ts";
import type { NewWorkItem } from "../../core/work-item.ts";
import { removeIfGhost } from "./ghost-cleanup.ts";
import { isHeld } from "./held.ts";
import { hasSubstantiveEntries } from "./line-reader.ts";
import { checkSessionEntry, sessionNameProblem } from "./paths.ts";
import { judgeMarker } from "./recording-marker.ts";
import { recoverRawFromTranscript } from "./recover-raw.ts";
import {
  type ArtifactName,
  DETECTED_PRIORITY,
  DISCARDED_MARKER,
  dedupKeyFor,
  HOUR_MS,
  LEGACY_DIRS,
  type PidLookup,
  RAW_FILE,
  RECORDING_MARKER,
  REQUIRED_ARTIFACTS,
  type RefusedEntry,
  SESSION_FINALIZE_TYPE,
  type SessionFinalizePayload,
} from "./types.ts";

export interface DetectContext {
  ledgerPath: string;
  clock: Clock;
  logger: Logger;
  staleAfterMs: number;
  pidLookup?: PidLookup;
  /** Ghost cleanup folded into the scan (upstream ran it as a separate pass first). */
  ghostGraceMs: number;
  /** Where agents' own transcripts may be read from to recover a missing raw.jsonl. */
  transcriptRoots: string[];
  /** Recovered raw.jsonl is written redacted. */
  redactor?: Redactor;
  /** `manual`: every session is held until published. */
  publishing?: PublishingMode;
}

export interface DirScan {
  /** Directory holding session dirs. */
  dir: string;
  /** Symlinked session dirs must resolve inside this root. */
  root: string;
  /** Set for scan dirs outside the ledger: sessions are finalized in a copy under this dir. */
  importInto?: string;
}

export interface DirDetection {
  items: NewWorkItem<SessionFinalizePayload>[];
  refused: RefusedEntry[];
  ghostsRemoved: string[];
  /** Held sessions that need finalizing: no item is queued for them. */
  held: SessionFinalizePayload[];
}

function listNames(dir: string): Set<string> | null {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return null;
  }
}

/**
 * Handles a recording marker (decision-table rows 3-6). Returns true when detection may go on
 * with this session, false when it must be skipped.
 */
function settleMarker(sessionDir: string, hasRaw: boolean, ctx: DetectContext): boolean {
  const markerPath = join(sessionDir, RECORDING_MARKER);
  const verdict = judgeMarker(markerPath, ctx);
  // The marker vanished between listing and judging: the recorder stopped; judge as unmarked.
  if (!verdict) return true;
  const hours = Math.round(verdict.ageMs / HOUR_MS);
  if (!verdict.stale) {
    ctx.logger.debug(
      `session-finalize: active recording, skipping ${sessionDir} (${verdict.method})`,
    );
    return false;
  }
  // Rows 4-5: no raw.jsonl, so try to rebuild it from the agent's own transcript; when that
  // fails the marker is cleared and the session skipped.
  if (!hasRaw && !recoverRawFromTranscript(sessionDir, ctx)) {
    ctx.logger.warn(
      `session-finalize: stale recording without ${RAW_FILE} in ${sessionDir} (age ${hours}h, ${verdict.method}); clearing marker`,
    );
    rmSync(markerPath, { force: true });
    return false;
  }
  ctx.logger.info(
    `session-finalize: clearing stale recording marker in ${sessionDir} (age ${hours}h, ${verdict.method})`,
  );
  try {
    unlinkSync(markerPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      ctx.logger.warn(
        `session-finalize: could not remove stale marker ${markerPath}: ${String(error)}`,
      );
      return false;
    }
  }
  return true;
}

function isCandidate(entry: Dirent, scan: DirScan, refused: RefusedEntry[]): boolean {
  const path = join(scan.dir, entry.name);
  if (entry.name.startsWith(".")) return false;
  if (!entry.isDirectory()) {
    if (!entry.isSymbolicLink()) return false;
    const verdict = checkSessionEntry(scan.root, path);
    if (verdict === "skip") return false;
    if (verdict !== null) {
      refused.push({ path, reason: verdict });
      return false;
    }
  }
  if (LEGACY_DIRS.has(entry.name)) return false;
  const problem = sessionNameProblem(entry.name);
  if (problem) {
    refused.push({ path, reason: problem });
    return false;
  }
  return true;
}

/** The per-entry decision table of upstream §7.3, for one directory of session dirs. */
export async function detectInDir(scan: DirScan, ctx: DetectContext): Promise<DirDetection> {
  const result: DirDetection = { items: [], refused: [], ghostsRemoved: [], held: [] };
  let entries: Dirent[];
  try {
    entries = readdirSync(scan.dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return result;
    throw error;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (!isCandidate(entry, scan, result.refused)) continue;
    // One bad session (a FIFO, a device, a hung read) is reported and skipped; the rest go on.
    try {
      await detectOne(entry, scan, ctx, result);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      result.refused.push({ path: join(scan.dir, entry.name), reason });
    }
  }
  return result;
}

async function detectOne(
  entry: Dirent,
  scan: DirScan,
  ctx: DetectContext,
  result: DirDetection,
): Promise<void> {
  const name = entry.name;
  const sessionDir = join(scan.dir, name);
  const names = listNames(sessionDir);
  if (!names) return;
  if (names.has(DISCARDED_MARKER)) return;
  let hasRaw = names.has(RAW_FILE);
  if (names.has(RECORDING_MARKER)) {
    if (
      entry.isDirectory() &&
      (await removeIfGhost(sessionDir, { ...ctx, graceMs: ctx.ghostGraceMs }))
    ) {
      result.ghostsRemoved.push(name);
      return;
    }
    if (!settleMarker(sessionDir, hasRaw, ctx)) return;
    // Recovery may have just written raw.jsonl.
    hasRaw = hasRaw || existsSync(join(sessionDir, RAW_FILE));
  }
  if (!hasRaw) return;
  const targetDir = scan.importInto ? join(scan.importInto, name) : sessionDir;
  const targetNames = scan.importInto ? (listNames(targetDir) ?? new Set<string>()) : names;
  if (targetNames.has(DISCARDED_MARKER)) return;
  const missing: ArtifactName[] = REQUIRED_ARTIFACTS.filter((a) => !targetNames.has(a));
  if (missing.length === 0) return;
  const rawPath = join(sessionDir, RAW_FILE);
  if (!(await hasSubstantiveEntries(rawPath))) {
    ctx.logger.debug(`session-finalize: header-only or empty session, skipping ${sessionDir}`);
    return;
  }
  const payload: SessionFinalizePayload = {
    session_name: name,
    session_dir: targetDir,
    raw_path: join(targetDir, RAW_FILE),
    missing,
    ledger_path: ctx.ledgerPath,
  };
  if (scan.importInto) payload.source_dir = sessionDir;
  if (isHeld([targetDir, sessionDir], ctx.publishing ?? "auto")) {
    result.held.push(payload);
    return;
  }
  ctx.logger.debug(`session-finalize: ${name} needs finalizing (missing ${missing.join(", ")})`);
  result.items.push({
    type: SESSION_FINALIZE_TYPE,
    priority: DETECTED_PRIORITY,
    dedupKey: dedupKeyFor(name),
    payload,
  });
}
