import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "../../src/core/process.ts";
import type { RunJson, WorkItemJson } from "../../src/operations/json-shapes.ts";
import type { AgentWorkStatus } from "../../src/scheduler/status.ts";
import { dialogue, gitLedger, HEADER, writeSession } from "../support/ledger.ts";
import type { MessagesStub } from "../support/messages-api-stub.ts";
import { tempDir } from "../support/tmp.ts";
import { binaryAndStub, cli, cliJson, userEnv, waitForLine } from "./binary-harness.ts";

/**
 * Signal sequences sent to the compiled daemon while the real Claude CLI waits on a held reply
 * from the loopback API: whatever the sequence, no agent process is left, every item is back in
 * the queue with its attempt refunded, the socket is gone, and the next start pays for exactly one
 * run per item.
 */
const SUMMARY = JSON.stringify({
  title: "Fix the flaky cache TTL test",
  summary: "The TTL used wall-clock time; switching to the injected clock fixed the flake.",
  key_actions: ["Found the wall-clock use", "Injected the clock"],
  outcome: "success",
  topics_found: ["testing"],
  quality_score: 0.8,
  score_reason: "Root-caused a flaky test",
});

let bin = "";
let stub: MessagesStub;

beforeAll(() => {
  ({ bin, stub } = binaryAndStub(SUMMARY));
});
afterAll(() => stub.stop());

/** Holds every model request open; resolves once `count` of them have arrived. */
function holdRequests(count: number): Promise<void> {
  let seen = 0;
  return new Promise<void>((resolve) => {
    stub.setBehaviour(() => {
      if (++seen === count) resolve();
      return { kind: "hang" };
    });
  });
}

/**
 * Whether any live process is left in the group. Zombies do not count: the agent's own children
 * (git, sh) are re-parented to PID 1 when the group is killed, and a sandbox's PID 1 may never
 * reap them; they are dead and hold nothing.
 */
function groupAlive(pgid: number): boolean {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[2] === String(pgid) && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

interface Scenario {
  names: string[];
  ledger: string;
  db: string;
  env: Record<string, string>;
}

function scenario(count: number): Scenario {
  const { ledger, sessions } = gitLedger();
  const names = Array.from({ length: count }, (_, i) => `2026-04-0${i + 1}T10-00-sig-${i}`);
  for (const name of names) writeSession(sessions, name, { lines: [HEADER, ...dialogue()] });
  return { names, ledger, db: join(tempDir(), "agentwork.db"), env: userEnv(stub.url) };
}

/** After the stop: no agent left, items queued with no attempt spent, socket removed. */
async function expectCleanStop(s: Scenario): Promise<void> {
  const history = await cliJson<RunJson[]>(bin, ["history", "--db", s.db], s.env);
  expect(history.length).toBe(s.names.length);
  for (const run of history) {
    expect(run.status).toBe("interrupted");
    expect(run.pid ?? 0).toBeGreaterThan(0);
    expect(isProcessAlive(run.pid ?? 0)).toBe(false);
    expect(groupAlive(run.pid ?? 0)).toBe(false);
  }
  const queue = await cliJson<WorkItemJson[]>(bin, ["queue", "--db", s.db], s.env);
  expect(queue.map((i) => [i.state, i.attempts])).toEqual(s.names.map(() => ["queued", 0]));
  expect(existsSync(`${s.db}.sock`)).toBe(false);
}

/** The next start: one successful run per item, nothing run twice. */
async function expectNoWastedRuns(s: Scenario): Promise<void> {
  stub.setBehaviour({ kind: "reply", text: SUMMARY });
  const before = stub.messageRequests().length;
  const restart = await cli(bin, ["daemon", "--once", "--ledger", s.ledger, "--db", s.db], s.env);
  expect(restart.code).toBe(0);
  const queue = await cliJson<WorkItemJson[]>(bin, ["queue", "--db", s.db], s.env);
  expect(queue.map((i) => [i.state, i.attempts])).toEqual(s.names.map(() => ["done", 1]));
  const history = await cliJson<RunJson[]>(bin, ["history", "--db", s.db], s.env);
  expect(history.filter((r) => r.status === "completed")).toHaveLength(s.names.length);
  // One model call per item on the restart: the stopped runs were not charged again.
  expect(stub.messageRequests().length - before).toBe(s.names.length);
}

describe("signals sent to the compiled daemon mid-run", () => {
  test("SIGTERM twice: the grace period is cut short, the stop path still runs", async () => {
    const s = scenario(2);
    const held = holdRequests(2);
    const daemon = Bun.spawn([bin, "daemon", "--ledger", s.ledger, "--db", s.db], {
      env: s.env,
      stdout: "ignore",
      stderr: "pipe",
    });
    await held;
    daemon.kill("SIGTERM");
    await waitForLine(daemon.stderr, /SIGTERM: finishing running work/);
    daemon.kill("SIGTERM");
    await waitForLine(daemon.stderr, /SIGTERM again: stopping running agents now/);
    expect(await daemon.exited).toBe(0);
    await expectCleanStop(s);
    await expectNoWastedRuns(s);
  }, 120_000);

  test("SIGINT twice during daemon --once: same stop path, exit 1, items back in the queue", async () => {
    const s = scenario(1);
    const held = holdRequests(1);
    const once = Bun.spawn([bin, "daemon", "--once", "--ledger", s.ledger, "--db", s.db], {
      env: s.env,
      stdout: "ignore",
      stderr: "pipe",
    });
    await held;
    once.kill("SIGINT");
    await waitForLine(once.stderr, /SIGINT: stopping running work/);
    once.kill("SIGINT");
    await waitForLine(once.stderr, /SIGINT again/);
    expect(await once.exited).toBe(1);
    await expectCleanStop(s);
    await expectNoWastedRuns(s);
  }, 120_000);

  test("SIGHUP re-reads the config and never kills; a later SIGTERM stops cleanly", async () => {
    const s = scenario(1);
    const config = join(tempDir(), "config.yaml");
    writeFileSync(config, "max_concurrent: 2\n");
    const env = { ...s.env, AGENTWORK_CONFIG: config };
    const held = holdRequests(1);
    const daemon = Bun.spawn([bin, "daemon", "--ledger", s.ledger, "--db", s.db], {
      env,
      stdout: "ignore",
      stderr: "pipe",
    });
    await held;
    writeFileSync(config, "max_concurrent: none\n");
    daemon.kill("SIGHUP");
    await waitForLine(daemon.stderr, /keeping the last good config: .*max_concurrent/);
    writeFileSync(config, "max_concurrent: 2\n");
    daemon.kill("SIGHUP");
    await waitForLine(daemon.stderr, /config .* is valid again/);
    const status = await cliJson<AgentWorkStatus>(bin, ["status", "--db", s.db], env);
    expect(status.daemon).toEqual({ running: true, pid: daemon.pid });
    daemon.kill("SIGTERM");
    await waitForLine(daemon.stderr, /SIGTERM: finishing running work/);
    daemon.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    await expectCleanStop({ ...s, env });
    await expectNoWastedRuns({ ...s, env });
  }, 120_000);

  test("SIGHUP after the terminal is gone (stderr closed): the daemon keeps running", async () => {
    const s = scenario(0);
    const daemon = Bun.spawn([bin, "daemon", "--ledger", s.ledger, "--db", s.db], {
      env: s.env,
      stdout: "ignore",
      stderr: "pipe",
    });
    await waitForLine(daemon.stderr, /agentwork daemon \(pid \d+\) watching/);
    await daemon.stderr.cancel();
    daemon.kill("SIGHUP");
    daemon.kill("SIGHUP");
    const status = await cliJson<AgentWorkStatus>(bin, ["status", "--db", s.db], s.env);
    expect(status.daemon).toEqual({ running: true, pid: daemon.pid });
    daemon.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    expect(existsSync(`${s.db}.sock`)).toBe(false);
  }, 60_000);
});
