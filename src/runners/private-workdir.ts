import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs `fn` in a fresh, empty, owner-only (0700) directory that is removed afterwards. An agent
 * never runs in the ledger: a CLAUDE.md, AGENTS.md or GEMINI.md there would reach the model, and
 * a CLI that writes into its work dir must not write into a repository we commit.
 */
export async function withPrivateWorkDir<T>(
  root: string | undefined,
  fn: (dir: string) => Promise<T>,
): Promise<T> {
  const base = root ?? tmpdir();
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(base, "agentwork-run-"));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
