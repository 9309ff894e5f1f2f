import { type Clock, systemClock } from "../core/clock.ts";
import { type Logger, silentLogger } from "../core/logger.ts";
import { type AgentBinarySpec, findAgentBinary } from "./agent-binary.ts";
import {
  type AgentCliOptions,
  type AgentCliSettings,
  agentCliSettings,
} from "./agent-cli-options.ts";
import { type AgentEnvOptions, agentChildEnv } from "./agent-env.ts";
import type { CliProbeResult } from "./cli-probe.ts";
import { withPrivateWorkDir } from "./private-workdir.ts";
import {
  type AgentCliRun,
  requireRunnable,
  runAgentCli,
  STDOUT_CAP_REASON,
} from "./run-agent-cli.ts";
import {
  type AgentCheck,
  type Runner,
  RunnerError,
  type RunRequest,
  type RunResult,
} from "./runner.ts";
import type { SuperviseControl } from "./supervise-agent.ts";

/** One run, as the format-specific runner sets it up inside the private run dir. */
export interface PreparedRun {
  cwd: string;
  args: string[];
  env: Record<string, string>;
  onLine(line: string, control: SuperviseControl): void;
  onStderrLine?(line: string, control: SuperviseControl): void;
  outcome(run: AgentCliRun): RunResult;
}

/**
 * What the Claude, Codex and Gemini runners share: binary lookup, the lock-down probe before any
 * prompt is sent (and in `check()`), a private work dir per run, the scrubbed child environment,
 * spawning under the watchdogs with the stdout caps. Each subclass supplies its probe, its argv
 * and environment additions, its parser and its outcome rules.
 */
export abstract class AgentCliRunner implements Runner {
  abstract readonly agentType: string;
  protected readonly settings: AgentCliSettings;
  protected readonly clock: Clock;
  protected readonly logger: Logger;

  constructor(
    protected readonly options: AgentCliOptions,
    private readonly binarySpec: AgentBinarySpec,
  ) {
    this.settings = agentCliSettings(options);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger();
  }

  /** The binary a run would use right now, or null. */
  binary(): string | null {
    return findAgentBinary(this.binarySpec, this.options);
  }

  available(): boolean {
    return this.binary() !== null;
  }

  /** Whether the installed CLI can be run locked down, without spending tokens. */
  async check(): Promise<AgentCheck> {
    const agentType = this.agentType;
    const bin = this.binary();
    if (bin === null)
      return { agentType, bin: null, version: null, problem: `${agentType} not found` };
    try {
      const probe = await withPrivateWorkDir(this.options.workRoot, (dir) =>
        this.lockdownProbe(bin, dir),
      );
      return { agentType, bin, version: probe.version, problem: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { agentType, bin, version: null, problem: message };
    }
  }

  async run(request: RunRequest): Promise<RunResult> {
    const bin = requireRunnable(this.agentType, this.binary(), request);
    return withPrivateWorkDir(this.options.workRoot, async (runDir) => {
      // Before any prompt is sent: refuse a CLI that cannot be locked down.
      await this.lockdownProbe(bin, runDir);
      const prepared = await this.prepare(runDir, request);
      const run = await runAgentCli({
        agent: this.agentType,
        bin,
        args: prepared.args,
        env: prepared.env,
        cwd: prepared.cwd,
        request,
        settings: this.settings,
        clock: this.clock,
        onLine: prepared.onLine,
        onStderrLine: prepared.onStderrLine,
      });
      if (run.skippedLines > 0) {
        this.logger.debug(
          `${this.agentType} pid ${run.pid}: skipped ${run.skippedLines} oversized lines`,
        );
      }
      if (run.stop?.kind === "after_result") {
        this.logger.warn(
          `${this.agentType} pid ${run.pid} kept running after its result; killed its group`,
        );
      }
      if (run.stop?.kind === "requested" && run.stop.reason === STDOUT_CAP_REASON) {
        throw new RunnerError(
          "E_AGENT_NO_RESULT",
          `${this.agentType} printed more than ${this.settings.maxStdoutBytes} bytes; run rejected`,
          {
            retry: "retry",
            partial: { pid: run.pid, exitCode: run.exitCode },
            stderrTail: run.stderrTail,
          },
        );
      }
      return prepared.outcome(run);
    });
  }

  /** Probes the CLI (cached per binary) and throws E_AGENT_LOCKDOWN when it cannot be locked down. */
  protected abstract lockdownProbe(bin: string, runDir: string): Promise<CliProbeResult>;

  /** Writes what the run needs into `runDir` and returns its argv, env and parser. */
  protected abstract prepare(
    runDir: string,
    request: RunRequest,
  ): Promise<PreparedRun> | PreparedRun;

  /** The scrubbed environment with this runner's additions. */
  protected childEnvWith(set: AgentEnvOptions["set"]): Record<string, string> {
    return agentChildEnv({
      base: this.options.env,
      path: this.searchPath(),
      home: this.home(),
      set,
      extraEnv: this.options.extraEnv,
    });
  }

  protected searchPath(): string | undefined {
    return this.options.path ?? this.options.env?.PATH;
  }

  protected home(): string | undefined {
    return this.options.home ?? this.options.env?.HOME;
  }
}
