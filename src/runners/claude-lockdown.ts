/**
 * The flags that lock Claude Code down for a summary run (no tools, no user or project settings,
 * no MCP servers, our own system prompt, no saved session). A CLI without any of them is refused
 * (cli-probe.ts `requireLockdownFlags`); `agentwork doctor` checks the same list.
 */
export const CLAUDE_LOCKDOWN_FLAGS = [
  "--tools",
  "--setting-sources",
  "--strict-mcp-config",
  "--system-prompt",
  "--no-session-persistence",
] as const;

/** What `probeCli` runs to learn the flags and the version. */
export const CLAUDE_PROBE_COMMANDS = [["--help"], ["--version"]];

export const CLAUDE_UPGRADE_HINT =
  "install a current Claude Code (npm install -g @anthropic-ai/claude-code) or set agent_bin to one";
