import { runCommand } from "../core/process.ts";

/** `sessions/<name>/...` → name. */
function sessionOf(path: string): string | null {
  const parts = path.split("/");
  return parts[0] === "sessions" && parts[1] ? parts[1] : null;
}

/**
 * Sessions whose files are not yet pushed: changed in the work tree, or in commits the upstream
 * branch does not have. Null when the ledger has no upstream (nothing counts as pushed).
 */
export async function unpublishedSessions(
  ledger: string,
  env: Record<string, string | undefined>,
): Promise<Set<string> | null> {
  const git = (args: string[]) =>
    runCommand(["git", "-C", ledger, ...args], { env, timeoutMs: 10_000 });
  const log = await git(["log", "--format=", "--name-only", "@{upstream}..HEAD", "--", "sessions"]);
  if (log.exitCode !== 0) return null;
  const status = await git(["status", "--porcelain", "--untracked-files=all", "--", "sessions"]);
  const paths = [
    ...log.stdout.split("\n"),
    ...status.stdout.split("\n").map((line) => line.slice(3).replace(/^"|"$/g, "")),
  ];
  const names = new Set<string>();
  for (const path of paths) {
    const name = sessionOf(path.trim());
    if (name) names.add(name);
  }
  return names;
}
