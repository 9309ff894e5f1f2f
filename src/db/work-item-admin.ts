import { and, asc, desc, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { JobState, WorkItem } from "../core/work-item.ts";
import type { OpenedDatabase } from "./open-database.ts";
import { attemptErrors, runs, workItems } from "./schema.ts";
import { countsByState } from "./status-reads.ts";
import { rowToWorkItem, type WorkItemRow } from "./work-item-row.ts";
import type { WorkItemStore } from "./work-item-store.ts";

export interface AttemptErrorRecord {
  attempt: number;
  at: number;
  code: string | null;
  message: string;
}

/** Result of an operator action on one item (cancel, retry). */
export type AdminResult =
  | { ok: true; item: WorkItem }
  | { ok: false; reason: "not_found" | "invalid_state" | "duplicate"; state?: JobState };

const toRow = (r: typeof workItems.$inferSelect): WorkItemRow => ({
  id: r.id,
  type: r.type,
  priority: r.priority,
  dedup_key: r.dedupKey,
  active_dedup_key: r.activeDedupKey,
  payload: r.payload,
  state: r.state,
  attempts: r.attempts,
  max_attempts: r.maxAttempts,
  last_error: r.lastError,
  run_after: r.runAfter,
  lease_owner_pid: r.leaseOwnerPid,
  lease_expires_at: r.leaseExpiresAt,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  finished_at: r.finishedAt,
});

/**
 * The less frequent queries: listings for the CLI, counts for status, operator actions and pruning.
 * These use drizzle's query builder; the hot claim/complete path in WorkItemStore uses prepared
 * statements (see bench/results/queue.md for why).
 */
export class WorkItemAdmin {
  constructor(
    private readonly db: OpenedDatabase,
    private readonly store: WorkItemStore,
  ) {}

  list(options: { state?: JobState; limit?: number } = {}): WorkItem[] {
    return this.store.read(() =>
      this.db.orm
        .select()
        .from(workItems)
        .where(options.state ? eq(workItems.state, options.state) : undefined)
        .orderBy(asc(workItems.priority), asc(workItems.createdAt), asc(workItems.id))
        .limit(options.limit ?? 1000)
        .all()
        .map((r) => rowToWorkItem(toRow(r))),
    );
  }

  countsByState(): Record<JobState, number> {
    return this.store.read(() => countsByState(this.db.sqlite));
  }

  /** Items waiting to run (queued + retry_wait): upstream's Len(). */
  depth(): number {
    const c = this.countsByState();
    return c.queued + c.retry_wait;
  }

  /** True while an item with this key is running (upstream's InProgress). */
  inProgress(dedupKey: string): boolean {
    return this.store.read(
      () =>
        this.db.orm
          .select({ id: workItems.id })
          .from(workItems)
          .where(and(eq(workItems.dedupKey, dedupKey), eq(workItems.state, "running")))
          .get() !== undefined,
    );
  }

  running(): WorkItem[] {
    return this.list({ state: "running", limit: 100_000 });
  }

  attemptErrors(itemId: string): AttemptErrorRecord[] {
    return this.store.read(() =>
      this.db.orm
        .select({
          attempt: attemptErrors.attempt,
          at: attemptErrors.at,
          code: attemptErrors.code,
          message: attemptErrors.message,
        })
        .from(attemptErrors)
        .where(eq(attemptErrors.itemId, itemId))
        .orderBy(asc(attemptErrors.id))
        .all(),
    );
  }

  /** Waiting items are cancelled here; a running one must be stopped by its owner first. */
  cancel(id: string, now: number): AdminResult {
    return this.store.write(() => {
      const item = this.store.get(id);
      if (!item) return { ok: false, reason: "not_found" };
      if (item.state !== "queued" && item.state !== "retry_wait") {
        return { ok: false, reason: "invalid_state", state: item.state };
      }
      this.db.orm
        .update(workItems)
        .set({ state: "cancelled", activeDedupKey: null, finishedAt: now, updatedAt: now })
        .where(eq(workItems.id, id))
        .run();
      return { ok: true, item: this.store.get(id)! };
    });
  }

  /** A failed or cancelled item goes back to the queue with a fresh attempt budget. */
  retry(id: string, now: number): AdminResult {
    return this.store.write(() => {
      const item = this.store.get(id);
      if (!item) return { ok: false, reason: "not_found" };
      if (item.state !== "failed" && item.state !== "cancelled") {
        return { ok: false, reason: "invalid_state", state: item.state };
      }
      try {
        this.db.orm
          .update(workItems)
          .set({
            state: "queued",
            activeDedupKey: item.dedupKey,
            attempts: 0,
            runAfter: now,
            finishedAt: null,
            updatedAt: now,
          })
          .where(eq(workItems.id, id))
          .run();
      } catch (error) {
        // Another active item already holds the dedup key.
        if (String((error as { code?: string }).code).startsWith("SQLITE_CONSTRAINT")) {
          return { ok: false, reason: "duplicate" };
        }
        throw error;
      }
      return { ok: true, item: this.store.get(id)! };
    });
  }

  failedIds(): string[] {
    return this.store.read(() =>
      this.db.orm
        .select({ id: workItems.id })
        .from(workItems)
        .where(eq(workItems.state, "failed"))
        .orderBy(asc(workItems.createdAt))
        .all()
        .map((r) => r.id),
    );
  }

  /** Removes finished items and history older than `cutoff`; returns how many of each. */
  prune(cutoff: number): { items: number; runs: number } {
    return this.store.write(() => {
      const items = this.db.orm
        .delete(workItems)
        .where(
          and(
            inArray(workItems.state, ["done", "failed", "cancelled"]),
            isNotNull(workItems.finishedAt),
            lt(workItems.finishedAt, cutoff),
          ),
        )
        .returning({ id: workItems.id })
        .all().length;
      const history = this.db.orm
        .delete(runs)
        .where(and(isNotNull(runs.finishedAt), lt(runs.finishedAt, cutoff)))
        .returning({ id: runs.id })
        .all().length;
      return { items, runs: history };
    });
  }

  newestFirst(limit: number): WorkItem[] {
    return this.store.read(() =>
      this.db.orm
        .select()
        .from(workItems)
        .orderBy(desc(workItems.updatedAt), sql`rowid DESC`)
        .limit(limit)
        .all()
        .map((r) => rowToWorkItem(toRow(r))),
    );
  }
}
