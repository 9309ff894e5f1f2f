import type { ConfigLoader } from "../config/config.ts";
import { ClaudeRunner } from "./claude-runner.ts";
import { CodexRunner } from "./codex-runner.ts";
import { GeminiRunner } from "./gemini-runner.ts";
import type { Runner } from "./runner.ts";
import type { CreateRunnerOptions } from "./runner-options.ts";
import { SelectingRunner } from "./selecting-runner.ts";

/**
 * The runner for an agent type. "auto" (and any type when `loadConfig` is given) gives a
 * SelectingRunner that re-makes the choice from the config on every call.
 */
export function createRunner(options: CreateRunnerOptions, loadConfig?: ConfigLoader): Runner {
  if (loadConfig || options.agentType === "auto") {
    return new SelectingRunner(options, loadConfig ?? null, agentRunner);
  }
  return agentRunner(options);
}

function agentRunner(options: CreateRunnerOptions): Runner {
  const { agentType, ...rest } = options;
  switch (agentType) {
    case "claude":
      return new ClaudeRunner(rest);
    case "codex":
      return new CodexRunner(rest);
    case "gemini":
      return new GeminiRunner(rest);
    case "auto":
      return new SelectingRunner(options, null, agentRunner);
    default:
      throw new Error(`unknown agent type: ${String(agentType satisfies never)}`);
  }
}
