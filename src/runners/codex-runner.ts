import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AGENT_BINARIES } from "./agent-binary.ts";
import type { AgentCliOptions } from "./agent-cli-options.ts";
import { AgentCliRunner, type PreparedRun } from "./agent-cli-runner.ts";
import type { CliProbeResult } from "./cli-probe.ts";
import { CodexEventParser } from "./codex-events.ts";
import {
  codexArgs,
  prepareCodexHome,
  probeCodex,
  userProviderOverrides,
} from "./codex-lockdown.ts";
import { codexOutcome } from "./codex-outcome.ts";
import type { RunRequest } from "./runner.ts";

/** Runs `codex exec --json` locked down, the prompt on stdin, and reads its JSONL events. */
export class CodexRunner extends AgentCliRunner {
  readonly agentType = "codex";
  /** The tool features this binary lists, switched off with --disable (set by the probe). */
  private disable: string[] = [];

  constructor(options: AgentCliOptions = {}) {
    super(options, AGENT_BINARIES.codex);
  }

  /** The user's CODEX_HOME: where their login and config live. */
  userCodexHome(): string {
    return this.options.env?.CODEX_HOME || join(this.home() ?? "", ".codex");
  }

  protected async lockdownProbe(bin: string, runDir: string): Promise<CliProbeResult> {
    // Codex writes logs into its home even for --help: probe with a private one.
    const home = join(runDir, "probe-home");
    mkdirSync(home, { recursive: true, mode: 0o700 });
    const probed = await probeCodex(bin, this.childEnvWith({ CODEX_HOME: home }));
    this.disable = probed.disable;
    return probed.help;
  }

  protected prepare(runDir: string, request: RunRequest): PreparedRun {
    const layout = prepareCodexHome(runDir, this.userCodexHome(), request.systemPrompt);
    const cwd = join(runDir, "work");
    mkdirSync(cwd, { mode: 0o700 });
    const parser = new CodexEventParser();
    const maxRetries = this.settings.maxApiRetries;
    const providers = userProviderOverrides(this.userCodexHome(), this.options.model ?? null);
    return {
      cwd,
      args: codexArgs(this.disable, layout, providers),
      env: this.childEnvWith({ CODEX_HOME: layout.home, NO_COLOR: "1" }),
      onLine(line, control) {
        if (parser.push(line)) control.resultSeen();
        else if (maxRetries > 0 && parser.reconnects >= maxRetries) {
          control.stop(`${parser.reconnects} API retries`);
        }
      },
      outcome: (run) => codexOutcome(run, parser, this.clock.now()),
    };
  }
}
