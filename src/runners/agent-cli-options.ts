import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";

/** What every agent CLI runner takes; nothing is read from process.env. */
export interface AgentCliOptions {
  /** Configured binary (agent_bin / AGENTWORK_AGENT_BIN), tried before PATH and install dirs. */
  agentBin?: string | null;
  /** Base environment for the child (the startup snapshot); nested-session variables are removed. */
  env?: Record<string, string | undefined>;
  /** PATH used to find the binary and given to the child. Default: env.PATH. */
  path?: string;
  /** HOME used for install locations, login state and given to the child. Default: env.HOME. */
  home?: string;
  /** Added to the child's environment last (tests: base URLs of stand-ins, API keys). */
  extraEnv?: Record<string, string>;
  model?: string | null;
  /** Where each run's private work dir is made (default: the system temp dir). */
  workRoot?: string;
  /** Wall-clock limit per run unless RunRequest.timeoutMs overrides it. Default 5 min. */
  timeoutMs?: number;
  /** No stdout for this long ends the run (E_AGENT_IDLE). Default 120 s. */
  idleTimeoutMs?: number;
  /** After the terminal event, how long the CLI may take to exit before it is killed. Default 3 s. */
  resultGraceMs?: number;
  /** TERM → KILL delay when stopping the process group. Default 3 s. */
  killGraceMs?: number;
  /** How long pipes may stay open after the CLI exited. Default 1 s. */
  drainMs?: number;
  /** Longer stdout lines are skipped. Default 10 MiB. */
  maxLineBytes?: number;
  /** More stdout than this in one run stops it (E_AGENT_NO_RESULT, retried). Default 32 MiB. */
  maxStdoutBytes?: number;
  stderrTailBytes?: number;
  /**
   * Stop after this many API retry notices (Claude's `system/api_retry`, Codex's
   * "Reconnecting... N/M", Gemini's "Attempt N failed") and fail with the class of the last
   * error, instead of letting the CLI back off for minutes while holding a worker slot.
   * 0 disables. Default 3.
   */
  maxApiRetries?: number;
  clock?: Clock;
  logger?: Logger;
}

export const AGENT_CLI_DEFAULTS = {
  timeoutMs: 5 * 60_000,
  idleTimeoutMs: 120_000,
  resultGraceMs: 3_000,
  killGraceMs: 3_000,
  drainMs: 1_000,
  maxLineBytes: 10 * 1024 * 1024,
  maxStdoutBytes: 32 * 1024 * 1024,
  stderrTailBytes: 64 * 1024,
  maxApiRetries: 3,
};
export type AgentCliSettings = typeof AGENT_CLI_DEFAULTS;

/** The defaults with every option the caller set. */
export function agentCliSettings(options: AgentCliOptions): AgentCliSettings {
  const settings = { ...AGENT_CLI_DEFAULTS };
  for (const key of Object.keys(AGENT_CLI_DEFAULTS) as (keyof AgentCliSettings)[]) {
    const value = options[key];
    if (value !== undefined) settings[key] = value;
  }
  return settings;
}

/**
 * The system prompt file's text: CLIs reject (Codex) or replace (Gemini) an empty one, so a run
 * without instructions gets a neutral line instead.
 */
export function systemPromptText(systemPrompt: string | undefined): string {
  return systemPrompt?.trim() ? systemPrompt : "Answer the user.";
}
