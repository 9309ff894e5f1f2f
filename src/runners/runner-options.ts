import type { AgentType, Config } from "../config/config.ts";
import type { RunnerEnvironment } from "../config/environment.ts";
import type { ClaudeRunnerOptions } from "./claude-runner.ts";

/** What makes a runner: the agent type and every runner's settings (its own module, type-light). */
export interface CreateRunnerOptions extends ClaudeRunnerOptions {
  agentType: AgentType;
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
