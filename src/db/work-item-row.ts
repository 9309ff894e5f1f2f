import type { JobState, WorkItem } from "../core/work-item.ts";

/** A work_items row as SQLite returns it (snake_case, payload as JSON text). */
export interface WorkItemRow {
  id: string;
  type: string;
  priority: number;
  dedup_key: string | null;
  active_dedup_key: string | null;
  payload: string;
  state: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  run_after: number;
  lease_owner_pid: number | null;
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export function rowToWorkItem<P = unknown>(row: WorkItemRow): WorkItem<P> {
  return {
    id: row.id,
    type: row.type,
    priority: row.priority,
    dedupKey: row.dedup_key,
    payload: JSON.parse(row.payload) as P,
    // The CHECK constraint guarantees the value is one of JOB_STATES.
    state: row.state as JobState,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    runAfter: row.run_after,
    leaseOwnerPid: row.lease_owner_pid,
    leaseExpiresAt: row.lease_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
