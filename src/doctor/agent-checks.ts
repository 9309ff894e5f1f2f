import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Settings } from "../config/load.ts";
import {
  CLAUDE_LOCKDOWN_FLAGS,
  CLAUDE_PROBE_COMMANDS,
  CLAUDE_UPGRADE_HINT,
} from "../runners/claude-lockdown.ts";
import { probeCli, requireLockdownFlags } from "../runners/cli-probe.ts";
import {
  CLAUDE_ABSOLUTE_LOCATIONS,
  CLAUDE_HOME_LOCATIONS,
  resolveBinary,
} from "../runners/resolve-binary.ts";
import { type CheckResult, type DoctorGroup, fail, ok } from "./check.ts";

/** The agent CLI is found, answers with a version, has the lock-down flags, and is logged in. */
export const agentChecks: DoctorGroup = {
  name: "agent",
  async run(ctx) {
    const { config, env } = ctx.settings;
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
        credentialsCheck(ctx.settings),
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
    results.push(credentialsCheck(ctx.settings));
    return results;
  },
};

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
