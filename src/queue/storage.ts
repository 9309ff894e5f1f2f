import { integerClock } from "../core/clock.ts";
import { openStores, type Stores, type StoresOptions } from "../db/storage.ts";
import { WorkQueue, type WorkQueueOptions } from "./work-queue.ts";

/** Everything persisted, behind one handle: the stores and the queue built on them. */
export interface Storage extends Stores {
  queue: WorkQueue;
}

export interface StorageOptions extends Omit<WorkQueueOptions, "clock">, StoresOptions {}

export function openStorage(path: string, options: StorageOptions): Storage {
  const clock = integerClock(options.clock);
  const stores = openStores(path, { clock, busyTimeoutMs: options.busyTimeoutMs });
  return { ...stores, queue: new WorkQueue(stores, { ...options, clock }) };
}
