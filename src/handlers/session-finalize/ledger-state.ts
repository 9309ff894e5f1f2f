import { existsSync } from "node:fs";
import { join } from "node:path";
import { AgentworkError } from "../../core/errors.ts";
import type { CommandResult } from "../../core/process.ts";

/** Runs `git <args>` in the ledger (LedgerGit's runner). */
export type GitRun = (args: string[]) => Promise<CommandResult>;

export interface LedgerStateProblem {
  /** What is wrong, e.g. "a rebase is in progress". */
  problem: string;
  /** What the user runs to fix it. */
  fix: string;
}

/** In-progress operations, by the file git keeps in its dir while one runs. */
const IN_PROGRESS: [string, string, string][] = [
  [
    "rebase-merge",
    "a rebase is in progress",
    "finish it with `git rebase --continue` or undo it with `git rebase --abort`",
  ],
  [
    "rebase-apply",
    "a rebase or `git am` is in progress",
    "finish it with `git rebase --continue` (or `git am --continue`), or undo it with `git rebase --abort` (or `git am --abort`)",
  ],
  [
    "MERGE_HEAD",
    "a merge is in progress",
    "finish it with `git merge --continue` or undo it with `git merge --abort`",
  ],
  [
    "CHERRY_PICK_HEAD",
    "a cherry-pick is in progress",
    "finish it with `git cherry-pick --continue` or undo it with `git cherry-pick --abort`",
  ],
  [
    "REVERT_HEAD",
    "a revert is in progress",
    "finish it with `git revert --continue` or undo it with `git revert --abort`",
  ],
  ["BISECT_LOG", "a bisect is in progress", "end it with `git bisect reset`"],
];

/** The ledger's git dir, absolute. */
export async function gitDirOf(run: GitRun): Promise<string | null> {
  const r = await run(["rev-parse", "--absolute-git-dir"]);
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

/**
 * What stops a commit in the ledger right now, or null: a detached HEAD, a branch other than the
 * configured one, an unfinished rebase/merge/cherry-pick/revert/bisect, or an `index.lock`. A
 * commit made in any of these states is lost or deleted by the user's usual way out (`git rebase
 * --abort`, `git checkout main`), taking the session's files with it.
 */
export async function ledgerStateProblem(
  run: GitRun,
  options: { branch: string | null },
): Promise<LedgerStateProblem | null> {
  const gitDir = await gitDirOf(run);
  if (!gitDir)
    return {
      problem: "the ledger's git directory cannot be read",
      fix: "check `git status` in the ledger",
    };
  for (const [file, problem, fix] of IN_PROGRESS) {
    if (existsSync(join(gitDir, file))) return { problem, fix };
  }
  const lock = join(gitDir, "index.lock");
  if (existsSync(lock))
    return {
      problem: `${lock} exists (another git command is running, or one crashed)`,
      fix: `if no git command is running in the ledger, remove ${lock}`,
    };
  const head = await run(["symbolic-ref", "--quiet", "--short", "HEAD"]);
  const want = options.branch;
  if (head.exitCode !== 0)
    return {
      problem: "HEAD is detached (commits would sit on no branch)",
      fix: `check out the ledger's branch: \`git checkout ${want ?? "main"}\``,
    };
  const current = head.stdout.trim();
  if (want !== null && current !== want)
    return {
      problem: `the ledger is on branch ${current}, not ${want} (git_branch)`,
      fix: `\`git checkout ${want}\`, or set git_branch`,
    };
  return null;
}

/**
 * Throws E_LEDGER_STATE (retried later, never a new agent run: the files stay on disk and the
 * commit waits) when the ledger is in a state where a commit must not be made.
 */
export async function checkLedgerGitState(
  run: GitRun,
  options: { branch: string | null },
): Promise<void> {
  const found = await ledgerStateProblem(run, options);
  if (found) throw ledgerStateError(found);
}

export function ledgerStateError(found: LedgerStateProblem): AgentworkError {
  return new AgentworkError(
    "E_LEDGER_STATE",
    `not committing: ${found.problem}; ${found.fix}. The session's files stay on disk and are committed once this is fixed.`,
    { retry: "retry" },
  );
}
