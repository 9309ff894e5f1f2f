import { describe, expect, test } from "bun:test";
import { DEFAULT_CONFIG } from "../../src/config/config.ts";
import { ClaudeRunner } from "../../src/runners/claude-runner.ts";
import { createRunner } from "../../src/runners/create-runner.ts";
import { emptyRunResult, MockRunner } from "../../src/runners/mock-runner.ts";
import { RunnerError } from "../../src/runners/runner.ts";
import { runnerOptionsFromConfig } from "../../src/runners/runner-options.ts";

describe("MockRunner", () => {
  test("defaults: available, empty successful result, counts calls", async () => {
    const runner = new MockRunner();
    expect(runner.available()).toBe(true);
    expect(await runner.run({ prompt: "p", systemPrompt: "s" })).toEqual(emptyRunResult());
    expect(runner.calls).toBe(1);
    expect(runner.requests[0]?.prompt).toBe("p");
  });

  test("custom run function gets the call number; failures propagate", async () => {
    const runner = new MockRunner({
      available: false,
      run: (_request, call) => {
        if (call < 3) throw new RunnerError("E_AGENT_TIMEOUT", "slow", { retry: "retry" });
        return emptyRunResult({ output: "third time" });
      },
    });
    expect(runner.available()).toBe(false);
    runner.isAvailable = true;
    expect(runner.available()).toBe(true);
    await expect(runner.run({ prompt: "p", systemPrompt: "s" })).rejects.toThrow("slow");
    await expect(runner.run({ prompt: "p", systemPrompt: "s" })).rejects.toThrow("slow");
    expect((await runner.run({ prompt: "p", systemPrompt: "s" })).output).toBe("third time");
    expect(runner.calls).toBe(3);
  });
});

describe("createRunner", () => {
  test("the startup environment snapshot becomes the child's base env, PATH and HOME", () => {
    const environment = {
      path: "/opt/bin:/usr/bin",
      home: "/home/u",
      base: { LANG: "C.UTF-8", CLAUDECODE: "1" },
    };
    const claude = { ...DEFAULT_CONFIG, agentType: "claude" as const };
    const runner = createRunner(runnerOptionsFromConfig(claude, environment));
    const env = (runner as ClaudeRunner).childEnv();
    expect(env).toMatchObject({ LANG: "C.UTF-8", PATH: "/opt/bin:/usr/bin", HOME: "/home/u" });
    expect(env.CLAUDECODE).toBeUndefined();
  });

  test("agentType claude → ClaudeRunner with the configured options", () => {
    const options = runnerOptionsFromConfig({
      ...DEFAULT_CONFIG,
      agentType: "claude",
      model: "opus",
      maxTurns: 2,
    });
    const runner = createRunner({ ...options, path: "/nonexistent", home: "/nonexistent" });
    expect(runner).toBeInstanceOf(ClaudeRunner);
    expect(runner.agentType).toBe("claude");
    expect((runner as ClaudeRunner).args("/run/sp.md")).toEqual([
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--no-session-persistence",
      "--tools",
      "",
      "--setting-sources",
      "",
      "--strict-mcp-config",
      "--system-prompt-file",
      "/run/sp.md",
      "--model",
      "opus",
      "--max-turns",
      "2",
    ]);
  });
});
