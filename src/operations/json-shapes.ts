import { isoTime } from "../core/clock.ts";
import type { WorkItem } from "../core/work-item.ts";
import type { RunRecord } from "../db/run-store.ts";

/**
 * The JSON that `queue --json` and `history --json` print (and the dashboard reads): snake_case
 * field names like status's, times as ISO-8601 text.
 */
export interface WorkItemJson {
  id: string;
  type: string;
  priority: number;
  dedup_key: string | null;
  payload: unknown;
  state: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  run_after: string;
  lease_owner_pid: number | null;
  lease_expires_at: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface RunJson {
  id: number;
  item_id: string | null;
  attempt: number;
  pid: number | null;
  work_type: string;
  target: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  exit_code: number | null;
  error_code: string | null;
  error: string | null;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number | null;
  duration_ms: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : isoTime(ms));

export function workItemJson(item: WorkItem): WorkItemJson {
  return {
    id: item.id,
    type: item.type,
    priority: item.priority,
    dedup_key: item.dedupKey,
    payload: item.payload,
    state: item.state,
    attempts: item.attempts,
    max_attempts: item.maxAttempts,
    last_error: item.lastError,
    run_after: isoTime(item.runAfter),
    lease_owner_pid: item.leaseOwnerPid,
    lease_expires_at: iso(item.leaseExpiresAt),
    created_at: isoTime(item.createdAt),
    updated_at: isoTime(item.updatedAt),
    finished_at: iso(item.finishedAt),
  };
}

export function runJson(run: RunRecord): RunJson {
  return {
    id: run.id,
    item_id: run.itemId,
    attempt: run.attempt,
    pid: run.pid,
    work_type: run.workType,
    target: run.target,
    started_at: isoTime(run.startedAt),
    finished_at: iso(run.finishedAt),
    status: run.status,
    exit_code: run.exitCode,
    error_code: run.errorCode,
    error: run.error,
    tokens_in: run.tokensIn,
    tokens_out: run.tokensOut,
    cost_usd: run.costUsd,
    duration_ms: run.durationMs,
  };
}
