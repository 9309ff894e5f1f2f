import { AgentworkError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { Storage } from "../queue/storage.ts";

/** Errors after which the database cannot be trusted with another write. */
const FATAL_CODES: ReadonlySet<string> = new Set(["E_DB_GONE", "E_DB_CORRUPT", "E_DISK_FULL"]);

/**
 * Whether the database can still be written: its path still names the file that was opened, it
 * is still SQLite, its disk is not full. Once it is not, nothing more is claimed and `onFatal`
 * tells the daemon to stop (exit 3); a daemon writing on would lose its queue and history.
 */
export class StorageHealth {
  fatal: AgentworkError | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly logger: Logger,
    private readonly onFatal: (error: AgentworkError) => void,
  ) {}

  /** Checks the file; false once the database is unusable. */
  usable(): boolean {
    if (this.fatal) return false;
    try {
      this.storage.db.verify();
      return true;
    } catch (error) {
      return !this.note(error);
    }
  }

  /** True (and claims stop) when `error` means the database is unusable. */
  note(error: unknown): boolean {
    if (!(error instanceof AgentworkError) || !FATAL_CODES.has(error.code)) return false;
    if (this.fatal === null) {
      this.fatal = error;
      this.logger.error(error.message);
      this.onFatal(error);
    }
    return true;
  }
}
