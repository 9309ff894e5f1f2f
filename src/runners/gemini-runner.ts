import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AGENT_BINARIES } from "./agent-binary.ts";
import type { AgentCliOptions } from "./agent-cli-options.ts";
import { AgentCliRunner, type PreparedRun } from "./agent-cli-runner.ts";
import type { CliProbeResult } from "./cli-probe.ts";
import { geminiArgs, prepareGeminiHome, probeGemini } from "./gemini-lockdown.ts";
import { geminiOutcome } from "./gemini-outcome.ts";
import { GeminiStreamParser } from "./gemini-stream-parser.ts";
import type { RunRequest } from "./runner.ts";

/** Runs `gemini -p` locked down, the prompt on stdin, and reads its stream-json output. */
export class GeminiRunner extends AgentCliRunner {
  readonly agentType = "gemini";

  constructor(options: AgentCliOptions = {}) {
    super(options, AGENT_BINARIES.gemini);
  }

  /** The user's ~/.gemini (under GEMINI_CLI_HOME when they set it). */
  userGeminiDir(): string {
    return join(this.options.env?.GEMINI_CLI_HOME || this.home() || "", ".gemini");
  }

  protected lockdownProbe(bin: string, runDir: string): Promise<CliProbeResult> {
    return probeGemini(bin, this.childEnvWith({ GEMINI_CLI_HOME: runDir, NO_COLOR: "1" }));
  }

  protected prepare(runDir: string, request: RunRequest): PreparedRun {
    const layout = prepareGeminiHome(
      runDir,
      this.userGeminiDir(),
      { ...this.options.env, ...this.options.extraEnv },
      request.systemPrompt,
    );
    const cwd = join(runDir, "work");
    mkdirSync(cwd, { mode: 0o700 });
    const parser = new GeminiStreamParser();
    const maxRetries = this.settings.maxApiRetries;
    return {
      cwd,
      args: geminiArgs(this.options.model ?? null),
      env: this.childEnvWith({
        GEMINI_CLI_HOME: layout.home,
        GEMINI_SYSTEM_MD: layout.systemPromptFile,
        NO_COLOR: "1",
        NO_BROWSER: "true",
      }),
      onLine(line, control) {
        if (parser.push(line)) control.resultSeen();
      },
      onStderrLine(line, control) {
        if (!parser.pushStderr(line)) return;
        const seen = parser.retryNotices;
        if (maxRetries > 0 && seen >= maxRetries) control.stop(`${seen} API retries`);
      },
      outcome: (run) => geminiOutcome(run, parser, this.clock.now()),
    };
  }
}
