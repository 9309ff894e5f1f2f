import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { AgentworkError } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import { type CommandResult, runCommand } from "../../core/process.ts";
import { safeText } from "../../core/terminal-text.ts";
import { Mutex } from "./mutex.ts";

const GIT_TIMEOUT_MS = 60_000;
const PUSH_ATTEMPTS = 3;
const AUTH_FAILURE =
  /permission denied|\b403\b|could not read username|could not read password|authentication failed|access denied/i;
const REJECTED = /\[rejected\]|non-fast-forward|fetch first|updates were rejected/i;
const NOTHING_TO_COMMIT = /nothing to commit|nothing added to commit|no changes added to commit/i;

export type CommitOutcome = "committed" | "nothing_to_commit";

export interface PushOutcome {
  ok: boolean;
  attempts: number;
  /** True when git refused our credentials: retrying cannot help until a person acts. */
  auth: boolean;
  error?: string;
}

export interface LedgerGitOptions {
  logger: Logger;
  /**
   * Environment for git (HOME, PATH, SSH_AUTH_SOCK, ...), built by the caller: src/ never reads
   * process.env. GIT_TERMINAL_PROMPT=0 and LC_ALL=C are always added, so git never waits on a
   * prompt and its messages stay in English for classification.
   */
  env?: Record<string, string>;
  /** Pause before push attempt n+1 is n × this (upstream: 1 s). */
  retryDelayMs?: number;
}

function output(r: CommandResult): string {
  return `${r.stdout}\n${r.stderr}`.trim();
}

/**
 * Git operations on the ledger: add + commit of one session, push with retry and rebase. Every
 * operation takes the same mutex, so concurrent finalizations never race on the index.
 */
export class LedgerGit {
  private readonly mutex = new Mutex();
  private readonly env: Record<string, string>;
  private readonly retryDelayMs: number;

  constructor(
    readonly ledgerPath: string,
    private readonly options: LedgerGitOptions,
  ) {
    this.env = { ...(options.env ?? {}), GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  private git(args: string[]): Promise<CommandResult> {
    return runCommand(["git", "-C", this.ledgerPath, ...args], {
      env: this.env,
      timeoutMs: GIT_TIMEOUT_MS,
    });
  }

  /**
   * True only when the ledger is itself the top of a work tree. A plain directory that merely
   * sits inside some other repository (the example ledger in this repo) is not a git ledger.
   */
  async isRepo(): Promise<boolean> {
    const r = await this.git(["rev-parse", "--show-toplevel"]);
    if (r.exitCode !== 0) return false;
    try {
      return realpathSync(r.stdout.trim()) === realpathSync(this.ledgerPath);
    } catch {
      return false;
    }
  }

  /** `git add <rel>/` and a commit of exactly that path; other staged work is left alone. */
  commitSession(rel: string, name: string): Promise<CommitOutcome> {
    return this.mutex.run(async () => {
      const add = await this.git(["add", "--", `${rel}/`]);
      if (add.exitCode !== 0)
        throw new AgentworkError("E_GIT", `git add ${rel}/ failed: ${output(add)}`);
      const commit = await this.git([
        "commit",
        "--quiet",
        "-m",
        `finalize session ${safeText(name)}`,
        "--",
        `${rel}/`,
      ]);
      if (commit.exitCode === 0) return "committed";
      if (NOTHING_TO_COMMIT.test(output(commit))) return "nothing_to_commit";
      throw new AgentworkError("E_GIT", `git commit for ${name} failed: ${output(commit)}`);
    });
  }

  /**
   * Session dirs (`<root>/<name>`, relative to the ledger) with files that differ from HEAD:
   * modified, staged or untracked.
   */
  async changedSessions(roots: string[]): Promise<string[]> {
    if (roots.length === 0) return [];
    const r = await this.git([
      "status",
      "--porcelain=v1",
      "-z",
      "--untracked-files=all",
      "--",
      ...roots.map((root) => `${root}/`),
    ]);
    if (r.exitCode !== 0) {
      throw new AgentworkError("E_GIT", `git status in the ledger failed: ${output(r)}`);
    }
    const dirs = new Set<string>();
    const entries = r.stdout.split("\0");
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] ?? "";
      if (entry.length < 4) continue;
      // Renames and copies carry the old path as the next entry.
      if (entry[0] === "R" || entry[0] === "C") i++;
      const path = entry.slice(3);
      const root = roots.find((candidate) => path.startsWith(`${candidate}/`));
      if (root === undefined) continue;
      const name = path.slice(root.length + 1).split("/")[0];
      if (name && path.length > root.length + 1 + name.length) dirs.add(`${root}/${name}`);
    }
    return [...dirs].sort();
  }

  /** Commits on HEAD that the upstream branch lacks; null when there is no upstream. */
  async aheadOfUpstream(): Promise<number | null> {
    const r = await this.git(["rev-list", "--count", "@{upstream}..HEAD"]);
    if (r.exitCode !== 0) return null;
    const n = Number.parseInt(r.stdout.trim(), 10);
    return Number.isFinite(n) ? n : null;
  }

  push(): Promise<PushOutcome> {
    return this.mutex.run(() => this.pushLocked());
  }

  private async pushLocked(): Promise<PushOutcome> {
    const gitDir = join(this.ledgerPath, ".git");
    if (existsSync(join(gitDir, "rebase-merge")) || existsSync(join(gitDir, "rebase-apply"))) {
      return {
        ok: false,
        attempts: 0,
        auth: false,
        error: "a rebase is in progress in the ledger; not pushing",
      };
    }
    let last = "";
    for (let attempt = 1; attempt <= PUSH_ATTEMPTS; attempt++) {
      const r = await this.git(["push", "--quiet"]);
      if (r.exitCode === 0) return { ok: true, attempts: attempt, auth: false };
      last = r.timedOut ? "git push timed out" : output(r);
      if (AUTH_FAILURE.test(last)) return { ok: false, attempts: attempt, auth: true, error: last };
      if (REJECTED.test(last)) {
        const pull = await this.git(["pull", "--rebase", "--autostash", "--quiet"]);
        if (pull.exitCode !== 0) {
          // A conflicting remote change: leave the local commit as it was for a person (or a
          // later pass, once the remote moves on) rather than resolve it blindly.
          await this.git(["rebase", "--abort"]);
          return {
            ok: false,
            attempts: attempt,
            auth: false,
            error: `rebase onto remote failed: ${output(pull)}`,
          };
        }
        this.options.logger.debug(
          `session-finalize: push rejected, rebased onto remote (attempt ${attempt})`,
        );
        continue;
      }
      if (attempt < PUSH_ATTEMPTS && this.retryDelayMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, attempt * this.retryDelayMs));
      }
    }
    return { ok: false, attempts: PUSH_ATTEMPTS, auth: false, error: last };
  }
}
