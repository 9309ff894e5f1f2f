import type { PublishingMode } from "../../config/config.ts";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { CustomPattern } from "../../core/redaction/redactor.ts";
import type { ReplyStash } from "./reply.ts";
import type { PidLookup } from "./types.ts";

/** What the session-finalize handler is built from (the daemon fills it from config). */
export interface SessionFinalizeOptions {
  ledgerPath: string;
  /** Extra directories holding session dirs, scanned after `<ledger>/sessions`. */
  scanDirs: string[];
  qualityUploadThreshold: number;
  qualityDiscardThreshold: number;
  /** Commit but do not push when false. */
  gitPush: boolean;
  clock: Clock;
  logger: Logger;
  pidLookup?: PidLookup;
  promptBudgetBytes?: number;
  ghostGraceMs?: number;
  staleAfterMs?: number;
  /**
   * Directories agents' own transcripts may be read from, to recover a stale session's missing
   * raw.jsonl (the daemon passes Claude Code's projects dir). Empty: no recovery.
   */
  transcriptRoots?: string[];
  /** Environment for git (HOME, PATH, SSH_AUTH_SOCK...); see LedgerGitOptions.env. */
  gitEnv?: Record<string, string>;
  /** Back-off unit between push attempts (default 1 s; tests use 0). */
  pushRetryDelayMs?: number;
  /** Extra redaction rules (config `redact_patterns`). */
  redactPatterns?: CustomPattern[];
  /** `manual`: every session is held until `agentwork publish` (config `publishing`). */
  publishing?: PublishingMode;
  /** Push target without an upstream, required branch, git timeout (git_remote/branch/timeout). */
  gitRemote?: string;
  gitBranch?: string | null;
  gitTimeoutMs?: number | null;
  /**
   * Keeps a parsed reply until its artifacts are written (in SQLite, beside the queue), so a
   * write that fails (a full disk) is retried without paying the agent again.
   */
  replyStash?: ReplyStash;
  /** Characters kept of one tool output in session.md / session.html. */
  exportToolOutputLimit?: number;
}
