import { type Dirent, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { PublishingMode } from "../../config/config.ts";
import { silentLogger } from "../../core/logger.ts";
import { isHeld } from "./held.ts";
import { LedgerGit } from "./ledger-git.ts";
import { DISCARDED_MARKER, RAW_FILE } from "./types.ts";

/** What `status` shows about the ledger itself (snake_case JSON). */
export interface LedgerReport {
  /** Sessions waiting for `agentwork publish`. */
  held_sessions: number;
  /** Why commits wait (detached HEAD, rebase, index.lock...) with the fix; null when none. */
  git_problem: string | null;
}

function sessionDirs(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => join(dir, e.name));
}

/** Read-only: counts held, unfinalized sessions and asks git whether a commit could be made. */
export async function ledgerReport(
  ledgerPath: string,
  options: { scanDirs: string[]; publishing: PublishingMode; gitEnv?: Record<string, string> },
): Promise<LedgerReport> {
  let held = 0;
  for (const root of [join(ledgerPath, "sessions"), ...options.scanDirs]) {
    for (const dir of sessionDirs(root)) {
      if (!existsSync(join(dir, RAW_FILE)) || existsSync(join(dir, "summary.json"))) continue;
      if (existsSync(join(dir, DISCARDED_MARKER))) continue;
      if (isHeld([dir], options.publishing)) held++;
    }
  }
  const git = new LedgerGit(ledgerPath, { logger: silentLogger(), env: options.gitEnv });
  const problem = (await git.isRepo()) ? await git.stateProblem() : null;
  return {
    held_sessions: held,
    git_problem: problem ? `${problem.problem}; ${problem.fix}` : null,
  };
}
