import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { hasSubstantiveEntries } from "../../src/handlers/session-finalize/line-reader.ts";
import { scanSession } from "../../src/handlers/session-finalize/session-reader.ts";
import { discoverSources } from "../../src/sources/discover.ts";
import { SourceImporter } from "../../src/sources/import-pass.ts";
import { beingSummarized } from "../../src/sources/import-step.ts";
import { sourceRoots } from "../../src/sources/roots.ts";
import { HOUR, importRig, rawLines, setMtime } from "./helpers.ts";

const CLAUDE_TOOLS = "2026-03-18T09-00-dana-claude-5d3c2a10";
const CLAUDE_REAL = "2026-12-02T01-57-dana-claude-b97a7fd1";
const CODEX = "2026-03-20T10-00-dana-codex-0199a1b2";

/** The Codex example conversation resumed: one more user turn, then idle for an hour. */
function growCodexTranscript(rig: ReturnType<typeof importRig>, text: string): void {
  const source = rig.storage.sources.get(
    "codex",
    "rollout-2026-03-20T10-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
  );
  appendFileSync(
    String(source?.path),
    `${JSON.stringify({ timestamp: "2026-03-20T11:00:00.000Z", type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text }] } })}\n`,
  );
  setMtime(String(source?.path), rig.storage.clock.now() - HOUR);
}
const GEMINI = "2026-03-21T09-30-dana-gemini-3e1f8a2c";

describe("first import of a HOME with Claude Code, Codex and Gemini CLI transcripts", () => {
  test("each becomes a ledger session named by start time, user, agent and short id", async () => {
    const rig = importRig();
    const report = await rig.importer.run(rig.config);
    expect(report.problems).toEqual([]);
    expect(report.imported.sort()).toEqual([CLAUDE_TOOLS, CODEX, GEMINI, CLAUDE_REAL].sort());
    expect(readdirSync(rig.sessions).sort()).toEqual([...report.imported].sort());
    for (const name of report.imported) {
      expect(await hasSubstantiveEntries(join(rig.sessions, name, "raw.jsonl"))).toBe(true);
    }
  });

  test("the header names the agent and carries the source reference; the reader agrees", async () => {
    const rig = importRig();
    await rig.importer.run(rig.config);
    const { header, stats, footer } = await scanSession(join(rig.sessions, CODEX, "raw.jsonl"));
    expect(header.agentType).toBe("codex");
    expect(header.agentVersion).toBe("0.98.0");
    expect(header.model).toBe("gpt-5-codex");
    expect(header.username).toBe("dana");
    expect(header.createdAt).toBe("2026-03-20T10:00:00.000Z");
    expect(header.source).toMatchObject({
      kind: "codex",
      session_id: "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
      project: "/home/dana/src/web",
    });
    expect(String(header.source?.path)).toEndWith(".jsonl");
    expect(stats.malformed).toBe(0);
    expect(footer?.entryCount).toBe(stats.entries);
  });

  test("Claude: tool calls with results, errors, images, compaction and the subagent folded in", async () => {
    const rig = importRig();
    await rig.importer.run(rig.config);
    const lines = rawLines(rig.sessions, CLAUDE_TOOLS).slice(1, -1);
    const tools = lines.filter((l) => l.type === "tool");
    expect(tools.map((t) => t.tool_name)).toEqual(["Read", "Task", "Grep", "Bash"]);
    expect(tools[0]?.tool_output).toContain("time.Sleep(60");
    expect(tools[3]).toMatchObject({ is_error: true });
    expect(String(tools[3]?.tool_output)).toContain("FAIL: TestEvict");
    // The subagent's turns sit between the Task call and its result, by time.
    const grep = lines.findIndex((l) => l.tool_name === "Grep");
    expect(lines[grep]?.subagent).toBe("agent-7f3e2b");
    expect(grep).toBeGreaterThan(lines.findIndex((l) => l.tool_name === "Task"));
    expect(grep).toBeLessThan(lines.findIndex((l) => l.tool_name === "Bash"));
    const text = JSON.stringify(lines);
    expect(text).toContain("[image omitted]");
    expect(text).not.toContain("iVBORw0KGgo");
    expect(text).toContain("[compaction summary]");
    expect(text).toContain("[compaction] Conversation compacted");
    expect(text).not.toContain("Look at the test first."); // thinking is dropped
    expect(text).not.toContain("file-history-snapshot");
  });

  test("secrets are redacted before raw.jsonl is written", async () => {
    const rig = importRig();
    await rig.importer.run(rig.config);
    const tools = readFileSync(join(rig.sessions, CLAUDE_TOOLS, "raw.jsonl"), "utf8");
    expect(tools).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(tools).toContain("[REDACTED:");
    const real = readFileSync(join(rig.sessions, CLAUDE_REAL, "raw.jsonl"), "utf8");
    expect(real).not.toContain("sk-ant-api03-AAAA");
    expect(real).toContain("The flaky test sleeps 50 ms");
  });

  test("Codex: injected context and reasoning left out; shell, apply_patch, errors, compaction kept", async () => {
    const rig = importRig();
    await rig.importer.run(rig.config);
    const lines = rawLines(rig.sessions, CODEX).slice(1, -1);
    expect(lines.map((l) => `${l.type}:${l.tool_name ?? ""}`)).toEqual([
      "user:",
      "tool:shell",
      "tool:apply_patch",
      "tool:shell",
      "system:",
      "system:",
      "assistant:",
    ]);
    expect(lines[0]?.content).toContain("[image omitted]");
    expect(lines[1]?.tool_output).toBe("12: const id = req.cookies.session.id\n");
    expect(lines[3]).toMatchObject({ is_error: true });
    expect(String(lines[4]?.content)).toStartWith("[compaction summary]");
    expect(String(lines[5]?.content)).toStartWith("[error] stream disconnected");
  });

  test("Gemini (legacy .json): tool calls with results, a failed call and an error line", async () => {
    const rig = importRig();
    await rig.importer.run(rig.config);
    const lines = rawLines(rig.sessions, GEMINI).slice(1, -1);
    expect(lines.map((l) => `${l.type}:${l.tool_name ?? ""}`)).toEqual([
      "user:",
      "assistant:",
      "tool:read_file",
      "tool:replace",
      "system:",
      "assistant:",
    ]);
    expect(lines[2]?.tool_output).toContain("Use a bearer token.");
    expect(lines[3]).toMatchObject({ is_error: true, tool_output: "old_string matched 2 places" });
    expect(rawLines(rig.sessions, GEMINI)[0]).toMatchObject({
      metadata: { agent_type: "gemini-cli", model: "gemini-2.5-pro" },
    });
  });
});

describe("idempotence and growth", () => {
  test("a second pass imports nothing and reads nothing", async () => {
    const rig = importRig();
    await rig.importer.run(rig.config);
    const again = await rig.importer.run(rig.config);
    expect(again.imported).toEqual([]);
    expect(again.reimported).toEqual([]);
    expect(again.unchanged).toBe(4);
    const row = rig.storage.sources.get(
      "codex",
      "rollout-2026-03-20T10-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
    );
    expect(row?.sessionName).toBe(CODEX);
    expect(row?.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("a transcript that grew is imported again under the same name, its artifacts removed", async () => {
    const rig = importRig();
    await rig.importer.run(rig.config);
    const dir = join(rig.sessions, CODEX);
    for (const f of ["summary.json", "summary.md", "session.md", "session.html", "meta.json"])
      writeFileSync(join(dir, f), "{}");
    growCodexTranscript(rig, "One more thing: add a test.");
    const again = await rig.importer.run(rig.config);
    expect(again.reimported).toEqual([CODEX]);
    expect(readdirSync(dir).sort()).toEqual(["raw.jsonl"]);
    expect(readFileSync(join(dir, "raw.jsonl"), "utf8")).toContain("One more thing");
  });

  test("a transcript touched but not changed is not imported again", async () => {
    const rig = importRig();
    await rig.importer.run(rig.config);
    const source = rig.storage.sources.get("gemini", "session-2026-03-21T09-30-3e1f8a2c");
    setMtime(String(source?.path), rig.storage.clock.now() - HOUR);
    const again = await rig.importer.run(rig.config);
    expect(again.reimported).toEqual([]);
    expect(rig.storage.sources.get("gemini", "session-2026-03-21T09-30-3e1f8a2c")?.mtimeMs).toBe(
      rig.storage.clock.now() - HOUR,
    );
  });

  test("a row hashed by an earlier version (sha256): touched, not imported again; rehashed", async () => {
    const rig = importRig();
    await rig.importer.run(rig.config);
    const id = "rollout-2026-03-20T10-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    const row = rig.storage.sources.get("codex", id);
    if (!row) throw new Error("codex transcript not imported");
    expect(row.contentHash).toMatch(/^0{48}[0-9a-f]{16}$/);
    const sha = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
    // What the sha256 version stored: sha256 over each file's sha256 hex, in order.
    const legacy = sha(sha(readFileSync(row.path)));
    rig.storage.sources.upsert({ ...row, contentHash: legacy });
    setMtime(row.path, rig.storage.clock.now() - HOUR);
    expect((await rig.importer.run(rig.config)).reimported).toEqual([]);
    expect(rig.storage.sources.get("codex", id)?.contentHash).toBe(row.contentHash);
    rig.storage.sources.upsert({ ...row, contentHash: legacy });
    appendFileSync(row.path, `${JSON.stringify({ type: "event_msg", payload: {} })}\n`);
    setMtime(row.path, rig.storage.clock.now() - 2 * HOUR);
    expect((await rig.importer.run(rig.config)).reimported).toEqual([CODEX]);
  });

  test("a transcript that grew while its session is being summarized waits for the run to end", async () => {
    const rig = importRig();
    await rig.importer.run(rig.config);
    const raw = join(rig.sessions, CODEX, "raw.jsonl");
    const before = readFileSync(raw, "utf8");
    const queued = rig.storage.queue.enqueue({
      type: "session-finalize",
      payload: { session_name: CODEX },
      dedupKey: `session-finalize:${CODEX}`,
    });
    expect(queued.ok).toBe(true);
    const running = rig.storage.queue.dequeue()!;
    growCodexTranscript(rig, "Resumed later.");
    const during = await rig.importer.run(rig.config);
    expect(during.reimported).toEqual([]);
    expect(during.active).toBe(1);
    expect(readFileSync(raw, "utf8")).toBe(before);
    rig.storage.queue.complete(running);
    const after = await rig.importer.run(rig.config);
    expect(after.reimported).toEqual([CODEX]);
    expect(readFileSync(raw, "utf8")).toContain("Resumed later.");
  });

  test("only finished sessions: a file written within source_idle waits", async () => {
    const rig = importRig();
    const source = join(rig.home, ".codex/sessions/2026/03/20");
    const file = join(source, readdirSync(source)[0] ?? "");
    setMtime(file, rig.storage.clock.now() - 60_000);
    const first = await rig.importer.run(rig.config);
    expect(first.active).toBe(1);
    expect(first.imported).not.toContain(CODEX);
    rig.storage.clock.advance(30 * 60_000);
    expect((await rig.importer.run(rig.config)).imported).toEqual([CODEX]);
  });

  test("no sources configured: nothing is listed or imported", async () => {
    const rig = importRig({ config: { sources: [] } });
    expect((await rig.importer.run(rig.config)).imported).toEqual([]);
    expect(readdirSync(rig.sessions)).toEqual([]);
  });
});

describe("selection", () => {
  test("source_projects: include and exclude globs by project path", async () => {
    const rig = importRig({
      config: { sourceProjects: ["/home/dana/src/**", "!/home/dana/src/web"] },
    });
    const report = await rig.importer.run(rig.config);
    expect(report.imported).not.toContain(CODEX);
    expect(report.imported).toContain(GEMINI);
    expect(report.imported).toContain(CLAUDE_TOOLS);
    const only = importRig({ config: { sourceProjects: ["/home/dana/src/docs"] } });
    expect((await only.importer.run(only.config)).imported).toEqual([GEMINI]);
  });

  test("agentwork's own summary runs are never imported", async () => {
    const rig = importRig();
    const project = join(rig.home, ".claude/projects/-state-runs-x");
    mkdirSync(project, { recursive: true });
    const line = (cwd: string, text: string) =>
      `${JSON.stringify({ type: "user", message: { role: "user", content: text }, timestamp: "2026-03-22T08:00:00.000Z", cwd, sessionId: "ours" })}\n`;
    writeFileSync(
      join(project, "11111111-aaaa.jsonl"),
      line(join(rig.stateDir, "runs", "r1"), "Summarize"),
    );
    writeFileSync(
      join(project, "22222222-bbbb.jsonl"),
      line("/tmp/x", "AGENTWORK_SUMMARY_RUN=1 session follows"),
    );
    for (const f of readdirSync(project))
      setMtime(join(project, f), rig.storage.clock.now() - HOUR);
    const report = await rig.importer.run(rig.config);
    expect(report.imported).toHaveLength(4);
    expect(report.ignored).toBe(2);
    expect(readdirSync(rig.sessions).some((n) => n.startsWith("2026-03-22"))).toBe(false);
  });

  test("a file left out for good is not read again after a restart; another source_projects looks again", async () => {
    const rig = importRig({ config: { sourceProjects: ["/home/dana/src/docs"] } });
    expect((await rig.importer.run(rig.config)).imported).toEqual([GEMINI]);
    const skips = rig.storage.sources.skips("codex");
    expect([...skips.values()].map((s) => s.reason)).toEqual(["project"]);
    const codex = discoverSources(["codex"], rig.roots).files[0];
    const path = String(codex?.path);
    const original = readFileSync(path);
    const mtime = rig.storage.clock.now() - 2 * HOUR;
    // Same size and mtime, other bytes: read again, it would be a transcript with no entries.
    writeFileSync(path, " ".repeat(original.length));
    setMtime(path, mtime);
    const storage = rig.storage.reopen();
    const restarted = new SourceImporter({
      ...rig.options,
      store: storage.sources,
      isBeingSummarized: beingSummarized(storage),
    });
    const again = await restarted.run(rig.config);
    expect(again.ignored).toBeGreaterThan(0);
    expect(storage.sources.skips("codex").get(String(codex?.id))?.reason).toBe("project");
    // Every project now: the file is looked at again (its real bytes back) and imported.
    writeFileSync(path, original);
    setMtime(path, mtime);
    const all = await restarted.run({ ...rig.config, sourceProjects: [] });
    expect(all.imported).toContain(CODEX);
    expect(storage.sources.skips("codex").size).toBe(0);
  });

  test("roots follow CLAUDE_CONFIG_DIR, CODEX_HOME and GEMINI_CLI_HOME", () => {
    const roots = sourceRoots({
      path: "",
      home: "/home/u",
      base: {
        CLAUDE_CONFIG_DIR: "/cfg/claude",
        CODEX_HOME: "/cfg/codex",
        GEMINI_CLI_HOME: "/cfg/g",
      },
    });
    expect(roots).toEqual({
      claude: "/cfg/claude/projects",
      codex: "/cfg/codex/sessions",
      gemini: "/cfg/g/.gemini/tmp",
    });
    expect(sourceRoots({ path: "", home: "/home/u", base: {} }).claude).toBe(
      "/home/u/.claude/projects",
    );
  });
});

describe("bad files are logged with their path and skipped; the rest of the pass goes on", () => {
  test("truncated last line and malformed lines: the rest of the file is kept", async () => {
    const rig = importRig();
    const dir = join(rig.home, ".codex/sessions/2026/03/20");
    const file = join(dir, readdirSync(dir)[0] ?? "");
    const text = readFileSync(file, "utf8").split("\n");
    text.splice(3, 0, "{not json");
    writeFileSync(file, `${text.join("\n")}{"timestamp":"2026-03-20T10:09`);
    setMtime(file, rig.storage.clock.now() - HOUR);
    const report = await rig.importer.run(rig.config);
    expect(report.imported).toHaveLength(4);
    expect(report.problems.map((p) => p.path)).toEqual([file, file]);
    expect(report.problems.map((p) => p.reason).join(" ")).toMatch(
      /cut off.*malformed line\(s\): 4|malformed line\(s\): 4.*cut off/,
    );
    expect(rig.warnings.join("\n")).toContain(file);
  });

  test("a FIFO, a symlink and an unparseable document: each refused, the others imported", async () => {
    const rig = importRig();
    const project = join(rig.home, ".claude/projects/-home-dana-src-svc");
    Bun.spawnSync(["mkfifo", join(project, "fifo-session.jsonl")]);
    const chats = join(
      rig.home,
      ".gemini/tmp/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08/chats",
    );
    writeFileSync(join(chats, "session-2026-03-22T10-00-deadbeef.json"), "{ truncated");
    setMtime(join(chats, "session-2026-03-22T10-00-deadbeef.json"), rig.storage.clock.now() - HOUR);
    const report = await rig.importer.run(rig.config);
    expect(report.imported).toHaveLength(4);
    expect(report.problems.map((p) => p.path)).toEqual([
      join(chats, "session-2026-03-22T10-00-deadbeef.json"),
    ]);
    // A FIFO is not a regular file: discovery never lists it, so nothing blocks on it.
    expect(existsSync(join(project, "fifo-session.jsonl"))).toBe(true);
  });

  test("a file that vanishes between listing and reading", async () => {
    const rig = importRig();
    const { files } = discoverSources(rig.config.sources, rig.roots);
    const gone = files.find((f) => f.kind === "codex");
    rmSync(String(gone?.path));
    const report = await rig.importer.importFiles(files, rig.config);
    expect(report.imported).toHaveLength(3);
    expect(report.problems).toEqual([
      { path: String(gone?.path), reason: "vanished while being read; skipped" },
    ]);
  });
});

describe("Gemini CLI 0.3x+ chats", () => {
  test("a .jsonl chat with its subagent folded in; the legacy .json it was resumed from is left out", async () => {
    const rig = importRig();
    const chats = join(
      rig.home,
      ".gemini/tmp/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08/chats",
    );
    const legacy = join(chats, "session-2026-03-21T09-30-3e1f8a2c.json");
    const lines = [
      {
        sessionId: "3e1f8a2c-1b2d-4c5e-8f90-a1b2c3d4e5f6",
        projectHash: "h",
        startTime: "2026-03-21T09:30:00.000Z",
      },
      {
        id: "m1",
        timestamp: "2026-03-21T09:30:00.000Z",
        type: "user",
        content: "Add a section on rate limits",
      },
      {
        id: "m9",
        timestamp: "2026-03-21T10:00:00.000Z",
        type: "gemini",
        content: "Resumed and done.",
      },
    ];
    writeFileSync(`${legacy}l`, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
    mkdirSync(join(chats, "3e1f8a2c-1b2d-4c5e-8f90-a1b2c3d4e5f6"));
    const sub = join(chats, "3e1f8a2c-1b2d-4c5e-8f90-a1b2c3d4e5f6", "helper-1.jsonl");
    writeFileSync(
      sub,
      `${JSON.stringify({ sessionId: "helper-1", kind: "subagent" })}\n${JSON.stringify({ id: "s1", timestamp: "2026-03-21T09:45:00.000Z", type: "gemini", content: "Subagent checked the links." })}\n`,
    );
    setMtime(`${legacy}l`, rig.storage.clock.now() - HOUR);
    setMtime(sub, rig.storage.clock.now() - HOUR);
    const report = await rig.importer.run(rig.config);
    expect(report.problems).toEqual([]);
    expect(report.imported).toContain(GEMINI);
    const entries = rawLines(rig.sessions, GEMINI).slice(1, -1);
    expect(entries.map((e) => e.content)).toEqual([
      "Add a section on rate limits",
      "Subagent checked the links.",
      "Resumed and done.",
    ]);
    expect(entries[1]?.subagent).toBe("helper-1");
  });
});
