import { describe, expect, test } from "bun:test";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
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

async function finalizeOne(
  ledger: string,
  sessions: string,
  name: string,
  score = 0.8,
  gitPush = true,
) {
  writeSession(sessions, name, { lines: FULL });
  const { handler } = makeHandler(ledger, { gitPush });
  await handler.processResult(
    asWorkItem(newSessionFinalizeItem(ledger, name)),
    result(summaryOutput(score)),
  );
  // The ledger step runs apart from the agent's part (the scheduler calls it after each item).
  const pending = await handler.publish();
  return { handler, pending };
}

const NOTHING_WAITS = { commit: [], push: 0, error: null };

const remoteLog = (remote: string) => git(remote, "log", "--format=%s", "main");
const ahead = (ledger: string) => git(ledger, "rev-list", "--count", "@{upstream}..HEAD").trim();

describe("ledger git: commit and push", () => {
  test("upload commits the session dir only and pushes it", async () => {
    const { ledger, sessions, remote } = gitLedger();
    writeFileSync(join(ledger, "unrelated.txt"), "someone else's work");
    git(ledger, "add", "unrelated.txt");
    const { pending } = await finalizeOne(ledger, sessions, "s1");
    expect(pending).toEqual(NOTHING_WAITS);
    expect(remoteLog(remote)).toStartWith("finalize session s1\n");
    const files = git(ledger, "show", "--name-only", "--format=", "HEAD").trim().split("\n").sort();
    expect(files).toEqual([
      "sessions/.gitignore",
      ...["meta.json", "raw.jsonl", "session.html", "session.md", "summary.json", "summary.md"].map(
        (f) => `sessions/s1/${f}`,
      ),
    ]);
    // Staged work of others is left staged, not committed.
    expect(git(ledger, "diff", "--cached", "--name-only").trim()).toBe("unrelated.txt");
  });

  test("local-only and discarded sessions are not committed; gitPush false commits without pushing", async () => {
    const { ledger, sessions, remote } = gitLedger();
    await finalizeOne(ledger, sessions, "local", 0.2);
    await finalizeOne(ledger, sessions, "discarded", 0.05);
    expect(git(ledger, "log", "--format=%s").trim()).toBe("init");
    const { handler, pending } = await finalizeOne(ledger, sessions, "nopush", 0.9, false);
    // Local by choice: the commit is ahead of the remote, but nothing waits to be pushed.
    expect(pending).toEqual(NOTHING_WAITS);
    expect(ahead(ledger)).toBe("1");
    expect(git(ledger, "log", "-1", "--format=%s").trim()).toBe("finalize session nopush");
    expect(remoteLog(remote).trim()).toBe("init");
    // Later passes do not push either while gitPush is off.
    await handler.publish();
    expect(ahead(ledger)).toBe("1");
  });

  test("rejected push (remote moved on) -> rebase, then push succeeds", async () => {
    const { ledger, sessions, remote } = gitLedger();
    const other = otherClone(remote);
    writeFileSync(join(other, "other.txt"), "x");
    git(other, "add", "other.txt");
    git(other, "commit", "--quiet", "-m", "other machine");
    git(other, "push", "--quiet");
    const { pending } = await finalizeOne(ledger, sessions, "s1");
    expect(pending).toEqual(NOTHING_WAITS);
    expect(remoteLog(remote).trim().split("\n")).toEqual([
      "finalize session s1",
      "other machine",
      "init",
    ]);
  });

  test("another clone already pushed the same session -> the remote's version is kept, the rest goes on", async () => {
    const { ledger, sessions, remote } = gitLedger();
    const other = otherClone(remote);
    writeSession(join(other, "sessions"), "s1", { lines: FULL });
    writeFileSync(join(other, "sessions", "s1", "summary.md"), "their summary\n");
    git(other, "add", "sessions");
    git(other, "commit", "--quiet", "-m", "s1 from the other clone");
    git(other, "push", "--quiet");
    const { pending } = await finalizeOne(ledger, sessions, "s1");
    expect(pending).toEqual(NOTHING_WAITS);
    expect(git(remote, "show", "main:sessions/s1/summary.md")).toBe("their summary\n");
    expect(readFileSync(join(sessions, "s1", "summary.md"), "utf8")).toBe("their summary\n");
    expect(git(ledger, "status", "--porcelain").trim()).toBe("");
    expect(ahead(ledger)).toBe("0");
  });

  test("a conflict outside sessions/ -> push fails, local commit kept; a later pass pushes once resolved", async () => {
    const { ledger, sessions, remote } = gitLedger();
    const other = otherClone(remote);
    writeFileSync(join(other, "README.md"), "theirs\n");
    git(other, "commit", "--quiet", "-am", "conflicting readme");
    git(other, "push", "--quiet");
    writeFileSync(join(ledger, "README.md"), "ours\n");
    git(ledger, "commit", "--quiet", "-am", "local readme");
    const { handler, pending } = await finalizeOne(ledger, sessions, "s1");
    expect(pending).toMatchObject({ commit: [], push: 2 });
    expect(pending.error).toContain("outside sessions/ (README.md)");
    expect(git(ledger, "log", "-1", "--format=%s").trim()).toBe("finalize session s1");
    expect(git(ledger, "status", "--porcelain").trim()).toBe("");
    const again = await handler.publish();
    expect(again.push).toBe(2);
    expect(again.error).toContain("push failed");
    // The other machine reverts its change; the next pass rebases and pushes.
    writeFileSync(join(other, "README.md"), "ledger\n");
    git(other, "commit", "--quiet", "-am", "revert readme");
    git(other, "push", "--quiet");
    expect(await handler.publish()).toEqual(NOTHING_WAITS);
    expect(remoteLog(remote)).toStartWith("finalize session s1\n");
  });

  test("remote gone -> push fails, commit kept; cleanup pushes once the remote is back", async () => {
    const { ledger, sessions, remote } = gitLedger();
    renameSync(remote, `${remote}.away`);
    const { handler, pending } = await finalizeOne(ledger, sessions, "s1");
    expect(pending).toMatchObject({ commit: [], push: 1 });
    expect(ahead(ledger)).toBe("1");
    expect((await handler.publish()).error).toContain("push failed");
    renameSync(`${remote}.away`, remote);
    expect(await handler.publish()).toEqual(NOTHING_WAITS);
    expect(ahead(ledger)).toBe("0");
    expect(await handler.publish()).toEqual(NOTHING_WAITS);
  });

  test("a branch without an upstream is pushed to the configured remote and branch, and tracks it", async () => {
    const { ledger, sessions, remote } = gitLedger();
    git(ledger, "checkout", "--quiet", "-b", "notes");
    writeSession(sessions, "s1", { lines: FULL });
    const { handler } = makeHandler(ledger, { gitRemote: "origin", gitBranch: "notes" });
    await handler.processResult(
      asWorkItem(newSessionFinalizeItem(ledger, "s1")),
      result(summaryOutput(0.8)),
    );
    expect(await handler.publish()).toEqual(NOTHING_WAITS);
    expect(git(remote, "log", "-1", "--format=%s", "notes").trim()).toBe("finalize session s1");
    expect(git(ledger, "rev-parse", "--abbrev-ref", "@{upstream}").trim()).toBe("origin/notes");
    // git_branch names the branch commits belong on: another one checked out waits.
    git(ledger, "checkout", "--quiet", "main");
    writeSession(sessions, "s2", { lines: FULL });
    await handler.processResult(
      asWorkItem(newSessionFinalizeItem(ledger, "s2")),
      result(summaryOutput(0.8)),
    );
    const waiting = await handler.publish();
    expect(waiting.commit).toEqual(["s2"]);
    expect(waiting.error ?? "").toContain("not notes (git_branch)");
  });

  test("a remote that does not exist fails at once, not three times", async () => {
    const { ledger, sessions } = gitLedger();
    git(ledger, "remote", "set-url", "origin", join(ledger, "..", "no-such-remote.git"));
    const { handler, pending } = await finalizeOne(ledger, sessions, "s1");
    expect(pending).toMatchObject({ commit: [], push: 1 });
    const push = await handler.git.push();
    expect(push).toMatchObject({ ok: false, attempts: 1, auth: false });
    expect(push.error).toContain("not usable");
  });

  test("a remote that refuses the credentials fails at once, flagged as authentication", async () => {
    const { ledger, sessions } = gitLedger();
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () =>
        new Response("auth required", {
          status: 401,
          headers: { "WWW-Authenticate": 'Basic realm="ledger"' },
        }),
    });
    try {
      git(ledger, "remote", "set-url", "origin", `http://127.0.0.1:${server.port}/ledger.git`);
      const { handler, pending } = await finalizeOne(ledger, sessions, "s1");
      expect(pending).toMatchObject({ commit: [], push: 1 });
      const push = await handler.git.push();
      expect(push).toMatchObject({ ok: false, attempts: 1, auth: true });
    } finally {
      server.stop(true);
    }
  });

  test("finalizing the same session twice: the second run has nothing to commit and is still fine", async () => {
    const { ledger, sessions } = gitLedger();
    const { handler } = await finalizeOne(ledger, sessions, "s1");
    await handler.processResult(
      asWorkItem(newSessionFinalizeItem(ledger, "s1")),
      result(summaryOutput(0.8)),
    );
    expect(await handler.publish()).toEqual(NOTHING_WAITS);
    expect(git(ledger, "log", "--format=%s").trim().split("\n")).toEqual([
      "finalize session s1",
      "init",
    ]);
  });

  test("concurrent finalizations are serialized: both committed, both pushed", async () => {
    const { ledger, sessions, remote } = gitLedger();
    writeSession(sessions, "a", { lines: FULL });
    writeSession(sessions, "b", { lines: FULL });
    const { handler } = makeHandler(ledger);
    await Promise.all(
      ["a", "b"].map(async (n) => {
        await handler.processResult(
          asWorkItem(newSessionFinalizeItem(ledger, n)),
          result(summaryOutput(0.8)),
        );
        await handler.publish();
      }),
    );
    expect(remoteLog(remote).trim().split("\n").sort()).toEqual([
      "finalize session a",
      "finalize session b",
      "init",
    ]);
  });
});

describe("ledger that is not its own git repository", () => {
  test("a ledger directory nested inside another repo is not committed to that repo", async () => {
    const { ledger: outer } = gitLedger();
    const ledger = join(outer, "examples", "ledger");
    const sessions = join(ledger, "sessions");
    const { handler, pending } = await finalizeOne(ledger, sessions, "s1");
    expect(handler.lastOutcome).toMatchObject({ disposition: "upload" });
    expect(pending).toEqual(NOTHING_WAITS);
    expect(git(outer, "log", "--format=%s").trim()).toBe("init");
  });
});
