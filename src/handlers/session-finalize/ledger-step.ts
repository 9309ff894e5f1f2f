import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../core/logger.ts";
import type { PendingLedgerWork } from "../handler.ts";
import type { LedgerGit } from "./ledger-git.ts";
import { DISCARDED_MARKER } from "./types.ts";

export interface LedgerStepOptions {
  /** Session roots inside the ledger, relative to it (`sessions`, scan dirs inside the ledger). */
  roots: () => string[];
  gitPush: boolean;
  logger: Logger;
}

/**
 * The ledger step, apart from the agent's: commit every finalized session that is not committed
 * yet, then push. It runs after each finalized session and on every doctor pass, so a failing
 * hook, a held index.lock or a refused push is retried without a new agent run, and nothing
 * written is lost. Git is the record of what waits: a session waits to be committed while its
 * files differ from HEAD.
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
    const none: PendingLedgerWork = { commit: [], push: 0, error: null };
    if (!(await this.git.isRepo())) return none;
    const waiting = await this.git.changedSessions(this.options.roots());
    const failed: string[] = [];
    let error: string | null = null;
    for (const rel of waiting) {
      if (!isPublishable(join(this.git.ledgerPath, rel))) continue;
      const name = rel.slice(rel.lastIndexOf("/") + 1);
      try {
        await this.git.commitSession(rel, name);
      } catch (thrown) {
        failed.push(name);
        error ??= thrown instanceof Error ? thrown.message : String(thrown);
      }
    }
    if (failed.length > 0) {
      this.options.logger.warn(
        `session-finalize: ${failed.length} finalized session(s) wait to be committed (${failed.slice(0, 3).join(", ")}${failed.length > 3 ? ", …" : ""}); retried on every pass without the agent: ${error}`,
      );
    }
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
    return { commit: failed, push: ahead, error };
  }
}

/**
 * A session is published once its agent work is done and its disposition is "upload": meta.json
 * is written only then. Discarded and local-only sessions stay out of commits.
 */
export function isPublishable(sessionDir: string): boolean {
  return (
    existsSync(join(sessionDir, "meta.json")) &&
    existsSync(join(sessionDir, "summary.json")) &&
    !existsSync(join(sessionDir, DISCARDED_MARKER))
  );
}
