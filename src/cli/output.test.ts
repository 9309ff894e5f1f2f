import { describe, expect, test } from "bun:test";
import { AgentworkError } from "../core/errors.ts";
import { EXIT_CODES, exitCodeFor } from "../core/exit-codes.ts";
import { createProgress } from "../core/progress.ts";
import { formatJson, formatTable, printData } from "./output.ts";

function sink(columns?: number) {
  const chunks: string[] = [];
  return {
    chunks,
    write: (chunk: string) => chunks.push(chunk),
    columns,
    text: () => chunks.join(""),
  };
}

describe("printData", () => {
  const data = { queue_depth: 2, id: 10n };
  test("--json prints parseable JSON and never calls the text renderer", () => {
    const out = sink();
    printData(data, {
      json: true,
      stream: out,
      text: () => {
        throw new Error("not used");
      },
    });
    expect(JSON.parse(out.text())).toEqual({ queue_depth: 2, id: 10 });
    expect(out.text().endsWith("\n")).toBe(true);
  });

  test("text mode uses the renderer and ends with a newline", () => {
    const out = sink();
    printData(data, { json: false, stream: out, text: (d) => `depth ${d.queue_depth}` });
    expect(out.text()).toBe("depth 2\n");
  });

  test("huge bigints become strings instead of losing precision", () => {
    expect(JSON.parse(formatJson({ n: 2n ** 64n }))).toEqual({ n: "18446744073709551616" });
  });
});

test("formatTable aligns columns without trailing blanks", () => {
  expect(
    formatTable(
      ["ID", "STATE", "KEY"],
      [
        ["1", "queued", "a"],
        ["22", "running", ""],
      ],
    ),
  ).toBe(["ID  STATE    KEY", "1   queued   a", "22  running"].join("\n"));
});

describe("progress", () => {
  test("on a terminal: one line redrawn in place, then the summary", () => {
    const out = sink();
    const progress = createProgress({ total: 2, label: "detect", stream: out, isTTY: true });
    progress.tick("session-a");
    progress.tick();
    progress.done("2 queued");
    progress.tick("ignored after done");
    expect(out.chunks).toEqual([
      "\r\x1b[2Kdetect [1/2] session-a",
      "\r\x1b[2Kdetect [2/2]",
      "\r\x1b[2Kdetect: 2 queued\n",
    ]);
  });

  test("on a terminal: lines are cut to the width so redraws do not wrap", () => {
    const out = sink(20);
    createProgress({ total: null, label: "sync", stream: out, isTTY: true }).tick("x".repeat(50));
    const drawn = out.text().replace("\r\x1b[2K", "");
    expect(drawn.length).toBeLessThan(20);
    expect(drawn.startsWith("sync [1] ")).toBe(true);
  });

  test("not a terminal: plain lines, no escape codes", () => {
    const out = sink();
    const progress = createProgress({ total: 3, label: "export", stream: out, isTTY: false });
    progress.tick("a");
    progress.tick("b");
    progress.done("done");
    expect(out.text()).toBe("export [1/3] a\nexport [2/3] b\nexport: done\n");
  });

  test("done without ticks or summary prints nothing", () => {
    const out = sink();
    createProgress({ total: 0, label: "x", stream: out, isTTY: true }).done();
    expect(out.chunks).toEqual([]);
  });
});

describe("exit codes", () => {
  test.each([
    ["E_USAGE", EXIT_CODES.usage],
    ["E_BAD_REQUEST", EXIT_CODES.usage],
    ["E_USAGE", EXIT_CODES.usage],
    ["E_DB_LOCKED", EXIT_CODES.database],
    ["E_DB_CORRUPT", EXIT_CODES.database],
    ["E_DAEMON_RUNNING", EXIT_CODES.database],
    ["E_AGENT_FAILED", EXIT_CODES.workFailed],
  ] as const)("%s -> %d", (code, exit) => {
    expect(exitCodeFor(new AgentworkError(code, "x"))).toBe(exit);
  });

  test("anything that is not an AgentworkError is a work failure", () => {
    expect(exitCodeFor(new Error("plain"))).toBe(EXIT_CODES.workFailed);
  });

  test("the numbers are the documented ones", () => {
    expect(EXIT_CODES).toEqual({ ok: 0, workFailed: 1, usage: 2, database: 3 });
  });
});

test("table cells show control characters escaped, never raw", () => {
  const table = formatTable(["name"], [["evil\x1b]0;title\x07\x1b[31mname"], ["tab\there"]]);
  expect(table).toBe("name\nevilname\ntab\\there");
});

test("text output of any command is stripped of control sequences; JSON stays exact", () => {
  const out: string[] = [];
  const stream = { write: (chunk: string) => out.push(chunk) };
  const data = { error: "failed \x1b[2Jhere" };
  printData(data, { json: false, text: (d) => `recent: ${d.error}\nnext`, stream });
  printData(data, { json: true, text: () => "", stream });
  expect(out[0]).toBe("recent: failed here\nnext\n");
  expect(JSON.parse(out[1] ?? "")).toEqual(data);
});
