import { describe, expect, test } from "bun:test";
import { convertGemini } from "./gemini-convert.ts";

/** The Gemini CLI 0.3x+ `.jsonl` chat: metadata, replaced messages, `$set`, `$rewindTo`. */
const jsonl = [
  {
    sessionId: "abcd1234-0000",
    projectHash: "h",
    startTime: "2026-04-01T10:00:00.000Z",
    kind: "main",
    directories: ["/home/u/app"],
  },
  {
    id: "u1",
    timestamp: "2026-04-01T10:00:00.000Z",
    type: "user",
    content: [
      { text: "Rename foo to bar" },
      { inlineData: { mimeType: "image/png", data: "AAAA" } },
    ],
  },
  { $set: { lastUpdated: "2026-04-01T10:00:01.000Z" } },
  {
    id: "g1",
    timestamp: "2026-04-01T10:00:02.000Z",
    type: "gemini",
    content: "",
    model: "gemini-2.5-flash",
  },
  // The same id again: the later line replaces the first (tool calls added while running).
  {
    id: "g1",
    timestamp: "2026-04-01T10:00:02.000Z",
    type: "gemini",
    content: "Renaming.",
    model: "gemini-2.5-flash",
    toolCalls: [
      {
        id: "t1",
        name: "run_shell_command",
        args: { command: "sed -i s/foo/bar/ a.ts" },
        status: "success",
        result: [{ functionResponse: { response: { output: "ok" } } }],
      },
    ],
  },
  { id: "u2", timestamp: "2026-04-01T10:01:00.000Z", type: "user", content: "no wait" },
  { id: "g2", timestamp: "2026-04-01T10:01:01.000Z", type: "gemini", content: "Undoing." },
  { $rewindTo: "u2" },
  {
    id: "u3",
    timestamp: "2026-04-01T10:02:00.000Z",
    type: "user",
    content: "Also update the docs",
  },
];

describe("convertGemini", () => {
  test("jsonl: later lines replace earlier ones, a rewind cuts, images are placeholders", () => {
    const session = convertGemini(jsonl);
    expect(session).toMatchObject({
      sessionId: "abcd1234-0000",
      project: "/home/u/app",
      model: "gemini-2.5-flash",
      startedAt: "2026-04-01T10:00:00.000Z",
    });
    expect(session.entries.map((e) => `${e.type}:${e.content}`)).toEqual([
      "user:Rename foo to bar\n[image omitted]",
      "assistant:Renaming.",
      "tool:",
      "user:Also update the docs",
    ]);
    expect(session.entries[2]).toMatchObject({ tool_name: "run_shell_command", tool_output: "ok" });
  });

  test("subagent chats are folded in by time and tagged", () => {
    const sub = [
      { sessionId: "sub-1", kind: "subagent" },
      {
        id: "s1",
        timestamp: "2026-04-01T10:00:03.000Z",
        type: "gemini",
        content: "Searching docs.",
      },
    ];
    const session = convertGemini(jsonl, [{ id: "sub-1", records: sub }]);
    const at = session.entries.findIndex((e) => e.subagent === "sub-1");
    expect(session.entries[at - 1]?.type).toBe("tool");
    expect(session.entries[at + 1]?.content).toBe("Also update the docs");
  });
});
