import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Settings } from "../config/load.ts";
import {
  CLAUDE_LOCKDOWN_FLAGS,
  CLAUDE_PROBE_COMMANDS,
  CLAUDE_UPGRADE_HINT,
} from "../runners/claude-lockdown.ts";
import { probeCli, requireLockdownFlags } from "../runners/cli-probe.ts";
import { createRunner } from "../runners/create-runner.ts";
import {
  CLAUDE_ABSOLUTE_LOCATIONS,
  CLAUDE_HOME_LOCATIONS,
  resolveBinary,
} from "../runners/resolve-binary.ts";
import type { AgentCheck } from "../runners/runner.ts";
import { runnerOptionsFromConfig } from "../runners/runner-options.ts";
import { type CheckResult, type DoctorGroup, fail, ok } from "./check.ts";

/**
 * The agent that would run (agent_type, or auto's choice): found, its version, the lock-down
 * flags, logged in. Codex and Gemini are checked through their runner's own probe; Claude (also
 * when auto finds no agent at all, the first one it would take) in detail here.
 */
export const agentChecks: DoctorGroup = {
  name: "agent",
  async run(ctx) {
    const { config, env } = ctx.settings;
    const chosen = await createRunner(runnerOptionsFromConfig(config, env)).check();
    const choice = choiceLines(chosen);
    if (chosen.agentType === "codex" || chosen.agentType === "gemini") {
      return [...choice, ...probedChecks(chosen)];
    }
    return [...choice, ...(await claudeChecks(ctx.settings))];
  },
};

/** Why this agent, and why not the others (agent_type auto). */
function choiceLines(check: AgentCheck): CheckResult[] {
  if (!check.reason) return [];
  const others = Object.entries(check.notChosen ?? {})
    .map(([agent, why]) => `${agent}: ${why}`)
    .join("; ");
  return [ok("agent.choice", `${check.reason}${others ? ` (not chosen: ${others})` : ""}`)];
}

function probedChecks(check: AgentCheck): CheckResult[] {
  const name = check.agentType;
  return [
    ok("agent.found", `${check.bin} (${name} ${check.version ?? "unknown version"})`),
    check.problem === null
      ? ok("agent.lockdown", `${name} can be locked down`)
      : fail("agent.lockdown", check.problem, `install a current ${name} CLI`),
    ok("agent.credentials", check.reason ?? `${name} is logged in`),
  ];
}

async function claudeChecks(settings: Settings): Promise<CheckResult[]> {
  const { config, env } = settings;
  const bin = resolveBinary({
    name: "claude",
    configured: config.agentBin,
    path: env.path,
    home: env.home,
    homeLocations: CLAUDE_HOME_LOCATIONS,
    absoluteLocations: CLAUDE_ABSOLUTE_LOCATIONS,
  });
  if (bin === null) {
    return [
      fail(
        "agent.found",
        `Claude Code (claude) not found${config.agentBin ? ` at agent_bin ${config.agentBin},` : ""} on PATH or in the usual install locations`,
        "npm install -g @anthropic-ai/claude-code, or set agent_bin in the config",
      ),
      credentialsCheck(settings),
    ];
  }
  const results: CheckResult[] = [];
  try {
    const probe = await probeCli(bin, { env: { ...env.base }, commands: CLAUDE_PROBE_COMMANDS });
    results.push(ok("agent.found", `${bin} (Claude Code ${probe.version ?? "unknown version"})`));
    requireLockdownFlags(probe, "Claude Code", CLAUDE_LOCKDOWN_FLAGS, CLAUDE_UPGRADE_HINT);
    results.push(
      ok("agent.lockdown", `lock-down flags present (${CLAUDE_LOCKDOWN_FLAGS.join(" ")})`),
    );
  } catch (error) {
    results.push(fail("agent.lockdown", (error as Error).message, CLAUDE_UPGRADE_HINT));
  }
  results.push(credentialsCheck(settings));
  return results;
}

/** Credentials without spending tokens: an API key, an OAuth token, or a login in .claude.json. */
function credentialsCheck(settings: Settings): CheckResult {
  const env = settings.env.base;
  if (env.ANTHROPIC_API_KEY) return ok("agent.credentials", "ANTHROPIC_API_KEY is set");
  if (env.CLAUDE_CODE_OAUTH_TOKEN) return ok("agent.credentials", "CLAUDE_CODE_OAUTH_TOKEN is set");
  const file = join(env.CLAUDE_CONFIG_DIR || settings.env.home, ".claude.json");
  if (hasOauthAccount(file)) return ok("agent.credentials", `logged in (oauthAccount in ${file})`);
  return fail(
    "agent.credentials",
    `no Claude credentials: ANTHROPIC_API_KEY and CLAUDE_CODE_OAUTH_TOKEN are unset and ${file} has no login`,
    "run claude once and log in (/login), or set ANTHROPIC_API_KEY for the daemon",
  );
}

function hasOauthAccount(file: string): boolean {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { oauthAccount?: unknown };
    return typeof parsed.oauthAccount === "object" && parsed.oauthAccount !== null;
  } catch {
    return false;
  }
}
