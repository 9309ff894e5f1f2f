import type { SQLQueryBindings, Statement } from "bun:sqlite";
import { lazy } from "../core/lazy.ts";
import type { EnqueueResult, JobState, WorkItem } from "../core/work-item.ts";
import { databaseError } from "./database-error.ts";
import type { OpenedSqlite } from "./open-sqlite.ts";
import { WAITING_STATES_SQL } from "./state-sql.ts";
import { rowToWorkItem, type WorkItemRow } from "./work-item-row.ts";

export interface InsertRow {
  id: string;
  type: string;
  priority: number;
  dedupKey: string | null;
  payload: string;
  maxAttempts: number;
  createdAt: number;
  now: number;
}

export interface FailUpdate {
  now: number;
  code: string;
  message: string;
  /** false: fail for good whatever the attempt count. */
  retry: boolean;
  /** When the next attempt may run, if one is allowed. */
  runAfter: number;
}

const WAITING = `state IN (${WAITING_STATES_SQL})`;
const WAITING_COUNT = `(SELECT sum(items) FROM state_counts WHERE ${WAITING})`;

/**
 * Every SQL statement that touches work_items and attempt_errors, prepared once, on first use (a
 * CLI command that only reads never pays for the daemon's statements). Operations of
 * several statements (fail: update + error row) run inside BEGIN IMMEDIATE, so two processes
 * serialise on the write lock instead of failing with SQLITE_BUSY_SNAPSHOT halfway through a
 * read-then-write. Single-statement writes (enqueue with its cap check, claim, complete, extend,
 * requeue) run on their own: a write statement takes the write lock when it starts, which gives
 * the same guarantee without two extra statements per call.
 */
export class WorkItemStore {
  private readonly db: OpenedSqlite;
  private readonly depthNow: () => Statement<{ n: number }, []>;
  private readonly insertItem: () => Statement<WorkItemRow, SQLQueryBindings[]>;
  private readonly activeByKey: () => Statement<{ id: string }, [string]>;
  private readonly claimNext: () => Statement<
    WorkItemRow,
    [number, number, number, number, string | null]
  >;
  private readonly completeRunning: () => Statement<unknown, [number, number, string, number]>;
  private readonly failRunning: () => Statement<WorkItemRow, SQLQueryBindings[]>;
  private readonly insertAttemptError: () => Statement<unknown, SQLQueryBindings[]>;
  private readonly extend: () => Statement<unknown, [number, number, string, number]>;
  private readonly requeueRunning: () => Statement<unknown, SQLQueryBindings[]>;
  private readonly byId: () => Statement<WorkItemRow, [string]>;
  private readonly cancelRunningItem: () => Statement<unknown, [number, string, number]>;

  constructor(db: OpenedSqlite) {
    this.db = db;
    const q = db.sqlite;
    // O(1): triggers on work_items keep the count of items per state (migration 0005), in the
    // same transaction as the change, so the cap check reads two rows however long the queue is.
    this.depthNow = lazy(() => q.prepare(`SELECT ${WAITING_COUNT} AS n`));
    // One statement: the cap check (the trigger-kept count) and the insert take the write lock
    // together, so no explicit transaction is needed. The SELECT's WHERE is what SQLite requires
    // before ON CONFLICT in an INSERT … SELECT.
    this.insertItem = lazy(() =>
      q.prepare(
        `INSERT INTO work_items (id, type, priority, dedup_key, active_dedup_key, payload, state,
         attempts, max_attempts, run_after, created_at, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?4, ?5, 'queued', 0, ?6, ?7, ?8, ?9
       WHERE ${WAITING_COUNT} < ?10
       ON CONFLICT DO NOTHING RETURNING *`,
      ),
    );
    this.activeByKey = lazy(() =>
      q.prepare("SELECT id FROM work_items WHERE active_dedup_key = ?"),
    );
    // INDEXED BY: without it the planner (no ANALYZE stats) takes work_items_state and sorts every
    // waiting item on each claim, O(queue length); the claim index walks in ORDER BY order and
    // stops at the first runnable row. Preparing (at the first claim) fails loudly if the index is
    // ever renamed.
    // ?5: a JSON list of the types that may be claimed (handlers switched off are skipped), or
    // NULL for any type.
    this.claimNext = lazy(() =>
      q.prepare(
        `UPDATE work_items SET state = 'running', attempts = attempts + 1, lease_owner_pid = ?1,
         lease_expires_at = ?2, updated_at = ?3
       WHERE id = (SELECT id FROM work_items INDEXED BY work_items_claim
                   WHERE ${WAITING} AND run_after <= ?4
                     AND (?5 IS NULL OR type IN (SELECT value FROM json_each(?5)))
                   ORDER BY priority, created_at, id LIMIT 1)
       RETURNING *`,
      ),
    );
    // attempts is the fencing token: a completion from a run whose lease was rescued is refused.
    this.completeRunning = lazy(() =>
      q.prepare(
        `UPDATE work_items SET state = 'done', active_dedup_key = NULL, lease_owner_pid = NULL,
         lease_expires_at = NULL, last_error = NULL, finished_at = ?1, updated_at = ?2
       WHERE id = ?3 AND state = 'running' AND attempts = ?4`,
      ),
    );
    this.failRunning = lazy(() =>
      q.prepare(
        `UPDATE work_items SET
         state = CASE WHEN ?1 AND attempts < max_attempts THEN 'retry_wait' ELSE 'failed' END,
         finished_at = CASE WHEN ?1 AND attempts < max_attempts THEN NULL ELSE ?2 END,
         active_dedup_key = CASE WHEN ?1 AND attempts < max_attempts THEN dedup_key END,
         run_after = ?3, last_error = ?4, lease_owner_pid = NULL, lease_expires_at = NULL,
         updated_at = ?2
       WHERE id = ?5 AND state = 'running' AND attempts = ?6
       RETURNING *`,
      ),
    );
    this.insertAttemptError = lazy(() =>
      q.prepare(
        "INSERT INTO attempt_errors (item_id, attempt, at, code, message) VALUES (?, ?, ?, ?, ?)",
      ),
    );
    this.extend = lazy(() =>
      q.prepare(
        `UPDATE work_items SET lease_expires_at = ?1, updated_at = ?2
       WHERE id = ?3 AND state = 'running' AND attempts = ?4`,
      ),
    );
    // Back to 'queued' in one statement: the dedup key is never free, not even for a moment.
    this.requeueRunning = lazy(() =>
      q.prepare(
        `UPDATE work_items SET state = 'queued', attempts = attempts - ?1, lease_owner_pid = NULL,
         lease_expires_at = NULL, run_after = ?2, updated_at = ?2
       WHERE id = ?3 AND state = 'running' AND attempts = ?4`,
      ),
    );
    this.byId = lazy(() => q.prepare("SELECT * FROM work_items WHERE id = ?"));
    this.cancelRunningItem = lazy(() =>
      q.prepare(
        `UPDATE work_items SET state = 'cancelled', active_dedup_key = NULL, lease_owner_pid = NULL,
         lease_expires_at = NULL, finished_at = ?1, updated_at = ?1
       WHERE id = ?2 AND state = 'running' AND attempts = ?3`,
      ),
    );
  }

  /**
   * Full-queue check first (as upstream), then dedup via the partial unique index, in one
   * statement. When nothing was inserted, the reason is read afterwards: a full queue, else the
   * active item that holds the key.
   */
  insert(row: InsertRow, maxDepth: number): EnqueueResult {
    return this.single(() => {
      const inserted = this.insertItem().get(
        row.id,
        row.type,
        row.priority,
        row.dedupKey,
        row.payload,
        row.maxAttempts,
        row.now,
        row.createdAt,
        row.now,
        maxDepth,
      );
      if (inserted) return { ok: true, item: rowToWorkItem(inserted) };
      const depth = this.depthNow().get()?.n ?? 0;
      if (depth >= maxDepth) return { ok: false, reason: "full", depth, maxDepth };
      const existing = row.dedupKey === null ? null : this.activeByKey().get(row.dedupKey);
      return { ok: false, reason: "duplicate", existingId: existing?.id ?? null };
    });
  }

  claim(
    now: number,
    ownerPid: number,
    leaseExpiresAt: number,
    types: readonly string[] | null = null,
  ): WorkItem | null {
    const only = types === null ? null : JSON.stringify(types);
    const row = this.single(() => this.claimNext().get(ownerPid, leaseExpiresAt, now, now, only));
    return row ? rowToWorkItem(row) : null;
  }

  complete(id: string, attempt: number, now: number): boolean {
    return this.single(() => this.completeRunning().run(now, now, id, attempt).changes === 1);
  }

  /** Records the attempt's error and moves the item to retry_wait or failed. Null: lease lost. */
  fail(id: string, attempt: number, update: FailUpdate): WorkItem | null {
    return this.write(() => {
      const row = this.failRunning().get(
        update.retry ? 1 : 0,
        update.now,
        update.runAfter,
        update.message,
        id,
        attempt,
      );
      if (!row) return null;
      this.insertAttemptError().run(id, attempt, update.now, update.code, update.message);
      return rowToWorkItem(row);
    });
  }

  extendLease(id: string, attempt: number, expiresAt: number, now: number): boolean {
    return this.single(() => this.extend().run(expiresAt, now, id, attempt).changes === 1);
  }

  /** Puts a running item back in the queue; `refundAttempt` when the stop was ours, not its fault. */
  requeue(id: string, attempt: number, now: number, refundAttempt: boolean): boolean {
    return this.single(
      () => this.requeueRunning().run(refundAttempt ? 1 : 0, now, id, attempt).changes === 1,
    );
  }

  /** The owner of a running item stopped its agent at an operator's request. */
  cancelRunning(id: string, attempt: number, now: number): boolean {
    return this.single(() => this.cancelRunningItem().run(now, id, attempt).changes === 1);
  }

  get(id: string): WorkItem | null {
    return this.read(() => {
      const row = this.byId().get(id);
      return row ? rowToWorkItem(row) : null;
    });
  }

  /** Runs `fn` in BEGIN IMMEDIATE, mapping SQLite failures to typed errors. */
  write<T>(fn: () => T): T {
    try {
      return this.db.sqlite.transaction(fn).immediate();
    } catch (error) {
      throw databaseError(error, this.db.path);
    }
  }

  /** One statement on its own (autocommit), with SQLite failures mapped to typed errors. */
  single<T>(fn: () => T): T {
    return this.read(fn);
  }

  read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw databaseError(error, this.db.path);
    }
  }
}

export type { JobState };
