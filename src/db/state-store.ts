import type { OpenedSqlite } from "./open-sqlite.ts";
import type { WorkItemStore } from "./work-item-store.ts";

/**
 * Small persisted values the scheduler must not forget across restarts (rate-limit window,
 * per-handler detection times, the daemon's pid). Values are JSON text. Raw statements, cached by
 * bun:sqlite: `status` reads several keys and loads no query builder (open-sqlite.ts).
 */
export class StateStore {
  constructor(
    private readonly db: OpenedSqlite,
    private readonly store: WorkItemStore,
  ) {}

  get<T>(key: string): T | null {
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
      this.db.sqlite
        .query(
          `INSERT INTO worker_state (key, value, updated_at) VALUES (?1, ?2, ?3)
           ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3`,
        )
        .run(key, text, now),
    );
  }

  delete(key: string): void {
    this.store.write(() => this.db.sqlite.query("DELETE FROM worker_state WHERE key = ?").run(key));
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
