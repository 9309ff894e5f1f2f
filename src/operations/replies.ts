import { isoTime } from "../core/clock.ts";
import type { EnqueueResult } from "../core/work-item.ts";
import type { AdminResult } from "../db/work-item-admin.ts";
import type { PauseState } from "../scheduler/agent-pause.ts";

/**
 * What each operation answers: the same JSON (snake_case) from the socket, from the CLI without a
 * daemon, and from the dashboard.
 */
export interface EnqueueReply {
  queued: boolean;
  id?: string;
  reason?: "duplicate" | "full";
  existing_id?: string | null;
}

export interface RetryReply {
  results: ({ id: string } & AdminResult)[];
}

/** A waiting item cancelled at once, or (daemon) a running one being stopped. */
export interface CancelReply {
  ok: boolean;
  state?: string;
  reason?: string;
}

export interface ResumeReply {
  resumed: boolean;
  /** The end of the pause that was ended early, ISO-8601. */
  was_paused_until: string | null;
}

export interface PruneReply {
  items: number;
  runs: number;
}

export interface DetectReply {
  queued: number;
}

export interface SyncReply {
  started: number;
}

export function enqueueReply(result: EnqueueResult): EnqueueReply {
  if (result.ok) return { queued: true, id: result.item.id };
  return {
    queued: false,
    reason: result.reason,
    ...(result.reason === "duplicate" ? { existing_id: result.existingId } : {}),
  };
}

export function resumeReply(ended: PauseState | null): ResumeReply {
  return { resumed: ended !== null, was_paused_until: ended ? isoTime(ended.until) : null };
}
