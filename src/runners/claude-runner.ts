import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { AGENT_BINARIES } from "./agent-binary.ts";
import type { AgentCliOptions } from "./agent-cli-options.ts";
import { AgentCliRunner, type PreparedRun } from "./agent-cli-runner.ts";
import {
  CLAUDE_LOCKDOWN_FLAGS,
  CLAUDE_PROBE_COMMANDS,
  CLAUDE_UPGRADE_HINT,
} from "./claude-lockdown.ts";
import { claudeOutcome } from "./claude-outcome.ts";
import { ClaudeStreamParser } from "./claude-stream-parser.ts";
import { type CliProbeResult, probeCli, requireLockdownFlags } from "./cli-probe.ts";
import type { RunRequest } from "./runner.ts";

/** Everything the Claude Code runner needs; nothing is read from process.env. */
export interface ClaudeRunnerOptions extends AgentCliOptions {
  maxTurns?: number | null;
}

const SYSTEM_PROMPT_FILE = ".agentwork-system-prompt.md";

/** Runs `claude -p` with the prompt on stdin and no tools, and reads its stream-json output. */
export class ClaudeRunner extends AgentCliRunner {
  readonly agentType = "claude";
  private readonly claudeOptions: ClaudeRunnerOptions;

  constructor(options: ClaudeRunnerOptions = {}) {
    super(options, AGENT_BINARIES.claude);
    this.claudeOptions = options;
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
    const { model, maxTurns } = this.claudeOptions;
    if (model) args.push("--model", model);
    if (maxTurns) args.push("--max-turns", String(maxTurns));
    return args;
  }

  /** The child's environment: scrubbed base, PATH/HOME, recorders off, no auto-update, extraEnv. */
  childEnv(): Record<string, string> {
    return this.childEnvWith({ DISABLE_AUTOUPDATER: "1" });
  }

  protected async lockdownProbe(bin: string): Promise<CliProbeResult> {
    const probe = await probeCli(bin, {
      env: this.childEnv(),
      commands: CLAUDE_PROBE_COMMANDS,
    });
    requireLockdownFlags(probe, "claude", CLAUDE_LOCKDOWN_FLAGS, CLAUDE_UPGRADE_HINT);
    // The help lists "--system-prompt <prompt>" and mentions the file form as
    // "--system-prompt[-file]"; the file form keeps our instructions out of argv.
    if (!/--system-prompt(?:-file|\[-file\])/.test(probe.text)) {
      requireLockdownFlags(probe, "claude", ["--system-prompt-file"], CLAUDE_UPGRADE_HINT);
    }
    return probe;
  }

  protected prepare(workDir: string, request: RunRequest): PreparedRun {
    const systemPromptFile = join(workDir, SYSTEM_PROMPT_FILE);
    writeFileSync(systemPromptFile, request.systemPrompt ?? "", { mode: 0o600 });
    const maxApiRetries = this.settings.maxApiRetries;
    const parser = new ClaudeStreamParser();
    let apiRetries = 0;
    return {
      cwd: workDir,
      args: this.args(systemPromptFile),
      env: this.childEnv(),
      onLine(line, control) {
        const event = parser.push(line);
        if (event.kind === "result") control.resultSeen();
        if (event.kind !== "api_retry") return;
        apiRetries++;
        const { error, status } = event.retry;
        if (error === "authentication_failed" || status === 401) {
          control.stop("authentication failed");
        } else if (error === "billing_error" || status === 402) {
          control.stop("billing error");
        } else if (maxApiRetries > 0 && apiRetries >= maxApiRetries) {
          control.stop(`${apiRetries} API retries`);
        }
      },
      outcome: (run) => {
        if (parser.malformedLines > 0) {
          this.logger.debug(
            `claude pid ${run.pid}: skipped ${parser.malformedLines} malformed lines`,
          );
        }
        return claudeOutcome(run, parser, this.clock.now());
      },
    };
  }
}
