import type { JobState } from "../core/work-item.ts";
import { type OpenOptions, openSqlite } from "./open-sqlite.ts";
import type { CumulativeStats, RunRecord } from "./run-store.ts";
import { StateStore } from "./state-store.ts";
import { activeRuns, countsByState, cumulativeStats, recentRuns } from "./status-reads.ts";
import { WorkItemStore } from "./work-item-store.ts";

/**
 * What a status report reads. The full Storage has this shape (its queue, runs and state); the
 * CLI's `status` opens this alone, so it loads neither drizzle nor the table definitions nor
 * the queue (bench/results/cli.md).
 */
export interface StatusStorage {
  queue: { counts(): Record<JobState, number> };
  runs: {
    active(): RunRecord[];
    recent(limit: number): RunRecord[];
    stats(): CumulativeStats;
  };
  state: StateStore;
}

export function openStatusStorage(
  path: string,
  options: OpenOptions,
): StatusStorage & { close(): void } {
  const db = openSqlite(path, options);
  const items = new WorkItemStore(db);
  const read = <T>(fn: () => T) => items.read(fn);
  return {
    queue: { counts: () => read(() => countsByState(db.sqlite)) },
    runs: {
      active: () => read(() => activeRuns(db.sqlite)),
      recent: (limit) => read(() => recentRuns(db.sqlite, limit)),
      stats: () => read(() => cumulativeStats(db.sqlite)),
    },
    state: new StateStore(db, items),
    close: () => db.close(),
  };
}
