import type { Database } from "bun:sqlite";
import { JOB_STATES, type JobState } from "../core/work-item.ts";
import type { CumulativeStats, RunRecord } from "./run-store.ts";

/**
 * The reads every `status` makes, as raw statements (cached by bun:sqlite) in a module that loads
 * no query builder: drizzle's builder costs ~0.5 ms per query in a process that has not run it
 * before, and drizzle with the table definitions ~3 ms of start (bench/results/cli.md). The
 * column lists spell schema.ts's names; test/queue/status-reads.test.ts keeps them equal.
 */
export const RUN_COLUMNS = [
  ["id", "id"],
  ["itemId", "item_id"],
  ["attempt", "attempt"],
  ["pid", "pid"],
  ["pidStartTicks", "pid_start_ticks"],
  ["workType", "work_type"],
  ["target", "target"],
  ["startedAt", "started_at"],
  ["finishedAt", "finished_at"],
  ["status", "status"],
  ["exitCode", "exit_code"],
  ["errorCode", "error_code"],
  ["error", "error"],
  ["tokensIn", "tokens_in"],
  ["tokensOut", "tokens_out"],
  ["costUsd", "cost_usd"],
  ["durationMs", "duration_ms"],
] as const;

export const STATS_COLUMNS = [
  ["totalInvocations", "total_invocations"],
  ["successes", "successes"],
  ["failures", "failures"],
  ["agentRuns", "agent_runs"],
  ["tokensIn", "tokens_in"],
  ["tokensOut", "tokens_out"],
  ["costUsd", "cost_usd"],
] as const;

const select = (columns: readonly (readonly [string, string])[]) =>
  columns.map(([key, name]) => `"${name}" AS "${key}"`).join(", ");
const RUN_SELECT = select(RUN_COLUMNS);
const STATS_SELECT = select(STATS_COLUMNS);

/** Items per state, from the six rows the triggers keep (migration 0005), not a scan. */
export function countsByState(db: Database): Record<JobState, number> {
  const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  const rows = db.query("SELECT state, items FROM state_counts").all() as {
    state: JobState;
    items: number;
  }[];
  for (const row of rows) counts[row.state] = row.items;
  return counts;
}

export function recentRuns(db: Database, limit: number): RunRecord[] {
  return db
    .query(`SELECT ${RUN_SELECT} FROM runs ORDER BY started_at DESC, id DESC LIMIT ?`)
    .all(limit) as RunRecord[];
}

export function activeRuns(db: Database): RunRecord[] {
  return db
    .query(`SELECT ${RUN_SELECT} FROM runs WHERE status = 'running' ORDER BY started_at`)
    .all() as RunRecord[];
}

export function cumulativeStats(db: Database): CumulativeStats {
  const row = db
    .query(`SELECT ${STATS_SELECT} FROM stats WHERE id = 1`)
    .get() as CumulativeStats | null;
  return {
    totalInvocations: row?.totalInvocations ?? 0,
    successes: row?.successes ?? 0,
    failures: row?.failures ?? 0,
    agentRuns: row?.agentRuns ?? 0,
    tokensIn: row?.tokensIn ?? 0,
    tokensOut: row?.tokensOut ?? 0,
    costUsd: row?.costUsd ?? 0,
  };
}
