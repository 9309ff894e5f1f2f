import type { AgentType, Config } from "../config/config.ts";
import type { RunnerEnvironment } from "../config/environment.ts";
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

/**
 * Runner options from the loaded config and the environment snapshot taken at startup; the
 * caller may add a clock, a logger and watchdog overrides.
 */
export function runnerOptionsFromConfig(
  config: Config,
  environment?: RunnerEnvironment,
): CreateRunnerOptions {
  return {
    agentType: config.agentType,
    ...(environment && {
      env: environment.base,
      path: environment.path,
      home: environment.home,
    }),
    agentBin: config.agentBin,
    model: config.model,
    maxTurns: config.maxTurns,
    timeoutMs: config.runTimeoutMs,
  };
}
