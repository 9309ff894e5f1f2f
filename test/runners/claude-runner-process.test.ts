import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { fakeAgent, printLines, shellQuote } from "../support/fake-agents/fake-agent.ts";
import { ASSISTANT, apiRetryLine, INIT, resultLine } from "../support/fake-agents/fixtures.ts";
import { expectGone, runError, runnerFor } from "../support/fake-agents/runner-for.ts";
import { tempDir } from "../support/tmp.ts";

// Loose "returned, not hung" bound: watchdogs here are hundreds of ms, the machine is shared.
const PROMPT_RETURN_MS = 8_000;
/** A grandchild in the agent's group; its pid lands in gc.pid. */
const GRANDCHILD = `sleep 600 &\necho $! > "$DIR/gc.pid"`;

describe("ClaudeRunner process control (fake agents)", () => {
  test("hang after a good result: success with that result, whole group killed", async () => {
    const agent = fakeAgent(`${GRANDCHILD}\n${printLines(INIT, ASSISTANT, resultLine())}\nwait`);
    let leader = 0;
    const started = performance.now();
    const run = await runnerFor(agent).run({
      prompt: "p",
      systemPrompt: "s",
      onSpawn: (pid) => (leader = pid),
    });
    expect(performance.now() - started).toBeLessThan(PROMPT_RETURN_MS);
    expect(run.output).toBe("the answer");
    expect(run.exitCode).toBeNull(); // killed by our TERM, not an exit of its own
    await expectGone(leader);
    await expectGone(agent.pidFile("gc.pid"));
  });

  test("no output at all → E_AGENT_IDLE, retryable, group killed", async () => {
    const agent = fakeAgent(`${GRANDCHILD}\nwait`);
    const runner = runnerFor(agent, { idleTimeoutMs: 300 });
    const error = await runError(runner.run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_IDLE");
    expect(error.retry).toBe("retry");
    await expectGone(error.partial.pid ?? 0);
    await expectGone(agent.pidFile("gc.pid"));
  });

  test("output then silence → E_AGENT_IDLE (the idle clock restarts on output)", async () => {
    const agent = fakeAgent(`${printLines(INIT)}\nsleep 0.2\n${printLines(ASSISTANT)}\nsleep 600`);
    const runner = runnerFor(agent, { idleTimeoutMs: 400 });
    const error = await runError(runner.run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_IDLE");
    expect(error.partial.sessionId).toBe("7f3c2a9e-1b4d-4c8e-9a60-2d5e8f1b3c47");
  });

  test("a grandchild keeping stdout open after the leader exits does not hang the run", async () => {
    const agent = fakeAgent(`${printLines(INIT, ASSISTANT, resultLine())}\n${GRANDCHILD}\nexit 0`);
    const started = performance.now();
    const run = await runnerFor(agent).run({ prompt: "p", systemPrompt: "s" });
    expect(performance.now() - started).toBeLessThan(PROMPT_RETURN_MS);
    expect(run).toMatchObject({ output: "the answer", exitCode: 0 });
    await expectGone(agent.pidFile("gc.pid"));
  });

  test("TERM ignored by the whole tree: timeout escalates to KILL (intent 38 shape)", async () => {
    const agent = fakeAgent(`trap '' TERM\n${GRANDCHILD}\n${printLines(INIT)}\nwait\nwait`);
    const started = performance.now();
    const error = await runError(
      runnerFor(agent).run({ prompt: "p", systemPrompt: "s", timeoutMs: 300 }),
    );
    expect(performance.now() - started).toBeLessThan(PROMPT_RETURN_MS);
    expect(error.code).toBe("E_AGENT_TIMEOUT");
    expect(error.retry).toBe("retry");
    expect(error.message).toContain("timed out");
    expect(error.partial.exitCode).toBeNull();
    await expectGone(error.partial.pid ?? 0);
    await expectGone(agent.pidFile("gc.pid"));
  });

  test("sleeping script with a 200 ms override times out promptly (intent 38)", async () => {
    const agent = fakeAgent("sleep 60");
    const started = performance.now();
    const error = await runError(
      runnerFor(agent).run({ prompt: "p", systemPrompt: "s", timeoutMs: 200 }),
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe("E_AGENT_TIMEOUT");
    expect(error.message).toContain("timed out");
  });

  test("cancel via the request signal → E_AGENT_CANCELLED (intent 41)", async () => {
    // The agent says "running" through a FIFO once its grandchild exists; then the test cancels.
    const running = join(tempDir(), "running.fifo");
    expect(Bun.spawnSync(["mkfifo", running]).exitCode).toBe(0);
    const agent = fakeAgent(
      `${GRANDCHILD}\n${printLines(INIT)}\necho running > ${shellQuote(running)}\nwait`,
    );
    const controller = new AbortController();
    const run = runError(
      runnerFor(agent).run({ prompt: "p", systemPrompt: "s", signal: controller.signal }),
    );
    await Bun.file(running).text();
    controller.abort();
    const error = await run;
    expect(error.code).toBe("E_AGENT_CANCELLED");
    await expectGone(error.partial.pid ?? 0);
    await expectGone(agent.pidFile("gc.pid"));
  });

  test("an already aborted signal never starts the agent", async () => {
    const agent = fakeAgent("exit 0");
    const controller = new AbortController();
    controller.abort();
    let spawned = false;
    const error = await runError(
      runnerFor(agent).run({
        prompt: "p",
        systemPrompt: "s",
        signal: controller.signal,
        onSpawn: () => (spawned = true),
      }),
    );
    expect(error.code).toBe("E_AGENT_CANCELLED");
    expect(spawned).toBe(false);
  });

  test("5 MB of output before the result: no deadlock, result read", async () => {
    const agent = fakeAgent(
      `${printLines(INIT)}\nyes ${shellQuote(ASSISTANT)} | head -n 12000\n${printLines(resultLine())}`,
    );
    const run = await runnerFor(agent).run({ prompt: "p", systemPrompt: "s" });
    expect(run.output).toBe("the answer");
    expect(run.tokensIn).toBe(50);
  });

  test("a line over the cap is skipped without buffering it; later lines still count", async () => {
    const agent = fakeAgent(
      `head -c 3000000 /dev/zero | tr '\\0' 'x'\necho\n${printLines(resultLine({ result: "after" }))}`,
    );
    const run = await runnerFor(agent, { maxLineBytes: 1024 * 1024 }).run({
      prompt: "p",
      systemPrompt: "s",
    });
    expect(run.output).toBe("after");
  });

  test("api_retry authentication_failed stops at once → E_AGENT_AUTH, never", async () => {
    const line = apiRetryLine(1, 401, "authentication_failed");
    const agent = fakeAgent(`${GRANDCHILD}\n${printLines(INIT, line)}\nwait`);
    const error = await runError(runnerFor(agent).run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_AUTH");
    expect(error.retry).toBe("never");
    expect(error.message).toContain("401");
    await expectGone(agent.pidFile("gc.pid"));
  });

  test("api_retry 529 up to the cap → E_AGENT_OVERLOADED, retryable, naming the status", async () => {
    const lines = [1, 2, 3].map((n) => apiRetryLine(n, 529, "overloaded"));
    const agent = fakeAgent(`${printLines(INIT, ...lines)}\nsleep 600`);
    const error = await runError(
      runnerFor(agent, { maxApiRetries: 3 }).run({ prompt: "p", systemPrompt: "s" }),
    );
    expect(error.code).toBe("E_AGENT_OVERLOADED");
    expect(error.retry).toBe("retry");
    expect(error.message).toContain("529");
  });

  test("api_retry 429 with the cap off: the timeout decides and reports the status", async () => {
    const agent = fakeAgent(`${printLines(INIT, apiRetryLine(1, 429, "rate_limit"))}\nsleep 600`);
    const runner = runnerFor(agent, { maxApiRetries: 0 });
    const error = await runError(runner.run({ prompt: "p", systemPrompt: "s", timeoutMs: 300 }));
    expect(error.code).toBe("E_AGENT_TIMEOUT");
    expect(error.message).toContain("429");
  });
});
