import {
  closeSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { AgentworkError } from "../core/errors.ts";

export const LEDGER_LOCK_FILE = "agentwork.lock";

export interface LedgerLockHolder {
  pid: number;
  host: string;
  db: string;
  started_at: string;
}

/**
 * Where the lock lives: inside the ledger's git dir (never committed, shared by every worktree
 * of that clone's checkout), or `<ledger>/.agentwork.lock` for a ledger that is not a git repo.
 */
export function ledgerLockPath(ledgerPath: string): string {
  const dotGit = join(ledgerPath, ".git");
  try {
    const st = lstatSync(dotGit);
    if (st.isDirectory()) return join(dotGit, LEDGER_LOCK_FILE);
    if (st.isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"));
      if (m?.[1]) {
        const dir = m[1].trim();
        return join(isAbsolute(dir) ? dir : resolve(ledgerPath, dir), LEDGER_LOCK_FILE);
      }
    }
  } catch {
    // Not a git ledger.
  }
  return join(ledgerPath, `.${LEDGER_LOCK_FILE}`);
}

function readHolder(path: string): LedgerLockHolder | null {
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as Partial<LedgerLockHolder>;
    if (typeof v.pid !== "number" || typeof v.host !== "string") return null;
    return {
      pid: v.pid,
      host: v.host,
      db: String(v.db ?? "?"),
      started_at: String(v.started_at ?? ""),
    };
  } catch {
    return null;
  }
}

export interface LedgerLockOptions {
  pid: number;
  dbPath: string;
  nowMs: number;
  isAlive: (pid: number) => boolean;
  host?: string;
}

/**
 * One worker per ledger, whatever its database: a pid+host file created with O_EXCL. A holder on
 * this host whose pid is dead (kill -9, a crash) is replaced; a live one, or one written on
 * another host (its pid cannot be checked from here), makes this throw E_LEDGER_LOCKED naming the
 * pid, host and database. Returns the release function.
 */
export function acquireLedgerLock(ledgerPath: string, options: LedgerLockOptions): () => void {
  const path = ledgerLockPath(ledgerPath);
  const host = options.host ?? hostname();
  const mine: LedgerLockHolder = {
    pid: options.pid,
    host,
    db: options.dbPath,
    started_at: new Date(options.nowMs).toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      try {
        writeSync(fd, `${JSON.stringify(mine)}\n`);
      } finally {
        closeSync(fd);
      }
      return () => {
        if (readHolder(path)?.pid === options.pid) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw lockIoError(path, error);
    }
    const holder = readHolder(path);
    if (
      holder &&
      (holder.host !== host || options.isAlive(holder.pid)) &&
      holder.pid !== options.pid
    ) {
      throw new AgentworkError(
        "E_LEDGER_LOCKED",
        `another agentwork worker (pid ${holder.pid} on ${holder.host}, database ${holder.db}) is already working the ledger ${ledgerPath}; stop it first, or remove ${path} if that process is gone`,
        { retry: "never" },
      );
    }
    // Stale (dead pid on this host, or unreadable and not just being written): move it aside
    // atomically, so of two workers racing for a stale lock only one wins the O_EXCL create.
    if (!holder && options.nowMs - safeMtime(path) < 5_000) continue;
    try {
      const aside = `${path}.stale-${options.pid}`;
      renameSync(path, aside);
      rmSync(aside, { force: true });
    } catch {
      // Someone else took it over first; try again.
    }
  }
  throw new AgentworkError("E_LEDGER_LOCKED", `could not take the ledger lock ${path}`, {
    retry: "never",
  });
}

function safeMtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function lockIoError(path: string, error: unknown): AgentworkError {
  return new AgentworkError(
    "E_LEDGER_LOCKED",
    `cannot create the ledger lock ${path} in ${dirname(path)}: ${String(error)}`,
    {
      retry: "never",
      cause: error,
    },
  );
}
