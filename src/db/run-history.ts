import { asc, eq } from "drizzle-orm";
import type { RunRecord, RunStatus } from "./run-store.ts";
import { runs } from "./schema.ts";
import type { Storage } from "./storage.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Runs started in one hour (bucket start, ms epoch). */
export interface HourBucket {
  start: number;
  runs: number;
}

/** One UTC day of history: tokens, cost and outcomes of the runs started that day. */
export interface DayBucket {
  start: number;
  runs: number;
  completed: number;
  failed: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
}

/** Every run of one item, in the order they ran (the item page). */
export function runsForItem(storage: Storage, itemId: string): RunRecord[] {
  return storage.queue.store.read(() =>
    storage.db.orm
      .select()
      .from(runs)
      .where(eq(runs.itemId, itemId))
      .orderBy(asc(runs.id))
      .all()
      .map((r) => ({ ...r, status: r.status as RunStatus })),
  );
}

/** Runs per hour since `since` (ms epoch); hours without a run are absent. */
export function runsPerHour(storage: Storage, since: number): HourBucket[] {
  return storage.queue.store.read(() =>
    storage.db.sqlite
      .query<HourBucket, [number, number, number]>(
        `SELECT (started_at / ?) * ? AS start, COUNT(*) AS runs
           FROM runs WHERE started_at >= ? GROUP BY 1 ORDER BY 1`,
      )
      .all(HOUR_MS, HOUR_MS, since),
  );
}

/** Usage and outcomes per UTC day since `since`; days without a run are absent. */
export function usagePerDay(storage: Storage, since: number): DayBucket[] {
  return storage.queue.store.read(() =>
    storage.db.sqlite
      .query<DayBucket, [number, number, number]>(
        `SELECT (started_at / ?) * ? AS start, COUNT(*) AS runs,
                SUM(status = 'completed') AS completed,
                SUM(status IN ('failed', 'interrupted')) AS failed,
                SUM(tokens_in) AS tokens_in, SUM(tokens_out) AS tokens_out,
                COALESCE(SUM(cost_usd), 0) AS cost_usd
           FROM runs WHERE started_at >= ? GROUP BY 1 ORDER BY 1`,
      )
      .all(DAY_MS, DAY_MS, since),
  );
}
