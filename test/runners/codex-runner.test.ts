import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FakeClock } from "../support/clock.ts";
import {
  agentMessage,
  CODEX_FEATURES_RENAMED,
  CODEX_OLD_EXEC_HELP,
  errorEvent,
  HIGH_DEMAND,
  METADATA_WARNING,
  THREAD,
  TURN_STARTED,
  turnCompleted,
  turnFailed,
  UNAUTHORIZED,
} from "../support/fake-agents/codex-fixtures.ts";
import { printLines, shellQuote } from "../support/fake-agents/fake-agent.ts";
import { codexFor, fakeCodex } from "../support/fake-agents/fake-codex-gemini.ts";
import { expectGone, runError } from "../support/fake-agents/runner-for.ts";
import { tempDir } from "../support/tmp.ts";

const PROMPT = "Summarize this session. SECRET-PROMPT-MARKER — “quotes” and 'ticks'.";
const request = { prompt: PROMPT, systemPrompt: "OUR-INSTRUCTIONS" };

/** A fake codex that prints these lines and exits with `exit`. */
function codexPrinting(lines: string[], exit = 0, extra = "") {
  return fakeCodex(`${printLines(...lines)}\n${extra}\nexit ${exit}`);
}

async function failure(lines: string[], exit = 0, extra = "", clock = new FakeClock()) {
  const agent = codexPrinting(lines, exit, extra);
  return runError(codexFor(agent, { clock }).run(request));
}

describe("CodexRunner (fake codex replaying 0.171.0 output)", () => {
  test("happy path: locked-down argv, prompt only on stdin, tokens and thread id read", async () => {
    const agent = codexPrinting([
      THREAD,
      METADATA_WARNING,
      TURN_STARTED,
      agentMessage("the answer"),
      turnCompleted(120, 7, 20),
    ]);
    const runner = codexFor(agent, {
      env: {
        PATH: "/usr/bin:/bin",
        CODEX_SANDBOX: "seatbelt",
        CODEX_THREAD_ID: "t",
        CLAUDECODE: "1",
        LANG: "C",
      },
    });
    const result = await runner.run(request);
    expect(result).toMatchObject({
      output: "the answer",
      exitCode: 0,
      tokensIn: 120,
      tokensOut: 7,
      costUsd: null,
      sessionId: "01a23445-82eb-70b0-bed7-f53e8f6e87d4",
    });
    const argv = agent.argv();
    expect(argv.slice(0, 7)).toEqual([
      "exec",
      "--json",
      "--sandbox",
      "read-only",
      "--ephemeral",
      "--color",
      "never",
    ]);
    for (const flag of ["--ignore-user-config", "--ignore-rules", "--skip-git-repo-check"]) {
      expect(argv).toContain(flag);
    }
    const disabled = argv.flatMap((arg, i) => (argv[i - 1] === "--disable" ? [arg] : []));
    // Every tool feature the list names, none that is removed or not a tool.
    expect(disabled.sort()).toEqual(
      [
        "apps",
        "browser_use",
        "code_mode_host",
        "goals",
        "hooks",
        "image_generation",
        "memories",
        "plugins",
        "shell_snapshot",
        "shell_tool",
        "skill_search",
        "unified_exec",
        "view_image",
        "web_search_request",
      ].sort(),
    );
    expect(argv).toContain('web_search="disabled"');
    expect(argv.at(-1)).toBe("-");
    expect(argv.join(" ")).not.toContain("SECRET-PROMPT-MARKER");
    expect(argv.join(" ")).not.toContain("OUR-INSTRUCTIONS");
    expect(agent.stdin()).toBe(PROMPT);
    expect(agent.systemPrompt()).toBe("OUR-INSTRUCTIONS");
    const env = agent.env();
    expect(env).toMatchObject({
      OX_SESSION_RECORDING: "disabled",
      SAGEOX_DAEMON: "false",
      LANG: "C",
    });
    for (const nested of ["CODEX_SANDBOX", "CODEX_THREAD_ID", "CLAUDECODE"]) {
      expect(env[nested]).toBeUndefined();
    }
    // A private CODEX_HOME and work dir, both gone after the run.
    expect(env.CODEX_HOME).toEndWith("/codex-home");
    expect(agent.cwd()).toBe(
      join(env.CODEX_HOME ?? "", "..", "work").replace(/\/codex-home\/\.\./, ""),
    );
    expect(agent.cwdList()).toEqual([]);
    expect(existsSync(env.CODEX_HOME ?? "/")).toBe(false);
  });

  test("the user's login is linked and only their model provider is carried from config.toml", async () => {
    const home = tempDir("agentwork-codex-user-");
    const codexHome = join(home, ".codex");
    mkdirSync(codexHome);
    writeFileSync(join(codexHome, "auth.json"), '{"OPENAI_API_KEY":"sk-user"}');
    writeFileSync(
      join(codexHome, "config.toml"),
      `model = "gpt-5"\nmodel_provider = "corp"\n[model_providers.corp]\nname = "Corp"\nbase_url = "http://127.0.0.1:9/v1"\nenv_key = "CORP_KEY"\nexperimental_bearer_token = "SECRET-BEARER"\n[mcp_servers.notes]\ncommand = "touch"\nargs = ["/tmp/x"]\n`,
    );
    const agent = fakeCodex(
      `readlink "$CODEX_HOME/auth.json" > "$DIR/auth-link"\n${printLines(agentMessage("ok"), turnCompleted())}`,
    );
    await codexFor(agent, { home, env: { PATH: "/usr/bin:/bin" } }).run(request);
    const argv = agent.argv().join("\n");
    expect(argv).toContain('model="gpt-5"');
    expect(argv).toContain('model_provider="corp"');
    expect(argv).toContain(
      'model_providers.corp={name="Corp",base_url="http://127.0.0.1:9/v1",env_key="CORP_KEY"}',
    );
    expect(argv).not.toContain("SECRET-BEARER");
    expect(argv).not.toContain("mcp_servers");
    expect(Bun.file(join(agent.dir, "auth-link")).size).toBeGreaterThan(0);
    expect((await Bun.file(join(agent.dir, "auth-link")).text()).trim()).toBe(
      join(codexHome, "auth.json"),
    );
  });

  test("turn.failed then exit 0 is a failure (401 → E_AGENT_AUTH, never)", async () => {
    const error = await failure(
      [
        THREAD,
        TURN_STARTED,
        errorEvent(`Reconnecting... 1/1 (${UNAUTHORIZED})`),
        turnFailed(UNAUTHORIZED),
      ],
      0,
    );
    expect(error.code).toBe("E_AGENT_AUTH");
    expect(error.retry).toBe("never");
    expect(error.message).toContain("401 Unauthorized");
  });

  test("a completed turn after a sticky error, exit 1, is a failure", async () => {
    const error = await failure(
      [
        THREAD,
        errorEvent("stream error: unexpected status 500 Internal Server Error"),
        agentMessage("late"),
        turnCompleted(),
      ],
      1,
    );
    expect(error.code).toBe("E_AGENT_SERVER");
    expect(error.retry).toBe("retry");
    expect(error.partial.tokensIn).toBe(120);
  });

  test("account usage limit → E_AGENT_USAGE_LIMIT, pause until the time it names", async () => {
    const clock = new FakeClock();
    const text = "You've hit your usage limit. Upgrade to Pro or try again in 2 days 3 hours.";
    const error = await failure([THREAD, turnFailed(text)], 1, "", clock);
    expect(error.code).toBe("E_AGENT_USAGE_LIMIT");
    expect(error.retry).toBe("pause");
    expect(error.pauseUntilMs).toBe(clock.now() + (2 * 24 + 3) * 3_600_000);
  });

  test("rate limit → E_AGENT_RATE_LIMIT, retried after the delay it names", async () => {
    const error = await failure(
      [
        THREAD,
        turnFailed(
          "exceeded retry limit, last status: 429 Too Many Requests. Please try again in 20s.",
        ),
      ],
      1,
    );
    expect(error.code).toBe("E_AGENT_RATE_LIMIT");
    expect(error.retry).toBe("retry");
    expect(error.retryAfterMs).toBe(20_000);
  });

  test("billing, overload, bad request", async () => {
    const billing = await failure(
      [
        turnFailed(
          "You exceeded your current quota, please check your plan and billing details (insufficient_quota)",
        ),
      ],
      1,
    );
    expect([billing.code, billing.retry]).toEqual(["E_AGENT_BILLING", "never"]);
    const overload = await failure([turnFailed(HIGH_DEMAND)], 1);
    expect([overload.code, overload.retry]).toEqual(["E_AGENT_OVERLOADED", "retry"]);
    const bad = await failure(
      [turnFailed("unexpected status 400 Bad Request: model not supported")],
      1,
    );
    expect([bad.code, bad.retry]).toEqual(["E_AGENT_FAILED", "never"]);
  });

  test("an argument clap rejects → E_AGENT_BAD_FLAGS, never", async () => {
    const error = await failure(
      [],
      2,
      `printf '%s\\n' "error: unexpected argument '--ephemeral' found" >&2`,
    );
    expect(error.code).toBe("E_AGENT_BAD_FLAGS");
    expect(error.retry).toBe("never");
  });

  test("no completed turn, or a turn without a message → E_AGENT_NO_RESULT, retried", async () => {
    const none = await failure([THREAD, TURN_STARTED], 0);
    expect([none.code, none.retry]).toEqual(["E_AGENT_NO_RESULT", "retry"]);
    const empty = await failure([THREAD, turnCompleted()], 0);
    expect([empty.code, empty.retry]).toEqual(["E_AGENT_NO_RESULT", "retry"]);
  });

  test("timeout kills the whole process group, grandchild included", async () => {
    const agent = fakeCodex(
      `sleep 600 &\necho $! > "$DIR/gc.pid"\n${printLines(THREAD, errorEvent("Reconnecting... waiting for network"))}\nwait`,
    );
    const error = await runError(codexFor(agent, { timeoutMs: 600 }).run(request));
    expect(error.code).toBe("E_AGENT_TIMEOUT");
    expect(error.message).toContain("waiting for network");
    await expectGone(agent.pidFile("gc.pid"));
  });

  test("idle stdout → E_AGENT_IDLE; a CLI hanging after its completed turn still succeeds", async () => {
    const idle = fakeCodex(`${printLines(THREAD)}\nsleep 600`);
    expect((await runError(codexFor(idle, { idleTimeoutMs: 300 }).run(request))).code).toBe(
      "E_AGENT_IDLE",
    );
    const hang = fakeCodex(`${printLines(agentMessage("done"), turnCompleted())}\nsleep 600`);
    expect((await codexFor(hang).run(request)).output).toBe("done");
  });

  test("after 3 reconnect notices the run stops at once, classed by the error retried", async () => {
    const notice = (n: number) => errorEvent(`Reconnecting... ${n}/5 (${UNAUTHORIZED})`);
    const agent = fakeCodex(`${printLines(THREAD, notice(1), notice(2), notice(3))}\nsleep 600`);
    const error = await runError(codexFor(agent, { timeoutMs: 30_000 }).run(request));
    expect([error.code, error.retry]).toEqual(["E_AGENT_AUTH", "never"]);
    expect(error.message).toContain("3 API retries");
    const network = fakeCodex(
      `${printLines(THREAD, ...[1, 2, 3].map(() => errorEvent("Reconnecting... waiting for network (Connection failed: error sending request)")))}\nsleep 600`,
    );
    const offline = await runError(codexFor(network, { timeoutMs: 30_000 }).run(request));
    expect([offline.code, offline.retry]).toEqual(["E_AGENT_SERVER", "retry"]);
  });

  test("more stdout than the cap → rejected, retryable", async () => {
    const agent = fakeCodex(
      `i=0; while [ $i -lt 200 ]; do ${printLines(errorEvent("x".repeat(100)))}; i=$((i+1)); done\n${printLines(agentMessage("ok"), turnCompleted())}`,
    );
    const error = await runError(codexFor(agent, { maxStdoutBytes: 5_000 }).run(request));
    expect([error.code, error.retry]).toEqual(["E_AGENT_NO_RESULT", "retry"]);
    expect(error.message).toContain("5000 bytes");
  });

  test("a Codex without the isolation flags is refused before any prompt is sent", async () => {
    const agent = fakeCodex("exit 0", { help: CODEX_OLD_EXEC_HELP });
    const error = await runError(codexFor(agent).run(request));
    expect([error.code, error.retry]).toEqual(["E_AGENT_LOCKDOWN", "never"]);
    for (const flag of ["--ephemeral", "--ignore-user-config", "--ignore-rules", "--disable"]) {
      expect(error.message).toContain(flag);
    }
    expect(existsSync(join(agent.dir, "stdin"))).toBe(false);
    const check = await codexFor(agent).check();
    expect(check.problem).toContain("cannot be locked down");
  });

  test("a Codex whose feature list lacks the command tools is refused, naming them", async () => {
    const agent = fakeCodex("exit 0", { features: CODEX_FEATURES_RENAMED });
    const error = await runError(codexFor(agent).run(request));
    expect([error.code, error.retry]).toEqual(["E_AGENT_LOCKDOWN", "never"]);
    expect(error.message).toContain("shell_tool, unified_exec");
    expect(existsSync(join(agent.dir, "stdin"))).toBe(false);
  });

  test("check() reports the version of a lockable Codex", async () => {
    const check = await codexFor(fakeCodex("exit 0")).check();
    expect(check).toMatchObject({ agentType: "codex", problem: null, version: "0.171.0" });
    expect(shellQuote("a")).toBe("'a'");
  });
});
