import { realpathSync } from "node:fs";
import { AgentworkError } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import { type CommandResult, runCommand } from "../../core/process.ts";
import { safeText } from "../../core/terminal-text.ts";
import { sleep } from "../../core/timers.ts";
import { usesLfs } from "./ledger-lfs.ts";
import {
  AUTH_FAILURE,
  isRejected,
  NO_REMOTE,
  output,
  pendingBytes,
  pushTarget,
  rebaseKeepingRemoteSessions,
  scaledTimeout,
} from "./ledger-push.ts";
import {
  checkLedgerGitState,
  type LedgerStateProblem,
  ledgerStateProblem,
} from "./ledger-state.ts";
import { Mutex } from "./mutex.ts";

const PUSH_ATTEMPTS = 3;
const NOTHING_TO_COMMIT = /nothing to commit|nothing added to commit|no changes added to commit/i;

export type CommitOutcome = "committed" | "nothing_to_commit";

export interface PushOutcome {
  ok: boolean;
  attempts: number;
  /** True when git refused our credentials: retrying cannot help until a person acts. */
  auth: boolean;
  error?: string;
  /** Sessions another clone had already pushed; the remote's version was kept. */
  keptRemote?: string[];
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
  /** Remote for a branch without an upstream (config git_remote; default origin). */
  remote?: string;
  /** Branch the ledger must be on, and is pushed to without an upstream (git_branch). */
  branch?: string | null;
  /** One git command's timeout; null scales with the bytes involved (git_timeout). */
  timeoutMs?: number | null;
}

/**
 * Git operations on the ledger: add + commit of one session, push with retry and rebase. Every
 * operation takes the same mutex, so concurrent finalizations never race on the index. Argv
 * arrays only, never a shell string.
 */
export class LedgerGit {
  private readonly mutex = new Mutex();
  private readonly env: Record<string, string>;
  private readonly retryDelayMs: number;
  private readonly remote: string;
  private readonly branch: string | null;
  private readonly fixedTimeout: number | null;

  constructor(
    readonly ledgerPath: string,
    private readonly options: LedgerGitOptions,
  ) {
    this.env = { ...(options.env ?? {}), GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", LANG: "C" };
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.remote = options.remote ?? "origin";
    this.branch = options.branch ?? null;
    this.fixedTimeout = options.timeoutMs ?? null;
  }

  /** `git -C <ledger> <args>`; the timeout scales with `bytes` unless git_timeout is set. */
  run(args: string[], bytes = 0): Promise<CommandResult> {
    return runCommand(["git", "-C", this.ledgerPath, ...args], {
      env: this.env,
      timeoutMs: scaledTimeout(bytes, this.fixedTimeout),
    });
  }

  private readonly git = (args: string[]) => this.run(args);

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

  /** What stops a commit now (detached HEAD, rebase, index.lock, ...), or null. */
  stateProblem(): Promise<LedgerStateProblem | null> {
    return ledgerStateProblem(this.git, { branch: this.branch });
  }

  /**
   * `git add` of the session dir (and `extra` paths such as sessions/.gitignore) and a commit of
   * exactly those paths; other staged work is left alone. Throws E_LEDGER_STATE, committing
   * nothing, when the ledger is mid-rebase, detached, locked or on the wrong branch.
   */
  commitSession(
    rel: string,
    name: string,
    bytes = 0,
    extra: string[] = [],
  ): Promise<CommitOutcome> {
    return this.mutex.run(async () => {
      await checkLedgerGitState(this.git, { branch: this.branch });
      const paths = [`${rel}/`, ...extra];
      const add = await this.run(["add", "--", ...paths], bytes);
      if (add.exitCode !== 0)
        throw new AgentworkError("E_GIT", `git add ${rel}/ failed: ${output(add)}`);
      const commit = await this.run(
        ["commit", "--quiet", "-m", `finalize session ${safeText(name)}`, "--", ...paths],
        bytes,
      );
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

  /**
   * Commits on HEAD not yet pushed: against the upstream, or (no upstream) against every branch
   * of the configured remote. Null on a detached HEAD or when git cannot tell.
   */
  async aheadOfUpstream(): Promise<number | null> {
    const target = await pushTarget(this.git, { remote: this.remote, branch: this.branch });
    if (!target) return null;
    const r = target.hasUpstream
      ? await this.git(["rev-list", "--count", "@{upstream}..HEAD"])
      : await this.git(["rev-list", "--count", "HEAD", "--not", `--remotes=${target.remote}`]);
    if (r.exitCode !== 0) return null;
    const n = Number.parseInt(r.stdout.trim(), 10);
    return Number.isFinite(n) ? n : null;
  }

  push(): Promise<PushOutcome> {
    return this.mutex.run(() => this.pushLocked());
  }

  private async pushLocked(): Promise<PushOutcome> {
    const problem = await this.stateProblem();
    if (problem)
      return {
        ok: false,
        attempts: 0,
        auth: false,
        error: `not pushing: ${problem.problem}; ${problem.fix}`,
      };
    const target = await pushTarget(this.git, { remote: this.remote, branch: this.branch });
    if (!target)
      return { ok: false, attempts: 0, auth: false, error: "HEAD is detached; not pushing" };
    const keptRemote: string[] = [];
    const lfs = await usesLfs(this.git);
    let last = "";
    for (let attempt = 1; attempt <= PUSH_ATTEMPTS; attempt++) {
      const bytes = await pendingBytes(this.git, target.remote);
      if (lfs) {
        // LFS objects go up before the commit that points at them (the pre-push hook may be absent).
        const up = await this.run(["lfs", "push", target.remote, "HEAD"], bytes);
        if (up.exitCode !== 0) {
          last = up.timedOut ? "git lfs push timed out" : `git lfs push failed: ${output(up)}`;
          if (AUTH_FAILURE.test(last) || NO_REMOTE.test(last))
            return { ok: false, auth: AUTH_FAILURE.test(last), error: last, attempts: attempt };
          continue;
        }
      }
      const args = ["push", "--quiet", ...(target.hasUpstream ? [] : ["--set-upstream"])];
      const r = await this.run([...args, target.remote, `HEAD:refs/heads/${target.branch}`], bytes);
      const done = { attempts: attempt, ...(keptRemote.length > 0 ? { keptRemote } : {}) };
      if (r.exitCode === 0) return { ok: true, auth: false, ...done };
      last = r.timedOut ? "git push timed out" : output(r);
      if (AUTH_FAILURE.test(last)) return { ok: false, auth: true, error: last, ...done };
      if (NO_REMOTE.test(last))
        return {
          ok: false,
          auth: false,
          error: `remote ${target.remote} is not usable: ${last}`,
          ...done,
        };
      if (isRejected(last)) {
        const rebased = await rebaseKeepingRemoteSessions(this.git, target, this.options.logger);
        if (!rebased.ok) return { ok: false, auth: false, error: rebased.error, ...done };
        keptRemote.push(...rebased.keptRemote);
        continue;
      }
      if (attempt < PUSH_ATTEMPTS && this.retryDelayMs > 0) {
        await sleep(attempt * this.retryDelayMs);
      }
    }
    return { ok: false, attempts: PUSH_ATTEMPTS, auth: false, error: last };
  }
}
