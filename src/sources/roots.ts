import { join } from "node:path";
import type { SourceKind } from "../config/config.ts";
import type { RunnerEnvironment } from "../config/environment.ts";

/**
 * Where each agent CLI keeps its transcripts, following the CLI's own override variable as the
 * CLI itself does (read from the startup snapshot, never from process.env):
 * Claude Code `$CLAUDE_CONFIG_DIR/projects` (else `~/.claude/projects`), Codex
 * `$CODEX_HOME/sessions` (else `~/.codex/sessions`), Gemini CLI `$GEMINI_CLI_HOME/.gemini/tmp`
 * (it replaces the home directory; else `~/.gemini/tmp`).
 */
export type SourceRoots = Record<SourceKind, string>;

export function sourceRoots(env: RunnerEnvironment): SourceRoots {
  const v = (name: string): string | undefined => {
    const value = env.base[name];
    return value && value.trim() !== "" ? value : undefined;
  };
  return {
    claude: join(v("CLAUDE_CONFIG_DIR") ?? join(env.home, ".claude"), "projects"),
    codex: join(v("CODEX_HOME") ?? join(env.home, ".codex"), "sessions"),
    gemini: join(v("GEMINI_CLI_HOME") ?? env.home, ".gemini", "tmp"),
  };
}

/** The user named in session dir names: $USER, else $LOGNAME, else the home dir's name. */
export function sourceUser(env: RunnerEnvironment): string {
  const raw = env.base.USER || env.base.LOGNAME || env.home.split("/").filter(Boolean).pop() || "";
  const clean = raw
    .replace(/[^A-Za-z0-9_.@-]/g, "")
    .replace(/^\.+/, "")
    .replaceAll("..", ".");
  return clean.slice(0, 32) || "user";
}
