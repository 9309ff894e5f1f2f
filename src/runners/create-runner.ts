import type { AgentType, Config } from "../config/config.ts";
import { ClaudeRunner, type ClaudeRunnerOptions } from "./claude-runner.ts";
import type { Runner } from "./runner.ts";

export interface CreateRunnerOptions extends ClaudeRunnerOptions {
  agentType: AgentType;
}

/** The runner for a configured agent type; later Codex and Gemini runners join here. */
export function createRunner(options: CreateRunnerOptions): Runner {
  const { agentType, ...rest } = options;
  switch (agentType) {
    case "claude":
      return new ClaudeRunner(rest);
    default:
      throw new Error(`unknown agent type: ${String(agentType satisfies never)}`);
  }
}

/** The runner options that come from the config file; the caller adds env, clock and logger. */
export function runnerOptionsFromConfig(config: Config): CreateRunnerOptions {
  return {
    agentType: config.agentType,
    agentBin: config.agentBin,
    model: config.model,
    maxTurns: config.maxTurns,
    timeoutMs: config.runTimeoutMs,
  };
}
