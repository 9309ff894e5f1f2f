import { type Clock, integerClock } from "../core/clock.ts";
import { type OpenedDatabase, openDatabase } from "./open-database.ts";
import { RunStore } from "./run-store.ts";
import { SourceStore } from "./source-store.ts";
import { StateStore } from "./state-store.ts";
import { WorkItemAdmin } from "./work-item-admin.ts";
import { WorkItemStore } from "./work-item-store.ts";

/**
 * Every store over one database file, with one transaction they share: `transaction(fn)` makes
 * any set of store calls commit together (nested store writes become savepoints of it).
 */
export interface Stores {
  db: OpenedDatabase;
  items: WorkItemStore;
  admin: WorkItemAdmin;
  runs: RunStore;
  state: StateStore;
  /** Imported agent transcripts (`sources`). */
  sources: SourceStore;
  /** Runs `fn` in one IMMEDIATE transaction: every store call inside commits together or not at all. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface StoresOptions {
  clock: Clock;
  busyTimeoutMs?: number;
}

export function openStores(path: string, options: StoresOptions): Stores {
  const db = openDatabase(path, {
    clock: integerClock(options.clock),
    busyTimeoutMs: options.busyTimeoutMs,
  });
  const items = new WorkItemStore(db);
  return {
    db,
    items,
    admin: new WorkItemAdmin(db, items),
    runs: new RunStore(db, items),
    state: new StateStore(db, items),
    sources: new SourceStore(db, items),
    transaction: (fn) => items.write(fn),
    close: () => db.close(),
  };
}
