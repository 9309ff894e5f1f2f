import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../core/logger.ts";
import type { PendingLedgerWork } from "../handler.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import type { LedgerGit } from "./ledger-git.ts";
import { ensureLfs, lfsFiles } from "./ledger-lfs.ts";
import { isLocalOnlyName } from "./local-files.ts";
import { ensureSessionsGitignore, SESSIONS_GITIGNORE } from "./sessions-gitignore.ts";
import { DISCARDED_MARKER } from "./types.ts";

export interface LedgerStepOptions {
  /** Session roots inside the ledger, relative to it (`sessions`, scan dirs inside the ledger). */
  roots: () => string[];
  gitPush: boolean;
  logger: Logger;
  /** Held sessions stay local until `agentwork publish`. */
  isHeld: (sessionDir: string) => boolean;
}

/**
 * The ledger step, apart from the agent's: commit every finalized session that is not committed
 * yet, then push. It runs after each finalized session and on every doctor pass, so a failing
 * hook, a held index.lock, a rebase in progress or a refused push is retried without a new agent
 * run, and nothing written is lost. Git is the record of what waits: a session waits to be
 * committed while its files differ from HEAD.
 */
export class LedgerStep {
  private running: Promise<PendingLedgerWork> | null = null;
  private again = false;

  constructor(
    private readonly git: LedgerGit,
    private readonly options: LedgerStepOptions,
  ) {}

  /** One step at a time; a call during a step runs one more step after it. */
  run(): Promise<PendingLedgerWork> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let pending: PendingLedgerWork;
      do {
        this.again = false;
        pending = await this.step();
      } while (this.again);
      return pending;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async step(): Promise<PendingLedgerWork> {
    if (!(await this.git.isRepo())) return { commit: [], push: 0, error: null };
    const waiting = (await this.git.changedSessions(this.options.roots())).filter((rel) =>
      isPublishable(join(this.git.ledgerPath, rel), this.options.isHeld),
    );
    const names = waiting.map((rel) => rel.slice(rel.lastIndexOf("/") + 1));
    // A detached HEAD, a rebase or an index.lock: commit nothing, keep the files, say why.
    const problem = await this.git.stateProblem();
    if (problem) {
      const error = `${problem.problem}; ${problem.fix}`;
      if (names.length > 0) this.warnWaiting(names, error);
      return { commit: names, push: 0, error };
    }
    const failed: string[] = [];
    let error: string | null = null;
    if (waiting.length > 0) ensureSessionsGitignore(this.git.ledgerPath);
    for (const [i, rel] of waiting.entries()) {
      const name = names[i] ?? rel;
      try {
        await this.commitOne(rel, name);
      } catch (thrown) {
        failed.push(name);
        error ??= thrown instanceof Error ? thrown.message : String(thrown);
      }
    }
    if (failed.length > 0) this.warnWaiting(failed, error ?? "");
    let ahead = (await this.git.aheadOfUpstream()) ?? 0;
    if (this.options.gitPush && ahead > 0) {
      const push = await this.git.push();
      if (push.ok) {
        this.options.logger.info(`session-finalize: pushed ${ahead} ledger commit(s)`);
        ahead = 0;
      } else {
        error ??= `push failed${push.auth ? " (authentication; check the ledger's credentials)" : ""}: ${push.error ?? "unknown error"}`;
        this.options.logger.warn(
          `session-finalize: ${ahead} ledger commit(s) wait to be pushed; retried on every pass: ${push.error ?? ""}`,
        );
      }
    }
    // git_push: false keeps commits local by choice: nothing waits to be pushed.
    return { commit: failed, push: this.options.gitPush ? ahead : 0, error };
  }

  /** One session: its LFS files recorded in meta.json, then a commit of its dir. */
  private async commitOne(rel: string, name: string): Promise<void> {
    const dir = join(realpathSync(this.git.ledgerPath), rel);
    await this.recordLfsFiles(dir, rel);
    await this.git.commitSession(rel, name, dirBytes(dir), [SESSIONS_GITIGNORE]);
  }

  /**
   * Where `.gitattributes` routes session files to Git LFS: git-lfs is made ready (or the commit
   * waits, E_LEDGER_STATE) and meta.json's `files` lists those files with their oids and sizes.
   */
  private async recordLfsFiles(dir: string, rel: string): Promise<void> {
    const run = (args: string[]) => this.git.run(args);
    const names = readdirSync(dir).filter((n) => !isLocalOnlyName(n) && n !== "meta.json");
    const files = await lfsFiles(run, realpathSync(this.git.ledgerPath), rel, names);
    if (Object.keys(files).length === 0) return;
    await ensureLfs(run);
    const metaPath = join(dir, "meta.json");
    if (!existsSync(metaPath)) return;
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as Record<string, unknown>;
    writeFileAtomic(metaPath, `${JSON.stringify({ ...meta, files }, null, 2)}\n`);
  }

  private warnWaiting(names: string[], why: string): void {
    this.options.logger.warn(
      `session-finalize: ${names.length} finalized session(s) wait to be committed (${names.slice(0, 3).join(", ")}${names.length > 3 ? ", …" : ""}); retried on every pass without the agent: ${why}`,
    );
  }
}

/**
 * A session is published once its agent work is done and its disposition is "upload": meta.json
 * is written only then. Discarded, local-only and held sessions stay out of commits.
 */
export function isPublishable(sessionDir: string, isHeld: (dir: string) => boolean): boolean {
  return (
    existsSync(join(sessionDir, "meta.json")) &&
    existsSync(join(sessionDir, "summary.json")) &&
    !existsSync(join(sessionDir, DISCARDED_MARKER)) &&
    !isHeld(sessionDir)
  );
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    try {
      total += statSync(join(dir, name)).size;
    } catch {
      // Gone meanwhile; not counted.
    }
  }
  return total;
}
