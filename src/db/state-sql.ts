import {
  DEDUP_STATES,
  FINAL_STATES,
  JOB_STATES,
  type JobState,
  WAITING_STATES,
} from "../core/work-item.ts";

/**
 * The job-state lists as SQL text, built from the one union in core/work-item.ts: the schema's
 * CHECK constraints and the queue's statements use these, never their own literals
 * (test/queue/state-lists.test.ts compares them with the migrated database).
 */
export function sqlStateList(states: readonly JobState[]): string {
  return states.map((state) => `'${state}'`).join(", ");
}

export const ALL_STATES_SQL = sqlStateList(JOB_STATES);
export const WAITING_STATES_SQL = sqlStateList(WAITING_STATES);
export const DEDUP_STATES_SQL = sqlStateList(DEDUP_STATES);
export const FINAL_STATES_SQL = sqlStateList(FINAL_STATES);
