import { closeSync, openSync, readSync, statfsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { AgentworkError } from "../core/errors.ts";

/** Which file the daemon opened: a path can come to name another file, or none. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

const SQLITE_HEADER = "SQLite format 3\0";

export function fileIdentity(path: string): FileIdentity | null {
  try {
    const stat = statSync(path);
    return { dev: stat.dev, ino: stat.ino };
  } catch {
    return null;
  }
}

/**
 * Throws E_DB_GONE when `path` no longer names the file that was opened (deleted, moved,
 * replaced) or no longer holds a SQLite database (overwritten): a daemon that went on writing
 * to an unlinked file would lose its queue and history when it exits.
 */
export function verifyDatabaseFile(path: string, opened: FileIdentity): void {
  const now = fileIdentity(path);
  if (now === null) {
    throw new AgentworkError(
      "E_DB_GONE",
      `database ${path} was deleted while the daemon ran; it stops now so nothing more is written to a file no one can open (restart it to start a new database)`,
      { retry: "never" },
    );
  }
  if (now.dev !== opened.dev || now.ino !== opened.ino) {
    throw new AgentworkError(
      "E_DB_GONE",
      `database ${path} was replaced by another file while the daemon ran; it stops now (restart it to use the new file)`,
      { retry: "never" },
    );
  }
  const header = Buffer.alloc(SQLITE_HEADER.length);
  let read = 0;
  try {
    const fd = openSync(path, "r");
    try {
      read = readSync(fd, header, 0, header.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new AgentworkError("E_DB_GONE", `database ${path} cannot be read: ${String(error)}`, {
      retry: "never",
      cause: error,
    });
  }
  if (read === header.length && header.toString("latin1") !== SQLITE_HEADER) {
    throw new AgentworkError(
      "E_DB_CORRUPT",
      `database ${path} was overwritten with something that is not a SQLite database while the daemon ran; it stops now (move the file aside and restart)`,
      { retry: "never" },
    );
  }
}

/** Free bytes on the file system that holds `path`'s directory, or null when unknown. */
export function freeBytesNear(path: string): number | null {
  try {
    const fs = statfsSync(dirname(path));
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

/** True when `path` is a directory (a `--db` that names one is a mistake worth saying so). */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
