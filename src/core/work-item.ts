/**
 * A unit of background work and its lifecycle. The states are one closed union; the database
 * enforces the same list with a CHECK constraint (src/db/schema.ts) and docs/state-machine.md
 * draws the transitions.
 */
export const JOB_STATES = [
  "queued",
  "running",
  "retry_wait",
  "done",
  "failed",
  "cancelled",
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Items a claimer may take once `runAfter` has passed. These count against max_queue_depth. */
export const WAITING_STATES = ["queued", "retry_wait"] as const satisfies readonly JobState[];
/** States in which a dedup key is taken: a second item with the same key is rejected. */
export const DEDUP_STATES = [
  "queued",
  "running",
  "retry_wait",
] as const satisfies readonly JobState[];
/** Final states: the item stays visible until pruned. */
export const FINAL_STATES = ["done", "failed", "cancelled"] as const satisfies readonly JobState[];

export function isJobState(value: string): value is JobState {
  return (JOB_STATES as readonly string[]).includes(value);
}

export interface WorkItem<P = unknown> {
  /** UUIDv7: time-sortable, kept across retries. */
  id: string;
  type: string;
  /** Lower runs first. */
  priority: number;
  /** Empty means "no dedup". */
  dedupKey: string | null;
  payload: P;
  state: JobState;
  /** Attempts started so far (incremented when an item is claimed). */
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  /** Not claimable before this time (ms epoch); set by retry backoff. */
  runAfter: number;
  leaseOwnerPid: number | null;
  leaseExpiresAt: number | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface NewWorkItem<P = unknown> {
  type: string;
  payload: P;
  priority?: number;
  dedupKey?: string | null;
  /** Callers may fix the id and created time (tests, migrations); otherwise filled in. */
  id?: string;
  createdAt?: number;
  maxAttempts?: number;
}

export type EnqueueResult<P = unknown> =
  | { ok: true; item: WorkItem<P> }
  | { ok: false; reason: "duplicate"; existingId: string | null }
  | { ok: false; reason: "full"; depth: number; maxDepth: number };
