import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireLedgerLock, ledgerLockPath } from "./ledger-lock.ts";

function ledger(git = true): string {
  const dir = mkdtempSync(join(tmpdir(), "agentwork-lock-"));
  if (git) mkdirSync(join(dir, ".git"));
  return dir;
}

const opts = (pid: number, alive: number[] = [], host = "here") => ({
  pid,
  dbPath: `/state/${pid}.db`,
  nowMs: 1_000_000,
  isAlive: (p: number) => alive.includes(p),
  host,
});

describe("ledger lock", () => {
  test("lives in the git dir (or a dotfile for a plain ledger) and is removed on release", () => {
    const l = ledger();
    expect(ledgerLockPath(l)).toBe(join(l, ".git", "agentwork.lock"));
    expect(ledgerLockPath(ledger(false))).toEndWith("/.agentwork.lock");
    const release = acquireLedgerLock(l, opts(100));
    expect(JSON.parse(readFileSync(ledgerLockPath(l), "utf8"))).toMatchObject({
      pid: 100,
      host: "here",
      db: "/state/100.db",
    });
    release();
    expect(existsSync(ledgerLockPath(l))).toBe(false);
  });

  test("a live holder on this host refuses a second worker, naming pid, host and database", () => {
    const l = ledger();
    acquireLedgerLock(l, opts(100));
    expect(() => acquireLedgerLock(l, opts(200, [100]))).toThrow(
      /pid 100 on here, database \/state\/100\.db/,
    );
  });

  test("a dead holder on this host is replaced; a holder on another host is never judged by pid", () => {
    const l = ledger();
    acquireLedgerLock(l, opts(100));
    acquireLedgerLock(l, opts(200, []));
    expect(JSON.parse(readFileSync(ledgerLockPath(l), "utf8")).pid).toBe(200);
    writeFileSync(ledgerLockPath(l), JSON.stringify({ pid: 300, host: "elsewhere", db: "x" }));
    expect(() => acquireLedgerLock(l, opts(400, []))).toThrow(/pid 300 on elsewhere/);
  });
});
