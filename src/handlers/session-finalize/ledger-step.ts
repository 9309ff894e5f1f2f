import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { PublishingMode } from "../../config/config.ts";
import { AgentworkError } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import { isHeld } from "./held.ts";
import type { LedgerGit, PushOutcome } from "./ledger-git.ts";
import { ensureLfs, lfsFiles } from "./ledger-lfs.ts";
import { isLocalOnlyName } from "./local-files.ts";
import { assertInside } from "./paths.ts";
import { ensureSessionsGitignore, SESSIONS_GITIGNORE } from "./sessions-gitignore.ts";

export interface CommitReport {
  committed: boolean;
  /** Set when the ledger's git state stopped the commit (the files stay on disk). */
  waiting?: string;
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

/**
 * The ledger step of one session: `sessions/.gitignore` kept current, then a commit of the
 * session dir. A ledger in a state where a commit must not be made (E_LEDGER_STATE) is not a
 * failure of the run: the files stay, the commit waits for `commitPending` on a later pass, and no
 * agent runs again.
 */
export class LedgerStep {
  /** The last git-state problem seen, for status and doctor; null once commits go through. */
  problem: string | null = null;

  constructor(
    private readonly git: LedgerGit,
    private readonly ledgerPath: string,
    private readonly logger: Logger,
  ) {}

  async commit(sessionDir: string, name: string): Promise<CommitReport> {
    const real = assertInside(sessionDir, [this.ledgerPath], "session_dir");
    const rel = relative(realpathSync(this.ledgerPath), real);
    ensureSessionsGitignore(this.ledgerPath);
    try {
      await this.recordLfsFiles(real, rel);
      const outcome = await this.git.commitSession(rel, name, dirBytes(real), [SESSIONS_GITIGNORE]);
      this.problem = null;
      return { committed: outcome === "committed" };
    } catch (error) {
      if (!(error instanceof AgentworkError && error.code === "E_LEDGER_STATE")) throw error;
      this.problem = error.message;
      this.logger.warn(`session-finalize: ${name}: ${error.message}`);
      return { committed: false, waiting: error.message };
    }
  }

  /**
   * Where `.gitattributes` routes session files to Git LFS: git-lfs is made ready (or the commit
   * waits, E_LEDGER_STATE) and meta.json's `files` lists those files with their oids and sizes.
   */
  private async recordLfsFiles(dir: string, rel: string): Promise<void> {
    const run = (args: string[]) => this.git.run(args);
    const names = readdirSync(dir).filter((n) => !isLocalOnlyName(n) && n !== "meta.json");
    const files = await lfsFiles(run, realpathSync(this.ledgerPath), rel, names);
    if (Object.keys(files).length === 0) return;
    await ensureLfs(run);
    const metaPath = join(dir, "meta.json");
    if (!hasFile(dir, "meta.json")) return;
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as Record<string, unknown>;
    writeFileAtomic(metaPath, `${JSON.stringify({ ...meta, files }, null, 2)}\n`);
  }

  /**
   * Commits finalized (uploaded: meta.json written) sessions that are not committed yet, e.g.
   * because the ledger was mid-rebase when they were finalized. Held sessions are left alone.
   * Returns the names committed.
   */
  async commitPending(mode: PublishingMode): Promise<string[]> {
    const found = await this.git.stateProblem();
    if (found) {
      this.problem = `${found.problem}; ${found.fix}`;
      return [];
    }
    this.problem = null;
    const status = await this.git.run([
      "status",
      "--porcelain",
      "-z",
      "--untracked-files=all",
      "--",
      "sessions/",
    ]);
    const names = new Set<string>();
    for (const entry of status.stdout.split("\0")) {
      const m = /^.. sessions\/([^/]+)\//.exec(entry);
      if (m?.[1]) names.add(m[1]);
    }
    const done: string[] = [];
    for (const name of [...names].sort()) {
      const dir = join(this.ledgerPath, "sessions", name);
      if (!hasFile(dir, "meta.json") || isHeld([dir], mode)) continue;
      const r = await this.commit(dir, name);
      if (r.committed) done.push(name);
    }
    return done;
  }

  /** Push, with the failure logged (not a failure of the run: cleanup pushes later). */
  async push(name: string): Promise<PushOutcome> {
    const push = await this.git.push();
    if (!push.ok)
      this.logger.warn(
        `session-finalize: push after finalizing ${name} failed${push.auth ? " (authentication; check the ledger's credentials)" : ""}; will retry on a later pass: ${push.error ?? ""}`,
      );
    return push;
  }
}

function hasFile(dir: string, name: string): boolean {
  try {
    return statSync(join(dir, name)).isFile();
  } catch {
    return false;
  }
}
