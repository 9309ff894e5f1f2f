import { beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../../src/core/clock.ts";
import type { DoctorReport } from "../../src/doctor/run-doctor.ts";
import { openStorage } from "../../src/queue/storage.ts";
import { AgentPause } from "../../src/scheduler/agent-pause.ts";
import { buildBinary, CLAUDE, cli } from "../e2e/binary-harness.ts";
import { dialogue, git, gitLedger, HEADER, plainLedger, writeSession } from "../support/ledger.ts";
import { tempDir } from "../support/tmp.ts";

let bin = "";
beforeAll(() => {
  bin = buildBinary();
});

/** A user's HOME as it looks on a real machine: Claude settings, hooks, a CLAUDE.md. */
function userHome(): { home: string; env: Record<string, string> } {
  const home = tempDir("agentwork-home-");
  mkdirSync(join(home, ".claude"), { recursive: true });
  writeFileSync(
    join(home, ".claude", "settings.json"),
    JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: "command", command: "exit 2" }] }] } }),
  );
  writeFileSync(join(home, ".claude", "CLAUDE.md"), "Always answer in French.\n");
  mkdirSync(join(home, ".config"), { recursive: true });
  return {
    home,
    env: {
      PATH: "/usr/bin:/bin",
      HOME: home,
      XDG_CONFIG_HOME: join(home, ".config"),
      XDG_STATE_HOME: join(home, ".local/state"),
      USER: "dana",
    },
  };
}

async function doctor(args: string[], env: Record<string, string>) {
  const r = await cli(bin, ["doctor", "--json", ...args], env);
  const report = JSON.parse(r.stdout) as DoctorReport;
  const status = Object.fromEntries(report.checks.map((c) => [c.check, c.status]));
  return { code: r.code, report, status };
}

/** A `claude` that answers --version but whose --help lacks some lock-down flags. */
function oldClaude(): string {
  const file = join(tempDir(), "claude");
  writeFileSync(
    file,
    '#!/bin/sh\ncase "$1" in --version) echo "1.0.3 (Claude Code)";; *) echo "Usage: claude [options] --system-prompt <p> --tools <t>";; esac\n',
  );
  chmodSync(file, 0o755);
  return file;
}

describe("agentwork doctor", () => {
  test("a working setup: every check passes, no daemon and no service are only warnings, exit 0", async () => {
    const { env } = userHome();
    const { ledger } = gitLedger();
    const db = join(tempDir(), "state", "agentwork.db");
    // A real database, created and migrated by a command that writes.
    expect((await cli(bin, ["status", "--db", db], env)).code).toBe(0);
    const withAgent = { ...env, AGENTWORK_AGENT_BIN: CLAUDE, ANTHROPIC_API_KEY: "sk-test" };
    const { code, report, status } = await doctor(["--ledger", ledger, "--db", db], withAgent);
    expect(status).toEqual({
      "config.valid": "ok",
      "database.open": "ok",
      "queue.failed": "ok",
      "daemon.socket": "ok",
      "daemon.running": "warn",
      "service.installed": "warn",
      "agent.choice": "ok",
      "agent.found": "ok",
      "agent.lockdown": "ok",
      "agent.credentials": "ok",
      "ledger.repo": "ok",
      "ledger.remote": "ok",
      "ledger.push": "ok",
      "work.pause": "ok",
      "work.publish": "ok",
      "work.held": "ok",
      "disk.database": "ok",
      "disk.ledger": "ok",
    });
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
    expect(report.checks.find((c) => c.check === "agent.found")?.message).toContain("2.1.197");
    const text = await cli(bin, ["doctor", "--ledger", ledger, "--db", db], withAgent);
    expect(text.stdout).toContain("✓ ledger.push: git push --dry-run origin HEAD works");
    expect(text.stdout).toMatch(/^⚠ service.installed: .* — fix: agentwork service install/m);
  });

  test("a broken setup: each problem is one ✗ line with its fix, and the exit code is 1", async () => {
    const { home, env } = userHome();
    const { ledger } = plainLedger();
    git(ledger, "init", "--quiet");
    writeFileSync(join(home, ".claude.json"), JSON.stringify({ numStartups: 3 }));
    const r = await cli(
      bin,
      ["doctor", "--ledger", ledger, "--db", join(tempDir(), "agentwork.db")],
      { ...env, AGENTWORK_AGENT_BIN: oldClaude() },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ agent.lockdown: Claude Code 1.0.3 at ");
    expect(r.stdout).toContain(
      "cannot be locked down: it has no --setting-sources, --strict-mcp-config, --no-session-persistence",
    );
    expect(r.stdout).toMatch(
      /^✗ agent.credentials: no Claude credentials.* — fix: run claude once and log in/m,
    );
    expect(r.stdout).toMatch(
      /^✗ ledger.remote: the ledger has no git remote — fix: git -C .* remote add origin URL$/m,
    );
    expect(r.stdout).toMatch(/^⚠ database.open: no database yet/m);
  });

  test("a login in $CLAUDE_CONFIG_DIR/.claude.json counts as credentials; a push that would fail is ✗", async () => {
    const { env } = userHome();
    const { ledger, remote } = gitLedger();
    const configDir = tempDir();
    writeFileSync(
      join(configDir, ".claude.json"),
      JSON.stringify({ oauthAccount: { emailAddress: "d@example.org" } }),
    );
    git(ledger, "remote", "set-url", "origin", join(remote, "..", "gone.git"));
    const { code, report } = await doctor(["--ledger", ledger], {
      ...env,
      CLAUDE_CONFIG_DIR: configDir,
      AGENTWORK_AGENT_BIN: CLAUDE,
    });
    const byId = Object.fromEntries(report.checks.map((c) => [c.check, c]));
    expect(byId["agent.credentials"]).toMatchObject({
      status: "ok",
      message: `logged in (oauthAccount in ${join(configDir, ".claude.json")})`,
    });
    expect(byId["ledger.push"]?.status).toBe("fail");
    expect(byId["ledger.push"]?.message).toContain("git push --dry-run origin HEAD failed");
    expect(code).toBe(1);
  });

  test("a usage-limit pause and a held session are warnings with their fix, not failures", async () => {
    const { env } = userHome();
    const { ledger, sessions } = gitLedger();
    writeSession(sessions, "held-one", { lines: [HEADER, ...dialogue()] });
    writeFileSync(join(sessions, "held-one", ".held"), "{}");
    const db = join(tempDir(), "state", "agentwork.db");
    expect((await cli(bin, ["status", "--db", db], env)).code).toBe(0);
    const storage = openStorage(db, { clock: systemClock, ownerPid: process.pid });
    new AgentPause(storage.state, systemClock).pauseUntil(Date.now() + 3_600_000, "hit your limit");
    storage.close();
    const withAgent = { ...env, AGENTWORK_AGENT_BIN: CLAUDE, ANTHROPIC_API_KEY: "sk-test" };
    const { code, report } = await doctor(["--ledger", ledger, "--db", db], withAgent);
    const byId = Object.fromEntries(report.checks.map((c) => [c.check, c]));
    expect(byId["work.pause"]).toMatchObject({ status: "warn" });
    expect(byId["work.pause"]?.message).toContain("hit your limit");
    expect(byId["work.pause"]?.fix).toContain("agentwork resume");
    expect(byId["work.held"]).toMatchObject({ status: "warn" });
    expect(byId["work.held"]?.fix).toContain("agentwork publish");
    expect(code).toBe(0);
  });

  test("an invalid config is the one failure reported, naming the key", async () => {
    const { home, env } = userHome();
    mkdirSync(join(home, ".config", "agentwork"), { recursive: true });
    writeFileSync(join(home, ".config", "agentwork", "config.yaml"), "max_concurent: 2\n");
    const { code, report } = await doctor([], env);
    expect(code).toBe(1);
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]).toMatchObject({ check: "config.valid", status: "fail" });
    expect(report.checks[0]?.message).toContain("max_concurent");
  });
});
