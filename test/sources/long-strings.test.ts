import { describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Redactor } from "../../src/core/redaction/redactor.ts";
import { tempDir } from "../support/tmp.ts";
import { HOUR, importRig, rawLines, setMtime } from "./helpers.ts";

const SESSION = "7c1e9a44-0000-4000-8000-000000000001";
/** Long enough to be copied as the source escaped it (held-strings' HOLD_MIN_CHARS). */
const CODE =
  'const s = "a/b quoted \\\\ back\\slash";\n\tif (a < b) return "é ✓ 😀 \u2028";\n'.repeat(12);
const AWS = `AKIA${"IOSFODNN7EXAMPLE"}`;

function line(n: number, content: unknown, role = "user"): Record<string, unknown> {
  return {
    type: role,
    sessionId: SESSION,
    cwd: "/home/dana/src/app",
    version: "2.1.197",
    timestamp: new Date(Date.UTC(2026, 2, 25, 9, 0, n)).toISOString(),
    message: { role, content },
  };
}

/** A Claude Code HOME with one transcript; `edit` may rewrite a line's text as it is written. */
function homeWith(lines: Record<string, unknown>[], edit = (text: string) => text): string {
  const home = tempDir("agentwork-home-");
  const dir = join(home, ".claude", "projects", "-home-dana-src-app");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${SESSION}.jsonl`);
  writeFileSync(path, `${lines.map((l) => edit(JSON.stringify(l))).join("\n")}\n`);
  return path;
}

function toolTurns(outputs: string[]): Record<string, unknown>[] {
  const turns = [line(0, "Look at the parser.")];
  outputs.forEach((output, i) => {
    turns.push(
      line(
        2 * i + 1,
        [{ type: "tool_use", id: `t${i}`, name: "Read", input: { file: "p.ts" } }],
        "assistant",
      ),
      line(2 * i + 2, [{ type: "tool_result", tool_use_id: `t${i}`, content: output }]),
    );
  });
  turns.push(
    line(
      99,
      [
        { type: "text", text: "Summary:" },
        { type: "text", text: CODE },
      ],
      "assistant",
    ),
  );
  return turns;
}

async function importHome(path: string, redactor?: Redactor) {
  const home = path.split("/.claude/")[0] as string;
  const rig = importRig({
    home,
    config: { sources: ["claude"] },
    ...(redactor ? { redactor } : {}),
  });
  setMtime(path, rig.storage.clock.now() - HOUR);
  const report = await rig.importer.run(rig.config);
  expect(report.problems).toEqual([]);
  const [name] = readdirSync(rig.sessions);
  const text = readFileSync(join(rig.sessions, String(name), "raw.jsonl"), "utf8");
  return { text, entries: rawLines(rig.sessions, String(name)).slice(1, -1) };
}

describe("long transcript strings copied into raw.jsonl as the source escaped them", () => {
  test("they read back exactly: quotes, backslashes, tabs, U+2028, astral characters", async () => {
    const array = [{ type: "text", text: CODE }];
    // The source writes `a\/b` (JSON.stringify would write `a/b`): raw.jsonl shows which was used.
    const { text, entries } = await importHome(
      homeWith(
        toolTurns([CODE]).concat(
          line(60, [{ type: "tool_result", tool_use_id: "t9", content: array }]),
        ),
        (t) => t.replaceAll("a/b", "a\\/b"),
      ),
    );
    const outputs = entries.filter((e) => e.type === "tool").map((e) => e.tool_output);
    // One string result, one array of one text block (an orphan: no call t9).
    expect(outputs).toEqual([CODE, CODE]);
    // 12 per copied output; the joined message is written as JSON.stringify writes it (`a/b`).
    expect(text.split("a\\/b").length - 1).toBe(2 * 12);
    expect(entries.find((e) => e.type === "assistant")?.content).toBe(`Summary:\n${CODE}`);
  });

  test("a secret in a long output is still redacted, also when the source spells it with \\u escapes", async () => {
    const plain = `${CODE}key id ${AWS} in the log\n`;
    const escaped = `${CODE}second ${AWS} here\n`;
    const { text, entries } = await importHome(
      homeWith(toolTurns([plain, escaped, CODE]), (t) =>
        t.replace(`second ${AWS}`, "second \\u0041KIAIOSFODNN7EXAMPLE"),
      ),
    );
    expect(text).not.toContain("IOSFODNN7EXAMPLE");
    const outputs = entries.filter((e) => e.type === "tool").map((e) => String(e.tool_output));
    expect(outputs[0]).toBe(`${CODE}key id [REDACTED:aws_access_key] in the log\n`);
    expect(outputs[1]).toBe(`${CODE}second [REDACTED:aws_access_key] here\n`);
    expect(outputs[2]).toBe(CODE);
  });

  test("with redact_patterns, a custom rule redacts inside a long output", async () => {
    const redactor = new Redactor([{ name: "ticket", pattern: "ACME-[0-9]{4}" }]);
    const { entries } = await importHome(homeWith(toolTurns([`${CODE}see ACME-1234\n`])), redactor);
    expect(entries.find((e) => e.type === "tool")?.tool_output).toBe(
      `${CODE}see [REDACTED:ticket]\n`,
    );
  });

  test("long strings read elsewhere stay exact; thinking, signatures and image data are left out", async () => {
    const input = { file_path: "p.ts", content: CODE };
    const { text, entries } = await importHome(
      homeWith([
        line(
          1,
          [
            { type: "thinking", thinking: `THINK${CODE}`, signature: "S".repeat(400) },
            { type: "text", text: CODE },
            { type: "tool_use", id: "t1", name: "Write", input },
          ],
          "assistant",
        ),
        line(2, [
          {
            type: "tool_result",
            tool_use_id: "t1",
            content: [
              { type: "text", text: CODE },
              { type: "image", source: { type: "base64", data: "Q".repeat(400) } },
            ],
          },
        ]),
        { ...line(3, ""), type: "system", content: CODE },
        { ...line(4, CODE), isCompactSummary: true },
      ]),
    );
    expect(entries.map(({ seq: _, timestamp: __, ...e }) => e)).toEqual([
      { type: "assistant", content: CODE },
      {
        type: "tool",
        content: "",
        tool_name: "Write",
        tool_input: JSON.stringify(input),
        tool_output: `${CODE}\n[image omitted]`,
      },
      { type: "system", content: `[system] ${CODE}` },
      { type: "system", content: `[compaction summary]\n${CODE}` },
    ]);
    for (const dropped of ["THINK", "SSSS", "QQQQ"]) expect(text).not.toContain(dropped);
  });
});
