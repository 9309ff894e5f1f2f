import type { Clock } from "../core/clock.ts";
import { AgentworkError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { EnqueueResult, NewWorkItem } from "../core/work-item.ts";
import { HandlerRegistry } from "../handlers/registry.ts";
import type { Storage } from "../queue/storage.ts";
import { AgentPause, type PauseState } from "../scheduler/agent-pause.ts";
import type { Scheduler } from "../scheduler/scheduler.ts";
import type { CancelReply } from "./replies.ts";

/**
 * Where the operations act: the running daemon's scheduler (which can stop a running agent and
 * wakes at once), or, when no daemon runs, the database and the handlers directly (which never
 * start an agent: the next daemon pass does).
 */
export interface WorkTarget {
  /** True in the daemon's own process. */
  readonly daemon: boolean;
  readonly storage: Storage;
  readonly handlers: HandlerRegistry;
  /** Queues an item and does its model-free work (exports); the daemon also wakes. */
  admit(item: NewWorkItem): Promise<EnqueueResult>;
  cancel(id: string): CancelReply;
  resume(): PauseState | null;
  /** Starts waiting work now; 0 without a daemon. */
  wake(): number;
  /** Cleanup, the ledger step and detection without the cooldown; how many were queued. */
  detect(): Promise<number>;
}

export function daemonTarget(scheduler: Scheduler, storage: Storage): WorkTarget {
  return {
    daemon: true,
    storage,
    handlers: scheduler.handlers,
    admit: (item) => scheduler.enqueue(item),
    cancel: (id) => scheduler.cancel(id),
    resume: () => scheduler.resume(),
    wake: () => scheduler.sync(),
    detect: () => scheduler.forceDetect(),
  };
}

/**
 * No daemon: the scheduler is only used for its detection pass (it is never started here, so
 * nothing claims work or runs an agent in a CLI process).
 */
export function offlineTarget(
  scheduler: Scheduler,
  storage: Storage,
  options: { clock: Clock; logger: Logger },
): WorkTarget {
  return {
    daemon: false,
    storage,
    handlers: scheduler.handlers,
    async admit(item) {
      const result = storage.queue.enqueue(item);
      if (result.ok) {
        await scheduler.handlers
          .get(result.item.type)
          ?.prepare?.(result.item)
          .catch((error: unknown) => {
            options.logger.warn(`model-free exports not written: ${(error as Error).message}`);
          });
      }
      return result;
    },
    cancel: (id) => storage.queue.cancel(id),
    resume: () => new AgentPause(storage.state, options.clock).resume(),
    wake: () => 0,
    detect: () => scheduler.detectOnly(true),
  };
}

/**
 * No daemon and no ledger: enough for the operations on the queue alone (retry, cancel, resume,
 * prune). Queuing new work or detecting needs the ledger's handlers.
 */
export function storageTarget(storage: Storage, options: { clock: Clock }): WorkTarget {
  const needsLedger = (): never => {
    throw new AgentworkError("E_USAGE", "this needs the ledger: give --ledger or set ledger", {
      retry: "never",
    });
  };
  return {
    daemon: false,
    storage,
    handlers: new HandlerRegistry(),
    admit: async () => needsLedger(),
    cancel: (id) => storage.queue.cancel(id),
    resume: () => new AgentPause(storage.state, options.clock).resume(),
    wake: () => 0,
    detect: async () => needsLedger(),
  };
}
