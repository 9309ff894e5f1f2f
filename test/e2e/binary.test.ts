import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "../../src/core/process.ts";
import type { RunJson, WorkItemJson } from "../../src/operations/json-shapes.ts";
import type { AgentWorkStatus } from "../../src/scheduler/status.ts";
import { dialogue, git, gitLedger, HEADER, writeSession } from "../support/ledger.ts";
import type { MessagesStub } from "../support/messages-api-stub.ts";
import { tempDir } from "../support/tmp.ts";
import { claudeUserSetup } from "../support/user-home.ts";
import { binaryAndStub, cli, cliJson, userEnv, waitForLine } from "./binary-harness.ts";

const SUMMARY = JSON.stringify({
  title: "Fix the flaky cache TTL test",
  summary: "The TTL used wall-clock time; switching to the injected clock fixed the flake.",
  key_actions: ["Found the wall-clock use", "Injected the clock"],
  outcome: "success",
  topics_found: ["testing", "caching"],
  quality_score: 0.8,
  score_reason: "Root-caused a flaky test",
});

let bin = "";
let stub: MessagesStub;

beforeAll(() => {
  ({ bin, stub } = binaryAndStub(SUMMARY));
});
afterAll(() => stub.stop());

/** The API stand-in holds every request open; resolves when the first one arrives. */
function holdNextRequest(): Promise<void> {
  return new Promise<void>((resolve) => {
    stub.setBehaviour(() => {
      resolve();
      return { kind: "hang" };
    });
  });
}

function staleLedger(names: string[]) {
  const ledger = gitLedger();
  for (const name of names) writeSession(ledger.sessions, name, { lines: [HEADER, ...dialogue()] });
  return ledger;
}

describe("the agentwork executable", () => {
  test("daemon --once finalizes a ledger with the real Claude CLI; status, history, queue agree", async () => {
    const names = ["2026-03-14T08-15-dana-OxQ7mZ", "2026-03-15T09-00-ryan-OxTndR"];
    const { ledger, remote } = staleLedger(names);
    const env = userEnv(stub.url);
    // The user's Claude Code setup, in HOME and in the ledger (CLAUDE.md, hooks, .mcp.json).
    const setup = claudeUserSetup(env.HOME ?? "", ledger);
    const db = join(tempDir(), "state", "agentwork.db");
    const before = stub.messageRequests().length;
    const once = await cli(bin, ["daemon", "--once", "--ledger", ledger, "--db", db], env);
    expect(once.stderr).toContain("2 finalized");
    expect(once.code).toBe(0);
    // Locked down: nothing of the user's setup ran or reached the model; no new session appeared.
    expect(setup.touched()).toEqual([]);
    const sent = stub.messageRequests().slice(before);
    expect(sent).toHaveLength(2);
    for (const request of sent) {
      for (const sentinel of setup.sentinels) expect(request.rawBody).not.toContain(sentinel);
    }
    expect(existsSync(join(ledger, "sessions", "recorded-by-hook"))).toBe(false);

    const status = await cliJson<AgentWorkStatus>(bin, ["status", "--db", db], env);
    expect(status.stats).toMatchObject({ successes: 2, failures: 0, agent_runs: 2 });
    expect(status.agent_available).toBe(true);
    const history = await cliJson<RunJson[]>(bin, ["history", "--db", db], env);
    expect(history).toHaveLength(2);
    expect(
      history.every((r) => r.status === "completed" && (r.pid ?? 0) > 0 && r.tokens_in > 0),
    ).toBe(true);
    const queue = await cliJson<WorkItemJson[]>(bin, ["queue", "--db", db], env);
    expect(queue.map((i) => i.state)).toEqual(["done", "done"]);

    for (const name of names) {
      for (const f of ["summary.json", "summary.md", "session.html", "session.md", "meta.json"]) {
        expect(existsSync(join(ledger, "sessions", name, f))).toBe(true);
      }
    }
    const pushed = git(ledger, "--git-dir", remote, "log", "--format=%s", "main");
    for (const name of names) expect(pushed).toContain(`finalize session ${name}`);
    expect(stub.messageRequests().length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  test("kill -9 of a daemon mid-run, then a restart that finishes the work", async () => {
    const name = "2026-03-16T09-40-mei-OxP4kc";
    const { ledger } = staleLedger([name]);
    const env = userEnv(stub.url);
    const db = join(tempDir(), "agentwork.db");
    const arrived = holdNextRequest();
    const daemon = Bun.spawn([bin, "daemon", "--ledger", ledger, "--db", db], {
      env,
      stdout: "ignore",
      stderr: "ignore",
    });
    await arrived;
    daemon.kill("SIGKILL");
    await daemon.exited;
    stub.setBehaviour({ kind: "reply", text: SUMMARY });

    // The orphaned agent group is the only thing left of the dead daemon; its pid is on record.
    const sqlite = new Database(db, { readonly: true });
    const agentPid = sqlite.query<{ pid: number }, []>("SELECT pid FROM runs").get()?.pid ?? 0;
    sqlite.close();
    expect(agentPid).toBeGreaterThan(0);
    process.kill(-agentPid, "SIGKILL");

    const restart = await cli(bin, ["daemon", "--once", "--ledger", ledger, "--db", db], env);
    expect(restart.code).toBe(0);
    const history = await cliJson<RunJson[]>(bin, ["history", "--db", db], env);
    expect(history.map((r) => r.status)).toEqual(["completed", "interrupted"]);
    const queue = await cliJson<WorkItemJson[]>(bin, ["queue", "--db", db], env);
    expect(queue).toMatchObject([{ state: "done", attempts: 2 }]);
    expect(existsSync(join(ledger, "sessions", name, "summary.json"))).toBe(true);
  }, 120_000);

  test("SIGTERM during daemon --once stops the agent and puts the item back, attempt refunded", async () => {
    const name = "2026-03-17T10-00-mei-OxTerm";
    const { ledger } = staleLedger([name]);
    const env = userEnv(stub.url);
    const db = join(tempDir(), "agentwork.db");
    const arrived = holdNextRequest();
    const once = Bun.spawn([bin, "daemon", "--once", "--ledger", ledger, "--db", db], {
      env,
      stdout: "ignore",
      stderr: "pipe",
    });
    await arrived;
    once.kill("SIGTERM");
    const [code, stderr] = await Promise.all([once.exited, new Response(once.stderr).text()]);
    stub.setBehaviour({ kind: "reply", text: SUMMARY });
    expect(code).toBe(1);
    expect(stderr).toContain("stopped by SIGTERM");
    const queue = await cliJson<WorkItemJson[]>(bin, ["queue", "--db", db], env);
    expect(queue).toMatchObject([{ state: "queued", attempts: 0 }]);
    const history = await cliJson<RunJson[]>(bin, ["history", "--db", db], env);
    expect(history).toMatchObject([{ status: "interrupted" }]);
    // The daemon waited for its agent before exiting: the agent is gone (or an unreaped zombie).
    expect(history[0]?.pid ?? 0).toBeGreaterThan(0);
    expect(isProcessAlive(history[0]?.pid ?? 0)).toBe(false);
  }, 60_000);

  test("a second daemon on the same database exits 3 naming the holder; the socket is 0600", async () => {
    const { ledger } = staleLedger([]);
    const env = userEnv(stub.url);
    const db = join(tempDir(), "agentwork.db");
    const first = Bun.spawn([bin, "daemon", "--ledger", ledger, "--db", db], {
      env,
      stdout: "ignore",
      stderr: "pipe",
    });
    const { match } = await waitForLine(first.stderr, /agentwork daemon \(pid (\d+)\)/);
    expect((statSync(`${db}.sock`).mode & 0o777).toString(8)).toBe("600");
    const second = await cli(bin, ["daemon", "--ledger", ledger, "--db", db], env);
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`pid ${match[1]}`);
    const viaSocket = await cliJson<AgentWorkStatus>(bin, ["status", "--db", db], env);
    expect(viaSocket.daemon).toEqual({ running: true, pid: Number(match[1]) });
    first.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(existsSync(`${db}.sock`)).toBe(false);
  }, 60_000);

  test("a second daemon on the same ledger with another database exits 3 naming the pid and database holding it", async () => {
    const { ledger } = staleLedger([]);
    const env = userEnv(stub.url);
    const db = join(tempDir(), "first.db");
    const first = Bun.spawn([bin, "daemon", "--ledger", ledger, "--db", db], {
      env,
      stdout: "ignore",
      stderr: "pipe",
    });
    const { match } = await waitForLine(first.stderr, /agentwork daemon \(pid (\d+)\)/);
    const otherDb = join(tempDir(), "second.db");
    const second = await cli(bin, ["daemon", "--ledger", ledger, "--db", otherDb], env);
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`pid ${match[1]}`);
    expect(second.stderr).toContain(db);
    const once = await cli(bin, ["daemon", "--once", "--ledger", ledger, "--db", otherDb], env);
    expect(once.code).toBe(3);
    first.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    // Released on exit: the other database's worker may now take the ledger.
    expect(
      (await cli(bin, ["daemon", "--once", "--ledger", ledger, "--db", otherDb], env)).code,
    ).toBe(0);
  }, 60_000);

  test("init, then a first import of 20 transcripts: the import worker runs inside the executable", async () => {
    const env = userEnv(stub.url);
    const project = join(env.HOME as string, ".claude/projects/-home-dana-src-app");
    mkdirSync(project, { recursive: true });
    const old = Date.now() / 1000 - 7200;
    for (let n = 0; n < 20; n++) {
      const id = `${n.toString(16).padStart(8, "0")}-1111-4222-8333-444444444444`;
      const at = new Date(Date.UTC(2026, 2, 1, n)).toISOString();
      const base = { sessionId: id, cwd: "/home/dana/src/app", timestamp: at };
      const lines = [
        { ...base, type: "user", message: { role: "user", content: `Task ${n}` } },
        { ...base, type: "assistant", message: { role: "assistant", content: `Done ${n}.` } },
      ];
      const path = join(project, `${id}.jsonl`);
      writeFileSync(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
      utimesSync(path, old, old);
    }
    const ledger = join(tempDir(), "ledger");
    const init = await cli(bin, ["init", ledger, "--sources", "claude"], env);
    expect(init.code).toBe(0);
    const detect = await cli(bin, ["detect", "--verbose"], env);
    expect(detect.code).toBe(0);
    expect(detect.stderr).not.toContain("import worker");
    expect(detect.stderr).toContain("sources: imported 20 new and 0 grown session(s)");
    const sessions = readdirSync(join(ledger, "sessions")).filter((n) => !n.startsWith("."));
    expect(sessions).toHaveLength(20);
  }, 60_000);

  test("a bad config exits 2 naming the key; a locked database exits 3", async () => {
    const env = userEnv(stub.url);
    const config = join(tempDir(), "config.yaml");
    writeFileSync(config, "max_concurent: 3\n");
    const bad = await cli(bin, ["status", "--config", config], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("max_concurent");
    expect(bad.stderr).toContain("max_concurrent");
    expect(bad.stderr).not.toContain("    at ");

    // A session that exists: enqueue checks the name before it writes the database.
    const { ledger } = staleLedger(["x"]);
    const db = join(tempDir(), "agentwork.db");
    expect((await cli(bin, ["status", "--db", db], env)).code).toBe(0);
    const holder = new Database(db);
    holder.run("BEGIN EXCLUSIVE");
    try {
      const locked = await cli(
        bin,
        ["enqueue", "session-finalize", "x", "--ledger", ledger, "--db", db],
        env,
      );
      expect(locked.code).toBe(3);
      expect(locked.stderr).toContain("locked");
    } finally {
      holder.run("ROLLBACK");
      holder.close();
    }
  }, 60_000);

  test("usage: --help is plain text when piped, unknown commands exit 2, version prints", async () => {
    const env = userEnv(stub.url);
    const help = await cli(bin, ["status", "--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--json");
    expect(help.stdout).not.toContain("\x1b[");
    const unknown = await cli(bin, ["bogus"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("agentwork: Unknown command bogus\nRun with --help for usage.\n");
    const version = await cliJson<{ version: string }>(bin, ["version"], env);
    expect(version.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  test("enqueue without a daemon writes the queue and the model-free exports; a retry is refused while queued", async () => {
    const name = "2026-03-18T11-00-dana-OxHand";
    const { ledger } = staleLedger([name]);
    const env = userEnv(stub.url);
    const db = join(tempDir(), "agentwork.db");
    const args = ["--ledger", ledger, "--db", db];
    const queued = await cliJson<{ queued: boolean; id: string }>(
      bin,
      ["enqueue", "session-finalize", name, ...args],
      env,
    );
    expect(queued.queued).toBe(true);
    for (const f of ["session.md", "session.html"]) {
      expect(existsSync(join(ledger, "sessions", name, f))).toBe(true);
    }
    const again = await cli(bin, ["enqueue", "session-finalize", name, ...args, "--json"], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ queued: false, reason: "duplicate" });
    const retry = await cli(bin, ["retry", queued.id, ...args, "--json"], env);
    expect(retry.code).toBe(1);
    expect(JSON.parse(retry.stdout).results).toMatchObject([
      { ok: false, reason: "invalid_state" },
    ]);
    const queue = await cliJson<WorkItemJson[]>(bin, ["queue", "--db", db], env);
    expect(queue).toMatchObject([{ state: "queued", priority: 1 }]);
  }, 60_000);

  test("held sessions: status counts them, daemon --once leaves them, publish releases them; enqueue refuses a name that is no session", async () => {
    const heldName = "2026-03-19T10-00-dana-OxHeld";
    const names = [heldName, "2026-03-19T11-00-dana-OxFree"];
    const { ledger, remote } = staleLedger(names);
    writeFileSync(join(ledger, "sessions", heldName, ".held"), "{}");
    const env = userEnv(stub.url);
    const db = join(tempDir(), "agentwork.db");
    const args = ["--ledger", ledger, "--db", db];
    const once = await cli(bin, ["daemon", "--once", ...args], env);
    expect(once.code).toBe(0);
    expect(once.stderr).toContain("1 finalized");
    const held = join(ledger, "sessions", heldName);
    expect(existsSync(join(held, "session.md"))).toBe(true);
    expect(existsSync(join(held, "summary.json"))).toBe(false);
    expect(git(remote, "log", "--format=%s", "main")).not.toContain(heldName);
    const status = await cliJson<{ ledger: { held_sessions: number; git_problem: string | null } }>(
      bin,
      ["status", ...args],
      env,
    );
    expect(status.ledger).toMatchObject({ held_sessions: 1, git_problem: null });
    const published = await cliJson<{ published: string[] }>(
      bin,
      ["publish", "--all", ...args],
      env,
    );
    expect(published.published).toEqual([heldName]);
    expect((await cli(bin, ["daemon", "--once", ...args], env)).code).toBe(0);
    expect(git(remote, "log", "--format=%s", "main")).toContain(`finalize session ${heldName}`);

    const evil = "\u001b]0;pwned\u0007\u001b[31mred";
    const refused = await cli(bin, ["enqueue", "session-finalize", evil, ...args], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("no session");
    expect(refused.stderr).not.toContain("\u001b]0;");
  }, 90_000);
});
