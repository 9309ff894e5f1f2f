/**
 * The flags that lock Claude Code down for a summary run; `claude --help` must list each or the
 * CLI is refused (cli-probe.ts `requireLockdownFlags`), and `agentwork doctor` checks the same
 * list. --tools "": no tools. --setting-sources "": no user/project/local settings, so no hooks,
 * no CLAUDE.md, no plugins. --strict-mcp-config (and no --mcp-config): no MCP servers.
 * --system-prompt(-file): our instructions instead of the CLI's 6 KB default.
 * --no-session-persistence: no transcript written under ~/.claude/projects.
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
