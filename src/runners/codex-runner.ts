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
import { CodexEventParser } from "./codex-events.ts";
import {
  codexArgs,
  prepareCodexHome,
  probeCodex,
  userProviderOverrides,
} from "./codex-lockdown.ts";
import { codexOutcome } from "./codex-outcome.ts";
import { withPrivateWorkDir } from "./private-workdir.ts";
import { resolveBinary } from "./resolve-binary.ts";
import { requireRunnable, runAgentCli } from "./run-agent-cli.ts";
import type { Runner, RunRequest, RunResult } from "./runner.ts";

/** Where npm and the standalone installer put `codex`, after PATH. */
export const CODEX_HOME_LOCATIONS = [".npm-global/bin", ".local/bin", ".codex/bin"] as const;

/** Runs `codex exec --json` locked down, the prompt on stdin, and reads its JSONL events. */
export class CodexRunner implements Runner {
  readonly agentType = "codex";
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
      name: "codex",
      configured: this.options.agentBin,
      path: this.options.path ?? this.options.env?.PATH,
      home: this.home(),
      homeLocations: CODEX_HOME_LOCATIONS,
      absoluteLocations: ["/usr/local/bin"],
    });
  }

  available(): boolean {
    return this.binary() !== null;
  }

  /** The user's CODEX_HOME: where their login and config live. */
  userCodexHome(): string {
    return this.options.env?.CODEX_HOME || join(this.home() ?? "", ".codex");
  }

  async run(request: RunRequest): Promise<RunResult> {
    const bin = requireRunnable("codex", this.binary(), request);
    return withPrivateWorkDir(this.options.workRoot, async (runDir) => {
      const layout = prepareCodexHome(runDir, this.userCodexHome(), request.systemPrompt);
      const cwd = join(runDir, "work");
      mkdirSync(cwd, { mode: 0o700 });
      const env = agentChildEnv({
        base: this.options.env,
        path: this.options.path ?? this.options.env?.PATH,
        home: this.home(),
        set: { CODEX_HOME: layout.home, NO_COLOR: "1" },
        extraEnv: this.options.extraEnv,
      });
      // Before any prompt is sent: refuse a Codex whose tools cannot all be switched off.
      const disable = await probeCodex(bin, env);
      const args = codexArgs(
        disable,
        layout,
        userProviderOverrides(this.userCodexHome(), this.options.model ?? null),
      );
      const parser = new CodexEventParser();
      const run = await runAgentCli({
        agent: "codex",
        bin,
        args,
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
          `codex pid ${run.pid}: skipped ${parser.malformedLines} malformed and ${run.skippedLines} oversized lines`,
        );
      }
      return codexOutcome(run, parser, this.clock.now());
    });
  }

  private home(): string | undefined {
    return this.options.home ?? this.options.env?.HOME;
  }
}
