import { existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { AgentworkError } from "../../core/errors.ts";
import { runCommand } from "../../core/process.ts";
import { writeFileAtomic } from "../../handlers/session-finalize/atomic-write.ts";
import {
  ensureSessionsGitignore,
  SESSIONS_GITIGNORE,
} from "../../handlers/session-finalize/sessions-gitignore.ts";

/**
 * `agentwork init`'s ledger half: a git repository with `sessions/`, its `.gitignore`, a README,
 * a first commit and, when given, the remote. Safe to run twice (an existing ledger is completed,
 * never reset); a non-empty directory that is not a ledger is refused.
 */
export interface LedgerInitResult {
  created: boolean;
  committed: boolean;
  remoteAdded: boolean;
  /** The ledger has the configured remote (given now or before). */
  hasRemote: boolean;
}

const README = `# Agent session ledger

Recorded AI coding-agent sessions, one directory per session under \`sessions/\`, kept by
agentwork: each session has its redacted transcript
(\`raw.jsonl\`), a summary (\`summary.md\`, \`summary.json\`) and readable exports
(\`session.md\`, \`session.html\`).
`;

function usage(message: string): AgentworkError {
  return new AgentworkError("E_USAGE", message, { retry: "never" });
}

async function git(dir: string, args: string[], env: Record<string, string>): Promise<string> {
  const result = await runCommand(["git", ...args], { cwd: dir, env, timeoutMs: 60_000 });
  if (result.exitCode !== 0) {
    throw new AgentworkError(
      "E_GIT",
      `git ${args[0]} failed in ${dir}: ${result.stderr.trim() || result.stdout.trim()}`,
      { retry: "never" },
    );
  }
  return result.stdout.trim();
}

/** Is `dir` already a ledger: a git work tree root with a `sessions/` directory? */
export function isLedger(dir: string): boolean {
  return existsSync(join(dir, ".git")) && existsSync(join(dir, "sessions"));
}

function checkTarget(dir: string): "new" | "empty" | "ledger" {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "new";
    throw error;
  }
  if (!st.isDirectory()) throw usage(`${dir} exists and is not a directory`);
  if (isLedger(dir)) return "ledger";
  if (readdirSync(dir).length === 0) return "empty";
  throw usage(
    `${dir} is not empty and not a ledger (no .git with a sessions/ dir); refusing to take it over. Pick a new or empty directory.`,
  );
}

export async function initLedger(
  dir: string,
  options: { remote?: string; remoteName: string; env: Record<string, string> },
): Promise<LedgerInitResult> {
  if (options.remote?.startsWith("-"))
    throw usage(`--remote ${options.remote}: a URL cannot start with "-"`);
  const state = checkTarget(dir);
  const env = options.env;
  if (state !== "ledger") {
    mkdirSync(dir, { recursive: true });
    await git(dir, ["init", "--quiet", "--initial-branch=main"], env);
  }
  mkdirSync(join(dir, "sessions"), { recursive: true });
  ensureSessionsGitignore(dir);
  if (!existsSync(join(dir, "README.md"))) writeFileAtomic(join(dir, "README.md"), README);
  await git(dir, ["add", "--", "README.md", SESSIONS_GITIGNORE], env);
  const staged = await runCommand(["git", "diff", "--cached", "--quiet"], { cwd: dir, env });
  let committed = false;
  if (staged.exitCode !== 0) {
    const identity = (await runCommand(["git", "config", "user.email"], { cwd: dir, env })).stdout;
    // A machine without a git identity still gets its first commit.
    const who =
      identity.trim() === ""
        ? ["-c", "user.name=agentwork", "-c", "user.email=agentwork@localhost"]
        : [];
    await git(dir, [...who, "commit", "--quiet", "-m", "agentwork: new ledger"], env);
    committed = true;
  }
  let remoteAdded = false;
  const current = await runCommand(["git", "remote", "get-url", options.remoteName], {
    cwd: dir,
    env,
  });
  if (options.remote) {
    if (current.exitCode !== 0) {
      await git(dir, ["remote", "add", options.remoteName, options.remote], env);
      remoteAdded = true;
    } else if (current.stdout.trim() !== options.remote) {
      throw usage(
        `the ledger's remote ${options.remoteName} is ${current.stdout.trim()}, not ${options.remote}; change it with: git -C ${dir} remote set-url ${options.remoteName} ${options.remote}`,
      );
    }
  }
  return {
    created: state !== "ledger",
    committed,
    remoteAdded,
    hasRemote: remoteAdded || current.exitCode === 0,
  };
}
