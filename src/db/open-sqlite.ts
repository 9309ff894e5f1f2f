import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Clock } from "../core/clock.ts";
import { databaseError } from "./database-error.ts";
import { fileIdentity, verifyDatabaseFile } from "./database-file.ts";
import { applyMigrations } from "./migrate.ts";
import { embeddedMigrations } from "./migrations.gen.ts";

/**
 * The database file opened and migrated, without the query builder: the raw statements of the
 * stores need only this, and `status` opens nothing more (drizzle and the table definitions cost
 * ~3 ms of every start that loads them, bench/results/cli.md).
 */
export interface OpenedSqlite {
  sqlite: Database;
  path: string;
  /** Throws E_DB_GONE / E_DB_CORRUPT when the path no longer names the opened database. */
  verify(): void;
  close(): void;
}

export interface OpenOptions {
  clock: Clock;
  /** How long a statement waits for another process's write lock before E_DB_LOCKED. */
  busyTimeoutMs?: number;
  /** Apply pending migrations (the daemon and writers do; read-only commands still need a schema). */
  migrate?: boolean;
}

export const BUSY_TIMEOUT_MS_DEFAULT = 5_000;

export function openSqlite(path: string, options: OpenOptions): OpenedSqlite {
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const sqlite = new Database(path, { create: true, strict: true });
    try {
      sqlite.run(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS_DEFAULT}`);
      sqlite.run("PRAGMA journal_mode = WAL");
      sqlite.run("PRAGMA synchronous = NORMAL");
      sqlite.run("PRAGMA foreign_keys = ON");
      if (options.migrate !== false) applyMigrations(sqlite, embeddedMigrations, options.clock);
    } catch (error) {
      sqlite.close();
      throw error;
    }
    const identity = path === ":memory:" ? null : fileIdentity(path);
    return {
      sqlite,
      path,
      verify: () => {
        if (identity !== null) verifyDatabaseFile(path, identity);
      },
      close: () => sqlite.close(),
    };
  } catch (error) {
    throw databaseError(error, path);
  }
}
