import { AgentworkError } from "./errors.ts";

/** Exit codes scripts can branch on. Stable: changing one breaks someone's cron job. */
export const EXIT_CODES = {
  ok: 0,
  /** The command ran but its work failed (an agent run, a commit, an item not found). */
  workFailed: 1,
  /** Bad flags, arguments or config: fix the invocation, retrying will not help. */
  usage: 2,
  /** The database is locked by another process, corrupt or otherwise unusable. */
  database: 3,
} as const;
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export function exitCodeFor(error: unknown): ExitCode {
  if (!(error instanceof AgentworkError)) return EXIT_CODES.workFailed;
  switch (error.code) {
    case "E_USAGE":
    case "E_CONFIG":
    case "E_BAD_REQUEST":
      return EXIT_CODES.usage;
    case "E_DB":
    case "E_DB_LOCKED":
    case "E_DB_CORRUPT":
    case "E_DB_GONE":
    case "E_DISK_FULL":
    // A second daemon on the same database is the "database in use" case for scripts.
    case "E_DAEMON_RUNNING":
    // A second worker on the same ledger (any database): the same "in use" case.
    case "E_LEDGER_LOCKED":
      return EXIT_CODES.database;
    default:
      return EXIT_CODES.workFailed;
  }
}
