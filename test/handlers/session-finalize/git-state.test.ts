import { describe, expect, test } from "bun:test";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newSessionFinalizeItem } from "../../../src/handlers/session-finalize/item.ts";
import {
  dialogue,
  git,
  gitLedger,
  HEADER,
  otherClone,
  writeSession,
} from "../../support/ledger.ts";
import { asWorkItem, makeHandler, result, summaryOutput } from "./helpers.ts";

const FULL = [HEADER, ...dialogue()];
const ARTIFACTS = [
  "raw.jsonl",
  "summary.json",
  "summary.md",
  "session.html",
  "session.md",
  "meta.json",
];

/** Runs git where failure is the point (a conflicting rebase/merge stops with exit 1). */
function gitMayFail(cwd: string, ...args: string[]): void {
  try {
    git(cwd, ...args);
  } catch {
    // Expected: the operation stops half-way, which is the state under test.
  }
}

/** A local README commit and a conflicting one on the remote, fetched: ready to conflict. */
function diverge(ledger: string, remote: string): void {
  const other = otherClone(remote);
  writeFileSync(join(other, "README.md"), "theirs\n");
  git(other, "commit", "--quiet", "-am", "their readme");
  git(other, "push", "--quiet");
  writeFileSync(join(ledger, "README.md"), "ours\n");
  git(ledger, "commit", "--quiet", "-am", "our readme");
  git(ledger, "fetch", "--quiet");
}

interface BadState {
  name: string;
  problem: RegExp;
  enter(ledger: string, remote: string): void;
  /** The user's usual way out. */
  leave(ledger: string): void;
}

const STATES: BadState[] = [
  {
    name: "detached HEAD",
    problem: /HEAD is detached.*git checkout main/,
    enter: (l) => git(l, "checkout", "--quiet", "--detach"),
    leave: (l) => git(l, "checkout", "--quiet", "main"),
  },
  {
    name: "rebase in progress",
    problem: /a rebase is in progress.*git rebase --abort/,
    enter: (l, r) => {
      diverge(l, r);
      gitMayFail(l, "rebase", "--quiet", "origin/main");
    },
    leave: (l) => git(l, "rebase", "--abort"),
  },
  {
    name: "merge in progress",
    problem: /a merge is in progress.*git merge --abort/,
    enter: (l, r) => {
      diverge(l, r);
      gitMayFail(l, "merge", "--quiet", "--no-edit", "origin/main");
    },
    leave: (l) => git(l, "merge", "--abort"),
  },
  {
    name: "cherry-pick in progress",
    problem: /a cherry-pick is in progress.*git cherry-pick --abort/,
    enter: (l, r) => {
      diverge(l, r);
      gitMayFail(l, "cherry-pick", "origin/main");
    },
    leave: (l) => git(l, "cherry-pick", "--abort"),
  },
  {
    name: "bisect in progress",
    problem: /a bisect is in progress.*git bisect reset/,
    enter: (l) => git(l, "bisect", "start"),
    leave: (l) => git(l, "bisect", "reset"),
  },
  {
    name: "stale index.lock",
    problem: /index\.lock exists.*remove/,
    enter: (l) => writeFileSync(join(l, ".git", "index.lock"), ""),
    // The fix the message names: remove the lock once no git command runs.
    leave: (l) => rmSync(join(l, ".git", "index.lock")),
  },
];

describe("git state is checked before every commit (issue 17)", () => {
  for (const state of STATES) {
    test(`${state.name}: nothing committed, files kept, reported with the fix; after the way out the session is committed and pushed without a new agent run`, async () => {
      const { ledger, sessions, remote } = gitLedger();
      const dir = writeSession(sessions, "s1", { lines: FULL });
      state.enter(ledger, remote);
      const headBefore = git(ledger, "rev-parse", "HEAD").trim();
      const { handler } = makeHandler(ledger);
      await handler.processResult(
        asWorkItem(newSessionFinalizeItem(ledger, "s1")),
        result(summaryOutput(0.8)),
      );
      const waiting = await handler.publish();
      expect(waiting.commit).toEqual(["s1"]);
      expect(git(ledger, "rev-parse", "HEAD").trim()).toBe(headBefore);
      expect(waiting.error ?? "").toMatch(state.problem);
      for (const f of ARTIFACTS) expect(existsSync(join(dir, f))).toBe(true);
      // Later passes while still broken: still nothing committed.
      expect((await handler.publish()).commit).toEqual(["s1"]);
      expect(git(ledger, "rev-parse", "HEAD").trim()).toBe(headBefore);

      state.leave(ledger);
      for (const f of ARTIFACTS) expect(existsSync(join(dir, f))).toBe(true);

      const after = await handler.publish();
      expect(after.commit).toEqual([]);
      for (const f of ARTIFACTS) expect(existsSync(join(dir, f))).toBe(true);
      const tracked = git(ledger, "ls-files", "sessions/s1").trim().split("\n");
      expect(tracked.sort()).toEqual(ARTIFACTS.map((f) => `sessions/s1/${f}`).sort());
      expect(git(ledger, "symbolic-ref", "--short", "HEAD").trim()).toBe("main");
      expect(git(ledger, "log", "-1", "--format=%s").trim()).toBe("finalize session s1");
      // Pushed, unless the user's own README conflict (outside sessions/) still waits for them.
      const pushed = git(remote, "log", "--format=%s", "main").startsWith("finalize session s1\n");
      expect(pushed).toBe(!/rebase|merge|cherry/.test(state.name));
    });
  }
});
