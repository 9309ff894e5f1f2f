import type { AgentworkError } from "../core/errors.ts";
import type { WorkItem } from "../core/work-item.ts";
import type { RunResult } from "../runners/runner.ts";

export type Trigger = "start" | "doctor" | "sync" | "enqueue" | "force-detect";

/** Passed to onComplete after each terminal outcome (success, or final failure). */
export interface WorkResult {
  item: WorkItem;
  success: boolean;
  output?: string;
  durationMs: number;
  error?: AgentworkError;
}

/** Named `subsystem:verb`; tests wait on these instead of sleeping. */
export type SchedulerEvents = {
  "job:queued": { item: WorkItem; by: Trigger };
  "job:started": { item: WorkItem };
  /** `result` and `runId` are null when the item needed no agent run. */
  "job:completed": { item: WorkItem; runId: number | null; result: RunResult | null };
  /** A usage limit: the item went back to the queue and all agent work pauses until `until`. */
  "job:paused": { item: WorkItem; error: AgentworkError; until: number };
  "job:retry": { item: WorkItem; error: AgentworkError };
  "job:failed": { item: WorkItem; error: AgentworkError };
  "job:interrupted": { item: WorkItem };
  "job:cancelled": { item: WorkItem };
  "job:rescued": { item: WorkItem };
  "scheduler:pass": { trigger: Trigger; queued: number; started: number };
  "scheduler:resumed": { pausedUntil: number | null };
  /** The database became unusable (deleted, replaced, corrupt, disk full): the daemon stops. */
  "scheduler:fatal": { error: AgentworkError };
};
