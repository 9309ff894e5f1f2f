import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Clock, systemClock } from "../core/clock.ts";
import { type Logger, silentLogger } from "../core/logger.ts";
import {
  type AgentCliOptions,
  type AgentCliSettings,
  agentCliSettings,
} from "./agent-cli-options.ts";
import { agentChildEnv } from "./agent-env.ts";
import { geminiArgs, prepareGeminiHome, probeGemini } from "./gemini-lockdown.ts";
import { geminiOutcome } from "./gemini-outcome.ts";
import { GeminiStreamParser } from "./gemini-stream-parser.ts";
import { withPrivateWorkDir } from "./private-workdir.ts";
import { resolveBinary } from "./resolve-binary.ts";
import { requireRunnable, runAgentCli } from "./run-agent-cli.ts";
import type { Runner, RunRequest, RunResult } from "./runner.ts";

export const GEMINI_HOME_LOCATIONS = [".npm-global/bin", ".local/bin"] as const;

/** Runs `gemini -p` locked down, the prompt on stdin, and reads its stream-json output. */
export class GeminiRunner implements Runner {
  readonly agentType = "gemini";
  private readonly settings: AgentCliSettings;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly options: AgentCliOptions = {}) {
    this.settings = agentCliSettings(options);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger();
  }

  binary(): string | null {
    return resolveBinary({
      name: "gemini",
      configured: this.options.agentBin,
      path: this.options.path ?? this.options.env?.PATH,
      home: this.home(),
      homeLocations: GEMINI_HOME_LOCATIONS,
      absoluteLocations: ["/usr/local/bin"],
    });
  }

  available(): boolean {
    return this.binary() !== null;
  }

  /** The user's ~/.gemini (under GEMINI_CLI_HOME when they set it). */
  userGeminiDir(): string {
    return join(this.options.env?.GEMINI_CLI_HOME || this.home() || "", ".gemini");
  }

  async run(request: RunRequest): Promise<RunResult> {
    const bin = requireRunnable("gemini", this.binary(), request);
    return withPrivateWorkDir(this.options.workRoot, async (runDir) => {
      const baseEnv = this.options.env ?? {};
      const layout = prepareGeminiHome(runDir, this.userGeminiDir(), baseEnv, request.systemPrompt);
      const cwd = join(runDir, "work");
      mkdirSync(cwd, { mode: 0o700 });
      const env = agentChildEnv({
        base: baseEnv,
        path: this.options.path ?? baseEnv.PATH,
        home: this.home(),
        set: {
          GEMINI_CLI_HOME: layout.home,
          GEMINI_SYSTEM_MD: layout.systemPromptFile,
          NO_COLOR: "1",
          NO_BROWSER: "true",
        },
        extraEnv: this.options.extraEnv,
      });
      // Before any prompt is sent: refuse a Gemini that lacks a lock-down switch.
      await probeGemini(bin, env);
      const parser = new GeminiStreamParser();
      const run = await runAgentCli({
        agent: "gemini",
        bin,
        args: geminiArgs(this.options.model ?? null),
        env,
        cwd,
        request,
        settings: this.settings,
        clock: this.clock,
        onLine(line, control) {
          if (parser.push(line)) control.resultSeen();
        },
      });
      if (parser.malformedLines > 0 || run.skippedLines > 0) {
        this.logger.debug(
          `gemini pid ${run.pid}: skipped ${parser.malformedLines} malformed and ${run.skippedLines} oversized lines`,
        );
      }
      return geminiOutcome(run, parser, this.clock.now());
    });
  }

  private home(): string | undefined {
    return this.options.home ?? this.options.env?.HOME;
  }
}
