import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { systemPromptText } from "./agent-cli-options.ts";
import { type CliProbeResult, probeCli, requireLockdownFlags } from "./cli-probe.ts";
import { RunnerError } from "./runner.ts";

/**
 * How `gemini -p` is locked down (upstream ran it with no isolation at all): a private
 * GEMINI_CLI_HOME per run whose settings.json allows no built-in tool, no MCP server, no skills,
 * no hooks, no agents and no context files; no extensions (`-e none`); plan (read-only) approval
 * mode in case a tool slipped through; our instructions in place of Gemini's (GEMINI_SYSTEM_MD).
 * Only the login is carried over: the auth type from the user's settings and links to their
 * OAuth credentials and ~/.gemini/.env.
 */
export const GEMINI_LOCKDOWN_FLAGS = [
  "--prompt",
  "--output-format",
  "--approval-mode",
  "--extensions",
  "--allowed-mcp-server-names",
  "--skip-trust",
] as const;

const UPGRADE_HINT = "install @google/gemini-cli 0.61.0 or newer (npm i -g @google/gemini-cli)";

/** The login files linked from the user's ~/.gemini (a token refresh writes through the link). */
const LOGIN_FILES = ["oauth_creds.json", "google_accounts.json", ".env"];

/** An allow-list naming no real tool: Gemini then declares no tools to the model at all. */
const NO_TOOLS = "agentwork_no_tools";

export async function probeGemini(
  bin: string,
  env: Record<string, string>,
): Promise<CliProbeResult> {
  const help = await probeCli(bin, { env, commands: [["--help"], ["--version"]] });
  requireLockdownFlags(help, "gemini", GEMINI_LOCKDOWN_FLAGS, UPGRADE_HINT);
  const missing = ['"stream-json"', '"plan"'].filter((choice) => !help.text.includes(choice));
  if (missing.length > 0) {
    throw new RunnerError(
      "E_AGENT_LOCKDOWN",
      `gemini ${help.version ?? "(unknown version)"} at ${help.bin} cannot be locked down: it has no ${missing.join(", ")} choice; ${UPGRADE_HINT}`,
      { retry: "never" },
    );
  }
  return help;
}

export interface GeminiHomeLayout {
  /** GEMINI_CLI_HOME: the CLI keeps `.gemini/` under it. */
  home: string;
  systemPromptFile: string;
}

export function prepareGeminiHome(
  runDir: string,
  userGeminiDir: string,
  env: Record<string, string | undefined>,
  systemPrompt: string | undefined,
): GeminiHomeLayout {
  const home = join(runDir, "gemini-home");
  const dotGemini = join(home, ".gemini");
  mkdirSync(dotGemini, { recursive: true, mode: 0o700 });
  for (const name of LOGIN_FILES) {
    const source = join(userGeminiDir, name);
    if (existsSync(source)) symlinkSync(source, join(dotGemini, name));
  }
  const settings = lockedSettings(geminiAuthType(userGeminiDir, env));
  writeFileSync(join(dotGemini, "settings.json"), JSON.stringify(settings, null, 2), {
    mode: 0o600,
  });
  const systemPromptFile = join(home, "system.md");
  writeFileSync(systemPromptFile, systemPromptText(systemPrompt), { mode: 0o600 });
  return { home, systemPromptFile };
}

function lockedSettings(authType: string | null): Record<string, unknown> {
  return {
    ...(authType ? { security: { auth: { selectedType: authType } } } : {}),
    general: { disableAutoUpdate: true, disableUpdateNag: true, checkpointing: { enabled: false } },
    telemetry: { enabled: false },
    privacy: { usageStatisticsEnabled: false },
    tools: { core: [NO_TOOLS] },
    mcp: { allowed: [NO_TOOLS] },
    skills: { enabled: false },
    hooksConfig: { enabled: false },
    experimental: { enableAgents: false },
    context: { fileName: ["agentwork-no-context-file.md"], discoveryMaxDirs: 0 },
  };
}

/**
 * The auth type the user chose (settings.json), else the one their environment implies; null
 * lets Gemini decide (and fail with exit 41 when there is none).
 */
export function geminiAuthType(
  userGeminiDir: string,
  env: Record<string, string | undefined>,
): string | null {
  const settings = readJson(join(userGeminiDir, "settings.json"));
  const security = settings?.security as { auth?: { selectedType?: unknown } } | undefined;
  const chosen = security?.auth?.selectedType ?? settings?.selectedAuthType;
  if (typeof chosen === "string" && chosen !== "") return chosen;
  if (env.GOOGLE_GENAI_USE_VERTEXAI === "true") return "vertex-ai";
  if (env.GEMINI_API_KEY) return "gemini-api-key";
  if (existsSync(join(userGeminiDir, "oauth_creds.json"))) return "oauth-personal";
  return null;
}

export function geminiArgs(model: string | null): string[] {
  // -p "" puts Gemini in headless mode; the prompt itself is read from stdin.
  const args = ["-p", "", "--output-format", "stream-json", "--approval-mode", "plan"];
  args.push("--extensions", "none", "--allowed-mcp-server-names", NO_TOOLS, "--skip-trust");
  if (model) args.push("--model", model);
  return args;
}

export function readJson(file: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof parsed === "object" && parsed !== null
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
