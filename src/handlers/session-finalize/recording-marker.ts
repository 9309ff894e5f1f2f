import { statSync } from "node:fs";
import { hostname } from "node:os";
import type { Clock } from "../../core/clock.ts";
import { isProcessAlive } from "../../core/process.ts";
import { readRegularFileSync } from "../../core/regular-file.ts";
import type { PidLookup } from "./types.ts";

/** The subset of `.recording.json` (upstream RecordingState) that finalization reads. */
export interface RecordingState {
  agent_id?: string;
  started_at?: string;
  adapter_name?: string;
  session_file?: string;
  session_path?: string;
  parent_pid?: number;
  /** Host that wrote the marker; its pids mean nothing on another machine. */
  host?: string;
}

export type StaleMethod = "time_threshold" | "time_not_reached" | "pid_dead" | "pid_alive";

export interface StaleVerdict {
  stale: boolean;
  ageMs: number;
  method: StaleMethod;
  pidSource?: "parent_pid" | "lookup";
  /** Set when the marker was written on another host: its pid was not checked. */
  otherHost?: string;
}

/** Parsed marker, or null when it cannot be read or is not a JSON object. */
export function readMarker(path: string): RecordingState | null {
  try {
    const parsed: unknown = JSON.parse(readRegularFileSync(path, { maxBytes: 1024 * 1024 }));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as RecordingState)
      : null;
  } catch {
    return null;
  }
}

function byTime(ageMs: number, staleAfterMs: number): StaleVerdict {
  // Strictly greater-than, as upstream: exactly 24 h is not yet stale.
  return ageMs > staleAfterMs
    ? { stale: true, ageMs, method: "time_threshold" }
    : { stale: false, ageMs, method: "time_not_reached" };
}

/**
 * Upstream's isStaleRecording (§7.5). A live parent pid is never stale whatever the age; a dead
 * one is stale at once; without a pid the marker is stale after `staleAfterMs`. Pids are checked
 * only for markers written on this host (`host` absent or equal); others go by age. A corrupt or
 * unreadable marker is judged by its mtime. Returns null when the marker vanished meanwhile.
 */
export function judgeMarker(
  markerPath: string,
  options: { clock: Clock; staleAfterMs: number; pidLookup?: PidLookup; host?: string },
): StaleVerdict | null {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(markerPath).mtimeMs;
  } catch {
    return null;
  }
  const now = options.clock.now();
  const state = readMarker(markerPath);
  if (!state) return byTime(now - mtimeMs, options.staleAfterMs);
  const started = typeof state.started_at === "string" ? Date.parse(state.started_at) : Number.NaN;
  const ageMs = Number.isFinite(started) && started > 0 ? now - started : now - mtimeMs;
  const here = options.host ?? hostname();
  if (typeof state.host === "string" && state.host !== "" && state.host !== here) {
    // Another machine's pid cannot be checked from here: the age rule decides.
    return { ...byTime(ageMs, options.staleAfterMs), otherHost: state.host };
  }
  let pid = 0;
  let pidSource: StaleVerdict["pidSource"];
  if (typeof state.parent_pid === "number" && state.parent_pid > 0) {
    pid = state.parent_pid;
    pidSource = "parent_pid";
  } else if (options.pidLookup && typeof state.agent_id === "string" && state.agent_id !== "") {
    pid = options.pidLookup(state.agent_id) ?? 0;
    if (pid > 0) pidSource = "lookup";
  }
  if (pid > 0 && pidSource) {
    return isProcessAlive(pid)
      ? { stale: false, ageMs, method: "pid_alive", pidSource }
      : { stale: true, ageMs, method: "pid_dead", pidSource };
  }
  return byTime(ageMs, options.staleAfterMs);
}
