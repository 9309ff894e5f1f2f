import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Clock, systemClock } from "../core/clock.ts";
import { LineSplitter } from "../core/line-splitter.ts";
import { type Logger, silentLogger } from "../core/logger.ts";
import { claudeOutcome } from "./claude-outcome.ts";
import { ClaudeStreamParser } from "./claude-stream-parser.ts";
import { type CliProbeResult, probeCli, requireLockdownFlags } from "./cli-probe.ts";
import { withPrivateWorkDir } from "./private-workdir.ts";
import {
  CLAUDE_ABSOLUTE_LOCATIONS,
  CLAUDE_HOME_LOCATIONS,
  resolveBinary,
} from "./resolve-binary.ts";
import {
  type AgentCheck,
  type Runner,
  RunnerError,
  type RunRequest,
  type RunResult,
} from "./runner.ts";
import { superviseAgent } from "./supervise-agent.ts";

/** Everything the Claude Code runner needs; nothing is read from process.env. */
export interface ClaudeRunnerOptions {
  /** Configured binary (agent_bin / AGENTWORK_AGENT_BIN), tried before PATH and install dirs. */
  agentBin?: string | null;
  /** Base environment for the child; inherited CLAUDECODE / CLAUDE_CODE_* are removed from it. */
  env?: Record<string, string | undefined>;
  /** PATH used to find the binary and given to the child. Default: env.PATH. */
  path?: string;
  /** HOME used for install locations and given to the child. Default: env.HOME. */
  home?: string;
  /** Where each run's private work dir is made (the state dir's `runs/`). Default: tmpdir. */
  workRoot?: string;
  /** Added to the child's environment after scrubbing (tests: ANTHROPIC_BASE_URL, …). */
  extraEnv?: Record<string, string>;
  model?: string | null;
  maxTurns?: number | null;
  /** Wall-clock limit per run unless RunRequest.timeoutMs overrides it. Default 5 min. */
  timeoutMs?: number;
  /** No stdout for this long ends the run (E_AGENT_IDLE). Default 120 s. */
  idleTimeoutMs?: number;
  /** After the result line, how long the CLI may take to exit before it is killed. Default 3 s. */
  resultGraceMs?: number;
  /** TERM → KILL delay when stopping the process group. Default 3 s. */
  killGraceMs?: number;
  /** How long pipes may stay open after the CLI exited. Default 1 s. */
  drainMs?: number;
  /**
   * Stop after this many `system/api_retry` lines for 429/5xx/529 and fail retryably, instead of
   * letting the CLI back off for minutes while holding a worker slot. 0 disables. Default 3.
   */
  maxApiRetries?: number;
  maxLineBytes?: number;
  stderrTailBytes?: number;
  clock?: Clock;
  logger?: Logger;
}

/** CLAUDE_CODE_* variables that are user settings (auth, provider, traffic), not session state. */
export const KEPT_CLAUDE_CODE_VARS = new Set([
  "CLAUDE_CODE_OAUTH_TOKEN",
  "CLAUDE_CODE_USE_BEDROCK",
  "CLAUDE_CODE_USE_VERTEX",
  "CLAUDE_CODE_SKIP_BEDROCK_AUTH",
  "CLAUDE_CODE_SKIP_VERTEX_AUTH",
  "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
]);

/**
 * Set in every agent's environment so a session recorder that something inside the run might
 * start (a hook, a rule) does not record the summary run as a new session (upstream-later §2.1).
 */
export const RECORDER_OFF_ENV: Readonly<Record<string, string>> = {
  OX_SESSION_RECORDING: "disabled",
  SAGEOX_DAEMON: "false",
  AGENTWORK_SUMMARY_RUN: "1",
};

/**
 * The flags that lock the CLI down; `claude --help` must list each or the CLI is refused.
 * --tools "": no tools. --setting-sources "": no user/project/local settings, so no hooks, no
 * CLAUDE.md, no plugins. --strict-mcp-config (and no --mcp-config): no MCP servers.
 * --system-prompt(-file): our instructions instead of the CLI's 6 KB default.
 * --no-session-persistence: no transcript written under ~/.claude/projects.
 */
export const CLAUDE_LOCKDOWN_FLAGS = [
  "--tools",
  "--setting-sources",
  "--strict-mcp-config",
  "--system-prompt",
  "--no-session-persistence",
] as const;
const UPGRADE_HINT =
  "upgrade Claude Code (npm install -g @anthropic-ai/claude-code@latest; 2.1.197 is known to work)";
const SYSTEM_PROMPT_FILE = ".agentwork-system-prompt.md";

const DEFAULTS = {
  timeoutMs: 5 * 60_000,
  idleTimeoutMs: 120_000,
  resultGraceMs: 3_000,
  killGraceMs: 3_000,
  drainMs: 1_000,
  maxApiRetries: 3,
  maxLineBytes: 10 * 1024 * 1024,
  stderrTailBytes: 64 * 1024,
};

/** Runs `claude -p` with the prompt on stdin and no tools, and reads its stream-json output. */
export class ClaudeRunner implements Runner {
  readonly agentType = "claude";
  private readonly settings: typeof DEFAULTS;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly options: ClaudeRunnerOptions = {}) {
    this.settings = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      const value = options[key];
      if (value !== undefined) this.settings[key] = value;
    }
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger();
  }

  /** The binary a run would use right now, or null. */
  binary(): string | null {
    return resolveBinary({
      name: "claude",
      configured: this.options.agentBin,
      path: this.searchPath(),
      home: this.home(),
      homeLocations: CLAUDE_HOME_LOCATIONS,
      absoluteLocations: CLAUDE_ABSOLUTE_LOCATIONS,
    });
  }

  available(): boolean {
    return this.binary() !== null;
  }

  /**
   * The argv after the binary. Neither prompt is here (argv is visible in ps and /proc): the
   * session goes on stdin and our instructions in a file inside the private work dir.
   */
  args(systemPromptFile: string): string[] {
    // Not --bare: it breaks subscription logins. Not --safe-mode: it keeps the default system
    // prompt (about 4 KB more per request).
    const args = ["-p", "--output-format", "stream-json", "--verbose", "--no-session-persistence"];
    args.push("--tools", "", "--setting-sources", "", "--strict-mcp-config");
    args.push("--system-prompt-file", systemPromptFile);
    if (this.options.model) args.push("--model", this.options.model);
    if (this.options.maxTurns) args.push("--max-turns", String(this.options.maxTurns));
    return args;
  }

  /**
   * Whether the installed CLI can be run locked down, without spending tokens. The probe runs
   * once per binary (path + mtime + size).
   */
  async check(): Promise<AgentCheck> {
    const bin = this.binary();
    if (bin === null) {
      return { agentType: this.agentType, bin: null, version: null, problem: "claude not found" };
    }
    try {
      const probe = await this.lockdownProbe(bin);
      return { agentType: this.agentType, bin, version: probe.version, problem: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { agentType: this.agentType, bin, version: null, problem: message };
    }
  }

  private async lockdownProbe(bin: string): Promise<CliProbeResult> {
    const probe = await probeCli(bin, {
      env: this.childEnv(),
      commands: [["--help"], ["--version"]],
    });
    requireLockdownFlags(probe, "claude", CLAUDE_LOCKDOWN_FLAGS, UPGRADE_HINT);
    // The help lists "--system-prompt <prompt>" and mentions the file form as
    // "--system-prompt[-file]"; the file form keeps our instructions out of argv.
    if (!/--system-prompt(?:-file|\[-file\])/.test(probe.text)) {
      requireLockdownFlags(probe, "claude", ["--system-prompt-file"], UPGRADE_HINT);
    }
    return probe;
  }

  /** The child's environment: scrubbed base, PATH/HOME, no auto-update, then extraEnv. */
  childEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.options.env ?? {})) {
      if (value === undefined) continue;
      // A worker started from inside Claude Code must not make the nested CLI think it is nested;
      // the variables that choose how it authenticates and which provider it uses stay.
      if (key === "CLAUDECODE") continue;
      if (key.startsWith("CLAUDE_CODE_") && !KEPT_CLAUDE_CODE_VARS.has(key)) continue;
      env[key] = value;
    }
    const path = this.searchPath();
    const home = this.home();
    if (path !== undefined) env.PATH = path;
    if (home !== undefined) env.HOME = home;
    env.DISABLE_AUTOUPDATER = "1";
    return { ...env, ...RECORDER_OFF_ENV, ...this.options.extraEnv };
  }

  async run(request: RunRequest): Promise<RunResult> {
    const bin = this.binary();
    if (bin === null) {
      throw new RunnerError("E_AGENT_MISSING", "claude binary not available", { retry: "never" });
    }
    if (request.signal?.aborted) {
      throw new RunnerError("E_AGENT_CANCELLED", "claude run cancelled before start", {
        retry: "retry",
      });
    }
    await this.lockdownProbe(bin);
    return withPrivateWorkDir(this.options.workRoot, (workDir) => {
      const systemPromptFile = join(workDir, SYSTEM_PROMPT_FILE);
      writeFileSync(systemPromptFile, request.systemPrompt ?? "", { mode: 0o600 });
      return this.runIn(bin, workDir, this.args(systemPromptFile), request);
    });
  }

  private async runIn(
    bin: string,
    workDir: string,
    args: string[],
    request: RunRequest,
  ): Promise<RunResult> {
    const s = this.settings;
    const parser = new ClaudeStreamParser();
    let apiRetries = 0;
    let control: { resultSeen(): void; stop(reason: string): void } | undefined;
    const splitter = new LineSplitter((line) => {
      const event = parser.push(line);
      if (event.kind === "result") control?.resultSeen();
      if (event.kind !== "api_retry") return;
      apiRetries++;
      const { error, status } = event.retry;
      if (error === "authentication_failed" || status === 401) {
        control?.stop("authentication failed");
      } else if (error === "billing_error" || status === 402) {
        control?.stop("billing error");
      } else if (s.maxApiRetries > 0 && apiRetries >= s.maxApiRetries) {
        control?.stop(`${apiRetries} API retries`);
      }
    }, s.maxLineBytes);

    const timeoutMs = request.timeoutMs && request.timeoutMs > 0 ? request.timeoutMs : s.timeoutMs;
    let run: Awaited<ReturnType<typeof superviseAgent>>;
    try {
      run = await superviseAgent({
        argv: [bin, ...args],
        cwd: workDir,
        env: this.childEnv(),
        stdin: request.prompt,
        timeoutMs,
        idleTimeoutMs: s.idleTimeoutMs,
        resultGraceMs: s.resultGraceMs,
        killGraceMs: s.killGraceMs,
        drainMs: s.drainMs,
        stderrTailBytes: s.stderrTailBytes,
        signal: request.signal,
        onSpawn: request.onSpawn,
        clock: this.clock,
        onStdout(chunk, ctl) {
          control = ctl;
          splitter.push(chunk);
        },
      });
    } catch (error) {
      throw spawnFailure(bin, workDir, error);
    }
    splitter.end();
    if (parser.malformedLines > 0 || splitter.skippedLines > 0) {
      this.logger.debug(
        `claude pid ${run.pid}: skipped ${parser.malformedLines} malformed and ${splitter.skippedLines} oversized lines`,
      );
    }
    if (run.stop?.kind === "after_result") {
      this.logger.warn(`claude pid ${run.pid} kept running after its result; killed its group`);
    }
    return claudeOutcome(run, parser);
  }

  private searchPath(): string | undefined {
    return this.options.path ?? this.options.env?.PATH;
  }

  private home(): string | undefined {
    return this.options.home ?? this.options.env?.HOME;
  }
}

function spawnFailure(bin: string, workDir: string, error: unknown): RunnerError {
  const code = (error as NodeJS.ErrnoException).code;
  const message = `start claude (${bin}) in ${workDir}: ${error instanceof Error ? error.message : String(error)}`;
  // The binary vanished or lost its x bit between the probe and the spawn: retrying cannot help.
  if (code === "ENOENT" || code === "EACCES") {
    return new RunnerError("E_AGENT_MISSING", message, { retry: "never", cause: error });
  }
  return new RunnerError("E_AGENT_SPAWN", message, { retry: "retry", cause: error });
}
