import type { Logger } from "../core/logger.ts";
import type { Timers } from "../core/timers.ts";
import type { WorkItem } from "../core/work-item.ts";
import type { WorkQueue } from "../queue/work-queue.ts";

/**
 * Extends a running item's lease every third of its length, so a rescuer never takes an item
 * whose agent is still working. Returns the function that stops it.
 */
export function keepLeaseFresh(
  queue: WorkQueue,
  item: WorkItem,
  options: { timers: Timers; leaseMs: number; logger: Logger },
): () => void {
  const handle = options.timers.setInterval(
    () => {
      try {
        queue.extendLease(item);
      } catch (error) {
        // A locked database for one beat is harmless: the lease has two more beats to go.
        options.logger.warn(
          `could not extend the lease of ${item.id}: ${(error as Error).message}`,
        );
      }
    },
    Math.max(1_000, Math.floor(options.leaseMs / 3)),
  );
  return () => options.timers.clearInterval(handle);
}
