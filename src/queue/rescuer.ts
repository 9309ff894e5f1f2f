import { AgentworkError } from "../core/errors.ts";
import type { WorkItem } from "../core/work-item.ts";
import type { RunStore } from "../db/run-store.ts";
import type { WorkQueue } from "./work-queue.ts";

export interface RescueOptions {
  queue: WorkQueue;
  runs: RunStore;
  /** The stores' shared transaction: an item and its run rows settle together. */
  transaction: <T>(fn: () => T) => T;
  now: number;
  /** Whether the lease owner is still alive and working on this item (a pid probe, at least). */
  isOwnerAlive: (pid: number, item: WorkItem) => boolean;
}

/**
 * Returns running items whose owner died (kill -9, OOM, power loss) or whose lease expired to
 * the queue, with the attempt counted: retry_wait (runnable at once), or failed past max_attempts.
 * Their open history rows are closed as interrupted. The lease's attempt number fences the old
 * owner: if it was only slow, its later complete() is refused instead of double-recording.
 */
export interface RescueResult {
  rescued: WorkItem[];
  /** Agents their dead owners started, that may still run (and spend tokens): stop them. */
  strayAgents: { pid: number; startTicks: number }[];
}

export function rescueAbandoned(options: RescueOptions): RescueResult {
  const rescued: WorkItem[] = [];
  const strayAgents: RescueResult["strayAgents"] = [];
  for (const item of options.queue.admin.running()) {
    const pid = item.leaseOwnerPid ?? 0;
    const expired = (item.leaseExpiresAt ?? 0) < options.now;
    const ownerDead = !options.isOwnerAlive(pid, item);
    if (!expired && !ownerDead) continue;
    const reason = ownerDead
      ? `owner pid ${pid} died while running attempt ${item.attempts}`
      : `lease expired while running attempt ${item.attempts} (owner pid ${pid})`;
    try {
      options.transaction(() => {
        const updated = options.queue.fail(
          item,
          // No backoff: the owner crashed, not the item, so the next pass may run it at once.
          new AgentworkError("E_LEASE_LOST", reason, { retry: "retry", retryAfterMs: 0 }),
        );
        strayAgents.push(...options.runs.interruptOpenRuns([item.id], options.now, reason));
        rescued.push(updated);
      });
    } catch (error) {
      // Someone else settled it between our read and write; that is fine.
      if (!(error instanceof AgentworkError && error.code === "E_INVALID_STATE")) throw error;
    }
  }
  return { rescued, strayAgents };
}
