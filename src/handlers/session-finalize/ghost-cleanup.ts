import { type Dirent, existsSync, readdirSync, rmdirSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import { isProcessAlive } from "../../core/process.ts";
import { hasSubstantiveEntries } from "./line-reader.ts";
import { readMarker } from "./recording-marker.ts";
import { RAW_FILE, RECORDING_MARKER } from "./types.ts";

export interface GhostCleanupResult {
  removed: number;
  names: string[];
}

/**
 * Upstream's ghost cleanup (§7.6): a marker whose parent process is dead, that is older than the
 * grace period and whose session holds no data (raw.jsonl under two lines) is deleted, and the
 * directory too if that leaves it empty. Markers without a pid are left to detection's time rule,
 * and sessions with data are orphans for detection, never ghosts.
 */
export async function cleanupGhosts(
  dir: string,
  options: { clock: Clock; logger: Logger; graceMs: number },
): Promise<GhostCleanupResult> {
  const result: GhostCleanupResult = { removed: 0, names: [] };
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return result;
  }
  for (const entry of entries) {
    // Symlinked dirs are never cleaned: deleting through a link could reach outside the ledger.
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const sessionDir = join(dir, entry.name);
    // A cheap stat first: most sessions have no marker, and a failed read throws (slow in JS).
    if (!existsSync(join(sessionDir, RECORDING_MARKER))) continue;
    if (await removeIfGhost(sessionDir, options)) {
      result.removed++;
      result.names.push(entry.name);
    }
  }
  return result;
}

/**
 * The ghost test for one session dir that has a marker; removes the marker (and the dir when
 * that leaves it empty) and returns true when it was a ghost. Detection calls this directly for
 * the dirs it already lists, so a detection pass does not walk the tree twice.
 */
export async function removeIfGhost(
  sessionDir: string,
  options: { clock: Clock; logger: Logger; graceMs: number },
): Promise<boolean> {
  const markerPath = join(sessionDir, RECORDING_MARKER);
  const state = readMarker(markerPath);
  if (!state) return false;
  const pid = typeof state.parent_pid === "number" ? state.parent_pid : 0;
  if (pid <= 0 || isProcessAlive(pid)) return false;
  const started = typeof state.started_at === "string" ? Date.parse(state.started_at) : Number.NaN;
  let since = started;
  if (!Number.isFinite(since) || since <= 0) {
    try {
      since = statSync(markerPath).mtimeMs;
    } catch {
      return false;
    }
  }
  if (options.clock.now() - since < options.graceMs) return false;
  if (await hasSubstantiveEntries(join(sessionDir, RAW_FILE))) return false;
  try {
    unlinkSync(markerPath);
  } catch (error) {
    options.logger.debug(
      `session-finalize: could not remove ghost marker ${markerPath}: ${String(error)}`,
    );
    return false;
  }
  try {
    rmdirSync(sessionDir);
  } catch {
    // Not empty (a header-only raw.jsonl, notes): the directory stays, only the marker goes.
  }
  return true;
}
