import { sql } from "drizzle-orm";
import { sqliteView } from "drizzle-orm/sqlite-core";
import { runs, workItems } from "./schema.ts";

/**
 * Readable views (ISO-8601 times) for people opening the file with sqlite3. Kept out of
 * schema.ts because building them runs drizzle's query builder, about 3 ms at every start of
 * the executable, and no code reads them: only drizzle-kit does (drizzle.config.ts lists both
 * files).
 */
const iso = (column: string) =>
  sql.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', ${column} / 1000.0, 'unixepoch')`);

export const workItemsReadable = sqliteView("work_items_readable").as((qb) =>
  qb
    .select({
      id: workItems.id,
      type: workItems.type,
      priority: workItems.priority,
      dedupKey: workItems.dedupKey,
      state: workItems.state,
      attempts: workItems.attempts,
      maxAttempts: workItems.maxAttempts,
      lastError: workItems.lastError,
      runAfter: sql<string>`${iso("run_after")}`.as("run_after_iso"),
      leaseOwnerPid: workItems.leaseOwnerPid,
      leaseExpiresAt: sql<string>`${iso("lease_expires_at")}`.as("lease_expires_at_iso"),
      createdAt: sql<string>`${iso("created_at")}`.as("created_at_iso"),
      updatedAt: sql<string>`${iso("updated_at")}`.as("updated_at_iso"),
      finishedAt: sql<string>`${iso("finished_at")}`.as("finished_at_iso"),
      payload: workItems.payload,
    })
    .from(workItems),
);

export const runsReadable = sqliteView("runs_readable").as((qb) =>
  qb
    .select({
      id: runs.id,
      itemId: runs.itemId,
      attempt: runs.attempt,
      pid: runs.pid,
      workType: runs.workType,
      target: runs.target,
      status: runs.status,
      startedAt: sql<string>`${iso("started_at")}`.as("started_at_iso"),
      finishedAt: sql<string>`${iso("finished_at")}`.as("finished_at_iso"),
      durationMs: runs.durationMs,
      exitCode: runs.exitCode,
      errorCode: runs.errorCode,
      error: runs.error,
      tokensIn: runs.tokensIn,
      tokensOut: runs.tokensOut,
      costUsd: runs.costUsd,
    })
    .from(runs),
);
