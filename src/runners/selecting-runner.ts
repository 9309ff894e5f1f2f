import type { Config, ConfigLoader } from "../config/config.ts";
import { type Logger, silentLogger } from "../core/logger.ts";
import { currentAgentChoice, noAgentCheck } from "./agent-choice.ts";
import type { AgentCheck, Runner, RunRequest, RunResult } from "./runner.ts";
import { RunnerError } from "./runner.ts";
import type { CreateRunnerOptions } from "./runner-options.ts";
import type { AgentChoice } from "./select-agent.ts";

/** Builds the concrete runner for an agent from options; injected to keep the import graph flat. */
export type RunnerFactory = (options: CreateRunnerOptions) => Runner;

/**
 * The daemon's runner: on every call it re-reads the config (the loader re-reads the file each
 * pass) and re-makes the agent choice (select-agent.ts), then delegates to a runner for the chosen
 * agent, kept while the choice and its settings stay the same.
 */
export class SelectingRunner implements Runner {
  private current: { key: string; runner: Runner } | null = null;
  private lastChoice: AgentChoice = { agent: null, reason: "not chosen yet", notChosen: {} };
  private readonly logger: Logger;

  constructor(
    private readonly base: CreateRunnerOptions,
    private readonly loadConfig: ConfigLoader | null,
    private readonly factory: RunnerFactory,
  ) {
    this.logger = base.logger ?? silentLogger();
    this.lastChoice = this.choose(this.config());
  }

  get agentType(): string {
    return this.lastChoice.agent ?? "none";
  }

  /** The choice as of the last call, with its reasons. */
  choice(): AgentChoice {
    return this.lastChoice;
  }

  available(): boolean {
    return this.resolve()?.available() ?? false;
  }

  async check(): Promise<AgentCheck> {
    const runner = this.resolve();
    const choice = this.lastChoice;
    if (runner === null) return noAgentCheck(choice);
    return {
      ...(await runner.check()),
      reason: choice.reason,
      notChosen: { ...choice.notChosen },
    };
  }

  run(request: RunRequest): Promise<RunResult> {
    const runner = this.resolve();
    if (runner === null) {
      return Promise.reject(
        new RunnerError("E_AGENT_MISSING", this.lastChoice.reason, { retry: "never" }),
      );
    }
    return runner.run(request);
  }

  private config(): Config | null {
    return this.loadConfig?.() ?? null;
  }

  private choose(config: Config | null): AgentChoice {
    return currentAgentChoice({
      ...this.base,
      agentType: config?.agentType ?? this.base.agentType,
      agentBin: config ? config.agentBin : (this.base.agentBin ?? null),
    });
  }

  private resolve(): Runner | null {
    const config = this.config();
    const choice = this.choose(config);
    if (choice.agent !== this.lastChoice.agent || choice.reason !== this.lastChoice.reason) {
      this.logger.info(`agent: ${choice.agent ?? "none"} (${choice.reason})`);
    }
    this.lastChoice = choice;
    return choice.agent === null ? null : this.runnerFor(choice.agent, config);
  }

  /** The chosen agent's runner with the current settings; rebuilt only when they change. */
  private runnerFor(agent: string, config: Config | null): Runner {
    const settings = {
      agentType: agent,
      agentBin: config ? config.agentBin : this.base.agentBin,
      model: config ? config.model : this.base.model,
      maxTurns: config ? config.maxTurns : this.base.maxTurns,
      timeoutMs: config ? config.runTimeoutMs : this.base.timeoutMs,
    };
    const key = JSON.stringify(settings);
    if (this.current?.key === key) return this.current.runner;
    const runner = this.factory({ ...this.base, ...settings } as CreateRunnerOptions);
    this.current = { key, runner };
    return runner;
  }
}
