import { v4 as uuidv4, v7 as uuidv7 } from "uuid";
import { type Clock, integerClock, timeAfter } from "../core/clock.ts";
import { AgentworkError } from "../core/errors.ts";
import type { EnqueueResult, JobState, NewWorkItem, WorkItem } from "../core/work-item.ts";
import type { AdminResult, WorkItemAdmin } from "../db/work-item-admin.ts";
import type { WorkItemStore } from "../db/work-item-store.ts";
import { retryDelayMs } from "./backoff.ts";

export const MAX_QUEUE_DEPTH_DEFAULT = 100;
export const MAX_ATTEMPTS_DEFAULT = 3;
/** A claimed item's lease; the runner extends it while the agent runs (every third of it). */
export const LEASE_MS_DEFAULT = 2 * 60_000;

export interface WorkQueueOptions {
  clock: Clock;
  /** The pid recorded as lease owner, so a rescuer can tell whether the owner still lives. */
  ownerPid: number;
  maxQueueDepth?: number;
  maxAttempts?: number;
  leaseMs?: number;
  /** Delay before the next attempt after a retryable failure; exponential with jitter. */
  retryDelay?: (attempt: number) => number;
}

/**
 * Upstream's WorkQueue (enqueue / dequeue / complete / requeue / inProgress / len), made durable:
 * every operation is one short SQLite transaction, dedup is a partial unique index, and a claimed
 * item carries a lease so a crash never loses it.
 */
export class WorkQueue {
  readonly store: WorkItemStore;
  readonly admin: WorkItemAdmin;
  private readonly clock: Clock;
  private readonly ownerPid: number;
  private readonly leaseMs: number;
  private readonly retryDelay: (attempt: number) => number;
  maxQueueDepth: number;
  maxAttempts: number;

  constructor(stores: { items: WorkItemStore; admin: WorkItemAdmin }, options: WorkQueueOptions) {
    this.store = stores.items;
    this.admin = stores.admin;
    this.clock = integerClock(options.clock);
    this.ownerPid = options.ownerPid;
    this.leaseMs = options.leaseMs ?? LEASE_MS_DEFAULT;
    this.retryDelay = options.retryDelay ?? ((attempt) => retryDelayMs(attempt));
    this.maxQueueDepth = options.maxQueueDepth ?? MAX_QUEUE_DEPTH_DEFAULT;
    this.maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS_DEFAULT;
  }

  /** Rejects when the queue is full (checked first, as upstream) or the dedup key is active. */
  enqueue<P>(item: NewWorkItem<P>): EnqueueResult<P> {
    const now = this.clock.now();
    const createdAt = item.createdAt ?? now;
    return this.store.insert(
      {
        id: item.id ?? newItemId(createdAt),
        type: item.type,
        priority: item.priority ?? 0,
        dedupKey: item.dedupKey ? item.dedupKey : null,
        payload: JSON.stringify(item.payload ?? null),
        maxAttempts: item.maxAttempts ?? this.maxAttempts,
        createdAt,
        now,
      },
      this.maxQueueDepth,
    ) as EnqueueResult<P>;
  }

  /**
   * Claims the best runnable item (priority, then created time, then id) or returns null;
   * `types` limits it to those work types (handlers that are switched off are skipped).
   */
  dequeue(types: readonly string[] | null = null): WorkItem | null {
    const now = this.clock.now();
    return this.store.claim(now, this.ownerPid, timeAfter(now, this.leaseMs), types);
  }

  complete(item: WorkItem): void {
    if (!this.store.complete(item.id, item.attempts, this.clock.now())) throw leaseLost(item);
  }

  /**
   * Ends the current attempt with an error. Retryable errors wait (backoff, or the error's own
   * retryAfterMs) until max_attempts is reached; the rest fail at once. Returns the updated item.
   */
  fail(item: WorkItem, error: AgentworkError): WorkItem {
    const updated = this.tryFail(item, error);
    if (!updated) throw leaseLost(item);
    return updated;
  }

  /** Like fail, but null instead of an error when the lease was lost (rescued meanwhile). */
  tryFail(item: WorkItem, error: AgentworkError): WorkItem | null {
    const now = this.clock.now();
    const delay = error.retryAfterMs ?? this.retryDelay(item.attempts);
    return this.store.fail(item.id, item.attempts, {
      now,
      code: error.code,
      message: error.message,
      retry: error.retry === "retry",
      runAfter: timeAfter(now, delay),
    });
  }

  /**
   * Puts a running item straight back in the queue, keeping its id and created time (so its
   * place in line) and never freeing its dedup key. `refundAttempt` for stops that were not the
   * item's fault (graceful shutdown).
   */
  requeue(item: WorkItem, options: { refundAttempt: boolean }): boolean {
    return this.store.requeue(item.id, item.attempts, this.clock.now(), options.refundAttempt);
  }

  extendLease(item: WorkItem): boolean {
    const now = this.clock.now();
    return this.store.extendLease(item.id, item.attempts, timeAfter(now, this.leaseMs), now);
  }

  inProgress(dedupKey: string): boolean {
    return this.admin.inProgress(dedupKey);
  }

  /** Items waiting to run (queued + retry_wait), not counting running ones. */
  len(): number {
    return this.admin.depth();
  }

  get(id: string): WorkItem | null {
    return this.store.get(id);
  }

  list(options: { state?: JobState; limit?: number } = {}): WorkItem[] {
    return this.admin.list(options);
  }

  counts(): Record<JobState, number> {
    return this.admin.countsByState();
  }

  cancel(id: string): AdminResult {
    return this.admin.cancel(id, this.clock.now());
  }

  /** Cancels an item this process is running, once its agent has been stopped. */
  cancelRunning(item: WorkItem): boolean {
    return this.store.cancelRunning(item.id, item.attempts, this.clock.now());
  }

  retry(id: string): AdminResult {
    return this.admin.retry(id, this.clock.now());
  }

  prune(olderThanMs: number): { items: number; runs: number } {
    return this.admin.prune(this.clock.now() - olderThanMs);
  }
}

/** UUIDv7 (time-sortable) from the injected clock; v4 if v7 generation fails, as upstream. */
export function newItemId(ms: number): string {
  try {
    return uuidv7({ msecs: ms });
  } catch {
    return uuidv4();
  }
}

function leaseLost(item: WorkItem): AgentworkError {
  return new AgentworkError(
    "E_INVALID_STATE",
    `work item ${item.id} (attempt ${item.attempts}) is no longer running under this lease`,
    { retry: "never" },
  );
}
