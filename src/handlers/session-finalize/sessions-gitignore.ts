import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.ts";
import { LOCAL_ONLY_PATTERNS } from "./local-files.ts";

export const SESSIONS_GITIGNORE = "sessions/.gitignore";

export function gitignoreText(): string {
  return [
    "# Written by agentwork: files that stay on this machine and are never committed.",
    "# Markers (.recording.json, .discarded.json, .held, .publish), other dotfiles, temp files.",
    ...LOCAL_ONLY_PATTERNS,
    // The file itself is shared, so every clone ignores the same files.
    "!.gitignore",
    "",
  ].join("\n");
}

/**
 * Writes `<ledger>/sessions/.gitignore` when it is missing or out of date (lines a user added
 * are kept, ours are appended when missing). Returns true when the file changed.
 */
export function ensureSessionsGitignore(ledgerPath: string): boolean {
  const path = join(ledgerPath, SESSIONS_GITIGNORE);
  let current = "";
  try {
    current = readFileSync(path, "utf8");
  } catch {
    current = "";
  }
  const have = new Set(current.split("\n").map((l) => l.trim()));
  const wanted = gitignoreText().split("\n");
  if (current !== "" && wanted.every((l) => l === "" || l.startsWith("#") || have.has(l)))
    return false;
  const next =
    current === ""
      ? gitignoreText()
      : `${current.endsWith("\n") ? current : `${current}\n`}${wanted.filter((l) => l !== "" && !l.startsWith("#") && !have.has(l)).join("\n")}\n`;
  mkdirSync(join(ledgerPath, "sessions"), { recursive: true });
  writeFileAtomic(path, next);
  return true;
}
