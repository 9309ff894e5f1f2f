import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ClaudeRunner } from "../../src/runners/claude-runner.ts";
import { probeCli } from "../../src/runners/cli-probe.ts";
import { RunnerError } from "../../src/runners/runner.ts";
import { fakeAgent, printLines } from "../support/fake-agents/fake-agent.ts";
import { INIT, resultLine } from "../support/fake-agents/fixtures.ts";
import { runError, runnerFor } from "../support/fake-agents/runner-for.ts";
import { type MessagesStub, startMessagesStub } from "../support/messages-api-stub.ts";
import { tempDir } from "../support/tmp.ts";
import { claudeUserSetup } from "../support/user-home.ts";

const CLAUDE = join(import.meta.dir, "../../.cache/claude-code/node_modules/.bin/claude");
const SYSTEM_PROMPT = "You summarize sessions. SYSTEM-PROMPT-MARK. Reply with JSON only.";
const SUMMARY = '{"title":"Locked down","summary":"ok","quality_score":0.7}';

const OLD_HELP = `Usage: claude [options]
  --no-session-persistence  Disable session persistence
  --tools <tools...>        Specify the list of available tools`;

describe("lock-down probe (fake CLIs)", () => {
  test("a CLI without the lock-down flags is refused before any prompt is sent, never retried", async () => {
    const agent = fakeAgent(`${printLines(INIT, resultLine())}\nexit 0`, {
      help: OLD_HELP,
      version: "2.0.1 (Claude Code)",
    });
    const error = await runError(runnerFor(agent).run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_LOCKDOWN");
    expect(error.retry).toBe("never");
    expect(error.message).toContain("--setting-sources");
    expect(error.message).toContain("--strict-mcp-config");
    expect(error.message).toContain("--system-prompt");
    expect(error.message).toContain("2.0.1");
    expect(error.message).toContain("upgrade Claude Code");
    // The run itself never started: no argv, no stdin recorded.
    expect(existsSync(join(agent.dir, "stdin"))).toBe(false);
    const check = await runnerFor(agent).check();
    expect(check.problem).toContain("cannot be locked down");
    expect(check.version).toBeNull();
  });

  test("a CLI with every flag passes the check and reports its version", async () => {
    const agent = fakeAgent("exit 0");
    const check = await runnerFor(agent).check();
    expect(check).toMatchObject({ agentType: "claude", bin: agent.bin, problem: null });
    expect(check.version).toBe("2.1.197");
  });

  test("a CLI whose --help never answers is not run: a retryable probe failure", async () => {
    const agent = fakeAgent("exit 0", { helpScript: "exec sleep 30" });
    const error = await probeCli(agent.bin, {
      env: { PATH: "/usr/bin:/bin" },
      commands: [["--help"]],
      timeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerError);
    expect((error as RunnerError).code).toBe("E_AGENT_LOCKDOWN");
    expect((error as RunnerError).retry).toBe("retry");
    expect((error as RunnerError).message).toContain("did not answer in time");
    expect(existsSync(join(agent.dir, "stdin"))).toBe(false);
  });
});

describe("lock-down with the real Claude Code CLI and a user's real setup", () => {
  const stubs: MessagesStub[] = [];
  afterAll(async () => {
    await Promise.all(stubs.map((s) => s.stop()));
  });

  test("no hook, MCP server, CLAUDE.md, skill or agent of the user reaches the run", async () => {
    expect(existsSync(CLAUDE)).toBe(true);
    const stub = startMessagesStub({ behaviour: { kind: "reply", text: SUMMARY } });
    stubs.push(stub);
    const home = tempDir("agentwork-user-home-");
    const setup = claudeUserSetup(home);
    const workRoot = tempDir("agentwork-runs-");
    const runner = new ClaudeRunner({
      agentBin: CLAUDE,
      env: { PATH: "/usr/bin:/bin" },
      home,
      workRoot,
      extraEnv: {
        ANTHROPIC_API_KEY: "test-key",
        ANTHROPIC_BASE_URL: stub.url,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      },
      resultGraceMs: 2_000,
      killGraceMs: 1_000,
    });
    const prompt = "<transcript>user: fix the cache</transcript>";
    const result = await runner.run({ prompt, systemPrompt: SYSTEM_PROMPT, timeoutMs: 60_000 });
    expect(result.output).toBe(SUMMARY);

    expect(setup.touched()).toEqual([]);
    const requests = stub.messageRequests();
    expect(requests).toHaveLength(1);
    const body = requests[0]?.rawBody ?? "";
    for (const sentinel of setup.sentinels) expect(body).not.toContain(sentinel);
    // Our instructions replace the CLI's default system prompt; no tools are offered.
    expect(body).toContain("SYSTEM-PROMPT-MARK");
    expect(body).not.toContain("interactive agent that helps users");
    expect((requests[0]?.body as { tools?: unknown[] } | undefined)?.tools).toEqual([]);
    // The private work dir is gone and nothing was written into HOME's projects.
    expect(readdirSync(workRoot)).toEqual([]);
    expect(existsSync(join(home, ".claude", "projects"))).toBe(false);
  }, 90_000);
});
