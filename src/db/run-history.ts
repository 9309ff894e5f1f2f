import { asc, eq } from "drizzle-orm";
import type { RunRecord, RunStatus } from "./run-store.ts";
import { runs } from "./schema.ts";
import type { Stores as Storage } from "./storage.ts";

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
  return storage.items.read(() =>
    storage.db.orm
      .select()
      .from(runs)
      .where(eq(runs.itemId, itemId))
      .orderBy(asc(runs.id))
      .all()
      .map((r) => ({ ...r, status: r.status as RunStatus })),
  );
}

/**
 * Each bucket is its own range query on the covering index `runs_usage`: a GROUP BY over the
 * computed bucket sorts every row in a temporary B-tree, several times slower at 100,000 rows
 * (bench/results/ui.md).
 */
function perBucket<T extends { runs: number }>(
  since: number,
  until: number,
  step: number,
  get: (from: number, to: number) => T | null,
): (T & { start: number })[] {
  const out: (T & { start: number })[] = [];
  for (let start = Math.floor(since / step) * step; start <= until; start += step) {
    const row = get(start, start + step);
    if (row && row.runs > 0) out.push({ ...row, start });
  }
  return out;
}

/** Runs per hour between `since` and `until` (ms epoch); hours without a run are absent. */
export function runsPerHour(storage: Storage, since: number, until: number): HourBucket[] {
  const query = storage.db.sqlite.query<{ runs: number }, [number, number]>(
    "SELECT COUNT(*) AS runs FROM runs WHERE started_at >= ? AND started_at < ?",
  );
  return storage.items.read(() =>
    perBucket(since, until, HOUR_MS, (from, to) => query.get(from, to)),
  );
}

/** Usage and outcomes per UTC day between `since` and `until`; days without a run are absent. */
export function usagePerDay(storage: Storage, since: number, until: number): DayBucket[] {
  const query = storage.db.sqlite.query<Omit<DayBucket, "start">, [number, number]>(
    `SELECT COUNT(*) AS runs,
            COALESCE(SUM(status = 'completed'), 0) AS completed,
            COALESCE(SUM(status IN ('failed', 'interrupted')), 0) AS failed,
            COALESCE(SUM(tokens_in), 0) AS tokens_in, COALESCE(SUM(tokens_out), 0) AS tokens_out,
            COALESCE(SUM(cost_usd), 0) AS cost_usd
       FROM runs WHERE started_at >= ? AND started_at < ?`,
  );
  return storage.items.read(() =>
    perBucket(since, until, DAY_MS, (from, to) => query.get(from, to)),
  );
}
