import type { AgentCliOptions } from "../../../src/runners/agent-cli-options.ts";
import { CodexRunner } from "../../../src/runners/codex-runner.ts";
import { GeminiRunner } from "../../../src/runners/gemini-runner.ts";
import { CODEX_EXEC_HELP, CODEX_FEATURES, CODEX_VERSION } from "./codex-fixtures.ts";
import { type FakeAgent, fakeAgent } from "./fake-agent.ts";
import { GEMINI_HELP, GEMINI_VERSION } from "./gemini-fixtures.ts";
import { fakeAgentOptions } from "./runner-for.ts";

/** A fake `codex` answering the runner's probes with 0.171.0's text unless told otherwise. */
export function fakeCodex(
  body: string,
  probes: { help?: string; features?: string } = {},
): FakeAgent {
  return fakeAgent(body, {
    name: "codex",
    version: CODEX_VERSION,
    probes: {
      "exec --help": probes.help ?? CODEX_EXEC_HELP,
      "features list": probes.features ?? CODEX_FEATURES,
    },
    systemPromptFile: '"$CODEX_HOME/instructions.md"',
  });
}

/** A fake `gemini` answering `--help` with 0.61.0's text unless told otherwise. */
export function fakeGemini(body: string, help = GEMINI_HELP): FakeAgent {
  return fakeAgent(body, {
    name: "gemini",
    version: GEMINI_VERSION,
    probes: { "--help": help },
    systemPromptFile: '"$GEMINI_SYSTEM_MD"',
  });
}

export function codexFor(agent: FakeAgent, overrides: AgentCliOptions = {}): CodexRunner {
  return new CodexRunner({ ...fakeAgentOptions(agent), ...overrides });
}

export function geminiFor(agent: FakeAgent, overrides: AgentCliOptions = {}): GeminiRunner {
  return new GeminiRunner({ ...fakeAgentOptions(agent), ...overrides });
}
