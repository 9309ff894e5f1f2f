/** Shared constants and shapes of session finalization (upstream §7). */

export const SESSION_FINALIZE_TYPE = "session-finalize";
/** Detected items run after hand-enqueued ones (lower runs first). */
export const DETECTED_PRIORITY = 10;
export const MANUAL_PRIORITY = 1;

export const RECORDING_MARKER = ".recording.json";
/** Written instead of deleting a discarded session (decisions.md: discard keeps the recording). */
export const DISCARDED_MARKER = ".discarded.json";
export const RAW_FILE = "raw.jsonl";
/** Canonical order; detection reports missing artifacts in this order. */
export const REQUIRED_ARTIFACTS = [
  "summary.md",
  "summary.json",
  "session.html",
  "session.md",
] as const;
export type ArtifactName = (typeof REQUIRED_ARTIFACTS)[number];
/** Legacy directory names that sit beside sessions and are never sessions themselves. */
export const LEGACY_DIRS: ReadonlySet<string> = new Set(["raw", "events"]);

export const HOUR_MS = 60 * 60 * 1000;
export const DEFAULT_STALE_AFTER_MS = 24 * HOUR_MS;
export const DEFAULT_GHOST_GRACE_MS = 10 * 60 * 1000;
export const DEFAULT_PROMPT_BUDGET_BYTES = 100 * 1024;

/** Work-item payload (JSON field names as upstream, plus session_name and source_dir). */
export interface SessionFinalizePayload {
  session_name: string;
  session_dir: string;
  raw_path: string;
  missing: ArtifactName[];
  ledger_path: string;
  /** Set when the session was found in a configured scan dir outside the ledger. */
  source_dir?: string;
  /** Summarize again although a summary.json exists (`enqueue --force`). */
  force?: boolean;
}

export function dedupKeyFor(name: string): string {
  return `${SESSION_FINALIZE_TYPE}:${name}`;
}

/** PID of the recording agent by agent id; 0 or undefined when unknown. */
export type PidLookup = (agentId: string) => number | undefined;

/** A session directory or name that detection refused to touch, and why. */
export interface RefusedEntry {
  path: string;
  reason: string;
}
