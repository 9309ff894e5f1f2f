import { type Clock, integerClock } from "../core/clock.ts";
import { WorkQueue, type WorkQueueOptions } from "../queue/work-queue.ts";
import { type OpenedDatabase, openDatabase } from "./open-database.ts";
import { RunStore } from "./run-store.ts";
import { SourceStore } from "./source-store.ts";
import { StateStore } from "./state-store.ts";

/** Everything persisted, behind one handle: the queue, run history and scheduler state. */
export interface Storage {
  db: OpenedDatabase;
  queue: WorkQueue;
  runs: RunStore;
  state: StateStore;
  /** Imported agent transcripts (`sources`). */
  sources: SourceStore;
  /** Runs `fn` in one IMMEDIATE transaction: every store call inside commits together or not at all. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface StorageOptions extends Omit<WorkQueueOptions, "clock"> {
  clock: Clock;
  busyTimeoutMs?: number;
}

export function openStorage(path: string, options: StorageOptions): Storage {
  const clock = integerClock(options.clock);
  const db = openDatabase(path, { clock, busyTimeoutMs: options.busyTimeoutMs });
  const queue = new WorkQueue(db, { ...options, clock });
  return {
    db,
    queue,
    runs: new RunStore(db, queue.store),
    state: new StateStore(db, queue.store),
    sources: new SourceStore(db, queue.store),
    // Nested store writes become savepoints of this one transaction.
    transaction: (fn) => queue.store.write(fn),
    close: () => db.close(),
  };
}
