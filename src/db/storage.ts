import type { Clock } from "../core/clock.ts";
import { WorkQueue, type WorkQueueOptions } from "../queue/work-queue.ts";
import { type OpenedDatabase, openDatabase } from "./open-database.ts";
import { RunStore } from "./run-store.ts";
import { StateStore } from "./state-store.ts";

/** Everything persisted, behind one handle: the queue, run history and scheduler state. */
export interface Storage {
  db: OpenedDatabase;
  queue: WorkQueue;
  runs: RunStore;
  state: StateStore;
  close(): void;
}

export interface StorageOptions extends Omit<WorkQueueOptions, "clock"> {
  clock: Clock;
  busyTimeoutMs?: number;
}

export function openStorage(path: string, options: StorageOptions): Storage {
  const db = openDatabase(path, { clock: options.clock, busyTimeoutMs: options.busyTimeoutMs });
  const queue = new WorkQueue(db, options);
  return {
    db,
    queue,
    runs: new RunStore(db, queue.store),
    state: new StateStore(db, queue.store),
    close: () => db.close(),
  };
}
