import { createHash } from "node:crypto";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { AgentworkError } from "../../core/errors.ts";
import { output } from "./ledger-push.ts";
import type { GitRun } from "./ledger-state.ts";
import { RAW_FILE, REQUIRED_ARTIFACTS } from "./types.ts";

/** An LFS object reference, as meta.json's `files` lists it (upstream §10.3). */
export interface LfsRef {
  oid: string;
  size: number;
}

/** The paths (relative to the ledger) that `.gitattributes` routes through `filter=lfs`. */
export async function lfsPaths(run: GitRun, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const r = await run(["check-attr", "-z", "filter", "--", ...paths]);
  if (r.exitCode !== 0) return [];
  const parts = r.stdout.split("\0");
  const out: string[] = [];
  for (let i = 0; i + 2 < parts.length; i += 3) {
    if (parts[i + 2] === "lfs") out.push(parts[i] as string);
  }
  return out;
}

/** Whether any `.gitattributes` rule of the ledger names the lfs filter (a cheap probe). */
export async function usesLfs(run: GitRun): Promise<boolean> {
  const names = [RAW_FILE, ...REQUIRED_ARTIFACTS, "meta.json"];
  return (
    (
      await lfsPaths(
        run,
        names.map((n) => `sessions/x/${n}`),
      )
    ).length > 0
  );
}

/**
 * Makes sure commits of LFS-routed files go through git-lfs: git-lfs must be installed, and the
 * filter configured (globally, or `git lfs install --local`, which also adds the pre-push hook).
 * Throws E_LEDGER_STATE when git-lfs is missing: committing the plain blob instead would put
 * the content where the ledger's owner asked for a pointer, so the commit waits.
 */
export async function ensureLfs(run: GitRun): Promise<void> {
  const version = await run(["lfs", "version"]);
  if (version.exitCode !== 0)
    throw new AgentworkError(
      "E_LEDGER_STATE",
      "not committing: the ledger's .gitattributes routes session files to Git LFS but git-lfs is not installed; install it (e.g. `apt-get install git-lfs`). The session's files stay on disk and are committed once it is there.",
      { retry: "retry" },
    );
  const filter = await run(["config", "--get", "filter.lfs.process"]);
  if (filter.exitCode === 0 && filter.stdout.trim() !== "") return;
  const install = await run(["lfs", "install", "--local"]);
  if (install.exitCode !== 0)
    throw new AgentworkError("E_GIT", `git lfs install --local failed: ${output(install)}`);
}

/** SHA-256 and size of a file, streamed (the LFS oid of its content). */
export function lfsRef(path: string): LfsRef {
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  const buf = Buffer.allocUnsafe(1024 * 1024);
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return { oid: `sha256:${hash.digest("hex")}`, size: statSync(path).size };
}

/** meta.json `files`: the LFS-routed files of a session dir by name, with oid and size. */
export async function lfsFiles(
  run: GitRun,
  ledgerPath: string,
  rel: string,
  names: string[],
): Promise<Record<string, LfsRef>> {
  const routed = await lfsPaths(
    run,
    names.map((n) => `${rel}/${n}`),
  );
  const files: Record<string, LfsRef> = {};
  for (const path of routed) {
    const name = path.slice(rel.length + 1);
    files[name] = lfsRef(join(ledgerPath, path));
  }
  return files;
}
