import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseClaudeTranscript } from "../../../src/handlers/session-finalize/claude-transcript.ts";
import { plainLedger, writeSession } from "../../support/ledger.ts";
import { tempDir } from "../../support/tmp.ts";
import { HOUR, makeHandler } from "./helpers.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** Claude Code's own transcript: one user + assistant pair per timestamp, plus noise lines. */
function claudeTranscript(dir: string, stamps: number[]): string {
  const lines: unknown[] = [{ type: "summary", summary: "bookkeeping, not dialogue" }];
  for (const [i, ms] of stamps.entries()) {
    lines.push({
      type: "user",
      timestamp: iso(ms),
      message: { role: "user", content: `question ${i}` },
    });
    lines.push({
      type: "assistant",
      timestamp: iso(ms),
      message: {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "" },
          { type: "text", text: `answer ${i}` },
        ],
      },
    });
  }
  const path = join(dir, "5f1c.jsonl");
  writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join("\n")}\nnot json\n`);
  return path;
}

function setup(stamps: (start: number) => number[], marker: Record<string, unknown> = {}) {
  const { ledger, sessions } = plainLedger();
  const projects = join(tempDir(), ".claude", "projects", "svc");
  mkdirSync(projects, { recursive: true });
  const { handler, clock } = makeHandler(ledger, { transcriptRoots: [join(projects, "..")] });
  const start = clock.now() - 26 * HOUR;
  const sessionFile = claudeTranscript(projects, stamps(start));
  const dir = writeSession(sessions, "2026-03-14T08-14-dana-OxQ7mZ", {
    marker: {
      agent_id: "OxQ7mZ",
      started_at: iso(start),
      adapter_name: "claude-code",
      session_file: sessionFile,
      ...marker,
    },
  });
  return { handler, ledger, dir, sessionFile };
}

function rawLines(dir: string): Record<string, unknown>[] {
  return readFileSync(join(dir, "raw.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("recovery of a missing raw.jsonl (upstream intents 58-61)", () => {
  test("58: a transcript with two turns after the start → raw.jsonl with 4 entries, recovered header, an item", async () => {
    const { handler, ledger, dir } = setup((s) => [s + 60_000, s + 120_000]);
    const items = await handler.detect(ledger);
    const [header, ...entries] = rawLines(dir);
    expect(header).toEqual({
      _meta: expect.objectContaining({
        recovered: true,
        agent_id: "OxQ7mZ",
        agent_type: "claude-code",
      }),
    });
    expect(entries.map((e) => [e.type, e.content])).toEqual([
      ["user", "question 0"],
      ["assistant", "answer 0"],
      ["user", "question 1"],
      ["assistant", "answer 1"],
    ]);
    expect(entries[0]?.ts).toBeString();
    expect(items).toHaveLength(1);
    expect(existsSync(join(dir, ".recording.json"))).toBe(false);
  });

  test("60: four turns, two before the recording started → the later two kept (4 entries)", async () => {
    const { handler, ledger, dir } = setup((s) => [
      s - 120_000,
      s - 60_000,
      s + 60_000,
      s + 120_000,
    ]);
    await handler.detect(ledger);
    const contents = rawLines(dir)
      .slice(1)
      .map((e) => e.content);
    expect(contents).toEqual(["question 2", "answer 2", "question 3", "answer 3"]);
  });

  test("61: every turn before the start → recovery fails, marker cleared, no item", async () => {
    const { handler, ledger, dir } = setup((s) => [s - 60_000]);
    expect(await handler.detect(ledger)).toEqual([]);
    expect(existsSync(join(dir, "raw.jsonl"))).toBe(false);
    expect(existsSync(join(dir, ".recording.json"))).toBe(false);
  });

  test.each([
    ["an empty source file", "empty"],
    ["a missing source file", "missing"],
    ["no session_file", "none"],
    ["an unknown adapter", "adapter"],
  ])("59: %s → recovery fails", async (_label, kind) => {
    const { handler, ledger, dir, sessionFile } = setup(
      (s) => [s + 60_000],
      kind === "none"
        ? { session_file: "" }
        : kind === "adapter"
          ? { adapter_name: "mystery-agent" }
          : {},
    );
    if (kind === "empty") writeFileSync(sessionFile, "");
    if (kind === "missing") rmSync(sessionFile);
    expect(await handler.detect(ledger)).toEqual([]);
    expect(existsSync(join(dir, "raw.jsonl"))).toBe(false);
  });

  test("59: invalid marker JSON → recovery fails (judged by mtime, then cleared)", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger, { transcriptRoots: [tempDir()] });
    const dir = writeSession(sessions, "s", {
      marker: "{not json",
      markerMtimeMs: clock.now() - 25 * HOUR,
    });
    expect(await handler.detect(ledger)).toEqual([]);
    expect(existsSync(join(dir, "raw.jsonl"))).toBe(false);
  });

  test("a session_file outside the transcript dirs is never read into the ledger", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger, { transcriptRoots: [tempDir()] });
    const secret = claudeTranscript(tempDir(), [clock.now() - HOUR]);
    const dir = writeSession(sessions, "s", {
      marker: {
        agent_id: "a",
        started_at: iso(clock.now() - 26 * HOUR),
        adapter_name: "claude-code",
        session_file: secret,
      },
    });
    expect(await handler.detect(ledger)).toEqual([]);
    expect(existsSync(join(dir, "raw.jsonl"))).toBe(false);
  });
});

test("the claude-code adapter pairs tool calls with their results and skips bookkeeping", () => {
  const lines = [
    { type: "file-history-snapshot", snapshot: {} },
    {
      type: "assistant",
      timestamp: "2026-03-14T08:15:09Z",
      message: {
        content: [{ type: "tool_use", id: "t1", name: "Edit", input: { file_path: "/a.go" } }],
      },
    },
    {
      type: "user",
      timestamp: "2026-03-14T08:15:10Z",
      message: { content: [{ type: "tool_result", tool_use_id: "t1", content: "1 replacement" }] },
    },
  ];
  const entries = parseClaudeTranscript(lines.map((l) => JSON.stringify(l)).join("\n"));
  expect(entries).toEqual([
    {
      type: "tool",
      content: "",
      ts: Date.parse("2026-03-14T08:15:09Z"),
      tool_name: "Edit",
      tool_input: '{"file_path":"/a.go"}',
      tool_output: "1 replacement",
    },
  ]);
});
