import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { systemPromptText } from "./agent-cli-options.ts";
import { type CliProbeResult, probeCli, requireLockdownFlags } from "./cli-probe.ts";
import { RunnerError } from "./runner.ts";
import { tomlValue } from "./toml-value.ts";

/**
 * How `codex exec` is locked down (upstream-later.md §2.3, done strictly): read-only sandbox,
 * ephemeral, no user config or execpolicy rules, every tool feature `codex features list` names
 * switched off, no skills, no web search, our instructions in place of Codex's, and a private
 * CODEX_HOME per run so the user's AGENTS.md, skills, MCP servers and hooks never load. Only the
 * login (auth.json, linked so a token refresh reaches the user's file) and the model provider
 * from the user's config.toml are carried over.
 */
export const CODEX_LOCKDOWN_FLAGS = [
  "--json",
  "--sandbox",
  "--ephemeral",
  "--color",
  "--config",
  "--ignore-user-config",
  "--ignore-rules",
  "--skip-git-repo-check",
  "--disable",
] as const;

/** Features that must be listed: a Codex that renamed them could still run commands. */
export const CODEX_REQUIRED_FEATURES = ["shell_tool", "unified_exec"] as const;

/** A feature is a tool (or brings tools, instructions or hooks) when its name says so. */
const TOOL_FEATURE =
  /tool|exec|shell|browser|web_search|mcp|plugin|skill|apps?(_|$)|image|computer|agent|hooks|code_mode|memories|automation|goals|request_(?:user|permissions|rule)|artifact|dependencies|in_app/;

const UPGRADE_HINT = "install @openai/codex 0.171.0 or newer (npm i -g @openai/codex)";

/** Config overrides that switch off what is not a feature flag. */
const CONFIG_OFF = [
  'web_search="disabled"',
  "skills.include_instructions=false",
  "tools.experimental_request_user_input.enabled=false",
  "include_apps_instructions=false",
  // The sandbox and cwd notes only matter to an agent with tools; ours has none.
  "include_permissions_instructions=false",
  "include_environment_context=false",
  "project_doc_max_bytes=0",
];

/** Provider fields carried from the user's config; headers and bearer tokens stay out of argv. */
const PROVIDER_FIELDS = [
  "name",
  "base_url",
  "env_key",
  "env_key_instructions",
  "wire_api",
  "query_params",
  "env_http_headers",
  "request_max_retries",
  "stream_max_retries",
  "stream_idle_timeout_ms",
  "supports_websockets",
  "requires_openai_auth",
];

export interface CodexFeature {
  name: string;
  stage: string;
}

/** `codex features list` → names and stages ("stable", "removed", …). */
export function parseCodexFeatures(text: string): CodexFeature[] {
  const features: CodexFeature[] = [];
  for (const line of text.split("\n")) {
    const [name, stage] = line.trim().split(/\s+/);
    if (name && stage && /^[a-z][a-z0-9_.]*$/.test(name)) features.push({ name, stage });
  }
  return features;
}

/** The features to pass to --disable; refuses when a required one is not listed. */
export function codexFeaturesToDisable(probe: CliProbeResult, features: CodexFeature[]): string[] {
  const names = new Set(features.map((f) => f.name));
  const missing = CODEX_REQUIRED_FEATURES.filter((name) => !names.has(name));
  if (missing.length > 0) {
    throw new RunnerError(
      "E_AGENT_LOCKDOWN",
      `codex ${probe.version ?? "(unknown version)"} at ${probe.bin} cannot be locked down: \`codex features list\` has no ${missing.join(", ")}, so its command tools cannot be switched off; ${UPGRADE_HINT}`,
      { retry: "never" },
    );
  }
  return features
    .filter((f) => f.stage !== "removed" && TOOL_FEATURE.test(f.name))
    .map((f) => f.name);
}

/** Probes the binary (cached by path, mtime and size): its help, and the --disable list. */
export async function probeCodex(
  bin: string,
  env: Record<string, string>,
): Promise<{ help: CliProbeResult; disable: string[] }> {
  const help = await probeCli(bin, { env, commands: [["exec", "--help"], ["--version"]] });
  requireLockdownFlags(help, "codex", CODEX_LOCKDOWN_FLAGS, UPGRADE_HINT);
  const list = await probeCli(bin, { env, commands: [["features", "list"]] });
  return { help, disable: codexFeaturesToDisable(help, parseCodexFeatures(list.text)) };
}

export interface CodexHomeLayout {
  /** The private CODEX_HOME for this run. */
  home: string;
  /** Our system prompt, for -c model_instructions_file. */
  instructionsFile: string;
}

/** Makes the private CODEX_HOME inside the run's private dir. */
export function prepareCodexHome(
  runDir: string,
  userCodexHome: string,
  systemPrompt: string | undefined,
): CodexHomeLayout {
  const home = join(runDir, "codex-home");
  mkdirSync(home, { mode: 0o700 });
  const auth = join(userCodexHome, "auth.json");
  if (existsSync(auth)) symlinkSync(auth, join(home, "auth.json"));
  const instructionsFile = join(home, "instructions.md");
  writeFileSync(instructionsFile, systemPromptText(systemPrompt), { mode: 0o600 });
  return { home, instructionsFile };
}

/** `-c` overrides for the user's model and provider (their config.toml is otherwise ignored). */
export function userProviderOverrides(userCodexHome: string, model: string | null): string[] {
  const config = readToml(join(userCodexHome, "config.toml"));
  const out: string[] = [];
  const userModel = typeof config.model === "string" ? config.model : null;
  if (model ?? userModel) out.push(`model=${tomlValue(model ?? userModel)}`);
  const provider = typeof config.model_provider === "string" ? config.model_provider : null;
  if (provider === null) return out;
  out.push(`model_provider=${tomlValue(provider)}`);
  const table = (config.model_providers as Record<string, Record<string, unknown>> | undefined)?.[
    provider
  ];
  if (table && typeof table === "object") {
    const kept = Object.fromEntries(
      PROVIDER_FIELDS.filter((k) => k in table).map((k) => [k, table[k]]),
    );
    out.push(`model_providers.${provider}=${tomlValue(kept)}`);
  }
  return out;
}

/** The argv after `codex`; the prompt is `-` (stdin), never an argument. */
export function codexArgs(
  disable: readonly string[],
  layout: CodexHomeLayout,
  providerOverrides: readonly string[],
): string[] {
  const args = ["exec", "--json", "--sandbox", "read-only", "--ephemeral", "--color", "never"];
  args.push("--ignore-user-config", "--ignore-rules", "--skip-git-repo-check");
  for (const feature of disable) args.push("--disable", feature);
  for (const setting of [...CONFIG_OFF, ...providerOverrides]) args.push("-c", setting);
  args.push("-c", `model_instructions_file=${tomlValue(layout.instructionsFile)}`);
  args.push("-");
  return args;
}

function readToml(file: string): Record<string, unknown> {
  try {
    return Bun.TOML.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}
