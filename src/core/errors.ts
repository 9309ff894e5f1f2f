/**
 * Typed errors with stable codes. Scripts and tests branch on `code`, never on message text.
 * `retry` tells the scheduler what to do with the work item when the error ends an attempt.
 */
export const ERROR_CODES = [
  "E_USAGE",
  "E_CONFIG",
  "E_DB_LOCKED",
  "E_DB_CORRUPT",
  "E_DB",
  "E_NOT_FOUND",
  "E_INVALID_STATE",
  "E_LEASE_LOST",
  "E_DAEMON_RUNNING",
  "E_IPC",
  "E_AGENT_MISSING",
  "E_AGENT_SPAWN",
  "E_AGENT_TIMEOUT",
  "E_AGENT_IDLE",
  "E_AGENT_CANCELLED",
  "E_AGENT_HUNG_AFTER_RESULT",
  "E_AGENT_AUTH",
  "E_AGENT_BILLING",
  "E_AGENT_RATE_LIMIT",
  "E_AGENT_OVERLOADED",
  "E_AGENT_SERVER",
  "E_AGENT_BAD_FLAGS",
  "E_AGENT_NO_RESULT",
  "E_AGENT_FAILED",
  "E_AGENT_USAGE_LIMIT",
  "E_AGENT_LOCKDOWN",
  "E_AGENT_BAD_REPLY",
  "E_BAD_REQUEST",
  "E_LEDGER_LOCKED",
  "E_LEDGER_STATE",
  "E_DISK_FULL",
  "E_DB_GONE",
  "E_SERVICE",
  "E_SESSION_HELD",
  "E_HANDLER",
  "E_PAYLOAD",
  "E_SESSION_READ",
  "E_UNSAFE_PATH",
  "E_ARTIFACT",
  "E_GIT",
  "E_GIT_AUTH",
  "E_INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * "retry": the attempt failed but a later attempt may succeed (with backoff). "never": fail now.
 * "pause": the account cannot do agent work until a reset time (a usage limit): the attempt is
 * refunded, the item goes back to the queue, and no agent work is claimed until `pauseUntilMs`.
 */
export type RetryDisposition = "retry" | "never" | "pause";

export interface AgentworkErrorOptions {
  retry?: RetryDisposition;
  /**
   * With retry "retry": wait at least this long before the next attempt (the backoff still
   * applies when it is longer); 0 means at once (a rescued item).
   */
  retryAfterMs?: number;
  /** With retry "pause": when the limit resets (epoch ms), if the agent said; else a default. */
  pauseUntilMs?: number;
  cause?: unknown;
}

export class AgentworkError extends Error {
  readonly code: ErrorCode;
  readonly retry: RetryDisposition;
  readonly retryAfterMs: number | undefined;
  readonly pauseUntilMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: AgentworkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AgentworkError";
    this.code = code;
    this.retry = options.retry ?? "retry";
    this.retryAfterMs = options.retryAfterMs;
    this.pauseUntilMs = options.pauseUntilMs;
  }
}

/** A handler throws this when repeating the attempt cannot help (bad payload, unsafe path). */
export function doNotRetry(code: ErrorCode, message: string, cause?: unknown): AgentworkError {
  return new AgentworkError(code, message, { retry: "never", cause });
}

/** A handler throws this when the attempt should be repeated after a known delay. */
export function retryLater(
  code: ErrorCode,
  message: string,
  retryAfterMs: number,
  cause?: unknown,
): AgentworkError {
  return new AgentworkError(code, message, { retry: "retry", retryAfterMs, cause });
}

/** Normalises anything thrown into an AgentworkError, keeping the original as `cause`. */
export function coerceError(error: unknown, code: ErrorCode = "E_INTERNAL"): AgentworkError {
  if (error instanceof AgentworkError) return error;
  if (error instanceof Error) return new AgentworkError(code, error.message, { cause: error });
  return new AgentworkError(code, String(error), { cause: error });
}
