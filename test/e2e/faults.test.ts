import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { RunJson, WorkItemJson } from "../../src/operations/json-shapes.ts";
import type { AgentWorkStatus } from "../../src/scheduler/status.ts";
import { dialogue, git, gitLedger, HEADER, writeSession } from "../support/ledger.ts";
import type { MessagesStub, StubBehaviour } from "../support/messages-api-stub.ts";
import { tempDir } from "../support/tmp.ts";
import { binaryAndStub, cli, cliJson, userEnv, waitForLine } from "./binary-harness.ts";

/**
 * Faults as a user meets them, on the compiled binary with the real Claude CLI: the API answers
 * 429/500/529 or an account limit, a commit hook fails, an index.lock is left behind, the remote
 * refuses the push, a summary already exists, the database's disk fills, the database is
 * deleted. Each run settles, costs no extra model call, and loses nothing.
 */
const SUMMARY = JSON.stringify({
  title: "Fix the flaky cache TTL test",
  summary: "The TTL used wall-clock time; switching to the injected clock fixed the flake.",
  key_actions: ["Injected the clock"],
  outcome: "success",
  topics_found: ["testing"],
  quality_score: 0.8,
  score_reason: "Root-caused a flaky test",
});
const REPLY: StubBehaviour = { kind: "reply", text: SUMMARY };

let bin = "";
let stub: MessagesStub;

beforeAll(() => {
  ({ bin, stub } = binaryAndStub(SUMMARY));
});
afterAll(() => stub.stop());

interface World {
  ledger: string;
  remote: string;
  db: string;
  env: Record<string, string>;
  names: string[];
}

function world(count: number, dbDir = tempDir()): World {
  const { ledger, sessions, remote } = gitLedger();
  const names = Array.from({ length: count }, (_, i) => `2026-05-0${i + 1}T09-00-fault-${i}`);
  for (const name of names) writeSession(sessions, name, { lines: [HEADER, ...dialogue()] });
  return { ledger, remote, db: join(dbDir, "agentwork.db"), env: userEnv(stub.url), names };
}

/** `daemon --once`, and how many model calls it made. */
async function once(w: World, extra: string[] = []) {
  const before = stub.messageRequests().length;
  const r = await cli(
    bin,
    ["daemon", "--once", "--ledger", w.ledger, "--db", w.db, ...extra],
    w.env,
  );
  return { ...r, calls: stub.messageRequests().length - before };
}

const items = (w: World) => cliJson<WorkItemJson[]>(bin, ["queue", "--db", w.db], w.env);
const runs = (w: World) => cliJson<RunJson[]>(bin, ["history", "--db", w.db], w.env);
const status = (w: World) =>
  cliJson<AgentWorkStatus>(bin, ["status", "--db", w.db, "--ledger", w.ledger], w.env);
const remoteLog = (w: World) => git(w.remote, "log", "--format=%s", "main");

/** The rest of a stream that waitForLine already read from. */
async function readRest(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
}

/** Which session a request is about (the session name is in the user message). */
function sessionOf(body: string, names: string[]): string | undefined {
  return names.find((n) => body.includes(n));
}

describe("faults: every attempt settles, nothing is paid twice", () => {
  test("429, 500, 529 from the API: retried with backoff, whole-millisecond times, exit 1", async () => {
    const w = world(3);
    const statusFor = [429, 500, 529];
    stub.setBehaviour((request) => {
      const i = w.names.indexOf(sessionOf(request.rawBody, w.names) ?? "");
      return { kind: "error", status: statusFor[i] ?? 500 };
    });
    const r = await once(w, ["--verbose"]);
    stub.setBehaviour(REPLY);
    expect(r.code).toBe(1);
    for (const name of w.names)
      expect(r.stderr).toContain(`not done: session-finalize:${name} is retry_wait`);
    const queue = await items(w);
    expect(queue.map((i) => i.state)).toEqual(["retry_wait", "retry_wait", "retry_wait"]);
    const history = await runs(w);
    expect(history.map((h) => h.status)).toEqual(["failed", "failed", "failed"]);
    expect(history.map((h) => h.error_code).sort()).toEqual([
      "E_AGENT_OVERLOADED",
      "E_AGENT_RATE_LIMIT",
      "E_AGENT_SERVER",
    ]);
    // Bounded: the CLI's own retries stop at our cap (3 api_retry lines) for each item.
    expect(r.calls).toBeGreaterThanOrEqual(3);
    expect(r.calls).toBeLessThanOrEqual(12);
    const db = new Database(w.db, { readonly: true });
    const kinds = db.query("SELECT DISTINCT typeof(run_after) AS t FROM work_items").all();
    db.close();
    expect(kinds).toEqual([{ t: "integer" }]);
  }, 120_000);

  test("an account usage limit pauses all agent work: one call per slot, attempts refunded, resume ends it", async () => {
    const w = world(3);
    stub.setBehaviour({
      kind: "error",
      status: 429,
      message: "rate limited",
      headers: {
        "anthropic-ratelimit-unified-status": "rejected",
        "anthropic-ratelimit-unified-representative-claim": "five_hour",
        "x-should-retry": "false",
      },
    });
    const r = await once(w);
    stub.setBehaviour(REPLY);
    expect(r.code).toBe(1);
    // At most one call per slot (max_concurrent 2 claims two before the first limit is seen).
    expect(r.calls).toBeGreaterThanOrEqual(1);
    expect(r.calls).toBeLessThanOrEqual(2);
    expect(r.stderr).toContain("paused until");
    const queue = await items(w);
    expect(queue.every((i) => i.state === "queued" && i.attempts === 0)).toBe(true);
    const s = await status(w);
    expect(s.paused_until).not.toBeNull();
    expect(s.pause_reason).toContain("usage limit");
    // A second --once while paused spends nothing.
    expect((await once(w)).calls).toBe(0);
    const resumed = await cliJson<{ resumed: boolean }>(bin, ["resume", "--db", w.db], w.env);
    expect(resumed.resumed).toBe(true);
    const after = await once(w);
    expect(after.code).toBe(0);
    expect(after.calls).toBe(3);
  }, 120_000);

  test("a failing pre-commit hook: summaries done once, commits wait; fixed, they go without the agent", async () => {
    const w = world(2);
    const hook = join(w.ledger, ".git", "hooks", "pre-commit");
    writeFileSync(hook, "#!/bin/sh\necho 'lint failed' >&2\nexit 1\n");
    chmodSync(hook, 0o755);
    const first = await once(w);
    expect(first.code).toBe(1);
    expect(first.calls).toBe(2);
    expect((await items(w)).map((i) => i.state)).toEqual(["done", "done"]);
    const waiting = await status(w);
    expect(waiting.ledger.waiting_commit.sort()).toEqual([...w.names].sort());
    expect(waiting.ledger.error).toContain("lint failed");
    expect(remoteLog(w)).not.toContain("finalize session");
    unlinkSync(hook);
    const second = await once(w);
    expect(second.code).toBe(0);
    expect(second.calls).toBe(0);
    for (const name of w.names) expect(remoteLog(w)).toContain(`finalize session ${name}`);
    expect((await status(w)).ledger.waiting_commit).toEqual([]);
  }, 120_000);

  test("a stale index.lock: the session waits with the fix named; removed, it is committed, no new run", async () => {
    const w = world(1);
    writeFileSync(join(w.ledger, ".git", "index.lock"), "");
    const first = await once(w);
    expect(first.code).toBe(1);
    expect(first.calls).toBe(1);
    const s = await status(w);
    expect(s.ledger.waiting_commit).toEqual(w.names);
    expect(s.ledger.error ?? "").toContain("index.lock");
    unlinkSync(join(w.ledger, ".git", "index.lock"));
    const second = await once(w);
    expect(second.code).toBe(0);
    expect(second.calls).toBe(0);
    expect(remoteLog(w)).toContain(`finalize session ${w.names[0]}`);
  }, 120_000);

  test("a push refused by the remote's pre-receive hook: committed, push waits; accepted later, no new run", async () => {
    const w = world(1);
    const hook = join(w.remote, "hooks", "pre-receive");
    writeFileSync(hook, "#!/bin/sh\necho 'pushes are frozen' >&2\nexit 1\n");
    chmodSync(hook, 0o755);
    const first = await once(w);
    expect(first.code).toBe(1);
    expect(first.calls).toBe(1);
    expect(git(w.ledger, "log", "-1", "--format=%s").trim()).toBe(`finalize session ${w.names[0]}`);
    const s = await status(w);
    expect(s.ledger.waiting_push).toBe(1);
    expect(s.ledger.error ?? "").toContain("push failed");
    unlinkSync(hook);
    const second = await once(w);
    expect(second.code).toBe(0);
    expect(second.calls).toBe(0);
    expect(remoteLog(w)).toContain(`finalize session ${w.names[0]}`);
  }, 120_000);

  test("a session with a summary.json is not sent to the agent: its other artifacts are rebuilt", async () => {
    const w = world(1);
    const dir = join(w.ledger, "sessions", w.names[0] ?? "");
    const good = `${JSON.stringify({ title: "Kept summary", summary: "Already paid for.", quality_score: 0.9 })}\n`;
    writeFileSync(join(dir, "summary.json"), good);
    const r = await once(w);
    expect(r.code).toBe(0);
    expect(r.calls).toBe(0);
    expect(readFileSync(join(dir, "summary.json"), "utf8")).toBe(good);
    for (const f of ["summary.md", "session.html", "session.md", "meta.json"]) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
    expect(await runs(w)).toEqual([]);
    expect((await items(w)).map((i) => i.state)).toEqual(["done"]);
  }, 120_000);
});

describe("the database under the daemon", () => {
  test("its disk fills mid-run: exit 3 naming the path; after room is made, no second model call", async () => {
    const mount = tempDir("agentwork-tmpfs-");
    const mounted = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount]);
    expect(mounted.exitCode).toBe(0);
    try {
      const w = world(1, mount);
      // The agent's request is held; meanwhile the database's disk fills up.
      const arrived = new Promise<void>((resolve) => {
        stub.setBehaviour(() => {
          resolve();
          return { kind: "reply", text: SUMMARY, delayMs: 1_500 };
        });
      });
      const before = stub.messageRequests().length;
      const proc = Bun.spawn([bin, "daemon", "--once", "--ledger", w.ledger, "--db", w.db], {
        env: w.env,
        stdout: "pipe",
        stderr: "pipe",
      });
      await arrived;
      const filler = join(mount, "filler");
      Bun.spawnSync(["dd", "if=/dev/zero", `of=${filler}`, "bs=64k", "count=200"]);
      const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
      stub.setBehaviour(REPLY);
      expect(code).toBe(3);
      expect(stderr).toContain("disk full");
      expect(stderr).toContain(mount);
      expect(stub.messageRequests().length - before).toBe(1);
      // The summary reached the ledger although the database could not record it.
      const dir = join(w.ledger, "sessions", w.names[0] ?? "");
      expect(existsSync(join(dir, "summary.json"))).toBe(true);
      rmSync(filler);
      const again = await once(w);
      expect(again.calls).toBe(0);
      expect(again.code).toBe(0);
      expect((await items(w)).map((i) => i.state)).toEqual(["done"]);
    } finally {
      Bun.spawnSync(["umount", mount]);
    }
  }, 120_000);

  test("deleted while the daemon runs: it stops claiming and exits 3 naming the file", async () => {
    const w = world(0);
    mkdirSync(join(w.ledger, "sessions"), { recursive: true });
    const daemon = Bun.spawn([bin, "daemon", "--ledger", w.ledger, "--db", w.db], {
      env: w.env,
      stdout: "ignore",
      stderr: "pipe",
    });
    await waitForLine(daemon.stderr, /watching/);
    unlinkSync(w.db);
    // Any pass notices: ask the daemon to detect now.
    await cli(bin, ["detect", "--db", w.db], w.env);
    const rest = await readRest(daemon.stderr);
    expect(await daemon.exited).toBe(3);
    expect(rest).toContain(`database ${w.db} was deleted`);
    expect(existsSync(`${w.db}.sock`)).toBe(false);
  }, 60_000);
});
