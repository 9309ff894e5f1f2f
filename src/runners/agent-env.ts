/**
 * The environment every agent CLI child gets, built from the startup snapshot (never process.env):
 * the variables that would make a nested CLI think it runs inside another agent's session are
 * removed, session recorders are switched off, and PATH/HOME are the ones the binary was found
 * with. Each runner adds what its CLI needs (a private home, our system prompt file) on top.
 */

/** CLAUDE_CODE_* variables that are user settings (auth, provider, traffic), not session state. */
export const KEPT_CLAUDE_CODE_VARS = new Set([
  "CLAUDE_CODE_OAUTH_TOKEN",
  "CLAUDE_CODE_USE_BEDROCK",
  "CLAUDE_CODE_USE_VERTEX",
  "CLAUDE_CODE_SKIP_BEDROCK_AUTH",
  "CLAUDE_CODE_SKIP_VERTEX_AUTH",
  "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
]);

/**
 * Set by a parent agent for the processes it starts (Codex's sandbox and thread markers, Gemini's
 * shell-tool marker and IDE link, Claude Code's session flag). A worker started from inside one of
 * them must not hand these to the CLI it runs.
 */
const NESTED_SESSION_VARS = new Set([
  "CLAUDECODE",
  "CODEX_SANDBOX",
  "CODEX_SANDBOX_NETWORK_DISABLED",
  "CODEX_THREAD_ID",
  "CODEX_CI",
  "GEMINI_CLI",
  "GEMINI_CLI_IDE_SERVER_PORT",
  "GEMINI_CLI_IDE_WORKSPACE_PATH",
  "GEMINI_CLI_IDE_AUTH_TOKEN",
  "GEMINI_SYSTEM_MD",
  "GEMINI_WRITE_SYSTEM_MD",
]);

/**
 * Set in every agent's environment so a session recorder that something inside the run might
 * start (a hook, a rule) does not record the summary run as a new session (upstream-later §2.1).
 */
export const RECORDER_OFF_ENV: Readonly<Record<string, string>> = Object.freeze({
  OX_SESSION_RECORDING: "disabled",
  SAGEOX_DAEMON: "false",
  AGENTWORK_SUMMARY_RUN: "1",
});

export function isNestedSessionVar(name: string): boolean {
  if (NESTED_SESSION_VARS.has(name)) return true;
  return name.startsWith("CLAUDE_CODE_") && !KEPT_CLAUDE_CODE_VARS.has(name);
}

export interface AgentEnvOptions {
  base?: Record<string, string | undefined>;
  path?: string;
  home?: string;
  /** The runner's own variables (private homes, no auto-update), after the scrub. */
  set?: Record<string, string>;
  /** Last: tests point the CLI at a stand-in here. */
  extraEnv?: Record<string, string>;
}

export function agentChildEnv(options: AgentEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.base ?? {})) {
    if (value === undefined || isNestedSessionVar(key)) continue;
    env[key] = value;
  }
  if (options.path !== undefined) env.PATH = options.path;
  if (options.home !== undefined) env.HOME = options.home;
  return { ...env, ...RECORDER_OFF_ENV, ...options.set, ...options.extraEnv };
}
