import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../core/logger.ts";
import type { CommandResult } from "../../core/process.ts";
import { type GitRun, gitDirOf } from "./ledger-state.ts";

export const AUTH_FAILURE =
  /permission denied|\b403\b|could not read username|could not read password|authentication failed|access denied|invalid username or password/i;
/** The remote does not exist: no retry can help until a person fixes the URL or the remote. */
export const NO_REMOTE =
  /does not appear to be a git repository|repository not found|could not resolve host|no such remote|no such file or directory|not a git repository|name or service not known/i;
const REJECTED = /\[rejected\]|non-fast-forward|fetch first|updates were rejected/i;
const MAX_REBASE_STEPS = 100;

export function output(r: CommandResult): string {
  return `${r.stdout}\n${r.stderr}`.trim();
}

export function isRejected(text: string): boolean {
  return REJECTED.test(text);
}

/** Where HEAD is pushed: its upstream, or the configured remote and branch (then set as upstream). */
export interface PushTarget {
  remote: string;
  branch: string;
  hasUpstream: boolean;
}

export async function pushTarget(
  run: GitRun,
  defaults: { remote: string; branch: string | null },
): Promise<PushTarget | null> {
  const head = await run(["symbolic-ref", "--quiet", "--short", "HEAD"]);
  if (head.exitCode !== 0) return null;
  const current = head.stdout.trim();
  const remote = await run(["config", "--get", `branch.${current}.remote`]);
  const merge = await run(["config", "--get", `branch.${current}.merge`]);
  if (remote.exitCode === 0 && merge.exitCode === 0) {
    return {
      remote: remote.stdout.trim(),
      branch: merge.stdout.trim().replace(/^refs\/heads\//, ""),
      hasUpstream: true,
    };
  }
  return { remote: defaults.remote, branch: defaults.branch ?? current, hasUpstream: false };
}

/** Bytes of the objects HEAD has that the remote lacks (git ≥ 2.31), for the push timeout. */
export async function pendingBytes(run: GitRun, remote: string): Promise<number> {
  const r = await run([
    "rev-list",
    "--disk-usage",
    "--objects",
    "HEAD",
    "--not",
    `--remotes=${remote}`,
  ]);
  const n = Number.parseInt(r.stdout.trim(), 10);
  return r.exitCode === 0 && Number.isFinite(n) ? n : 0;
}

/** 60 s plus 1 s per MiB, unless git_timeout sets it. */
export function scaledTimeout(bytes: number, fixed: number | null): number {
  return fixed ?? 60_000 + Math.ceil(bytes / (1024 * 1024)) * 1000;
}

/**
 * Rebases HEAD onto the remote branch. A conflict inside `sessions/` means another clone already
 * pushed that session: the remote is the ledger of record, so its version is kept (ours dropped
 * for that session) and the rebase goes on. A conflict anywhere else is left for a person: the
 * rebase is aborted and the local commits stay as they were.
 */
export async function rebaseKeepingRemoteSessions(
  run: GitRun,
  target: PushTarget,
  logger: Logger,
): Promise<{ ok: true; keptRemote: string[] } | { ok: false; error: string }> {
  const pull = await run([
    "pull",
    "--rebase",
    "--autostash",
    "--quiet",
    target.remote,
    target.branch,
  ]);
  if (pull.exitCode === 0) return { ok: true, keptRemote: [] };
  const kept = new Set<string>();
  for (let step = 0; step < MAX_REBASE_STEPS; step++) {
    const unmerged = await run(["diff", "--name-only", "--diff-filter=U", "-z"]);
    const files = unmerged.stdout.split("\0").filter((f) => f !== "");
    if (files.length === 0 && step === 0) {
      await run(["rebase", "--abort"]);
      return {
        ok: false,
        error: `rebase onto ${target.remote}/${target.branch} failed: ${output(pull)}`,
      };
    }
    const outside = files.filter((f) => !/^sessions\/[^/]+\//.test(f));
    if (outside.length > 0) {
      await run(["rebase", "--abort"]);
      return {
        ok: false,
        error: `rebase conflict outside sessions/ (${outside.join(", ")}); resolve it by hand: ${output(pull)}`,
      };
    }
    for (const file of files) {
      kept.add(file.split("/")[1] as string);
      // In a rebase, "ours" is the branch being rebased onto: the remote's version.
      const take = await run(["checkout", "--ours", "--", file]);
      if (take.exitCode === 0) await run(["add", "--", file]);
      else await run(["rm", "--quiet", "--cached", "--ignore-unmatch", "--", file]);
    }
    const cont = await run(["-c", "core.editor=true", "rebase", "--continue"]);
    if (cont.exitCode === 0 && !(await rebaseInProgress(run))) return keptRemote(kept, logger);
    if (cont.exitCode !== 0) {
      const left = await run(["diff", "--name-only", "--diff-filter=U"]);
      // Nothing left of our commit once the remote's files are taken: skip it.
      if (left.stdout.trim() === "") {
        const skip = await run(["rebase", "--skip"]);
        if (skip.exitCode === 0 && !(await rebaseInProgress(run))) return keptRemote(kept, logger);
      }
    }
  }
  await run(["rebase", "--abort"]);
  return { ok: false, error: "rebase did not finish; aborted, local commits kept" };
}

function keptRemote(kept: Set<string>, logger: Logger): { ok: true; keptRemote: string[] } {
  logger.warn(
    `session-finalize: another clone already pushed ${[...kept].join(", ")}; kept the remote's version and went on`,
  );
  return { ok: true, keptRemote: [...kept] };
}

async function rebaseInProgress(run: GitRun): Promise<boolean> {
  const gitDir = await gitDirOf(run);
  return (
    gitDir !== null &&
    (existsSync(join(gitDir, "rebase-merge")) || existsSync(join(gitDir, "rebase-apply")))
  );
}
