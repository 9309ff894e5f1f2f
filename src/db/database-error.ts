import { dirname } from "node:path";
import { AgentworkError } from "../core/errors.ts";
import { freeBytesNear, isDirectory } from "./database-file.ts";

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
