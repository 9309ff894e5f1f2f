import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Config, DEFAULT_CONFIG } from "../../src/config/config.ts";
import { runCommand } from "../../src/core/process.ts";
import { createRunner } from "../../src/runners/create-runner.ts";
import { selectAgent } from "../../src/runners/select-agent.ts";
import type { SelectingRunner } from "../../src/runners/selecting-runner.ts";
import type { AgentWorkStatus } from "../../src/scheduler/status.ts";
import { fakeCodex } from "../support/fake-agents/fake-codex-gemini.ts";
import { tempDir } from "../support/tmp.ts";

/** A HOME with a bin/ dir holding the named (empty, executable) CLIs. */
function machine(installed: string[]) {
  const home = tempDir("agentwork-select-");
  const bin = join(home, "bin");
  mkdirSync(bin);
  for (const name of installed) {
    writeFileSync(join(bin, name), "#!/bin/sh\nexit 0\n");
    chmodSync(join(bin, name), 0o755);
  }
  return { home, bin };
}

function choose(
  m: { home: string; bin: string },
  env: Record<string, string> = {},
  config: Partial<Config> = {},
) {
  const runner = createRunner({
    ...DEFAULT_CONFIG,
    ...config,
    agentType: config.agentType ?? "auto",
    env: { PATH: m.bin, ...env },
    home: m.home,
  });
  return runner as SelectingRunner;
}

describe("agent_type auto", () => {
  test("nothing installed: none chosen, each agent says why", async () => {
    const runner = choose(machine([]));
    expect(runner.available()).toBe(false);
    const check = await runner.check();
    expect(check.agentType).toBe("none");
    expect(check.notChosen).toEqual({
      claude: "not installed",
      codex: "not installed",
      gemini: "not installed",
    });
    expect(check.problem).toContain("no agent CLI is installed and logged in");
  });

  test("installed but not logged in is skipped for the next one that is", () => {
    const m = machine(["claude", "codex", "gemini"]);
    const runner = choose(m, { GEMINI_API_KEY: "k" });
    expect(runner.available()).toBe(true);
    expect(runner.agentType).toBe("gemini");
    const choice = runner.choice();
    expect(choice.reason).toContain("GEMINI_API_KEY set");
    expect(choice.notChosen.claude).toContain("not logged in");
    expect(choice.notChosen.codex).toContain("not logged in (no auth.json)");
  });

  test("order claude, codex, gemini; logins read from the files each CLI keeps", () => {
    const m = machine(["claude", "codex", "gemini"]);
    mkdirSync(join(m.home, ".codex"));
    writeFileSync(
      join(m.home, ".codex", "auth.json"),
      JSON.stringify({ tokens: { refresh_token: "r" } }),
    );
    const codexFirst = choose(m);
    expect(codexFirst.agentType).toBe("codex");
    expect(codexFirst.choice().reason).toContain("ChatGPT login in auth.json");
    expect(codexFirst.choice().notChosen.gemini).toBe("codex comes first");
    writeFileSync(
      join(m.home, ".claude.json"),
      JSON.stringify({ oauthAccount: { emailAddress: "a@b" } }),
    );
    expect(choose(m).agentType).toBe("claude");
  });

  test("Claude's credentials file, Gemini's Google login and .env key count as logged in", () => {
    const m = machine(["claude", "gemini"]);
    mkdirSync(join(m.home, ".claude"));
    writeFileSync(
      join(m.home, ".claude", ".credentials.json"),
      JSON.stringify({ claudeAiOauth: {} }),
    );
    expect(choose(m).choice().reason).toContain(".credentials.json");
    const g = machine(["gemini"]);
    mkdirSync(join(g.home, ".gemini"));
    writeFileSync(join(g.home, ".gemini", ".env"), "GEMINI_API_KEY=abc\n");
    expect(choose(g).choice().reason).toContain(".gemini/.env");
    writeFileSync(join(g.home, ".gemini", "oauth_creds.json"), "{}");
    expect(choose(g).choice().reason).toContain("Google login");
  });

  test("a custom Codex provider logs in through the variable its env_key names", () => {
    const m = machine(["codex"]);
    mkdirSync(join(m.home, ".codex"));
    writeFileSync(
      join(m.home, ".codex", "config.toml"),
      'model_provider = "corp"\n[model_providers.corp]\nbase_url = "http://x"\nenv_key = "CORP_KEY"\n',
    );
    expect(choose(m).agentType).toBe("none");
    expect(choose(m, { CORP_KEY: "k" }).choice().reason).toContain(
      "provider corp with CORP_KEY set",
    );
  });

  test("explicit agent_type and agent_bin are taken as given, without login checks", () => {
    const m = machine(["codex"]);
    expect(choose(m, {}, { agentType: "codex" }).agentType).toBe("codex");
    const named = selectAgent({
      configured: "auto",
      agentBin: "/opt/tools/gemini-nightly",
      env: {},
      home: m.home,
      binaryOf: () => null,
    });
    expect(named).toMatchObject({ agent: "gemini" });
    expect(named.notChosen.claude).toContain("agent_bin");
  });

  test("the choice is made again when the config changes", async () => {
    const m = machine(["claude", "codex"]);
    let config: Config = { ...DEFAULT_CONFIG, agentType: "auto" };
    const runner = createRunner(
      {
        ...DEFAULT_CONFIG,
        agentType: "auto",
        env: { PATH: m.bin, OPENAI_API_KEY: "k" },
        home: m.home,
      },
      () => config,
    );
    expect(runner.available()).toBe(true);
    expect((await runner.check()).agentType).toBe("codex");
    config = { ...config, agentType: "claude" };
    expect((await runner.check()).agentType).toBe("claude");
    expect((await runner.check()).reason).toBe("agent_type is claude");
    config = { ...config, agentType: "gemini" };
    expect(runner.available()).toBe(false);
    expect(runner.agentType).toBe("gemini");
  });
});

describe("status says which agent was chosen and why", () => {
  test("only Codex installed and logged in: chosen; the others say why not (text and --json)", async () => {
    const home = tempDir("agentwork-status-home-");
    const agent = fakeCodex("exit 0");
    const env = {
      PATH: `${dirname(agent.bin)}:/usr/bin:/bin`,
      HOME: home,
      OPENAI_API_KEY: "sk-test",
      XDG_STATE_HOME: join(home, ".local", "state"),
      XDG_CONFIG_HOME: join(home, ".config"),
    };
    const db = join(home, "agentwork.db");
    const main = join(import.meta.dir, "../../src/main.ts");
    const json = await runCommand([process.execPath, main, "status", "--json", "--db", db], {
      env,
    });
    expect(json.exitCode).toBe(0);
    const status = JSON.parse(json.stdout) as AgentWorkStatus;
    expect(status).toMatchObject({
      agent_type: "codex",
      agent_available: true,
      agent_problem: null,
    });
    expect(status.agent_reason).toContain("OPENAI_API_KEY set");
    expect(status.agents_not_chosen).toEqual({
      claude: "not installed",
      gemini: "codex comes first",
    });
    const text = await runCommand([process.execPath, main, "status", "--db", db], { env });
    expect(text.stdout).toContain("agent:       codex (available, 0.171.0, locked down)");
    expect(text.stdout).toContain("not chosen:  claude: not installed");
  });
});
