import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newSessionFinalizeItem } from "../../../src/handlers/session-finalize/item.ts";
import { dialogue, git, HEADER, writeSession } from "../../support/ledger.ts";
import { tempDir } from "../../support/tmp.ts";
import { asWorkItem, makeHandler, result, summaryOutput } from "./helpers.ts";

const POINTER =
  /^version https:\/\/git-lfs\.github\.com\/spec\/v1\noid sha256:([0-9a-f]{64})\nsize (\d+)\n$/;

/** A ledger cloned from a `file://` bare remote whose .gitattributes routes transcripts to LFS. */
function lfsLedger() {
  const root = tempDir("agentwork-lfs-");
  const remote = join(root, "remote.git");
  git(root, "init", "--quiet", "--bare", "-b", "main", remote);
  const ledger = join(root, "ledger");
  git(root, "clone", "--quiet", `file://${remote}`, ledger);
  for (const [k, v] of [
    ["user.name", "ledger"],
    ["user.email", "ledger@example.org"],
    ["commit.gpgsign", "false"],
  ])
    git(ledger, "config", k as string, v as string);
  git(ledger, "checkout", "--quiet", "-B", "main");
  writeFileSync(
    join(ledger, ".gitattributes"),
    "sessions/**/raw.jsonl filter=lfs diff=lfs merge=lfs -text\nsessions/**/session.md filter=lfs diff=lfs merge=lfs -text\n",
  );
  mkdirSync(join(ledger, "sessions"));
  git(ledger, "add", ".gitattributes");
  git(ledger, "commit", "--quiet", "-m", "init");
  git(ledger, "push", "--quiet", "-u", "origin", "main");
  // The daemon's environment: a HOME with no global git-lfs setup.
  const home = tempDir("agentwork-lfs-home-");
  return { ledger, remote, home, sessions: join(ledger, "sessions") };
}

const run = (ledger: string, name = "s1") => asWorkItem(newSessionFinalizeItem(ledger, name));

describe("Git LFS where .gitattributes asks for it", () => {
  test("routed files are committed as pointers, their objects pushed with the commit, meta.json lists oid and size", async () => {
    const { ledger, remote, home, sessions } = lfsLedger();
    const dir = writeSession(sessions, "s1", { lines: [HEADER, ...dialogue()] });
    const { handler } = makeHandler(ledger, {
      gitEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home },
    });
    await handler.processResult(run(ledger), result(summaryOutput(0.8)));
    expect(await handler.publish()).toEqual({ commit: [], push: 0, error: null });
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
    expect(Object.keys(meta.files).sort()).toEqual(["raw.jsonl", "session.md"]);
    for (const name of ["raw.jsonl", "session.md"]) {
      const blob = git(remote, "show", `main:sessions/s1/${name}`);
      const m = POINTER.exec(blob);
      if (!m) throw new Error(`${name} is not an LFS pointer in the remote: ${blob.slice(0, 80)}`);
      const content = readFileSync(join(dir, name));
      expect(meta.files[name]).toEqual({ oid: `sha256:${m[1]}`, size: content.length });
      expect(Number(m[2])).toBe(content.length);
      // The object itself reached the remote's LFS store.
      const oid = m[1] as string;
      const stored = join(remote, "lfs", "objects", oid.slice(0, 2), oid.slice(2, 4), oid);
      expect(readFileSync(stored).equals(content)).toBe(true);
    }
    // Files the attributes do not route stay plain blobs.
    expect(git(remote, "show", "main:sessions/s1/summary.json")).toStartWith("{");
  });

  test("git-lfs missing: nothing committed (no plain blobs where LFS was asked for), the commit waits with the fix", async () => {
    const { ledger, home, sessions } = lfsLedger();
    writeSession(sessions, "s1", { lines: [HEADER, ...dialogue()] });
    const bin = tempDir("agentwork-nolfs-bin-");
    symlinkSync("/usr/bin/git", join(bin, "git"));
    const { handler } = makeHandler(ledger, { gitEnv: { PATH: bin, HOME: home } });
    await handler.processResult(run(ledger), result(summaryOutput(0.8)));
    const waiting = await handler.publish();
    expect(waiting.commit).toEqual(["s1"]);
    expect(waiting.error ?? "").toContain("git-lfs is not installed");
    expect(git(ledger, "log", "--format=%s").trim()).toBe("init");
    expect(existsSync(join(sessions, "s1", "summary.json"))).toBe(true);
  });
});
