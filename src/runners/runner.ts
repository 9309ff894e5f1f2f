import { AgentworkError, type ErrorCode, type RetryDisposition } from "../core/errors.ts";

/** What a handler asks an agent to do. The prompt goes to the agent on stdin, never in argv. */
export interface RunRequest {
  /** The user message: the data to work on (for summaries, the condensed session). */
  prompt: string;
  /**
   * Our fixed instructions, sent as the agent's system prompt in place of the CLI's default one.
   * The same text for every run of a kind, so the API can cache it.
   */
  systemPrompt: string;
  /** Overrides the runner's default wall-clock timeout when > 0. */
  timeoutMs?: number;
  /** Aborting it stops the agent's whole process group and the run fails with E_AGENT_CANCELLED. */
  signal?: AbortSignal;
  /** Called once the agent process exists, so status and history can show its real pid. */
  onSpawn?: (pid: number) => void;
}

export interface RunResult {
  /** The agent's final text (Claude: the last `result` line's `result`). */
  output: string;
  exitCode: number | null;
  durationMs: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number | null;
  sessionId: string | null;
  numTurns: number | null;
  pid: number | null;
}

/** What `status` and `doctor` show about the agent, learned without spending tokens. */
export interface AgentCheck {
  agentType: string;
  /** The binary a run would use, or null when none is installed. */
  bin: string | null;
  version: string | null;
  /** Why no run can happen (missing, cannot be locked down), or null when the agent is usable. */
  problem: string | null;
  /** Why this agent was chosen (agent_type auto: installed and how it is logged in). */
  reason?: string;
  /** Why each other agent was not chosen ("not installed", "installed but not logged in"). */
  notChosen?: Record<string, string>;
}

export interface Runner {
  /** "claude", "codex", "gemini", "mock"; a SelectingRunner reports its current choice or "none". */
  readonly agentType: string;
  /** True when the agent binary can be found right now (re-checked on every call). */
  available(): boolean;
  /** Probes the installed agent (cached per binary): version, and whether it can be locked down. */
  check(): Promise<AgentCheck>;
  /** Resolves on success; rejects with a RunnerError otherwise. */
  run(request: RunRequest): Promise<RunResult>;
}

/**
 * A failed agent run. `retry` is the classification the scheduler acts on: timeouts, overload,
 * 429/5xx and "no result" are retryable; auth failures, bad flags and a missing binary are not.
 * `partial` carries whatever was learned (pid, exit code, tokens, cost) so history stays honest.
 */
export class RunnerError extends AgentworkError {
  readonly partial: Partial<RunResult>;
  readonly stderrTail: string;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      retry: RetryDisposition;
      partial?: Partial<RunResult>;
      stderrTail?: string;
      retryAfterMs?: number;
      pauseUntilMs?: number;
      cause?: unknown;
    },
  ) {
    super(code, message, {
      retry: options.retry,
      retryAfterMs: options.retryAfterMs,
      pauseUntilMs: options.pauseUntilMs,
      cause: options.cause,
    });
    this.name = "RunnerError";
    this.partial = options.partial ?? {};
    this.stderrTail = options.stderrTail ?? "";
  }
}
