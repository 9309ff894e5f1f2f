import type { Clock } from "../core/clock.ts";
import type { TypedEmitter } from "../core/events.ts";
import type { Logger } from "../core/logger.ts";
import { isProcessAlive, stopStrayGroup } from "../core/process.ts";
import type { Timers } from "../core/timers.ts";
import type { WorkItem } from "../core/work-item.ts";
import { rescueAbandoned } from "../queue/rescuer.ts";
import type { Storage } from "../queue/storage.ts";
import type { SchedulerEvents } from "./scheduler-events.ts";

/** TERM → KILL grace for an agent whose owner died. */
const STRAY_AGENT_GRACE_MS = 5_000;

export interface HousekeepingContext {
  storage: Storage;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  events: TypedEmitter<SchedulerEvents>;
  ownerPid: number;
  /** Whether this process is still working on `item` (its own leases are never rescued). */
  isActive: (item: WorkItem) => boolean;
}

/**
 * Items whose owner died go back to the queue; the agents those owners started are stopped
 * (TERM to the group, a grace, KILL), so a crashed daemon's agent does not go on spending.
 */
export function rescueAndStopStrays(ctx: HousekeepingContext): void {
  const { storage } = ctx;
  const { rescued, strayAgents } = rescueAbandoned({
    queue: storage.queue,
    runs: storage.runs,
    transaction: (fn) => storage.transaction(fn),
    now: ctx.clock.now(),
    isOwnerAlive: (pid, item) => (pid === ctx.ownerPid ? ctx.isActive(item) : isProcessAlive(pid)),
  });
  for (const item of rescued) {
    ctx.logger.warn(`rescued ${item.dedupKey ?? item.id}: ${item.lastError}`);
    ctx.events.emit("job:rescued", { item });
  }
  for (const agent of strayAgents) {
    if (stopStrayGroup(agent.pid, agent.startTicks, STRAY_AGENT_GRACE_MS, ctx.timers)) {
      ctx.logger.warn(`stopped agent pid ${agent.pid}, left running by its dead owner`);
    }
  }
}

/** Finished items and history older than `retention` go, on every doctor pass. */
export function pruneFinished(storage: Storage, retentionMs: number, logger: Logger): void {
  const removed = storage.queue.prune(retentionMs);
  if (removed.items + removed.runs > 0) {
    logger.info(
      `pruned ${removed.items} finished item(s) and ${removed.runs} history row(s) older than retention`,
    );
  }
}
