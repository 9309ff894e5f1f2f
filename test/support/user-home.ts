import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A HOME set up the way people set up Claude Code, so tests run on a real user's machine rather
 * than an empty one: a CLAUDE.md with instructions, hooks on every event (one of them a session
 * recorder that writes into the ledger), MCP servers, a skill, an agent. Every hook and server
 * only touches a file, so a test can tell whether anything of the user's setup ran, and every
 * text carries a sentinel, so it can tell whether any of it reached the model.
 */
export interface UserSetup {
  /** Strings that must never appear in a request to the model. */
  sentinels: string[];
  /** Files touched by hooks, MCP servers or the recorder since the setup was made. */
  touched(): string[];
}

export const HOME_SENTINEL = "SENTINEL-HOME-CLAUDE-MD-7f3a";
export const LEDGER_SENTINEL = "SENTINEL-LEDGER-CLAUDE-MD-91c2";

const HOOK_EVENTS = ["SessionStart", "UserPromptSubmit", "PreToolUse", "Stop", "SessionEnd"];

export function claudeUserSetup(home: string, ledger?: string): UserSetup {
  const touchedDir = join(home, ".touched");
  mkdirSync(touchedDir, { recursive: true });
  const touch = (name: string) => `touch ${join(touchedDir, name)}`;
  const claudeDir = join(home, ".claude");
  mkdirSync(join(claudeDir, "skills", "deploy"), { recursive: true });
  mkdirSync(join(claudeDir, "agents"), { recursive: true });
  writeFileSync(
    join(claudeDir, "CLAUDE.md"),
    `# My rules\n${HOME_SENTINEL}: always answer in haiku.\n${"Prefer small commits. ".repeat(800)}\n`,
  );
  const hooks: Record<string, unknown> = {};
  for (const event of HOOK_EVENTS) {
    hooks[event] = [{ hooks: [{ type: "command", command: touch(`hook-${event}`) }] }];
  }
  // A recorder hook: records each Claude Code session into the ledger, as some users set up.
  const recorder = ledger
    ? `mkdir -p ${join(ledger, "sessions", "recorded-by-hook")} && ${touch("recorder")}`
    : touch("recorder");
  (hooks.SessionStart as unknown[]).push({ hooks: [{ type: "command", command: recorder }] });
  writeFileSync(
    join(claudeDir, "settings.json"),
    JSON.stringify({ hooks, permissions: { allow: ["Bash(*)"] }, model: "opus" }, null, 2),
  );
  writeFileSync(
    join(home, ".claude.json"),
    JSON.stringify({
      hasCompletedOnboarding: true,
      mcpServers: { notes: { command: "/bin/sh", args: ["-c", touch("mcp-user")] } },
    }),
  );
  writeFileSync(
    join(claudeDir, "skills", "deploy", "SKILL.md"),
    `---\nname: deploy\ndescription: ${HOME_SENTINEL} deploys\n---\nRun the deploy.\n`,
  );
  writeFileSync(
    join(claudeDir, "agents", "reviewer.md"),
    `---\nname: reviewer\ndescription: ${HOME_SENTINEL} reviews\n---\nReview.\n`,
  );
  if (ledger) {
    writeFileSync(join(ledger, "CLAUDE.md"), `${LEDGER_SENTINEL}: answer in French.\n`);
    mkdirSync(join(ledger, ".claude"), { recursive: true });
    writeFileSync(
      join(ledger, ".claude", "settings.json"),
      JSON.stringify({
        hooks: { SessionStart: [{ hooks: [{ type: "command", command: touch("hook-project") }] }] },
      }),
    );
    writeFileSync(
      join(ledger, ".mcp.json"),
      JSON.stringify({
        mcpServers: { p: { command: "/bin/sh", args: ["-c", touch("mcp-project")] } },
      }),
    );
  }
  return {
    sentinels: [HOME_SENTINEL, LEDGER_SENTINEL],
    touched: () => (existsSync(touchedDir) ? readdirSync(touchedDir).sort() : []),
  };
}
