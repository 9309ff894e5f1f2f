// The README's first command: copies the example ledger to .demo/ (so the repo stays clean) and
// runs one full daemon pass over it. Without Claude Code installed, session.md and session.html
// are still written and the summaries wait in the queue for an agent.
//
// `npm run demo -- init`: the second path, for people without a recorder. A temporary HOME holds
// transcripts of Claude Code, Codex and Gemini CLI (examples/transcripts/), `agentwork init`
// makes a ledger there and turns the sources on, and one daemon pass imports them.
import { cpSync, mkdirSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { main } from "../src/cli/main.ts";
import { loadSettings, type Settings } from "../src/config/load.ts";
import { createRunner } from "../src/runners/create-runner.ts";
import { runnerOptionsFromConfig } from "../src/runners/runner-options.ts";

const root = join(import.meta.dir, "..");
const demo = join(root, ".demo");

async function ledgerDemo(): Promise<number> {
  rmSync(demo, { recursive: true, force: true });
  mkdirSync(demo, { recursive: true });
  cpSync(join(root, "examples/ledger"), join(demo, "ledger"), { recursive: true });
  const code = await main([
    "daemon",
    "--once",
    "--ledger",
    join(demo, "ledger"),
    "--db",
    join(demo, "agentwork.db"),
    "--config",
    join(root, "examples/config.yaml"),
  ]);
  await main([
    "status",
    "--db",
    join(demo, "agentwork.db"),
    "--config",
    join(root, "examples/config.yaml"),
  ]);
  console.log(`\nopen ${join(demo, "ledger/sessions")}/*/session.html to read the sessions`);
  return settled(
    code,
    loadSettings({
      flags: {
        db: join(demo, "agentwork.db"),
        config: join(root, "examples/config.yaml"),
        ledger: join(demo, "ledger"),
      },
    }),
  );
}

/**
 * `daemon --once` exits 1 while summaries wait for an agent; on a machine with no agent CLI that
 * is the demo working as designed (the imports and model-free exports are written), not a failure.
 */
function settled(code: number, settings: Settings): number {
  const runner = createRunner(runnerOptionsFromConfig(settings.config, settings.env));
  if (code === 1 && !runner.available()) {
    console.log("no agent CLI is installed: the summaries wait in the queue for one");
    return 0;
  }
  return code;
}

function demoEnv(home: string): Record<string, string> {
  return {
    HOME: home,
    USER: "dana",
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_STATE_HOME: join(home, ".local/state"),
  };
}

/** Runs agentwork as its own process with HOME (and so config, state, transcripts) in `home`. */
function agentwork(home: string, args: string[]): number {
  const env = demoEnv(home);
  console.log(`\n$ HOME=${home} agentwork ${args.join(" ")}`);
  const proc = Bun.spawnSync([process.execPath, join(root, "src/main.ts"), ...args], {
    env,
    cwd: home,
    stdout: "inherit",
    stderr: "inherit",
  });
  return proc.exitCode ?? 1;
}

async function initDemo(): Promise<number> {
  const base = join(demo, "init");
  rmSync(base, { recursive: true, force: true });
  const home = join(base, "home");
  cpSync(join(root, "examples/transcripts/home"), home, { recursive: true });
  // The transcripts count as finished sessions: last written two hours ago (source_idle is 30m).
  const past = new Date(Date.now() - 2 * 3_600_000);
  for (const entry of readdirSync(home, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) utimesSync(join(entry.parentPath, entry.name), past, past);
  }
  const ledger = join(home, "agentwork-ledger");
  const code = agentwork(home, ["init", ledger, "--sources", "claude,codex,gemini"]);
  if (code !== 0) return code;
  const pass = agentwork(home, ["daemon", "--once"]);
  agentwork(home, ["status"]);
  console.log(`\nimported sessions in ${join(ledger, "sessions")}:`);
  for (const name of readdirSync(join(ledger, "sessions")))
    if (!name.startsWith(".")) console.log(`  ${name}`);
  console.log(`open ${join(ledger, "sessions")}/*/session.html to read them`);
  return settled(pass, loadSettings({ env: demoEnv(home), cwd: home }));
}

process.exit(process.argv[2] === "init" ? await initDemo() : await ledgerDemo());
