import { eq } from "drizzle-orm";
import type { OpenedDatabase } from "./open-database.ts";
import { workerState } from "./schema.ts";
import type { WorkItemStore } from "./work-item-store.ts";

/**
 * Small persisted values the scheduler must not forget across restarts (rate-limit window,
 * per-handler detection times, the daemon's pid). Values are JSON text.
 */
export class StateStore {
  constructor(
    private readonly db: OpenedDatabase,
    private readonly store: WorkItemStore,
  ) {}

  get<T>(key: string): T | null {
    // Raw and cached by bun:sqlite: `status` reads several keys in a cold process.
    const row = this.store.read(
      () =>
        this.db.sqlite.query("SELECT value FROM worker_state WHERE key = ?").get(key) as {
          value: string;
        } | null,
    );
    return row ? (JSON.parse(row.value) as T) : null;
  }

  set(key: string, value: unknown, now: number): void {
    const text = JSON.stringify(value);
    this.store.write(() =>
      this.db.orm
        .insert(workerState)
        .values({ key, value: text, updatedAt: now })
        .onConflictDoUpdate({ target: workerState.key, set: { value: text, updatedAt: now } })
        .run(),
    );
  }

  delete(key: string): void {
    this.store.write(() => this.db.orm.delete(workerState).where(eq(workerState.key, key)).run());
  }

  /** Read-modify-write in one IMMEDIATE transaction (e.g. spending a rate-limit token). */
  update<T, R>(key: string, now: number, fn: (current: T | null) => { value: T; result: R }): R {
    return this.store.write(() => {
      const { value, result } = fn(this.get<T>(key));
      this.set(key, value, now);
      return result;
    });
  }
}
