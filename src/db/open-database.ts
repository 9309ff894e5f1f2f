import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import type { Clock } from "../core/clock.ts";
import { AgentworkError } from "../core/errors.ts";
import { fileIdentity, freeBytesNear, isDirectory, verifyDatabaseFile } from "./database-file.ts";
import { applyMigrations } from "./migrate.ts";
import { embeddedMigrations } from "./migrations.gen.ts";

/** No relational schema: only the query builder is used, and building one costs ~3 ms per start. */
export type Drizzle = BunSQLiteDatabase;

export interface OpenedDatabase {
  sqlite: Database;
  orm: Drizzle;
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

/**
 * Opens (creating if needed) the agentwork database: WAL so readers never block the daemon,
 * busy_timeout so short write contention waits instead of failing, foreign keys on, then the
 * embedded migrations. Low-level SQLite failures become typed errors a user can act on.
 */
export function openDatabase(path: string, options: OpenOptions): OpenedDatabase {
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
      orm: drizzle(sqlite),
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

/** Maps SQLite's error codes to agentwork's: locked (exit 3, try later) versus unusable. */
export function databaseError(error: unknown, path: string): AgentworkError {
  if (error instanceof AgentworkError) return error;
  const code = (error as { code?: string }).code ?? "";
  const message = error instanceof Error ? error.message : String(error);
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new AgentworkError(
      "E_DB_LOCKED",
      `database ${path} is locked by another process (${message}); try again when it is done`,
      { cause: error },
    );
  }
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new AgentworkError(
      "E_DB_CORRUPT",
      `database ${path} is not a usable agentwork database (${message}); move it aside or point --db elsewhere`,
      { retry: "never", cause: error },
    );
  }
  if (code.startsWith("SQLITE_FULL") || /disk is full/i.test(message)) {
    return diskFull(path, error);
  }
  if (code.startsWith("SQLITE_CANTOPEN") && isDirectory(path)) {
    return new AgentworkError(
      "E_DB",
      `--db ${path} is a directory; give the database file's path (e.g. ${path}/agentwork.db)`,
      { retry: "never", cause: error },
    );
  }
  // "disk I/O error" at start is most often a full disk: say so when it is.
  if (code.startsWith("SQLITE_IOERR")) {
    const free = freeBytesNear(path);
    if (free !== null && free < 1024 * 1024) return diskFull(path, error);
  }
  return new AgentworkError("E_DB", `database ${path}: ${message}`, { cause: error });
}

function diskFull(path: string, error: unknown): AgentworkError {
  return new AgentworkError(
    "E_DISK_FULL",
    `disk full: cannot write the database ${path} (${dirname(path)} has no space left); free some space and start again`,
    { cause: error },
  );
}
