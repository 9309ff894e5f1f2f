import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadSettings, requireLedger } from "../../src/config/load.ts";
import { systemClock } from "../../src/core/clock.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { runCommand } from "../../src/core/process.ts";
import { createRuntime } from "../../src/daemon/runtime.ts";
import { git as gitRaw } from "../support/ledger.ts";
import { tempDir } from "../support/tmp.ts";
import { exampleHome } from "./helpers.ts";

const git = (cwd: string, ...args: string[]) => gitRaw(cwd, ...args).trim();

/** `agentwork init` as a user runs it (a real process), then a runtime built from what it wrote. */
const BUN = join(import.meta.dir, "../../node_modules/.bin/bun");
const MAIN = join(import.meta.dir, "../../src/main.ts");

function setup() {
  const home = exampleHome(systemClock.now());
  const env = { HOME: home, PATH: "/usr/bin:/bin", XDG_STATE_HOME: join(home, ".state") };
  const init = (...args: string[]) =>
    runCommand([BUN, MAIN, "init", ...args], { cwd: home, env, timeoutMs: 60_000 });
  return { home, env, init, config: join(home, ".config/agentwork/config.yaml") };
}

describe("agentwork init", () => {
  test("creates the ledger, writes the config, and the daemon's runtime imports and detects", async () => {
    const { home, env, init, config } = setup();
    const remote = join(tempDir("agentwork-remote-"), "ledger.git");
    git(tempDir(), "init", "--quiet", "--bare", remote);
    const ledger = join(home, "ledger");
    const run = await init(ledger, "--remote", remote, "--sources", "claude,codex,gemini");
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("next steps:");
    expect(run.stdout).toContain(`pushed to ${remote}`);
    expect(git(ledger, "log", "--format=%s")).toBe("agentwork: new ledger");
    expect(git(ledger, "ls-files").split("\n").sort()).toEqual([
      "README.md",
      "sessions/.gitignore",
    ]);
    expect(git(ledger, "remote", "get-url", "origin")).toBe(remote);
    expect(readFileSync(config, "utf8")).toContain(`ledger: ${ledger}`);

    // No --ledger, no AGENTWORK_LEDGER: the ledger comes from the config init wrote.
    const settings = loadSettings({ env, cwd: home });
    expect(requireLedger(settings)).toBe(ledger);
    expect(settings.config.sources).toEqual(["claude", "codex", "gemini"]);
    const runtime = createRuntime(settings, ledger, { logger: silentLogger() });
    try {
      expect(await runtime.scheduler.detectOnly(true)).toBe(4);
      expect(runtime.storage.queue.len()).toBe(4);
    } finally {
      runtime.close();
    }
  });

  test("--config naming a file that does not exist yet: init creates it, later commands read it", async () => {
    const { home, env, init } = setup();
    const config = join(home, "elsewhere", "agentwork.yaml");
    const ledger = join(home, "ledger");
    const run = await init(ledger, "--config", config, "--sources", "codex");
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`agentwork daemon --once --config ${config}`);
    expect(readFileSync(config, "utf8")).toContain(`ledger: ${ledger}`);
    const settings = loadSettings({ env, cwd: home, flags: { config } });
    expect(requireLedger(settings)).toBe(ledger);
    expect(settings.config.sources).toEqual(["codex"]);
    // Any other command still refuses a --config that does not exist (a typo is not a new file).
    const status = await runCommand([BUN, MAIN, "status", "--config", `${config}.typo`], {
      cwd: home,
      env,
      timeoutMs: 60_000,
    });
    expect(status.exitCode).toBe(2);
    expect(status.stderr).toContain("the file does not exist");
  });

  test("safe to run twice: nothing new is committed, the config is left as it is", async () => {
    const { home, init, config } = setup();
    const ledger = join(home, "ledger");
    expect((await init(ledger)).exitCode).toBe(0);
    const before = readFileSync(config, "utf8");
    const again = await init(ledger);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain("already a ledger");
    expect(git(ledger, "rev-list", "--count", "HEAD")).toBe("1");
    expect(readFileSync(config, "utf8")).toBe(before);
  });

  test("keeps the user's other keys and comments in the config", async () => {
    const { home, init, config } = setup();
    mkdirSync(join(home, ".config/agentwork"), { recursive: true });
    writeFileSync(config, "# my settings\nmax_concurrent: 1 # keep it slow\nsources: [codex]\n");
    expect((await init(join(home, "ledger"), "--sources", "claude")).exitCode).toBe(0);
    const text = readFileSync(config, "utf8");
    expect(text).toContain("# my settings");
    expect(text).toContain("max_concurrent: 1 # keep it slow");
    expect(text).toMatch(/sources: \[ ?claude ?\]/);
    expect(text).toContain(`ledger: ${join(home, "ledger")}`);
  });

  test("refuses a non-empty directory that is not a ledger, and a different remote", async () => {
    const { home, init } = setup();
    const taken = join(home, "project");
    mkdirSync(taken);
    writeFileSync(join(taken, "notes.txt"), "mine\n");
    const refused = await init(taken);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("not empty and not a ledger");
    expect(readFileSync(join(taken, "notes.txt"), "utf8")).toBe("mine\n");

    const ledger = join(home, "ledger");
    expect((await init(ledger, "--remote", "/srv/a.git")).exitCode).toBe(0);
    const other = await init(ledger, "--remote", "/srv/b.git");
    expect(other.exitCode).not.toBe(0);
    expect(other.stderr).toContain("remote set-url");
    const bad = await init(ledger, "--sources", "claude,cursor");
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain("--sources");
  });
});
